/**
 * Project-relative resource paths (`projects/P/global/urlMaps/N`,
 * `projects/P/regions/R/networkEndpointGroups/N`) and their normalisation.
 *
 * The desired graph writes references as relative paths; the API returns full URLs
 * (`https://www.googleapis.com/compute/v1/...`, sometimes `/compute/beta/`). `normalizeRef`
 * turns both into the relative form so they compare equal. Pure: no I/O.
 */
import { KIND_ORDER, kindModule, kindOfCertManagerCollection, kindOfCollection } from '../kinds/registry.js';
import type { CertManagerCollection } from '../kinds/service-calls.js';
import { CERT_MANAGER_PREFIX } from '../kinds/cert-manager-ref.js';
import { certManagerResourceName, scopeOfLocation } from '../kinds/cert-manager-service.js';
import { regionOf, resourceId, type ResourceKind, type Scope } from '../model/resource-model.js';

export { regionOf };

/** `projects/P/global/C/N` or `projects/P/regions/R/C/N` for a compute kind. */
export function resourcePath(project: string, kind: ResourceKind, scope: Scope, name: string): string {
  const reference = kindModule(kind).reference;
  if (reference) return reference.path(project, scope, name);
  const certManager = kindModule(kind).certManager;
  if (certManager) return `${certManager.referencedAs === 'service' ? CERT_MANAGER_PREFIX : ''}${certManagerResourceName(project, certManager.collection, scope, name)}`;
  const collection = kindModule(kind).compute?.collection;
  if (!collection) throw new Error(`${kind} has no Compute Engine path`);
  return `projects/${project}/${scope}/${collection}/${name}`;
}


const CERT_MANAGER_PATH = /^(?:\/\/certificatemanager\.googleapis\.com\/|https:\/\/certificatemanager\.googleapis\.com\/v1\/)?projects\/([^/]+)\/locations\/([^/]+)\/(dnsAuthorizations|certificates|certificateMaps|trustConfigs)\/([^/]+)(?:\/certificateMapEntries\/([^/]+))?$/;

const COMPUTE_URL_PREFIX = /^https:\/\/(www\.googleapis\.com|compute\.googleapis\.com)\/compute\/(v1|beta|alpha)\//;
const CERT_MANAGER_URL_PREFIX = /^https:\/\/certificatemanager\.googleapis\.com\/v1\//;

/** Full API URLs to relative paths; Certificate Manager URLs to `//certificatemanager.googleapis.com/...`. */
export function normalizeRef(value: string): string {
  if (COMPUTE_URL_PREFIX.test(value)) return value.replace(COMPUTE_URL_PREFIX, '');
  if (CERT_MANAGER_URL_PREFIX.test(value)) return value.replace(CERT_MANAGER_URL_PREFIX, '//certificatemanager.googleapis.com/');
  return value;
}

export interface ParsedPath {
  project: string;
  kind: ResourceKind;
  scope: Scope;
  name: string;
  id: string;
}

/** The kinds of other APIs referenced by a path of their own (kind.ts `reference`). */
const KINDS_WITH_REFERENCES = KIND_ORDER.filter((k) => kindModule(k).reference !== undefined);

const PATH_PATTERN = /^projects\/([^/]+)\/(global|regions\/[^/]+)\/([A-Za-z]+)\/([^/]+)$/;

/** Parses a relative or full compute path; undefined when it is not one of the kinds above. */
export function parseResourcePath(value: string): ParsedPath | undefined {
  const cm = CERT_MANAGER_PATH.exec(value);
  if (cm) {
    const [, project, location, collection, name, entry] = cm as unknown as [string, string, string, CertManagerCollection, string, string | undefined];
    const kind = kindOfCertManagerCollection(entry !== undefined ? 'certificateMapEntries' : collection);
    if (!kind) return undefined;
    const scope = scopeOfLocation(location);
    const full = entry !== undefined ? `${name}/${entry}` : name;
    return { project, kind, scope, name: full, id: resourceId(kind, scope, full) };
  }
  for (const k of KINDS_WITH_REFERENCES) {
    const parsed = kindModule(k).reference!.parse(value);
    if (parsed) return { ...parsed, kind: k, id: resourceId(k, parsed.scope, parsed.name) };
  }
  const match = PATH_PATTERN.exec(normalizeRef(value));
  if (!match) return undefined;
  const [, project, scope, collection, name] = match as unknown as [string, string, Scope, string, string];
  const kind = kindOfCollection(collection);
  if (!kind) return undefined;
  return { project, kind, scope, name, id: resourceId(kind, scope, name) };
}

/** A resource id (`kind:scope:name`, resource-model.ts resourceId) back to its parts; undefined for an unknown kind. */
export function refOfId(id: string): { kind: ResourceKind; scope: Scope; name: string } | undefined {
  const first = id.indexOf(':');
  const second = id.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  const kind = id.slice(0, first) as ResourceKind;
  if (!(KIND_ORDER as readonly string[]).includes(kind)) return undefined;
  return { kind, scope: id.slice(first + 1, second) as Scope, name: id.slice(second + 1) };
}
