/**
 * backendServices (global) and regionBackendServices.
 *
 * Fills in what Google fills in: protocol HTTP (TCP for INTERNAL), port 80 / portName "http" (not
 * for INTERNAL), affinityCookieTtlSec 0, sessionAffinity NONE, timeoutSec 30, connectionDraining
 * 300 s, description "", enableCDN false (EXTERNAL / EXTERNAL_MANAGED), fingerprint. An IAP
 * `oauth2ClientSecret` is stored only as `oauth2ClientSecretSha256`.
 *
 * Serverless NEG backends (notes/gcp-constraints.md): the NEGs must exist; no mixing with other
 * backends nor between serverless kinds; at most one NEG per region (global), exactly one NEG in the
 * backend service's region (regional); App Engine / Cloud Functions / API Gateway only behind global
 * EXTERNAL or EXTERNAL_MANAGED; no health checks, no balancing-mode capacity fields, sessionAffinity
 * NONE, timeoutSec only the default 30, no localityLbPolicy, portName empty or "http"; outlier
 * detection not on EXTERNAL and without successRate fields. Cloud CDN only on global EXTERNAL /
 * EXTERNAL_MANAGED and not with IAP. setSecurityPolicy needs an existing policy of the same scope.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../core/context.js';
import type { ApiRequest, RouteHandler } from '../core/http.js';
import type { Json, JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec, Scope } from './engine.js';
import { collectionPath, getOr404, replaceWithOperation } from './engine.js';
import { invalid, invalidField, notFound } from './errors.js';
import { asObject, asString, checkEnum } from './fields.js';
import { serverlessPlatform } from './negs.js';
import { refPath, selfLinkOf } from './urls.js';

export const SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED'] as const;

function fail(message: string): never {
  throw invalid(message);
}

function checkServerless(b: BuildContext, global: boolean, scheme: string, body: JsonObject, backends: JsonObject[]): void {
  const negs: Array<{ path: string; neg: JsonObject }> = [];
  let other = 0;
  for (const [i, backend] of backends.entries()) {
    const group = asString(backend['group']);
    if (!group) throw invalidField(`resource.backends[${i}].group`, '', 'A backend needs a group.');
    const path = refPath(group);
    if (!path) throw invalidField(`resource.backends[${i}].group`, group, 'The URL is malformed.');
    const target = b.ctx.store.get<JsonObject>(path);
    if (!target) throw notFound(path);
    if (/\/networkEndpointGroups\//.test(path) && serverlessPlatform(target)) negs.push({ path, neg: target });
    else other++;
  }
  if (negs.length === 0) return;
  const name = `'${b.name}'`;
  if (other > 0) fail(`Backend service ${name} mixes serverless network endpoint groups with other backends, which is not supported.`);
  const kinds = new Set(negs.map((n) => serverlessPlatform(n.neg)));
  if (kinds.size > 1) fail(`Backend service ${name} mixes serverless network endpoint groups of different kinds (${[...kinds].join(', ')}).`);
  const platform = [...kinds][0]!;
  const regions = negs.map((n) => n.path.split('/')[3]!);
  const dupRegion = regions.find((r, i) => regions.indexOf(r) !== i);
  if (dupRegion) fail(`Backend service ${name} has more than one serverless network endpoint group in region '${dupRegion}'; at most one per region is allowed.`);
  if (!global) {
    if (negs.length > 1) fail(`Regional backend service ${name} can have only one serverless network endpoint group backend.`);
    if (regions[0] !== b.region) fail(`Serverless network endpoint group '${negs[0]!.path}' must be in the backend service's region '${b.region}'.`);
  }
  const externalGlobal = global && (scheme === 'EXTERNAL' || scheme === 'EXTERNAL_MANAGED');
  if (scheme === 'INTERNAL' || scheme === 'INTERNAL_SELF_MANAGED' || (!global && scheme === 'EXTERNAL')) {
    fail(`Serverless network endpoint groups are not supported with load balancing scheme ${scheme}.`);
  }
  if (platform !== 'cloudRun' && !externalGlobal) {
    fail(`Serverless network endpoint groups of kind ${platform} are only supported by global external Application Load Balancers (EXTERNAL or EXTERNAL_MANAGED); this backend service is ${global ? 'global' : 'regional'} ${scheme}.`);
  }
  if (platform === 'appEngine' && negs.length > 1) fail('App Engine serves from one region per project: a backend service can have only one App Engine network endpoint group.');
  if (Array.isArray(body['healthChecks']) && body['healthChecks'].length) {
    fail('A backend service cannot have a health check when its backends are serverless network endpoint groups.');
  }
  for (const [i, backend] of backends.entries()) {
    for (const k of ['maxRate', 'maxRatePerInstance', 'maxRatePerEndpoint', 'maxConnections', 'maxConnectionsPerInstance', 'maxConnectionsPerEndpoint', 'maxUtilization']) {
      if (backend[k] !== undefined) throw invalidField(`resource.backends[${i}].${k}`, backend[k], 'Capacity settings are not supported for serverless network endpoint groups.');
    }
    if (backend['balancingMode'] !== undefined && backend['balancingMode'] !== 'UTILIZATION') {
      throw invalidField(`resource.backends[${i}].balancingMode`, backend['balancingMode'], 'Balancing mode is not supported for serverless network endpoint groups.');
    }
  }
  if (body['timeoutSec'] !== undefined && body['timeoutSec'] !== 30) {
    throw invalidField('resource.timeoutSec', body['timeoutSec'], 'Timeout is not supported for a backend service with serverless network endpoint groups.');
  }
  if (body['sessionAffinity'] !== undefined && body['sessionAffinity'] !== 'NONE') {
    throw invalidField('resource.sessionAffinity', body['sessionAffinity'], 'Session affinity is not supported for a backend service with serverless network endpoint groups.');
  }
  if (body['localityLbPolicy'] !== undefined) {
    throw invalidField('resource.localityLbPolicy', body['localityLbPolicy'], 'Locality load balancing policy is not supported for a backend service with serverless network endpoint groups.');
  }
  const portName = body['portName'];
  if (portName !== undefined && portName !== '' && portName !== 'http') {
    throw invalidField('resource.portName', portName, 'Port name must be empty or "http" with serverless network endpoint groups.');
  }
}

const MIGRATION_STATES = ['PREPARE', 'TEST_BY_PERCENTAGE', 'TEST_ALL_TRAFFIC'] as const;
type MigrationState = (typeof MIGRATION_STATES)[number];

/**
 * The classic -> global external migration of a backend service (Google's reference for
 * `externalManagedMigrationState`): the state goes PREPARE -> (TEST_BY_PERCENTAGE, with
 * `externalManagedMigrationTestingPercentage` 0-100)* -> TEST_ALL_TRAFFIC, one step at a time in
 * that order, while the scheme is EXTERNAL; the scheme becomes EXTERNAL_MANAGED only from
 * TEST_ALL_TRAFFIC (the state then goes, whatever the request carried). A rollback runs the same states in reverse: back to
 * EXTERNAL together with TEST_ALL_TRAFFIC, then down to PREPARE, then the state removed. Any other
 * scheme change is refused. Returns the migration fields to store.
 */
function checkMigration(b: BuildContext, scheme: string, body: JsonObject): JsonObject {
  const before = b.existing;
  const oldScheme = before?.['loadBalancingScheme'];
  const oldState = before?.['externalManagedMigrationState'] as MigrationState | undefined;
  const state = checkEnum(body['externalManagedMigrationState'], MIGRATION_STATES, 'resource.externalManagedMigrationState') as MigrationState | undefined;
  const percent = body['externalManagedMigrationTestingPercentage'];
  const field = 'resource.externalManagedMigrationState';
  if (percent !== undefined) {
    if (typeof percent !== 'number' || percent < 0 || percent > 100) throw invalidField('resource.externalManagedMigrationTestingPercentage', percent, 'Must be in the range [0, 100].');
    if (state !== 'TEST_BY_PERCENTAGE') throw invalidField('resource.externalManagedMigrationTestingPercentage', percent, 'Can only be set when externalManagedMigrationState is TEST_BY_PERCENTAGE.');
  }
  const schemeChanged = before !== undefined && oldScheme !== scheme;
  if (schemeChanged) {
    const forward = oldScheme === 'EXTERNAL' && scheme === 'EXTERNAL_MANAGED';
    const back = oldScheme === 'EXTERNAL_MANAGED' && scheme === 'EXTERNAL';
    if (forward && oldState !== 'TEST_ALL_TRAFFIC') throw invalidField('resource.loadBalancingScheme', scheme, 'The migration state must be TEST_ALL_TRAFFIC before the load balancing scheme can be changed to EXTERNAL_MANAGED.');
    if (back && state !== 'TEST_ALL_TRAFFIC') throw invalidField(field, state ?? '', 'Changing the load balancing scheme from EXTERNAL_MANAGED to EXTERNAL requires the migration state TEST_ALL_TRAFFIC at the same time.');
    if (!forward && !back) throw invalidField('resource.loadBalancingScheme', scheme, 'The load balancing scheme of a backend service cannot be changed.');
    // Migrated: the state has done its work and goes (whatever a patch carried over).
    if (forward) return {};
  }
  if (state === undefined) {
    // Leaving the migration: only from PREPARE (all traffic back on the classic infrastructure).
    if (!schemeChanged && oldState !== undefined && oldState !== 'PREPARE') throw invalidField(field, '', `The migration state can only be removed from PREPARE, not ${oldState}.`);
    return {};
  }
  if (scheme !== 'EXTERNAL') throw invalidField(field, state, 'A migration state can only be set on a backend service with load balancing scheme EXTERNAL.');
  if (!schemeChanged && state !== oldState) {
    const order: Array<MigrationState | undefined> = [undefined, 'PREPARE', 'TEST_BY_PERCENTAGE', 'TEST_ALL_TRAFFIC'];
    const from = order.indexOf(oldState);
    const to = order.indexOf(state);
    const adjacent = Math.abs(to - from) === 1 || (oldState === 'PREPARE' && state === 'TEST_ALL_TRAFFIC') || (oldState === 'TEST_ALL_TRAFFIC' && state === 'PREPARE');
    if (!adjacent) throw invalidField(field, state, `The migration state cannot change from ${oldState ?? 'unset'} to ${state}: the states go PREPARE, TEST_BY_PERCENTAGE, TEST_ALL_TRAFFIC in this order (and back in reverse).`);
  }
  return { externalManagedMigrationState: state, ...(percent !== undefined ? { externalManagedMigrationTestingPercentage: percent } : {}) };
}

function buildBackendService(b: BuildContext, global: boolean): JsonObject {
  const body = b.body;
  const scheme = checkEnum(body['loadBalancingScheme'], SCHEMES, 'resource.loadBalancingScheme', 'EXTERNAL')!;
  if (global && scheme === 'INTERNAL') throw invalidField('resource.loadBalancingScheme', scheme, 'INTERNAL backend services must be regional.');
  if (!global && scheme === 'INTERNAL_SELF_MANAGED') throw invalidField('resource.loadBalancingScheme', scheme, 'INTERNAL_SELF_MANAGED backend services must be global.');
  const migration = checkMigration(b, scheme, body);
  const internalPassthrough = scheme === 'INTERNAL';
  const protocol = checkEnum(body['protocol'], ['HTTP', 'HTTPS', 'HTTP2', 'TCP', 'SSL', 'UDP', 'GRPC', 'H2C', 'UNSPECIFIED'] as const, 'resource.protocol', internalPassthrough ? 'TCP' : 'HTTP')!;
  const sessionAffinity = checkEnum(
    body['sessionAffinity'],
    ['NONE', 'CLIENT_IP', 'CLIENT_IP_PORT_PROTO', 'CLIENT_IP_PROTO', 'GENERATED_COOKIE', 'HEADER_FIELD', 'HTTP_COOKIE', 'CLIENT_IP_NO_DESTINATION', 'STRONG_COOKIE_AFFINITY'] as const,
    'resource.sessionAffinity',
    'NONE',
  )!;
  if (body['localityLbPolicy'] !== undefined) {
    checkEnum(body['localityLbPolicy'], ['ROUND_ROBIN', 'LEAST_REQUEST', 'RING_HASH', 'RANDOM', 'ORIGINAL_DESTINATION', 'MAGLEV', 'WEIGHTED_MAGLEV', 'WEIGHTED_ROUND_ROBIN'] as const, 'resource.localityLbPolicy');
  }
  const timeoutSec = body['timeoutSec'] ?? 30;
  if (typeof timeoutSec !== 'number' || timeoutSec < 1 || timeoutSec > 2147483647) throw invalidField('resource.timeoutSec', timeoutSec, 'Must be a positive number of seconds.');
  const backends = (Array.isArray(body['backends']) ? body['backends'] : []).map((x) => asObject(x));
  checkServerless(b, global, scheme, body, backends);
  for (const hc of (Array.isArray(body['healthChecks']) ? body['healthChecks'] : []) as Json[]) {
    const p = typeof hc === 'string' ? refPath(hc) : undefined;
    if (!p) throw invalidField('resource.healthChecks', hc, 'The URL is malformed.');
    if (!b.ctx.store.has(p)) throw notFound(p);
  }
  const enableCDN = body['enableCDN'] === true;
  const cdnCapable = global && (scheme === 'EXTERNAL' || scheme === 'EXTERNAL_MANAGED');
  if (enableCDN && !cdnCapable) throw invalidField('resource.enableCDN', true, 'Cloud CDN is only supported by global external backend services (EXTERNAL or EXTERNAL_MANAGED).');
  const iap = asObject(body['iap']);
  if (enableCDN && iap['enabled'] === true) throw invalid('Cloud CDN and Identity-Aware Proxy cannot both be enabled on a backend service.');
  const outlier = body['outlierDetection'];
  if (outlier !== undefined) {
    if (scheme === 'EXTERNAL') throw invalidField('resource.outlierDetection', outlier, 'Outlier detection is not supported with load balancing scheme EXTERNAL.');
    if (backends.length && iap['enabled'] === true) throw invalid('Outlier detection is not supported together with Identity-Aware Proxy for serverless backends.');
    const o = asObject(outlier);
    for (const k of ['successRateMinimumHosts', 'successRateRequestVolume', 'successRateStdevFactor', 'enforcingSuccessRate']) {
      if (o[k] !== undefined && backends.some(() => true)) {
        const serverless = backends.some((be) => /\/networkEndpointGroups\//.test(String(be['group'])));
        if (serverless) throw invalidField(`resource.outlierDetection.${k}`, o[k], 'Success-rate outlier detection is not supported for serverless network endpoint groups.');
      }
    }
  }
  const securityPolicy = asString(body['securityPolicy']);
  if (securityPolicy) {
    const p = refPath(securityPolicy);
    if (!p) throw invalidField('resource.securityPolicy', securityPolicy, 'The URL is malformed.');
    if (!b.ctx.store.has(p)) throw notFound(p);
  }

  const handled = new Set(['externalManagedMigrationState', 'externalManagedMigrationTestingPercentage', 'name', 'loadBalancingScheme', 'protocol', 'sessionAffinity', 'timeoutSec', 'backends', 'enableCDN', 'iap', 'port', 'portName', 'affinityCookieTtlSec', 'connectionDraining', 'description', 'healthChecks', 'labels', 'fingerprint']);
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(body)) if (!handled.has(k)) rest[k] = v;

  const out: JsonObject = {
    ...(internalPassthrough ? {} : { affinityCookieTtlSec: body['affinityCookieTtlSec'] ?? 0 }),
    ...(backends.length ? { backends: backends.map((be) => defaultBackend(be)) } : {}),
    connectionDraining: { drainingTimeoutSec: 300, ...asObject(body['connectionDraining']) },
    description: body['description'] === undefined ? '' : String(body['description']),
    ...(cdnCapable ? { enableCDN } : {}),
    ...(Array.isArray(body['healthChecks']) && body['healthChecks'].length ? { healthChecks: body['healthChecks'] } : {}),
    ...(Object.keys(iap).length ? { iap: presentIap(iap, b.existing) } : {}),
    loadBalancingScheme: scheme,
    ...migration,
    ...(internalPassthrough ? {} : { port: body['port'] ?? 80, portName: body['portName'] || 'http' }),
    protocol,
    sessionAffinity,
    timeoutSec,
    ...rest,
  };
  return out;
}

function defaultBackend(backend: JsonObject): JsonObject {
  const serverless = /\/networkEndpointGroups\//.test(String(backend['group']));
  if (!serverless && backend['balancingMode'] === undefined) return { balancingMode: 'UTILIZATION', capacityScaler: 1, ...backend };
  if (serverless) return { balancingMode: 'UTILIZATION', capacityScaler: 1, ...backend };
  return backend;
}

/** IAP settings as Google returns them: the client secret only as its SHA-256. */
function presentIap(iap: JsonObject, existing?: JsonObject): JsonObject {
  const out: JsonObject = { ...iap };
  if ('oauth2ClientSecret' in out) {
    out['oauth2ClientSecretSha256'] = createHash('sha256').update(String(out['oauth2ClientSecret'] ?? '')).digest('hex');
    delete out['oauth2ClientSecret'];
  } else if (existing && asObject(existing['iap'])['oauth2ClientSecretSha256'] !== undefined && out['oauth2ClientSecretSha256'] === undefined) {
    out['oauth2ClientSecretSha256'] = asObject(existing['iap'])['oauth2ClientSecretSha256']!;
  }
  return out;
}

/**
 * Every URL map's self link by each link its body holds (read once per store version). A URL map
 * whose delete is running is left out: Google drops it from usedBy at once, though the map still
 * holds its backend services until the delete is done (their delete is refused meanwhile).
 */
function urlMapsByLink(ctx: EmulatorContext): Map<string, string[]> {
  return ctx.store.derived('backendServices:urlMapsByLink', () => {
    const out = new Map<string, string[]>();
    const entries = ctx.store.entries();
    const deleting = new Set(
      entries
        .map(([, v]) => v as JsonObject)
        .filter((op) => op['kind'] === 'compute#operation' && op['operationType'] === 'delete' && op['status'] === 'RUNNING')
        .map((op) => String(op['targetLink'])),
    );
    for (const [p, v] of entries) {
      if (!/\/urlMaps\/[^/]+$/.test(p) || deleting.has(selfLinkOf(p))) continue;
      for (const link of new Set(JSON.stringify(v).match(/"https:\/\/[^"]+"/g) ?? [])) {
        const key = link.slice(1, -1);
        out.set(key, [...(out.get(key) ?? []), selfLinkOf(p)]);
      }
    }
    return out;
  });
}

/** `usedBy`: the URL maps that route to a backend service, as Google reports them. */
function decorate(ctx: EmulatorContext, path: string, resource: JsonObject): JsonObject {
  const users: Json[] = (urlMapsByLink(ctx).get(selfLinkOf(path)) ?? []).map((reference) => ({ reference }));
  return users.length ? { ...resource, usedBy: users } : resource;
}

export const backendServiceSpec: KindSpec = {
  decorate,
  collection: 'backendServices',
  kind: 'compute#backendService',
  snake: 'backend_service',
  scope: 'global',
  fingerprint: true,
  update: true,
  patch: true,
  build: (b) => buildBackendService(b, true),
};

export const regionBackendServiceSpec: KindSpec = {
  ...backendServiceSpec,
  scope: 'regional',
  build: (b) => buildBackendService(b, false),
};

/** POST .../backendServices/NAME/setSecurityPolicy {securityPolicy}: attach (or, with an empty value, detach) a policy. */
export function setSecurityPolicyHandler(ctx: EmulatorContext, spec: KindSpec): RouteHandler {
  return (req: ApiRequest, params) => {
    const scope: Scope = { project: params['project']!, ...(params['region'] ? { region: params['region'] } : {}) };
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const link = asString(asObject(req.body)['securityPolicy']);
    let policyLink: string | undefined;
    if (link) {
      const p = refPath(link, scope.project);
      if (!p || !/\/securityPolicies\//.test(p)) throw invalidField('securityPolicy', link, 'The URL is malformed.');
      if (!ctx.store.has(p)) throw notFound(p);
      const policyRegional = p.includes('/regions/');
      if (policyRegional !== (spec.scope === 'regional')) {
        throw invalidField('securityPolicy', link, spec.scope === 'regional' ? 'A regional backend service needs a regional security policy.' : 'A global backend service needs a global security policy.');
      }
      policyLink = selfLinkOf(p);
    }
    return replaceWithOperation(ctx, req, spec, scope, path, existing, 'setSecurityPolicy', (current) => {
      const next = { ...current };
      if (policyLink) next['securityPolicy'] = policyLink;
      else delete next['securityPolicy'];
      return next;
    });
  };
}
