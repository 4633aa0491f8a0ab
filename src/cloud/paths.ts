/**
 * Where each resource kind lives in the Compute Engine v1 API: its collection name, which scopes
 * it exists in, and how references to it are written. Shared by the Google and in-memory clouds.
 * Pure.
 */
import type { ResourceKind, Scope } from '../plan/resource-model.js';

export type ComputeKind = Exclude<ResourceKind, 'dnsRecordSet' | 'cloudRunIngress'>;

export const COMPUTE_COLLECTION: Record<ComputeKind, string> = {
  network: 'networks',
  subnetwork: 'subnetworks',
  address: 'addresses',
  sslCertificate: 'sslCertificates',
  securityPolicy: 'securityPolicies',
  networkEndpointGroup: 'networkEndpointGroups',
  backendService: 'backendServices',
  urlMap: 'urlMaps',
  targetHttpProxy: 'targetHttpProxies',
  targetHttpsProxy: 'targetHttpsProxies',
  forwardingRule: 'forwardingRules',
};

/** Kinds serverless-lb only reads (never creates, changes or deletes). */
export const READ_ONLY_KINDS: ReadonlySet<ResourceKind> = new Set(['network']);

/** Kinds that exist only in a region (serverless NEGs are regional; subnetworks always are). */
export const REGIONAL_ONLY: ReadonlySet<ResourceKind> = new Set(['subnetwork', 'networkEndpointGroup', 'cloudRunIngress']);

export function isComputeKind(kind: ResourceKind): kind is ComputeKind {
  return kind in COMPUTE_COLLECTION;
}

export function regionOf(scope: Scope): string | undefined {
  return scope === 'global' ? undefined : scope.slice('regions/'.length);
}

/** `projects/P/global/backendServices/N` or `projects/P/regions/R/backendServices/N`. */
export function computePath(project: string, kind: ComputeKind, scope: Scope, name: string): string {
  return `projects/${project}/${scope}/${COMPUTE_COLLECTION[kind]}/${name}`;
}

export const COMPUTE_URL_PREFIX = 'https://www.googleapis.com/compute/v1/';

const COLLECTION_KIND = new Map<string, ComputeKind>(
  Object.entries(COMPUTE_COLLECTION).map(([kind, collection]) => [collection, kind as ComputeKind]),
);

export interface ParsedRef {
  project: string;
  kind: ComputeKind;
  scope: Scope;
  name: string;
}

/**
 * Parses a compute reference written as a full URL (`https://www.googleapis.com/compute/v1/...`,
 * any API version) or a project-relative path. Undefined when it is not a reference to one of
 * the kinds in COMPUTE_COLLECTION (networks, for instance).
 */
export function parseComputeRef(ref: string): ParsedRef | undefined {
  const m = /^(?:https:\/\/(?:www|compute)\.googleapis\.com\/compute\/[a-z0-9]+\/)?projects\/([^/]+)\/(global|regions\/[^/]+)\/([A-Za-z]+)\/([^/]+)$/.exec(ref);
  if (!m) return undefined;
  const kind = COLLECTION_KIND.get(m[3]!);
  if (!kind) return undefined;
  return { project: m[1]!, scope: m[2] as Scope, kind, name: m[4]! };
}

/** The last path segment of a URL or path (`.../regions/us-central1` -> `us-central1`). */
export function lastSegment(urlOrPath: string): string {
  const parts = urlOrPath.split('/');
  return parts[parts.length - 1] ?? urlOrPath;
}
