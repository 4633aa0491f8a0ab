/**
 * The rules of route rules (`routing.routes`, `routing.hosts[].routes`), per load balancer type as
 * Google documents them (docs/traffic-management.md has the table): the classic Application Load
 * Balancer matches on paths, headers and query parameters and rewrites or redirects, but takes no
 * weighted split, route timeout, retry policy, header action or mirror; regular expressions need an
 * Envoy-based type.
 */
import type { Collector } from './check-kit.js';
import type { HeaderAction, RouteRule } from './route-schema.js';
import type { Spec } from './schema.js';

/** Header names Google does not let a header action or custom header set or remove. */
const RESERVED_HEADER = /^(:|host$|authority$|x-user-ip$|x-goog|x-google|x-gfe|x-amz-|content-length$|transfer-encoding$|connection$)/i;

function checkHeaderAction(c: Collector, key: string, action: HeaderAction | undefined): void {
  if (!action) return;
  const names = [...Object.keys(action.set ?? {}), ...(action.remove ?? [])];
  for (const name of names) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) c.error(key, `"${name}" is not a header name`, 'use letters, digits and hyphens, such as X-Canary', 'route-header-action');
    else if (RESERVED_HEADER.test(name)) c.error(key, `header "${name}" cannot be set or removed by the load balancer`, 'Google keeps Host, authority, X-User-IP, pseudo-headers, X-Goog-*, X-Google-*, X-GFE-*, X-Amz-* and framing headers to itself', 'route-header-action');
  }
  if (action.set && Object.keys(action.set).length === 0 && !action.remove) c.error(key, 'sets and removes nothing', 'list headers under set or remove, or drop it', 'route-header-action');
}

function checkRuleList(spec: Spec, c: Collector, at: string, rules: readonly RouteRule[], backendNames: Set<string>): void {
  const classic = spec.type === 'classic';
  const priorities = new Map<number, number>();
  const ref = (key: string, name: string) => {
    if (!backendNames.has(name)) c.error(key, `no backend is named "${name}"`, `use one of: ${[...backendNames].join(', ')}`, 'routing-backend-exists');
  };
  rules.forEach((rule, i) => {
    const key = `${at}.${i}`;
    const priority = rule.priority ?? (i + 1) * 10;
    const other = priorities.get(priority);
    if (other !== undefined) c.error(`${key}.priority`, `priority ${priority} is also the priority of ${at}.${other}`, 'give every route rule its own priority (lower is tried first)', 'route-priority-unique');
    priorities.set(priority, i);

    const targets = [rule.backend, rule.backends, rule.redirect].filter((t) => t !== undefined).length;
    if (targets !== 1) c.error(key, targets === 0 ? 'sends requests nowhere' : 'names more than one of backend, backends and redirect', 'give exactly one of backend, backends (a weighted split) or redirect', 'route-target');
    if (rule.backend !== undefined) ref(`${key}.backend`, rule.backend);
    rule.backends?.forEach((b, j) => ref(`${key}.backends.${j}.backend`, b.backend));
    if (rule.backends && rule.backends.every((b) => b.weight === 0)) c.error(`${key}.backends`, 'every weight is 0', 'give at least one backend a weight above 0', 'route-target');
    if (rule.backends && new Set(rule.backends.map((b) => b.backend)).size !== rule.backends.length) c.error(`${key}.backends`, 'names a backend twice', 'list each backend of a split once', 'route-target');
    if (rule.mirror !== undefined) ref(`${key}.mirror`, rule.mirror);
    if (rule.redirect) {
      const actions = (['rewrite', 'timeoutSec', 'retry', 'mirror', 'requestHeaders', 'cors'] as const).filter((k) => rule[k] !== undefined);
      if (actions.length > 0) c.error(key, `a redirect takes no ${actions.join(', ')}`, 'the request is answered by the redirect and goes to no backend: remove them', 'route-target');
      if (rule.redirect.path !== undefined && rule.redirect.prefix !== undefined) c.error(`${key}.redirect`, 'has both path and prefix', 'give path (replaces the whole path) or prefix (replaces the matched pathPrefix)', 'route-target');
      if (rule.redirect.prefix !== undefined && rule.match.pathPrefix === undefined) c.error(`${key}.redirect.prefix`, 'replaces the matched prefix, but the rule matches no pathPrefix', 'add match.pathPrefix, or use redirect.path', 'route-target');
    }
    if (rule.rewrite && rule.rewrite.pathPrefix === undefined && rule.rewrite.host === undefined) c.error(`${key}.rewrite`, 'rewrites nothing', 'give pathPrefix and/or host', 'route-target');
    if (rule.rewrite?.pathPrefix !== undefined && rule.match.pathPrefix === undefined && rule.match.path === undefined) c.error(`${key}.rewrite.pathPrefix`, 'replaces the matched path prefix, but the rule matches on no path', 'add match.pathPrefix (or match.path)', 'route-target');

    const m = rule.match;
    const pathForms = [m.pathPrefix, m.path, m.pathRegex].filter((p) => p !== undefined).length;
    if (pathForms > 1) c.error(`${key}.match`, 'has more than one of pathPrefix, path and pathRegex', 'match the path one way', 'route-match');
    for (const field of ['pathPrefix', 'path'] as const) {
      const value = m[field];
      if (value !== undefined && (!value.startsWith('/') || /[?#]/.test(value))) c.error(`${key}.match.${field}`, `"${value}" is not a path`, 'start with / and leave out ? and #', 'route-match');
    }
    m.headers?.forEach((h, j) => {
      const conditions = [h.exact, h.prefix, h.suffix, h.regex, h.present].filter((v) => v !== undefined).length;
      if (conditions !== 1) c.error(`${key}.match.headers.${j}`, `header "${h.name}" needs exactly one of exact, prefix, suffix, regex and present`, 'say how the header is matched, one way', 'route-match');
      if (h.regex !== undefined && classic) c.error(`${key}.match.headers.${j}.regex`, 'the classic Application Load Balancer matches no regular expression', 'use exact, prefix, suffix or present, or the global-external type', 'route-type');
    });
    m.query?.forEach((q, j) => {
      const conditions = [q.exact, q.regex, q.present].filter((v) => v !== undefined).length;
      if (conditions !== 1) c.error(`${key}.match.query.${j}`, `query parameter "${q.name}" needs exactly one of exact, regex and present`, 'say how the parameter is matched, one way', 'route-match');
      if (q.regex !== undefined && classic) c.error(`${key}.match.query.${j}.regex`, 'the classic Application Load Balancer matches no regular expression', 'use exact or present, or the global-external type', 'route-type');
    });
    if (classic && m.pathRegex !== undefined) c.error(`${key}.match.pathRegex`, 'the classic Application Load Balancer matches no regular expression', 'use pathPrefix or path, or the global-external type', 'route-type');
    if (classic && m.methods && m.methods.length > 1) c.error(`${key}.match.methods`, 'the classic Application Load Balancer matches one method per rule (several need a regular expression)', 'write one rule per method, or use the global-external type', 'route-type');

    if (classic) {
      const refused = (['backends', 'timeoutSec', 'retry', 'requestHeaders', 'responseHeaders', 'mirror', 'cors'] as const).filter((k) => rule[k] !== undefined);
      for (const k of refused) c.error(`${key}.${k}`, `the classic Application Load Balancer takes no ${k === 'backends' ? 'weighted split' : k} in a route rule`, 'use the global-external type (docs/changing.md migrates a classic load balancer in place)', 'route-type');
    }
    if (rule.retry?.perTryTimeoutSec !== undefined && rule.timeoutSec !== undefined && rule.retry.perTryTimeoutSec > rule.timeoutSec) {
      c.error(`${key}.retry.perTryTimeoutSec`, `${rule.retry.perTryTimeoutSec} s is longer than the route's timeoutSec, ${rule.timeoutSec} s`, 'make each try shorter than the whole route', 'route-target');
    }
    checkHeaderAction(c, `${key}.requestHeaders`, rule.requestHeaders);
    checkHeaderAction(c, `${key}.responseHeaders`, rule.responseHeaders);
  });
}

/** Route rules: targets, matches, priorities and what each load balancer type takes; the custom headers of options.headers. */
export function checkRoutes(spec: Spec, c: Collector): void {
  const headers = spec.options.headers;
  if (headers) {
    checkHeaderAction(c, 'options.headers.request', headers.request ? { set: headers.request } : undefined);
    checkHeaderAction(c, 'options.headers.response', headers.response ? { set: headers.response } : undefined);
  }
  const backendNames = new Set(spec.backends.map((b) => b.name));
  const canary = spec.routing.canary;
  if (canary) {
    if (spec.routing.routes) c.error('routing.canary', 'and routing.routes both route every host no host rule names', 'put the split in routing.routes (a rule with backends and weights), or drop routing.routes', 'route-target');
    if (!backendNames.has(canary.backend)) c.error('routing.canary.backend', `no backend is named "${canary.backend}"`, `use one of: ${[...backendNames].join(', ')}`, 'routing-backend-exists');
    else if (canary.backend === (spec.routing.defaultBackend ?? spec.backends[0]!.name)) c.error('routing.canary.backend', `"${canary.backend}" is the default backend: the canary must be another one`, 'name the backend of the new version, and keep the current one as routing.defaultBackend', 'route-target');
    if (spec.type === 'classic') c.error('routing.canary', 'the classic Application Load Balancer takes no weighted split', 'use the global-external type (docs/changing.md migrates a classic load balancer in place)', 'route-type');
  }
  if (spec.routing.routes) {
    checkRuleList(spec, c, 'routing.routes', spec.routing.routes, backendNames);
    const star = spec.routing.hosts.findIndex((h) => h.hosts.includes('*'));
    if (star >= 0) c.error('routing.routes', `routes every host no host rule names, and routing.hosts.${star} names "*" too`, 'move those routes into routing.hosts.' + star + '.routes, or drop "*" from it', 'route-paths-or-routes');
  }
  spec.routing.hosts.forEach((host, i) => {
    if (!host.routes) return;
    if (host.paths.length > 0) c.error(`routing.hosts.${i}`, 'has both paths and routes', 'Google takes path rules or route rules in one path matcher, not both: write the paths as routes (match.pathPrefix)', 'route-paths-or-routes');
    checkRuleList(spec, c, `routing.hosts.${i}.routes`, host.routes, backendNames);
  });
}
