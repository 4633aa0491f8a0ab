/**
 * Printable form of body values for plans: placeholders stay placeholders.
 *
 * Contract: the output never contains the value of a SecretRef (it is never resolved here) nor
 * the contents of a FileRef; they print as `<secret: what>` and `<file: path>`, an OutputRef as
 * `<field of id>`. Pure.
 */
import { normalizeRef } from './paths.js';
import { isFileRef, isOutputRef, isSecretRef } from './resource-model.js';

/**
 * A copy of `value` with every placeholder replaced by its printable label and every API URL
 * shortened to its project-relative path.
 */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return normalizeRef(value);
  if (isSecretRef(value)) return `<secret: ${value.$secret.what}>`;
  if (isFileRef(value)) return `<file: ${value.$file}>`;
  if (isOutputRef(value)) return `<${value.$output.field} of ${value.$output.id}>`;
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k) && typeof v === 'string' && v !== '' ? '<secret>' : redactValue(v);
    return out;
  }
  return value;
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
