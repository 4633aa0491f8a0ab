/**
 * What the two exports (gcloud script, Terraform) share: resolving the references inside request
 * bodies to the resources of the desired graph, and the kinds' words for humans.
 *
 * Pure: no I/O.
 */
import type { ResolvedRef } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { parseResourcePath, regionOf } from './paths.js';
import { resourceId, type DesiredGraph, type DesiredResource, type ResourceKind } from '../model/resource-model.js';

export type { ResolvedRef };

const NETWORK_PATH = /^(?:https:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\/)?projects\/([^/]+)\/global\/networks\/([^/]+)$/;

/** Resolves a compute path (relative or full URL, networks included); undefined when it is none. */
export function resolveRef(graph: DesiredGraph, value: string): ResolvedRef | undefined {
  const network = NETWORK_PATH.exec(value);
  if (network) {
    const [, project, name] = network as unknown as [string, string, string];
    const id = resourceId('network', 'global', name);
    return withResource(graph, { kind: 'network', project, scope: 'global', name, id });
  }
  const parsed = parseResourcePath(value);
  if (!parsed) return undefined;
  const region = regionOf(parsed.scope);
  return withResource(graph, { ...parsed, ...(region ? { region } : {}) });
}

function withResource(graph: DesiredGraph, ref: ResolvedRef): ResolvedRef {
  const resource = graph.resources.find((r) => r.id === ref.id);
  return resource ? { ...ref, resource } : ref;
}

/** How each kind is named for humans in comments. */
export const KIND_WORDS = Object.fromEntries(KINDS.map((k) => [k.kind, k.words])) as Record<ResourceKind, string>;


/** The region of a resource, or undefined for global ones. */
export function regionOfResource(resource: DesiredResource): string | undefined {
  return regionOf(resource.scope);
}
