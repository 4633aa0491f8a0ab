/**
 * What the two exports (gcloud script, Terraform) share: resolving the references inside request
 * bodies to the resources of the desired graph, and reading Certificate Manager paths.
 *
 * Pure: no I/O.
 */
import { parseResourcePath, regionOf } from './paths.js';
import { resourceId, type DesiredGraph, type DesiredResource, type ResourceKind, type Scope } from './resource-model.js';

/** A reference found in a body, resolved as far as the graph allows. */
export interface ResolvedRef {
  kind: ResourceKind;
  project: string;
  scope: Scope;
  /** The region for regional references. */
  region?: string;
  name: string;
  id: string;
  /** The graph's resource when the reference points at one. */
  resource?: DesiredResource;
}

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
export const KIND_WORDS: Record<ResourceKind, string> = {
  network: 'VPC network',
  subnetwork: 'subnetwork',
  address: 'address',
  sslCertificate: 'SSL certificate',
  securityPolicy: 'security policy',
  networkEndpointGroup: 'network endpoint group',
  backendService: 'backend service',
  urlMap: 'URL map',
  targetHttpProxy: 'target HTTP proxy',
  targetHttpsProxy: 'target HTTPS proxy',
  forwardingRule: 'forwarding rule',
  dnsRecordSet: 'DNS record set',
  cloudRunIngress: 'Cloud Run service',
};

/** A Certificate Manager resource path: `//certificatemanager.googleapis.com/projects/P/locations/L/<collection>/N`. */
export interface CertManagerRef {
  project: string;
  location: string;
  collection: 'certificates' | 'certificateMaps';
  name: string;
}

const CERT_MANAGER_PATH =
  /^(?:\/\/certificatemanager\.googleapis\.com\/|https:\/\/certificatemanager\.googleapis\.com\/v1\/)?projects\/([^/]+)\/locations\/([^/]+)\/(certificates|certificateMaps)\/([^/]+)$/;

export function parseCertManagerRef(value: string): CertManagerRef | undefined {
  const match = CERT_MANAGER_PATH.exec(value);
  if (!match) return undefined;
  const [, project, location, collection, name] = match as unknown as [string, string, string, CertManagerRef['collection'], string];
  return { project, location, collection, name };
}

/** The region of a resource, or undefined for global ones. */
export function regionOfResource(resource: DesiredResource): string | undefined {
  return regionOf(resource.scope);
}

/** Reads `obj[key]` as a string, or undefined. */
export function str(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Reads `obj[key]` as a number, or undefined. */
export function num(obj: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = obj?.[key];
  return typeof value === 'number' ? value : undefined;
}

/** Reads `obj[key]` as a plain object, or undefined. */
export function obj(parent: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const value = parent?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads `obj[key]` as an array of plain objects (other entries dropped). */
export function objects(parent: Record<string, unknown> | undefined, key: string): Record<string, unknown>[] {
  const value = parent?.[key];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
}

/** Reads `obj[key]` as an array of strings (other entries dropped). */
export function strings(parent: Record<string, unknown> | undefined, key: string): string[] {
  const value = parent?.[key];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

/** Reads `obj[key]` as a string map. */
export function stringMap(parent: Record<string, unknown> | undefined, key: string): Record<string, string> {
  const value = obj(parent, key);
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
