/**
 * Printable form of body values for plans: placeholders stay placeholders.
 *
 * Contract: the output never contains the value of a SecretRef (it is never resolved here) nor
 * the contents of a FileRef; they print as `<secret: what>` and `<file: path>` (with the digest of
 * its certificates when known), an OutputRef as `<field of id>`; PEM certificates Google returns
 * print as `<certificates sha256:...>`. Pure.
 */
import { normalizeRef } from './paths.js';
import { certificatesDigest } from '../spec/certificate-files.js';
import { isFileRef, isOutputRef, isSecretRef } from '../model/resource-model.js';

/**
 * A copy of `value` with every placeholder replaced by its printable label and every API URL
 * shortened to its project-relative path.
 */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('-----BEGIN CERTIFICATE-----') ? certificatesLabel(value) : normalizeRef(value);
  if (isSecretRef(value)) return `<secret: ${value.$secret.what}>`;
  if (isFileRef(value)) return value.sha256 ? `<file: ${value.$file}, certificates ${shortDigest(value.sha256)}>` : `<file: ${value.$file}>`;
  if (isOutputRef(value)) return `<${value.$output.field} of ${value.$output.id}>`;
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k) && typeof v === 'string' && v !== '' ? '<secret>' : redactValue(v);
    return out;
  }
  return value;
}

const shortDigest = (sha256: string): string => `sha256:${sha256.slice(0, 12)}`;

/** PEM certificates (as Google returns a chain or a CA) print as their digest, not their text. */
function certificatesLabel(pem: string): string {
  const digest = certificatesDigest(pem);
  return digest ? `<certificates ${shortDigest(digest)}>` : '<certificates>';
}

/** Body keys whose plain string values are secrets, wherever they come from (observed bodies too). */
const SECRET_KEYS = new Set(['privateKey', 'oauth2ClientSecret']);

/** One-line text of a value, cut to `max` characters. */
export function formatValue(value: unknown, max = 80): string {
  if (value === undefined) return '(unset)';
  const redacted = redactValue(value);
  const text = typeof redacted === 'string' ? redacted : JSON.stringify(redacted);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One leaf of a field change: where inside the field, and the two values there (redacted). */
export interface ChangePath {
  /** `pathMatchers[hosts-1].defaultService`, `sslCertificates[0]`, or the field itself. */
  path: string;
  from: unknown;
  to: unknown;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How an element of a list of objects is named in a path: by its `name`, else its index. */
function elementKey(value: unknown, index: number): string {
  return isPlain(value) && typeof value.name === 'string' ? value.name : String(index);
}

/**
 * The leaves where `from` and `to` differ, as paths below `field`: objects by the keys `to` sets
 * (the only ones compared), lists of objects by each element's `name` (else position), other
 * values whole. Values are redacted
 * (no secret, no file contents). Pure.
 */
export function changePaths(field: string, from: unknown, to: unknown): ChangePath[] {
  const out: ChangePath[] = [];
  const walk = (path: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(redactValue(a)) === JSON.stringify(redactValue(b))) return;
    if (isPlain(a) && isPlain(b)) {
      // A key the desired object leaves out is not compared (compare.ts): what Google fills in there is no change.
      for (const key of Object.keys(b)) walk(`${path}.${key}`, a[key], b[key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every(isPlain)) {
      const left = new Map(a.map((v, i) => [elementKey(v, i), v]));
      const right = new Map(b.map((v, i) => [elementKey(v, i), v]));
      for (const key of new Set([...left.keys(), ...right.keys()])) walk(`${path}[${key}]`, left.get(key), right.get(key));
      return;
    }
    out.push({ path, from: a === undefined ? undefined : redactValue(a), to: b === undefined ? undefined : redactValue(b) });
  };
  walk(field, from, to);
  return out;
}

/**
 * The two values of a change as text, shortened alike: a shared lead of `/`-separated segments
 * becomes `…/`, so what differs always shows, and each is cut to `max` only beyond that.
 */
export function formatChange(from: unknown, to: unknown, max = 80): [string, string] {
  const text = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));
  let a = text(from);
  let b = text(to);
  if (typeof from === 'string' && typeof to === 'string') {
    const sa = a.split('/');
    const sb = b.split('/');
    let shared = 0;
    while (shared < sa.length - 1 && shared < sb.length - 1 && sa[shared] === sb[shared]) shared++;
    if (shared > 0) {
      a = `…/${sa.slice(shared).join('/')}`;
      b = `…/${sb.slice(shared).join('/')}`;
    }
  }
  const cut = (t: string) => (t.length > max ? `${t.slice(0, max - 1)}…` : t);
  return [cut(a), cut(b)];
}
