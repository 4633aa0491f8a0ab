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
 *   `regexMatch` (with `ignoreCase`), all of their `headerMatches` (exact, prefix, suffix, regex,
 *   present, `invertMatch`; `:method` is the request method) and `queryParameterMatches` (exact,
 *   regex, present); the first rule with a matching match rule wins.
 * - Weighted backend services: one is picked per request with probability weight / sum of weights,
 *   from the `random` function the caller gives (seedable).
 * - The route action (`urlRewrite`, `timeout`, ...) and the header actions that apply (URL map,
 *   path matcher, route rule, weighted backend service, least specific first) come with the decision.
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

export interface HeaderAction {
  requestHeadersToAdd?: { headerName?: string; headerValue?: string; replace?: boolean }[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: { headerName?: string; headerValue?: string; replace?: boolean }[];
  responseHeadersToRemove?: string[];
}

export interface Duration {
  seconds?: string | number;
  nanos?: number;
}

export interface RouteAction {
  weightedBackendServices?: { backendService?: string; weight?: number; headerAction?: HeaderAction }[];
  urlRewrite?: { pathPrefixRewrite?: string; hostRewrite?: string };
  timeout?: Duration;
  retryPolicy?: { numRetries?: number; retryConditions?: string[]; perTryTimeout?: Duration };
  requestMirrorPolicy?: { backendService?: string };
  corsPolicy?: CorsPolicy;
}

export interface CorsPolicy {
  allowOrigins?: string[];
  allowOriginRegexes?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
  allowCredentials?: boolean;
  disabled?: boolean;
}

type WeightedBackendServices = RouteAction;

export interface HeaderMatch {
  headerName?: string;
  exactMatch?: string;
  prefixMatch?: string;
  suffixMatch?: string;
  regexMatch?: string;
  presentMatch?: boolean;
  invertMatch?: boolean;
}

export interface QueryParameterMatch {
  name?: string;
  exactMatch?: string;
  regexMatch?: string;
  presentMatch?: boolean;
}

export interface PathRule {
  paths?: string[];
  service?: string;
  urlRedirect?: UrlRedirect;
  routeAction?: WeightedBackendServices;
}

export interface RouteRule {
  priority?: number;
  matchRules?: {
    prefixMatch?: string;
    fullPathMatch?: string;
    regexMatch?: string;
    ignoreCase?: boolean;
    headerMatches?: HeaderMatch[];
    queryParameterMatches?: QueryParameterMatch[];
  }[];
  service?: string;
  urlRedirect?: UrlRedirect;
  routeAction?: RouteAction;
  headerAction?: HeaderAction;
}

export interface PathMatcher {
  name?: string;
  defaultService?: string;
  defaultUrlRedirect?: UrlRedirect;
  defaultRouteAction?: WeightedBackendServices;
  headerAction?: HeaderAction;
  pathRules?: PathRule[];
  routeRules?: RouteRule[];
}

export interface UrlMap {
  name?: string;
  defaultService?: string;
  defaultUrlRedirect?: UrlRedirect;
  defaultRouteAction?: WeightedBackendServices;
  headerAction?: HeaderAction;
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
  /** The request method (GET when not given). */
  method?: string;
  /** Request headers, names in lower case. */
  headers?: Record<string, string>;
}

export type RouteDecision =
  | {
      kind: 'service';
      service: string;
      pathMatcher?: string;
      matched?: string;
      /** The route action of the rule that matched (rewrite, timeout, retries, mirror). */
      action?: RouteAction;
      /** The header actions that apply, least specific first. */
      headerActions?: HeaderAction[];
    }
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

const whole = (pattern: string, value: string, flags = ''): boolean => new RegExp(`^(?:${pattern})$`, flags).test(value);

/** Google's HttpHeaderMatch against the request (`:method` is the method). */
function headerMatches(m: HeaderMatch, req: RoutingRequest): boolean {
  const name = (m.headerName ?? '').toLowerCase();
  const value = name === ':method' ? (req.method ?? 'GET') : req.headers?.[name];
  let ok: boolean;
  if (m.presentMatch !== undefined) ok = m.presentMatch ? value !== undefined : value === undefined;
  else if (value === undefined) ok = false;
  else if (m.exactMatch !== undefined) ok = value === m.exactMatch;
  else if (m.prefixMatch !== undefined) ok = value.startsWith(m.prefixMatch);
  else if (m.suffixMatch !== undefined) ok = value.endsWith(m.suffixMatch);
  else if (m.regexMatch !== undefined) ok = whole(m.regexMatch, value);
  else ok = true;
  return m.invertMatch ? !ok : ok;
}

/** Google's HttpQueryParameterMatch: the first value of the parameter counts. */
function queryMatches(m: QueryParameterMatch, query: string): boolean {
  const value = new URLSearchParams(query).get(m.name ?? '');
  if (m.presentMatch !== undefined) return m.presentMatch === (value !== null);
  if (value === null) return false;
  if (m.exactMatch !== undefined) return value === m.exactMatch;
  if (m.regexMatch !== undefined) return whole(m.regexMatch, value);
  return true;
}

function routeRuleMatch(rule: RouteRule, req: RoutingRequest): { matched: boolean; prefix?: string } {
  const path = req.path;
  for (const m of rule.matchRules ?? [{ prefixMatch: '/' }]) {
    if (!(m.headerMatches ?? []).every((h) => headerMatches(h, req))) continue;
    if (!(m.queryParameterMatches ?? []).every((q) => queryMatches(q, req.query))) continue;
    const p = m.ignoreCase ? path.toLowerCase() : path;
    if (m.fullPathMatch !== undefined) {
      const f = m.ignoreCase ? m.fullPathMatch.toLowerCase() : m.fullPathMatch;
      if (p === f) return { matched: true, prefix: m.fullPathMatch };
    } else if (m.regexMatch !== undefined) {
      if (whole(m.regexMatch, path, m.ignoreCase ? 'i' : '')) return { matched: true };
    } else {
      const pre = m.prefixMatch ?? '/';
      const f = m.ignoreCase ? pre.toLowerCase() : pre;
      if (p.startsWith(f)) return { matched: true, prefix: pre };
    }
  }
  return { matched: false };
}

/** One of the weighted backend services, with probability weight / sum (none when all weigh 0). */
export function pickWeighted(action: RouteAction | undefined, random: () => number): { backendService: string; headerAction?: HeaderAction } | undefined {
  const choices = (action?.weightedBackendServices ?? []).filter((w) => w.backendService && (w.weight ?? 0) > 0);
  const total = choices.reduce((sum, w) => sum + (w.weight ?? 0), 0);
  if (total === 0) return undefined;
  let at = random() * total;
  for (const w of choices) {
    at -= w.weight ?? 0;
    if (at < 0) return { backendService: w.backendService!, ...(w.headerAction ? { headerAction: w.headerAction } : {}) };
  }
  const last = choices.at(-1)!;
  return { backendService: last.backendService!, ...(last.headerAction ? { headerAction: last.headerAction } : {}) };
}

/** The service a holder of `service` / `routeAction` sends to, with the weighted pick's header action. */
function serviceOf(service: string | undefined, action: RouteAction | undefined, random: () => number): { service?: string; headerAction?: HeaderAction } {
  if (service) return { service };
  const picked = pickWeighted(action, random);
  return picked ? { service: picked.backendService, ...(picked.headerAction ? { headerAction: picked.headerAction } : {}) } : {};
}

function defaultOf(
  holder: { defaultService?: string; defaultUrlRedirect?: UrlRedirect; defaultRouteAction?: WeightedBackendServices },
  req: RoutingRequest,
  random: () => number,
  headerActions: HeaderAction[],
  pathMatcher?: string,
): RouteDecision | undefined {
  if (holder.defaultUrlRedirect) return buildRedirect(holder.defaultUrlRedirect, req);
  const { service, headerAction } = serviceOf(holder.defaultService, holder.defaultRouteAction, random);
  if (service) return { kind: 'service', service, ...(pathMatcher ? { pathMatcher } : {}), ...(holder.defaultRouteAction ? { action: holder.defaultRouteAction } : {}), headerActions: headerAction ? [...headerActions, headerAction] : headerActions };
  return undefined;
}

/**
 * Picks what answers a request: a backend service (or bucket) URL, a redirect, or nothing.
 * `random` (0 <= x < 1) picks among weighted backend services.
 */
export function routeRequest(urlMap: UrlMap, req: RoutingRequest, random: () => number = Math.random): RouteDecision {
  let best: { score: number; matcher: string } | undefined;
  for (const rule of urlMap.hostRules ?? []) {
    for (const host of rule.hosts ?? []) {
      const score = hostPatternScore(host, req.host);
      if (score >= 0 && rule.pathMatcher && (!best || score > best.score)) best = { score, matcher: rule.pathMatcher };
    }
  }
  const matcher = best ? urlMap.pathMatchers?.find((m) => m.name === best.matcher) : undefined;
  const top = urlMap.headerAction ? [urlMap.headerAction] : [];
  if (matcher) {
    const decision = routeWithMatcher(matcher, req, random, top);
    if (decision) return decision;
  }
  return defaultOf(urlMap, req, random, top) ?? { kind: 'none', reason: 'no rule matched and the URL map has no default' };
}

function routeWithMatcher(matcher: PathMatcher, req: RoutingRequest, random: () => number, above: HeaderAction[]): RouteDecision | undefined {
  const name = matcher.name;
  const headerActions = matcher.headerAction ? [...above, matcher.headerAction] : above;
  if (matcher.routeRules && matcher.routeRules.length > 0) {
    const rules = [...matcher.routeRules].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    for (const rule of rules) {
      const m = routeRuleMatch(rule, req);
      if (!m.matched) continue;
      if (rule.urlRedirect) return buildRedirect(rule.urlRedirect, req, m.prefix);
      const { service, headerAction } = serviceOf(rule.service, rule.routeAction, random);
      if (!service) continue;
      const actions = [...headerActions, ...(rule.headerAction ? [rule.headerAction] : []), ...(headerAction ? [headerAction] : [])];
      return { kind: 'service', service, ...(name ? { pathMatcher: name } : {}), ...(m.prefix ? { matched: m.prefix } : {}), ...(rule.routeAction ? { action: rule.routeAction } : {}), headerActions: actions };
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
      const { service, headerAction } = serviceOf(bestRule.rule.service, bestRule.rule.routeAction, random);
      if (service) return { kind: 'service', service, ...(name ? { pathMatcher: name } : {}), matched: bestRule.pattern, ...(bestRule.rule.routeAction ? { action: bestRule.rule.routeAction } : {}), headerActions: headerAction ? [...headerActions, headerAction] : headerActions };
    }
  }
  return defaultOf(matcher, req, random, headerActions, name);
}
