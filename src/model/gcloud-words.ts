/**
 * The words of a gcloud command, for the kinds' gcloud exports: quoting, flags, the scope and
 * description flags every command takes, and YAML documents fed on stdin. Pure.
 */
import { stringify as toYaml } from 'yaml';
import { isFileRef, isOutputRef, isSecretRef, regionOf, type DesiredResource } from './resource-model.js';
import { str } from './body.js';

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes `value` as one bash word: bare when it is plainly safe, single-quoted otherwise. */
export function shellQuote(value: string): string {
  if (value.length > 0 && SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A word of a command: `literal` values are quoted, `raw` ones are shell expressions already. */
export type Word = { literal: string } | { raw: string };

export interface GcloudCommand {
  /** The command words before the flags (`gcloud compute addresses create NAME`). */
  head: Word[];
  flags: Word[];
  /** A YAML document fed on stdin through a quoted heredoc (nothing in it is expanded). */
  stdin?: string;
}

export const lit = (literal: string): Word => ({ literal });
export const raw = (value: string): Word => ({ raw: value });
export const flag = (name: string, value: string | number): Word => ({ raw: `--${name}=${shellQuote(String(value))}` });
export const bare = (name: string): Word => ({ raw: `--${name}` });
export const gcloud = (...words: string[]): Word[] => ['gcloud', ...words].map(lit);

export function wordText(word: Word): string {
  return 'literal' in word ? shellQuote(word.literal) : word.raw;
}

/** `--global` or `--region=R` for a resource of the graph. */
export function scopeFlag(resource: Pick<DesiredResource, 'scope'>): Word {
  const region = regionOf(resource.scope);
  return region ? flag('region', region) : bare('global');
}

/** `--region=R` for a regional resource, nothing for a global one. */
export function regionFlags(resource: Pick<DesiredResource, 'scope'>): Word[] {
  const region = regionOf(resource.scope);
  return region ? [flag('region', region)] : [];
}

export function descriptionFlag(body: Record<string, unknown>): Word[] {
  const description = str(body, 'description');
  return description ? [flag('description', description)] : [];
}

/** `k=v,k2=v2`, or undefined for no labels. */
export function labelsValue(labels: Record<string, string>): string | undefined {
  const entries = Object.entries(labels);
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** Refuses to put a secret or file placeholder into a document the script inlines. */
function assertInlineable(value: unknown, where: string): void {
  if (isSecretRef(value)) throw new Error(`${where}: a secret cannot be written into the script`);
  if (isFileRef(value) || isOutputRef(value)) throw new Error(`${where}: a run-time value cannot be inlined`);
  if (Array.isArray(value)) value.forEach((v) => assertInlineable(v, where));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => assertInlineable(v, where));
}

/**
 * The API's JSON writes int64 values as strings (a duration's `seconds: "10"`); gcloud's import
 * schema wants them as YAML integers and refuses the string ("'10' is not of type 'integer'").
 */
function int64sAsNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(int64sAsNumbers);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'seconds' && typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : int64sAsNumbers(v)]));
}

/** A body as the YAML document gcloud's `import` commands read. */
export function yamlDocument(body: Record<string, unknown>, where: string): string {
  assertInlineable(body, where);
  return toYaml(int64sAsNumbers(body), { lineWidth: 0 });
}

/** gcloud's spelling of Cloud Run v2 ingress values. */
export const RUN_INGRESS_WORDS: Record<string, string> = {
  INGRESS_TRAFFIC_ALL: 'all',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'internal',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'internal-and-cloud-load-balancing',
};
