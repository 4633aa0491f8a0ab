/**
 * Typed reads of request bodies (plain JSON objects), for the kinds and both exporters: a value of
 * the expected type, or undefined (or empty) when the key holds something else. Pure.
 */

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

/** A forwarding rule's port range as written (`portRange` may come back as a number). */
export function portRangeOf(body: Record<string, unknown>): string | undefined {
  return str(body, 'portRange') ?? (typeof body.portRange === 'number' ? String(body.portRange) : undefined);
}
