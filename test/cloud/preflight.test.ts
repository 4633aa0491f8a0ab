import { describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../src/cloud/memory-cloud.js';
import { preflight, preflightError, quotaMetrics } from '../../src/cloud/preflight.js';
import { CloudError, UsageError } from '../../src/errors.js';
import type { DesiredGraph, DesiredResource, Scope } from '../../src/plan/resource-model.js';
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
    expect(preflightError(report)).toBeUndefined();
  });

  it('reports every missing serverless target, not just the first', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, runServices: [web], serverlessTargets: ['cloudFunction:europe-west1/fn-ok'] });
    const fn = (name: string) => res('networkEndpointGroup', `neg-${name}`, { networkEndpointType: 'SERVERLESS', cloudFunction: { function: name } }, [], eu);
    const report = await preflight(g([neg('web'), neg('nope'), fn('fn-ok'), fn('fn-missing')]), cloud);
    expect(report.problems.map((p) => p.code)).toEqual(['preflight.target-missing', 'preflight.target-missing']);
    expect(report.problems.map((p) => p.message).join('\n')).toMatch(/Cloud Run service nope in europe-west1[\s\S]*Cloud Function fn-missing/);
    const err = preflightError(report);
    expect(err).toBeInstanceOf(UsageError);
    expect(err?.exitCode).toBe(2);
    expect(err?.details).toHaveLength(2);
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
    const err = preflightError(report);
    expect(err).toBeInstanceOf(CloudError);
    expect(err?.hint).toMatch(/services enable/);
  });
});
