/**
 * The real @google-cloud/compute clients (REST, pointed at the emulator the way the tool does it)
 * through a full create chain, operation waits, an error path and the teardown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackendServicesClient,
  GlobalAddressesClient,
  GlobalForwardingRulesClient,
  GlobalOperationsClient,
  RegionNetworkEndpointGroupsClient,
  RegionOperationsClient,
  TargetHttpProxiesClient,
  UrlMapsClient,
} from '@google-cloud/compute';
import { GoogleAuth, PassThroughClient } from 'google-auth-library';
import { computeModule } from '../../../src/emulator/compute/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';

const project = 'demo-project';
const region = 'europe-west1';
const RAW = Symbol.for('google-gax.rawHttpResponsePayload');

let em: RunningEmulator;
let opts: Record<string, unknown>;

beforeAll(async () => {
  em = await startEmulator({ opLatencyMs: 30, seed: false }, [computeModule]);
  opts = {
    apiEndpoint: '127.0.0.1',
    port: em.port,
    protocol: 'http',
    fallback: true,
    auth: new GoogleAuth({ authClient: new PassThroughClient(), projectId: project }),
  };
});
afterAll(() => em.close());

type Lro = { latestResponse: { name?: string; status?: unknown; region?: string } };

async function waitGlobal(ops: GlobalOperationsClient, lro: Lro) {
  const [op] = await ops.wait({ project, operation: lro.latestResponse.name! });
  return op;
}

describe('@google-cloud/compute against the emulator', () => {
  it('creates a global external load balancer chain, rejects mistakes with Google reasons, and tears it down', async () => {
    const gops = new GlobalOperationsClient(opts);
    const rops = new RegionOperationsClient(opts);
    const addresses = new GlobalAddressesClient(opts);
    const negs = new RegionNetworkEndpointGroupsClient(opts);
    const backends = new BackendServicesClient(opts);
    const urlMaps = new UrlMapsClient(opts);
    const proxies = new TargetHttpProxiesClient(opts);
    const rules = new GlobalForwardingRulesClient(opts);

    const [addrLro] = await addresses.insert({ project, addressResource: { name: 'lb-ip' }, requestId: '6b3d0c8e-1f1e-4f7e-9a55-5f0f6c0d3a11' });
    expect((addrLro as unknown as Lro).latestResponse.status).toBe('RUNNING');
    const addrOp = await waitGlobal(gops, addrLro as unknown as Lro);
    expect(addrOp.status).toBe('DONE');
    const [address] = await addresses.get({ project, address: 'lb-ip' });
    expect(address.address).toMatch(/^34\./);

    // Same requestId: the same operation, no second address.
    const [again] = await addresses.insert({ project, addressResource: { name: 'lb-ip' }, requestId: '6b3d0c8e-1f1e-4f7e-9a55-5f0f6c0d3a11' });
    expect((again as unknown as Lro).latestResponse.name).toBe((addrLro as unknown as Lro).latestResponse.name);

    const [negLro] = await negs.insert({
      project,
      region,
      networkEndpointGroupResource: { name: 'neg-web', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } },
    });
    const [negOp] = await rops.wait({ project, region, operation: (negLro as unknown as Lro).latestResponse.name! });
    expect(negOp.status).toBe('DONE');
    expect(negOp.error).toBeFalsy();

    const [bsLro] = await backends.insert({
      project,
      backendServiceResource: {
        name: 'bs-web',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        backends: [{ group: `projects/${project}/regions/${region}/networkEndpointGroups/neg-web` }],
      },
    });
    await waitGlobal(gops, bsLro as unknown as Lro);
    const [bs] = await backends.get({ project, backendService: 'bs-web' });
    expect(bs.protocol).toBe('HTTP');
    expect(bs.backends?.[0]?.group).toBe(`https://www.googleapis.com/compute/v1/projects/${project}/regions/${region}/networkEndpointGroups/neg-web`);

    const [umLro] = await urlMaps.insert({ project, urlMapResource: { name: 'um-web', defaultService: bs.selfLink! } });
    await waitGlobal(gops, umLro as unknown as Lro);
    const [tpLro] = await proxies.insert({ project, targetHttpProxyResource: { name: 'tp-web', urlMap: `global/urlMaps/um-web` } });
    await waitGlobal(gops, tpLro as unknown as Lro);
    const [frLro] = await rules.insert({
      project,
      forwardingRuleResource: {
        name: 'fr-http',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        IPAddress: address.selfLink!,
        portRange: '80',
        target: `projects/${project}/global/targetHttpProxies/tp-web`,
      },
    });
    await waitGlobal(gops, frLro as unknown as Lro);
    const [fr] = await rules.get({ project, forwardingRule: 'fr-http' });
    expect(fr.IPAddress).toBe(address.address);
    expect(fr.portRange).toBe('80-80');

    // Error paths: the reason is in the raw payload, as on GCP.
    const dup = await backends.insert({ project, backendServiceResource: { name: 'bs-web', loadBalancingScheme: 'EXTERNAL_MANAGED' } }).catch((e: unknown) => e);
    expect((dup as { code?: number }).code).toBe(10); // gax maps HTTP 409 to ABORTED (10)
    expect(JSON.stringify((dup as Record<symbol, unknown>)[RAW])).toContain('alreadyExists');
    const inUse = await backends.delete({ project, backendService: 'bs-web' }).catch((e: unknown) => e);
    expect((inUse as { httpStatusCode?: number }).httpStatusCode).toBe(400);
    expect(JSON.stringify((inUse as Record<symbol, unknown>)[RAW])).toContain('resourceInUseByAnotherResource');
    const healthChecked = await backends
      .insert({
        project,
        backendServiceResource: {
          name: 'bs-hc',
          loadBalancingScheme: 'EXTERNAL_MANAGED',
          backends: [{ group: `projects/${project}/regions/${region}/networkEndpointGroups/neg-web` }],
          healthChecks: [`projects/${project}/global/healthChecks/hc`],
        },
      })
      .catch((e: unknown) => e);
    expect((healthChecked as { httpStatusCode?: number }).httpStatusCode).toBe(400);
    const missing = await urlMaps.get({ project, urlMap: 'nope' }).catch((e: unknown) => e);
    expect((missing as { code?: number }).code).toBe(5);
    expect(JSON.stringify((missing as Record<symbol, unknown>)[RAW])).toContain('notFound');

    // Teardown in reverse order.
    for (const step of [
      () => rules.delete({ project, forwardingRule: 'fr-http' }),
      () => proxies.delete({ project, targetHttpProxy: 'tp-web' }),
      () => urlMaps.delete({ project, urlMap: 'um-web' }),
      () => backends.delete({ project, backendService: 'bs-web' }),
    ]) {
      const [lro] = await step();
      const op = await waitGlobal(gops, lro as unknown as Lro);
      expect(op.status).toBe('DONE');
    }
    const [negDel] = await negs.delete({ project, region, networkEndpointGroup: 'neg-web' });
    await rops.wait({ project, region, operation: (negDel as unknown as Lro).latestResponse.name! });
    const [addrDel] = await addresses.delete({ project, address: 'lb-ip' });
    await waitGlobal(gops, addrDel as unknown as Lro);
    expect(em.ctx.store.entries().filter(([p]) => !p.includes('/operations/'))).toEqual([]);

    // Every call went to the documented REST paths.
    const paths = em.ctx.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`POST /compute/v1/projects/${project}/global/addresses`);
    expect(paths.some((p) => /^POST \/compute\/v1\/projects\/demo-project\/global\/operations\/operation-[^/]+\/wait$/.test(p))).toBe(true);
    await Promise.all([gops, rops, addresses, negs, backends, urlMaps, proxies, rules].map((c) => c.close()));
  }, 60_000);
});
