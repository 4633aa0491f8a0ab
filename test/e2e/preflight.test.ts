/**
 * Preflight, end to end through the built CLI against the emulator: what Google would refuse after
 * half the load balancer was made is refused by `plan` and by `apply --yes` before anything is
 * made, with the field and a fix, and zero mutating calls.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rangesOverlap } from '../../src/cloud/ip-ranges.js';
import { projectMetaPath } from '../../src/emulator/run/run-model.js';
import { EXAMPLES } from './support/harness.js';
import { readFileSync } from 'node:fs';
import { assertBuilt, mutating, runCli, startHarness, type EmulatorHarness } from './support/harness.js';

let h: EmulatorHarness;
let dir: string;
beforeAll(async () => {
  assertBuilt();
  h = await startHarness(5);
  dir = mkdtempSync(join(tmpdir(), 'slb-preflight-'));
});
afterAll(async () => h?.close());
beforeEach(async () => h.reset());

const crossRegion = (proxyOnlySubnet: string) => `name: xr
project: demo-project
type: cross-region-internal
regions: [europe-west1, us-central1]
backends:
  - name: internal-api
    cloudRun:
      service: internal-api
frontend:
  protocol: http
  network:
    network: default
    subnet: default
    proxyOnlySubnet:
${proxyOnlySubnet}
`;

const globalExternal = (extra: string) => `name: gx
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: web
    cloudRun:
      service: web
frontend:
  protocol: https
  domains: [www.example.com]
${extra}
`;

/** plan and apply --yes both refuse (exit 2) with every pattern in their output, and nothing is changed. */
async function refused(name: string, yaml: string, patterns: RegExp[]): Promise<string> {
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, yaml);
  const mark = await h.mark();
  const plan = await runCli(['plan', '-c', config], { env: h.env });
  expect(plan.code, plan.stdout + plan.stderr).toBe(2);
  for (const p of patterns) expect(plan.stdout + plan.stderr).toMatch(p);
  const apply = await runCli(['apply', '--yes', '--no-verify', '-c', config], { env: h.env });
  expect(apply.code, apply.stdout + apply.stderr).toBe(2);
  for (const p of patterns) expect(apply.stdout + apply.stderr).toMatch(p);
  expect(apply.stderr).toMatch(/nothing was changed/);
  expect(mutating(await h.requestsSince(mark))).toEqual([]);
  return plan.stdout + plan.stderr;
}

describe('preflight refuses what Google would, before anything is made', () => {
  it('a proxy-only subnet the proxies need and no one made: the hint proposes a free range per region, distinct', async () => {
    const out = await refused('missing-subnet', crossRegion('      mode: existing'), [/Region europe-west1 has no ACTIVE GLOBAL_MANAGED_PROXY proxy-only subnet/, /Region us-central1 has no ACTIVE GLOBAL_MANAGED_PROXY/]);
    const ranges = [...out.matchAll(/--proxy-only-subnet-range ([a-z0-9-]+)=(\S+);/g)].map((m) => m[2]!);
    const distinct = [...new Set(ranges)];
    expect(distinct).toHaveLength(2);
    // Free in the emulator's network: none overlaps a seeded subnet.
    for (const r of distinct) for (const taken of ['10.132.0.0/20', '10.128.0.0/20', '10.146.0.0/20', '10.129.0.0/23']) expect(rangesOverlap(r, taken)).toBe(false);
    // ...and the config the hint describes plans clean.
    const fixed = crossRegion(`      mode: create\n      ranges:\n        europe-west1: ${distinct[0]}\n        us-central1: ${distinct[1]}`);
    writeFileSync(join(dir, 'fixed.yaml'), fixed);
    const plan = await runCli(['plan', '-c', join(dir, 'fixed.yaml')], { env: h.env });
    expect(plan.code, plan.stderr).toBe(0);
  }, 60_000);

  it('a created range that overlaps a subnet of the network', async () => {
    await refused('overlap', crossRegion('      mode: create\n      ranges:\n        europe-west1: 10.132.0.0/23\n        us-central1: 10.131.0.0/23'), [
      /The range 10\.132\.0\.0\/23 of subnet xr-proxy-only-europe-west1 \(europe-west1\) overlaps subnet default \(europe-west1, 10\.132\.0\.0\/20\)/,
      /Use a free range, such as \S+ \(frontend\.network\.proxyOnlySubnet\.ranges\.europe-west1/,
    ]);
  }, 60_000);

  it('a permission the caller lacks, and an API that is off, before anything is made', async () => {
    const meta = projectMetaPath('demo-project');
    const store = h.emulator.ctx.store;
    store.put(meta, { ...store.get<Record<string, never>>(meta), deniedPermissions: ['compute.globalForwardingRules.create', 'run.services.update'], disabledApis: ['dns.googleapis.com'] });
    await refused('access', readFileSync(`${EXAMPLES}/global-external.yaml`, 'utf8'), [
      /The caller lacks 2 permissions the plan needs in project demo-project: compute\.globalForwardingRules\.create, run\.services\.update/,
      /Cloud DNS API \(dns\.googleapis\.com\) is not enabled in project demo-project/,
      /gcloud services enable dns\.googleapis\.com --project demo-project/,
    ]);
  }, 60_000);

  it('a Certificate Manager map, a Cloud DNS zone and a Cloud Armor policy the config names and that do not exist', async () => {
    await refused('references', globalExternal('certificate:\n  type: certificate-manager\n  certificateMap: no-such-map\ndns:\n  managedZone: no-such-zone\noptions:\n  cloudArmor:\n    existingPolicy: no-such-policy'), [
      /certificate map no-such-map \(global\), named in certificate\.certificateMap \(--certificate-map\), does not exist/,
      /Cloud DNS zone no-such-zone, named in dns\.managedZone \(--dns-zone\), does not exist/,
      /securityPolicy no-such-policy was named in the config but was not found/,
    ]);
  }, 60_000);
});
