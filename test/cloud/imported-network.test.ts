/**
 * What import makes of where a load balancer listens: addresses, the network, proxy-only subnets,
 * and the per-region forwarding rules of a cross-region internal load balancer.
 */
import { describe, expect, it } from 'vitest';
import { checkCrossRegionRuleNames, importedAddress, importedNetwork } from '../../src/cloud/imported-network.js';
import { lbNames } from '../../src/model/naming.js';
import { resourceId, type ObservedResource, type ResourceKind, type Scope } from '../../src/model/resource-model.js';

const names = lbNames('mesh');
const mark = '[serverless-lb:mesh] made by serverless-lb';
const P = 'https://www.googleapis.com/compute/v1/projects/p';

function obs(kind: ResourceKind, name: string, body: Record<string, unknown>, scope: Scope = 'global'): ObservedResource {
  return { id: resourceId(kind, scope, name), kind, name, scope, body: { name, ...body } };
}
const stateOf = (...rs: ObservedResource[]) => new Map(rs.map((r) => [r.id, r]));
const rule = (name: string, region: string, ip: string) => obs('forwardingRule', name, { IPAddress: ip, network: `${P}/global/networks/corp`, subnetwork: `${P}/regions/${region}/subnetworks/apps` });
const address = (name: string, region: string, ip: string) => obs('address', name, { address: ip }, `regions/${region}`);
const proxyOnly = (name: string, region: string, range: string, description?: string) =>
  obs('subnetwork', name, { purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE', ipCidrRange: range, ...(description ? { description } : {}) }, `regions/${region}`);

describe('import: cross-region internal frontends', () => {
  const eu = rule('mesh-http-fr-europe-west1', 'europe-west1', '10.0.0.5');
  const us = rule('mesh-http-fr-us-central1', 'us-central1', '10.1.0.5');

  it('takes per-region addresses under serverless-lb\'s names as reserved, none as ephemeral, and says any other name', () => {
    const said: string[] = [];
    const say = (t: string) => said.push(t);
    expect(importedAddress('cross-region-internal', eu, [eu, us], [address('mesh-ip-europe-west1', 'europe-west1', '10.0.0.5'), address('mesh-ip-us-central1', 'us-central1', '10.1.0.5')], names, say)).toEqual({ mode: 'reserve' });
    expect(importedAddress('cross-region-internal', eu, [eu, us], [], names, say)).toEqual({ mode: 'ephemeral' });
    expect(said).toEqual([]);
    importedAddress('cross-region-internal', eu, [eu, us], [address('vip-eu', 'europe-west1', '10.0.0.5')], names, say);
    expect(said).toEqual([
      "address vip-eu: a cross-region internal load balancer's addresses take serverless-lb's names, one per region (mesh-ip-europe-west1)",
      "forwarding rule mesh-http-fr-us-central1: its IP is ephemeral while other regions' are reserved; a config reserves them in every region or in none",
    ]);
  });

  it('keeps one frontend\'s address by its own name, as before', () => {
    const main = obs('forwardingRule', 'web', { IPAddress: '34.1.2.3' });
    expect(importedAddress('global-external', main, [main], [obs('address', 'web-ip', { address: '34.1.2.3' })], names, () => undefined)).toEqual({ mode: 'existing', name: 'web-ip' });
    expect(importedAddress('global-external', main, [main], [obs('address', 'mesh-ip', { address: '34.1.2.3' })], names, () => undefined)).toEqual({ mode: 'reserve' });
  });

  it('says each forwarding rule not under serverless-lb\'s name for its region and protocol', () => {
    const said: string[] = [];
    checkCrossRegionRuleNames([eu, us], () => false, names, (t) => said.push(t));
    expect(said).toEqual([]);
    checkCrossRegionRuleNames([eu, { ...us, name: 'corp-us' }], (fr) => fr === eu, names, (t) => said.push(t));
    expect(said).toEqual([
      "forwarding rule mesh-http-fr-europe-west1: a cross-region internal load balancer's forwarding rules take serverless-lb's names, one per region (mesh-https-fr-europe-west1)",
      "forwarding rule corp-us: a cross-region internal load balancer's forwarding rules take serverless-lb's names, one per region (mesh-http-fr-us-central1)",
    ]);
  });
});

describe('import: proxy-only subnets', () => {
  const eu = rule('mesh-http-fr-europe-west1', 'europe-west1', '10.0.0.5');
  const regions = ['europe-west1', 'us-central1'];

  it('gives back those serverless-lb made as mode create with their ranges; anything else stays existing (the default)', () => {
    const ours = stateOf(proxyOnly('mesh-proxy-only-europe-west1', 'europe-west1', '10.130.0.0/23', mark), proxyOnly('mesh-proxy-only-us-central1', 'us-central1', '10.131.0.0/23', mark));
    expect(importedNetwork('cross-region-internal', eu, regions, ours, names, 'mesh', () => undefined)).toEqual({
      network: 'corp',
      subnet: 'apps',
      proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.130.0.0/23', 'us-central1': '10.131.0.0/23' } },
    });
    const theirs = stateOf(proxyOnly('shared-proxy-eu', 'europe-west1', '10.130.0.0/23'), proxyOnly('mesh-proxy-only-us-central1', 'us-central1', '10.131.0.0/23'));
    expect(importedNetwork('cross-region-internal', eu, regions, theirs, names, 'mesh', () => undefined)).toEqual({ network: 'corp', subnet: 'apps' });
  });

  it('says when serverless-lb made them in some regions only: a config creates them everywhere or nowhere', () => {
    const said: string[] = [];
    const mixed = stateOf(proxyOnly('mesh-proxy-only-europe-west1', 'europe-west1', '10.130.0.0/23', mark), proxyOnly('shared-proxy-us', 'us-central1', '10.131.0.0/23'));
    expect(importedNetwork('cross-region-internal', eu, regions, mixed, names, 'mesh', (t) => said.push(t)).proxyOnlySubnet).toBeUndefined();
    expect(said).toEqual(['proxy-only subnets: serverless-lb made those in europe-west1 but not in us-central1; a config creates them in every region or in none']);
  });

  it('reads a regional load balancer\'s REGIONAL_MANAGED_PROXY subnet, not a cross-region one', () => {
    const regional = obs('subnetwork', 'mesh-proxy-only-europe-west1', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', ipCidrRange: '10.129.0.0/23', description: mark }, 'regions/europe-west1');
    expect(importedNetwork('regional-internal', eu, ['europe-west1'], stateOf(regional), names, 'mesh', () => undefined).proxyOnlySubnet).toEqual({ mode: 'create', ranges: { 'europe-west1': '10.129.0.0/23' } });
    expect(importedNetwork('cross-region-internal', eu, ['europe-west1'], stateOf(regional), names, 'mesh', () => undefined).proxyOnlySubnet).toBeUndefined();
  });
});
