import { describe, expect, it } from 'vitest';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { assertAcyclic, diffPlan, PlanCycleError, teardownPlan } from '../../src/plan/diff.js';
import { offlinePlan } from '../../src/plan/offline-plan.js';
import type { ObservedResource, Plan, PlanStep } from '../../src/model/resource-model.js';
import { observedOf, observedState, spec, byId } from './fixtures.js';

const API = 'https://www.googleapis.com/compute/v1/projects/my-project';

const baseInput = {
  backends: [{ name: 'web', cloudRun: { service: 'web' } }],
  frontend: { protocol: 'https-redirect' as const, domains: ['shop.example.com'] },
  certificate: { type: 'managed' as const },
  dns: { managedZone: 'zone' },
};

function step(plan: Plan, id: string): PlanStep {
  const s = plan.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}; have ${plan.steps.map((x) => `${x.action} ${x.id}`).join(', ')}`);
  return s;
}

/** Asserts `before` comes before `after` in the plan order and that `after` waits for it (directly or through others). */
function expectOrdered(plan: Plan, before: string, after: string): void {
  const ids = plan.steps.map((s) => s.id);
  expect(ids.indexOf(before), `${before} in plan`).toBeGreaterThanOrEqual(0);
  expect(ids.indexOf(after), `${after} in plan`).toBeGreaterThanOrEqual(0);
  expect(ids.indexOf(before), `${before} before ${after}`).toBeLessThan(ids.indexOf(after));
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const reach = (from: string, seen = new Set<string>()): boolean => {
    if (from === before) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return byId.get(from)!.dependsOn.some((d) => reach(d, seen));
  };
  expect(reach(after), `${after} waits for ${before}`).toBe(true);
}

function expectValidPlan(plan: Plan): void {
  assertAcyclic(plan.steps);
  const seen = new Set<string>();
  for (const s of plan.steps) {
    for (const d of s.dependsOn) expect(seen.has(d), `${s.id} listed after ${d}`).toBe(true);
    seen.add(s.id);
  }
  const counts = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const s of plan.steps) counts[s.action]++;
  expect(plan.summary).toEqual(counts);
}

describe('diffPlan', () => {
  const graph = buildDesiredGraph(spec(baseInput));

  it('creates everything when nothing exists', () => {
    const plan = diffPlan(graph, new Map());
    expectValidPlan(plan);
    expect(plan.steps.map((s) => s.id)).toEqual(graph.resources.map((r) => r.id));
    expect(plan.steps.every((s) => s.action === 'create')).toBe(true);
    expect(step(plan, 'forwardingRule:global:shop-https-fr').dependsOn).toEqual(['targetHttpsProxy:global:shop-https-proxy', 'address:global:shop-ip']);
    // Online, a Cloud Run service that cannot be read blocks the plan.
    expect(plan.blockers.map((b) => b.id)).toEqual(['cloudRunIngress:regions/europe-west1:web']);
  });

  it('plans offline with no blockers: every managed resource is a create', () => {
    const plan = offlinePlan(spec({ ...baseInput, frontend: { ...baseInput.frontend, address: { mode: 'existing', name: 'my-ip' } } as never }));
    expectValidPlan(plan);
    expect(plan.blockers).toEqual([]);
    expect(step(plan, 'address:global:my-ip').action).toBe('noop');
    expect(plan.steps.filter((s) => s.action !== 'create').map((s) => s.id)).toEqual(['address:global:my-ip']);
    expect(plan.summary.create).toBe(plan.steps.length - 1);
  });

  it('does nothing when everything exists, is owned and matches what the API returns', () => {
    const plan = diffPlan(graph, observedState(graph));
    expectValidPlan(plan);
    expect(plan.blockers).toEqual([]);
    expect(plan.steps.filter((s) => s.action !== 'noop').map((s) => `${s.action} ${s.id} ${JSON.stringify(s.changes)}`)).toEqual([]);
    expect(plan.summary.noop).toBe(graph.resources.length);
  });

  it('matches every LB type when applied faithfully', () => {
    const specs = [
      spec({ type: 'classic', backends: [{ name: 'fn', cloudFunction: { function: 'f' } }], frontend: { protocol: 'http' } }),
      spec({
        type: 'regional-internal',
        backends: [{ name: 'api', cloudRun: { service: 'api' } }],
        frontend: { protocol: 'https', network: { network: 'vpc', proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.0.0.0/23' } } } } as never,
        certificate: { type: 'self-managed', certificateFile: 'c.pem', privateKeyFile: 'k.pem' },
        options: { cloudArmor: { rules: [{ priority: 10, action: 'deny(403)', srcIpRanges: ['1.2.3.4/32'] }] } } as never,
      }),
      spec({
        type: 'cross-region-internal',
        regions: ['europe-west1', 'us-east1'],
        backends: [{ name: 'api', cloudRun: { service: 'api' } }],
        frontend: { protocol: 'http', domains: ['api.internal'] },
        dns: { managedZone: 'z' },
      }),
    ];
    for (const s of specs) {
      const g = buildDesiredGraph(s);
      const plan = diffPlan(g, observedState(g));
      expect(plan.steps.filter((x) => x.action !== 'noop').map((x) => `${x.action} ${x.id} ${JSON.stringify(x.changes)}`), s.type).toEqual([]);
      expect(plan.blockers).toEqual([]);
    }
  });

  it('updates drifted resources with the changed fields', () => {
    const observed = observedState(graph);
    const bs = observed.get('backendService:global:shop-web-bs')!;
    bs.body = { ...bs.body, logConfig: { enable: true, sampleRate: 0.5 }, securityPolicy: `${API}/global/securityPolicies/someone-elses` };
    const map = observed.get('urlMap:global:shop-urlmap')!;
    map.body = { ...map.body, defaultService: `${API}/global/backendServices/old-bs` };
    const ingress = observed.get('cloudRunIngress:regions/europe-west1:web')!;
    ingress.body = { ingress: 'INGRESS_TRAFFIC_ALL' };

    const plan = diffPlan(graph, observed);
    expectValidPlan(plan);
    const bsStep = step(plan, 'backendService:global:shop-web-bs');
    expect(bsStep.action).toBe('update');
    expect(bsStep.changes).toEqual([
      { field: 'logConfig.sampleRate', from: 0.5, to: 1 },
      { field: 'securityPolicy', from: `${API}/global/securityPolicies/someone-elses`, to: null },
    ]);
    const mapStep = step(plan, 'urlMap:global:shop-urlmap');
    expect(mapStep.action).toBe('update');
    expect(mapStep.changes).toEqual([{ field: 'defaultService', from: `${API}/global/backendServices/old-bs`, to: 'projects/my-project/global/backendServices/shop-web-bs' }]);
    expect(step(plan, 'cloudRunIngress:regions/europe-west1:web')).toMatchObject({
      action: 'update',
      changes: [{ field: 'ingress', from: 'INGRESS_TRAFFIC_ALL', to: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' }],
    });
    expect(plan.summary).toMatchObject({ update: 3, create: 0, delete: 0 });
  });

  it('moves a NEG whose target changed to its alternate name: create, repoint, then delete the old one', () => {
    const before = buildDesiredGraph(spec(baseInput));
    const after = buildDesiredGraph(spec({ ...baseInput, backends: [{ name: 'web', cloudRun: { service: 'web-v2' } }] }));
    const plan = diffPlan(after, observedState(before));
    expectValidPlan(plan);
    const oldNeg = 'networkEndpointGroup:regions/europe-west1:shop-web-neg-europe-west1';
    const newNeg = 'networkEndpointGroup:regions/europe-west1:shop-web-neg-europe-west1-b';
    expect(step(plan, newNeg)).toMatchObject({ action: 'create' });
    expect(step(plan, newNeg).resource!.body.cloudRun).toEqual({ service: 'web-v2' });
    const bs = step(plan, 'backendService:global:shop-web-bs');
    expect(bs.action).toBe('update');
    expect(bs.resource!.body.backends).toEqual([{ group: 'projects/my-project/regions/europe-west1/networkEndpointGroups/shop-web-neg-europe-west1-b' }]);
    expect(bs.dependsOn).toContain(newNeg);
    expect(step(plan, oldNeg)).toMatchObject({ action: 'delete' });
    expectOrdered(plan, newNeg, 'backendService:global:shop-web-bs');
    expectOrdered(plan, 'backendService:global:shop-web-bs', oldNeg);
    // The new service gets its ingress; the old one keeps the mark and is restored.
    expect(step(plan, 'cloudRunIngress:regions/europe-west1:web')).toMatchObject({ action: 'delete' });
    expect(plan.blockers.map((b) => b.id)).toEqual(['cloudRunIngress:regions/europe-west1:web-v2']);

    // Re-running after that apply is stable: the alternate name is adopted.
    const applied = observedState(after);
    applied.delete(oldNeg);
    const moved = { ...observedOf(byId(after, oldNeg), after), id: newNeg, name: 'shop-web-neg-europe-west1-b' };
    moved.body = { ...moved.body, name: 'shop-web-neg-europe-west1-b' };
    applied.set(newNeg, moved);
    const bsObs = applied.get('backendService:global:shop-web-bs')!;
    bsObs.body = { ...bsObs.body, backends: [{ group: `${API}/regions/europe-west1/networkEndpointGroups/shop-web-neg-europe-west1-b`, balancingMode: 'UTILIZATION' }] };
    const rerun = diffPlan(after, applied);
    expect(rerun.steps.filter((s) => s.action !== 'noop').map((s) => `${s.action} ${s.id}`)).toEqual([]);
    expect(step(rerun, newNeg).action).toBe('noop');
  });

  it('adds a domain to a live managed certificate with overlap: the old one keeps serving until the new one is ACTIVE', () => {
    const before = buildDesiredGraph(spec(baseInput));
    const after = buildDesiredGraph(spec({ ...baseInput, frontend: { ...baseInput.frontend, domains: ['shop.example.com', 'www.example.com'] } }));
    const live = observedState(before);
    const oldCert = 'sslCertificate:global:shop-cert';
    const newCert = 'sslCertificate:global:shop-cert-b';
    const proxy = 'targetHttpsProxy:global:shop-https-proxy';
    live.get(oldCert)!.body.managed = { domains: ['shop.example.com'], status: 'ACTIVE' };

    // 1. The new certificate is made and attached beside the old one; the old one is kept.
    const first = diffPlan(after, live);
    expectValidPlan(first);
    expect(step(first, newCert).action).toBe('create');
    expect(step(first, proxy).action).toBe('update');
    expect((step(first, proxy).resource!.body.sslCertificates as string[]).map((r) => r.replace(/^https:\/\/www\.googleapis\.com\/compute\/v1\//, ''))).toEqual(['projects/my-project/global/sslCertificates/shop-cert-b', 'projects/my-project/global/sslCertificates/shop-cert']);
    expect(step(first, oldCert)).toMatchObject({ action: 'noop', pending: { waitsFor: newCert } });
    expect(first.steps.some((x) => x.action === 'delete')).toBe(false);

    // 2. Applied; the new one is PROVISIONING: nothing to do but wait.
    const provisioning = observedState(before);
    provisioning.get(oldCert)!.body.managed = { domains: ['shop.example.com'], status: 'ACTIVE' };
    const created = observedOf(step(first, newCert).resource!, after);
    provisioning.set(newCert, { ...created, body: { ...created.body, managed: { domains: ['shop.example.com', 'www.example.com'], status: 'PROVISIONING' } } });
    provisioning.get(proxy)!.body.sslCertificates = [`${API}/global/sslCertificates/shop-cert-b`, `${API}/global/sslCertificates/shop-cert`];
    const waiting = diffPlan(after, provisioning);
    expect(waiting.steps.filter((x) => x.action !== 'noop' && !x.id.startsWith('dnsRecordSet')).map((x) => `${x.action} ${x.id}`)).toEqual([]);
    expect(step(waiting, oldCert).pending?.reason).toMatch(/until shop-cert-b is ACTIVE/);

    // 3. ACTIVE: the proxy lets go of the old one, which is then deleted.
    provisioning.get(newCert)!.body.managed = { domains: ['shop.example.com', 'www.example.com'], status: 'ACTIVE' };
    const finish = diffPlan(after, provisioning);
    expectValidPlan(finish);
    expect(step(finish, proxy).resource!.body.sslCertificates).toEqual(['projects/my-project/global/sslCertificates/shop-cert-b']);
    expect(step(finish, oldCert).action).toBe('delete');
    expectOrdered(finish, proxy, oldCert);
  });

  it('swaps at once when the old certificate never served (it was still PROVISIONING)', () => {
    const before = buildDesiredGraph(spec(baseInput));
    const after = buildDesiredGraph(spec({ ...baseInput, frontend: { ...baseInput.frontend, domains: ['shop.example.com', 'www.example.com'] } }));
    const live = observedState(before);
    live.get('sslCertificate:global:shop-cert')!.body.managed = { domains: ['shop.example.com'], status: 'PROVISIONING' };
    const plan = diffPlan(after, live);
    expect(step(plan, 'sslCertificate:global:shop-cert').action).toBe('delete');
    expect(step(plan, 'targetHttpsProxy:global:shop-https-proxy').resource!.body.sslCertificates).toEqual(['projects/my-project/global/sslCertificates/shop-cert-b']);
  });

  it('classic -> global external: refused without the migration; the migration stages are updates; the end changes the schemes in place', () => {
    const classicInput = { ...baseInput, type: 'classic' as const, frontend: { protocol: 'https' as const, domains: ['shop.example.com'] } };
    const classic = buildDesiredGraph(spec(classicInput));
    const live = observedState(classic);
    // Straight to global external: a blocker that names the migration, nothing replaced.
    const straight = diffPlan(buildDesiredGraph(spec({ ...classicInput, type: 'global-external' })), live);
    expect(straight.blockers.map((b) => b.message).join(' ')).toMatch(/Google's staged migration/);
    expect(straight.blockers.map((b) => b.hint).join(' ')).toMatch(/migration\.trafficPercent/);
    // A stage: the backend services are updated, nothing else.
    const half = diffPlan(buildDesiredGraph(spec({ ...classicInput, migration: { trafficPercent: 50 } })), live);
    expect(half.blockers).toEqual([]);
    expect(half.steps.filter((x) => x.action !== 'noop').map((x) => `${x.action} ${x.id}`)).toEqual(['update backendService:global:shop-web-bs']);
    expect(step(half, 'backendService:global:shop-web-bs').resource!.body).toMatchObject({ externalManagedMigrationState: 'TEST_BY_PERCENTAGE', externalManagedMigrationTestingPercentage: 50 });
    // The end: from TEST_ALL_TRAFFIC, the schemes change in place (same forwarding rule, same IP).
    const all = observedState(buildDesiredGraph(spec({ ...classicInput, migration: { trafficPercent: 100 } })));
    const end = diffPlan(buildDesiredGraph(spec({ ...classicInput, type: 'global-external', migration: { trafficPercent: 100 } })), all);
    expect(end.blockers).toEqual([]);
    expect(step(end, 'backendService:global:shop-web-bs').action).toBe('update');
    expect(step(end, 'forwardingRule:global:shop-https-fr').action).toBe('update');
    expect(end.steps.some((x) => x.action === 'replace' || x.action === 'delete' || x.disruption)).toBe(false);
    expectOrdered(end, 'backendService:global:shop-web-bs', 'forwardingRule:global:shop-https-fr');
  });

  it('replaces a forwarding rule whose port changed (nothing references it)', () => {
    const before = buildDesiredGraph(spec(baseInput));
    const after = buildDesiredGraph(spec({ ...baseInput, frontend: { ...baseInput.frontend, port: 8443 } }));
    const plan = diffPlan(after, observedState(before));
    expectValidPlan(plan);
    const fr = step(plan, 'forwardingRule:global:shop-https-fr');
    expect(fr.action).toBe('replace');
    expect(fr.changes).toEqual([{ field: 'portRange', from: '443-443', to: '8443' }]);
    expect(plan.steps.filter((s) => s.action !== 'noop').map((s) => s.id)).toEqual(['forwardingRule:global:shop-https-fr']);
  });

  it('moves an address that must change, replaces the forwarding rules on it, then releases the old address', () => {
    const before = buildDesiredGraph(spec(baseInput));
    const after = buildDesiredGraph(spec({ ...baseInput, frontend: { ...baseInput.frontend, address: { mode: 'reserve', ipVersion: 'IPV6' } } as never }));
    const plan = diffPlan(after, observedState(before));
    expectValidPlan(plan);
    expect(step(plan, 'address:global:shop-ip-b').action).toBe('create');
    expect(step(plan, 'forwardingRule:global:shop-https-fr').action).toBe('replace');
    expect(step(plan, 'forwardingRule:global:shop-http-fr').action).toBe('replace');
    expect(step(plan, 'address:global:shop-ip').action).toBe('delete');
    expectOrdered(plan, 'address:global:shop-ip-b', 'forwardingRule:global:shop-https-fr');
    expectOrdered(plan, 'forwardingRule:global:shop-https-fr', 'address:global:shop-ip');
    expectOrdered(plan, 'forwardingRule:global:shop-http-fr', 'address:global:shop-ip');
    // DNS follows the new address: an AAAA record set is made (a record's type cannot change), the A one goes.
    const aaaa = step(plan, 'dnsRecordSet:global:shop.example.com./AAAA');
    expect(aaaa.action).toBe('create');
    expect(aaaa.resource!.body.rrdatas).toEqual([{ $output: { id: 'address:global:shop-ip-b', field: 'address' } }]);
    expect(step(plan, 'dnsRecordSet:global:shop.example.com.').action).toBe('delete');
    expectOrdered(plan, 'address:global:shop-ip-b', 'dnsRecordSet:global:shop.example.com./AAAA');
  });

  it('keeps what exists and creates the rest when part of the LB exists', () => {
    const full = observedState(graph);
    const partial = new Map([...full].filter(([id]) => id.startsWith('address:') || id.startsWith('networkEndpointGroup:') || id.startsWith('cloudRunIngress:')));
    const plan = diffPlan(graph, partial);
    expectValidPlan(plan);
    expect(plan.steps.filter((s) => s.action === 'noop').map((s) => s.id).sort()).toEqual(
      ['address:global:shop-ip', 'networkEndpointGroup:regions/europe-west1:shop-web-neg-europe-west1', 'cloudRunIngress:regions/europe-west1:web'].sort(),
    );
    expect(plan.summary.create).toBe(graph.resources.length - 3);
    expect(step(plan, 'backendService:global:shop-web-bs').dependsOn).toEqual(['networkEndpointGroup:regions/europe-west1:shop-web-neg-europe-west1']);
  });

  it('tells how to name an unowned address in the way as an existing one', () => {
    const observed = new Map<string, ObservedResource>();
    observed.set('address:global:shop-ip', { id: 'address:global:shop-ip', kind: 'address', name: 'shop-ip', scope: 'global', body: { name: 'shop-ip', address: '34.1.2.3' } });
    const blocker = diffPlan(graph, observed, {}).blockers.find((b) => b.id === 'address:global:shop-ip')!;
    expect(blocker.hint).toMatch(/name it as existing in the config with frontend\.address \(mode: existing, name\)/);
    expect(blocker.hint).toMatch(/delete it if it is left over/);
  });

  it('blocks on a resource in the way that this LB does not own', () => {
    const observed = new Map<string, ObservedResource>();
    observed.set('urlMap:global:shop-urlmap', { id: 'urlMap:global:shop-urlmap', kind: 'urlMap', name: 'shop-urlmap', scope: 'global', body: { name: 'shop-urlmap', description: 'made by hand' } });
    observed.set('backendService:global:shop-web-bs', {
      id: 'backendService:global:shop-web-bs',
      kind: 'backendService',
      name: 'shop-web-bs',
      scope: 'global',
      body: { name: 'shop-web-bs', description: '[serverless-lb:other] backend' },
    });
    const plan = diffPlan(graph, observed, {});
    const ids = plan.blockers.map((b) => b.id);
    expect(ids).toContain('urlMap:global:shop-urlmap');
    expect(ids).toContain('backendService:global:shop-web-bs');
    const mapBlocker = plan.blockers.find((b) => b.id === 'urlMap:global:shop-urlmap')!;
    expect(mapBlocker.message).toMatch(/exists and is not owned by this load balancer/);
    // A URL map cannot be named as existing: the way out is another name or removing it.
    expect(mapBlocker.hint).toMatch(/choose another load balancer name/);
    expect(mapBlocker.hint).not.toMatch(/name it as existing/);
    const bsBlocker = plan.blockers.find((b) => b.id === 'backendService:global:shop-web-bs')!;
    expect(bsBlocker.message).toMatch(/load balancer other/);
    expect(bsBlocker.hint).toMatch(/tear down load balancer other first/);
    // Never touched: no step acts on them, and they are not deleted.
    expect(plan.steps.some((s) => s.id === 'urlMap:global:shop-urlmap')).toBe(false);
    expect(plan.steps.some((s) => s.action === 'delete')).toBe(false);
    expectValidPlan(plan);
  });

  it('blocks when an existing resource named in the config is missing, and accepts it when present', () => {
    const g = buildDesiredGraph(spec({ ...baseInput, certificate: { type: 'existing', names: ['corp-cert'] } }));
    const observed = observedState(g);
    observed.delete('sslCertificate:global:corp-cert');
    const missing = diffPlan(g, observed);
    expect(missing.blockers).toEqual([
      { id: 'sslCertificate:global:corp-cert', message: expect.stringMatching(/corp-cert was named in the config but was not found/), hint: expect.any(String) },
    ]);
    const present = diffPlan(g, observedState(g));
    expect(present.blockers).toEqual([]);
    expect(step(present, 'sslCertificate:global:corp-cert')).toMatchObject({ action: 'noop' });
  });

  it('deletes a removed backend after the URL map stops using it', () => {
    const two = buildDesiredGraph(
      spec({
        ...baseInput,
        backends: [
          { name: 'web', cloudRun: { service: 'web' } },
          { name: 'api', cloudRun: { service: 'api' } },
        ],
        routing: { hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }] },
      }),
    );
    const plan = diffPlan(graph, observedState(two));
    expectValidPlan(plan);
    expect(step(plan, 'urlMap:global:shop-urlmap').action).toBe('update');
    expect(step(plan, 'urlMap:global:shop-urlmap').changes.map((c) => c.field)).toEqual(['hostRules', 'pathMatchers']);
    expect(step(plan, 'backendService:global:shop-api-bs').action).toBe('delete');
    expect(step(plan, 'networkEndpointGroup:regions/europe-west1:shop-api-neg-europe-west1').action).toBe('delete');
    expect(step(plan, 'cloudRunIngress:regions/europe-west1:api').action).toBe('delete');
    // The invoker grant made for the removed backend goes too.
    expect(step(plan, 'cloudRunInvoker:regions/europe-west1:api').action).toBe('delete');
    expectOrdered(plan, 'urlMap:global:shop-urlmap', 'backendService:global:shop-api-bs');
    expectOrdered(plan, 'backendService:global:shop-api-bs', 'networkEndpointGroup:regions/europe-west1:shop-api-neg-europe-west1');
    expect(plan.summary).toMatchObject({ update: 1, delete: 4, create: 0 });
  });

  it('adopts a DNS record that points at the LB and blocks one that points elsewhere', () => {
    const observed = observedState(graph);
    const plan = diffPlan(graph, observed);
    expect(step(plan, 'dnsRecordSet:global:shop.example.com.').action).toBe('noop');

    const elsewhere = observedState(graph);
    const rec = elsewhere.get('dnsRecordSet:global:shop.example.com.')!;
    rec.body = { ...rec.body, rrdatas: ['203.0.113.9'] };
    const blocked = diffPlan(graph, elsewhere);
    expect(blocked.blockers.map((b) => b.id)).toEqual(['dnsRecordSet:global:shop.example.com.']);
  });
});

describe('teardownPlan', () => {
  const graph = buildDesiredGraph(
    spec({
      ...baseInput,
      type: 'regional-internal',
      frontend: { ...baseInput.frontend, network: { network: 'vpc', subnet: 'apps', proxyOnlySubnet: { mode: 'existing', name: 'proxy' } } } as never,
      certificate: { type: 'self-managed', certificateFile: 'c.pem', privateKeyFile: 'k.pem' },
      options: { cloudArmor: { rules: [] } } as never,
    }),
  );
  const R = 'regions/europe-west1';

  it('deletes every owned resource in reverse dependency order and nothing else', () => {
    const observed = observedState(graph);
    observed.set('urlMap:global:not-ours', { id: 'urlMap:global:not-ours', kind: 'urlMap', name: 'not-ours', scope: 'global', body: { description: 'hand made' } });
    const plan = teardownPlan(observed, 'shop', { project: 'my-project' });
    expectValidPlan(plan);
    expect(plan.blockers).toEqual([]);
    expect(plan.steps.every((s) => s.action === 'delete')).toBe(true);
    const deleted = plan.steps.map((s) => s.id).sort();
    expect(deleted).toEqual(graph.resources.filter((r) => r.managed).map((r) => r.id).sort());
    for (const keep of ['network:global:vpc', `subnetwork:${R}:apps`, `subnetwork:${R}:proxy`, 'urlMap:global:not-ours']) expect(deleted).not.toContain(keep);

    expectOrdered(plan, `cloudRunIngress:${R}:web`, `forwardingRule:${R}:shop-https-fr`);
    expectOrdered(plan, 'dnsRecordSet:global:shop.example.com.', `address:${R}:shop-ip`);
    expectOrdered(plan, `forwardingRule:${R}:shop-https-fr`, `targetHttpsProxy:${R}:shop-https-proxy`);
    expectOrdered(plan, `forwardingRule:${R}:shop-https-fr`, `address:${R}:shop-ip`);
    expectOrdered(plan, `forwardingRule:${R}:shop-http-fr`, `address:${R}:shop-ip`);
    expectOrdered(plan, `targetHttpsProxy:${R}:shop-https-proxy`, `sslCertificate:${R}:shop-cert`);
    expectOrdered(plan, `targetHttpsProxy:${R}:shop-https-proxy`, `urlMap:${R}:shop-urlmap`);
    expectOrdered(plan, `targetHttpProxy:${R}:shop-http-proxy`, `urlMap:${R}:shop-redirect-urlmap`);
    expectOrdered(plan, `urlMap:${R}:shop-urlmap`, `backendService:${R}:shop-web-bs`);
    expectOrdered(plan, `backendService:${R}:shop-web-bs`, `networkEndpointGroup:${R}:shop-web-neg-europe-west1`);
    expectOrdered(plan, `backendService:${R}:shop-web-bs`, `securityPolicy:${R}:shop-armor`);
  });

  it('deletes a proxy-only subnet it created after everything else', () => {
    const g = buildDesiredGraph(
      spec({
        type: 'regional-external',
        backends: [{ name: 'web', cloudRun: { service: 'web' } }],
        frontend: { protocol: 'http', network: { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.0.0.0/23' } } } } as never,
      }),
    );
    const plan = teardownPlan(observedState(g), 'shop');
    expectValidPlan(plan);
    const subnet = `subnetwork:${R}:shop-proxy-only-europe-west1`;
    expect(plan.steps.at(-1)!.id).toBe(subnet);
    for (const s of plan.steps) if (s.id !== subnet) expectOrdered(plan, s.id, subnet);
    expect(plan.steps.some((s) => s.kind === 'network')).toBe(false);
  });

  it('deletes nothing of another load balancer, and keeps what a foreign resource still uses, with what that references', () => {
    const observed = observedState(graph);
    expect(teardownPlan(observed, 'other').steps).toEqual([]);
    observed.set('urlMap:global:foreign', {
      id: 'urlMap:global:foreign',
      kind: 'urlMap',
      name: 'foreign',
      scope: 'global',
      body: { defaultService: `${API}/${R}/backendServices/shop-web-bs`, description: '[serverless-lb:intranet] URL map' },
    });
    const plan = teardownPlan(observed, 'shop');
    expectValidPlan(plan);
    expect(plan.blockers).toEqual([]);
    expect(step(plan, `backendService:${R}:shop-web-bs`)).toMatchObject({ action: 'noop', reason: expect.stringMatching(/^kept: urlMap foreign \(load balancer intranet\) still uses it; `serverless-lb teardown --name shop` removes it once nothing does/) });
    // Its NEG stays with it; the rest goes.
    expect(step(plan, `networkEndpointGroup:${R}:shop-web-neg-europe-west1`)).toMatchObject({ action: 'noop', reason: expect.stringMatching(/^kept: backendService shop-web-bs in europe-west1 is kept and uses it/) });
    expect(plan.steps.filter((s) => s.action === 'delete').length).toBeGreaterThan(2);
  });

  it('keeps a proxy-only subnet whose region still runs another load balancer\'s proxies', () => {
    const g = buildDesiredGraph(
      spec({
        type: 'regional-external',
        backends: [{ name: 'web', cloudRun: { service: 'web' } }],
        frontend: { protocol: 'http', network: { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.0.0.0/23' } } } } as never,
      }),
    );
    const observed = observedState(g);
    const subnet = `subnetwork:${R}:shop-proxy-only-europe-west1`;
    expect(observed.get(subnet)?.body.purpose).toBe('REGIONAL_MANAGED_PROXY');
    observed.set(`forwardingRule:${R}:other-fr`, {
      id: `forwardingRule:${R}:other-fr`,
      kind: 'forwardingRule',
      name: 'other-fr',
      scope: R,
      body: { loadBalancingScheme: 'EXTERNAL_MANAGED', network: `${API}/global/networks/default`, labels: { 'serverless-lb': 'other' } },
    });
    const plan = teardownPlan(observed, 'shop');
    expect(step(plan, subnet)).toMatchObject({ action: 'noop', reason: expect.stringMatching(/^kept: forwardingRule other-fr in europe-west1 \(load balancer other\) still uses it/) });
    // In another network it is not a user.
    observed.set(`forwardingRule:${R}:other-fr`, { ...observed.get(`forwardingRule:${R}:other-fr`)!, body: { loadBalancingScheme: 'EXTERNAL_MANAGED', network: `${API}/global/networks/elsewhere` } });
    expect(step(teardownPlan(observed, 'shop'), subnet).action).toBe('delete');
  });
});

describe('assertAcyclic', () => {
  it('accepts a DAG and rejects cycles and unknown dependencies', () => {
    expect(() => assertAcyclic([{ id: 'a', dependsOn: [] }, { id: 'b', dependsOn: ['a'] }])).not.toThrow();
    expect(() =>
      assertAcyclic([
        { id: 'a', dependsOn: ['c'] },
        { id: 'b', dependsOn: ['a'] },
        { id: 'c', dependsOn: ['b'] },
      ]),
    ).toThrow(PlanCycleError);
    try {
      assertAcyclic([{ id: 'a', dependsOn: ['a'] }]);
    } catch (e) {
      expect((e as PlanCycleError).cycle).toEqual(['a', 'a']);
    }
    expect(() => assertAcyclic([{ id: 'a', dependsOn: ['zzz'] }])).toThrow(/not a step of the plan/);
  });
});
