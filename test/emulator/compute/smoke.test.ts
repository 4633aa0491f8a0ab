import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C, computeEmulator, type Client } from './compute-helpers.js';

let c: Client;
beforeAll(async () => {
  c = await computeEmulator();
});
afterAll(() => c.close());

describe('smoke', () => {
  it('creates a global chain', async () => {
    const neg = await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, { name: 'neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } });
    expect(neg.error).toBeUndefined();
    const bs = await c.mutate('POST', `${C}/global/backendServices`, { name: 'bs', loadBalancingScheme: 'EXTERNAL_MANAGED', backends: [{ group: 'projects/demo-project/regions/europe-west1/networkEndpointGroups/neg' }] });
    expect(bs.error).toBeUndefined();
    const um = await c.mutate('POST', `${C}/global/urlMaps`, { name: 'um', defaultService: 'global/backendServices/bs' });
    expect(um.error).toBeUndefined();
    const p = await c.mutate('POST', `${C}/global/targetHttpProxies`, { name: 'p', urlMap: 'global/urlMaps/um' });
    expect(p.error).toBeUndefined();
    const fr = await c.mutate('POST', `${C}/global/forwardingRules`, { name: 'fr', loadBalancingScheme: 'EXTERNAL_MANAGED', target: 'global/targetHttpProxies/p', portRange: '80' });
    expect(fr.error).toBeUndefined();
    const got = await c.call('GET', `${C}/global/forwardingRules/fr`);
    console.log(JSON.stringify(got.body, null, 1));
    const del = await c.call('DELETE', `${C}/global/backendServices/bs`);
    console.log(JSON.stringify(del.body));
    expect(del.status).toBe(400);
  });
});
