/**
 * A URL map path matcher's `routeRules` back in the config's words (`routes`, src/spec/route-schema.ts):
 * the inverse of src/kinds/url-map-routes.ts. What the config has no words for (several match rules
 * in one route, range and metadata matches, fault injection, a weighted backend's own header
 * action, ...) is said through `say`, never dropped; whether the result matches what exists field by
 * field is the plan's to say (run-import.ts). Pure: no I/O.
 */
import { REDIRECT_CODE_NAMES } from '../kinds/url-map-routes.js';

type Body = Record<string, unknown>;
type Say = (text: string) => void;

const REDIRECT_CODES: Record<string, number> = Object.fromEntries(Object.entries(REDIRECT_CODE_NAMES).map(([code, name]) => [name, Number(code)]));
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const list = (v: unknown): Body[] => (Array.isArray(v) ? (v as Body[]) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const has = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** Seconds of a Google duration `{seconds, nanos}`. */
function seconds(d: unknown): number | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const { seconds: s, nanos } = d as { seconds?: unknown; nanos?: unknown };
  return Number(s ?? 0) + Number(nanos ?? 0) / 1e9;
}

/** Keys of `body` that hold something and are not among `known`. */
function unknownKeys(body: Body, known: readonly string[]): string[] {
  return Object.keys(body).filter((k) => has(body[k]) && !known.includes(k));
}

function headerActionOf(action: Body | undefined, where: string, say: Say): { requestHeaders?: Body; responseHeaders?: Body } {
  if (!action) return {};
  for (const k of unknownKeys(action, ['requestHeadersToAdd', 'requestHeadersToRemove', 'responseHeadersToAdd', 'responseHeadersToRemove'])) say(`${where}: headerAction.${k} is not imported yet`);
  const side = (adds: unknown, removes: unknown): Body | undefined => {
    const out: Body = {};
    const added = list(adds);
    if (added.some((h) => h.replace === false)) say(`${where}: headers appended to what is there (replace: false) are not imported yet`);
    if (added.length > 0) out.set = Object.fromEntries(added.map((h) => [String(h.headerName), String(h.headerValue ?? '')]));
    if (strings(removes).length > 0) out.remove = strings(removes);
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const request = side(action.requestHeadersToAdd, action.requestHeadersToRemove);
  const response = side(action.responseHeadersToAdd, action.responseHeadersToRemove);
  return { ...(request ? { requestHeaders: request } : {}), ...(response ? { responseHeaders: response } : {}) };
}

function matchOf(rule: Body, where: string, say: Say): Body {
  const rules = list(rule.matchRules);
  if (rules.length > 1) say(`${where}: ${rules.length} match rules in one route (either may match) are not imported yet: one route each`);
  const m = rules[0] ?? {};
  for (const k of unknownKeys(m, ['prefixMatch', 'fullPathMatch', 'regexMatch', 'ignoreCase', 'headerMatches', 'queryParameterMatches'])) say(`${where}: matchRules.${k} is not imported yet`);
  const out: Body = {};
  if (typeof m.fullPathMatch === 'string') out.path = m.fullPathMatch;
  else if (typeof m.regexMatch === 'string') out.pathRegex = m.regexMatch;
  else if (typeof m.prefixMatch === 'string' && m.prefixMatch !== '/') out.pathPrefix = m.prefixMatch;
  if (typeof m.ignoreCase === 'boolean') out.ignoreCase = m.ignoreCase;
  const headers: Body[] = [];
  for (const h of list(m.headerMatches)) {
    for (const k of unknownKeys(h, ['headerName', 'exactMatch', 'prefixMatch', 'suffixMatch', 'regexMatch', 'presentMatch', 'invertMatch'])) say(`${where}: header match ${String(h.headerName)}: ${k} is not imported yet`);
    if (h.headerName === ':method') {
      const methods = typeof h.exactMatch === 'string' ? [h.exactMatch] : typeof h.regexMatch === 'string' ? h.regexMatch.split('|') : [];
      if (methods.length > 0 && methods.every((x) => METHODS.has(x)) && h.invertMatch !== true) {
        out.methods = methods;
        continue;
      }
    }
    const header: Body = { name: h.headerName };
    if (typeof h.exactMatch === 'string') header.exact = h.exactMatch;
    if (typeof h.prefixMatch === 'string') header.prefix = h.prefixMatch;
    if (typeof h.suffixMatch === 'string') header.suffix = h.suffixMatch;
    if (typeof h.regexMatch === 'string') header.regex = h.regexMatch;
    if (typeof h.presentMatch === 'boolean') header.present = h.presentMatch;
    if (h.invertMatch === true) header.invert = true;
    headers.push(header);
  }
  if (headers.length > 0) out.headers = headers;
  const query = list(m.queryParameterMatches).map((q) => {
    const param: Body = { name: q.name };
    if (typeof q.exactMatch === 'string') param.exact = q.exactMatch;
    if (typeof q.regexMatch === 'string') param.regex = q.regexMatch;
    if (typeof q.presentMatch === 'boolean') param.present = q.presentMatch;
    return param;
  });
  if (query.length > 0) out.query = query;
  return out;
}

function redirectOf(r: Body): Body {
  const out: Body = {};
  if (typeof r.hostRedirect === 'string') out.host = r.hostRedirect;
  if (typeof r.pathRedirect === 'string') out.path = r.pathRedirect;
  if (typeof r.prefixRedirect === 'string') out.prefix = r.prefixRedirect;
  if (r.httpsRedirect === true) out.https = true;
  const code = REDIRECT_CODES[String(r.redirectResponseCode ?? 'MOVED_PERMANENTLY_DEFAULT')] ?? 301;
  if (code !== 301) out.code = code;
  if (r.stripQuery === true) out.stripQuery = true;
  return out;
}

function actionOf(action: Body, out: Body, where: string, backendOf: (ref: unknown) => string | undefined, say: Say): void {
  for (const k of unknownKeys(action, ['weightedBackendServices', 'urlRewrite', 'timeout', 'retryPolicy', 'requestMirrorPolicy', 'corsPolicy'])) say(`${where}: routeAction.${k} is not imported yet`);
  const weighted = list(action.weightedBackendServices);
  if (weighted.length > 0) {
    out.backends = weighted.map((w) => {
      if (w.headerAction && Object.values(w.headerAction as Body).some(has)) say(`${where}: a weighted backend's own header action is not imported yet`);
      const backend = backendOf(w.backendService);
      if (!backend) say(`${where}: a weighted backend is not a backend service of this load balancer`);
      return { backend, weight: Number(w.weight ?? 0) };
    });
  }
  const rewrite = action.urlRewrite as Body | undefined;
  if (rewrite) {
    if (has(rewrite.pathTemplateRewrite)) say(`${where}: urlRewrite.pathTemplateRewrite is not imported yet`);
    out.rewrite = { ...(typeof rewrite.pathPrefixRewrite === 'string' ? { pathPrefix: rewrite.pathPrefixRewrite } : {}), ...(typeof rewrite.hostRewrite === 'string' ? { host: rewrite.hostRewrite } : {}) };
  }
  const timeout = seconds(action.timeout);
  if (timeout !== undefined) out.timeoutSec = timeout;
  const retry = action.retryPolicy as Body | undefined;
  if (retry) {
    const perTry = seconds(retry.perTryTimeout);
    out.retry = { attempts: Number(retry.numRetries ?? 1), on: strings(retry.retryConditions), ...(perTry !== undefined ? { perTryTimeoutSec: perTry } : {}) };
  }
  const mirror = action.requestMirrorPolicy as Body | undefined;
  if (mirror) {
    out.mirror = backendOf(mirror.backendService);
    if (!out.mirror) say(`${where}: the mirror is not a backend service of this load balancer`);
  }
  const cors = action.corsPolicy as Body | undefined;
  if (cors) {
    if (has(cors.allowOriginRegexes) || cors.disabled === true) say(`${where}: corsPolicy.${has(cors.allowOriginRegexes) ? 'allowOriginRegexes' : 'disabled'} is not imported yet`);
    out.cors = {
      allowOrigins: strings(cors.allowOrigins),
      ...(strings(cors.allowMethods).length > 0 ? { allowMethods: strings(cors.allowMethods) } : {}),
      ...(strings(cors.allowHeaders).length > 0 ? { allowHeaders: strings(cors.allowHeaders) } : {}),
      ...(strings(cors.exposeHeaders).length > 0 ? { exposeHeaders: strings(cors.exposeHeaders) } : {}),
      ...(cors.maxAge !== undefined ? { maxAgeSec: Number(cors.maxAge) } : {}),
      ...(typeof cors.allowCredentials === 'boolean' ? { allowCredentials: cors.allowCredentials } : {}),
    };
  }
}

/**
 * The config's `routes` for a path matcher's route rules; `backendOf` names the backend of a
 * backend service reference (undefined: not one of this load balancer's). Priorities the config
 * would give anyway (position times ten) are left out.
 */
export function importedRoutes(matcherName: string, mapName: string, routeRules: unknown, backendOf: (ref: unknown) => string | undefined, say: Say): Body[] {
  return list(routeRules).map((rule, i) => {
    const where = `URL map ${mapName}, path matcher ${matcherName}, route rule ${String(rule.priority ?? i)}`;
    for (const k of unknownKeys(rule, ['priority', 'matchRules', 'service', 'routeAction', 'urlRedirect', 'headerAction', 'description'])) say(`${where}: ${k} is not imported yet`);
    const out: Body = {};
    if (rule.priority !== undefined && Number(rule.priority) !== (i + 1) * 10) out.priority = Number(rule.priority);
    const match = matchOf(rule, where, say);
    if (Object.keys(match).length > 0) out.match = match;
    if (rule.urlRedirect) out.redirect = redirectOf(rule.urlRedirect as Body);
    if (has(rule.service)) {
      out.backend = backendOf(rule.service);
      if (!out.backend) say(`${where}: its service is not a backend service of this load balancer`);
    }
    if (rule.routeAction) actionOf(rule.routeAction as Body, out, where, backendOf, say);
    Object.assign(out, headerActionOf(rule.headerAction as Body | undefined, where, say));
    return out;
  });
}
