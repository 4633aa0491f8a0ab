/**
 * What a load balancer does to a request on its way to the backend and to the answer on its way
 * back, as Google documents it:
 * - `urlRewrite`: `pathPrefixRewrite` replaces the part of the path the route matched (a prefix or
 *   the full path), `hostRewrite` the Host header;
 * - header actions (URL map, path matcher, route rule, weighted backend service, least specific
 *   first): headers to remove go first, then headers to add, which replace (`replace: true`) or are
 *   appended to what is there;
 * - a backend service's `customRequestHeaders` / `customResponseHeaders` ("Name: value", with
 *   Google's variables such as `{client_ip_address}` and `{tls_version}`);
 * - `timeout`: a duration `{seconds, nanos}`.
 * Pure: no I/O.
 */
import type { JsonObject } from '../core/store.js';
import type { CorsPolicy, Duration, HeaderAction, RouteAction } from './url-map-routing.js';

/** The host and path the backend gets after the route's URL rewrite. */
export function rewriteRequest(req: { host: string; path: string }, matched: string | undefined, action: RouteAction | undefined): { host: string; path: string } {
  const rewrite = action?.urlRewrite;
  if (!rewrite) return req;
  let path = req.path;
  if (rewrite.pathPrefixRewrite !== undefined && matched !== undefined && path.startsWith(matched)) path = rewrite.pathPrefixRewrite + path.slice(matched.length);
  return { host: rewrite.hostRewrite ?? req.host, path: path === '' ? '/' : path };
}

/**
 * Applies header actions in order to a request's or a response's headers (names compared in lower
 * case), Google's variables in the values filled from `variables`.
 */
export function applyHeaderActions(which: 'request' | 'response', headers: Record<string, string>, actions: readonly HeaderAction[], variables?: HeaderVariables): Record<string, string> {
  const out = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  for (const action of actions) {
    const remove = which === 'request' ? action.requestHeadersToRemove : action.responseHeadersToRemove;
    const add = which === 'request' ? action.requestHeadersToAdd : action.responseHeadersToAdd;
    for (const name of remove ?? []) out.delete(name.toLowerCase());
    for (const h of add ?? []) {
      if (!h.headerName) continue;
      const name = h.headerName.toLowerCase();
      const value = variables ? fillVariables(h.headerValue ?? '', variables) : (h.headerValue ?? '');
      const current = out.get(name);
      out.set(name, h.replace === false && current !== undefined ? `${current},${value}` : value);
    }
  }
  return Object.fromEntries(out);
}

/** Milliseconds of a Google duration; undefined when none is given. */
export function durationMs(d: Duration | undefined): number | undefined {
  if (!d || (d.seconds === undefined && d.nanos === undefined)) return undefined;
  return Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}

/** What a client presented on a mutual TLS connection. */
export interface ClientCertificateInfo {
  present: boolean;
  verified: boolean;
  error: string;
  sha256Fingerprint?: string;
  serialNumber?: string;
  subjectDn?: string;
  issuerDn?: string;
  notBefore?: string;
  notAfter?: string;
  dnsSans?: string;
  uriSans?: string;
}

export interface HeaderVariables {
  clientIp: string;
  tls?: { version: string; cipher: string; clientCertificate?: ClientCertificateInfo | undefined };
}

/**
 * Google's custom header variables, with the values a loopback client has: geography is unknown
 * for a private address, as Google leaves it empty where it cannot tell.
 */
function variableValue(name: string, v: HeaderVariables): string {
  switch (name) {
    case 'client_ip_address':
      return v.clientIp;
    case 'tls_version':
      return v.tls?.version ?? '';
    case 'tls_cipher_suite':
      return v.tls?.cipher ?? '';
    case 'client_rtt_msec':
      return '0';
    case 'client_cert_present':
      return String(v.tls?.clientCertificate?.present ?? false);
    case 'client_cert_chain_verified':
      return String(v.tls?.clientCertificate?.verified ?? false);
    case 'client_cert_error':
      return v.tls?.clientCertificate?.error ?? '';
    case 'client_cert_sha256_fingerprint':
      return v.tls?.clientCertificate?.sha256Fingerprint ?? '';
    case 'client_cert_serial_number':
      return v.tls?.clientCertificate?.serialNumber ?? '';
    case 'client_cert_subject_dn':
      return v.tls?.clientCertificate?.subjectDn ?? '';
    case 'client_cert_issuer_dn':
      return v.tls?.clientCertificate?.issuerDn ?? '';
    case 'client_cert_valid_not_before':
      return v.tls?.clientCertificate?.notBefore ?? '';
    case 'client_cert_valid_not_after':
      return v.tls?.clientCertificate?.notAfter ?? '';
    case 'client_cert_dnsname_sans':
      return v.tls?.clientCertificate?.dnsSans ?? '';
    case 'client_cert_uri_sans':
      return v.tls?.clientCertificate?.uriSans ?? '';
    default:
      return '';
  }
}

function fillVariables(value: string, v: HeaderVariables): string {
  return value.replace(/\{([a-z_]+)\}/g, (_, variable: string) => variableValue(variable, v));
}

function parseHeaders(lines: unknown, v: HeaderVariables): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of Array.isArray(lines) ? lines : []) {
    if (typeof line !== 'string') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    out[name] = fillVariables(line.slice(colon + 1).trim(), v);
  }
  return out;
}

/** A backend service's custom request and response headers, variables filled in. */
export function customHeaders(backendService: JsonObject, v: HeaderVariables): { request: Record<string, string>; response: Record<string, string> } {
  return { request: parseHeaders(backendService['customRequestHeaders'], v), response: parseHeaders(backendService['customResponseHeaders'], v) };
}

/**
 * A route's CORS policy for a request carrying `Origin`: the Access-Control-* headers of the answer
 * (none when the origin is not allowed), and whether the load balancer answers the request itself
 * (a preflight: OPTIONS with Access-Control-Request-Method), as Envoy's CORS filter does.
 */
export function corsAnswer(policy: CorsPolicy | undefined, method: string, headers: Record<string, string>): { preflight: boolean; headers: Record<string, string> } | undefined {
  const origin = headers['origin'];
  if (!policy || policy.disabled || origin === undefined) return undefined;
  const allowed = (policy.allowOrigins ?? []).some((o) => o === '*' || o === origin) || (policy.allowOriginRegexes ?? []).some((r) => new RegExp(`^(?:${r})$`).test(origin));
  const preflight = method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
  if (!allowed) return { preflight, headers: {} };
  const out: Record<string, string> = { 'access-control-allow-origin': (policy.allowOrigins ?? []).includes('*') && !policy.allowCredentials ? '*' : origin };
  if (policy.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (preflight) {
    if (policy.allowMethods?.length) out['access-control-allow-methods'] = policy.allowMethods.join(',');
    if (policy.allowHeaders?.length) out['access-control-allow-headers'] = policy.allowHeaders.join(',');
    if (policy.maxAge !== undefined) out['access-control-max-age'] = String(policy.maxAge);
  } else if (policy.exposeHeaders?.length) out['access-control-expose-headers'] = policy.exposeHeaders.join(',');
  return { preflight, headers: out };
}
