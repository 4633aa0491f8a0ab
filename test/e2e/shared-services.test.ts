/**
 * Two load balancers over one Cloud Run service, through the built CLI against the emulator: an
 * external one (docs/examples/global-external.yaml) and an internal one fronting the same `web`
 * service. Apply A, apply B, teardown A, apply A, teardown B, teardown A: after every step each
 * load balancer still present verifies OK (the service's ingress serves both, roles/run.invoker
 * keeps the members either needs), and after the last the service's ingress, annotations and IAM
 * policy are exactly what they were before the first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, runCli, startHarness, type EmulatorHarness } from './support/harness.js';
import { expectOnlyFailing, verify } from './verify-support.js';

const EXTERNAL = resolve(EXAMPLES, 'global-external.yaml');
const SERVICE = '/v2/projects/demo-project/locations/europe-west1/services/web';
const INTERNAL_YAML = `name: intranet
project: demo-project
type: regional-internal
region: europe-west1
backends:
  - name: web
    cloudRun:
      service: web
frontend:
  protocol: http
  network:
    network: default
    subnet: default
    proxyOnlySubnet:
      mode: existing
      name: proxy-only-europe-west1
`;

const SHOP_YAML = `name: shop
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: api
    cloudRun:
      service: api
frontend:
  protocol: http
  domains: [shop.example.com]
dns:
  managedZone: example-com
`;

let h: EmulatorHarness;
let INTERNAL: string;
let SHOP: string;

beforeAll(async () => {
  assertBuilt();
  h = await startHarness(5);
  const dir = mkdtempSync(join(tmpdir(), 'slb-shared-'));
  INTERNAL = join(dir, 'intranet.yaml');
  writeFileSync(INTERNAL, INTERNAL_YAML);
  SHOP = join(dir, 'shop.yaml');
  writeFileSync(SHOP, SHOP_YAML);
});
afterAll(async () => h?.close());

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(h.url(path), { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${text}`).toBe(true);
  return JSON.parse(text) as Record<string, unknown>;
}

interface ServiceState {
  ingress: string;
  annotations: Record<string, string>;
  bindings: unknown;
}

async function serviceState(): Promise<ServiceState> {
  const service = await call('GET', SERVICE);
  const policy = await call('GET', `${SERVICE}:getIamPolicy`);
  return { ingress: String(service.ingress), annotations: (service.annotations ?? {}) as Record<string, string>, bindings: policy.bindings ?? [] };
}

async function expectVerifies(config: string): Promise<void> {
  const { result, report } = await verify(h, config, ['--wait', '10s']);
  expectOnlyFailing(report, []);
  expect(result.code, result.stdout).toBe(0);
}

async function run(args: string[]): Promise<string> {
  const result = await runCli(args, { env: h.env });
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe('two load balancers over one Cloud Run service', () => {
  it('apply A, apply B, teardown A, apply A, teardown B, teardown A: every load balancer present verifies; the service ends exactly as it began', async () => {
    await h.reset();
    // The service starts private to one user: the load balancers must add allUsers and take it away again.
    const policy = await call('GET', `${SERVICE}:getIamPolicy`);
    await call('POST', `${SERVICE}:setIamPolicy`, { policy: { etag: policy.etag, bindings: [{ role: 'roles/run.invoker', members: ['user:alice@example.com'] }] } });
    const original = await serviceState();
    expect(original.ingress).toBe('INGRESS_TRAFFIC_ALL');

    // A: the external load balancer.
    await run(['apply', '--yes', '-c', EXTERNAL, '--wait', '10s']);
    await expectVerifies(EXTERNAL);
    expect((await serviceState()).ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');

    // B: the internal one; its plan names A, and the service keeps the ingress both need.
    const plan = await run(['plan', '-c', INTERNAL]);
    expect(plan).toMatch(/cloudRunIngress\s+web\s+europe-west1\s+records this load balancer's need \(INGRESS_TRAFFIC_INTERNAL_ONLY\); ingress stays INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER \(the narrowest ingress that also serves load balancer global-lb\)/);
    expect(plan).toMatch(/cloudRunInvoker\s+web\s+europe-west1\s+records this load balancer's need of allUsers; shared with load balancer global-lb/);
    await run(['apply', '--yes', '-c', INTERNAL, '--wait', '10s']);
    await expectVerifies(INTERNAL);
    await expectVerifies(EXTERNAL);
    const both = await serviceState();
    expect(both.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(JSON.parse(both.annotations['serverless-lb/ingress']!)).toEqual({ 'global-lb': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', intranet: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
    // A re-apply of either changes nothing.
    expect(await run(['plan', '-c', INTERNAL])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    expect(await run(['plan', '-c', EXTERNAL])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);

    // Teardown A: B's need remains; allUsers stays because B needs it.
    const down = await run(['teardown', '--yes', '-c', EXTERNAL]);
    expect(down).toMatch(/keeps ingress INGRESS_TRAFFIC_INTERNAL_ONLY for load balancer intranet/);
    await expectVerifies(INTERNAL);
    const onlyB = await serviceState();
    expect(onlyB.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(JSON.stringify(onlyB.bindings)).toContain('allUsers');

    // A again, then B leaves: A's ingress is what remains.
    await run(['apply', '--yes', '-c', EXTERNAL, '--wait', '10s']);
    await expectVerifies(EXTERNAL);
    await expectVerifies(INTERNAL);
    await run(['teardown', '--yes', '-c', INTERNAL]);
    await expectVerifies(EXTERNAL);
    const onlyA = await serviceState();
    expect(onlyA.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(JSON.stringify(onlyA.bindings)).toContain('allUsers');

    // The last one leaves: the service is exactly as it began.
    await run(['teardown', '--yes', '-c', EXTERNAL]);
    expect(await serviceState()).toEqual(original);
  }, 240_000);

  it('two load balancers with records in one Cloud DNS zone (and one Cloud Run service): each keeps its own records; teardown of one leaves the other working', async () => {
    await h.reset();
    const records = async () =>
      (await h.resources('projects/demo-project/managedZones/example-com/rrsets')).map((r) => `${String(r.value.name)} ${String(r.value.type)}`).filter((r) => !/ (SOA|NS)$/.test(r)).sort();
    const before = await records();
    await run(['apply', '--yes', '-c', EXTERNAL, '--wait', '10s']);
    await run(['apply', '--yes', '-c', SHOP, '--wait', '10s']);
    await expectVerifies(EXTERNAL);
    await expectVerifies(SHOP);
    await run(['teardown', '--yes', '-c', EXTERNAL]);
    await expectVerifies(SHOP);
    expect(await records()).toEqual([...before, 'shop.example.com. A'].sort());
    await run(['teardown', '--yes', '-c', SHOP]);
    expect(await records()).toEqual(before);
  }, 240_000);
});
