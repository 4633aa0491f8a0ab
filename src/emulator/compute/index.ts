/**
 * The Compute Engine v1 API module: routes for every collection the load balancer uses, served
 * under both `/compute/v1/projects/...` (what the Node SDK and gcloud send) and `/projects/...`.
 * Behaviour rules live beside each kind (addresses.ts, backend-services.ts, ...) and in engine.ts;
 * docs/emulator.md has the whole written spec.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import type { RouteHandler } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { projectNumber } from '../run/run-model.js';
import { addressSpec, globalAddressSpec } from './addresses.js';
import { backendServiceSpec, regionBackendServiceSpec, setSecurityPolicyHandler } from './backend-services.js';
import { collectionHandlers, collectionPath, getOr404, type KindSpec, present, replaceWithOperation, seedResource } from './engine.js';
import { invalidField, notFound } from './errors.js';
import { forwardingRuleSpec, globalForwardingRuleSpec, setTargetHandler } from './forwarding-rules.js';
import { applyFilter } from './list.js';
import { negSpec } from './negs.js';
import { networkSpec, subnetworkSpec } from './networks.js';
import { operationsCollection } from './operations.js';
import { knownRegion, regionHandlers, REGIONS } from './regions.js';
import { regionSecurityPolicySpec, ruleHandler, securityPolicySpec } from './security-policies.js';
import { regionSslCertificateSpec, sslCertificateSpec } from './ssl-certificates.js';
import { regionSslPolicySpec, sslPolicySpec } from './ssl-policies.js';
import {
  proxySetter,
  regionTargetHttpProxySpec,
  regionTargetHttpsProxySpec,
  targetHttpProxySpec,
  targetHttpsProxySpec,
} from './target-proxies.js';
import { regionUrlMapSpec, urlMapSpec } from './url-maps.js';
import { selfLinkOf } from './urls.js';

/**
 * `/compute/beta` serves the same model: the tool uses the beta API only for what v1 lacks (API
 * Gateway serverless NEGs' `serverlessDeployment`). Responses keep v1 self-links (docs/emulator.md).
 */
export const PREFIXES = ['/compute/v1', '/compute/beta', ''] as const;

export const GLOBAL_KINDS: KindSpec[] = [
  networkSpec,
  globalAddressSpec,
  backendServiceSpec,
  urlMapSpec,
  targetHttpProxySpec,
  targetHttpsProxySpec,
  globalForwardingRuleSpec,
  sslCertificateSpec,
  sslPolicySpec,
  securityPolicySpec,
];

export const REGIONAL_KINDS: KindSpec[] = [
  subnetworkSpec,
  addressSpec,
  negSpec,
  regionBackendServiceSpec,
  regionUrlMapSpec,
  regionTargetHttpProxySpec,
  regionTargetHttpsProxySpec,
  forwardingRuleSpec,
  regionSslCertificateSpec,
  regionSslPolicySpec,
  regionSecurityPolicySpec,
];

/** Seeder collection names: the URL collection, with `globalAddresses` for global addresses. */
const SEED_KINDS: Record<string, KindSpec> = {
  networks: networkSpec,
  globalAddresses: globalAddressSpec,
  addresses: addressSpec,
  subnetworks: subnetworkSpec,
  sslCertificates: sslCertificateSpec,
  regionSslCertificates: regionSslCertificateSpec,
  securityPolicies: securityPolicySpec,
  networkEndpointGroups: negSpec,
  backendServices: backendServiceSpec,
  regionBackendServices: regionBackendServiceSpec,
  urlMaps: urlMapSpec,
  regionUrlMaps: regionUrlMapSpec,
};

function scopePrefix(spec: KindSpec): string {
  return spec.scope === 'global' ? '/projects/:project/global' : '/projects/:project/regions/:region';
}

function installKind(ctx: EmulatorContext, spec: KindSpec): void {
  const h = collectionHandlers(ctx, spec);
  for (const prefix of PREFIXES) {
    const base = `${prefix}${scopePrefix(spec)}/${spec.collection}`;
    ctx.router.add('GET', base, h.list);
    ctx.router.add('POST', base, h.insert);
    ctx.router.add('GET', `${base}/:name`, h.get);
    ctx.router.add('DELETE', `${base}/:name`, h.remove);
    if (h.update) ctx.router.add('PUT', `${base}/:name`, h.update);
    if (h.patch) ctx.router.add('PATCH', `${base}/:name`, h.patch);
    if (h.setLabels) ctx.router.add('POST', `${base}/:name/setLabels`, h.setLabels);
  }
}

function addAll(ctx: EmulatorContext, method: string, path: string, handler: RouteHandler): void {
  for (const prefix of PREFIXES) ctx.router.add(method, `${prefix}${path}`, handler);
}

function installOperations(ctx: EmulatorContext): void {
  const opPath = (params: Record<string, string>) => `${operationsCollection(params['project']!, params['region'])}/${params['operation']}`;
  const checkRegion = (params: Record<string, string>) => {
    if (params['region'] && !knownRegion(params['region'])) throw notFound(`projects/${params['project']}/regions/${params['region']}`);
  };
  const get: RouteHandler = (_req, params) => {
    checkRegion(params);
    const op = ctx.store.get(opPath(params));
    if (!op) throw notFound(opPath(params));
    return { status: 200, body: op };
  };
  const wait: RouteHandler = async (_req, params) => {
    checkRegion(params);
    const path = opPath(params);
    if (!ctx.store.has(path)) throw notFound(path);
    await ctx.operations.wait(path, ctx.options.waitTimeoutMs);
    return { status: 200, body: ctx.store.get(path) };
  };
  const list: RouteHandler = (req, params) => {
    checkRegion(params);
    const coll = operationsCollection(params['project']!, params['region']);
    const items = applyFilter(ctx.store.list<JsonObject>(coll).map(([, v]) => v), req.query.get('filter'));
    return {
      status: 200,
      body: { kind: 'compute#operationList', id: coll, ...(items.length ? { items } : {}), selfLink: selfLinkOf(coll) },
    };
  };
  const remove: RouteHandler = (_req, params) => {
    checkRegion(params);
    if (!ctx.store.delete(opPath(params))) throw notFound(opPath(params));
    return { status: 204 };
  };
  for (const scope of ['/projects/:project/global/operations', '/projects/:project/regions/:region/operations']) {
    addAll(ctx, 'GET', scope, list);
    addAll(ctx, 'GET', `${scope}/:operation`, get);
    addAll(ctx, 'POST', `${scope}/:operation/wait`, wait);
    addAll(ctx, 'DELETE', `${scope}/:operation`, remove);
  }
}

/** POST .../subnetworks/NAME/setPrivateIpGoogleAccess {privateIpGoogleAccess}: an operation of that type, as recorded. */
function setPrivateIpGoogleAccessHandler(ctx: EmulatorContext): RouteHandler {
  return (req, params) => {
    const scope = { project: params['project']!, region: params['region']! };
    const path = `${collectionPath(subnetworkSpec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const value = (req.body as JsonObject | undefined)?.['privateIpGoogleAccess'];
    if (typeof value !== 'boolean') throw invalidField('privateIpGoogleAccess', String(value), 'Must be true or false.');
    return replaceWithOperation(ctx, req, subnetworkSpec, scope, path, existing, 'setPrivateIpGoogleAccess', (current) => ({ ...current, privateIpGoogleAccess: value }));
  };
}

function installAggregated(ctx: EmulatorContext): void {
  const byCollection = new Map<string, KindSpec[]>();
  for (const spec of [...GLOBAL_KINDS, ...REGIONAL_KINDS]) {
    byCollection.set(spec.collection, [...(byCollection.get(spec.collection) ?? []), spec]);
  }
  for (const [collection, specs] of byCollection) {
    addAll(ctx, 'GET', `/projects/:project/aggregated/${collection}`, (req, params) => {
      const project = params['project']!;
      const items: JsonObject = {};
      const filter = req.query.get('filter');
      const take = (scopeKey: string, coll: string) => {
        const list = applyFilter(ctx.store.list<JsonObject>(coll).map(([, v]) => present(v)), filter);
        if (list.length) items[scopeKey] = { [collection]: list };
      };
      if (specs.some((s) => s.scope === 'global')) take('global', `projects/${project}/global/${collection}`);
      if (specs.some((s) => s.scope === 'regional')) {
        for (const region of Object.keys(REGIONS)) take(`regions/${region}`, `projects/${project}/regions/${region}/${collection}`);
      }
      return {
        status: 200,
        body: { kind: `${specs[0]!.kind}AggregatedList`, id: `projects/${project}/aggregated/${collection}`, items, selfLink: selfLinkOf(`projects/${project}/aggregated/${collection}`) },
      };
    });
  }
}

export function installCompute(ctx: EmulatorContext): void {
  for (const spec of [...GLOBAL_KINDS, ...REGIONAL_KINDS]) installKind(ctx, spec);
  installOperations(ctx);
  installAggregated(ctx);

  const regions = regionHandlers(ctx);
  addAll(ctx, 'GET', '/projects/:project/regions', regions.list);
  addAll(ctx, 'GET', '/projects/:project/regions/:region', regions.get);
  // projects.get: the project with its global quotas (serverless-lb's preflight reads it).
  // Limits are typical defaults; usage is not counted.
  // A project the seed does not define does not exist (when the seed defines any): Google answers
  // projects.get for it with 404. Collections under it stay answerable (a documented leniency).
  addAll(ctx, 'GET', '/projects/:project', (_req, params) => {
    const seeded = ctx.store.entries().filter(([key]) => key.startsWith('emulator/projects/'));
    if (seeded.length > 0 && !ctx.store.has(`emulator/projects/${params['project']!}`)) throw notFound(`projects/${params['project']!}`);
    return projectResource(params['project']!);
  });
  const projectResource = (project: string) => ({
    status: 200,
    body: {
      kind: 'compute#project',
      // Google's Compute project resource carries the project number as its id.
      id: projectNumber(ctx.store, project),
      name: project,
      creationTimestamp: '1969-12-31T16:00:00.000-08:00',
      quotas: [
        { metric: 'BACKEND_SERVICES', limit: 75, usage: 0 },
        { metric: 'URL_MAPS', limit: 30, usage: 0 },
        { metric: 'TARGET_HTTP_PROXIES', limit: 30, usage: 0 },
        { metric: 'TARGET_HTTPS_PROXIES', limit: 30, usage: 0 },
        { metric: 'SSL_CERTIFICATES', limit: 30, usage: 0 },
        { metric: 'STATIC_ADDRESSES', limit: 21, usage: 0 },
        { metric: 'FORWARDING_RULES', limit: 45, usage: 0 },
        { metric: 'SECURITY_POLICIES', limit: 10, usage: 0 },
      ],
      selfLink: selfLinkOf(`projects/${project}`),
      xpnProjectStatus: 'UNSPECIFIED_XPN_PROJECT_STATUS',
      defaultNetworkTier: 'PREMIUM',
    },
  });

  // Custom methods. Note Google's paths: global target proxies' setUrlMap / setSslCertificates have no `global/`.
  addAll(ctx, 'POST', '/projects/:project/targetHttpProxies/:name/setUrlMap', proxySetter(ctx, targetHttpProxySpec, 'setUrlMap'));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/targetHttpProxies/:name/setUrlMap', proxySetter(ctx, regionTargetHttpProxySpec, 'setUrlMap'));
  addAll(ctx, 'POST', '/projects/:project/targetHttpsProxies/:name/setUrlMap', proxySetter(ctx, targetHttpsProxySpec, 'setUrlMap'));
  addAll(ctx, 'POST', '/projects/:project/targetHttpsProxies/:name/setSslCertificates', proxySetter(ctx, targetHttpsProxySpec, 'setSslCertificates'));
  addAll(ctx, 'POST', '/projects/:project/global/targetHttpsProxies/:name/setCertificateMap', proxySetter(ctx, targetHttpsProxySpec, 'setCertificateMap'));
  addAll(ctx, 'POST', '/projects/:project/global/targetHttpsProxies/:name/setQuicOverride', proxySetter(ctx, targetHttpsProxySpec, 'setQuicOverride'));
  addAll(ctx, 'POST', '/projects/:project/global/targetHttpsProxies/:name/setSslPolicy', proxySetter(ctx, targetHttpsProxySpec, 'setSslPolicy'));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/targetHttpsProxies/:name/setSslPolicy', proxySetter(ctx, regionTargetHttpsProxySpec, 'setSslPolicy'));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/targetHttpsProxies/:name/setUrlMap', proxySetter(ctx, regionTargetHttpsProxySpec, 'setUrlMap'));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/targetHttpsProxies/:name/setSslCertificates', proxySetter(ctx, regionTargetHttpsProxySpec, 'setSslCertificates'));
  addAll(ctx, 'POST', '/projects/:project/global/backendServices/:name/setSecurityPolicy', setSecurityPolicyHandler(ctx, backendServiceSpec));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/backendServices/:name/setSecurityPolicy', setSecurityPolicyHandler(ctx, regionBackendServiceSpec));
  addAll(ctx, 'POST', '/projects/:project/global/forwardingRules/:name/setTarget', setTargetHandler(ctx, globalForwardingRuleSpec));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/forwardingRules/:name/setTarget', setTargetHandler(ctx, forwardingRuleSpec));
  addAll(ctx, 'POST', '/projects/:project/regions/:region/subnetworks/:name/setPrivateIpGoogleAccess', setPrivateIpGoogleAccessHandler(ctx));
  for (const method of ['addRule', 'patchRule', 'removeRule'] as const) {
    addAll(ctx, 'POST', `/projects/:project/global/securityPolicies/:name/${method}`, ruleHandler(ctx, securityPolicySpec, method));
    addAll(ctx, 'POST', `/projects/:project/regions/:region/securityPolicies/:name/${method}`, ruleHandler(ctx, regionSecurityPolicySpec, method));
  }
  addAll(ctx, 'GET', '/projects/:project/global/securityPolicies/:name/getRule', ruleHandler(ctx, securityPolicySpec, 'getRule'));
  addAll(ctx, 'GET', '/projects/:project/regions/:region/securityPolicies/:name/getRule', ruleHandler(ctx, regionSecurityPolicySpec, 'getRule'));

  ctx.seeders['compute'] = (project, collection, body, location) => {
    const spec = SEED_KINDS[collection];
    if (!spec) throw invalidField('seed.collection', collection, `Unknown compute collection; use one of ${Object.keys(SEED_KINDS).join(', ')}.`);
    if (spec.scope === 'regional' && !location) throw invalidField('seed.region', '', `${collection} needs a region.`);
    seedResource(ctx, spec, { project, ...(spec.scope === 'regional' ? { region: location! } : {}) }, body);
  };
}

export const computeModule: EmulatorModule = {
  name: 'compute',
  install: installCompute,
};
