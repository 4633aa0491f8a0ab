import { describe, expect, it } from 'vitest';
import { routeProbes, routeRuleProbes } from '../../src/verify/probes.js';
import { firstMatch, shapeRequest } from '../../src/verify/route-probes.js';
import { splitTolerance } from '../../src/verify/routes-check.js';
import type { RouteRule } from '../../src/spec/route-schema.js';
import { spec } from './helpers.js';

const rule = (r: Partial<RouteRule>): RouteRule => ({ match: {}, ...r }) as RouteRule;

describe('requests shaped for route rules', () => {
  it('fits a request to a rule: path, exact/prefix/suffix/present headers, query, method', () => {
    const shaped = shapeRequest(rule({ match: { pathPrefix: '/v2/', headers: [{ name: 'X-Api', exact: '2' }, { name: 'x-p', prefix: 'ab' }, { name: 'x-s', suffix: 'yz' }, { name: 'x-there', present: true }], query: [{ name: 'debug', exact: '1' }], methods: ['HEAD'] }, backend: 'v2' }));
    expect(shaped).toEqual({ path: '/v2/', query: 'debug=1', method: 'HEAD', headers: { 'x-api': '2', 'x-p': 'abverify-probe', 'x-s': 'verify-probeyz', 'x-there': 'verify-probe' } });
    expect(firstMatch([rule({ match: { pathPrefix: '/v2/', headers: [{ name: 'x-api', exact: '2' }] }, backend: 'v2' })], shaped as never)).toMatchObject({ kind: 'rule', index: 0, prefix: '/v2/' });
  });

  it('makes no request for regular expressions or methods that change things', () => {
    expect(shapeRequest(rule({ match: { pathRegex: '/a/.*' }, backend: 'a' }))).toEqual({ reason: 'it matches the path by a regular expression' });
    expect(shapeRequest(rule({ match: { methods: ['POST'] }, backend: 'a' }))).toMatchObject({ reason: expect.stringContaining('only GET, HEAD or OPTIONS') });
    expect(shapeRequest(rule({ match: { headers: [{ name: 'x', regex: 'a+' }] }, backend: 'a' }))).toMatchObject({ reason: expect.stringContaining('header x') });
  });

  it('takes rules by priority, not by position', () => {
    const rules = [rule({ priority: 20, backend: 'b' }), rule({ priority: 5, match: { pathPrefix: '/a' }, backend: 'a' })];
    expect(firstMatch(rules, { path: '/a/x', query: '', method: 'GET', headers: {} })).toMatchObject({ index: 1 });
    expect(firstMatch(rules, { path: '/b', query: '', method: 'GET', headers: {} })).toMatchObject({ index: 0 });
    expect(firstMatch([rule({ match: { pathPrefix: '/z' }, backend: 'z' })], { path: '/b', query: '', method: 'GET', headers: {} })).toEqual({ kind: 'default' });
  });
});

describe('routeRuleProbes', () => {
  const canary = spec({
    backends: [{ name: 'web', cloudRun: { service: 'web' } }, { name: 'canary', cloudRun: { service: 'web-canary' } }],
    routing: {
      defaultBackend: 'web',
      routes: [
        { match: { headers: [{ name: 'x-canary', exact: 'always' }] }, backend: 'canary', responseHeaders: { set: { 'X-Served-By': 'canary' } } },
        { match: { pathPrefix: '/old/' }, redirect: { prefix: '/new/' } },
        { match: { pathPrefix: '/v2/' }, backend: 'canary', rewrite: { pathPrefix: '/' } },
        { backends: [{ backend: 'web', weight: 90 }, { backend: 'canary', weight: 10 }] },
        { match: { pathPrefix: '/v2/x' }, backend: 'web' },
      ],
    },
    frontend: { protocol: 'https', domains: ['shop.example.com'] },
  });

  it('proves each rule to one backend, samples each split, and says which rules it cannot request', () => {
    const r = routeRuleProbes(canary);
    expect(r.probes.map((p) => [p.route, p.host, p.path, p.headers, p.expect.service, p.expectPath, p.expectResponseHeaders])).toEqual([
      ['routing.routes.0', 'shop.example.com', '/', { 'x-canary': 'always' }, 'web-canary', undefined, { 'X-Served-By': 'canary' }],
      ['routing.routes.2 (/v2/)', 'shop.example.com', '/v2/', {}, 'web-canary', '/', undefined],
    ]);
    expect(r.splits.map((s) => [s.route, s.path, s.shares.map((x) => [x.backend, x.weight, x.expect.service])])).toEqual([['routing.routes.3', '/', [['web', 90, 'web'], ['canary', 10, 'web-canary']]]]);
    expect(r.unprobed).toEqual([
      { route: 'routing.routes.1 (/old/)', reason: 'it redirects (the redirect is not followed)' },
      { route: 'routing.routes.4 (/v2/x)', reason: 'the request made for it is taken by an earlier rule' },
    ]);
  });

  it('lets the default probe accept any backend of a split that takes a plain request', () => {
    const [probe] = routeProbes(canary);
    expect(probe!.expect.service).toBe('web');
    expect(probe!.expect.alternatives?.map((a) => a.service)).toEqual(['web-canary']);
  });

  it('judges a split within the larger of 5 points and four standard deviations', () => {
    expect(splitTolerance(0.1, 200)).toBeCloseTo(8.49, 1);
    expect(splitTolerance(0.1, 10000)).toBe(5);
  });
});
