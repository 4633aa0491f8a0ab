/**
 * urlMaps (global) and regionUrlMaps.
 *
 * Validates: one of defaultService / defaultRouteAction / defaultUrlRedirect (not service and
 * redirect together); every referenced backend service or bucket exists and has the URL map's scope
 * (global map: global services; regional map: services of the same region); host rules name valid
 * hosts (`*` only first, followed by `.` or `-`, optional `:port`), a host appears in one host rule
 * only, and each names an existing path matcher; path matcher names are unique; path rule paths start
 * with `/`, have `*` only at the end right after `/`, no `?` or `#`; each path rule has a service,
 * routeAction or urlRedirect; redirect response codes are Google's enum. Fills `nanos: 0` into
 * durations and `stripQuery: false` into redirects. Test entries keep their `service` as given.
 */
import type { Json, JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec } from './engine.js';
import { invalid, invalidField, notFound } from './errors.js';
import { asObject, asString, fillDurations } from './fields.js';
import { refPath } from './urls.js';

const REDIRECT_CODES = ['MOVED_PERMANENTLY_DEFAULT', 'FOUND', 'SEE_OTHER', 'TEMPORARY_REDIRECT', 'PERMANENT_REDIRECT'];

const HOST = /^(\*|(\*[.-])?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?)(:\d{1,5})?$/;

function checkService(b: BuildContext, field: string, value: Json | undefined, global: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw invalidField(field, value, 'Must be a URL.');
  const path = refPath(value);
  if (!path || !/\/(backendServices|backendBuckets)\//.test(path)) throw invalidField(field, value, 'The URL is malformed.');
  const regional = path.includes('/regions/');
  if (global && regional) throw invalidField(field, value, 'A global URL map can only reference global backend services or backend buckets.');
  if (!global && (!regional || path.split('/')[3] !== b.region)) {
    throw invalidField(field, value, `A regional URL map can only reference backend services in region '${b.region}'.`);
  }
  if (!b.ctx.store.has(path)) throw notFound(path);
}

function checkRedirect(field: string, redirect: Json | undefined): JsonObject | undefined {
  if (redirect === undefined) return undefined;
  const r = asObject(redirect);
  const code = r['redirectResponseCode'];
  if (code !== undefined && !REDIRECT_CODES.includes(String(code))) {
    throw invalidField(`${field}.redirectResponseCode`, code, `Must be one of [${REDIRECT_CODES.join(', ')}].`);
  }
  if (r['hostRedirect'] !== undefined && !HOST.test(String(r['hostRedirect']))) throw invalidField(`${field}.hostRedirect`, r['hostRedirect'], 'Invalid host.');
  if (r['pathRedirect'] !== undefined && r['prefixRedirect'] !== undefined) throw invalid(`Invalid value for field '${field}': only one of pathRedirect and prefixRedirect may be set.`);
  if (r['httpsRedirect'] !== undefined && typeof r['httpsRedirect'] !== 'boolean') throw invalidField(`${field}.httpsRedirect`, r['httpsRedirect'], 'Must be a boolean.');
  return { ...r, stripQuery: r['stripQuery'] ?? false };
}

/** Every service a route action or weighted list names. */
function routeActionServices(action: Json | undefined): Array<[string, Json]> {
  const a = asObject(action);
  const out: Array<[string, Json]> = [];
  const weighted = a['weightedBackendServices'];
  if (Array.isArray(weighted)) weighted.forEach((w, i) => out.push([`weightedBackendServices[${i}].backendService`, asObject(w)['backendService']!]));
  const mirror = asObject(a['requestMirrorPolicy'])['backendService'];
  if (mirror !== undefined) out.push(['requestMirrorPolicy.backendService', mirror]);
  return out.filter(([, v]) => v !== undefined);
}

function checkPath(field: string, path: Json): void {
  if (typeof path !== 'string' || !path.startsWith('/')) throw invalidField(field, path, 'A path must start with /.');
  if (/[?#]/.test(path)) throw invalidField(field, path, 'A path may not contain ? or #.');
  const star = path.indexOf('*');
  if (star >= 0 && (star !== path.length - 1 || path[star - 1] !== '/')) {
    throw invalidField(field, path, 'A * is only allowed at the end of a path, right after a /.');
  }
}

function buildUrlMap(b: BuildContext, global: boolean): JsonObject {
  const body = fillDurations(b.body) as JsonObject;
  const defaults = ['defaultService', 'defaultRouteAction', 'defaultUrlRedirect'].filter((k) => body[k] !== undefined);
  if (defaults.length === 0) throw invalid("Invalid value for field 'resource': a URL map needs one of defaultService, defaultRouteAction or defaultUrlRedirect.");
  if (body['defaultService'] !== undefined && body['defaultUrlRedirect'] !== undefined) {
    throw invalid("Invalid value for field 'resource': defaultService and defaultUrlRedirect cannot both be set.");
  }
  checkService(b, 'resource.defaultService', body['defaultService'], global);
  for (const [f, v] of routeActionServices(body['defaultRouteAction'])) checkService(b, `resource.defaultRouteAction.${f}`, v, global);
  const out: JsonObject = { ...body };
  const redirect = checkRedirect('resource.defaultUrlRedirect', body['defaultUrlRedirect']);
  if (redirect) out['defaultUrlRedirect'] = redirect;
  const errorService = asObject(body['defaultCustomErrorResponsePolicy'])['errorService'];
  checkService(b, 'resource.defaultCustomErrorResponsePolicy.errorService', errorService, global);

  const matchers = (Array.isArray(body['pathMatchers']) ? body['pathMatchers'] : []).map(asObject);
  const names = new Set<string>();
  out['pathMatchers'] = matchers.map((pm, i) => {
    const name = asString(pm['name']);
    if (!name) throw invalidField(`resource.pathMatchers[${i}].name`, '', 'A path matcher needs a name.');
    if (names.has(name)) throw invalidField(`resource.pathMatchers[${i}].name`, name, 'Path matcher names must be unique within a URL map.');
    names.add(name);
    checkService(b, `resource.pathMatchers[${i}].defaultService`, pm['defaultService'], global);
    for (const [f, v] of routeActionServices(pm['defaultRouteAction'])) checkService(b, `resource.pathMatchers[${i}].defaultRouteAction.${f}`, v, global);
    checkService(b, `resource.pathMatchers[${i}].defaultCustomErrorResponsePolicy.errorService`, asObject(pm['defaultCustomErrorResponsePolicy'])['errorService'], global);
    const pmOut: JsonObject = { ...pm };
    const pmRedirect = checkRedirect(`resource.pathMatchers[${i}].defaultUrlRedirect`, pm['defaultUrlRedirect']);
    if (pmRedirect) pmOut['defaultUrlRedirect'] = pmRedirect;
    const rules = (Array.isArray(pm['pathRules']) ? pm['pathRules'] : []).map(asObject);
    if (rules.length) {
      pmOut['pathRules'] = rules.map((rule, j) => {
        const field = `resource.pathMatchers[${i}].pathRules[${j}]`;
        const paths = rule['paths'];
        if (!Array.isArray(paths) || paths.length === 0) throw invalidField(`${field}.paths`, '', 'A path rule needs at least one path.');
        paths.forEach((p, k) => checkPath(`${field}.paths[${k}]`, p));
        const actions = ['service', 'routeAction', 'urlRedirect'].filter((k) => rule[k] !== undefined);
        if (actions.length !== 1) throw invalid(`Invalid value for field '${field}': a path rule needs exactly one of service, routeAction or urlRedirect.`);
        checkService(b, `${field}.service`, rule['service'], global);
        for (const [f, v] of routeActionServices(rule['routeAction'])) checkService(b, `${field}.routeAction.${f}`, v, global);
        const r: JsonObject = { ...rule };
        const ruleRedirect = checkRedirect(`${field}.urlRedirect`, rule['urlRedirect']);
        if (ruleRedirect) r['urlRedirect'] = ruleRedirect;
        return r;
      });
    }
    const routeRules = (Array.isArray(pm['routeRules']) ? pm['routeRules'] : []).map(asObject);
    routeRules.forEach((rr, j) => {
      checkService(b, `resource.pathMatchers[${i}].routeRules[${j}].service`, rr['service'], global);
      for (const [f, v] of routeActionServices(rr['routeAction'])) checkService(b, `resource.pathMatchers[${i}].routeRules[${j}].routeAction.${f}`, v, global);
    });
    return pmOut;
  });
  if (matchers.length === 0) delete out['pathMatchers'];

  const hostRules = (Array.isArray(body['hostRules']) ? body['hostRules'] : []).map(asObject);
  const seenHosts = new Map<string, number>();
  hostRules.forEach((hr, i) => {
    const hosts = hr['hosts'];
    if (!Array.isArray(hosts) || hosts.length === 0) throw invalidField(`resource.hostRules[${i}].hosts`, '', 'A host rule needs at least one host.');
    hosts.forEach((h, k) => {
      if (typeof h !== 'string' || !HOST.test(h)) {
        throw invalidField(`resource.hostRules[${i}].hosts[${k}]`, h, 'Invalid host: a host name, optionally with :port, where * may only be the first character and must be followed by . or -.');
      }
      const key = h.toLowerCase();
      if (seenHosts.has(key)) throw invalidField(`resource.hostRules[${i}].hosts[${k}]`, h, `Host '${h}' already appears in hostRules[${seenHosts.get(key)}]; a host may appear in one host rule only.`);
      seenHosts.set(key, i);
    });
    const pm = asString(hr['pathMatcher']);
    if (!pm || !names.has(pm)) throw invalidField(`resource.hostRules[${i}].pathMatcher`, pm ?? '', 'The host rule names a path matcher that does not exist in this URL map.');
  });
  if (hostRules.length === 0) delete out['hostRules'];
  for (const k of ['name', 'fingerprint', 'kind', 'id', 'selfLink', 'creationTimestamp', 'region', 'status']) delete out[k];
  if (body['description'] !== undefined) out['description'] = String(body['description']);
  return out;
}

export const urlMapSpec: KindSpec = {
  collection: 'urlMaps',
  kind: 'compute#urlMap',
  snake: 'url_map',
  scope: 'global',
  fingerprint: true,
  update: true,
  patch: true,
  build: (b) => buildUrlMap(b, true),
};

export const regionUrlMapSpec: KindSpec = {
  ...urlMapSpec,
  scope: 'regional',
  build: (b) => buildUrlMap(b, false),
};

/** Backend service paths a stored URL map routes to (default, path rules, route actions). */
export function urlMapServices(urlMap: JsonObject): string[] {
  const out = new Set<string>();
  const add = (v: Json | undefined) => {
    const p = typeof v === 'string' ? refPath(v) : undefined;
    if (p && /\/backendServices\//.test(p)) out.add(p);
  };
  add(urlMap['defaultService']);
  for (const [, v] of routeActionServices(urlMap['defaultRouteAction'])) add(v);
  for (const pm of (Array.isArray(urlMap['pathMatchers']) ? urlMap['pathMatchers'] : []).map(asObject)) {
    add(pm['defaultService']);
    for (const rule of (Array.isArray(pm['pathRules']) ? pm['pathRules'] : []).map(asObject)) {
      add(rule['service']);
      for (const [, v] of routeActionServices(rule['routeAction'])) add(v);
    }
    for (const rr of (Array.isArray(pm['routeRules']) ? pm['routeRules'] : []).map(asObject)) {
      add(rr['service']);
      for (const [, v] of routeActionServices(rr['routeAction'])) add(v);
    }
  }
  return [...out];
}
