/**
 * URL map routing as Google's Application Load Balancers do it, over the compute JSON shape of a
 * URL map (hostRules, pathMatchers, pathRules, routeRules, defaultService, defaultUrlRedirect).
 *
 * Semantics held to (Google's URL map docs):
 * - Host rules: an exact host wins over a wildcard; among wildcards (`*.example.com`, `*-dev.example.com`)
 *   the longest wins; `*` alone matches any host. A pattern without a port matches the request host
 *   with any port; a pattern with a port (`example.com:8080`) needs that port. Case-insensitive.
 * - Path rules: `/*` at the end is a prefix match (`/a/*` matches `/a/` and `/a/b`, not `/a`), any other
 *   path is an exact match; the longest matching path wins, whatever the order of the rules.
 *   The query string is never part of the match.
 * - Route rules (advanced): lowest `priority` first; match rules `prefixMatch`, `fullPathMatch`,
 *   `regexMatch` (with `ignoreCase`); the first rule with a matching match rule wins.
 * - No rule matched: the path matcher's default (service or redirect), else the URL map's default.
 * Pure: no I/O.
 */

export interface UrlRedirect {
  hostRedirect?: string;
  pathRedirect?: string;
  prefixRedirect?: string;
  redirectResponseCode?: string;
  httpsRedirect?: boolean;
  stripQuery?: boolean;
}

interface WeightedBackendServices {
  weightedBackendServices?: { backendService?: string; weight?: number }[];
}

export interface PathRule {
  paths?: string[];
  service?: string;
  urlRedirect?: UrlRedirect;
  routeAction?: WeightedBackendServices;
}

export interface RouteRule {
  priority?: number;
  matchRules?: { prefixMatch?: string; fullPathMatch?: string; regexMatch?: string; ignoreCase?: boolean }[];
  service?: string;
  urlRedirect?: UrlRedirect;
  routeAction?: WeightedBackendServices;
}

export interface PathMatcher {
  name?: string;
  defaultService?: string;
  defaultUrlRedirect?: UrlRedirect;
  defaultRouteAction?: WeightedBackendServices;
  pathRules?: PathRule[];
  routeRules?: RouteRule[];
}

export interface UrlMap {
  name?: string;
  defaultService?: string;
  defaultUrlRedirect?: UrlRedirect;
  defaultRouteAction?: WeightedBackendServices;
  hostRules?: { hosts?: string[]; pathMatcher?: string }[];
  pathMatchers?: PathMatcher[];
}

export interface RoutingRequest {
  /** `http` or `https`: the protocol the client used to reach the load balancer. */
  scheme: 'http' | 'https';
  /** The Host header (may carry a port). */
  host: string;
  /** The path, without the query string. */
  path: string;
  /** The query string without the `?`, empty when none. */
  query: string;
}

export type RouteDecision =
  | { kind: 'service'; service: string; pathMatcher?: string; matched?: string }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'none'; reason: string };

const REDIRECT_CODES: Record<string, number> = {
  MOVED_PERMANENTLY_DEFAULT: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

function splitHostPort(host: string): { name: string; port?: string } {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    const rest = h.slice(end + 1);
    return { name: h.slice(0, end + 1), port: rest.startsWith(':') ? rest.slice(1) : undefined };
  }
  const i = h.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(h.slice(i + 1))) return { name: h.slice(0, i), port: h.slice(i + 1) };
  return { name: h };
}

/**
 * How well a host pattern matches a request host: -1 no match, otherwise higher is better
 * (exact > longer wildcard > shorter wildcard > `*`).
 */
export function hostPatternScore(pattern: string, requestHost: string): number {
  const p = splitHostPort(pattern);
  const r = splitHostPort(requestHost);
  if (p.port !== undefined && p.port !== r.port) return -1;
  const name = r.name.replace(/\.$/, '');
  const pat = p.name.replace(/\.$/, '');
  if (pat === '*') return 0;
  if (pat.startsWith('*')) {
    const suffix = pat.slice(1);
    return name.length > suffix.length && name.endsWith(suffix) ? 1 + suffix.length : -1;
  }
  return pat === name ? 1_000_000 : -1;
}

/** Whether a path rule pattern matches a path, per Google's pathRules semantics. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('/*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern === '*') return true;
  return pattern === path;
}

function firstWeighted(action: WeightedBackendServices | undefined): string | undefined {
  return action?.weightedBackendServices?.find((w) => w.backendService)?.backendService;
}

export function buildRedirect(redirect: UrlRedirect, req: RoutingRequest, matchedPrefix?: string): RouteDecision {
  const status = REDIRECT_CODES[redirect.redirectResponseCode ?? 'MOVED_PERMANENTLY_DEFAULT'] ?? 301;
  const scheme = redirect.httpsRedirect ? 'https' : req.scheme;
  let host = redirect.hostRedirect ?? req.host;
  // Switching scheme drops the port of the old scheme's listener.
  if (redirect.httpsRedirect && !redirect.hostRedirect) host = splitHostPort(host).name;
  let path = req.path;
  if (redirect.pathRedirect !== undefined) path = redirect.pathRedirect;
  else if (redirect.prefixRedirect !== undefined) {
    const prefix = matchedPrefix ?? '';
    path = redirect.prefixRedirect + path.slice(prefix.length);
  }
  const query = redirect.stripQuery ? '' : req.query;
  return { kind: 'redirect', status, location: `${scheme}://${host}${path}${query ? `?${query}` : ''}` };
}

function routeRuleMatch(rule: RouteRule, path: string): { matched: boolean; prefix?: string } {
  for (const m of rule.matchRules ?? [{ prefixMatch: '/' }]) {
    const p = m.ignoreCase ? path.toLowerCase() : path;
    if (m.fullPathMatch !== undefined) {
      const f = m.ignoreCase ? m.fullPathMatch.toLowerCase() : m.fullPathMatch;
      if (p === f) return { matched: true, prefix: m.fullPathMatch };
    } else if (m.regexMatch !== undefined) {
      if (new RegExp(`^(?:${m.regexMatch})$`, m.ignoreCase ? 'i' : '').test(path)) return { matched: true };
    } else {
      const pre = m.prefixMatch ?? '/';
      const f = m.ignoreCase ? pre.toLowerCase() : pre;
      if (p.startsWith(f)) return { matched: true, prefix: pre };
    }
  }
  return { matched: false };
}

function defaultOf(
  holder: { defaultService?: string; defaultUrlRedirect?: UrlRedirect; defaultRouteAction?: WeightedBackendServices },
  req: RoutingRequest,
  pathMatcher?: string,
): RouteDecision | undefined {
  if (holder.defaultUrlRedirect) return buildRedirect(holder.defaultUrlRedirect, req);
  const service = holder.defaultService ?? firstWeighted(holder.defaultRouteAction);
  if (service) return { kind: 'service', service, ...(pathMatcher ? { pathMatcher } : {}) };
  return undefined;
}

/** Picks what answers a request: a backend service (or bucket) URL, a redirect, or nothing. */
export function routeRequest(urlMap: UrlMap, req: RoutingRequest): RouteDecision {
  let best: { score: number; matcher: string } | undefined;
  for (const rule of urlMap.hostRules ?? []) {
    for (const host of rule.hosts ?? []) {
      const score = hostPatternScore(host, req.host);
      if (score >= 0 && rule.pathMatcher && (!best || score > best.score)) best = { score, matcher: rule.pathMatcher };
    }
  }
  const matcher = best ? urlMap.pathMatchers?.find((m) => m.name === best.matcher) : undefined;
  if (matcher) {
    const decision = routeWithMatcher(matcher, req);
    if (decision) return decision;
  }
  return defaultOf(urlMap, req) ?? { kind: 'none', reason: 'no rule matched and the URL map has no default' };
}

function routeWithMatcher(matcher: PathMatcher, req: RoutingRequest): RouteDecision | undefined {
  const name = matcher.name;
  if (matcher.routeRules && matcher.routeRules.length > 0) {
    const rules = [...matcher.routeRules].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    for (const rule of rules) {
      const m = routeRuleMatch(rule, req.path);
      if (!m.matched) continue;
      if (rule.urlRedirect) return buildRedirect(rule.urlRedirect, req, m.prefix);
      const service = rule.service ?? firstWeighted(rule.routeAction);
      if (service) return { kind: 'service', service, ...(name ? { pathMatcher: name } : {}), ...(m.prefix ? { matched: m.prefix } : {}) };
    }
  } else {
    let bestRule: { rule: PathRule; pattern: string } | undefined;
    for (const rule of matcher.pathRules ?? []) {
      for (const pattern of rule.paths ?? []) {
        if (pathPatternMatches(pattern, req.path) && (!bestRule || pattern.length > bestRule.pattern.length)) {
          bestRule = { rule, pattern };
        }
      }
    }
    if (bestRule) {
      const prefix = bestRule.pattern.endsWith('*') ? bestRule.pattern.slice(0, -1) : bestRule.pattern;
      if (bestRule.rule.urlRedirect) return buildRedirect(bestRule.rule.urlRedirect, req, prefix);
      const service = bestRule.rule.service ?? firstWeighted(bestRule.rule.routeAction);
      if (service) return { kind: 'service', service, ...(name ? { pathMatcher: name } : {}), matched: bestRule.pattern };
    }
  }
  return defaultOf(matcher, req, name);
}
