/**
 * What the traffic-management and TLS options put in the desired graph: route rules in the URL
 * map, custom headers (backend services on classic, the URL map elsewhere), the CDN policy, the
 * SSL policy and the HTTPS proxy's TLS fields.
 */
import { describe, expect, it } from 'vitest';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { byId, spec } from './fixtures.js';
import { kindModule } from '../../src/kinds/registry.js';

const one = { backends: [{ name: 'web', cloudRun: { service: 'web' } }] };
const two = {
  backends: [
    { name: 'web', cloudRun: { service: 'web' } },
    { name: 'canary', cloudRun: { service: 'web-canary' } },
  ],
};

describe('route rules in the URL map', () => {
  it('makes routing.routes the path matcher of "*", with matches, the split, rewrite, timeout, retry and header actions', () => {
    const g = buildDesiredGraph(
      spec({
        ...two,
        routing: {
          defaultBackend: 'web',
          routes: [
            { match: { pathPrefix: '/api/', headers: [{ name: 'x-canary', exact: 'yes' }], query: [{ name: 'v', present: true }], methods: ['GET', 'HEAD'] }, backend: 'canary', rewrite: { pathPrefix: '/' }, timeoutSec: 2.5, retry: { attempts: 2, on: ['5xx'] }, requestHeaders: { set: { 'X-Via': 'lb' }, remove: ['X-Debug'] } },
            { backends: [{ backend: 'web', weight: 90 }, { backend: 'canary', weight: 10 }] },
            { priority: 5, match: { path: '/old' }, redirect: { path: '/new', code: 308 } },
          ],
        },
      }),
    );
    const map = byId(g, 'urlMap:global:shop-urlmap');
    expect(map.body.hostRules).toEqual([{ hosts: ['*'], pathMatcher: 'hosts-1' }]);
    const [first, second, third] = (map.body.pathMatchers as Array<{ routeRules: Array<Record<string, unknown>> }>)[0]!.routeRules;
    expect(first).toEqual({
      priority: 10,
      matchRules: [{ prefixMatch: '/api/', headerMatches: [{ headerName: 'x-canary', exactMatch: 'yes' }, { headerName: ':method', regexMatch: 'GET|HEAD' }], queryParameterMatches: [{ name: 'v', presentMatch: true }] }],
      service: 'projects/my-project/global/backendServices/shop-canary-bs',
      routeAction: { urlRewrite: { pathPrefixRewrite: '/' }, timeout: { seconds: '2', nanos: 500000000 }, retryPolicy: { numRetries: 2, retryConditions: ['5xx'] } },
      headerAction: { requestHeadersToAdd: [{ headerName: 'X-Via', headerValue: 'lb', replace: true }], requestHeadersToRemove: ['X-Debug'] },
    });
    expect(second!.routeAction).toEqual({ weightedBackendServices: [{ backendService: 'projects/my-project/global/backendServices/shop-web-bs', weight: 90 }, { backendService: 'projects/my-project/global/backendServices/shop-canary-bs', weight: 10 }] });
    expect(third).toMatchObject({ priority: 5, matchRules: [{ fullPathMatch: '/old' }], urlRedirect: { pathRedirect: '/new', redirectResponseCode: 'PERMANENT_REDIRECT', httpsRedirect: false, stripQuery: false } });
    expect(map.dependsOn).toEqual(expect.arrayContaining(['backendService:global:shop-web-bs', 'backendService:global:shop-canary-bs']));
  });
});

describe('custom headers and the CDN policy', () => {
  const headers = { request: { 'X-Client-Region': '{client_region}' }, response: { 'Strict-Transport-Security': 'max-age=31536000' } };

  it('puts custom headers in the URL map of the Envoy-based types', () => {
    const g = buildDesiredGraph(spec({ ...one, options: { headers } }));
    expect(byId(g, 'urlMap:global:shop-urlmap').body.headerAction).toEqual({
      requestHeadersToAdd: [{ headerName: 'X-Client-Region', headerValue: '{client_region}', replace: true }],
      responseHeadersToAdd: [{ headerName: 'Strict-Transport-Security', headerValue: 'max-age=31536000', replace: true }],
    });
    expect(byId(g, 'backendService:global:shop-web-bs').body.customRequestHeaders).toBeUndefined();
  });

  it('puts them on the backend services of the classic load balancer', () => {
    const g = buildDesiredGraph(spec({ ...one, type: 'classic', options: { headers } }));
    expect(byId(g, 'backendService:global:shop-web-bs').body).toMatchObject({ customRequestHeaders: ['X-Client-Region: {client_region}'], customResponseHeaders: ['Strict-Transport-Security: max-age=31536000'] });
    expect(byId(g, 'urlMap:global:shop-urlmap').body.headerAction).toBeUndefined();
  });

  it('writes the CDN policy: TTLs, negative caching, serve-while-stale, cache key and bypass headers', () => {
    const g = buildDesiredGraph(spec({ ...one, options: { cdn: { enabled: true, cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600, maxTtl: 86400, clientTtl: 600, negativeCaching: true, serveWhileStale: 60, cacheKey: { includeHost: false, queryParameters: ['page'] }, bypassCacheOnRequestHeaders: ['X-Bypass'] } } }));
    expect(byId(g, 'backendService:global:shop-web-bs').body.cdnPolicy).toEqual({
      cacheMode: 'CACHE_ALL_STATIC',
      defaultTtl: 3600,
      maxTtl: 86400,
      clientTtl: 600,
      negativeCaching: true,
      serveWhileStale: 60,
      cacheKeyPolicy: { includeHost: false, includeQueryString: true, queryStringWhitelist: ['page'] },
      bypassCacheOnRequestHeaders: [{ headerName: 'X-Bypass' }],
    });
  });
});

describe('TLS of the HTTPS proxy', () => {
  const https = { frontend: { protocol: 'https' as const, domains: ['www.example.com'] }, certificate: { type: 'managed' as const } };

  it('creates the SSL policy and points the proxy at it, with HTTP/3 and early data', () => {
    const g = buildDesiredGraph(spec({ ...one, ...https, frontend: { ...https.frontend, tls: { policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' }, http3: true, earlyData: 'STRICT' } } }));
    expect(byId(g, 'sslPolicy:global:shop-ssl-policy').body).toMatchObject({ name: 'shop-ssl-policy', profile: 'MODERN', minTlsVersion: 'TLS_1_2' });
    const proxy = byId(g, 'targetHttpsProxy:global:shop-https-proxy');
    expect(proxy.body).toMatchObject({ sslPolicy: 'projects/my-project/global/sslPolicies/shop-ssl-policy', quicOverride: 'ENABLE', tlsEarlyData: 'STRICT' });
    expect(proxy.dependsOn).toContain('sslPolicy:global:shop-ssl-policy');
  });

  it('references an existing policy without owning it, regionally for a regional type', () => {
    const g = buildDesiredGraph(spec({ ...one, ...https, type: 'regional-external', region: 'europe-west1', certificate: { type: 'existing', names: ['c'] }, frontend: { ...https.frontend, tls: { policy: { existing: 'corp-tls' } } } }));
    const policy = byId(g, 'sslPolicy:regions/europe-west1:corp-tls');
    expect(policy.managed).toBe(false);
    expect(byId(g, 'targetHttpsProxy:regions/europe-west1:shop-https-proxy').body.sslPolicy).toBe('projects/my-project/regions/europe-west1/sslPolicies/corp-tls');
  });
});

describe('mutual TLS on a live load balancer', () => {
  const step = (kind: 'targetHttpsProxy' | 'serverTlsPolicy', action: 'create' | 'update', changes: Array<{ field: string; from?: unknown; to?: unknown }>) =>
    ({ id: `${kind}:global:x`, kind, name: 'x', scope: 'global', action, changes, dependsOn: [], reason: '' }) as never;

  it('marks a server TLS policy attached to a live proxy, and a policy tightened to REJECT_INVALID, as disruptive; nothing else', () => {
    const proxy = kindModule('targetHttpsProxy').plan!.disruption!;
    const policy = kindModule('serverTlsPolicy').plan!.disruption!;
    expect(proxy(step('targetHttpsProxy', 'update', [{ field: 'serverTlsPolicy', to: '//networksecurity.googleapis.com/projects/p/locations/global/serverTlsPolicies/x' }]))).toMatch(/mutual TLS is turned on for x/);
    expect(proxy(step('targetHttpsProxy', 'update', [{ field: 'serverTlsPolicy', from: '//a', to: null }]))).toBeUndefined();
    expect(proxy(step('targetHttpsProxy', 'create', []))).toBeUndefined();
    expect(policy(step('serverTlsPolicy', 'update', [{ field: 'mtlsPolicy.clientValidationMode', from: 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT', to: 'REJECT_INVALID' }]))).toMatch(/becomes REJECT_INVALID/);
    expect(policy(step('serverTlsPolicy', 'update', [{ field: 'mtlsPolicy.clientValidationMode', from: 'REJECT_INVALID', to: 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT' }]))).toBeUndefined();
  });

  it('builds the trust config and the server TLS policy the proxy carries, or references an existing policy', () => {
    const https = { frontend: { protocol: 'https' as const, domains: ['www.example.com'] }, certificate: { type: 'managed' as const } };
    const g = buildDesiredGraph(spec({ ...one, ...https, frontend: { ...https.frontend, tls: { mtls: { mode: 'REJECT_INVALID', trustAnchors: ['/ca.pem'], intermediates: ['/ica.pem'] } } } }));
    expect(byId(g, 'trustConfig:global:shop-trust-config').body.trustStores).toEqual([{ trustAnchors: [{ pemCertificate: { $file: '/ca.pem' } }], intermediateCas: [{ pemCertificate: { $file: '/ica.pem' } }] }]);
    expect(byId(g, 'serverTlsPolicy:global:shop-mtls-policy').body.mtlsPolicy).toEqual({ clientValidationMode: 'REJECT_INVALID', clientValidationTrustConfig: 'projects/my-project/locations/global/trustConfigs/shop-trust-config' });
    expect(byId(g, 'targetHttpsProxy:global:shop-https-proxy').body.serverTlsPolicy).toBe('//networksecurity.googleapis.com/projects/my-project/locations/global/serverTlsPolicies/shop-mtls-policy');
    const existing = buildDesiredGraph(spec({ ...one, ...https, frontend: { ...https.frontend, tls: { mtls: { existingServerTlsPolicy: 'corp-mtls' } } } }));
    expect(byId(existing, 'serverTlsPolicy:global:corp-mtls').managed).toBe(false);
    expect(existing.resources.some((r) => r.kind === 'trustConfig')).toBe(false);
  });
});

describe('routing.canary and CORS', () => {
  it('makes routing.canary the weighted split of the "*" path matcher, and a CORS policy the route action\'s corsPolicy', () => {
    const g = buildDesiredGraph(spec({ ...two, routing: { defaultBackend: 'web', canary: { backend: 'canary', percent: 10 }, hosts: [{ hosts: ['api.example.com'], routes: [{ backend: 'web', cors: { allowOrigins: ['https://a.example.com'], allowMethods: ['GET'], maxAgeSec: 60, allowCredentials: true } }] }] } }));
    const map = byId(g, 'urlMap:global:shop-urlmap');
    const matchers = map.body.pathMatchers as Array<{ name: string; routeRules: Array<Record<string, unknown>> }>;
    expect(map.body.hostRules).toEqual([{ hosts: ['api.example.com'], pathMatcher: 'hosts-1' }, { hosts: ['*'], pathMatcher: 'hosts-2' }]);
    expect(matchers[0]!.routeRules[0]!.routeAction).toEqual({ corsPolicy: { allowOrigins: ['https://a.example.com'], allowMethods: ['GET'], maxAge: 60, allowCredentials: true } });
    expect(matchers[1]!.routeRules[0]!.routeAction).toEqual({
      weightedBackendServices: [
        { backendService: 'projects/my-project/global/backendServices/shop-web-bs', weight: 90 },
        { backendService: 'projects/my-project/global/backendServices/shop-canary-bs', weight: 10 },
      ],
    });
  });
});
