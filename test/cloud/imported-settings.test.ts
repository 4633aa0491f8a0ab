/**
 * What import makes of the settings beyond backends, hosts and paths: what serverless-lb made comes
 * back as settings it owns, anything else as existing; what a config cannot say is said, not dropped.
 */
import { describe, expect, it } from 'vitest';
import { importedCdn, importedHeaders, importedIpVersion, importedOutlierDetection, importedTls } from '../../src/cloud/imported-settings.js';
import { lbNames } from '../../src/model/naming.js';
import { resourceId, type ObservedResource, type ResourceKind, type Scope } from '../../src/model/resource-model.js';

const names = lbNames('shop');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

function obs(kind: ResourceKind, name: string, body: Record<string, unknown>, scope: Scope = 'global'): ObservedResource {
  return { id: resourceId(kind, scope, name), kind, name, scope, body: { name, ...body } };
}
const stateOf = (...rs: ObservedResource[]) => new Map(rs.map((r) => [r.id, r]));
const mark = '[serverless-lb:shop] made by serverless-lb';

describe('import: TLS of the HTTPS proxy', () => {
  const trust = obs('trustConfig', 'shop-trust-config', { labels: { 'serverless-lb': 'shop' }, description: mark, trustStores: [{ trustAnchors: [{ pemCertificate: CA }], intermediateCas: [{ pemCertificate: CA }] }] });
  const serverTls = obs('serverTlsPolicy', 'shop-mtls-policy', { labels: { 'serverless-lb': 'shop' }, description: mark, mtlsPolicy: { clientValidationMode: 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT', clientValidationTrustConfig: 'projects/p/locations/global/trustConfigs/shop-trust-config' } });
  const policy = obs('sslPolicy', 'shop-ssl-policy', { description: mark, profile: 'CUSTOM', minTlsVersion: 'TLS_1_2', customFeatures: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] });
  const proxyBody = {
    sslPolicy: 'https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/shop-ssl-policy',
    serverTlsPolicy: '//networksecurity.googleapis.com/projects/p/locations/global/serverTlsPolicies/shop-mtls-policy',
    quicOverride: 'DISABLE',
    tlsEarlyData: 'STRICT',
  };

  it('gives back what serverless-lb made as its settings, the CA files to write beside the config', () => {
    const files: Record<string, string> = {};
    const said: string[] = [];
    const tls = importedTls(obs('targetHttpsProxy', 'shop-https-proxy', proxyBody), stateOf(trust, serverTls, policy), names, 'shop', files, (t) => said.push(t));
    expect(tls).toEqual({
      policy: { profile: 'CUSTOM', minTlsVersion: 'TLS_1_2', customFeatures: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
      http3: false,
      earlyData: 'STRICT',
      mtls: { mode: 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT', trustAnchors: ['shop-trust-anchor-1.pem'], intermediates: ['shop-intermediate-ca-1.pem'] },
    });
    expect(files).toEqual({ 'shop-trust-anchor-1.pem': `${CA}\n`, 'shop-intermediate-ca-1.pem': `${CA}\n` });
    expect(said).toEqual([]);
  });

  it('names policies made by hand (or another load balancer\'s) as existing, and writes no file', () => {
    const files: Record<string, string> = {};
    const foreign = [obs('sslPolicy', 'shop-ssl-policy', { profile: 'MODERN' }), { ...serverTls, body: { ...serverTls.body, labels: { 'serverless-lb': 'other' } } }, trust];
    const tls = importedTls(obs('targetHttpsProxy', 'shop-https-proxy', { ...proxyBody, quicOverride: 'NONE', tlsEarlyData: 'DISABLED' }), stateOf(...foreign), names, 'shop', files, () => undefined);
    expect(tls).toEqual({ policy: { existing: 'shop-ssl-policy' }, mtls: { existingServerTlsPolicy: 'shop-mtls-policy' } });
    expect(files).toEqual({});
    expect(importedTls(obs('targetHttpsProxy', 'shop-https-proxy', {}), stateOf(), names, 'shop', files, () => undefined)).toBeUndefined();
  });
});

describe('import: dual stack, headers, CDN', () => {
  const v4 = obs('forwardingRule', 'shop-https-fr', { IPAddress: '34.1.2.3' });
  it('reads an IPv6 frontend beside the IPv4 one as dual stack, and says when its names are not serverless-lb\'s', () => {
    const said: string[] = [];
    const v6 = obs('forwardingRule', 'shop-https-fr-ipv6', { IPAddress: '2600:1901::1', ipVersion: 'IPV6' });
    expect(importedIpVersion([v4], [], names, (t) => said.push(t))).toBe('IPV4');
    expect(importedIpVersion([v4, v6], [obs('address', 'shop-ip-ipv6', { address: '2600:1901::1' })], names, (t) => said.push(t))).toBe('IPV4_IPV6');
    expect(said).toEqual([]);
    importedIpVersion([v4, { ...v6, name: 'web-v6' }], [obs('address', 'my-v6', { address: '2600:1901::1' })], names, (t) => said.push(t));
    expect(said).toEqual([expect.stringMatching(/^forwarding rule web-v6: the IPv6 frontend of dual stack takes serverless-lb's names/), expect.stringMatching(/^address my-v6: the IPv6 address of dual stack takes serverless-lb's name \(shop-ip-ipv6\)/)]);
  });

  it('reads custom headers from the URL map, or from the backend services on classic, and says what it cannot carry', () => {
    const said: string[] = [];
    const map = obs('urlMap', 'shop-urlmap', { headerAction: { requestHeadersToAdd: [{ headerName: 'X-Geo', headerValue: '{client_region}', replace: true }], responseHeadersToRemove: ['Server'] } });
    expect(importedHeaders('global-external', map, [], (t) => said.push(t))).toEqual({ request: { 'X-Geo': '{client_region}' } });
    expect(said).toEqual(['URL map shop-urlmap, its header action: headers removed for every route are not imported yet']);
    const bs = (name: string, lines: string[]) => obs('backendService', name, { customResponseHeaders: lines });
    expect(importedHeaders('classic', undefined, [bs('a', ['Strict-Transport-Security: max-age=60']), bs('b', ['Strict-Transport-Security: max-age=60'])], () => undefined)).toEqual({ response: { 'Strict-Transport-Security': 'max-age=60' } });
    const differ: string[] = [];
    importedHeaders('classic', undefined, [bs('a', ['X: 1']), bs('b', ['X: 2'])], (t) => differ.push(t));
    expect(differ).toEqual([expect.stringMatching(/different custom headers \(a, b\)/)]);
  });

  it('reads the CDN policy of the backends with Cloud CDN, the same on each', () => {
    const cdn = (name: string, policy: Record<string, unknown>) => obs('backendService', name, { enableCDN: true, cdnPolicy: policy });
    const policy = { cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600, maxTtl: 86400, clientTtl: 600, negativeCaching: true, cacheKeyPolicy: { includeHost: true, includeProtocol: true, includeQueryString: false }, bypassCacheOnRequestHeaders: [{ headerName: 'X-Bypass' }] };
    expect(importedCdn([cdn('a', policy), obs('backendService', 'b', {})], () => undefined)).toEqual({ cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600, maxTtl: 86400, clientTtl: 600, negativeCaching: true, cacheKey: { includeQueryString: false }, bypassCacheOnRequestHeaders: ['X-Bypass'] });
    const said: string[] = [];
    importedCdn([cdn('a', policy), cdn('b', { ...policy, defaultTtl: 60, signedUrlKeyNames: ['k'] })], (t) => said.push(t));
    expect(said).toEqual([expect.stringMatching(/different CDN policies \(a, b\)/), 'backend service b: cdnPolicy.signedUrlKeyNames is not imported yet']);
    expect(importedCdn([obs('backendService', 'a', {})], () => undefined)).toBeUndefined();
  });
});

describe('import: outlier detection', () => {
  const od = { consecutiveErrors: 5, baseEjectionTime: { seconds: '30' }, interval: { seconds: '10' }, maxEjectionPercent: 50 };
  const bs = (name: string, outlierDetection?: Record<string, unknown>) => obs('backendService', name, outlierDetection ? { outlierDetection } : {});

  it('reads the one setting of every backend service, Durations as their seconds', () => {
    const said: string[] = [];
    expect(importedOutlierDetection([bs('a', od), bs('b', od)], (t) => said.push(t))).toEqual({ consecutiveErrors: 5, baseEjectionTimeSec: 30, intervalSec: 10, maxEjectionPercent: 50 });
    expect(said).toEqual([]);
    expect(importedOutlierDetection([bs('a'), bs('b')], (t) => said.push(t))).toBeUndefined();
    expect(said).toEqual([]);
  });

  it('says what one setting per config cannot hold: different settings, nanos, success-rate fields', () => {
    const said: string[] = [];
    importedOutlierDetection([bs('a', od), bs('b')], (t) => said.push(t));
    importedOutlierDetection([bs('c', { interval: { seconds: '1', nanos: 500000000 }, successRateStdevFactor: 1900 })], (t) => said.push(t));
    expect(said).toEqual([
      'the backend services have different outlier detection (a, b): one setting per config',
      'backend service c: outlierDetection.interval is not imported yet',
      'backend service c: outlierDetection.successRateStdevFactor is not imported yet',
    ]);
  });
});
