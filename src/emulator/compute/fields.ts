/** Field-level helpers shared by the Compute resource kinds: names, enums, fingerprints, merging. */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../core/store.js';
import { invalidField } from './errors.js';

export const NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Rejects a missing or malformed resource name, as Google does (400 invalid). */
export function checkName(name: unknown, field = 'resource.name'): string {
  if (typeof name !== 'string' || name === '') {
    throw invalidField(field, name ?? '', 'Must be a match of regex \'(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)\'');
  }
  if (!NAME_PATTERN.test(name)) {
    throw invalidField(field, name, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
  }
  return name;
}

/** Rejects a value outside an enum (400 invalid); returns the value, or `fallback` when absent. */
export function checkEnum<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback?: T): T | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalidField(field, value, `Must be one of [${allowed.join(', ')}].`);
  }
  return value as T;
}

/** Compute operation error code for an API error reason (e.g. resourceNotReady -> RESOURCE_NOT_READY). */
export function errorCodeForReason(reason: string | undefined): string {
  if (!reason) return 'INTERNAL_ERROR';
  return reason.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** A fingerprint over a JSON value: 8 bytes of SHA-256, base64 (the shape of Google's). */
export function fingerprintOf(value: Json): string {
  return createHash('sha256').update(JSON.stringify(value ?? null)).digest().subarray(0, 8).toString('base64');
}

const OUTPUT_ONLY = new Set(['fingerprint', 'labelFingerprint', 'creationTimestamp', 'id', 'selfLink', 'kind']);

/** The fingerprint of a resource's content (ignoring output-only fields). */
export function contentFingerprint(resource: JsonObject): string {
  const content: JsonObject = {};
  for (const [k, v] of Object.entries(resource)) if (!OUTPUT_ONLY.has(k)) content[k] = v;
  return fingerprintOf(content);
}

/** JSON merge patch (RFC 7396), the semantics of Compute's PATCH methods. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as JsonObject) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Protobuf merge (repeated fields appended, messages merged, scalars replaced): securityPolicies.patchRule without updateMask. */
export function protoMerge(target: Json | undefined, patch: Json): Json {
  if (Array.isArray(patch)) return [...(Array.isArray(target) ? target : []), ...patch];
  if (patch === null || typeof patch !== 'object') return patch;
  const out: JsonObject =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as JsonObject) } : {};
  for (const [k, v] of Object.entries(patch)) out[k] = protoMerge(out[k], v);
  return out;
}

/** Drops keys whose value is undefined (after optional spreads). */
export function compact(obj: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

export function asObject(value: unknown): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Google's RFC 3339 timestamps with a -07:00 offset and milliseconds (creationTimestamp style). */
export function googleTimestamp(date: Date): string {
  const pacific = new Date(date.getTime() - 7 * 3600_000);
  const iso = pacific.toISOString().replace('Z', '');
  return `${iso}-07:00`;
}

/** Fills `nanos: 0` into Duration objects that have only `seconds` (Google echoes both). */
export function fillDurations(value: Json): Json {
  if (Array.isArray(value)) return value.map(fillDurations);
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = fillDurations(v);
    const keys = Object.keys(out);
    if (keys.length === 1 && keys[0] === 'seconds' && typeof out['seconds'] === 'string') out['nanos'] = 0;
    return out;
  }
  return value;
}

/** Labels: keys and values per Google's rules (lower-case letters, digits, `-`, `_`). */
export function checkLabels(labels: unknown, field = 'resource.labels'): JsonObject | undefined {
  if (labels === undefined || labels === null) return undefined;
  if (typeof labels !== 'object' || Array.isArray(labels)) throw invalidField(field, labels, 'Labels must be a map of strings.');
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(k)) {
      throw invalidField(`${field}.key`, k, 'Label keys must start with a lowercase letter and contain only lowercase letters, digits, underscores and dashes (at most 63 characters).');
    }
    if (typeof v !== 'string' || !/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(v)) {
      throw invalidField(`${field}.value`, v, 'Label values may contain only lowercase letters, digits, underscores and dashes (at most 63 characters).');
    }
    out[k] = v;
  }
  return out;
}
