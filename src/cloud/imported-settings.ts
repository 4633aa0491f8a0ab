/**
 * The settings of an imported load balancer beyond its backends, hosts and paths: dual stack (an
 * IPv6 frontend beside the IPv4 one), the TLS of the HTTPS proxy (SSL policy, HTTP/3, early data,
 * mutual TLS), custom headers and the Cloud CDN policy. Each reads what imported-spec.ts
 * found and says, through `say`, what a config cannot express, never dropping it.
 *
 * What serverless-lb made (its name and its mark) comes back as settings it owns; anything else is
 * named as existing, used as it is and never changed or deleted. A trust config's CA certificates
 * come back as PEM files written beside the config (`files`). Pure: no I/O.
 */
import type { LbNames } from '../model/naming.js';
import { parseResourcePath } from '../plan/paths.js';
import { ownerOf } from '../plan/ownership.js';
import type { ObservedResource, ObservedState } from '../model/resource-model.js';

type Body = Record<string, unknown>;
type Say = (text: string) => void;

export function isIpv6Rule(fr: ObservedResource): boolean {
  return fr.body.ipVersion === 'IPV6' || String(fr.body.IPAddress ?? '').includes(':');
}

/**
 * Dual stack: IPv6 forwarding rules beside IPv4 ones make `IPV4_IPV6`; only IPv6 ones `IPV6`. The
 * IPv6 frontend of dual stack takes serverless-lb's names (`-ipv6`).
 */
export function importedIpVersion(rules: readonly ObservedResource[], addresses: readonly ObservedResource[], names: LbNames, say: Say): 'IPV4' | 'IPV6' | 'IPV4_IPV6' {
  const v6 = rules.filter(isIpv6Rule);
  if (v6.length === 0) return 'IPV4';
  if (v6.length === rules.length) return 'IPV6';
  const expected = new Set([names.httpsForwardingRule('ipv6'), names.httpForwardingRule('ipv6')]);
  for (const fr of v6) if (!expected.has(fr.name)) say(`forwarding rule ${fr.name}: the IPv6 frontend of dual stack takes serverless-lb's names (${[...expected].join(' or ')})`);
  const v6Ips = new Set(v6.map((fr) => String(fr.body.IPAddress ?? '')));
  for (const a of addresses) if (v6Ips.has(String(a.body.address)) && a.name !== names.address('ipv6')) say(`address ${a.name}: the IPv6 address of dual stack takes serverless-lb's name (${names.address('ipv6')})`);
  return 'IPV4_IPV6';
}

/** The observed resource a reference (a path or URL) names, if it was read. */
export const follow = (observed: ObservedState, ref: unknown): ObservedResource | undefined => {
  const parsed = typeof ref === 'string' ? parseResourcePath(ref) : undefined;
  return parsed ? observed.get(parsed.id) : undefined;
};

const ours = (r: ObservedResource | undefined, name: string, lbName: string): boolean => r !== undefined && r.name === name && ownerOf(r.kind, r.body) === lbName;

/** The PEM certificates of one list of a trust store. */
function pems(store: Body | undefined, list: string): string[] {
  return ((store?.[list] as Body[] | undefined) ?? []).map((e) => e.pemCertificate).filter((p): p is string => typeof p === 'string');
}

/**
 * `frontend.tls` of the HTTPS proxy, or undefined when it sets nothing; `files` gets the CA files
 * of a trust config serverless-lb made (relative path -> PEM).
 */
export function importedTls(proxy: ObservedResource, observed: ObservedState, names: LbNames, lbName: string, files: Record<string, string>, say: Say): Body | undefined {
  const tls: Body = {};
  if (typeof proxy.body.sslPolicy === 'string' && proxy.body.sslPolicy !== '') {
    const policy = follow(observed, proxy.body.sslPolicy);
    const name = proxy.body.sslPolicy.split('/').pop()!;
    if (policy && ours(policy, names.sslPolicy(), lbName)) {
      const out: Body = {};
      if (typeof policy.body.profile === 'string') out.profile = policy.body.profile;
      if (typeof policy.body.minTlsVersion === 'string') out.minTlsVersion = policy.body.minTlsVersion;
      const custom = (policy.body.customFeatures as string[] | undefined) ?? [];
      if (custom.length > 0) out.customFeatures = custom;
      tls.policy = out;
    } else {
      tls.policy = { existing: name };
    }
  }
  if (proxy.body.quicOverride === 'ENABLE') tls.http3 = true;
  else if (proxy.body.quicOverride === 'DISABLE') tls.http3 = false;
  const earlyData = proxy.body.tlsEarlyData;
  if (typeof earlyData === 'string' && earlyData !== '' && earlyData !== 'DISABLED') tls.earlyData = earlyData;

  const serverTls = typeof proxy.body.serverTlsPolicy === 'string' ? proxy.body.serverTlsPolicy : '';
  if (serverTls !== '') {
    const policyName = serverTls.split('/').pop()!;
    const policy = follow(observed, serverTls.replace(/^\/\/networksecurity\.googleapis\.com\//, ''));
    const mtls = policy?.body.mtlsPolicy as Body | undefined;
    const trust = follow(observed, mtls?.clientValidationTrustConfig);
    if (policy && mtls && ours(policy, names.serverTlsPolicy(), lbName) && ours(trust, names.trustConfig(), lbName)) {
      const stores = (trust!.body.trustStores as Body[] | undefined) ?? [];
      if (stores.length !== 1 || ((trust!.body.allowlistedCertificates as unknown[] | undefined) ?? []).length > 0) say(`trust config ${trust!.name}: only one trust store and no allowlisted certificates are imported`);
      const write = (list: string, stem: string): string[] =>
        pems(stores[0], list).map((pem, i) => {
          const file = `${lbName}-${stem}-${i + 1}.pem`;
          files[file] = pem.endsWith('\n') ? pem : `${pem}\n`;
          return file;
        });
      const anchors = write('trustAnchors', 'trust-anchor');
      const intermediates = write('intermediateCas', 'intermediate-ca');
      if (anchors.length === 0) say(`trust config ${trust!.name}: it has no trust anchor`);
      tls.mtls = { mode: String(mtls.clientValidationMode ?? 'REJECT_INVALID'), trustAnchors: anchors, ...(intermediates.length > 0 ? { intermediates } : {}) };
    } else {
      tls.mtls = { existingServerTlsPolicy: policyName };
    }
  }
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** A header map from `headersToAdd` entries that replace what is there (what options.headers makes). */
function headerMap(adds: unknown, where: string, say: Say): Record<string, string> | undefined {
  const list = (adds as Body[] | undefined) ?? [];
  if (list.length === 0) return undefined;
  if (list.some((h) => h.replace === false)) say(`${where}: headers appended to what is there (replace: false) are not imported yet`);
  return Object.fromEntries(list.map((h) => [String(h.headerName), String(h.headerValue ?? '')]));
}

/** `Name: value` lines of a backend service as a header map. */
function linesMap(lines: unknown): Record<string, string> | undefined {
  const list = (lines as string[] | undefined) ?? [];
  if (list.length === 0) return undefined;
  return Object.fromEntries(
    list.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
}

/**
 * `options.headers`: the URL map's header action on the Envoy-based types, the backend services'
 * custom headers on classic (the same on every one); undefined when there are none.
 */
export function importedHeaders(type: string | undefined, map: ObservedResource | undefined, backendServices: readonly ObservedResource[], say: Say): Body | undefined {
  let request: Record<string, string> | undefined;
  let response: Record<string, string> | undefined;
  if (type === 'classic') {
    const sets = backendServices.map((bs) => JSON.stringify([bs.body.customRequestHeaders ?? [], bs.body.customResponseHeaders ?? []]));
    if (new Set(sets).size > 1) say(`the backend services carry different custom headers (${backendServices.map((bs) => bs.name).join(', ')}): one set per config`);
    request = linesMap(backendServices[0]?.body.customRequestHeaders);
    response = linesMap(backendServices[0]?.body.customResponseHeaders);
  } else {
    const action = map?.body.headerAction as Body | undefined;
    if (!action) return undefined;
    const where = `URL map ${map!.name}, its header action`;
    if (((action.requestHeadersToRemove as unknown[] | undefined) ?? []).length > 0 || ((action.responseHeadersToRemove as unknown[] | undefined) ?? []).length > 0) say(`${where}: headers removed for every route are not imported yet`);
    request = headerMap(action.requestHeadersToAdd, where, say);
    response = headerMap(action.responseHeadersToAdd, where, say);
  }
  const headers: Body = { ...(request ? { request } : {}), ...(response ? { response } : {}) };
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** The Cloud CDN policy fields a config can say, as `options.cdn` says them. */
function cdnOptions(policy: Body): Body {
  const cacheMode = String(policy.cacheMode ?? 'CACHE_ALL_STATIC');
  const out: Body = { cacheMode };
  const int = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
  if (cacheMode !== 'USE_ORIGIN_HEADERS' && int(policy.defaultTtl) !== undefined) out.defaultTtl = int(policy.defaultTtl);
  if (cacheMode === 'CACHE_ALL_STATIC' && int(policy.maxTtl) !== undefined) out.maxTtl = int(policy.maxTtl);
  if (cacheMode !== 'USE_ORIGIN_HEADERS' && int(policy.clientTtl) !== undefined) out.clientTtl = int(policy.clientTtl);
  if (typeof policy.negativeCaching === 'boolean') out.negativeCaching = policy.negativeCaching;
  if (int(policy.serveWhileStale) !== undefined) out.serveWhileStale = int(policy.serveWhileStale);
  const key = policy.cacheKeyPolicy as Body | undefined;
  const cacheKey: Body = {};
  if (key?.includeProtocol === false) cacheKey.includeProtocol = false;
  if (key?.includeHost === false) cacheKey.includeHost = false;
  const only = (key?.queryStringWhitelist as string[] | undefined) ?? [];
  if (only.length > 0) cacheKey.queryParameters = only;
  else if (key?.includeQueryString === false) cacheKey.includeQueryString = false;
  if (Object.keys(cacheKey).length > 0) out.cacheKey = cacheKey;
  const bypass = ((policy.bypassCacheOnRequestHeaders as Body[] | undefined) ?? []).map((h) => String(h.headerName));
  if (bypass.length > 0) out.bypassCacheOnRequestHeaders = bypass;
  return out;
}

/**
 * `options.cdn` from the backend services with Cloud CDN on (which backends have it is each
 * backend's `cdn`): their policy, the same on all of them; undefined when none has CDN.
 */
export function importedCdn(backendServices: readonly ObservedResource[], say: Say): Body | undefined {
  const cached = backendServices.filter((bs) => bs.body.enableCDN === true);
  if (cached.length === 0) return undefined;
  const policies = cached.map((bs) => cdnOptions((bs.body.cdnPolicy as Body | undefined) ?? {}));
  if (new Set(policies.map((p) => JSON.stringify(p))).size > 1) say(`the backend services with Cloud CDN have different CDN policies (${cached.map((bs) => bs.name).join(', ')}): one policy per config`);
  const unsaid = cached.flatMap((bs) => ['signedUrlKeyNames', 'negativeCachingPolicy', 'cacheKeyPolicy.includeHttpHeaders', 'cacheKeyPolicy.includeNamedCookies'].filter((path) => {
    const v = path.split('.').reduce<unknown>((o, k) => (o as Body | undefined)?.[k], bs.body.cdnPolicy);
    return Array.isArray(v) && v.length > 0;
  }).map((path) => `backend service ${bs.name}: cdnPolicy.${path} is not imported yet`));
  for (const line of unsaid) say(line);
  return policies[0];
}

/** Outlier detection's keys with a Duration value, by the config key that holds its seconds. */
const OUTLIER_DURATIONS: Record<string, string> = { interval: 'intervalSec', baseEjectionTime: 'baseEjectionTimeSec' };
const OUTLIER_NUMBERS = ['consecutiveErrors', 'consecutiveGatewayFailure', 'maxEjectionPercent', 'enforcingConsecutiveErrors', 'enforcingConsecutiveGatewayFailure'];

/**
 * `options.outlierDetection` from the backend services' (one setting for all, as the config has it).
 * A Duration comes back as its seconds (int64: a string on the wire); one with nanos, or a field the
 * config does not hold, is said.
 */
export function importedOutlierDetection(backendServices: readonly ObservedResource[], say: Say): Body | undefined {
  const settings = backendServices.map((bs) => {
    const od = bs.body.outlierDetection as Body | undefined;
    if (!od) return undefined;
    const out: Body = {};
    for (const [key, value] of Object.entries(od)) {
      if (value === undefined || value === null) continue;
      const duration = OUTLIER_DURATIONS[key];
      if (duration && !(value as { nanos?: number }).nanos) out[duration] = Number((value as { seconds?: unknown }).seconds ?? 0);
      else if (OUTLIER_NUMBERS.includes(key)) out[key] = value;
      else say(`backend service ${bs.name}: outlierDetection.${key} is not imported yet`);
    }
    return out;
  });
  const distinct = new Set(settings.map((s) => JSON.stringify(s ?? null)));
  if (distinct.size > 1) say(`the backend services have different outlier detection (${backendServices.map((bs) => bs.name).join(', ')}): one setting per config`);
  return settings.find((s) => s !== undefined);
}
