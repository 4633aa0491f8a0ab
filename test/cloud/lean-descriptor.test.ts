/**
 * The pruned Compute descriptor encodes and decodes exactly as the SDK's full one for the service it
 * keeps, and holds nothing of the others.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { leanComputeGax, pruneDescriptor } from '../../src/cloud/lean-descriptor.js';

const sdk = createRequire(import.meta.resolve('@google-cloud/compute/build/src/v1/index.js'));
const full = sdk('../../protos/protos.json');
const protobuf = sdk('google-gax').protobuf;
const fullRoot = protobuf.Root.fromJSON(full);

const backendService = {
  project: 'p',
  backendServiceResource: {
    name: 'web-bs',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    protocol: 'HTTPS',
    backends: [{ group: 'projects/p/regions/r/networkEndpointGroups/neg', balancingMode: 'UTILIZATION' }],
    cdnPolicy: { cacheMode: 'CACHE_ALL_STATIC', negativeCachingPolicy: [{ code: 404, ttl: 60 }] },
    iap: { enabled: true, oauth2ClientId: 'id' },
    logConfig: { enable: true, sampleRate: 0.5 },
    outlierDetection: { consecutiveErrors: 5, interval: { seconds: 10 } },
    securityPolicy: 'projects/p/global/securityPolicies/armor',
  },
};

describe('pruneDescriptor', () => {
  const lean = pruneDescriptor(full, ['BackendServices']);
  const leanRoot = protobuf.Root.fromJSON(lean);
  const v1 = (root: { lookup(name: string): unknown }) => (name: string) => root.lookup(`google.cloud.compute.v1.${name}`);

  it('keeps the service, its requests and every message they reach, with the same wire form', () => {
    for (const type of ['InsertBackendServiceRequest', 'Operation', 'BackendServiceList']) {
      const a = v1(fullRoot)(type) as { fromObject(o: unknown): unknown; toObject(m: unknown): unknown };
      const b = v1(leanRoot)(type) as typeof a;
      expect(b, type).toBeTruthy();
      const sample = type === 'InsertBackendServiceRequest' ? backendService : {};
      expect(b.toObject(b.fromObject(sample))).toEqual(a.toObject(a.fromObject(sample)));
    }
    // HTTP rules ride on the methods' options, which are kept as they are.
    const method = (root: { lookupService(n: string): { methods: Record<string, { options?: unknown }> } }) =>
      root.lookupService('google.cloud.compute.v1.BackendServices').methods['Insert']!.options;
    expect(method(leanRoot)).toEqual(method(fullRoot));
  });

  it('drops the other services and API versions', () => {
    expect(v1(leanRoot)('Instances')).toBeNull();
    expect(v1(leanRoot)('UrlMaps')).toBeNull();
    expect(leanRoot.lookup('google.cloud.compute.v1beta')).toBeNull();
    expect(JSON.stringify(lean).length).toBeLessThan(JSON.stringify(full).length / 20);
  });

  it('keeps v1beta services when asked for that version', () => {
    const beta = protobuf.Root.fromJSON(pruneDescriptor(full, ['RegionNetworkEndpointGroups'], 'v1beta'));
    const neg = beta.lookup('google.cloud.compute.v1beta.NetworkEndpointGroup') as { fields: Record<string, unknown> };
    expect(Object.keys(neg.fields)).toContain('serverlessDeployment');
  });

  it('leaves the descriptor whole when the service is unknown, and never mutates it', () => {
    const before = JSON.stringify(full).length;
    expect(pruneDescriptor(full, ['NoSuchService'])).toBe(full);
    pruneDescriptor(full, ['UrlMaps']);
    expect(JSON.stringify(full).length).toBe(before);
  });

  it('is what the gax handed to Compute clients loads', () => {
    const gax = leanComputeGax(['UrlMaps']) as unknown as { fallback: { GrpcClient: new (o: unknown) => { loadProtoJSON(j: unknown): { lookup(n: string): unknown } } } };
    const root = new gax.fallback.GrpcClient({ fallback: true }).loadProtoJSON(full);
    expect(root.lookup('google.cloud.compute.v1.UrlMaps')).toBeTruthy();
    expect(root.lookup('google.cloud.compute.v1.BackendServices')).toBeNull();
  });

  it('keeps every service of a list and what each reaches, and builds one root for every client given that list', () => {
    const services = ['UrlMaps', 'GlobalForwardingRules', 'RegionOperations'];
    type Loader = new (o: unknown) => { loadProtoJSON(j: unknown): { lookup(n: string): unknown } };
    const client = () => new (leanComputeGax(services) as unknown as { fallback: { GrpcClient: Loader } }).fallback.GrpcClient({ fallback: true });
    const root = client().loadProtoJSON(full);
    for (const name of [...services, 'UrlMap', 'ForwardingRule', 'Operation']) expect(root.lookup(`google.cloud.compute.v1.${name}`), name).toBeTruthy();
    expect(root.lookup('google.cloud.compute.v1.BackendServices')).toBeNull();
    expect(client().loadProtoJSON(full)).toBe(root);
    // Another list is another root.
    expect(new (leanComputeGax(['UrlMaps']) as unknown as { fallback: { GrpcClient: Loader } }).fallback.GrpcClient({ fallback: true }).loadProtoJSON(full)).not.toBe(root);
    // A list whose services are all unknown leaves the descriptor whole.
    expect(pruneDescriptor(full, ['NoSuchService', 'NorThis'])).toBe(full);
  });
});
