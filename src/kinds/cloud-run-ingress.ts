/**
 * `cloudRunIngress`: the ingress setting of a Cloud Run service behind the load balancer, so that
 * its run.app URL no longer bypasses it. The service is the user's, and several load balancers may
 * front it: each records the ingress it needs in the service's `serverless-lb/ingress` annotation,
 * and the service gets the narrowest ingress that serves all of them (cloud-run-shares.ts). The
 * ingress it had before the first of them is kept in `serverless-lb/previous-ingress`, so a
 * teardown from another machine restores it. Every change is one masked update of the Cloud Run
 * Admin v2 API carrying the etag it was computed from (a concurrent change fails with `conflict`
 * and the step runs again on a fresh read). What the operations mean here:
 *
 *   get     -> `{ingress, annotations}` of the service (undefined when the service does not exist)
 *   insert  -> record this load balancer's need, set the ingress that serves every recorded need,
 *              record the previous ingress (kept if already recorded)
 *   update  -> the same
 *   delete  -> take this load balancer's need out; the ingress serving those that remain, or, when
 *              none remains, the recorded one with every annotation removed; `notFound` when the
 *              service records no need of this load balancer
 */
import { cloudRunIngress as ingressOf, cloudRunServices } from '../spec/derive.js';
import { RUN_INGRESS_SHARES_ANNOTATION, RUN_OWNER_ANNOTATION, RUN_PREVIOUS_INGRESS_ANNOTATION } from '../model/ownership-marks.js';
import { regionOf, resourceId, type DesiredResource, type ObservedResource, type ResourceKind, type Scope } from '../model/resource-model.js';
import { str } from '../model/body.js';
import { annotationsOf, ingressServingAll, ingressShares, otherSharers, sharersText, sharesAnnotation, withShare } from './cloud-run-shares.js';
import { flag, gcloud, RUN_INGRESS_WORDS, shellQuote } from '../model/gcloud-words.js';
import type { ResourceKindModule, ServiceApi } from './kind.js';
import type { Fail, RunService, ServiceCalls } from './service-calls.js';

/** A masked update of a service's ingress and annotations (`null` removes an annotation). */
export interface RunIngressUpdate {
  region: string;
  service: string;
  ingress: string;
  annotations?: Record<string, string | null>;
}

/** A Cloud Run setting of one service as an observed resource of `kind`, named by the service. */
export function observedRunSetting(kind: ResourceKind, service: RunService, body: Record<string, unknown>): ObservedResource {
  const scope = `regions/${service.region}` as Scope;
  return { id: resourceId(kind, scope, service.name), kind, name: service.name, scope, body };
}

const observedIngress = (service: RunService) => observedRunSetting('cloudRunIngress', service, { ingress: service.ingress, annotations: { ...service.annotations } });

export function requireRegion(scope: Scope, operation: string, fail: Fail): string {
  const region = regionOf(scope);
  if (!region) throw fail(operation, 'invalid', 'Cloud Run services live in a region; the scope is global');
  return region;
}

/** The ingress each load balancer recorded on an observed service. */
function sharesOfBody(body: Record<string, unknown>): Map<string, string> {
  return ingressShares(annotationsOf(body), String(body.ingress ?? 'INGRESS_TRAFFIC_ALL'));
}

/** The masked update that records `owner`'s need and sets the ingress serving every recorded need. */
function ingressUpdate(resource: DesiredResource, current: RunService, owner: string | undefined, fail: Fail): RunIngressUpdate {
  const need = resource.body.ingress;
  if (typeof need !== 'string') {
    throw fail(`set ingress of Cloud Run service ${resource.name}`, 'invalid', 'the desired body has no `ingress`');
  }
  if (!owner) throw fail(`set ingress of Cloud Run service ${resource.name}`, 'invalid', 'no load balancer named for the change (CallOptions.owner)');
  const shares = withShare(ingressShares(current.annotations, current.ingress), owner, need);
  const annotations: Record<string, string | null> = {
    [RUN_INGRESS_SHARES_ANNOTATION]: sharesAnnotation(shares),
    [RUN_OWNER_ANNOTATION]: null,
  };
  // Record what the service had before serverless-lb first touched it; never overwrite that.
  if (current.annotations[RUN_PREVIOUS_INGRESS_ANNOTATION] === undefined) annotations[RUN_PREVIOUS_INGRESS_ANNOTATION] = current.ingress;
  return { region: current.region, service: current.name, ingress: ingressServingAll(shares.values())!, annotations };
}

/**
 * The masked update that takes `owner`'s need out (delete of cloudRunIngress): the ingress serving
 * the load balancers that remain, or the recorded original when none does. Undefined when the
 * service records no need of `owner` (nothing of it to undo).
 */
function ingressRestore(current: RunService, owner: string | undefined): RunIngressUpdate | undefined {
  const shares = ingressShares(current.annotations, current.ingress);
  const leaving = owner ?? (shares.size === 1 ? [...shares.keys()][0] : undefined);
  if (leaving === undefined || !shares.has(leaving)) return undefined;
  const remaining = withShare(shares, leaving, undefined);
  const update = { region: current.region, service: current.name };
  if (remaining.size > 0) {
    return { ...update, ingress: ingressServingAll(remaining.values())!, annotations: { [RUN_INGRESS_SHARES_ANNOTATION]: sharesAnnotation(remaining), [RUN_OWNER_ANNOTATION]: null } };
  }
  return {
    ...update,
    ingress: current.annotations[RUN_PREVIOUS_INGRESS_ANNOTATION] ?? current.ingress,
    annotations: { [RUN_INGRESS_SHARES_ANNOTATION]: null, [RUN_OWNER_ANNOTATION]: null, [RUN_PREVIOUS_INGRESS_ANNOTATION]: null },
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

/**
 * get and list of a Cloud Run setting kind: the services of the scope's region, each observed
 * through `observe` (undefined for a service that does not exist).
 */
export function runServiceReads(observe: (service: RunService) => ObservedResource): Pick<ServiceApi, 'get' | 'list'> {
  return {
    async get(calls, ref, operation) {
      const service = await calls.getRunService(requireRegion(ref.scope, operation, calls.fail), ref.name);
      return service ? observe(service) : undefined;
    },
    list: async (calls, scope, operation) => (await calls.listRunServices(requireRegion(scope, operation, calls.fail))).map(observe),
  };
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

/** The ingress the service must have with `lb` needing `need` beside the load balancers already recorded. */
function ingressWith(observed: Record<string, unknown>, lb: string, need: string): { ingress: string; others: string[] } {
  const shares = withShare(sharesOfBody(observed), lb, need);
  return { ingress: ingressServingAll(shares.values())!, others: otherSharers(shares, lb) };
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
    ...runServiceReads(observedIngress),
    insert: setIngress,
    update: setIngress,
    async delete(calls, ref, operation) {
      const { current } = await requireService(calls, ref.scope, ref.name, operation);
      const restore = ingressRestore(current, calls.owner);
      if (!restore) throw calls.fail(operation, 'notFound', `Cloud Run service ${ref.name} records no ingress need of this load balancer`);
      return calls.updateRunService(restore, current);
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    teardownReason(observed, lb) {
      const remaining = withShare(sharesOfBody(observed), lb, undefined);
      if (remaining.size === 0) return 'restores the ingress it had before';
      return `keeps ingress ${ingressServingAll(remaining.values())} for ${sharersText([...remaining.keys()].sort())}, which also front${remaining.size === 1 ? 's' : ''} it`;
    },
    // The service is the user's: it must exist; its ingress is set in place.
    decide(d) {
      if (!d.observed) {
        if (!d.offline) d.block(`Cloud Run service ${d.resource.name} was not found in ${regionOf(d.resource.scope)}`, 'deploy the service first, or set options.ingress to unchanged');
        return { action: 'create', changes: [], reason: d.offline ? 'sets ingress (current value not read offline)' : 'service not found' };
      }
      const need = String(d.resource.body.ingress);
      const { ingress, others } = ingressWith(d.observed.body, d.lbName, need);
      const shared = others.length > 0 ? `; shared with ${sharersText(others)}` : '';
      const serves = ingress !== need ? ` (the narrowest ingress that also serves ${sharersText(others)})` : '';
      const changes = d.compare({ ingress }, d.observed.body);
      const recorded = sharesOfBody(d.observed.body).get(d.lbName) === need;
      if (changes.length === 0 && recorded) return { action: 'noop', changes, reason: `ingress already ${ingress}${serves}${shared}` };
      if (changes.length === 0) return { action: 'update', changes: [{ field: 'annotations.serverless-lb/ingress', from: null, to: `${d.lbName}: ${need}` }], reason: `records this load balancer's need (${need}); ingress stays ${ingress}${serves}` };
      return { action: 'update', changes, reason: `ingress is ${String(d.observed.body.ingress)}${serves}${shared}` };
    },
  },
  access: { permissions: () => ['run.services.update'], apis: () => ['run.googleapis.com'] },
  setting: {
    // In effect: the service has the ingress that serves this load balancer and those it is shared with.
    inEffect: (desired, observed) => {
      const shares = sharesOfBody(observed);
      return observed.ingress === ingressServingAll([String(desired.ingress), ...shares.values()]);
    },
  },
  ownership: {
    labels: false,
    description: false,
    owners: (body) => [...sharesOfBody(body).keys()],
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
