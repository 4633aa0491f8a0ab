/**
 * What a backend service carries beyond its backends: the Cloud CDN policy (`options.cdn`) and,
 * on the classic load balancer, the custom request and response headers (`options.headers`; the
 * Envoy-based types carry them in the URL map's header action, url-map.ts). Their gcloud flags and
 * Terraform blocks sit here too.
 */
import type { Spec } from '../spec/schema.js';
import { attr, type BlockItem } from '../model/hcl.js';
import { bare, flag, type Word } from '../model/gcloud-words.js';
import { num, obj, objects, str, strings } from '../model/body.js';
import { sub } from './terraform-words.js';

/** Google's cdnPolicy for the config's options.cdn. */
export function cdnPolicyOf(spec: Spec): Record<string, unknown> {
  const cdn = spec.options.cdn;
  const policy: Record<string, unknown> = { cacheMode: cdn.cacheMode };
  if (cdn.defaultTtl !== undefined && cdn.cacheMode !== 'USE_ORIGIN_HEADERS') policy.defaultTtl = cdn.defaultTtl;
  if (cdn.maxTtl !== undefined) policy.maxTtl = cdn.maxTtl;
  if (cdn.clientTtl !== undefined) policy.clientTtl = cdn.clientTtl;
  if (cdn.negativeCaching !== undefined) policy.negativeCaching = cdn.negativeCaching;
  if (cdn.serveWhileStale !== undefined) policy.serveWhileStale = cdn.serveWhileStale;
  if (cdn.cacheKey) {
    const k = cdn.cacheKey;
    const key: Record<string, unknown> = {};
    if (k.includeProtocol !== undefined) key.includeProtocol = k.includeProtocol;
    if (k.includeHost !== undefined) key.includeHost = k.includeHost;
    if (k.queryParameters) {
      key.includeQueryString = true;
      key.queryStringWhitelist = k.queryParameters;
    } else if (k.includeQueryString !== undefined) key.includeQueryString = k.includeQueryString;
    policy.cacheKeyPolicy = key;
  }
  if (cdn.bypassCacheOnRequestHeaders) policy.bypassCacheOnRequestHeaders = cdn.bypassCacheOnRequestHeaders.map((headerName) => ({ headerName }));
  return policy;
}

/** `Name: value` lines of a header map, as a backend service carries them. */
export function headerLines(headers: Record<string, string> | undefined): string[] | undefined {
  const entries = Object.entries(headers ?? {});
  return entries.length > 0 ? entries.map(([name, value]) => `${name}: ${value}`) : undefined;
}

/** gcloud flags for the CDN policy of `backend-services update --enable-cdn`. */
export function cdnFlags(cdn: Record<string, unknown> | undefined): Word[] {
  const flags: Word[] = [];
  const cacheMode = str(cdn, 'cacheMode');
  if (cacheMode) flags.push(flag('cache-mode', cacheMode));
  for (const [field, name] of [
    ['defaultTtl', 'default-ttl'],
    ['clientTtl', 'client-ttl'],
    ['maxTtl', 'max-ttl'],
    ['serveWhileStale', 'serve-while-stale'],
  ] as const) {
    const value = num(cdn, field);
    if (value !== undefined) flags.push(flag(name, value));
  }
  if (cdn?.negativeCaching === true) flags.push(bare('negative-caching'));
  if (cdn?.negativeCaching === false) flags.push(bare('no-negative-caching'));
  const key = obj(cdn, 'cacheKeyPolicy');
  if (key?.includeProtocol === false) flags.push(bare('no-cache-key-include-protocol'));
  if (key?.includeHost === false) flags.push(bare('no-cache-key-include-host'));
  if (key?.includeQueryString === false) flags.push(bare('no-cache-key-include-query-string'));
  const params = strings(key, 'queryStringWhitelist');
  if (params.length > 0) flags.push(flag('cache-key-query-string-whitelist', params.join(',')));
  const bypass = objects(cdn, 'bypassCacheOnRequestHeaders').map((h) => str(h, 'headerName')).filter((h): h is string => !!h);
  if (bypass.length > 0) flags.push(flag('bypass-cache-on-request-headers', bypass.join(',')));
  return flags;
}

/** gcloud flags for custom headers (`backend-services create`). */
export function headerFlags(b: Record<string, unknown>): Word[] {
  return [...strings(b, 'customRequestHeaders').map((h) => flag('custom-request-header', h)), ...strings(b, 'customResponseHeaders').map((h) => flag('custom-response-header', h))];
}

/** Terraform's cdn_policy block. */
export function cdnBlock(cdn: Record<string, unknown>): BlockItem {
  const key = obj(cdn, 'cacheKeyPolicy');
  const bypass = objects(cdn, 'bypassCacheOnRequestHeaders');
  return sub('cdn_policy', [
    ...attr('cache_mode', str(cdn, 'cacheMode')),
    ...attr('default_ttl', num(cdn, 'defaultTtl')),
    ...attr('client_ttl', num(cdn, 'clientTtl')),
    ...attr('max_ttl', num(cdn, 'maxTtl')),
    ...(typeof cdn.negativeCaching === 'boolean' ? attr('negative_caching', cdn.negativeCaching) : []),
    ...attr('serve_while_stale', num(cdn, 'serveWhileStale')),
    ...(key
      ? [
          sub('cache_key_policy', [
            ...(typeof key.includeProtocol === 'boolean' ? attr('include_protocol', key.includeProtocol) : []),
            ...(typeof key.includeHost === 'boolean' ? attr('include_host', key.includeHost) : []),
            ...(typeof key.includeQueryString === 'boolean' ? attr('include_query_string', key.includeQueryString) : []),
            ...(strings(key, 'queryStringWhitelist').length > 0 ? attr('query_string_whitelist', strings(key, 'queryStringWhitelist')) : []),
          ]),
        ]
      : []),
    ...bypass.map((h) => sub('bypass_cache_on_request_headers', attr('header_name', str(h, 'headerName')))),
  ]);
}

/** Terraform's custom header attributes. */
export function headerAttributes(b: Record<string, unknown>): BlockItem[] {
  const request = strings(b, 'customRequestHeaders');
  const response = strings(b, 'customResponseHeaders');
  return [...(request.length > 0 ? attr('custom_request_headers', request) : []), ...(response.length > 0 ? attr('custom_response_headers', response) : [])];
}
