/**
 * The real gcloud CLI against the emulator's Compute API: the command sequence of Google's serverless
 * NEG guide (global external and regional external load balancers), then the deletes in reverse.
 * Skipped, with a message, when gcloud is not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeModule } from '../../../src/emulator/compute/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { hasGcloud } from '../../support/tools.js';

const run = promisify(execFile);

function selfSignedPair(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=www.example.com', '-addext', 'subjectAltName=DNS:www.example.com'], { stdio: 'ignore' });
  return { cert, key };
}

const gcloudPresent = hasGcloud();
if (!gcloudPresent) console.warn('gcloud is not installed: skipping the gcloud compute tests');

describe.skipIf(!gcloudPresent)('gcloud compute against the emulator', () => {
  let em: RunningEmulator;
  let config: string;
  let pem: { cert: string; key: string };

  const gcloud = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run('gcloud', [...args, '--quiet'], {
        env: { ...process.env, CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
        timeout: 60_000,
      });
      return { ok: true, out: stdout + stderr };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  };

  beforeAll(async () => {
    em = await startEmulator({ opLatencyMs: 20, seed: false }, [computeModule]);
    config = mkdtempSync(join(tmpdir(), 'gcloud-compute-'));
    pem = selfSignedPair(config);
    writeFileSync(join(config, 'placeholder'), '');
    for (const [k, v] of [
      ['auth/disable_credentials', 'true'],
      ['core/project', 'demo-project'],
      ['api_endpoint_overrides/compute', `${em.url}/compute/v1/`],
    ]) {
      const r = await gcloud(['config', 'set', k!, v!]);
      expect(r.ok, r.out).toBe(true);
    }
  }, 120_000);

  afterAll(async () => {
    await em?.close();
    if (config) rmSync(config, { recursive: true, force: true });
  });

  it('creates and deletes a global and a regional external load balancer as the serverless NEG guide types it', async () => {
    const R = '--region=europe-west1';
    const create: string[][] = [
      ['compute', 'addresses', 'create', 'lb-ip', '--global'],
      ['compute', 'network-endpoint-groups', 'create', 'neg-web', R, '--network-endpoint-type=serverless', '--cloud-run-service=web'],
      ['compute', 'backend-services', 'create', 'bs-web', '--global', '--load-balancing-scheme=EXTERNAL_MANAGED'],
      ['compute', 'backend-services', 'add-backend', 'bs-web', '--global', '--network-endpoint-group=neg-web', '--network-endpoint-group-region=europe-west1'],
      ['compute', 'url-maps', 'create', 'um-web', '--default-service=bs-web'],
      ['compute', 'url-maps', 'add-path-matcher', 'um-web', '--path-matcher-name=api', '--default-service=bs-web', '--new-hosts=api.example.com', '--path-rules=/v1/*=bs-web'],
      ['compute', 'ssl-certificates', 'create', 'cert-managed', '--domains=www.example.com', '--global'],
      ['compute', 'ssl-certificates', 'create', 'cert-self', `--certificate=${pem.cert}`, `--private-key=${pem.key}`, '--global'],
      ['compute', 'target-https-proxies', 'create', 'thp-web', '--url-map=um-web', '--ssl-certificates=cert-managed,cert-self'],
      ['compute', 'target-http-proxies', 'create', 'tp-web', '--url-map=um-web'],
      ['compute', 'forwarding-rules', 'create', 'fr-https', '--global', '--target-https-proxy=thp-web', '--address=lb-ip', '--ports=443', '--load-balancing-scheme=EXTERNAL_MANAGED'],
      ['compute', 'forwarding-rules', 'create', 'fr-http', '--global', '--target-http-proxy=tp-web', '--address=lb-ip', '--ports=80', '--load-balancing-scheme=EXTERNAL_MANAGED'],
      // regional external
      ['compute', 'networks', 'create', 'lb-net', '--subnet-mode=custom'],
      ['compute', 'networks', 'subnets', 'create', 'lb-subnet', '--network=lb-net', R, '--range=10.10.0.0/24'],
      ['compute', 'networks', 'subnets', 'create', 'proxy-only', '--purpose=REGIONAL_MANAGED_PROXY', '--role=ACTIVE', R, '--network=lb-net', '--range=10.129.0.0/23'],
      ['compute', 'addresses', 'create', 'lb-ip-r', R],
      ['compute', 'backend-services', 'create', 'bs-r', R, '--load-balancing-scheme=EXTERNAL_MANAGED', '--protocol=HTTP'],
      ['compute', 'backend-services', 'add-backend', 'bs-r', R, '--network-endpoint-group=neg-web', '--network-endpoint-group-region=europe-west1'],
      ['compute', 'url-maps', 'create', 'um-r', '--default-service=bs-r', R],
      ['compute', 'ssl-certificates', 'create', 'cert-r', `--certificate=${pem.cert}`, `--private-key=${pem.key}`, R],
      ['compute', 'target-https-proxies', 'create', 'thp-r', '--url-map=um-r', '--ssl-certificates=cert-r', R],
      ['compute', 'target-http-proxies', 'create', 'tp-r', '--url-map=um-r', R],
      ['compute', 'forwarding-rules', 'create', 'fr-r-https', R, '--target-https-proxy=thp-r', '--target-https-proxy-region=europe-west1', '--address=lb-ip-r', '--ports=443', '--load-balancing-scheme=EXTERNAL_MANAGED', '--network=lb-net'],
      ['compute', 'forwarding-rules', 'create', 'fr-r-http', R, '--target-http-proxy=tp-r', '--target-http-proxy-region=europe-west1', '--address=lb-ip-r', '--ports=80', '--load-balancing-scheme=EXTERNAL_MANAGED', '--network=lb-net'],
    ];
    for (const args of create) {
      const r = await gcloud(args);
      expect(r.ok, `gcloud ${args.join(' ')}\n${r.out}`).toBe(true);
    }

    // What gcloud built is what the guide describes.
    const fr = em.ctx.store.get('projects/demo-project/global/forwardingRules/fr-https')!;
    const ip = em.ctx.store.get('projects/demo-project/global/addresses/lb-ip')!;
    expect(fr['IPAddress']).toBe(ip['address']);
    expect(ip['status']).toBe('IN_USE');
    const bs = em.ctx.store.get('projects/demo-project/global/backendServices/bs-web')!;
    expect(JSON.stringify(bs['backends'])).toContain('/regions/europe-west1/networkEndpointGroups/neg-web');

    // A second ACTIVE proxy-only subnet is refused with Google's error.
    const second = await gcloud(['compute', 'networks', 'subnets', 'create', 'proxy-only-2', '--purpose=REGIONAL_MANAGED_PROXY', '--role=ACTIVE', R, '--network=lb-net', '--range=10.130.0.0/23']);
    expect(second.ok).toBe(false);
    expect(second.out).toContain('ACTIVE');
    // Deleting something in use fails at once.
    const early = await gcloud(['compute', 'backend-services', 'delete', 'bs-web', '--global']);
    expect(early.ok).toBe(false);
    expect(early.out).toContain('is already being used by');

    const remove: string[][] = [
      ['compute', 'forwarding-rules', 'delete', 'fr-r-http', 'fr-r-https', R],
      ['compute', 'target-http-proxies', 'delete', 'tp-r', R],
      ['compute', 'target-https-proxies', 'delete', 'thp-r', R],
      ['compute', 'ssl-certificates', 'delete', 'cert-r', R],
      ['compute', 'url-maps', 'delete', 'um-r', R],
      ['compute', 'backend-services', 'delete', 'bs-r', R],
      ['compute', 'addresses', 'delete', 'lb-ip-r', R],
      ['compute', 'networks', 'subnets', 'delete', 'proxy-only', 'lb-subnet', R],
      ['compute', 'networks', 'delete', 'lb-net'],
      ['compute', 'forwarding-rules', 'delete', 'fr-http', 'fr-https', '--global'],
      ['compute', 'target-http-proxies', 'delete', 'tp-web'],
      ['compute', 'target-https-proxies', 'delete', 'thp-web'],
      ['compute', 'ssl-certificates', 'delete', 'cert-self', 'cert-managed', '--global'],
      ['compute', 'url-maps', 'delete', 'um-web'],
      ['compute', 'backend-services', 'delete', 'bs-web', '--global'],
      ['compute', 'network-endpoint-groups', 'delete', 'neg-web', R],
      ['compute', 'addresses', 'delete', 'lb-ip', '--global'],
    ];
    for (const args of remove) {
      const r = await gcloud(args);
      expect(r.ok, `gcloud ${args.join(' ')}\n${r.out}`).toBe(true);
    }
    const left = em.ctx.store.entries().filter(([p]) => !p.includes('/operations/'));
    expect(left.map(([p]) => p)).toEqual([]);
  }, 600_000);
});
