import { describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../src/cloud/memory-cloud.js';
import { addPreflightBlockers, preflight, quotaMetrics } from '../../src/cloud/preflight.js';
import { CloudError } from '../../src/errors.js';
import type { DesiredGraph, DesiredResource, PlanAction, PlanStep, ResourceKind, Scope } from '../../src/model/resource-model.js';
import { PROJECT, planOf, res, stepOf } from '../apply/plan-fixtures.js';

const eu: Scope = 'regions/europe-west1';
const web = { name: 'web', region: 'europe-west1', ingress: 'INGRESS_TRAFFIC_ALL', annotations: {} };

function g(resources: DesiredResource[]): DesiredGraph {
  return { lbName: 'shop', project: PROJECT, resources };
}
const neg = (service: string) => res('networkEndpointGroup', `neg-${service}`, { networkEndpointType: 'SERVERLESS', cloudRun: { service } }, [], eu);
const proxySubnet = () =>
  res('subnetwork', 'shop-proxy-only', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', network: `projects/${PROJECT}/global/networks/default`, ipCidrRange: '10.129.0.0/23' }, [], eu);

describe('preflight', () => {
  it('passes when everything exists and fits', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, runServices: [web] });
    const report = await preflight(g([neg('web'), res('backendService', 'bs')]), cloud);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const plan = planOf([stepOf(neg('web'))]);
    await addPreflightBlockers(plan, g([neg('web'), res('backendService', 'bs')]), cloud);
    expect(plan.blockers).toEqual([]);
  });

  it('reports every missing serverless target, not just the first', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, runServices: [web], serverlessTargets: ['cloudFunction:europe-west1/fn-ok'] });
    const fn = (name: string) => res('networkEndpointGroup', `neg-${name}`, { networkEndpointType: 'SERVERLESS', cloudFunction: { function: name } }, [], eu);
    const report = await preflight(g([neg('web'), neg('nope'), fn('fn-ok'), fn('fn-missing')]), cloud);
    expect(report.problems.map((p) => p.code)).toEqual(['preflight.target-missing', 'preflight.target-missing']);
    expect(report.problems.map((p) => p.message).join('\n')).toMatch(/Cloud Run service nope in europe-west1[\s\S]*Cloud Function fn-missing/);
    // In a plan, every problem is a blocker naming the resource it concerns.
    const plan = planOf([stepOf(neg('nope'))]);
    await addPreflightBlockers(plan, g([neg('web'), neg('nope'), fn('fn-ok'), fn('fn-missing')]), cloud);
    expect(plan.blockers.map((b) => b.id)).toEqual([neg('nope').id, fn('fn-missing').id]);
  });

  it('blocks creating a second ACTIVE proxy-only subnet and names the one to reuse', async () => {
    const existing = { name: 'proxy-only-eu', region: 'europe-west1', network: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/default`, purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', ipCidrRange: '10.129.0.0/23' };
    const cloud = new MemoryCloud({ project: PROJECT, runServices: [web], subnetworks: [existing] });
    const subnet = proxySubnet();
    const report = await preflight(g([subnet, neg('web')]), cloud, planOf([stepOf(subnet), stepOf(neg('web'))]));
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ code: 'preflight.proxy-only-subnet-exists', id: subnet.id });
    expect(report.problems[0]!.hint).toMatch(/proxy-only-eu/);
    expect(report.blockers).toHaveLength(1);
    expect(report.proxyOnlySubnets.map((s) => s.name)).toEqual(['proxy-only-eu']);

    // A plan that does not create it (noop: it is ours already) passes.
    const ok = await preflight(g([subnet]), new MemoryCloud({ project: PROJECT, subnetworks: [] }), planOf([stepOf(subnet, 'noop')]));
    expect(ok.ok).toBe(true);
  });

  it('an existing proxy-only subnet named in the config must be there and ACTIVE', async () => {
    const named = { ...res('subnetwork', 'my-proxy', {}, [], eu), managed: false, purpose: 'existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1' };
    const report = await preflight(g([named]), new MemoryCloud({ project: PROJECT }));
    expect(report.problems[0]?.code).toBe('preflight.proxy-only-subnet-missing');
  });

  it('a proxy-only subnet the config uses without naming it must be ACTIVE in every region the proxies need', async () => {
    const network = `projects/${PROJECT}/global/networks/default`;
    const subnet = (region: string) => `projects/${PROJECT}/regions/${region}/subnetworks/default`;
    // Cross-region internal: global rules, one per region, each needing a GLOBAL_MANAGED_PROXY subnet.
    const rules = ['europe-west1', 'us-central1'].map((region) =>
      res('forwardingRule', `shop-fr-${region}`, { loadBalancingScheme: 'INTERNAL_MANAGED', network, subnetwork: subnet(region) }),
    );
    const onlyEu = { name: 'proxy-eu', region: 'europe-west1', network: `https://www.googleapis.com/compute/v1/${network}`, purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE', ipCidrRange: '10.130.0.0/23' };
    const report = await preflight(g(rules), new MemoryCloud({ project: PROJECT, subnetworks: [onlyEu] }));
    expect(report.problems.map((p) => p.code)).toEqual(['preflight.proxy-only-subnet-missing']);
    expect(report.problems[0]!.message).toMatch(/us-central1 has no ACTIVE GLOBAL_MANAGED_PROXY proxy-only subnet/);
    expect(report.problems[0]!.hint).toMatch(/mode: create/);
    // A regional rule needs a REGIONAL_MANAGED_PROXY one in its own region; one of the other purpose does not do.
    const regional = res('forwardingRule', 'shop-fr', { loadBalancingScheme: 'INTERNAL_MANAGED', network, subnetwork: subnet('europe-west1') }, [], eu);
    expect((await preflight(g([regional]), new MemoryCloud({ project: PROJECT, subnetworks: [onlyEu] }))).problems[0]?.code).toBe('preflight.proxy-only-subnet-missing');
    expect((await preflight(g([regional]), new MemoryCloud({ project: PROJECT, subnetworks: [{ ...onlyEu, purpose: 'REGIONAL_MANAGED_PROXY' }] }))).ok).toBe(true);
  });

  it('says which quota would run out', async () => {
    const cloud = new MemoryCloud({
      project: PROJECT,
      runServices: [web],
      projectQuotas: [
        { metric: 'BACKEND_SERVICES', limit: 5, usage: 4 },
        { metric: 'URL_MAPS', limit: 10, usage: 0 },
      ],
    });
    const report = await preflight(g([neg('web'), res('backendService', 'bs1'), res('backendService', 'bs2'), res('urlMap', 'um')]), cloud);
    expect(report.quotas.find((q) => q.metric === 'BACKEND_SERVICES')).toMatchObject({ limit: 5, usage: 4, needed: 2, ok: false });
    expect(report.quotas.find((q) => q.metric === 'URL_MAPS')).toMatchObject({ ok: true, needed: 1 });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.message).toMatch(/BACKEND_SERVICES would run out: limit 5, in use 4, this plan creates 2 more/);
  });

  it('uses region quotas for regional resources', async () => {
    const cloud = new MemoryCloud({
      project: PROJECT,
      runServices: [web],
      regions: [{ name: 'europe-west1', status: 'UP', quotas: [{ metric: 'REGIONAL_EXTERNAL_MANAGED_BACKEND_SERVICES', limit: 1, usage: 1 }] }],
    });
    const bs = res('backendService', 'bs', { loadBalancingScheme: 'EXTERNAL_MANAGED' }, [], eu);
    const report = await preflight(g([neg('web'), bs]), cloud);
    expect(report.problems[0]!.message).toMatch(/REGIONAL_EXTERNAL_MANAGED_BACKEND_SERVICES in europe-west1/);
    expect(quotaMetrics(bs)).toContain('REGIONAL_EXTERNAL_MANAGED_BACKEND_SERVICES');
  });

  it('unknown regions are reported', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, regions: [{ name: 'us-central1', status: 'UP', quotas: [] }] });
    const report = await preflight(g([res('backendService', 'bs', {}, [], eu)]), cloud);
    expect(report.problems.map((p) => p.code)).toContain('preflight.region-unknown');
  });

  it('stops at the first read when credentials or the API fail, with the CloudError', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, accessError: 'accessNotConfigured' });
    const report = await preflight(g([neg('web')]), cloud);
    expect(report.problems).toHaveLength(1);
    expect(cloud.calls).toHaveLength(1);
    // Not the config's problem: the API failure itself is thrown, not a blocker.
    const err = await addPreflightBlockers(planOf([stepOf(neg('web'))]), g([neg('web')]), cloud).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).hint).toMatch(/services enable/);
  });
});

describe('preflight: ranges and references', () => {
  const network = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/default`;
  const us: Scope = 'regions/us-central1';
  const subnets = [
    { name: 'default', region: 'europe-west1', network, purpose: 'PRIVATE', ipCidrRange: '10.132.0.0/20' },
    { name: 'default', region: 'us-central1', network, purpose: 'PRIVATE', ipCidrRange: '10.128.0.0/20' },
  ];
  const proxyOnly = (scope: Scope, name: string, range: string) =>
    res('subnetwork', name, { purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE', network: `projects/${PROJECT}/global/networks/default`, ipCidrRange: range }, [], scope);

  it('refuses a range that overlaps a subnet of the network in another region, and proposes free ones, distinct', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, subnetworks: subnets });
    const eu1 = proxyOnly(eu, 'lb-proxy-eu', '10.128.0.0/23');
    const us1 = proxyOnly(us, 'lb-proxy-us', '10.128.8.0/23');
    const report = await preflight(g([eu1, us1]), cloud);
    expect(report.problems.map((p) => p.code)).toEqual(['preflight.range-overlap', 'preflight.range-overlap']);
    expect(report.problems[0]!.message).toMatch(/10\.128\.0\.0\/23 of subnet lb-proxy-eu \(europe-west1\) overlaps subnet default \(us-central1, 10\.128\.0\.0\/20\)/);
    const proposed = report.problems.map((p) => /such as (\S+) /.exec(p.hint)?.[1]);
    expect(proposed).toEqual(['10.129.0.0/23', '10.129.2.0/23']);
    expect(cloud.mutatingCalls()).toBe(0);
  });

  it('a proxy that needs a proxy-only subnet no one names gets a free range per region in the hint', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, subnetworks: subnets });
    const fr = (region: string) =>
      res('forwardingRule', `lb-fr-${region}`, { loadBalancingScheme: 'INTERNAL_MANAGED', network: `projects/${PROJECT}/global/networks/default`, subnetwork: `projects/${PROJECT}/regions/${region}/subnetworks/default` });
    const report = await preflight(g([fr('europe-west1'), fr('us-central1')]), cloud);
    expect(report.problems.map((p) => p.code)).toEqual(['preflight.proxy-only-subnet-missing', 'preflight.proxy-only-subnet-missing']);
    const ranges = report.problems.map((p) => /ranges: \{[a-z0-9-]+: (\S+)\}/.exec(p.hint)?.[1]);
    expect(new Set(ranges).size).toBe(2);
    expect(ranges).not.toContain(undefined);
  });

  it('a Certificate Manager map the proxy names and the plan does not make must exist, and so must the DNS zone', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, managedZones: [{ name: 'example-com', dnsName: 'example.com.', visibility: 'public' }] });
    const proxy = res('targetHttpsProxy', 'lb-https-proxy', { certificateMap: `//certificatemanager.googleapis.com/projects/${PROJECT}/locations/global/certificateMaps/nope` });
    const record = { ...res('dnsRecordSet', 'www.example.org.', { type: 'A', rrdatas: ['1.2.3.4'] }), zone: 'example-com' };
    const missingZone = { ...res('dnsRecordSet', 'www.example.com.', { type: 'A', rrdatas: ['1.2.3.4'] }), zone: 'no-zone' };
    const report = await preflight(g([proxy, record, missingZone]), cloud);
    expect(report.problems.map((p) => p.code).sort()).toEqual(['preflight.reference-missing', 'preflight.zone-mismatch', 'preflight.zone-missing']);
    expect(report.problems.find((p) => p.code === 'preflight.reference-missing')!.message).toMatch(/certificate map nope \(global\), named in certificate.certificateMap/);
    expect(report.problems.find((p) => p.code === 'preflight.zone-missing')!.hint).toMatch(/example-com: example.com./);
  });
});

describe('preflight: what the caller may do', () => {
  it('names each permission a step needs, from the kind\'s collection and the action', async () => {
    const { stepPermissions } = await import('../../src/cloud/preflight-access.js');
    const perms = (kind: ResourceKind, scope: Scope, action: PlanAction) => stepPermissions(stepOf(res(kind, 'x', {}, [], scope), action), PROJECT);
    expect(perms('address', 'global', 'create')).toEqual(['compute.globalAddresses.create', 'compute.globalAddresses.setLabels']);
    expect(perms('networkEndpointGroup', eu, 'replace')).toEqual(['compute.regionNetworkEndpointGroups.create', 'compute.regionNetworkEndpointGroups.delete']);
    expect(perms('forwardingRule', 'global', 'delete')).toEqual(['compute.globalForwardingRules.delete']);
    expect(perms('certificateMapEntry', 'global', 'update')).toEqual(['certificatemanager.certmapentries.update']);
    expect(perms('cloudRunIngress', eu, 'update')).toEqual(['run.services.update']);
    expect(perms('urlMap', 'global', 'noop')).toEqual([]);
  });

  it('names well-formed permissions for every kind the plan can hold, in a scope the kind lives in', async () => {
    const { stepPermissions } = await import('../../src/cloud/preflight-access.js');
    const { KIND_ORDER } = await import('../../src/kinds/registry.js');
    const perms = (kind: ResourceKind, scope: Scope, action: PlanAction) => stepPermissions(stepOf(res(kind, 'x', {}, [], scope), action), PROJECT);
    const wellFormed = (found: string[]) => found.length > 0 && found.every((p) => /^[a-z]+\.[a-zA-Z]+\.[a-zA-Z]+$/.test(p));
    const unnamed = KIND_ORDER.filter((kind) => !(['global', eu] as const).some((scope) =>
      (['create', 'update', 'delete'] as const).every((action) => wellFormed(perms(kind, scope, action)))));
    expect(unnamed).toEqual([]);
    expect(perms('serverTlsPolicy', 'global', 'create')).toEqual(['networksecurity.serverTlsPolicies.create']);
    expect(perms('trustConfig', 'global', 'delete')).toEqual(['certificatemanager.trustconfigs.delete']);
    expect(perms('cloudRunDefaultUrl', eu, 'update')).toEqual(['run.services.update']);
    expect(perms('cloudRunInvoker', eu, 'create')).toEqual(['run.services.getIamPolicy', 'run.services.setIamPolicy', 'run.services.update']);
  });

  it('checks the APIs each kind calls, and leaves a DNS zone in another project to that project', async () => {
    const { stepPermissions } = await import('../../src/cloud/preflight-access.js');
    const record = res('dnsRecordSet', 'www.example.com.', { type: 'A', rrdatas: ['192.0.2.1'] });
    const elsewhere = { ...record, project: 'dns-project' };
    expect(stepPermissions(stepOf(record), PROJECT)).toEqual(['dns.changes.create', 'dns.resourceRecordSets.list', 'dns.resourceRecordSets.create']);
    expect(stepPermissions(stepOf(elsewhere), PROJECT)).toEqual([]);

    const offApis = async (steps: PlanStep[], disabledApis: string[]) => {
      const cloud = new MemoryCloud({ project: PROJECT, runServices: [web], disabledApis });
      const report = await preflight(g(steps.flatMap((s) => (s.resource ? [s.resource] : []))), cloud, planOf(steps));
      return report.problems.filter((p) => p.code === 'preflight.api-disabled').map((p) => p.message).join('\n');
    };
    const all = ['dns.googleapis.com', 'iap.googleapis.com', 'networksecurity.googleapis.com', 'run.googleapis.com', 'certificatemanager.googleapis.com'];
    // Nothing but Compute Engine: a plain backend service calls none of the others.
    expect(await offApis([stepOf(res('backendService', 'bs'))], all)).toBe('');
    expect(await offApis([stepOf(res('backendService', 'bs', { iap: { enabled: true } }))], all)).toMatch(/Identity-Aware Proxy API \(iap\.googleapis\.com\) is not enabled/);
    expect(await offApis([stepOf(res('serverTlsPolicy', 'mtls'))], all)).toMatch(/Network Security API/);
    expect(await offApis([stepOf(res('trustConfig', 'trust'))], all)).toMatch(/Certificate Manager API/);
    expect(await offApis([stepOf(res('cloudRunDefaultUrl', 'web', {}, [], eu))], all)).toMatch(/Cloud Run Admin API/);
    expect(await offApis([stepOf(record)], all)).toMatch(/Cloud DNS API/);
    expect(await offApis([stepOf(elsewhere)], all)).toBe('');
  });

  it('blocks on a missing permission and an API that is off; a check it cannot make is left out', async () => {
    const subnet = neg('web');
    const plan = planOf([stepOf(subnet), stepOf(res('backendService', 'bs'))]);
    const graph = g([subnet, res('backendService', 'bs')]);
    const denied = await preflight(graph, new MemoryCloud({ project: PROJECT, runServices: [web], deniedPermissions: ['compute.backendServices.create'], disabledApis: ['compute.googleapis.com'] }), plan);
    expect(denied.problems.map((p) => p.code).sort()).toEqual(['preflight.api-disabled', 'preflight.permission-missing']);
    expect(denied.problems.find((p) => p.code === 'preflight.permission-missing')!.message).toMatch(/lacks 1 permission the plan needs in project .*: compute\.backendServices\.create\./);
    const unreadable = new MemoryCloud({ project: PROJECT, runServices: [web], deniedPermissions: ['compute.backendServices.create'] }).fail({ method: 'read', target: 'permissions', reason: 'forbidden' });
    expect((await preflight(graph, unreadable, plan)).problems).toEqual([]);
  });
});
