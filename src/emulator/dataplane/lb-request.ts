/**
 * One request through an emulated Application Load Balancer, as Google routes it:
 * forwarding rule -> target HTTP(S) proxy -> URL map (hosts, path matchers, path/route rules,
 * defaults, redirects) -> backend service (Cloud Armor policy) -> serverless NEG (the first backend
 * whose NEG exists: "closest region" for a loopback client) -> the serverless target.
 *
 * Answers (documented in docs/emulator.md, "Data plane"):
 * - 200 JSON `{platform, project, service, region, tag, version, host, path, via: "load-balancer", lb, ...}`
 *   from the target;
 * - 301/302/303/307/308 with Location for redirects;
 * - 404 (Google page) when nothing in the URL map matches and it has no default, or the serverless
 *   target does not exist / refuses the request by ingress; 403 (Google page) when invoker IAM refuses;
 * - Cloud Armor deny(N): status N;
 * - a backend service with no usable NEG: 502 on classic (EXTERNAL), 503 "no healthy upstream" on
 *   Envoy-based load balancers (EXTERNAL_MANAGED, INTERNAL_MANAGED); a backend bucket: 502 (not emulated);
 * - a route timeout shorter than the target takes: 504 "upstream request timeout" when it runs out;
 * - `Alt-Svc: h3=...` on every HTTPS answer of a proxy with `quicOverride: ENABLE`.
 */
import type { JsonObject, ResourceStore } from '../core/store.js';
import { serviceBehaviourPath, servicePath } from '../run/run-model.js';
import { googleErrorPage } from './google-pages.js';
import { evaluatePolicy, type PolicyRule } from './security-policy.js';
import { resolveNegTarget, type ServerlessTarget } from './serverless-target.js';
import { applyHeaderActions, corsAnswer, customHeaders, durationMs, rewriteRequest, type HeaderVariables } from './route-actions.js';
import { routeRequest, type UrlMap } from './url-map-routing.js';

export interface DataplaneResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How long the answer takes (a slow target, or a route timeout running out); the listener waits. */
  delayMs?: number;
}

export interface IncomingLbRequest {
  scheme: 'http' | 'https';
  method: string;
  /** Host header (may carry a port). */
  host: string;
  /** Request target, path and query (`/a/b?x=1`). */
  url: string;
  clientIp: string;
  headers: Record<string, string | string[] | undefined>;
}

const COMPUTE_URL = /^https?:\/\/(?:www|compute)\.googleapis\.com\/compute\/(?:v1|beta|alpha)\//;

/** Store path of a compute reference (full URL or `projects/...` path). */
export function refToPath(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined;
  const rest = ref.replace(COMPUTE_URL, '').replace(/^\/+/, '');
  return rest.startsWith('projects/') ? rest : undefined;
}

export function lastSegment(value: string): string {
  return value.split('/').filter(Boolean).at(-1) ?? value;
}

export function htmlResponse(status: number, path: string, extra: Record<string, string> = {}): DataplaneResponse {
  return { status, headers: { 'content-type': 'text/html; charset=UTF-8', ...extra }, body: googleErrorPage(status, path) };
}

export function targetResponse(target: ServerlessTarget, req: { host: string; path: string; query: string; method: string; headers?: Record<string, string> }, via: 'load-balancer' | 'default-url', lb?: { name: string; scheme: string; scope: string }): DataplaneResponse {
  // The X- headers the target received (what header actions and custom headers added).
  const custom = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([name]) => name.startsWith('x-')).sort(([a], [b]) => a.localeCompare(b)));
  const body = {
    platform: target.platform,
    project: target.project,
    service: target.service,
    region: target.region,
    tag: target.tag ?? null,
    ...(target.version ? { version: target.version } : {}),
    host: req.host,
    path: req.path,
    ...(req.query ? { query: req.query } : {}),
    method: req.method,
    ...(Object.keys(custom).length > 0 ? { headers: custom } : {}),
    via,
    lb: lb?.name ?? null,
    ...(lb ? { loadBalancingScheme: lb.scheme, scope: lb.scope } : {}),
  };
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-serverless-platform': target.platform,
      'x-serverless-service': target.service,
      'x-serverless-region': target.region,
    },
    body: JSON.stringify(body) + '\n',
  };
}

export function splitUrl(url: string): { path: string; query: string } {
  const i = url.indexOf('?');
  return i === -1 ? { path: url || '/', query: '' } : { path: url.slice(0, i) || '/', query: url.slice(i + 1) };
}

/** One value per header name, names in lower case (repeated headers joined by commas). */
function singleValued(headers: IncomingLbRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * Serves one request arriving at the forwarding rule stored at `frPath`; `random` picks among
 * weighted backend services, `tls` describes the client's TLS connection (custom header variables).
 */
export function handleLbRequest(store: ResourceStore, frPath: string, req: IncomingLbRequest, random: () => number = Math.random, tls?: HeaderVariables['tls']): DataplaneResponse {
  const { path, query } = splitUrl(req.url);
  const fr = store.get<JsonObject>(frPath);
  if (!fr) return htmlResponse(502, path);
  const scheme = String(fr['loadBalancingScheme'] ?? 'EXTERNAL');
  const scope = frPath.includes('/global/') ? 'global' : `regions/${frPath.split('/')[3]}`;
  const lb = { name: lastSegment(frPath), scheme, scope };
  const via: Record<string, string> = { via: '1.1 google' };

  const proxyPath = refToPath(fr['target']);
  const proxy = proxyPath ? store.get<JsonObject>(proxyPath) : undefined;
  if (!proxy) return htmlResponse(502, path, via);
  // HTTP/3 on: Google advertises it on every HTTPS answer.
  if (req.scheme === 'https' && proxy['quicOverride'] === 'ENABLE') {
    const port = String(fr['portRange'] ?? '443').split('-')[0];
    via['alt-svc'] = `h3=":${port}"; ma=2592000,h3-29=":${port}"; ma=2592000`;
  }
  const urlMapPath = refToPath(proxy['urlMap']);
  const urlMap = urlMapPath ? store.get<JsonObject>(urlMapPath) : undefined;
  if (!urlMap) return htmlResponse(502, path, via);

  const requestHeaders = singleValued(req.headers);
  const decision = routeRequest(urlMap as UrlMap, { scheme: req.scheme, host: req.host, path, query, method: req.method, headers: requestHeaders }, random);
  if (decision.kind === 'redirect') {
    return {
      status: decision.status,
      headers: { location: decision.location, 'content-type': 'text/html; charset=UTF-8', ...via },
      body: `<HTML><HEAD><meta http-equiv="content-type" content="text/html;charset=utf-8">\n<TITLE>${decision.status} Moved</TITLE></HEAD><BODY>\n<H1>${decision.status} Moved</H1>\nThe document has moved\n<A HREF="${decision.location}">here</A>.\r\n</BODY></HTML>\r\n`,
    };
  }
  if (decision.kind === 'none') return htmlResponse(404, path, via);

  // CORS: a preflight is answered by the load balancer itself; other answers get the headers.
  const cors = corsAnswer(decision.action?.corsPolicy, req.method, requestHeaders);
  if (cors?.preflight) return { status: 200, headers: { ...cors.headers, 'content-type': 'text/plain', ...via }, body: '' };
  const bsPath = refToPath(decision.service);
  if (!bsPath || bsPath.includes('/backendBuckets/')) return htmlResponse(502, path, via);
  const bs = store.get<JsonObject>(bsPath);
  if (!bs) return htmlResponse(502, path, via);
  // Which infrastructure answers: during a classic -> global external migration, the backend
  // service's state sends its share of requests through the global external one.
  const servedBy = answeringScheme(scheme, bs);
  via['x-emulator-scheme'] = servedBy;
  const envoyAnswers = servedBy !== 'EXTERNAL';

  const policyPath = refToPath(bs['securityPolicy']);
  if (policyPath) {
    const policy = store.get<JsonObject>(policyPath);
    const rules = (policy?.['rules'] as PolicyRule[] | undefined) ?? [];
    const verdict = evaluatePolicy(rules, { clientIp: req.clientIp, host: req.host, path, method: req.method, headers: req.headers });
    if (!verdict.allowed) return htmlResponse(verdict.status, path, via);
  }

  const backends = (bs['backends'] as JsonObject[] | undefined) ?? [];
  for (const backend of backends) {
    const negPath = refToPath(backend['group']);
    const neg = negPath ? store.get<JsonObject>(negPath) : undefined;
    if (!negPath || !neg || neg['networkEndpointType'] !== 'SERVERLESS') continue;
    // What the backend gets: the URL rewritten, request header actions and custom headers applied.
    const sent = rewriteRequest({ host: req.host, path }, decision.matched, decision.action);
    const variables = { clientIp: req.clientIp, tls };
    const custom = customHeaders(bs, variables);
    const actions = decision.headerActions ?? [];
    const headersSent = applyHeaderActions('request', { ...requestHeaders, ...custom.request }, actions, variables);
    const verdict = resolveNegTarget(store, negPath, neg, sent.host, sent.path, { kind: 'load-balancer', scheme });
    if (!verdict.ok) return htmlResponse(verdict.status, path, { ...via, 'x-emulator-reason': verdict.reason });
    // The global external infrastructure (Envoy) merges repeated slashes before the request goes on.
    const sentPath = envoyAnswers ? sent.path.replace(/\/{2,}/g, '/') : sent.path;
    const timeoutMs = durationMs(decision.action?.timeout);
    const delayMs = targetDelayMs(store, verdict.target);
    if (timeoutMs !== undefined && delayMs > timeoutMs) {
      return { status: 504, headers: { 'content-type': 'text/plain', ...via }, body: 'upstream request timeout', delayMs: timeoutMs };
    }
    const res = targetResponse(verdict.target, { host: sent.host, path: sentPath, query, method: req.method, headers: headersSent }, 'load-balancer', lb);
    res.headers = applyHeaderActions('response', { ...res.headers, ...custom.response, ...cors?.headers, ...via }, actions, variables);
    if (delayMs > 0) res.delayMs = delayMs;
    return res;
  }
  return envoyAnswers
    ? { status: 503, headers: { 'content-type': 'text/plain', ...via }, body: 'no healthy upstream' }
    : htmlResponse(502, path, via);
}

/** How long a target takes to answer (the seed's `responseDelayMs` of a Cloud Run service). */
function targetDelayMs(store: ResourceStore, target: ServerlessTarget): number {
  if (target.platform !== 'cloud-run') return 0;
  const behaviour = store.get<JsonObject>(serviceBehaviourPath(servicePath(target.project, target.region, target.service)));
  return Number(behaviour?.['responseDelayMs'] ?? 0);
}

/**
 * The scheme whose infrastructure answers a request that a rule of scheme `ruleScheme` sent to
 * backend service `bs`: a classic rule's requests go to the global external infrastructure for a
 * migrated service, for every request in TEST_ALL_TRAFFIC, and for the tested share in
 * TEST_BY_PERCENTAGE; otherwise to the classic one.
 */
export function answeringScheme(ruleScheme: string, bs: JsonObject, random: () => number = Math.random): string {
  if (ruleScheme !== 'EXTERNAL') return ruleScheme;
  if (bs['loadBalancingScheme'] === 'EXTERNAL_MANAGED') return 'EXTERNAL_MANAGED';
  const state = bs['externalManagedMigrationState'];
  if (state === 'TEST_ALL_TRAFFIC') return 'EXTERNAL_MANAGED';
  if (state === 'TEST_BY_PERCENTAGE') return random() * 100 < Number(bs['externalManagedMigrationTestingPercentage'] ?? 0) ? 'EXTERNAL_MANAGED' : 'EXTERNAL';
  return 'EXTERNAL';
}
