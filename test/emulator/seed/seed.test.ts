import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { DEMO_SEED, parseSeed, parseSeedText, readSeedFile, SeedError } from '../../../src/emulator/seed/index.js';

const P = 'demo-project';

describe('seed parsing', () => {
  it('accepts the built-in demo seed and fills defaults', () => {
    const seed = parseSeed(DEMO_SEED);
    expect(seed.runServices).toHaveLength(12);
    expect(seed.runServices[0]).toMatchObject({ name: 'web', ingress: 'INGRESS_TRAFFIC_ALL', invokers: ['allUsers'], tags: ['canary'] });
    expect(seed.dnsZones[0]!.dnsName).toBe('example.com.');
  });

  it('reads YAML and JSON text', () => {
    const yaml = parseSeedText('project: my-project\nrunServices:\n  - {region: us-east1, name: svc, ingress: INGRESS_TRAFFIC_INTERNAL_ONLY}\n');
    expect(yaml.runServices[0]).toMatchObject({ name: 'svc', ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
    expect(parseSeedText('{"dnsZones":[{"name":"z","dnsName":"a.test"}]}').dnsZones[0]!.dnsName).toBe('a.test.');
  });

  it('lists every problem with its path', () => {
    let error: unknown;
    try {
      parseSeed({
        runServices: [
          { region: 'europe-west1', name: 'Bad_Name' },
          { region: 'europe-west1', name: 'ok', ingress: 'OPEN' },
        ],
        networks: [{ name: 'n', subnetworks: [{ name: 's', region: 'europe-west1', ipCidrRange: '10.0.0.0/99' }] }],
        unknownKey: 1,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeedError);
    const problems = (error as SeedError).problems.join('\n');
    expect(problems).toContain('runServices[0].name');
    expect(problems).toContain('runServices[1].ingress');
    expect(problems).toContain('networks[0].subnetworks[0].ipCidrRange');
    expect(problems).toContain('unknownKey');
  });

  it('catches duplicates, records outside their zone, and proxy-only subnets without a role', () => {
    expect(() =>
      parseSeed({
        runServices: [
          { region: 'europe-west1', name: 'a' },
          { region: 'europe-west1', name: 'a' },
        ],
      }),
    ).toThrow(/runServices\[1\]: duplicates runServices\[0\]/);
    expect(() => parseSeed({ dnsZones: [{ name: 'z', dnsName: 'a.test.', records: [{ name: 'x.b.test.', type: 'A', rrdatas: ['1.2.3.4'] }] }] })).toThrow(
      /not inside the zone/,
    );
    expect(() =>
      parseSeed({ networks: [{ name: 'n', subnetworks: [{ name: 'p', region: 'europe-west1', ipCidrRange: '10.0.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY' }] }] }),
    ).toThrow(/needs role ACTIVE or BACKUP/);
  });

  it('reports unreadable files and bad syntax clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    try {
      expect(() => readSeedFile(join(dir, 'missing.yaml'))).toThrow(/cannot read the file: ENOENT/);
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'runServices: [\n');
      expect(() => readSeedFile(bad)).toThrow(/not valid JSON or YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops the emulator from starting with a bad seed', async () => {
    await expect(startEmulator({ seed: { runServices: [{ name: 'x' }] } })).rejects.toThrow(SeedError);
  });
});

describe('the built-in demo seed in a running emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({});
  });
  afterAll(async () => {
    await emu?.close();
  });
  const get = async (path: string) => {
    const res = await fetch(`${emu.url}${path}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('has the Cloud Run services in their regions', async () => {
    const names = async (region: string) =>
      ((await get(`/v2/projects/${P}/locations/${region}/services`)).body.services as Array<{ name: string }>).map((s) => s.name.split('/').at(-1)).sort();
    expect(await names('europe-west1')).toEqual(['admin', 'api', 'hello-fn', 'internal-api', 'internal-api-v2', 'static', 'web', 'web-canary']);
    expect(await names('us-central1')).toEqual(['api', 'internal-api', 'web']);
    expect(await names('asia-northeast1')).toEqual(['web']);
    const fn = (await get(`/v2/projects/${P}/locations/europe-west1/services/hello-fn`)).body;
    expect(fn.buildConfig).toBeDefined();
  });

  it('has the network, regular and proxy-only subnetworks in compute shape', async () => {
    const net = (await get(`/compute/v1/projects/${P}/global/networks/default`)).body;
    expect(net).toMatchObject({ kind: 'compute#network', autoCreateSubnetworks: false });
    const proxy = (await get(`/compute/v1/projects/${P}/regions/europe-west1/subnetworks/proxy-only-europe-west1`)).body;
    expect(proxy).toMatchObject({
      purpose: 'REGIONAL_MANAGED_PROXY',
      role: 'ACTIVE',
      ipCidrRange: '10.129.0.0/23',
      network: `https://www.googleapis.com/compute/v1/projects/${P}/global/networks/default`,
      region: `https://www.googleapis.com/compute/v1/projects/${P}/regions/europe-west1`,
    });
    for (const [region, cidr] of [['europe-west1', '10.132.0.0/20'], ['us-central1', '10.128.0.0/20'], ['asia-northeast1', '10.146.0.0/20']]) {
      expect((await get(`/compute/v1/projects/${P}/regions/${region}/subnetworks/default`)).body.ipCidrRange).toBe(cidr);
    }
  });

  it('has the reserved global address, unused', async () => {
    const addr = (await get(`/compute/v1/projects/${P}/global/addresses/reserved-ip`)).body;
    expect(addr).toMatchObject({ addressType: 'EXTERNAL', ipVersion: 'IPV4', status: 'RESERVED' });
    expect(addr.users).toBeUndefined();
  });

  it('has functions, App Engine, API Gateway and the DNS zone', async () => {
    expect((await get(`/v1/projects/${P}/locations/europe-west1/functions/legacy-fn`)).status).toBe(200);
    expect((await get(`/v1/apps/${P}/services/default/versions/v1`)).status).toBe(200);
    expect((await get(`/v1/projects/${P}/locations/europe-west1/gateways/demo-gateway`)).status).toBe(200);
    expect((await get(`/dns/v1/projects/${P}/managedZones/example-com`)).body).toMatchObject({ dnsName: 'example.com.', visibility: 'public' });
  });

  it('reloads the seed on reset', async () => {
    await fetch(`${emu.url}/v2/projects/${P}/locations/europe-west1/services/web`, { method: 'DELETE' });
    expect((await get(`/v2/projects/${P}/locations/europe-west1/services/web`)).status).toBe(404);
    await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' });
    expect((await get(`/v2/projects/${P}/locations/europe-west1/services/web`)).status).toBe(200);
  });

  it('takes a seed file instead of the demo seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    const file = join(dir, 'seed.yaml');
    writeFileSync(file, 'project: other-project\nprojectNumbers: {other-project: "555555555555"}\nrunServices:\n  - {region: us-east1, name: solo, invokers: []}\n');
    const other = await startEmulator({ seed: file, dns: false });
    try {
      const map = (await (await fetch(`${other.url}/_emulator/dataplane`)).json()) as { defaultUrls: Array<{ host: string }> };
      expect(map.defaultUrls.map((d) => d.host)).toContain('solo-555555555555.us-east1.run.app');
      const policy = (await (await fetch(`${other.url}/v2/projects/other-project/locations/us-east1/services/solo:getIamPolicy`)).json()) as { bindings?: unknown };
      expect(policy.bindings).toBeUndefined();
      expect((await fetch(`${other.url}/v2/projects/${P}/locations/europe-west1/services/web`)).status).toBe(404);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
