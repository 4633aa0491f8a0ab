/**
 * Route rules of the URL map: the config's `routes` (src/spec/route-schema.ts) in Google's words
 * (`pathMatchers[].routeRules`, UrlMaps reference), and back out as Terraform blocks.
 *
 * Contract: `routeRulesBody` writes every field Google echoes (redirect flags, `replace` on header
 * adds) so a re-read body compares equal; durations are `{seconds: "N", nanos?}` as Google's JSON
 * writes int64 values.
 */
import type { HeaderAction, RouteMatch, RouteRule } from '../spec/route-schema.js';
import { attr, type BlockItem, type HclValue } from '../model/hcl.js';
import { sub } from './terraform-words.js';

/** Google's names of the redirect statuses (`redirectResponseCode`). */
export const REDIRECT_CODE_NAMES: Record<number, string> = {
  301: 'MOVED_PERMANENTLY_DEFAULT',
  302: 'FOUND',
  303: 'SEE_OTHER',
  307: 'TEMPORARY_REDIRECT',
  308: 'PERMANENT_REDIRECT',
};

/** A duration in Google's JSON form. */
export function duration(seconds: number): Record<string, unknown> {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  return nanos > 0 ? { seconds: String(whole), nanos } : { seconds: String(whole) };
}

function matchRule(m: RouteMatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.path !== undefined) out.fullPathMatch = m.path;
  else if (m.pathRegex !== undefined) out.regexMatch = m.pathRegex;
  else out.prefixMatch = m.pathPrefix ?? '/';
  if (m.ignoreCase !== undefined) out.ignoreCase = m.ignoreCase;
  const headers: Record<string, unknown>[] = (m.headers ?? []).map((h) => {
    const header: Record<string, unknown> = { headerName: h.name };
    if (h.exact !== undefined) header.exactMatch = h.exact;
    if (h.prefix !== undefined) header.prefixMatch = h.prefix;
    if (h.suffix !== undefined) header.suffixMatch = h.suffix;
    if (h.regex !== undefined) header.regexMatch = h.regex;
    if (h.present !== undefined) header.presentMatch = h.present;
    if (h.invert !== undefined) header.invertMatch = h.invert;
    return header;
  });
  // Google matches the method as the `:method` pseudo-header.
  if (m.methods) headers.push(m.methods.length === 1 ? { headerName: ':method', exactMatch: m.methods[0] } : { headerName: ':method', regexMatch: m.methods.join('|') });
  if (headers.length > 0) out.headerMatches = headers;
  if (m.query) {
    out.queryParameterMatches = m.query.map((q) => {
      const param: Record<string, unknown> = { name: q.name };
      if (q.exact !== undefined) param.exactMatch = q.exact;
      if (q.regex !== undefined) param.regexMatch = q.regex;
      if (q.present !== undefined) param.presentMatch = q.present;
      return param;
    });
  }
  return out;
}

/** Google's headerAction for headers set and removed on requests and responses. */
export function headerAction(request: HeaderAction | undefined, response: HeaderAction | undefined): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const adds = (a: HeaderAction | undefined) => Object.entries(a?.set ?? {}).map(([headerName, headerValue]) => ({ headerName, headerValue, replace: true }));
  if (request?.set) out.requestHeadersToAdd = adds(request);
  if (request?.remove) out.requestHeadersToRemove = request.remove;
  if (response?.set) out.responseHeadersToAdd = adds(response);
  if (response?.remove) out.responseHeadersToRemove = response.remove;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Google's `routeRules` for a list of route rules; `service` gives the backend service reference of
 * a backend name. Priorities default to the rule's position times ten.
 */
export function routeRulesBody(rules: readonly RouteRule[], service: (backend: string) => string): Record<string, unknown>[] {
  return rules.map((rule, i) => {
    const out: Record<string, unknown> = { priority: rule.priority ?? (i + 1) * 10, matchRules: [matchRule(rule.match)] };
    if (rule.redirect) {
      const r = rule.redirect;
      const redirect: Record<string, unknown> = { httpsRedirect: r.https ?? false, redirectResponseCode: REDIRECT_CODE_NAMES[r.code], stripQuery: r.stripQuery ?? false };
      if (r.host !== undefined) redirect.hostRedirect = r.host;
      if (r.path !== undefined) redirect.pathRedirect = r.path;
      if (r.prefix !== undefined) redirect.prefixRedirect = r.prefix;
      out.urlRedirect = redirect;
    }
    if (rule.backend !== undefined) out.service = service(rule.backend);
    const action: Record<string, unknown> = {};
    if (rule.backends) action.weightedBackendServices = rule.backends.map((b) => ({ backendService: service(b.backend), weight: b.weight }));
    if (rule.rewrite) {
      const rewrite: Record<string, unknown> = {};
      if (rule.rewrite.pathPrefix !== undefined) rewrite.pathPrefixRewrite = rule.rewrite.pathPrefix;
      if (rule.rewrite.host !== undefined) rewrite.hostRewrite = rule.rewrite.host;
      action.urlRewrite = rewrite;
    }
    if (rule.timeoutSec !== undefined) action.timeout = duration(rule.timeoutSec);
    if (rule.retry) {
      action.retryPolicy = {
        numRetries: rule.retry.attempts,
        retryConditions: rule.retry.on,
        ...(rule.retry.perTryTimeoutSec !== undefined ? { perTryTimeout: duration(rule.retry.perTryTimeoutSec) } : {}),
      };
    }
    if (rule.mirror !== undefined) action.requestMirrorPolicy = { backendService: service(rule.mirror) };
    if (rule.cors) {
      const c = rule.cors;
      action.corsPolicy = {
        allowOrigins: c.allowOrigins,
        ...(c.allowMethods ? { allowMethods: c.allowMethods } : {}),
        ...(c.allowHeaders ? { allowHeaders: c.allowHeaders } : {}),
        ...(c.exposeHeaders ? { exposeHeaders: c.exposeHeaders } : {}),
        ...(c.maxAgeSec !== undefined ? { maxAge: c.maxAgeSec } : {}),
        ...(c.allowCredentials !== undefined ? { allowCredentials: c.allowCredentials } : {}),
      };
    }
    if (Object.keys(action).length > 0) out.routeAction = action;
    const headers = headerAction(rule.requestHeaders, rule.responseHeaders);
    if (headers) out.headerAction = headers;
    return out;
  });
}

/** Keys whose values reference backend services (written as Terraform references). */
const REFERENCE_KEYS = new Set(['service', 'backendService']);

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A Google JSON object as Terraform blocks, the provider's way: each key in snake_case, nested
 * objects and lists of objects as blocks, lists of scalars and scalars as attributes; backend
 * service references through `ref`.
 */
export function jsonBlocks(value: Record<string, unknown>, ref: (path: string) => HclValue): BlockItem[] {
  const items: BlockItem[] = [];
  for (const [key, v] of Object.entries(value)) {
    const name = snake(key);
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      if (v.every((x) => x !== null && typeof x === 'object')) for (const x of v) items.push(sub(name, jsonBlocks(x as Record<string, unknown>, ref)));
      else items.push(...attr(name, v as HclValue[]));
    } else if (typeof v === 'object') items.push(sub(name, jsonBlocks(v as Record<string, unknown>, ref)));
    else if (typeof v === 'string' && REFERENCE_KEYS.has(key)) items.push(...attr(name, ref(v)));
    else items.push(...attr(name, v as HclValue));
  }
  return items;
}
