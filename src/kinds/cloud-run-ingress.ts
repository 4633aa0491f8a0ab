/**
 * `cloudRunIngress`: the ingress setting of a Cloud Run service behind the load balancer, so that
 * its run.app URL no longer bypasses it. The service is the user's; serverless-lb only sets its
 * ingress, through one masked update of the Cloud Run Admin v2 API that also writes two service
 * annotations: the owner (the ownership mark) and the ingress it had before (kept on the service,
 * so a teardown from another machine restores it). What the operations mean here:
 *
 *   get     -> `{ingress, annotations}` of the service (undefined when the service does not exist)
 *   insert  -> set ingress, mark the owner, record the previous ingress (kept if already recorded)
 *   update  -> the same
 *   delete  -> restore the recorded ingress and remove both annotations; `notFound` when the
 *              service has no owner annotation (nothing of ours to undo)
 */
import { cloudRunIngress as ingressOf, cloudRunServices } from '../spec/derive.js';
import { RUN_OWNER_ANNOTATION, RUN_PREVIOUS_INGRESS_ANNOTATION } from '../plan/ownership-marks.js';
import { regionOf, resourceId, type DesiredResource, type ObservedResource, type Scope } from '../plan/resource-model.js';
import { str } from './body.js';
import { flag, gcloud, RUN_INGRESS_WORDS, shellQuote } from './gcloud-words.js';
import type { Fail, ResourceKindModule, RunService, ServiceCalls } from './kind.js';

/** A masked update of a service's ingress and annotations (`null` removes an annotation). */
export interface RunIngressUpdate {
  region: string;
  service: string;
  ingress: string;
  annotations?: Record<string, string | null>;
}

export function observedIngress(service: RunService): ObservedResource {
  const scope = `regions/${service.region}` as Scope;
  return {
    id: resourceId('cloudRunIngress', scope, service.name),
    kind: 'cloudRunIngress',
    name: service.name,
    scope,
    body: { ingress: service.ingress, annotations: { ...service.annotations } },
  };
}

export function requireRegion(scope: Scope, operation: string, fail: Fail): string {
  const region = regionOf(scope);
  if (!region) throw fail(operation, 'invalid', 'Cloud Run services live in a region; the scope is global');
  return region;
}

/** The masked update that sets the desired ingress (insert and update of cloudRunIngress). */
export function ingressUpdate(resource: DesiredResource, current: RunService, owner: string | undefined, fail: Fail): RunIngressUpdate {
  const ingress = resource.body.ingress;
  if (typeof ingress !== 'string') {
    throw fail(`set ingress of Cloud Run service ${resource.name}`, 'invalid', 'the desired body has no `ingress`');
  }
  const bodyAnnotations = (typeof resource.body.annotations === 'object' && resource.body.annotations !== null ? resource.body.annotations : {}) as Record<string, string>;
  const annotations: Record<string, string | null> = { ...bodyAnnotations };
  const markedOwner = owner ?? bodyAnnotations[RUN_OWNER_ANNOTATION];
  if (markedOwner) annotations[RUN_OWNER_ANNOTATION] = markedOwner;
  // Record what the service had before serverless-lb first touched it; never overwrite that.
  if (current.annotations[RUN_PREVIOUS_INGRESS_ANNOTATION] === undefined) {
    annotations[RUN_PREVIOUS_INGRESS_ANNOTATION] = current.ingress;
  }
  return { region: current.region, service: current.name, ingress, annotations };
}

/** The masked update that undoes ours (delete of cloudRunIngress); undefined when nothing is ours. */
export function ingressRestore(current: RunService): RunIngressUpdate | undefined {
  if (current.annotations[RUN_OWNER_ANNOTATION] === undefined) return undefined;
  const previous = current.annotations[RUN_PREVIOUS_INGRESS_ANNOTATION];
  return {
    region: current.region,
    service: current.name,
    ingress: previous ?? current.ingress,
    annotations: { [RUN_OWNER_ANNOTATION]: null, [RUN_PREVIOUS_INGRESS_ANNOTATION]: null },
  };
}

/** Existing annotations with an update's changes applied (`null` removes a key). */
export function mergeAnnotations(existing: Record<string, string>, changes: Record<string, string | null> | undefined): Record<string, string> {
  const out = { ...existing };
  for (const [k, v] of Object.entries(changes ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** The Cloud Run service a setting applies to, and its region; `notFound` when it does not exist. */
export async function requireService(calls: ServiceCalls, scope: Scope, name: string, operation: string): Promise<{ region: string; current: RunService }> {
  const region = requireRegion(scope, operation, calls.fail);
  const current = await calls.getRunService(region, name);
  if (!current) throw calls.fail(operation, 'notFound', `Cloud Run service ${name} does not exist in ${region} (project ${calls.project})`);
  return { region, current };
}

async function setIngress(calls: ServiceCalls, resource: DesiredResource, operation: string): Promise<void> {
  const { current } = await requireService(calls, resource.scope, resource.name, operation);
  return calls.updateRunService(ingressUpdate(resource, current, calls.owner, calls.fail), current);
}

export const cloudRunIngress = {
  kind: 'cloudRunIngress',
  words: 'Cloud Run service',
  scopes: { global: false, regional: true },

  build(g) {
    const ingress = ingressOf(g.spec);
    if (!ingress) return;
    const ruleIds = g.shared.forwardingRules.map((r) => r.id);
    for (const { service, region } of cloudRunServices(g.spec)) {
      if (g.has(resourceId('cloudRunIngress', `regions/${region}`, service))) continue;
      const restriction = ingress === 'INGRESS_TRAFFIC_INTERNAL_ONLY' ? 'internal traffic' : 'internal traffic and Cloud Load Balancing';
      g.add('cloudRunIngress', `regions/${region}`, service, { ingress }, ruleIds, `restrict ingress of Cloud Run service ${service} in ${region} to ${restriction}`);
    }
  },

  service: {
    async get(calls, ref, operation) {
      const service = await calls.getRunService(requireRegion(ref.scope, operation, calls.fail), ref.name);
      return service ? observedIngress(service) : undefined;
    },
    list: async (calls, scope, operation) => (await calls.listRunServices(requireRegion(scope, operation, calls.fail))).map(observedIngress),
    insert: setIngress,
    update: setIngress,
    async delete(calls, ref, operation) {
      const { current } = await requireService(calls, ref.scope, ref.name, operation);
      const restore = ingressRestore(current);
      if (!restore) throw calls.fail(operation, 'notFound', `Cloud Run service ${ref.name} carries no ingress change by serverless-lb`);
      return calls.updateRunService(restore, current);
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    teardownReason: 'restores the ingress it had before',
    // The service is the user's: it must exist; its ingress is set in place.
    decide(d) {
      if (!d.observed) {
        if (!d.offline) d.block(`Cloud Run service ${d.resource.name} was not found in ${regionOf(d.resource.scope)}`, 'deploy the service first, or set options.ingress to unchanged');
        return { action: 'create', changes: [], reason: d.offline ? 'sets ingress (current value not read offline)' : 'service not found' };
      }
      const changes = d.compare(d.resource.body, d.observed.body);
      return changes.length === 0 ? { action: 'noop', changes, reason: 'ingress already restricted' } : { action: 'update', changes, reason: `ingress is ${String(d.observed.body.ingress)}` };
    },
  },
  setting: { inEffect: (desired, observed) => desired.ingress === observed.ingress },
  ownership: {
    labels: false,
    description: false,
    read(body) {
      const annotations = body.annotations;
      if (typeof annotations !== 'object' || annotations === null) return undefined;
      const value = (annotations as Record<string, unknown>)[RUN_OWNER_ANNOTATION];
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    },
  },

  gcloud(s, r) {
    const ingress = str(r.body, 'ingress') ?? '';
    const value = RUN_INGRESS_WORDS[ingress];
    if (!value) throw new Error(`${r.id}: unknown Cloud Run ingress ${JSON.stringify(ingress)}`);
    const region = regionOf(r.scope);
    s.command(r.project, { head: gcloud('run', 'services', 'update', r.name), flags: [...(region ? [flag('region', region)] : []), flag('ingress', value)] });
  },
  terraform: {
    // The service is not managed by the Terraform configuration: the change is a comment.
    resourceType: () => undefined,
    comment(r) {
      const ingress = str(r.body, 'ingress') ?? '';
      const value = RUN_INGRESS_WORDS[ingress];
      if (!value) throw new Error(`${r.id}: unknown Cloud Run ingress ${JSON.stringify(ingress)}`);
      const region = regionOf(r.scope);
      const command = ['gcloud run services update', shellQuote(r.name), ...(region ? [`--region=${shellQuote(region)}`] : []), `--ingress=${value}`, `--project=${shellQuote(r.project)}`].join(' ');
      return [
        `Cloud Run service ${r.name}${region ? ` (${region})` : ''}: not managed by this configuration.`,
        `${r.purpose ? `${r.purpose}. ` : ''}Restrict its ingress so the run.app URL cannot bypass the load balancer:`,
        `  ${command}`,
      ];
    },
  },
} satisfies ResourceKindModule;
