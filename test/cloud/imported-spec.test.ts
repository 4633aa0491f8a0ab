/**
 * The certificate an imported load balancer's config names: serverless-lb's own Google-managed
 * certificate (Compute Engine, or Certificate Manager behind the map of its name) comes back as
 * `type: managed`; anything else is named as existing, used as it is.
 */
import { describe, expect, it } from 'vitest';
import { specFromExisting } from '../../src/cloud/imported-spec.js';
import { resourceId, type ObservedResource, type ResourceKind, type Scope } from '../../src/model/resource-model.js';

const CM = '//certificatemanager.googleapis.com/projects/p/locations/global';
const C = 'https://www.googleapis.com/compute/v1/projects/p/global';
const labels = { 'serverless-lb': 'shop' };

function obs(kind: ResourceKind, name: string, body: Record<string, unknown>, scope: Scope = 'global'): ObservedResource {
  return { id: resourceId(kind, scope, name), kind, name, scope, body: { name, ...body } };
}

/** A global external load balancer whose HTTPS proxy holds `certificates`. */
function importOf(proxyCertificates: Record<string, unknown>, ...certificates: ObservedResource[]) {
  const rule = obs('forwardingRule', 'shop-https-fr', { IPAddress: '34.1.2.3', loadBalancingScheme: 'EXTERNAL_MANAGED', portRange: '443-443', target: `${C}/targetHttpsProxies/shop-https-proxy` });
  const proxy = obs('targetHttpsProxy', 'shop-https-proxy', { urlMap: `${C}/urlMaps/shop-urlmap`, ...proxyCertificates });
  const observed = new Map([rule, proxy, ...certificates].map((r) => [r.id, r]));
  return specFromExisting({ observed, forwardingRules: [rule], records: [], runServices: [] }, 'shop', 'p').input as { certificate: unknown; frontend: { domains?: string[] } };
}

describe('import: the certificate', () => {
  const managed = { managed: { domains: ['example.com', '*.example.com'] } };

  it('gives back serverless-lb\'s Certificate Manager certificate behind its map as managed, wildcard domains on the certificate only', () => {
    const input = importOf(
      { certificateMap: `${CM}/certificateMaps/shop-certmap` },
      obs('certificateMap', 'shop-certmap', { labels }),
      obs('certManagerCertificate', 'shop-cert', { labels, ...managed }),
    );
    expect(input.certificate).toEqual({ type: 'managed', service: 'certificate-manager', domains: ['example.com', '*.example.com'] });
    expect(input.frontend.domains).toEqual(['example.com']);
  });

  it('names a map that is not serverless-lb\'s (another name, or no mark) as existing', () => {
    expect(importOf({ certificateMap: `${CM}/certificateMaps/corp-map` }, obs('certificateMap', 'corp-map', {})).certificate).toEqual({ type: 'certificate-manager', certificateMap: 'corp-map' });
    const unmarked = importOf({ certificateMap: `${CM}/certificateMaps/shop-certmap` }, obs('certificateMap', 'shop-certmap', {}), obs('certManagerCertificate', 'shop-cert', { labels, ...managed }));
    expect(unmarked.certificate).toEqual({ type: 'certificate-manager', certificateMap: 'shop-certmap' });
  });

  it('gives back its Compute Engine certificate as managed, the type\'s default service left out; another one as existing', () => {
    const mine = obs('sslCertificate', 'shop-cert', { description: '[serverless-lb:shop] made by serverless-lb', managed: { domains: ['shop.example.com'] } });
    expect(importOf({ sslCertificates: [`${C}/sslCertificates/shop-cert`] }, mine).certificate).toEqual({ type: 'managed' });
    const theirs = obs('sslCertificate', 'web-cert', { managed: { domains: ['shop.example.com'] } });
    expect(importOf({ sslCertificates: [`${C}/sslCertificates/web-cert`] }, theirs).certificate).toEqual({ type: 'existing', names: ['web-cert'] });
  });
});
