/**
 * targetHttpProxies / targetHttpsProxies, global and regional.
 *
 * - `urlMap` is required and must exist in the proxy's scope (global proxy: global map; regional:
 *   a map of the same region).
 * - HTTPS: at least one of `sslCertificates` (1-15: compute certificates of the proxy's scope, or
 *   Certificate Manager certificates) or `certificateMap` (global proxies only). Both may be set:
 *   "If set, sslCertificates will be ignored" (Google's API reference for certificateMap), so the
 *   data plane serves the map's. Google-managed compute certificates only on global proxies.
 *   Defaults: tlsEarlyData DISABLED; quicOverride NONE (global).
 * - httpKeepAliveTimeoutSec: 5-1200 for global external (EXTERNAL_MANAGED), 5-600 for regional and
 *   cross-region internal; not supported by classic (EXTERNAL) load balancers. The scheme is read from
 *   the backend services the URL map routes to.
 * - set* methods (setUrlMap, setSslCertificates, setCertificateMap, setQuicOverride) run the same
 *   checks and change the fingerprint.
 */
import type { EmulatorContext } from '../core/context.js';
import type { ApiRequest, RouteHandler } from '../core/http.js';
import type { Json, JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec, Scope } from './engine.js';
import { collectionPath, getOr404, normaliseRefs, replaceWithOperation } from './engine.js';
import { invalid, invalidField, notFound, required } from './errors.js';
import { asObject, checkEnum } from './fields.js';
import { urlMapServices } from './url-maps.js';
import { certManagerRef, networkSecurityRef, refPath, selfLinkOf } from './urls.js';

interface ScopeInfo {
  global: boolean;
  region?: string;
  ctx: EmulatorContext;
}

function checkUrlMap(s: ScopeInfo, value: Json | undefined, field = 'resource.urlMap'): string {
  if (value === undefined || value === '') throw required(field);
  const path = typeof value === 'string' ? refPath(value) : undefined;
  if (!path || !/\/urlMaps\//.test(path)) throw invalidField(field, value, 'The URL is malformed.');
  const regional = path.includes('/regions/');
  if (s.global === regional || (!s.global && path.split('/')[3] !== s.region)) {
    throw invalidField(field, value, s.global ? 'A global target proxy needs a global URL map.' : `A regional target proxy needs a URL map in region '${s.region}'.`);
  }
  if (!s.ctx.store.has(path)) throw notFound(path);
  return selfLinkOf(path);
}

/** The load-balancing schemes of the backend services a URL map routes to. */
export function urlMapSchemes(ctx: EmulatorContext, urlMapLink: string): Set<string> {
  const schemes = new Set<string>();
  const map = ctx.store.get<JsonObject>(refPath(urlMapLink) ?? '');
  if (!map) return schemes;
  for (const p of urlMapServices(map)) {
    const bs = ctx.store.get<JsonObject>(p);
    if (bs && typeof bs['loadBalancingScheme'] === 'string') schemes.add(bs['loadBalancingScheme']);
  }
  return schemes;
}

function checkKeepAlive(s: ScopeInfo, body: JsonObject, urlMapLink: string): void {
  const v = body['httpKeepAliveTimeoutSec'];
  if (v === undefined) return;
  const schemes = urlMapSchemes(s.ctx, urlMapLink);
  if (schemes.has('EXTERNAL')) {
    throw invalidField('resource.httpKeepAliveTimeoutSec', v, 'HTTP keepalive timeout is not supported by classic Application Load Balancers (load balancing scheme EXTERNAL).');
  }
  const max = !s.global || schemes.has('INTERNAL_MANAGED') ? 600 : 1200;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 5 || v > max) {
    throw invalidField('resource.httpKeepAliveTimeoutSec', v, `Must be between 5 and ${max} seconds.`);
  }
}

function checkCertificates(s: ScopeInfo, value: Json | undefined, field = 'resource.sslCertificates'): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidField(field, value, 'Must be a list.');
  if (value.length > 15) throw invalidField(field, value.length, 'A target HTTPS proxy can have at most 15 SSL certificates.');
  return value.map((v, i) => {
    const f = `${field}[${i}]`;
    if (typeof v !== 'string') throw invalidField(f, v, 'Must be a URL.');
    const cm = certManagerRef(v);
    if (cm) {
      if (!/\/certificates\//.test(cm)) throw invalidField(f, v, 'Must be a Certificate Manager certificate.');
      return cm;
    }
    const path = refPath(v);
    if (!path || !/\/sslCertificates\//.test(path)) throw invalidField(f, v, 'The URL is malformed.');
    const regional = path.includes('/regions/');
    if (s.global === regional || (!s.global && path.split('/')[3] !== s.region)) {
      throw invalidField(f, v, s.global ? 'A global target HTTPS proxy needs global SSL certificates.' : `A regional target HTTPS proxy needs SSL certificates in region '${s.region}'.`);
    }
    const cert = s.ctx.store.get<JsonObject>(path);
    if (!cert) throw notFound(path);
    return selfLinkOf(path);
  });
}

function checkCertificateMap(s: ScopeInfo, value: Json | undefined, field = 'resource.certificateMap'): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!s.global) throw invalidField(field, value, 'Certificate maps are only supported by global target HTTPS proxies.');
  const ref = typeof value === 'string' ? certManagerRef(value) : undefined;
  if (!ref || !/\/certificateMaps\//.test(ref)) throw invalidField(field, value, 'Must be a Certificate Manager certificate map.');
  return ref;
}

/** An SSL policy of the proxy's scope that exists (global proxies: global policies; regional: the region's). */
function checkSslPolicy(s: ScopeInfo, value: Json | undefined, field = 'resource.sslPolicy'): string | undefined {
  if (value === undefined || value === '' || value === null) return undefined;
  const path = typeof value === 'string' ? refPath(value) : undefined;
  if (!path || !/\/sslPolicies\//.test(path)) throw invalidField(field, value, 'The URL is malformed.');
  const regional = path.includes('/regions/');
  if (s.global === regional || (!s.global && path.split('/')[3] !== s.region)) {
    throw invalidField(field, value, s.global ? 'A global target HTTPS proxy needs a global SSL policy.' : `A regional target HTTPS proxy needs an SSL policy in region '${s.region}'.`);
  }
  if (!s.ctx.store.has(path)) throw notFound(path);
  return selfLinkOf(path);
}

function buildProxy(b: BuildContext, global: boolean, https: boolean): JsonObject {
  const s: ScopeInfo = { global, ctx: b.ctx, ...(b.region ? { region: b.region } : {}) };
  const body = b.body;
  const urlMap = checkUrlMap(s, body['urlMap']);
  checkKeepAlive(s, body, urlMap);
  const out: JsonObject = {};
  if (body['description'] !== undefined) out['description'] = String(body['description']);
  const passthrough = ['httpKeepAliveTimeoutSec', 'proxyBind', 'authorizationPolicy'];
  for (const k of passthrough) if (body[k] !== undefined) out[k] = body[k];
  if (body['serverTlsPolicy'] !== undefined && body['serverTlsPolicy'] !== '') {
    const ref = networkSecurityRef(String(body['serverTlsPolicy']));
    if (!ref || !https) throw invalidField('resource.serverTlsPolicy', body['serverTlsPolicy'], https ? 'Invalid server TLS policy reference.' : 'Server TLS policies apply to target HTTPS proxies only.');
    out['serverTlsPolicy'] = ref;
  }
  if (body['sslPolicy'] !== undefined && !https) throw invalidField('resource.sslPolicy', body['sslPolicy'], 'SSL policies apply to target HTTPS proxies only.');
  const sslPolicy = checkSslPolicy(s, body['sslPolicy']);
  if (sslPolicy) out['sslPolicy'] = sslPolicy;
  out['urlMap'] = urlMap;
  if (https) {
    const certs = checkCertificates(s, body['sslCertificates']);
    const map = checkCertificateMap(s, body['certificateMap']);
    if (!certs.length && !map) throw invalid("Invalid value for field 'resource.sslCertificates': at least one SSL certificate or a certificate map must be specified.");
    if (!global) {
      for (const c of certs) {
        const cert = c.startsWith('https://') ? b.ctx.store.get<JsonObject>(refPath(c)!) : undefined;
        if (cert?.['type'] === 'MANAGED') throw invalidField('resource.sslCertificates', c, 'Google-managed certificates are only supported by global target HTTPS proxies.');
      }
    }
    if (certs.length) out['sslCertificates'] = certs;
    if (map) out['certificateMap'] = map;
    if (global) out['quicOverride'] = checkEnum(body['quicOverride'], ['NONE', 'ENABLE', 'DISABLE'] as const, 'resource.quicOverride', 'NONE')!;
    else if (body['quicOverride'] !== undefined) throw invalidField('resource.quicOverride', body['quicOverride'], 'QUIC override is only supported by global target HTTPS proxies.');
    out['tlsEarlyData'] = checkEnum(body['tlsEarlyData'], ['DISABLED', 'STRICT', 'PERMISSIVE', 'UNRESTRICTED'] as const, 'resource.tlsEarlyData', 'DISABLED')!;
  }
  return out;
}

export const targetHttpProxySpec: KindSpec = {
  collection: 'targetHttpProxies',
  kind: 'compute#targetHttpProxy',
  snake: 'target_http_proxy',
  scope: 'global',
  fingerprint: true,
  patch: true,
  build: (b) => buildProxy(b, true, false),
};

export const regionTargetHttpProxySpec: KindSpec = {
  ...targetHttpProxySpec,
  scope: 'regional',
  patch: false,
  build: (b) => buildProxy(b, false, false),
};

export const targetHttpsProxySpec: KindSpec = {
  collection: 'targetHttpsProxies',
  kind: 'compute#targetHttpsProxy',
  snake: 'target_https_proxy',
  scope: 'global',
  fingerprint: true,
  patch: true,
  build: (b) => buildProxy(b, true, true),
};

export const regionTargetHttpsProxySpec: KindSpec = {
  ...targetHttpsProxySpec,
  scope: 'regional',
  build: (b) => buildProxy(b, false, true),
};

type Setter = 'setUrlMap' | 'setSslCertificates' | 'setCertificateMap' | 'setQuicOverride' | 'setSslPolicy';

const OP_TYPES: Record<Setter, string> = {
  setSslPolicy: 'compute.targetHttpsProxies.setSslPolicy',
  setUrlMap: 'SetUrlMap',
  setSslCertificates: 'SetSslCertificates',
  setCertificateMap: 'compute.targetHttpsProxies.setCertificateMap',
  setQuicOverride: 'compute.targetHttpsProxies.setQuicOverride',
};

/** Handler for one set* method of a proxy kind. */
export function proxySetter(ctx: EmulatorContext, spec: KindSpec, setter: Setter): RouteHandler {
  return (req: ApiRequest, params) => {
    const scope: Scope = { project: params['project']!, ...(params['region'] ? { region: params['region'] } : {}) };
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const s: ScopeInfo = { global: spec.scope === 'global', ctx, ...(scope.region ? { region: scope.region } : {}) };
    const body = normaliseRefs(asObject(req.body), scope.project) as JsonObject;
    let change: (current: JsonObject) => JsonObject;
    switch (setter) {
      case 'setUrlMap': {
        const urlMap = checkUrlMap(s, body['urlMap'], 'urlMap');
        if (existing['httpKeepAliveTimeoutSec'] !== undefined) checkKeepAlive(s, { httpKeepAliveTimeoutSec: existing['httpKeepAliveTimeoutSec'] }, urlMap);
        change = (c) => ({ ...c, urlMap });
        break;
      }
      case 'setSslCertificates': {
        // Google refuses an empty list whatever else the proxy has; clearing is a PATCH.
        const certs = checkCertificates(s, body['sslCertificates'], 'sslCertificates');
        if (!certs.length) throw invalid("Invalid value for field 'sslCertificates': at least one SSL certificate must be specified.");
        change = (c) => ({ ...c, sslCertificates: certs });
        break;
      }
      case 'setCertificateMap': {
        const map = checkCertificateMap(s, body['certificateMap'], 'certificateMap');
        if (!map && !(Array.isArray(existing['sslCertificates']) && existing['sslCertificates'].length)) {
          throw invalid("Invalid value for field 'certificateMap': a target HTTPS proxy needs a certificate map or SSL certificates.");
        }
        // The certificates stay (ignored while a map is set), so clearing the map later falls back to them.
        change = (c) => {
          const next = { ...c };
          if (map) next['certificateMap'] = map;
          else delete next['certificateMap'];
          return next;
        };
        break;
      }
      case 'setSslPolicy': {
        // The body is an SslPolicyReference; no sslPolicy (or an empty one) detaches the policy.
        const policy = checkSslPolicy(s, body['sslPolicy'], 'sslPolicy');
        change = (c) => {
          const next = { ...c };
          if (policy) next['sslPolicy'] = policy;
          else delete next['sslPolicy'];
          return next;
        };
        break;
      }
      case 'setQuicOverride': {
        const q = checkEnum(body['quicOverride'], ['NONE', 'ENABLE', 'DISABLE'] as const, 'quicOverride', 'NONE')!;
        change = (c) => ({ ...c, quicOverride: q });
        break;
      }
    }
    return replaceWithOperation(ctx, req, spec, scope, path, existing, OP_TYPES[setter], change);
  };
}
