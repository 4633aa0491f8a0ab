/**
 * The requests that prove route rules (`routing.routes`, `routing.hosts[].routes`): for each rule
 * that sends to one backend, a request made to fit its match (path, headers, query parameters,
 * method) with what the backend should see (the rewritten path and host, the headers set on the
 * request) and what the answer should carry (the headers set on the response); for each weighted
 * split, a sample of requests whose answers are counted per backend.
 *
 * A rule gets no request where none can be made safely or surely: a regular expression to match, a
 * method other than GET, HEAD or OPTIONS (verify changes nothing), or a request an earlier rule
 * would take. Those rules are listed in `unprobed` with the reason. Pure.
 */
import { defaultRoutes, type RouteRule } from '../spec/route-schema.js';
import type { Backend, Spec } from '../spec/schema.js';

/** A request shaped to fit a rule. */
export interface ShapedRequest {
  path: string;
  /** Query string without `?`, empty when none. */
  query: string;
  method: string;
  headers: Record<string, string>;
}

/** How a request to a route-rule list ends. */
export type RuleOutcome = { kind: 'rule'; index: number; rule: RouteRule; prefix?: string } | { kind: 'default' };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function headerHolds(h: NonNullable<RouteRule['match']['headers']>[number], req: ShapedRequest): boolean {
  const name = h.name.toLowerCase();
  const value = name === ':method' ? req.method : req.headers[name];
  let ok: boolean;
  if (h.present !== undefined) ok = h.present ? value !== undefined : value === undefined;
  else if (value === undefined) ok = false;
  else if (h.exact !== undefined) ok = value === h.exact;
  else if (h.prefix !== undefined) ok = value.startsWith(h.prefix);
  else if (h.suffix !== undefined) ok = value.endsWith(h.suffix);
  else if (h.regex !== undefined) ok = new RegExp(`^(?:${h.regex})$`).test(value);
  else ok = true;
  return h.invert ? !ok : ok;
}

/** Whether a rule's match holds for a request, and the path prefix it matched. */
export function ruleMatches(rule: RouteRule, req: ShapedRequest): { matched: boolean; prefix?: string } {
  const m = rule.match;
  if (m.methods && !m.methods.includes(req.method as (typeof m.methods)[number])) return { matched: false };
  if (!(m.headers ?? []).every((h) => headerHolds(h, req))) return { matched: false };
  const params = new URLSearchParams(req.query);
  for (const q of m.query ?? []) {
    const value = params.get(q.name);
    if (q.present !== undefined ? q.present !== (value !== null) : value === null) return { matched: false };
    if (value !== null && q.exact !== undefined && value !== q.exact) return { matched: false };
    if (value !== null && q.regex !== undefined && !new RegExp(`^(?:${q.regex})$`).test(value)) return { matched: false };
  }
  const fold = (s: string) => (m.ignoreCase ? s.toLowerCase() : s);
  if (m.path !== undefined) return fold(req.path) === fold(m.path) ? { matched: true, prefix: m.path } : { matched: false };
  if (m.pathRegex !== undefined) return new RegExp(`^(?:${m.pathRegex})$`, m.ignoreCase ? 'i' : '').test(req.path) ? { matched: true } : { matched: false };
  const prefix = m.pathPrefix ?? '/';
  return fold(req.path).startsWith(fold(prefix)) ? { matched: true, prefix } : { matched: false };
}

/** Which rule (lowest priority first) takes a request, or the path matcher's default. */
export function firstMatch(rules: readonly RouteRule[], req: ShapedRequest): RuleOutcome {
  const ordered = rules.map((rule, index) => ({ rule, index, priority: rule.priority ?? (index + 1) * 10 })).sort((a, b) => a.priority - b.priority);
  for (const { rule, index } of ordered) {
    const m = ruleMatches(rule, req);
    if (m.matched) return { kind: 'rule', index, rule, ...(m.prefix !== undefined ? { prefix: m.prefix } : {}) };
  }
  return { kind: 'default' };
}

/** A request that fits a rule's match, or why none can be made. */
export function shapeRequest(rule: RouteRule): ShapedRequest | { reason: string } {
  const m = rule.match;
  if (m.pathRegex !== undefined) return { reason: 'it matches the path by a regular expression' };
  const method = m.methods?.[0] ?? 'GET';
  if (!SAFE_METHODS.has(method)) return { reason: `it matches ${m.methods!.join(', ')} requests, and verify sends only GET, HEAD or OPTIONS` };
  const headers: Record<string, string> = {};
  for (const h of m.headers ?? []) {
    const name = h.name.toLowerCase();
    if (h.regex !== undefined && !h.invert) return { reason: `it matches header ${h.name} by a regular expression` };
    // An inverted condition holds when the header is left out (present: false inverted needs it).
    if (h.invert) {
      if (h.present === false) headers[name] = 'verify-probe';
      continue;
    }
    if (h.exact !== undefined) headers[name] = h.exact;
    else if (h.prefix !== undefined) headers[name] = `${h.prefix}verify-probe`;
    else if (h.suffix !== undefined) headers[name] = `verify-probe${h.suffix}`;
    else if (h.present === true) headers[name] = 'verify-probe';
  }
  const params = new URLSearchParams();
  for (const q of m.query ?? []) {
    if (q.regex !== undefined) return { reason: `it matches query parameter ${q.name} by a regular expression` };
    if (q.exact !== undefined) params.set(q.name, q.exact);
    else if (q.present === true) params.set(q.name, 'verify-probe');
  }
  return { path: m.path ?? m.pathPrefix ?? '/', query: params.toString(), method, headers };
}

/** The path and host the backend gets after a rule's rewrite. */
export function rewritten(rule: RouteRule, req: ShapedRequest, prefix: string | undefined, host: string | undefined): { path: string; host?: string } {
  let path = req.path;
  const pathPrefix = rule.rewrite?.pathPrefix;
  if (pathPrefix !== undefined && prefix !== undefined && path.startsWith(prefix)) path = pathPrefix + path.slice(prefix.length) || '/';
  const newHost = rule.rewrite?.host ?? host;
  return { path: path === '' ? '/' : path, ...(newHost !== undefined ? { host: newHost } : {}) };
}

/** The route rule lists of a Spec with the hosts each serves (`undefined` host: any host no rule names). */
export function routeRuleLists(spec: Spec): { where: string; key: string; hosts: string[] | undefined; rules: readonly RouteRule[]; defaultBackend: string }[] {
  const defaultBackend = spec.routing.defaultBackend ?? spec.backends[0]!.name;
  const out: ReturnType<typeof routeRuleLists> = [];
  spec.routing.hosts.forEach((h, i) => {
    if (h.routes) out.push({ where: `host rule ${h.hosts.join(', ')}`, key: `routing.hosts.${i}.routes`, hosts: h.hosts, rules: h.routes, defaultBackend: h.defaultBackend ?? defaultBackend });
  });
  const star = defaultRoutes(spec.routing, spec.backends[0]!.name);
  if (star) out.push({ where: 'routes', key: spec.routing.routes ? 'routing.routes' : 'routing.canary', hosts: undefined, rules: star, defaultBackend });
  return out;
}

export function backendNamed(spec: Spec, name: string): Backend {
  return spec.backends.find((b) => b.name === name)!;
}
