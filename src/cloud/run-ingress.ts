/**
 * The `cloudRunIngress` pseudo-resource, on top of the Cloud Run read and masked update calls:
 * what "create", "update", "get" and "delete" mean for a service serverless-lb does not own but
 * whose ingress it restricts. Shared by every Cloud implementation.
 *
 *   get     -> `{ingress, annotations}` of the service (undefined when the service does not exist)
 *   insert  -> set ingress, mark the owner, record the previous ingress (kept if already recorded)
 *   update  -> the same
 *   delete  -> restore the recorded ingress and remove both annotations; `notFound` when the
 *              service has no owner annotation (nothing of ours to undo)
 */
import type { DesiredResource, ObservedResource, Scope } from '../plan/resource-model.js';
import { resourceId } from '../plan/resource-model.js';
import { cloudError } from './normalise-error.js';
import { regionOf } from './paths.js';
import { RUN_OWNER_ANNOTATION, RUN_PREVIOUS_INGRESS_ANNOTATION, type RunIngressUpdate, type RunServiceInfo } from './port.js';

export function observedIngress(service: RunServiceInfo): ObservedResource {
  const scope = `regions/${service.region}` as Scope;
  return {
    id: resourceId('cloudRunIngress', scope, service.name),
    kind: 'cloudRunIngress',
    name: service.name,
    scope,
    body: { ingress: service.ingress, annotations: { ...service.annotations } },
  };
}

export function requireRegion(scope: Scope, operation: string): string {
  const region = regionOf(scope);
  if (!region) throw cloudError(operation, 'invalid', 'Cloud Run services live in a region; the scope is global');
  return region;
}

/** The masked update that sets the desired ingress (insert and update of cloudRunIngress). */
export function ingressUpdate(resource: DesiredResource, current: RunServiceInfo, owner: string | undefined): RunIngressUpdate {
  const ingress = resource.body.ingress;
  if (typeof ingress !== 'string') {
    throw cloudError(`set ingress of Cloud Run service ${resource.name}`, 'invalid', 'the desired body has no `ingress`');
  }
  const bodyAnnotations = (typeof resource.body.annotations === 'object' && resource.body.annotations !== null
    ? resource.body.annotations
    : {}) as Record<string, string>;
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
export function ingressRestore(current: RunServiceInfo): RunIngressUpdate | undefined {
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
