/**
 * GoogleCloud through the real SDKs against the local emulator: each kind's calls, the error
 * paths, Cloud Run ingress, Cloud DNS, and a whole apply / re-apply / teardown of an example config.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createGoogleCloud, type GoogleCloud } from '../../src/cloud/google-cloud.js';
import { findOwnedResources, readObservedState } from '../../src/cloud/read-state.js';
import { preflight } from '../../src/cloud/preflight.js';
import { applyPlan, applyTeardown } from '../../src/apply/walker.js';
import { CloudError } from '../../src/errors.js';
import { buildDesiredGraph, diffPlan, teardownPlan } from '../../src/plan/index.js';
import type { DesiredResource, ResourceKind, Scope } from '../../src/model/resource-model.js';
import { resourceId } from '../../src/model/resource-model.js';
import { specSchema } from '../../src/spec/schema.js';

const PROJECT = 'demo-project';
let emulator: RunningEmulator;
let cloud: GoogleCloud;
let n = 0;
const rid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

interface LogEntry { seq: number; method: string; path: string; status: number }
async function requestLog(since = 0): Promise<LogEntry[]> {
  const res = await fetch(`${emulator.url}/_emulator/requests?since=${since}`);
  return ((await res.json()) as { requests: LogEntry[] }).requests;
}
async function lastSeq(): Promise<number> {
  return (await requestLog()).at(-1)?.seq ?? 0;
}

function desired(kind: ResourceKind, name: string, body: Record<string, unknown>, scope: Scope = 'global', extra: Partial<DesiredResource> = {}): DesiredResource {
  return { id: resourceId(kind, scope, name), kind, name, scope, project: PROJECT, body: { name, ...body }, dependsOn: [], managed: true, purpose: 'test', ...extra };
}
const ref = (kind: string, name: string, scope = 'global') => `projects/${PROJECT}/${scope}/${kind}/${name}`;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, opLatencyMs: 20, dns: false, dataplane: false });
  cloud = await createGoogleCloud({ project: PROJECT, emulatorHost: `127.0.0.1:${emulator.port}`, callTimeoutMs: 10_000 });
}, 30_000);
afterAll(async () => {
  await cloud?.close();
  await emulator?.close();
});

describe('GoogleCloud against the emulator: each kind', () => {
  beforeEach(async () => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
  });

  it('address: insert, get, list, setLabels, delete', async () => {
    const a = desired('address', 'it-ip', { ipVersion: 'IPV4', labels: { 'serverless-lb': 'it' } });
    await cloud.insert(a, rid());
    const got = await cloud.get({ kind: 'address', scope: 'global', name: 'it-ip' });
    expect(got?.body).toMatchObject({ name: 'it-ip', labels: { 'serverless-lb': 'it' } });
    expect(typeof got?.body.address).toBe('string');
    expect(Object.keys(got!.body).some((k) => k.startsWith('_'))).toBe(false);
    expect((await cloud.list('address', 'global')).map((o) => o.name)).toContain('it-ip');
    await cloud.update({ ...a, body: { ...a.body, labels: { 'serverless-lb': 'it', extra: 'x' } } }, got!, [{ field: 'labels.extra', from: undefined, to: 'x' }], rid());
    expect((await cloud.get({ kind: 'address', scope: 'global', name: 'it-ip' }))?.body.labels).toEqual({ 'serverless-lb': 'it', extra: 'x' });
    await cloud.delete({ kind: 'address', scope: 'global', name: 'it-ip' }, rid());
    expect(await cloud.get({ kind: 'address', scope: 'global', name: 'it-ip' })).toBeUndefined();
  });

  it('NEG -> backend service (with a security policy) -> URL map -> proxy -> forwarding rule, updates, and in-use deletes', async () => {
    const region: Scope = 'regions/europe-west1';
    await cloud.insert(desired('networkEndpointGroup', 'it-neg', { networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } }, region), rid());
    await cloud.insert(desired('securityPolicy', 'it-policy', { type: 'CLOUD_ARMOR', rules: [{ priority: 2147483647, action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } }] }), rid());
    const bs = desired('backendService', 'it-bs', {
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      backends: [{ group: ref('networkEndpointGroups', 'it-neg', region) }],
      securityPolicy: ref('securityPolicies', 'it-policy'),
    });
    await cloud.insert(bs, rid());
    const bsGot = await cloud.get({ kind: 'backendService', scope: 'global', name: 'it-bs' });
    expect(String(bsGot?.body.securityPolicy)).toMatch(/securityPolicies\/it-policy$/);

    // 400 resourceInUseByAnotherResource, with the mapped hint.
    const inUse = await cloud.delete({ kind: 'networkEndpointGroup', scope: region, name: 'it-neg' }, rid()).catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(CloudError);
    expect(inUse).toMatchObject({ reason: 'resourceInUseByAnotherResource', status: 400 });
    expect((inUse as CloudError).hint).toMatch(/teardown/);

    // 409 alreadyExists.
    const dup = await cloud.insert(bs, rid()).catch((e: unknown) => e);
    expect(dup).toMatchObject({ reason: 'alreadyExists' });

    await cloud.insert(desired('urlMap', 'it-um', { defaultService: ref('backendServices', 'it-bs') }), rid());
    await cloud.insert(desired('urlMap', 'it-um2', { defaultService: ref('backendServices', 'it-bs') }), rid());
    await cloud.insert(desired('targetHttpProxy', 'it-proxy', { urlMap: ref('urlMaps', 'it-um') }), rid());
    await cloud.insert(desired('forwardingRule', 'it-fr', { loadBalancingScheme: 'EXTERNAL_MANAGED', portRange: '80', target: ref('targetHttpProxies', 'it-proxy'), labels: { 'serverless-lb': 'it' } }), rid());

    // Updates: backend service patch (and detaching the policy), URL map update, proxy setUrlMap, FR setLabels.
    const bs2 = { ...bs, body: { ...bs.body, description: 'changed', securityPolicy: undefined } };
    delete bs2.body.securityPolicy;
    await cloud.update(bs2, bsGot!, [{ field: 'description', from: undefined, to: 'changed' }, { field: 'securityPolicy', from: 'x', to: undefined }], rid());
    const bsAfter = await cloud.get({ kind: 'backendService', scope: 'global', name: 'it-bs' });
    expect(bsAfter?.body.description).toBe('changed');
    expect(bsAfter?.body.securityPolicy).toBeUndefined();
    await cloud.delete({ kind: 'securityPolicy', scope: 'global', name: 'it-policy' }, rid());

    const um = desired('urlMap', 'it-um', { defaultService: ref('backendServices', 'it-bs'), hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'pm' }], pathMatchers: [{ name: 'pm', defaultService: ref('backendServices', 'it-bs') }] });
    await cloud.update(um, (await cloud.get({ kind: 'urlMap', scope: 'global', name: 'it-um' }))!, [{ field: 'hostRules', from: undefined, to: [] }], rid());
    expect((await cloud.get({ kind: 'urlMap', scope: 'global', name: 'it-um' }))?.body.hostRules).toEqual([{ hosts: ['a.example.com'], pathMatcher: 'pm' }]);

    const proxy = desired('targetHttpProxy', 'it-proxy', { urlMap: ref('urlMaps', 'it-um2') });
    await cloud.update(proxy, (await cloud.get({ kind: 'targetHttpProxy', scope: 'global', name: 'it-proxy' }))!, [{ field: 'urlMap', from: 'a', to: 'b' }], rid());
    expect(String((await cloud.get({ kind: 'targetHttpProxy', scope: 'global', name: 'it-proxy' }))?.body.urlMap)).toMatch(/urlMaps\/it-um2$/);

    const fr = desired('forwardingRule', 'it-fr', { loadBalancingScheme: 'EXTERNAL_MANAGED', portRange: '80', target: ref('targetHttpProxies', 'it-proxy'), labels: { 'serverless-lb': 'it', env: 'test' } });
    await cloud.update(fr, (await cloud.get({ kind: 'forwardingRule', scope: 'global', name: 'it-fr' }))!, [{ field: 'labels.env', from: undefined, to: 'test' }], rid());
    expect((await cloud.get({ kind: 'forwardingRule', scope: 'global', name: 'it-fr' }))?.body.labels).toEqual({ 'serverless-lb': 'it', env: 'test' });

    // Deletes in order.
    for (const [kind, name, scope] of [
      ['forwardingRule', 'it-fr', 'global'],
      ['targetHttpProxy', 'it-proxy', 'global'],
      ['urlMap', 'it-um', 'global'],
      ['urlMap', 'it-um2', 'global'],
      ['backendService', 'it-bs', 'global'],
      ['networkEndpointGroup', 'it-neg', region],
    ] as Array<[ResourceKind, string, Scope]>) {
      await cloud.delete({ kind, scope, name }, rid());
    }
    const notFound = await cloud.delete({ kind: 'urlMap', scope: 'global', name: 'it-um' }, rid()).catch((e: unknown) => e);
    expect(notFound).toMatchObject({ reason: 'notFound', status: 404 });
  }, 30_000);

  it('security policy rules: add, patch, remove', async () => {
    const base = { type: 'CLOUD_ARMOR' };
    const rule = (priority: number, action: string, ranges: string[]) => ({ priority, action, match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ranges } } });
    const p = desired('securityPolicy', 'it-rules', { ...base, rules: [rule(1000, 'deny(403)', ['198.51.100.0/24']), rule(2000, 'allow', ['203.0.113.0/24']), rule(2147483647, 'allow', ['*'])] });
    await cloud.insert(p, rid());
    const next = desired('securityPolicy', 'it-rules', { ...base, rules: [rule(1000, 'deny(404)', ['198.51.100.0/24']), rule(3000, 'allow', ['192.0.2.0/24']), rule(2147483647, 'allow', ['*'])] });
    await cloud.update(next, (await cloud.get({ kind: 'securityPolicy', scope: 'global', name: 'it-rules' }))!, [{ field: 'rules', from: [], to: [] }], rid());
    const rules = ((await cloud.get({ kind: 'securityPolicy', scope: 'global', name: 'it-rules' }))?.body.rules ?? []) as Array<{ priority: number; action: string }>;
    expect(rules.map((r) => [Number(r.priority), r.action]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1000, 'deny(404)'],
      [3000, 'allow'],
      [2147483647, 'allow'],
    ]);
  });

  it('a failing operation is a CloudError with its reason; a transient one is retryable', async () => {
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ method: 'POST', path: '/compute/v1/projects/*/global/sslCertificates', operationError: { code: 'QUOTA_EXCEEDED', message: "Quota 'SSL_CERTIFICATES' exceeded.  Limit: 0.0 globally.", httpErrorStatusCode: 403 }, times: 1 }] }),
    });
    const cert = desired('sslCertificate', 'it-cert', { type: 'MANAGED', managed: { domains: ['it.example.com'] } });
    const e = await cloud.insert(cert, rid()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CloudError);
    expect(e).toMatchObject({ reason: 'quotaExceeded', fromOperation: true, retryable: false });
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ method: 'GET', path: '/compute/v1/projects/*/global/sslCertificates/*', status: 503, times: 1 }] }),
    });
    const t = await cloud.get({ kind: 'sslCertificate', scope: 'global', name: 'it-cert' }).catch((x: unknown) => x);
    expect(t).toMatchObject({ status: 503, retryable: true });
    await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('Cloud Run ingress: each load balancer records its need, the service serves all, the original comes back with the last', async () => {
    const before = await cloud.getRunService('europe-west1', 'web');
    expect(before?.ingress).toBe('INGRESS_TRAFFIC_ALL');
    const external = desired('cloudRunIngress', 'web', { ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' }, 'regions/europe-west1');
    const internal = { ...external, body: { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' } };
    const ref = { kind: 'cloudRunIngress' as const, scope: 'regions/europe-west1' as const, name: 'web' };
    await cloud.insert(external, rid(), { owner: 'it-lb' });
    const after = await cloud.get(ref);
    expect(after?.body).toEqual({
      ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      annotations: expect.objectContaining({ 'serverless-lb/ingress': '{"it-lb":"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"}', 'serverless-lb/previous-ingress': 'INGRESS_TRAFFIC_ALL' }),
    });
    const patches = (await requestLog()).filter((r) => r.method === 'PATCH' && r.path.includes('/services/web'));
    expect(patches).toHaveLength(1);
    // An internal load balancer joins: the service keeps the wider ingress both need.
    await cloud.insert(internal, rid(), { owner: 'it-internal' });
    expect((await cloud.getRunService('europe-west1', 'web'))?.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    // The external one leaves: the internal one's need is what remains.
    await cloud.delete(ref, rid(), { owner: 'it-lb' });
    const narrowed = await cloud.getRunService('europe-west1', 'web');
    expect(narrowed?.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(narrowed?.annotations['serverless-lb/ingress']).toBe('{"it-internal":"INGRESS_TRAFFIC_INTERNAL_ONLY"}');
    await cloud.delete(ref, rid(), { owner: 'it-internal' });
    const restored = await cloud.getRunService('europe-west1', 'web');
    expect(restored?.ingress).toBe('INGRESS_TRAFFIC_ALL');
    expect(Object.keys(restored?.annotations ?? {}).filter((k) => k.startsWith('serverless-lb/'))).toEqual([]);
    const again = await cloud.delete(ref, rid(), { owner: 'it-internal' }).catch((x: unknown) => x);
    expect(again).toMatchObject({ reason: 'notFound' });
  });

  it('Cloud Run ingress: an update computed from a stale read is refused as a conflict (the etag travels)', async () => {
    const stale = (await cloud.getRunService('europe-west1', 'web'))!;
    await cloud.insert(desired('cloudRunIngress', 'web', { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' }, 'regions/europe-west1'), rid(), { owner: 'it-first' });
    const calls = (cloud as unknown as { services(o: unknown): { updateRunService(u: unknown, c: unknown): Promise<void> } }).services({ owner: 'it-second' });
    const late = await calls.updateRunService({ region: 'europe-west1', service: 'web', ingress: 'INGRESS_TRAFFIC_ALL' }, stale).catch((x: unknown) => x);
    expect(late).toMatchObject({ reason: 'conflict' });
    await cloud.delete({ kind: 'cloudRunIngress', scope: 'regions/europe-west1', name: 'web' }, rid(), { owner: 'it-first' });
  });

  it('Cloud DNS record sets: create, get, patch, list, delete', async () => {
    const rec = desired('dnsRecordSet', 'it.example.com.', { name: 'it.example.com.', type: 'A', ttl: 300, rrdatas: ['203.0.113.10'] }, 'global', { zone: 'example-com' });
    await cloud.insert(rec, rid());
    const got = await cloud.get({ kind: 'dnsRecordSet', scope: 'global', name: 'it.example.com.', zone: 'example-com', recordType: 'A' });
    expect(got?.body).toMatchObject({ name: 'it.example.com.', type: 'A', rrdatas: ['203.0.113.10'] });
    await cloud.update({ ...rec, body: { ...rec.body, rrdatas: ['203.0.113.11'] } }, got!, [{ field: 'rrdatas', from: [], to: [] }], rid());
    const listed = await cloud.list('dnsRecordSet', 'global', { zone: 'example-com' });
    expect(listed.find((r) => r.name === 'it.example.com.')?.body.rrdatas).toEqual(['203.0.113.11']);
    await cloud.delete({ kind: 'dnsRecordSet', scope: 'global', name: 'it.example.com.', zone: 'example-com', recordType: 'A' }, rid());
    expect(await cloud.get({ kind: 'dnsRecordSet', scope: 'global', name: 'it.example.com.', zone: 'example-com' })).toBeUndefined();
  });

  it('Cloud DNS managed zones: lists the seeded public zone', async () => {
    const zones = await cloud.listManagedZones();
    expect(zones).toContainEqual({ name: 'example-com', dnsName: 'example.com.', visibility: 'public' });
  });

  it('preflight reads: regions, quotas, subnetworks, serverless targets', async () => {
    expect((await cloud.getRegion('europe-west1'))?.status).toBe('UP');
    expect(await cloud.getRegion('nowhere-north9')).toBeUndefined();
    expect((await cloud.getProjectQuotas()).map((q) => q.metric)).toContain('BACKEND_SERVICES');
    const subnets = await cloud.listSubnetworks('europe-west1');
    expect(subnets.find((s) => s.purpose === 'REGIONAL_MANAGED_PROXY')).toMatchObject({ name: 'proxy-only-europe-west1', role: 'ACTIVE' });
    expect(await cloud.serverlessTargetExists({ type: 'cloudRun', region: 'europe-west1', service: 'web' })).toBe(true);
    expect(await cloud.serverlessTargetExists({ type: 'cloudRun', region: 'europe-west1', service: 'nope' })).toBe(false);
    expect(await cloud.serverlessTargetExists({ type: 'cloudFunction', region: 'us-central1', name: 'legacy-fn' })).toBe(true);
    expect(await cloud.serverlessTargetExists({ type: 'apiGateway', region: 'europe-west1', gateway: 'demo-gateway' })).toBe(true);
    expect(await cloud.serverlessTargetExists({ type: 'appEngine', service: 'admin', version: 'v9' })).toBe(false);
  });
});

describe('apply, re-apply and teardown of docs/examples/global-external.yaml', () => {
  it('creates everything, then changes nothing, then removes everything it owns', async () => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    const spec = specSchema.parse(parseYaml(readFileSync(new URL('../../docs/examples/global-external.yaml', import.meta.url), 'utf8')));
    const graph = buildDesiredGraph(spec);

    const pre = await preflight(graph, cloud);
    expect(pre.quotas.find((q) => q.metric === 'BACKEND_SERVICES')).toMatchObject({ ok: true });
    expect(pre.problems).toEqual([]);

    const plan1 = diffPlan(graph, await readObservedState(graph, cloud));
    expect(plan1.summary.create).toBeGreaterThan(5);
    const report1 = await applyPlan(plan1, cloud, { retry: { baseDelayMs: 50 } });
    expect(report1.steps.filter((s) => s.state !== 'done')).toEqual([]);

    // Re-apply: the plan is all noop and makes no mutating call.
    const seq = await lastSeq();
    const observed2 = await readObservedState(graph, cloud);
    const plan2 = diffPlan(graph, observed2);
    expect(plan2.steps.filter((s) => s.action !== 'noop').map((s) => `${s.action} ${s.id}: ${s.reason} ${JSON.stringify(s.changes)}`)).toEqual([]);
    const report2 = await applyPlan(plan2, cloud);
    expect(report2.ok).toBe(true);
    expect(report2.mutatingCalls).toBe(0);
    const writes = (await requestLog(seq)).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);

    // Teardown: everything owned goes, Cloud Run ingress is restored.
    const owned = await findOwnedResources(cloud, spec.name, ['europe-west1'], { dnsZone: 'example-com' });
    expect(owned.size).toBeGreaterThan(5);
    const down = teardownPlan(owned, spec.name, { project: PROJECT });
    const report3 = await applyTeardown(down, cloud, { observed: owned });
    expect(report3.steps.filter((s) => s.state !== 'done')).toEqual([]);
    expect((await findOwnedResources(cloud, spec.name, ['europe-west1'], { dnsZone: 'example-com' })).size).toBe(0);
    expect((await cloud.getRunService('europe-west1', 'web'))?.ingress).toBe('INGRESS_TRAFFIC_ALL');
    expect(await cloud.get({ kind: 'address', scope: 'global', name: 'reserved-ip' })).toBeDefined();
  }, 60_000);
});
