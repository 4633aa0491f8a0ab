import { describe, expect, it } from 'vitest';
import { adoptable, isOwnedBy, ownerMarker, ownerOf, withOwnership } from '../../src/plan/ownership.js';
import type { DesiredResource, ObservedResource } from '../../src/model/resource-model.js';

describe('ownership mark', () => {
  it('labels kinds that take labels and marks the description of every compute kind', () => {
    const address = withOwnership('address', 'shop', { name: 'shop-ip' }, 'the IP');
    expect(address.labels).toEqual({ 'serverless-lb': 'shop' });
    expect(address.description).toBe('[serverless-lb:shop] the IP');

    const bs = withOwnership('backendService', 'shop', { name: 'shop-web-bs' }, 'backend');
    expect(bs.labels).toBeUndefined();
    expect(bs.description).toBe(`${ownerMarker('shop')} backend`);

    for (const kind of ['forwardingRule', 'securityPolicy'] as const) {
      expect(withOwnership(kind, 'shop', {}, 'x').labels).toEqual({ 'serverless-lb': 'shop' });
    }
    for (const kind of ['sslCertificate', 'urlMap', 'networkEndpointGroup', 'targetHttpsProxy', 'targetHttpProxy', 'subnetwork'] as const) {
      expect(withOwnership(kind, 'shop', {}, 'x').labels).toBeUndefined();
    }
  });

  it('keeps existing labels', () => {
    expect(withOwnership('address', 'shop', { labels: { team: 'a' } }, 'x').labels).toEqual({ team: 'a', 'serverless-lb': 'shop' });
  });

  it('reads the owner back from labels or description', () => {
    expect(ownerOf('address', { labels: { 'serverless-lb': 'shop' } })).toBe('shop');
    expect(ownerOf('urlMap', { description: '[serverless-lb:shop] URL map' })).toBe('shop');
    expect(ownerOf('forwardingRule', { labels: { 'serverless-lb': 'shop' }, description: '[serverless-lb:other] x' })).toBe('shop');
    expect(ownerOf('forwardingRule', { description: '[serverless-lb:shop] x' })).toBe('shop');
    expect(ownerOf('cloudRunIngress', { ingress: 'X', annotations: { 'serverless-lb/owner': 'shop' } })).toBe('shop');
  });

  it('finds no owner where there is no mark', () => {
    expect(ownerOf('urlMap', {})).toBeUndefined();
    expect(ownerOf('urlMap', { description: 'made by hand' })).toBeUndefined();
    expect(ownerOf('urlMap', { description: 'see [serverless-lb:shop] later' })).toBeUndefined();
    expect(ownerOf('urlMap', { labels: { 'serverless-lb': 'shop' } })).toBeUndefined(); // URL maps have no labels
    expect(ownerOf('address', { labels: { other: 'shop' } })).toBeUndefined();
    expect(ownerOf('cloudRunIngress', { ingress: 'X' })).toBeUndefined();
    expect(ownerOf('dnsRecordSet', { description: '[serverless-lb:shop]' })).toBeUndefined();
  });

  it('tells one LB from another', () => {
    const body = withOwnership('backendService', 'shop', {}, 'x');
    expect(isOwnedBy('backendService', body, 'shop')).toBe(true);
    expect(isOwnedBy('backendService', body, 'shop2')).toBe(false);
    expect(isOwnedBy('backendService', withOwnership('backendService', 'shop2', {}, 'x'), 'shop')).toBe(false);
  });
});

describe('adoptable (a create that finds its name taken)', () => {
  const observed = (kind: ObservedResource['kind'], body: Record<string, unknown>) => ({ id: `${kind}:global:x`, kind, scope: 'global', name: 'x', body }) as ObservedResource;
  const desired = (kind: DesiredResource['kind'], body: Record<string, unknown>) => ({ id: `${kind}:global:x`, kind, scope: 'global', name: 'x', body }) as unknown as DesiredResource;

  it('takes a resource marked for this load balancer, not one marked for another or unmarked', () => {
    expect(adoptable(observed('backendService', { description: withOwnership('backendService', 'shop', {}, 'x').description as string }), desired('backendService', {}), 'shop')).toBe(true);
    expect(adoptable(observed('backendService', { description: `${ownerMarker('shop-old')} x` }), desired('backendService', {}), 'shop')).toBe(false);
    expect(adoptable(observed('backendService', { description: 'made by hand' }), desired('backendService', {}), 'shop')).toBe(false);
  });

  it('takes a DNS record that points at exactly what this one would, nothing else', () => {
    const record = { type: 'A', ttl: 300, rrdatas: ['203.0.113.10'] };
    expect(adoptable(observed('dnsRecordSet', record), desired('dnsRecordSet', record), 'shop')).toBe(true);
    expect(adoptable(observed('dnsRecordSet', { ...record, rrdatas: ['198.51.100.1'] }), desired('dnsRecordSet', record), 'shop')).toBe(false);
    expect(adoptable(observed('dnsRecordSet', { ...record, rrdatas: ['203.0.113.10', '198.51.100.1'] }), desired('dnsRecordSet', record), 'shop')).toBe(false);
    expect(adoptable(observed('dnsRecordSet', { ...record, rrdatas: [] }), desired('dnsRecordSet', { ...record, rrdatas: [] }), 'shop')).toBe(false);
  });
});
