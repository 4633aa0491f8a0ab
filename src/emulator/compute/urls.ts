/**
 * Compute Engine references: how the API spells them on the way in and on the way out.
 *
 * In: a reference may be a full URL (`https://www.googleapis.com/compute/v1|beta|alpha/projects/...`,
 * on any host, since gcloud with an endpoint override writes its override's host), a project-relative path (`projects/P/global/urlMaps/N`), or a path
 * relative to the project (`global/urlMaps/N`, `regions/R/backendServices/N`).
 * Out: always the full `https://www.googleapis.com/compute/v1/...` URL. Certificate Manager
 * references become `//certificatemanager.googleapis.com/projects/...`, as Google returns them,
 * and server TLS policy references `//networksecurity.googleapis.com/projects/...`.
 */

export const COMPUTE_BASE = 'https://www.googleapis.com/compute/v1/';

/** Any host: gcloud with an endpoint override writes references on the override's host. */
const FULL_URL = /^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\/(.*)$/;
const RESOURCE_PATH = /^projects\/[^/]+\/(?:global|regions\/[^/]+|zones\/[^/]+)\/[A-Za-z]+\/[^/]+$/;
const PROJECT_RELATIVE = /^(?:global|regions\/[^/]+|zones\/[^/]+)\/[A-Za-z]+\/[^/]+$/;
const CERT_MANAGER = /^(?:https?:\/\/[^/]+\/v1\/|\/\/certificatemanager\.googleapis\.com\/)?(projects\/[^/]+\/locations\/[^/]+\/(?:certificates|certificateMaps)\/[^/]+)$/;

export function selfLinkOf(path: string): string {
  return COMPUTE_BASE + path;
}

/** The store path (`projects/P/...`) a compute reference points to, or undefined if it is not one. */
export function refPath(value: string, project?: string): string | undefined {
  const full = FULL_URL.exec(value);
  const rest = full ? full[1]! : value.replace(/^\/+/, '');
  if (RESOURCE_PATH.test(rest)) return rest;
  if (project && PROJECT_RELATIVE.test(rest)) return `projects/${project}/${rest}`;
  return undefined;
}

/** Full v1 URL for a compute reference; the input unchanged when it is not a compute reference. */
export function normaliseRef(value: string, project?: string): string {
  const path = refPath(value, project);
  return path ? selfLinkOf(path) : value;
}

const NETWORK_SECURITY = /^(?:https?:\/\/[^/]+\/v1(?:beta1)?\/|\/\/networksecurity\.googleapis\.com\/)?(projects\/[^/]+\/locations\/[^/]+\/serverTlsPolicies\/[^/]+)$/;

/**
 * `//networksecurity.googleapis.com/projects/...` for a server TLS policy reference in any of the
 * forms clients send (that one; the API's URL, as gcloud writes it; the resource name), else undefined.
 */
export function networkSecurityRef(value: string): string | undefined {
  const m = NETWORK_SECURITY.exec(value);
  return m ? `//networksecurity.googleapis.com/${m[1]}` : undefined;
}

/** `//certificatemanager.googleapis.com/projects/...` for a Certificate Manager reference, else undefined. */
export function certManagerRef(value: string): string | undefined {
  const m = CERT_MANAGER.exec(value);
  return m ? `//certificatemanager.googleapis.com/${m[1]}` : undefined;
}

export interface ParsedPath {
  project: string;
  /** `global`, or the region / zone name. */
  location: string;
  scope: 'global' | 'regions' | 'zones';
  collection: string;
  name: string;
}

export function parsePath(path: string): ParsedPath | undefined {
  const m = /^projects\/([^/]+)\/(?:(global)|(regions|zones)\/([^/]+))\/([A-Za-z]+)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  return {
    project: m[1]!,
    scope: m[2] ? 'global' : (m[3] as 'regions' | 'zones'),
    location: m[2] ? 'global' : m[4]!,
    collection: m[5]!,
    name: m[6]!,
  };
}

/** Last path segment of a URL or path. */
export function lastSegment(value: string): string {
  return value.split('/').filter(Boolean).at(-1) ?? value;
}
