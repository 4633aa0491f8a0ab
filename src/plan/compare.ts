/**
 * Semantic comparison of a desired request body with the body the API returns for it.
 *
 * The API answers with more than it was sent: full `https://www.googleapis.com/compute/v1/...`
 * URLs where requests carry relative paths, defaults it filled in (`timeoutSec`, `portName`,
 * `balancingMode`), output-only fields (`id`, `selfLink`, `fingerprint`, `creationTimestamp`,
 * `usedBy`, `status`), and it omits proto3 defaults (`false`, `0`, `""`). So:
 *   - only the keys the desired body sets are compared (plus, per kind, a few keys whose absence
 *     from the desired body is meaningful: removing a security policy, IAP, host rules; the kind's
 *     `compare.implicit`), after the kind's `compare.normalize` (security policy rules by priority);
 *   - references compare after normalisation (paths.ts normalizeRef);
 *   - `undefined`, `null`, `false`, `0`, `""`, `[]` and `{}` count as the same "unset" value;
 *   - arrays compare without regard to order, except `sslCertificates` (the first is the primary);
 *   - SecretRef values are write-only and never compared; a FileRef (a certificate file) is
 *     compared by its `sha256` with the certificates Google returns in its place, when both are
 *     known (certificatesDigest), else skipped; OutputRef values are resolved by the caller first
 *     (diff.ts) or skipped.
 *
 * `changes` lists differing fields by dotted path; `from` is the observed value, `to` the desired
 * one (which holds only placeholders, never a secret). Pure.
 */
import { kindModule } from '../kinds/registry.js';
import { normalizeRef } from './paths.js';
import { certificatesDigest } from '../spec/certificate-files.js';
import { isFileRef, isOutputRef, isSecretRef, type FieldChange, type FileRef, type ResourceKind, type Scope } from '../model/resource-model.js';

/** Keys never compared: identity, the ownership mark (checked separately) and output-only fields. */
const IGNORED_KEYS = new Set(['name', 'description', 'labels', 'kind', 'id', 'selfLink', 'selfLinkWithId', 'creationTimestamp', 'fingerprint', 'labelFingerprint', 'region', 'zone']);

/** Arrays whose order matters. */
const ORDERED_ARRAYS = new Set(['sslCertificates']);

/** Whether a change at `field` (dotted path) of `kind` needs the resource deleted and created again. */
/**
 * Whether a change of `field` needs the resource made again: the kind lists the field as
 * immutable in this scope, and (given the two bodies) the kind does not make this particular
 * change in place (`compare.changesInPlace`: a backend service's scheme at the end of a migration).
 */
export function isImmutableChange(kind: ResourceKind, scope: Scope, field: string, bodies?: { desired: Record<string, unknown>; observed: Record<string, unknown> }): boolean {
  const rules = kindModule(kind).compare;
  const fields = rules.immutable(scope);
  const listed = fields === 'all' || fields.has(field.split('.')[0]!);
  return listed && !(bodies && rules.changesInPlace?.(field, bodies.desired, bodies.observed));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The proto3 "unset" values. */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.values(value).every(isUnset);
  return false;
}

function normalizeScalar(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    const ref = normalizeRef(value);
    if (key === 'portRange') {
      const m = /^(\d+)-(\d+)$/.exec(ref);
      if (m && m[1] === m[2]) return m[1];
    }
    return ref;
  }
  return value;
}

function scalarsEqual(desired: unknown, observed: unknown, key: string): boolean {
  if (isUnset(desired) && isUnset(observed)) return true;
  const d = normalizeScalar(desired, key);
  const o = normalizeScalar(observed, key);
  if (d === o) return true;
  // int64 fields come back as strings.
  if ((typeof d === 'number' || typeof d === 'string') && (typeof o === 'number' || typeof o === 'string')) return String(d) === String(o);
  return false;
}

function notComparable(value: unknown): boolean {
  return isFileRef(value) || isSecretRef(value) || isOutputRef(value);
}

/** True when `desired` (a subset) matches `observed`. */
export function matches(desired: unknown, observed: unknown, key = ''): boolean {
  const out: FieldChange[] = [];
  diffValue(desired, observed, key, key, out);
  return out.length === 0;
}

function diffArray(desired: unknown[], observed: unknown, path: string, key: string, out: FieldChange[]): void {
  const obs = Array.isArray(observed) ? observed : isUnset(observed) ? [] : undefined;
  const differs = (() => {
    if (!obs || obs.length !== desired.length) return true;
    if (ORDERED_ARRAYS.has(key)) return desired.some((d, i) => !matches(d, obs[i], key));
    const used = new Set<number>();
    for (const d of desired) {
      const j = obs.findIndex((o, i) => !used.has(i) && matches(d, o, key));
      if (j < 0) return true;
      used.add(j);
    }
    return false;
  })();
  if (differs) out.push({ field: path, from: observed, to: desired });
}

/** True when a certificate file's content is known to differ from the PEM Google returned for it. */
function certificateFileChanged(desired: FileRef, observed: unknown): boolean {
  if (desired.sha256 === undefined || typeof observed !== 'string') return false;
  const seen = certificatesDigest(observed);
  return seen !== undefined && seen !== desired.sha256;
}

function diffValue(desired: unknown, observed: unknown, path: string, key: string, out: FieldChange[]): void {
  if (isFileRef(desired) && certificateFileChanged(desired, observed)) {
    out.push({ field: path, from: observed, to: desired });
    return;
  }
  if (notComparable(desired)) return;
  if (Array.isArray(desired)) return diffArray(desired, observed, path, key, out);
  if (isPlainObject(desired)) {
    if (!isPlainObject(observed) && !isUnset(observed)) {
      out.push({ field: path, from: observed, to: desired });
      return;
    }
    const obs = isPlainObject(observed) ? observed : {};
    for (const [k, v] of Object.entries(desired)) diffValue(v, obs[k], path ? `${path}.${k}` : k, k, out);
    return;
  }
  if (desired === undefined || desired === null) {
    if (!isUnset(observed)) out.push({ field: path, from: observed, to: desired ?? null });
    return;
  }
  if (!scalarsEqual(desired, observed, key)) out.push({ field: path, from: observed, to: desired });
}

/** The fields of `observed` that differ from `desired` for a resource of `kind`. */
export function compareBodies(kind: ResourceKind, desired: Record<string, unknown>, observed: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  if (kind === 'cloudRunIngress') {
    diffValue(desired.ingress, observed.ingress, 'ingress', 'ingress', out);
    return out;
  }
  const keys = new Set(Object.keys(desired));
  const rules = kindModule(kind).compare;
  const implicit = rules.implicit ?? {};
  for (const k of Object.keys(implicit)) keys.add(k);
  for (const k of keys) {
    if (IGNORED_KEYS.has(k)) continue;
    const d = k in desired ? desired[k] : implicit[k];
    const o = observed[k];
    diffValue(rules.normalize ? rules.normalize(k, d) : d, rules.normalize ? rules.normalize(k, o) : o, k, k, out);
  }
  return out;
}
