/**
 * Where each resource kind lives in the Compute Engine API, in the Cloud port's terms. The
 * collections are the kinds' own (src/kinds/<kind>.ts `compute`) and the path grammar is
 * src/plan/paths.ts's; this module adds what only the port needs: which kinds it calls Compute
 * for, and the full-URL form of a path. Pure.
 */
import { KINDS, kindModule } from '../kinds/registry.js';
import type { ResourceKind, Scope } from '../model/resource-model.js';
import { parseResourcePath, regionOf, resourcePath } from '../plan/paths.js';

export { regionOf };

/** Kinds of the Compute Engine API: those whose module has a `compute` part. */
export type ComputeKind = Extract<(typeof KINDS)[number], { compute: unknown }>['kind'];

export function isComputeKind(kind: ResourceKind): kind is ComputeKind {
  return kindModule(kind).compute !== undefined;
}

/** Whether serverless-lb only reads resources of this kind (never creates, changes or deletes them). */
export function isReadOnlyKind(kind: ResourceKind): boolean {
  return kindModule(kind).readOnly === true;
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
