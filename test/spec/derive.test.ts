import { describe, expect, it } from 'vitest';
import {
  backendFeatures,
  cloudRunIngress,
  cloudRunServices,
  forwardingRuleRegions,
  keepAliveRange,
  listeners,
  managedCertificateDomains,
  negRegions,
  proxyOnlySubnetPurpose,
  resolvedRegions,
  targetKind,
  validateSpec,
  type Spec,
} from '../../src/spec/index.js';
import { make, type Input } from './helpers/inputs.js';

function spec(edit: (i: Input) => void = () => {}): Spec {
  const result = validateSpec(make(edit));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

describe('derived facts', () => {
  it('places NEGs: backend regions, else regions, else region; App Engine prefers region', () => {
    const s = spec((i) => {
      i.regions = ['europe-west1', 'us-central1'];
      i.backends.push({ name: 'api', cloudRun: { service: 'api' }, regions: ['us-central1'] }, { name: 'gae', appEngine: {} });
      i.routing = { defaultBackend: 'web', hosts: [{ hosts: ['a.example.com'], defaultBackend: 'api' }, { hosts: ['g.example.com'], defaultBackend: 'gae' }] };
    });
    expect(negRegions(s, s.backends[0]!)).toEqual(['europe-west1', 'us-central1']);
    expect(negRegions(s, s.backends[1]!)).toEqual(['us-central1']);
    expect(negRegions(s, s.backends[2]!)).toEqual(['europe-west1']);
    expect(resolvedRegions(s)).toEqual({ forwardingRules: [], proxyOnlySubnets: [], backends: { web: ['europe-west1', 'us-central1'], api: ['us-central1'], gae: ['europe-west1'] }, all: ['europe-west1', 'us-central1'] });
    expect(targetKind(s.backends[2]!)).toBe('appEngine');
  });

  it('puts forwarding rules and proxy-only subnets where each type needs them', () => {
    const xr = spec((i) => { i.type = 'cross-region-internal'; delete i.region; i.regions = ['europe-west1', 'us-central1']; });
    expect(forwardingRuleRegions(xr)).toEqual(['europe-west1', 'us-central1']);
    expect(resolvedRegions(xr).proxyOnlySubnets).toEqual(['europe-west1', 'us-central1']);
    expect(proxyOnlySubnetPurpose('cross-region-internal')).toBe('GLOBAL_MANAGED_PROXY');
    const regional = spec((i) => (i.type = 'regional-external'));
    expect(resolvedRegions(regional).proxyOnlySubnets).toEqual(['europe-west1']);
    expect(proxyOnlySubnetPurpose('regional-external')).toBe('REGIONAL_MANAGED_PROXY');
    expect(proxyOnlySubnetPurpose('classic')).toBeUndefined();
    expect(forwardingRuleRegions(spec((i) => { i.type = 'classic'; i.frontend.address = { networkTier: 'STANDARD' }; }))).toEqual(['europe-west1']);
    expect(forwardingRuleRegions(spec())).toEqual([]);
  });

  it('lists the listeners of each protocol', () => {
    expect(listeners(spec())).toEqual([{ protocol: 'HTTP', port: 80, redirectToHttps: false }]);
    const redirect = spec((i) => { i.frontend = { protocol: 'https-redirect', domains: ['a.example.com'] }; i.certificate = { type: 'managed' }; });
    expect(listeners(redirect)).toEqual([{ protocol: 'HTTPS', port: 443, redirectToHttps: false }, { protocol: 'HTTP', port: 80, redirectToHttps: true }]);
    expect(managedCertificateDomains(redirect)).toEqual(['a.example.com']);
  });

  it('resolves per-backend features over the LB-wide options', () => {
    const s = spec((i) => {
      i.options = { cdn: { enabled: true }, cloudArmor: { existingPolicy: 'p' } };
      i.backends.push({ name: 'api', cloudRun: { service: 'api' }, cdn: false, cloudArmor: false });
      i.routing = { defaultBackend: 'web', hosts: [{ hosts: ['a.example.com'], defaultBackend: 'api' }] };
    });
    expect(backendFeatures(s, s.backends[0]!)).toEqual({ cdn: true, iap: false, cloudArmor: true });
    expect(backendFeatures(s, s.backends[1]!)).toEqual({ cdn: false, iap: false, cloudArmor: false });
  });

  it('chooses the Cloud Run ingress and the services it applies to', () => {
    expect(cloudRunIngress(spec())).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(cloudRunIngress(spec((i) => (i.type = 'regional-internal')))).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(cloudRunIngress(spec((i) => { i.type = 'regional-internal'; i.options = { ingress: 'internal-and-cloud-load-balancing' }; }))).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(cloudRunIngress(spec((i) => (i.options = { ingress: 'internal-and-cloud-load-balancing' })))).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(cloudRunServices(spec((i) => (i.backends[0].regions = ['europe-west1', 'us-central1'])))).toEqual([
      { backend: 'web', service: 'web', region: 'europe-west1' },
      { backend: 'web', service: 'web', region: 'us-central1' },
    ]);
  });

  it('knows the keepalive range of each type', () => {
    expect(keepAliveRange('global-external')).toEqual({ min: 5, max: 1200, default: 610 });
    expect(keepAliveRange('regional-internal')).toEqual({ min: 5, max: 600, default: 600 });
    expect(keepAliveRange('classic')).toBeUndefined();
  });
});
