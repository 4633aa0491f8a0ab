/**
 * Comparison of a recorded JSON body with the emulator's, with placeholder binding.
 *
 * Placeholders (`${name}`) in recorded strings match any non-empty value; the values seen are bound
 * so that later requests can use them. `${projectId}` and `${projectNumber}` are strict: once bound,
 * every later occurrence must equal the bound value.
 */
import { IGNORED_FIELDS } from './leniency.js';
import { convertEnums } from '../certmanager/cert-manager-model.js';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;
export const STRICT = new Set(['projectId', 'projectNumber']);

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]+$/i;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:]*$/i;
const FINGERPRINT_KEYS = new Set(['fingerprint', 'labelFingerprint', 'etag']);
const ADDRESS_KEYS = new Set(['address', 'IPAddress']);
/** The gateway address KCC writes for every subnet it records. */
const KCC_GATEWAY = '10.0.0.1';
/** A Cloud DNS name server: Google picks the shard (the letter) per zone. */
const NAME_SERVER = /^ns-cloud-[a-e][1-4]\.googledomains\.com\.$/;

/** operationType spellings Google has used for the same call in different recordings. */
const OPERATION_TYPE_ALIASES = [['updateNetwork', 'compute.networks.patch']];

export function sameOperationType(a: string, b: string): boolean {
  return a === b || OPERATION_TYPE_ALIASES.some((set) => set.includes(a) && set.includes(b));
}

export class Bindings {
  readonly values = new Map<string, string>();
  /** Recorded literal -> emulator value (operation names and the like), for later requests. */
  readonly aliases = new Map<string, string>();
  /** Latest fingerprint-like values the emulator returned, by key (to refresh recorded requests). */
  readonly latest = new Map<string, string>();
  private readonly past = new Map<string, string[]>();

  bind(name: string, value: string): void {
    if (!this.values.has(name) || name === 'operationID') this.set(name, value);
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
    const h = this.past.get(name) ?? [];
    if (!h.includes(value)) h.push(value);
    this.past.set(name, h);
  }

  /** Every value a placeholder has stood for, newest first. */
  history(name: string): string[] {
    return [...(this.past.get(name) ?? [])].reverse();
  }

  /** Replaces bound placeholders (and aliases); unbound ones are produced by `generate`. */
  substitute(text: string, generate: (name: string) => string): string {
    let out = text.replace(PLACEHOLDER, (_m, name: string) => {
      let v = this.values.get(name);
      if (v === undefined) {
        v = generate(name);
        this.set(name, v);
      }
      return v;
    });
    for (const [from, to] of this.aliases) if (from !== to) out = out.split(from).join(to);
    return out;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normaliseVersion(s: string): string {
  return s.replace(/(googleapis\.com\/compute\/)(beta|alpha)\//g, '$1v1/');
}

/** Matches `actual` against a recorded string that may hold placeholders; binds on success. */
export function matchTemplate(expected: string, actual: string, b: Bindings): boolean {
  const exp = normaliseVersion(expected);
  const act = normaliseVersion(actual);
  const names: string[] = [];
  let re = '^';
  let last = 0;
  for (const m of exp.matchAll(PLACEHOLDER)) {
    re += escapeRe(exp.slice(last, m.index));
    const name = m[1]!;
    const bound = b.values.get(name);
    if (STRICT.has(name) && bound !== undefined) re += escapeRe(bound);
    else {
      re += '(.+?)';
      names.push(name);
    }
    last = m.index! + m[0].length;
  }
  re += escapeRe(exp.slice(last)) + '$';
  const m = new RegExp(re, 's').exec(act);
  if (!m) return false;
  names.forEach((name, i) => b.bind(name, m[i + 1]!));
  return true;
}

export function isDefault(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === '' ||
    v === 0 ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

function stringMatches(key: string, expected: string, actual: unknown, b: Bindings): boolean {
  // Certificate Manager answered one int-encoded GET with an enum name: a name matches its number.
  if (typeof actual === 'number') return convertEnums({ [key]: expected }, 'int')[key] === actual;
  if (typeof actual !== 'string') return false;
  const notFound = /^Resource '(.+)' was not found$/.exec(expected) ?? /^[a-zA-Z]+ "(.+)" not found$/.exec(expected);
  const actualNotFound = /^Resource '(.+)' was not found$/.exec(actual) ?? /^[a-zA-Z]+ "(.+)" not found$/.exec(actual);
  if (key === 'message' && notFound && actualNotFound) return matchTemplate(notFound[1]!, actualNotFound[1]!, b);
  if (key === 'data' && (expected.endsWith('authorize.certificatemanager.goog.') || expected === 'dns-resource-record-data-placeholder')) return actual.endsWith('.authorize.certificatemanager.goog.');
  if (expected.includes('${')) return matchTemplate(expected, actual, b);
  if (/^\d{10,}$/.test(expected)) return /^\d+$/.test(actual);
  if (TIMESTAMP.test(expected)) return TIMESTAMP.test(actual);
  if (FINGERPRINT_KEYS.has(key)) {
    if (actual.length > 0) b.latest.set(key, actual);
    return actual.length > 0;
  }
  if (key === 'internalIpv6Range') return /^fd[0-9a-f]{2}:[0-9a-f:]+\/48$/.test(actual);
  if (key === 'operationType' && sameOperationType(expected, actual)) return true;
  if (ADDRESS_KEYS.has(key) && IPV4.test(expected)) return IPV4.test(actual);
  // Values the recording tool (KCC) normalised: a subnet's gateway, a zone's creation time and name servers.
  if (key === 'gatewayAddress' && expected === KCC_GATEWAY) return IPV4.test(actual);
  if (key === 'creationTime' && /^\d+$/.test(expected)) return TIMESTAMP.test(actual);
  if (NAME_SERVER.test(expected)) return NAME_SERVER.test(actual);
  // A zone's SOA record starts with one of its name servers.
  const soa = (s: string) => s.replace(/^ns-cloud-[a-e][1-4]\.googledomains\.com\. /, 'ns-cloud-<shard>.googledomains.com. ');
  if (soa(expected) !== expected && soa(expected) === soa(actual)) return true;
  if (ADDRESS_KEYS.has(key) && IPV6.test(expected)) return IPV6.test(actual);
  if (UUID.test(expected)) return UUID.test(actual);
  if (EMAIL.test(expected)) return EMAIL.test(actual);
  return generated(normaliseVersion(expected)) === generated(normaliseVersion(actual));
}

/** Masks the parts of a string that Google generates at random: UUIDs, Cloud Run revision suffixes and URL hashes. */
function generated(s: string): string {
  return s
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/(revisions\/[a-z0-9-]+-\d{5})-[a-z0-9]{3}\b/g, '$1-<suffix>')
    .replace(/^([a-z0-9-]+-\d{5})-[a-z0-9]{3}$/, '$1-<suffix>')
    .replace(/^https:\/\/([a-z0-9-]+?)-[a-z0-9]{10}-([a-z]{2})\.a\.run\.app$/, 'https://$1-<hash>-$2.a.run.app')
    .replace(/^https:\/\/([a-z0-9-]+?)-\d{6,}\.([a-z0-9-]+)\.run\.app$/, 'https://$1-<number>.$2.run.app');
}

function ignored(kind: string | undefined, path: string[]): boolean {
  const p = path.join('.');
  return IGNORED_FIELDS.some((f) => {
    if (f.kind && f.kind !== kind) return false;
    const re = new RegExp('^' + f.path.split('.').map((s) => (s === '*' ? '[^.]+' : escapeRe(s))).join('\\.') + '(\\..*)?$');
    return re.test(p.replace(/\[\d+\]/g, ''));
  });
}

export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** Differences between a recorded JSON value and the emulator's (empty when they match). */
export function compareJson(expected: unknown, actual: unknown, b: Bindings, kind?: string, path: string[] = [], key = ''): Difference[] {
  if (ignored(kind, path)) return [];
  const here = path.join('.') || '$';
  if (typeof expected === 'string') {
    return stringMatches(key, expected, actual, b) ? [] : [{ path: here, expected, actual }];
  }
  if (expected === null || typeof expected !== 'object') {
    if (expected === actual) return [];
    if (isDefault(expected) && isDefault(actual)) return [];
    return [{ path: here, expected, actual }];
  }
  if (Array.isArray(expected)) {
    if (key === 'usedBy' && Array.isArray(actual)) {
      // Google updates usedBy lazily: the emulator's (current) list must be a subset of the recorded one.
      return actual.every((a) => expected.some((e) => compareJson(e, a, b, kind, path, key).length === 0)) ? [] : [{ path: here, expected, actual }];
    }
    if (!Array.isArray(actual)) return isDefault(expected) && isDefault(actual) ? [] : [{ path: here, expected, actual }];
    if (expected.length !== actual.length) return [{ path: here, expected: `${expected.length} items`, actual: `${actual.length} items` }];
    return expected.flatMap((e, i) => compareJson(e, actual[i], b, kind, [...path.slice(0, -1), `${path.at(-1) ?? ''}[${i}]`], key));
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return isDefault(expected) && isDefault(actual) ? [] : [{ path: here, expected, actual }];
  }
  const e: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    e[k.includes('${') ? k.replace(PLACEHOLDER, (m, n: string) => b.values.get(n) ?? m) : k] = v;
  }
  const a = actual as Record<string, unknown>;
  const diffs: Difference[] = [];
  for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
    const sub = [...path, k];
    if (ignored(kind, sub)) continue;
    if (!(k in e)) {
      if (!isDefault(a[k])) diffs.push({ path: sub.join('.'), expected: undefined, actual: a[k] });
      continue;
    }
    if (!(k in a)) {
      if (k === 'usedBy') continue;
      if (!isDefault(e[k])) diffs.push({ path: sub.join('.'), expected: e[k], actual: undefined });
      continue;
    }
    diffs.push(...compareJson(e[k], a[k], b, kind, sub, k));
  }
  return diffs;
}
