/**
 * `networkEndpointGroup`: one serverless NEG per backend and region (always regional), pointing at
 * a Cloud Run service, Cloud Run function / Cloud Function, App Engine, a URL mask, or (Compute
 * beta) an API Gateway gateway. Nothing of a NEG changes in place: a new one is made under the
 * alternate name. API Gateway NEGs are inserted and read through the v1beta client, since v1 drops
 * `serverlessDeployment`.
 */
import { negRegions, targetKind } from '../spec/derive.js';
import type { Backend } from '../spec/schema.js';
import { attr, expr } from '../model/hcl.js';
import type { BlockItem } from '../model/hcl.js';
import { obj, str } from '../model/body.js';
import { bare, flag, gcloud, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { regionOf } from '../model/resource-model.js';
import { common, sub } from './terraform-words.js';

function negTargetBody(backend: Backend): Record<string, unknown> {
  switch (targetKind(backend)) {
    case 'cloudRun': {
      const t = backend.cloudRun!;
      const cloudRun: Record<string, unknown> = {};
      if (t.service !== undefined) cloudRun.service = t.service;
      if (t.urlMask !== undefined) cloudRun.urlMask = t.urlMask;
      if (t.tag !== undefined) cloudRun.tag = t.tag;
      return { cloudRun };
    }
    case 'cloudFunction': {
      const t = backend.cloudFunction!;
      const cloudFunction: Record<string, unknown> = {};
      if (t.function !== undefined) cloudFunction.function = t.function;
      if (t.urlMask !== undefined) cloudFunction.urlMask = t.urlMask;
      return { cloudFunction };
    }
    case 'appEngine': {
      const t = backend.appEngine!;
      const appEngine: Record<string, unknown> = {};
      if (t.service !== undefined) appEngine.service = t.service;
      if (t.version !== undefined) appEngine.version = t.version;
      if (t.urlMask !== undefined) appEngine.urlMask = t.urlMask;
      return { appEngine };
    }
    case 'apiGateway':
      return { serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: backend.apiGateway!.gateway } };
  }
}

function describeTarget(backend: Backend): string {
  const kind = targetKind(backend);
  const mask = backend.cloudRun?.urlMask ?? backend.cloudFunction?.urlMask ?? backend.appEngine?.urlMask;
  if (mask) return `URL mask ${mask}`;
  switch (kind) {
    case 'cloudRun':
      return `Cloud Run service ${backend.cloudRun!.service}${backend.cloudRun!.tag ? ` (tag ${backend.cloudRun!.tag})` : ''}`;
    case 'cloudFunction':
      return `Cloud Function ${backend.cloudFunction!.function}`;
    case 'appEngine':
      return `App Engine ${backend.appEngine!.service ?? 'default service'}${backend.appEngine!.version ? ` version ${backend.appEngine!.version}` : ''}`;
    case 'apiGateway':
      return `API Gateway ${backend.apiGateway!.gateway}`;
  }
}

function gcloudTargetFlags(b: Record<string, unknown>): { flags: Word[]; beta: boolean } {
  const flags: Word[] = [];
  const run = obj(b, 'cloudRun');
  const appEngine = obj(b, 'appEngine');
  const fn = obj(b, 'cloudFunction');
  const deployment = obj(b, 'serverlessDeployment');
  if (run) {
    const service = str(run, 'service');
    const tag = str(run, 'tag');
    const mask = str(run, 'urlMask');
    if (service) flags.push(flag('cloud-run-service', service));
    if (tag) flags.push(flag('cloud-run-tag', tag));
    if (mask) flags.push(flag('cloud-run-url-mask', mask));
  } else if (appEngine) {
    const service = str(appEngine, 'service');
    const version = str(appEngine, 'version');
    const mask = str(appEngine, 'urlMask');
    if (!service && !version && !mask) flags.push(bare('app-engine-app'));
    if (service) flags.push(flag('app-engine-service', service));
    if (version) flags.push(flag('app-engine-version', version));
    if (mask) flags.push(flag('app-engine-url-mask', mask));
  } else if (fn) {
    const name = str(fn, 'function');
    const mask = str(fn, 'urlMask');
    if (name) flags.push(flag('cloud-function-name', name));
    if (mask) flags.push(flag('cloud-function-url-mask', mask));
  } else if (deployment) {
    // API Gateway NEGs are set up through gcloud's beta track (the GA command has no flags for them).
    const platform = str(deployment, 'platform');
    const resource = str(deployment, 'resource');
    const version = str(deployment, 'version');
    const mask = str(deployment, 'urlMask');
    if (platform) flags.push(flag('serverless-deployment-platform', platform));
    if (resource) flags.push(flag('serverless-deployment-resource', resource));
    if (version) flags.push(flag('serverless-deployment-version', version));
    if (mask) flags.push(flag('serverless-deployment-url-mask', mask));
    return { flags, beta: true };
  }
  return { flags, beta: false };
}

export const networkEndpointGroup = {
  kind: 'networkEndpointGroup',
  words: 'network endpoint group',
  scopes: { global: false, regional: true },

  build(g) {
    for (const backend of g.spec.backends) {
      const list = [];
      for (const region of negRegions(g.spec, backend)) {
        const name = g.names.neg(backend.name, region);
        list.push(
          g.add(
            'networkEndpointGroup',
            `regions/${region}`,
            name,
            { name, networkEndpointType: 'SERVERLESS', ...negTargetBody(backend) },
            [],
            `serverless NEG in ${region} for backend ${backend.name}: ${describeTarget(backend)}`,
          ),
        );
      }
      g.shared.negs.set(backend.name, list);
    }
  },

  compute: {
    collection: 'networkEndpointGroups',
    clients: { global: 'GlobalNetworkEndpointGroupsClient', regional: 'RegionNetworkEndpointGroupsClient' },
    fingerprinted: false,
    insertBody: (body) => ({ body, beta: body.serverlessDeployment !== undefined }),
    readAgainThroughBeta: (b) => b.networkEndpointType === 'SERVERLESS' && !b.cloudRun && !b.appEngine && !b.cloudFunction,
  },
  compare: { immutable: () => 'all', rotatable: true },
  // A NEG made by the exported gcloud script (gcloud takes no description for one) is recognised by
  // the backend service that uses it.
  ownership: { labels: false, description: true, heldBy: ['backendService'] },

  gcloud(s, r) {
    const b = r.body;
    const region = regionOf(r.scope);
    const flags: Word[] = [];
    if (region) flags.push(flag('region', region));
    flags.push(flag('network-endpoint-type', String(str(b, 'networkEndpointType') ?? 'SERVERLESS').toLowerCase()));
    const target = gcloudTargetFlags(b);
    flags.push(...target.flags);
    if (str(b, 'description')) {
      s.comment('(gcloud sets no description on network endpoint groups: its name ties it to the load balancer)');
    }
    const head = target.beta
      ? gcloud('beta', 'compute', 'network-endpoint-groups', 'create', r.name)
      : gcloud('compute', 'network-endpoint-groups', 'create', r.name);
    s.command(r.project, { head, flags });
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_global_network_endpoint_group' : 'google_compute_region_network_endpoint_group'),
    convert(t, r) {
      const b = r.body;
      const items: BlockItem[] = [...common(t, r), ...attr('network_endpoint_type', str(b, 'networkEndpointType') ?? 'SERVERLESS')];
      const run = obj(b, 'cloudRun');
      const appEngine = obj(b, 'appEngine');
      const fn = obj(b, 'cloudFunction');
      const deployment = obj(b, 'serverlessDeployment');
      if (run) {
        items.push(sub('cloud_run', [...attr('service', str(run, 'service')), ...attr('tag', str(run, 'tag')), ...attr('url_mask', str(run, 'urlMask'))]));
      } else if (appEngine) {
        items.push(sub('app_engine', [...attr('service', str(appEngine, 'service')), ...attr('version', str(appEngine, 'version')), ...attr('url_mask', str(appEngine, 'urlMask'))]));
      } else if (fn) {
        items.push(sub('cloud_function', [...attr('function', str(fn, 'function')), ...attr('url_mask', str(fn, 'urlMask'))]));
      } else if (deployment) {
        t.useBeta();
        items.unshift(...attr('provider', expr('google-beta')));
        items.push(
          sub('serverless_deployment', [
            ...attr('platform', str(deployment, 'platform')),
            ...attr('resource', str(deployment, 'resource')),
            ...attr('version', str(deployment, 'version')),
            ...attr('url_mask', str(deployment, 'urlMask')),
          ]),
        );
      }
      return items;
    },
  },
  quotaMetrics: () => ['NETWORK_ENDPOINT_GROUPS'],
} satisfies ResourceKindModule;
