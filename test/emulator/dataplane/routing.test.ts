import { describe, expect, it } from 'vitest';
import { hostPatternScore, pathPatternMatches, routeRequest, type UrlMap } from '../../../src/emulator/dataplane/url-map-routing.js';
import { matchUrlMask } from '../../../src/emulator/dataplane/url-mask.js';
import { evaluateExpression, evaluatePolicy, ipInRange } from '../../../src/emulator/dataplane/security-policy.js';

const req = (host: string, path: string, query = '', scheme: 'http' | 'https' = 'https') => ({ scheme, host, path, query });

describe('URL map host and path matching', () => {
  it('scores exact hosts over longer wildcards over shorter ones over *', () => {
    const host = 'a.b.example.com';
    const scores = ['a.b.example.com', '*.b.example.com', '*.example.com', '*'].map((p) => hostPatternScore(p, host));
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(hostPatternScore('*.example.com', 'example.com')).toBe(-1);
    expect(hostPatternScore('*-dev.example.com', 'api-dev.example.com')).toBeGreaterThan(0);
    expect(hostPatternScore('example.com:8080', 'example.com')).toBe(-1);
    expect(hostPatternScore('example.com:8080', 'example.com:8080')).toBeGreaterThan(0);
    expect(hostPatternScore('example.com', 'example.com:8080')).toBeGreaterThan(0);
  });

  it('treats /* as a prefix that does not match the bare directory', () => {
    expect(pathPatternMatches('/a/*', '/a/')).toBe(true);
    expect(pathPatternMatches('/a/*', '/a/b/c')).toBe(true);
    expect(pathPatternMatches('/a/*', '/a')).toBe(false);
    expect(pathPatternMatches('/a', '/a/')).toBe(false);
    expect(pathPatternMatches('/*', '/anything')).toBe(true);
  });

  const map: UrlMap = {
    defaultService: 'default',
    hostRules: [{ hosts: ['example.com'], pathMatcher: 'm' }],
    pathMatchers: [
      {
        name: 'm',
        defaultService: 'm-default',
        pathRules: [
          { paths: ['/*'], service: 'root' },
          { paths: ['/a/*'], service: 'a' },
          { paths: ['/a/b/*'], service: 'ab' },
          { paths: ['/moved'], urlRedirect: { pathRedirect: '/here', redirectResponseCode: 'PERMANENT_REDIRECT', stripQuery: true } },
        ],
      },
    ],
  };

  it('picks the longest matching path, whatever the rule order', () => {
    expect(routeRequest(map, req('example.com', '/a/b/c'))).toMatchObject({ kind: 'service', service: 'ab' });
    expect(routeRequest(map, req('example.com', '/a/x'))).toMatchObject({ kind: 'service', service: 'a' });
    expect(routeRequest(map, req('example.com', '/z'))).toMatchObject({ kind: 'service', service: 'root' });
    expect(routeRequest(map, req('other.com', '/a/x'))).toMatchObject({ kind: 'service', service: 'default' });
  });

  it('builds redirects with the configured code, path and query handling', () => {
    expect(routeRequest(map, req('example.com', '/moved', 'q=1'))).toEqual({ kind: 'redirect', status: 308, location: 'https://example.com/here' });
    const https: UrlMap = { defaultUrlRedirect: { httpsRedirect: true } };
    expect(routeRequest(https, req('example.com:80', '/x', 'q=1', 'http'))).toEqual({ kind: 'redirect', status: 301, location: 'https://example.com/x?q=1' });
    expect(routeRequest({ defaultUrlRedirect: { hostRedirect: 'www.example.com', redirectResponseCode: 'SEE_OTHER' } }, req('example.com', '/', '', 'http'))).toEqual({
      kind: 'redirect',
      status: 303,
      location: 'http://www.example.com/',
    });
  });

  it('uses route rules by priority with prefix, full-path and regex matches', () => {
    const rr: UrlMap = {
      defaultService: 'd',
      hostRules: [{ hosts: ['*'], pathMatcher: 'r' }],
      pathMatchers: [
        {
          name: 'r',
          defaultService: 'r-default',
          routeRules: [
            { priority: 20, matchRules: [{ prefixMatch: '/api' }], service: 'api' },
            { priority: 10, matchRules: [{ fullPathMatch: '/api/health' }], service: 'health' },
            { priority: 30, matchRules: [{ regexMatch: '/v[0-9]+/.*' }], service: 'versioned' },
          ],
        },
      ],
    };
    expect(routeRequest(rr, req('x', '/api/health'))).toMatchObject({ service: 'health' });
    expect(routeRequest(rr, req('x', '/api/users'))).toMatchObject({ service: 'api' });
    expect(routeRequest(rr, req('x', '/v2/x'))).toMatchObject({ service: 'versioned' });
    expect(routeRequest(rr, req('x', '/other'))).toMatchObject({ service: 'r-default' });
  });

  it('answers none when nothing matches and there is no default', () => {
    expect(routeRequest({ hostRules: [], pathMatchers: [] }, req('x', '/'))).toMatchObject({ kind: 'none' });
  });
});

describe('URL masks', () => {
  it('parses path placeholders, leaving out the host and trailing path components', () => {
    expect(matchUrlMask('example.com/<service>', 'example.com', '/login/x')).toEqual({ service: 'login' });
    expect(matchUrlMask('/<service>', 'anything.test', '/login')).toEqual({ service: 'login' });
    expect(matchUrlMask('example.com/<service>', 'other.com', '/login')).toBeUndefined();
    expect(matchUrlMask('/svc/<service>', 'x', '/other/login')).toBeUndefined();
  });

  it('parses host placeholders, including labels shared with literal text', () => {
    expect(matchUrlMask('<tag>.example.com/<service>', 'v1.example.com:443', '/api')).toEqual({ tag: 'v1', service: 'api' });
    expect(matchUrlMask('<service>.example.com', 'web.example.com', '/any/path')).toEqual({ service: 'web' });
    expect(matchUrlMask('<service>-dot-app.appspot.com/<version>', 'foo-dot-app.appspot.com', '/v2')).toEqual({ service: 'foo', version: 'v2' });
    expect(matchUrlMask('<service>.example.com', 'example.com', '/')).toBeUndefined();
  });
});

describe('security policy evaluation', () => {
  const r = { clientIp: '127.0.0.1', host: 'h', path: '/admin/x', method: 'GET', headers: { 'x-env': 'test' } };

  it('matches source ranges and wildcards', () => {
    expect(ipInRange('127.0.0.1', '127.0.0.0/8')).toBe(true);
    expect(ipInRange('127.0.0.1', '10.0.0.0/8')).toBe(false);
    expect(ipInRange('127.0.0.1', '*')).toBe(true);
  });

  it('evaluates the supported expressions and refuses unknown ones', () => {
    expect(evaluateExpression("inIpRange(origin.ip, '127.0.0.1/32') && request.path.startsWith('/admin')", r)).toBe(true);
    expect(evaluateExpression("request.headers['x-env'] == 'prod' || !request.path.matches('^/admin/.*$')", r)).toBe(false);
    expect(evaluateExpression("origin.region_code == 'US'", r)).toBeUndefined();
  });

  it('takes the first matching rule by priority; preview rules never act', () => {
    const rules = [
      { priority: 2147483647, action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
      { priority: 100, action: 'deny(404)', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['127.0.0.1'] } } },
      { priority: 50, action: 'deny(502)', preview: true, match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
    ];
    expect(evaluatePolicy(rules, r)).toEqual({ allowed: false, status: 404, rule: 100 });
    expect(evaluatePolicy(rules, { ...r, clientIp: '10.1.1.1' })).toEqual({ allowed: true, rule: 2147483647 });
  });
});
