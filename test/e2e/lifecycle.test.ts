/**
 * The whole lifecycle of every example config, through the built CLI and the real Google SDKs,
 * against the emulator's built-in demo seed: apply, every planned resource exists, re-apply makes
 * no mutating call, teardown leaves nothing owned and every seeded (unowned) resource as it was.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, mutating, runCli, startHarness, type EmulatorHarness } from './support/harness.js';

const PROJECT = 'demo-project';
const SECRET = 'iap-secret-value-never-printed';
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();

let h: EmulatorHarness;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  h = await startHarness(10);
  env = { ...h.env, IAP_CLIENT_SECRET: SECRET };
});
afterAll(async () => h?.close());

interface PlannedStep {
  kind: string;
  name: string;
  scope: string;
}

// The tests' own table of Compute collections, on purpose not the tool's (src/plan/paths.ts): a
// mistake there must not hide itself here.
const COLLECTION: Record<string, string> = {
  subnetwork: 'subnetworks',
  address: 'addresses',
  sslCertificate: 'sslCertificates',
  securityPolicy: 'securityPolicies',
  networkEndpointGroup: 'networkEndpointGroups',
  backendService: 'backendServices',
  urlMap: 'urlMaps',
  targetHttpProxy: 'targetHttpProxies',
  targetHttpsProxy: 'targetHttpsProxies',
  forwardingRule: 'forwardingRules',
};

/** Certificate Manager collections (resources stored under their resource names). */
const CERT_MANAGER_COLLECTION: Record<string, string> = {
  dnsAuthorization: 'dnsAuthorizations',
  certManagerCertificate: 'certificates',
  certificateMap: 'certificateMaps',
  certificateMapEntry: 'certificateMapEntries',
};

/** The emulator store path of a planned compute or Certificate Manager resource. */
function storePath(step: PlannedStep): string {
  const cm = CERT_MANAGER_COLLECTION[step.kind];
  if (cm) {
    const location = step.scope === 'global' ? 'global' : step.scope.replace('regions/', '');
    const [first, entry] = step.name.split('/');
    return entry !== undefined
      ? `projects/${PROJECT}/locations/${location}/certificateMaps/${first}/certificateMapEntries/${entry}`
      : `projects/${PROJECT}/locations/${location}/${cm}/${first}`;
  }
  return `projects/${PROJECT}/${step.scope}/${COLLECTION[step.kind]}/${step.name}`;
}

/** Everything in the store that is not an operation, with its body. */
async function snapshot(): Promise<Map<string, Record<string, unknown>>> {
  const all = await h.resources(`projects/${PROJECT}`);
  return new Map(all.filter((r) => !/\/(operations|changes)\//.test(r.path)).map((r) => [r.path, r.value]));
}

describe.each(examples)('lifecycle of docs/examples/%s', (file) => {
  const config = resolve(EXAMPLES, file);

  it('applies, re-applies with no change, and tears down exactly what it made', async () => {
    await h.reset();
    const before = await snapshot();

    const planned = await runCli(['plan', '--offline', '-c', config, '--format', 'json'], { env });
    expect(planned.code, planned.stderr).toBe(0);
    const steps = (JSON.parse(planned.stdout) as { steps: PlannedStep[] }).steps;

    const applied = await runCli(['apply', '--yes', '--no-verify', '-c', config], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(SECRET);

    // Every planned compute resource exists; every Cloud Run service behind the LB has its ingress set.
    const after = await snapshot();
    for (const step of steps) {
      if (step.kind in COLLECTION || step.kind in CERT_MANAGER_COLLECTION) {
        expect(after.has(storePath(step)), `${step.kind} ${step.name} exists`).toBe(true);
      } else if (step.kind === 'cloudRunIngress') {
        const region = step.scope.replace('regions/', '');
        const service = after.get(`projects/${PROJECT}/locations/${region}/services/${step.name}`);
        expect(service?.ingress, `ingress of ${step.name} in ${region}`).toMatch(/^INGRESS_TRAFFIC_INTERNAL_(LOAD_BALANCER|ONLY)$/);
      }
    }
    // Nothing in the store carries the secret.
    expect(JSON.stringify([...after.values()])).not.toContain(SECRET);

    // Re-apply: the plan is all noop and no mutating call reaches the API.
    const mark = await h.mark();
    const again = await runCli(['apply', '--yes', '--no-verify', '-c', config, '--format', 'json'], { env });
    expect(again.code, again.stderr).toBe(0);
    const summary = (JSON.parse(again.stdout) as { plan: { summary: Record<string, number> } }).plan.summary;
    expect(summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(mutating(await h.requestsSince(mark))).toEqual([]);

    // Teardown: nothing owned left; every seeded resource is back as it was.
    const down = await runCli(['teardown', '--yes', '-c', config], { env });
    expect(down.code, down.stderr).toBe(0);
    const end = await snapshot();
    expect([...end.keys()].filter((p) => !before.has(p))).toEqual([]);
    for (const [path, value] of before) {
      expect(end.has(path), `${path} still exists`).toBe(true);
      if (/\/services\//.test(path)) expect(end.get(path)?.ingress, `${path} ingress restored`).toBe(value.ingress);
    }

    // status shows nothing as managed any more.
    const status = await runCli(['status', '-c', config, '--format', 'json'], { env });
    const rows = (JSON.parse(status.stdout) as { resources: Array<{ kind: string; name: string; managed: boolean; exists: boolean }> }).resources;
    expect(rows.filter((r) => r.managed && r.exists).map((r) => `${r.kind} ${r.name}`)).toEqual([]);

    // A second teardown has nothing to do.
    const mark2 = await h.mark();
    const down2 = await runCli(['teardown', '--yes', '-c', config], { env });
    expect(down2.code, down2.stderr).toBe(0);
    expect(down2.stderr).toMatch(/Nothing to delete/);
    expect(mutating(await h.requestsSince(mark2))).toEqual([]);
  }, 120_000);
});
