/**
 * gcloud against the emulator's Cloud DNS API (api_endpoint_overrides/dns). Skipped, with a message,
 * when gcloud is not installed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { seedModule } from '../../../src/emulator/seed/index.js';
import { dnsModule } from '../../../src/emulator/dns/index.js';
import { hasGcloud } from '../../support/tools.js';

const run = promisify(execFile);

const gcloudPresent = hasGcloud();
if (!gcloudPresent) console.warn('gcloud is not installed: skipping the gcloud dns tests');

describe.skipIf(!gcloudPresent)('gcloud dns against the emulator', () => {
  let emu: RunningEmulator;
  let config: string;

  beforeAll(async () => {
    emu = await startEmulator({ opLatencyMs: 0 }, [seedModule, dnsModule]);
    config = mkdtempSync(join(tmpdir(), 'gcloud-dns-'));
  });
  afterAll(async () => {
    await emu?.close();
    if (config) rmSync(config, { recursive: true, force: true });
  });

  const gcloud = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('gcloud', [...args, '--project=demo-project', '--quiet'], {
      timeout: 60_000,
      env: {
        ...process.env,
        CLOUDSDK_CONFIG: config,
        CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: `${emu.url}/dns/v1/`,
        CLOUDSDK_AUTH_ACCESS_TOKEN: 'emulator-token',
        CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
        CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
      },
    });
    return stdout;
  };

  it('creates and lists managed zones', async () => {
    await gcloud('dns', 'managed-zones', 'create', 'shop-zone', '--dns-name=shop.test.', '--description=Shop zone');
    const zones = JSON.parse(await gcloud('dns', 'managed-zones', 'list', '--format=json')) as Array<{ name: string; dnsName: string }>;
    expect(zones.map((z) => [z.name, z.dnsName]).sort()).toEqual([
      ['example-com', 'example.com.'],
      ['shop-zone', 'shop.test.'],
    ]);
  }, 120_000);

  it('creates, lists and deletes record sets', async () => {
    await gcloud('dns', 'record-sets', 'create', 'www.shop.test.', '--zone=shop-zone', '--type=A', '--ttl=120', '--rrdatas=34.10.20.30');
    const sets = JSON.parse(await gcloud('dns', 'record-sets', 'list', '--zone=shop-zone', '--format=json')) as Array<{ name: string; type: string; rrdatas: string[] }>;
    expect(sets.find((s) => s.type === 'A')).toMatchObject({ name: 'www.shop.test.', rrdatas: ['34.10.20.30'] });
    await gcloud('dns', 'record-sets', 'delete', 'www.shop.test.', '--zone=shop-zone', '--type=A');
    const after = JSON.parse(await gcloud('dns', 'record-sets', 'list', '--zone=shop-zone', '--format=json')) as Array<{ type: string }>;
    expect(after.map((s) => s.type).sort()).toEqual(['NS', 'SOA']);
  }, 120_000);

  it('reports a missing zone as an error', async () => {
    await expect(gcloud('dns', 'record-sets', 'list', '--zone=no-such-zone')).rejects.toThrow(/no-such-zone/);
  }, 120_000);
});
