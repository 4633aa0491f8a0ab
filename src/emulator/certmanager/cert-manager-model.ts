/**
 * Certificate Manager v1 resources as the emulator stores them: paths (the resource names
 * themselves), ids, enums and the DNS authorization's CNAME record. Pure.
 */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../core/store.js';

export type Collection = 'dnsAuthorizations' | 'certificates' | 'certificateMaps' | 'certificateMapEntries' | 'trustConfigs';

/** The message type of each collection. */
export const MESSAGE_TYPE: Record<Collection, string> = {
  dnsAuthorizations: 'DnsAuthorization',
  certificates: 'Certificate',
  certificateMaps: 'CertificateMap',
  certificateMapEntries: 'CertificateMapEntry',
  trustConfigs: 'TrustConfig',
};

/** How error messages name a resource of each collection (as Google does: `certificate "projects/..." not found`). */
export const SINGULAR: Record<Collection, string> = {
  dnsAuthorizations: 'dnsAuthorization',
  certificates: 'certificate',
  certificateMaps: 'certificateMap',
  certificateMapEntries: 'certificateMapEntry',
  trustConfigs: 'trustConfig',
};

/** Resource ids: 1-63 lower-case letters, digits and hyphens, starting with a letter. */
export const RESOURCE_ID = /^[a-z][a-z0-9-]{0,62}$/;

/** Enum values by number, per field path (the protos of google.cloud.certificatemanager.v1). */
const ENUMS: Record<string, readonly string[]> = {
  type: ['TYPE_UNSPECIFIED', 'FIXED_RECORD', 'PER_PROJECT_RECORD'],
  scope: ['DEFAULT', 'EDGE_CACHE', 'ALL_REGIONS'],
  matcher: ['MATCHER_UNSPECIFIED', 'PRIMARY'],
  state: ['SERVING_STATE_UNSPECIFIED', 'ACTIVE', 'PENDING'],
  'managed.state': ['STATE_UNSPECIFIED', 'PROVISIONING', 'FAILED', 'ACTIVE'],
  'managed.provisioningIssue.reason': ['REASON_UNSPECIFIED', 'AUTHORIZATION_ISSUE', 'RATE_LIMITED'],
  'managed.authorizationAttemptInfo.state': ['STATE_UNSPECIFIED', 'AUTHORIZING', '', '', '', '', 'AUTHORIZED', 'FAILED'],
  'managed.authorizationAttemptInfo.failureReason': ['FAILURE_REASON_UNSPECIFIED', 'CONFIG', 'CAA', 'RATE_LIMITED'],
};

/** A resource with its enums as names (`to: 'name'`, what is stored) or numbers (`$alt=json;enum-encoding=int`). */
export function convertEnums(value: JsonObject, to: 'name' | 'int'): JsonObject {
  const walk = (v: Json, path: string): Json => {
    if (Array.isArray(v)) return v.map((x) => walk(x, path));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x as Json, path ? `${path}.${k}` : k)]));
    const names = ENUMS[path];
    if (!names) return v;
    if (to === 'name' && typeof v === 'number') return names[v] || String(v);
    if (to === 'int' && typeof v === 'string' && names.includes(v)) return names.indexOf(v);
    return v;
  };
  return walk(value, '') as JsonObject;
}

/** Whether a value is a name (or number) of the enum at `path`. */
export function isEnumValue(path: string, value: Json | undefined): boolean {
  const names = ENUMS[path];
  return !!names && ((typeof value === 'string' && names.includes(value) && value !== '') || (typeof value === 'number' && !!names[value]));
}

/**
 * The CNAME record a DNS authorization asks for: `_acme-challenge.DOMAIN.` (as in the recorded
 * traffic, for both types) to a target that depends on the domain, and for PER_PROJECT_RECORD on
 * the project too, ending in `.authorize.certificatemanager.goog.` as Google's do.
 */
export function authorizationRecord(project: string, domain: string, type: string): JsonObject {
  const perProject = type === 'PER_PROJECT_RECORD';
  const token = createHash('sha256').update(perProject ? `${project}:${domain}` : domain).digest('hex');
  return { name: `_acme-challenge.${domain}.`, type: 'CNAME', data: `${token.slice(0, 12)}.${token.slice(12, 13)}.authorize.certificatemanager.goog.` };
}
