import { describe, expect, it } from 'vitest';
import { pickWeighted, routeRequest, type UrlMap } from '../../../src/emulator/dataplane/url-map-routing.js';
import { applyHeaderActions, corsAnswer, customHeaders, durationMs, rewriteRequest } from '../../../src/emulator/dataplane/route-actions.js';
import { seededRandom } from '../../../src/emulator/dataplane/index.js';

const req = (path: string, headers: Record<string, string> = {}, query = '', method = 'GET') => ({ scheme: 'https' as const, host: 'shop.example.com', path, query, method, headers });

const map: UrlMap = {
  defaultService: 'default',
  hostRules: [{ hosts: ['*'], pathMatcher: 'm' }],
  pathMatchers: [
    {
      name: 'm',
      defaultService: 'm-default',
      headerAction: { responseHeadersToAdd: [{ headerName: 'X-Matcher', headerValue: 'm', replace: true }] },
      routeRules: [
        { priority: 30, matchRules: [{ prefixMatch: '/' }], routeAction: { weightedBackendServices: [{ backendService: 'stable', weight: 90 }, { backendService: 'canary', weight: 10, headerAction: { responseHeadersToAdd: [{ headerName: 'X-Canary', headerValue: 'yes', replace: true }] } }] } },
        { priority: 10, matchRules: [{ prefixMatch: '/api/', headerMatches: [{ headerName: 'x-version', exactMatch: '2' }] }], service: 'v2', routeAction: { urlRewrite: { pathPrefixRewrite: '/', hostRewrite: 'v2.internal' }, timeout: { seconds: '2', nanos: 500000000 } } },
        { priority: 11, matchRules: [{ prefixMatch: '/api/', headerMatches: [{ headerName: 'x-beta', presentMatch: true }, { headerName: 'x-block', invertMatch: true, exactMatch: 'yes' }] }], service: 'beta' },
        { priority: 12, matchRules: [{ prefixMatch: '/q', queryParameterMatches: [{ name: 'debug', exactMatch: '1' }] }], service: 'debug' },
        { priority: 13, matchRules: [{ prefixMatch: '/', headerMatches: [{ headerName: ':method', regexMatch: 'POST|PUT' }] }], service: 'writes' },
        { priority: 14, matchRules: [{ prefixMatch: '/agent', headerMatches: [{ headerName: 'user-agent', suffixMatch: 'Mobile' }] }], service: 'mobile' },
      ],
    },
  ],
};

const service = (d: ReturnType<typeof routeRequest>) => (d.kind === 'service' ? d.service : d.kind);

describe('route rules in the data plane', () => {
  it('matches headers (exact, present, inverted, suffix), query parameters and methods by priority', () => {
    const always = () => 0;
    expect(service(routeRequest(map, req('/api/items', { 'x-version': '2' }), always))).toBe('v2');
    expect(service(routeRequest(map, req('/api/items', { 'x-version': '3', 'x-beta': '' }), always))).toBe('beta');
    expect(service(routeRequest(map, req('/api/items', { 'x-beta': '1', 'x-block': 'yes' }), always))).toBe('stable');
    expect(service(routeRequest(map, req('/q', {}, 'debug=1'), always))).toBe('debug');
    expect(service(routeRequest(map, req('/q', {}, 'debug=0'), always))).toBe('stable');
    expect(service(routeRequest(map, req('/x', {}, '', 'POST'), always))).toBe('writes');
    expect(service(routeRequest(map, req('/agent', { 'user-agent': 'Phone Mobile' }), always))).toBe('mobile');
  });

  it('splits by weight: 1,000 seeded picks land within 3 points of 90/10, and the same seed gives the same picks', () => {
    const random = seededRandom(7);
    const picks = Array.from({ length: 1000 }, () => service(routeRequest(map, req('/'), random)));
    const canary = picks.filter((p) => p === 'canary').length / 10;
    expect(Math.abs(canary - 10)).toBeLessThanOrEqual(3);
    const again = seededRandom(7);
    expect(Array.from({ length: 1000 }, () => service(routeRequest(map, req('/'), again)))).toEqual(picks);
    expect(pickWeighted({ weightedBackendServices: [{ backendService: 'a', weight: 0 }, { backendService: 'b', weight: 0 }] }, Math.random)).toBeUndefined();
    expect(pickWeighted({ weightedBackendServices: [{ backendService: 'a', weight: 0 }, { backendService: 'b', weight: 5 }] }, () => 0)).toEqual({ backendService: 'b' });
  });

  it('hands back the route action and the header actions, least specific first (the weighted one last)', () => {
    const d = routeRequest(map, req('/'), () => 0.95);
    expect(d.kind === 'service' && d.service).toBe('canary');
    if (d.kind !== 'service') return;
    expect(applyHeaderActions('response', { server: 'x' }, d.headerActions ?? [])).toEqual({ server: 'x', 'x-matcher': 'm', 'x-canary': 'yes' });
    const v2 = routeRequest(map, req('/api/items', { 'x-version': '2' }));
    if (v2.kind !== 'service') throw new Error('no service');
    expect(rewriteRequest({ host: 'shop.example.com', path: '/api/items' }, v2.matched, v2.action)).toEqual({ host: 'v2.internal', path: '/items' });
    expect(durationMs(v2.action?.timeout)).toBe(2500);
  });

  it('removes before it adds; replace false appends', () => {
    const actions = [
      { requestHeadersToRemove: ['X-Drop'], requestHeadersToAdd: [{ headerName: 'X-Add', headerValue: 'b', replace: false }] },
      { requestHeadersToAdd: [{ headerName: 'x-set', headerValue: 'new', replace: true }] },
    ];
    expect(applyHeaderActions('request', { 'x-drop': '1', 'x-add': 'a', 'x-set': 'old' }, actions)).toEqual({ 'x-add': 'a,b', 'x-set': 'new' });
  });

  it('fills custom header variables of a backend service', () => {
    const headers = customHeaders({ customRequestHeaders: ['X-Client-IP: {client_ip_address}', 'X-TLS:{tls_version}'], customResponseHeaders: ['Strict-Transport-Security: max-age=31536000'] }, { clientIp: '127.0.0.1', tls: { version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' } });
    expect(headers).toEqual({ request: { 'x-client-ip': '127.0.0.1', 'x-tls': 'TLSv1.3' }, response: { 'strict-transport-security': 'max-age=31536000' } });
  });
});

describe('CORS in the data plane', () => {
  const policy = { allowOrigins: ['https://portal.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['X-Api-Version'], exposeHeaders: ['X-Trace'], maxAge: 600 };
  it('answers an allowed preflight itself, adds the headers to other answers, and allows nothing for another origin', () => {
    expect(corsAnswer(policy, 'OPTIONS', { origin: 'https://portal.example.com', 'access-control-request-method': 'POST' })).toEqual({
      preflight: true,
      headers: { 'access-control-allow-origin': 'https://portal.example.com', 'access-control-allow-methods': 'GET,POST', 'access-control-allow-headers': 'X-Api-Version', 'access-control-max-age': '600' },
    });
    expect(corsAnswer(policy, 'GET', { origin: 'https://portal.example.com' })).toEqual({ preflight: false, headers: { 'access-control-allow-origin': 'https://portal.example.com', 'access-control-expose-headers': 'X-Trace' } });
    expect(corsAnswer(policy, 'GET', { origin: 'https://evil.example' })).toEqual({ preflight: false, headers: {} });
    expect(corsAnswer(policy, 'GET', {})).toBeUndefined();
    expect(corsAnswer({ ...policy, allowOrigins: ['*'] }, 'GET', { origin: 'https://x' })?.headers['access-control-allow-origin']).toBe('*');
  });
});
