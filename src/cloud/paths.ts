/**
 * Where each resource kind lives in the Compute Engine API, in the Cloud port's terms. The
 * collection table and the path grammar are src/plan/paths.ts's (one source); this module adds
 * what only the port needs: the kinds it calls Compute for, and the full-URL form of a path.
 * Pure.
 */
import type { ResourceKind, Scope } from '../plan/resource-model.js';
import { COLLECTIONS, parseResourcePath, regionOf, resourcePath } from '../plan/paths.js';

export { regionOf };

export type ComputeKind = Exclude<ResourceKind, 'dnsRecordSet' | 'cloudRunIngress'>;

/** Kinds serverless-lb only reads (never creates, changes or deletes). */
export const READ_ONLY_KINDS: ReadonlySet<ResourceKind> = new Set(['network']);

/** Kinds that exist only in a region (serverless NEGs are regional; subnetworks always are). */
export const REGIONAL_ONLY: ReadonlySet<ResourceKind> = new Set(['subnetwork', 'networkEndpointGroup', 'cloudRunIngress']);

export function isComputeKind(kind: ResourceKind): kind is ComputeKind {
  return COLLECTIONS[kind] !== undefined;
}

/** `projects/P/global/backendServices/N` or `projects/P/regions/R/backendServices/N`. */
export function computePath(project: string, kind: ComputeKind, scope: Scope, name: string): string {
  return resourcePath(project, kind, scope, name);
}

/** How Google writes references and self-links. */
export const COMPUTE_URL_PREFIX = 'https://www.googleapis.com/compute/v1/';

export interface ParsedRef {
  project: string;
  kind: ComputeKind;
  scope: Scope;
  name: string;
}

/**
 * Parses a compute reference written as a full URL (any API version) or a project-relative path.
 * Undefined when it is not a reference to a compute kind.
 */
export function parseComputeRef(ref: string): ParsedRef | undefined {
  const parsed = parseResourcePath(ref);
  if (!parsed || !isComputeKind(parsed.kind)) return undefined;
  return { project: parsed.project, kind: parsed.kind, scope: parsed.scope, name: parsed.name };
}

/** The last path segment of a URL or path (`.../regions/us-central1` -> `us-central1`). */
export function lastSegment(urlOrPath: string): string {
  const parts = urlOrPath.split('/');
  return parts[parts.length - 1] ?? urlOrPath;
}
