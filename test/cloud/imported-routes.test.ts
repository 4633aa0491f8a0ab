/**
 * Route rules read back into the config's words: every field routes can say comes back as the
 * config writes it (so the plan compares equal), and what they cannot say is said.
 */
import { describe, expect, it } from 'vitest';
import { importedRoutes } from '../../src/cloud/imported-routes.js';
import { routeRulesBody } from '../../src/kinds/url-map-routes.js';
import { routeRule, type RouteRule } from '../../src/spec/route-schema.js';

const BS = (name: string) => `https://www.googleapis.com/compute/v1/projects/p/global/backendServices/lb-${name}-bs`;
const backendOf = (ref: unknown) => (typeof ref === 'string' ? /\/lb-(.+)-bs$/.exec(ref)?.[1] : undefined);
const parse = (rules: unknown[]): RouteRule[] => rules.map((r) => routeRule.parse(r));

describe('importedRoutes', () => {
  it('reads back what the config wrote: matches, methods, a split, redirect, rewrite, timeout, retry, mirror, CORS, header actions', () => {
    const config = [
      { match: { pathPrefix: '/api/', headers: [{ name: 'x-v', exact: '2' }, { name: 'x-debug', present: true, invert: true }], query: [{ name: 'beta', present: true }], methods: ['GET', 'POST'], ignoreCase: true }, backend: 'v2', rewrite: { pathPrefix: '/' }, timeoutSec: 2.5, retry: { attempts: 3, on: ['5xx', 'gateway-error'], perTryTimeoutSec: 1 }, mirror: 'shadow', requestHeaders: { set: { 'X-A': 'b' }, remove: ['X-Old'] }, cors: { allowOrigins: ['https://a.example'], allowMethods: ['GET'], maxAgeSec: 60, allowCredentials: true } },
      { priority: 55, match: { path: '/old' }, redirect: { path: '/new', code: 308, https: true, stripQuery: true } },
      { match: { pathRegex: '/img/.*' }, backend: 'v1', responseHeaders: { set: { 'Cache-Control': 'max-age=60' } } },
      { backends: [{ backend: 'v1', weight: 90 }, { backend: 'v2', weight: 10 }] },
    ];
    const body = routeRulesBody(parse(config), BS);
    const said: string[] = [];
    const back = importedRoutes('hosts-1', 'lb-urlmap', JSON.parse(JSON.stringify(body)), backendOf, (t) => said.push(t));
    expect(said).toEqual([]);
    expect(back).toEqual(config);
    // And once more through the builder: the same body.
    expect(routeRulesBody(parse(back), BS)).toEqual(body);
  });

  it('says what routes cannot say: several match rules, range matches, fault injection, a backend of another load balancer', () => {
    const said: string[] = [];
    importedRoutes('m', 'map', [
      { priority: 10, matchRules: [{ prefixMatch: '/a' }, { prefixMatch: '/b' }], service: BS('v1') },
      { priority: 20, matchRules: [{ prefixMatch: '/', headerMatches: [{ headerName: 'x-n', rangeMatch: { rangeStart: 1, rangeEnd: 5 } }] }], service: 'projects/p/global/backendServices/elsewhere', routeAction: { faultInjectionPolicy: { abort: { httpStatus: 503, percentage: 1 } } } },
    ], backendOf, (t) => said.push(t));
    expect(said).toEqual([
      'URL map map, path matcher m, route rule 10: 2 match rules in one route (either may match) are not imported yet: one route each',
      'URL map map, path matcher m, route rule 20: header match x-n: rangeMatch is not imported yet',
      'URL map map, path matcher m, route rule 20: its service is not a backend service of this load balancer',
      'URL map map, path matcher m, route rule 20: routeAction.faultInjectionPolicy is not imported yet',
    ]);
  });
});
