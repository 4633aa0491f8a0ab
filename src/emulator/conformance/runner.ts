/**
 * Replays recorded exchanges against a fresh emulator per recording and compares status and body.
 *
 * Scope: the runner compares every exchange the emulator models: the Compute collections of the
 * load balancer (in every file), and the API a file records (its name's first word: Cloud Run v2,
 * Certificate Manager's certificates, maps, entries and DNS authorizations, Cloud DNS zones and
 * record sets). Other exchanges are prerequisites recorded alongside (instances, health checks,
 * buckets, VPN gateways, Network Services extensions, Certificate Manager trust configs until the
 * emulator models them, resources that existed before the recording): they are not sent; a
 * recorded `GET` of such a Compute resource is put into the emulator's store as a fixture so
 * references to it resolve, a recorded `DELETE` removes it. They are counted as skipped.
 *
 * Between exchanges every pending operation is completed, as the recorded clients polled until DONE,
 * but one: a delete the recorded answer shows RUNNING and that the next exchange does not wait on
 * stays in flight for that next exchange, as it did at Google (a backend service a URL map still
 * uses while the map's delete runs is refused); and a Cloud DNS change stays pending while the
 * recording's next poll saw it pending. Operations take a minute here unless settled.
 */
import type { RunningEmulator } from '../server.js';
import { startEmulator } from '../server.js';
import type { Json } from '../core/store.js';
import { Bindings, compareJson, matchTemplate, sameOperationType, STRICT, type Difference } from './match.js';
import type { Exchange, Recording } from './recording.js';

/** Compute collections the emulator models. */
export const MODELED_COMPUTE = new Set([
  'networks',
  'subnetworks',
  'addresses',
  'networkEndpointGroups',
  'backendServices',
  'urlMaps',
  'targetHttpProxies',
  'targetHttpsProxies',
  'forwardingRules',
  'sslCertificates',
  'sslPolicies',
  'securityPolicies',
]);

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface ExchangeResult {
  recording: string;
  index: number;
  method: string;
  path: string;
  outcome: Outcome;
  reason?: string;
  differences?: Difference[];
  expectedStatus?: number;
  actualStatus?: number;
}

interface OpRecord {
  name: string;
  targetLink: string;
  operationType: string;
  path: string;
}

const COMPUTE_HOST = 'compute.googleapis.com';
const RUN_HOST = 'run.googleapis.com';
const CERT_MANAGER_HOST = 'certificatemanager.googleapis.com';

const DNS_HOST = 'dns.googleapis.com';
const NETWORK_SECURITY_HOST = 'networksecurity.googleapis.com';

/** The API host each recording's name stands for (`<api>__<resource>...`); unmodelled APIs have none. */
const FILE_HOSTS: Record<string, string> = {
  compute: COMPUTE_HOST,
  run: RUN_HOST,
  certificatemanager: CERT_MANAGER_HOST,
  dns: DNS_HOST,
  networksecurity: NETWORK_SECURITY_HOST,
};

/** Certificate Manager collections the emulator models. */
const MODELED_CERT_MANAGER = new Set(['certificates', 'certificateMaps', 'certificateMapEntries', 'dnsAuthorizations', 'trustConfigs', 'operations']);

/** The Certificate Manager collection a path names (its last collection segment). */
function certManagerCollection(path: string): string | undefined {
  const parts = path.replace(/^\/v1\//, '').split('/');
  return parts.filter((_, i) => i >= 4 && i % 2 === 0).at(-1);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** `{scope, collection, name}` of a compute path below `/compute/v1/`. */
function computeTarget(path: string): { collection?: string; resourcePath?: string; isOperation: boolean } {
  const rel = path.replace(/^\/compute\/v1\//, '');
  const m = /^projects\/[^/]+\/(?:(?:global|regions\/[^/]+|zones\/[^/]+)\/)?([A-Za-z]+)(?:\/([^/]+))?/.exec(rel);
  if (!m) return { isOperation: false };
  const collection = m[1]!;
  const parts = rel.split('/');
  const at = parts.indexOf(collection);
  const resourcePath = m[2] ? parts.slice(0, at + 2).join('/') : undefined;
  if (/^projects\/[^/]+\/zones\//.test(rel)) {
    return { collection: `zones/${collection}`, ...(resourcePath ? { resourcePath } : {}), isOperation: collection === 'operations' };
  }
  return { collection, ...(resourcePath ? { resourcePath } : {}), isOperation: collection === 'operations' };
}

function generator(counter: { n: number }) {
  return (name: string): string => {
    counter.n++;
    const suffix = `${counter.n.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`.slice(0, 6);
    if (name === 'projectId') return 'conformance-project';
    if (name === 'projectNumber') return '123456789012';
    if (name === 'uniqueId') return `u${suffix}`;
    const base = name.replace(/I[Dd]$/, '').replace(/[^A-Za-z]/g, '').toLowerCase() || 'r';
    return `${base}-${suffix}`;
  };
}

/** Strings of a recorded body that name resources: selfLink, targetLink and error messages. */
function namingStrings(body: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string' && ['selfLink', 'targetLink', 'message'].includes(key)) out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  const parsed = parseJson(body);
  if (parsed.ok) walk(parsed.value);
  return out;
}

/**
 * The name a recorded answer gives the resource its URL ends in (`.../subnetworks/${subnetworkID}`):
 * the last segment of its selfLink, or of an operation's targetLink, in that collection, when it is
 * written with other placeholders than the URL's own (`proxyonlysubnetwork-${uniqueId}`).
 */
function answeredName(ex: Exchange, path: string, placeholder: string): string | undefined {
  const collection = /\/([A-Za-z]+)\/\$\{[A-Za-z0-9_]+\}$/.exec(path)?.[1];
  const parsed = parseJson(ex.responseBody);
  if (!collection || !parsed.ok || !parsed.value || typeof parsed.value !== 'object') return undefined;
  const body = parsed.value as Record<string, unknown>;
  const error = body['error'] as { message?: unknown } | undefined;
  for (const link of [body['selfLink'], body['targetLink'], error?.message]) {
    const m = typeof link === 'string' ? new RegExp(`/${collection}/([^/']+)(?:'|$)`).exec(link) : null;
    if (m && !m[1]!.includes(`\${${placeholder}}`) && m[1]!.includes('${')) return m[1];
  }
  return undefined;
}

/** Finds the value an unbound URL placeholder stands for, from the exchange's own text. */
function resolveAlias(ex: Exchange, name: string, b: Bindings, gen: (n: string) => string): void {
  if (b.values.has(name)) return;
  const seg = new RegExp(`/([A-Za-z]+)/\\$\\{${name}\\}`).exec(ex.url);
  if (!seg) return;
  const collection = seg[1]!;
  for (const text of namingStrings(ex.responseBody)) {
    const re = new RegExp(`/${collection}/([^'"\\s/?&]+)`, 'g');
    for (const m of text.matchAll(re)) {
      if (!m[1]!.includes(`\${${name}}`)) {
        b.set(name, b.substitute(m[1]!, gen));
        return;
      }
    }
  }
  const params = ex.requestHeaders['x-goog-request-params'];
  if (params) {
    for (const pair of params.split('&')) {
      const [k, v] = pair.split('=');
      if (k && v && !['project', 'region', 'zone'].includes(k) && !v.includes(`\${${name}}`)) {
        b.set(name, b.substitute(decodeURIComponent(v), gen));
        return;
      }
    }
  }
}

/**
 * The recordings' normaliser replaced every occurrence of some names, including the word "default"
 * when the network was called `default` (giving keys like `${networkID}Service`): such a
 * placeholder stands for "default".
 */
function presetBindings(rec: Recording, b: Bindings): void {
  const text = rec.exchanges.map((e) => e.requestBody + e.responseBody).join('\n');
  for (const m of text.matchAll(/"\$\{([A-Za-z0-9_]+)\}(Service|UrlRedirect|RouteAction|CustomErrorResponsePolicy)"/g)) {
    b.set(m[1]!, 'default');
  }
}

/**
 * A request's `subnetwork` written with a placeholder that stood for several subnets (a PRIVATE one
 * and a proxy-only one): a forwarding rule or an address takes its IP from a PRIVATE subnet (Google
 * refuses a proxy-only one there), so the placeholder is read as the PRIVATE subnet it stood for.
 */
function privateSubnetMeant(requestBody: string, b: Bindings, em: RunningEmulator): string {
  const m = /"subnetwork":\s*"([^"]*\/subnetworks\/)\$\{([A-Za-z0-9_]+)\}"/.exec(requestBody);
  if (!m) return requestBody;
  const [, prefix, name] = m as unknown as [string, string, string];
  const collection = b.substitute(prefix, () => '').replace(/^.*?(projects\/)/, '$1');
  const purposeOf = (value: string) => {
    const held = em.ctx.store.get<Record<string, Json>>(`${collection}${value}`);
    return held ? String(held['purpose'] ?? 'PRIVATE') : undefined;
  };
  const current = b.values.get(name);
  if (!current || purposeOf(current) === 'PRIVATE') return requestBody;
  const meant = b.history(name).find((v) => purposeOf(v) === 'PRIVATE');
  return meant ? requestBody.replace(m[0], m[0].replace(`\${${name}}`, meant)) : requestBody;
}

/**
 * The emulator's operation path of a delete the recording answered RUNNING, when the next recorded
 * exchange is not a wait on it (the client went on while Google was still deleting).
 */
function runningDelete(ex: Exchange, answer: string, next: Exchange | undefined): string | undefined {
  const recorded = parseJson(ex.responseBody);
  const actual = parseJson(answer);
  if (ex.method !== 'DELETE' || !recorded.ok || !actual.ok) return undefined;
  const r = recorded.value as Record<string, unknown> | undefined;
  const a = actual.value as Record<string, unknown> | undefined;
  if (r?.['status'] !== 'RUNNING' || typeof a?.['selfLink'] !== 'string' || !next || /\/operations\//.test(next.url)) return undefined;
  return new URL(a['selfLink']).pathname.replace(/^\/compute\/v1\//, '');
}

/** The IP the recording tool wrote in place of every request IP. */
const RECORDED_IP = '8.8.8.8';

/**
 * Recorded requests carry normalised fingerprints: send the current ones the emulator gave. An
 * address the recording tool normalised (RECORDED_IP) is left out: the emulator allocates one.
 */
function refreshFingerprints(body: string, b: Bindings): string {
  const parsed = parseJson(body);
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') return body;
  const v = parsed.value as Record<string, unknown>;
  let changed = false;
  for (const key of ['IPAddress', 'address']) {
    if (v[key] === RECORDED_IP) {
      delete v[key];
      changed = true;
    }
  }
  for (const key of ['fingerprint', 'labelFingerprint']) {
    const latest = b.latest.get(key);
    if (typeof v[key] === 'string' && latest !== undefined) {
      v[key] = latest;
      changed = true;
    }
  }
  return changed ? JSON.stringify(v) : body;
}

export interface ReplayOptions {
  /** Start an emulator (default: startEmulator with no seed, no DNS, no data plane, opLatencyMs 0). */
  start?: () => Promise<RunningEmulator>;
}

export async function replayRecording(rec: Recording, options: ReplayOptions = {}): Promise<ExchangeResult[]> {
  const em = await (options.start?.() ?? startEmulator({ seed: false, opLatencyMs: 60_000, dns: false, dataplane: false }));
  /** The emulator operation of a delete left in flight for the next exchange (see above). */
  let inFlight: string | undefined;
  /** The id of the Cloud DNS change the emulator made last (the recordings write change ids as empty). */
  let lastChange: string | undefined;
  const results: ExchangeResult[] = [];
  const b = new Bindings();
  const gen = generator({ n: 0 });
  const ops: OpRecord[] = [];
  const created = new Set<string>();
  // The API each file records (besides Compute): other hosts are prerequisites.
  const fileHost = FILE_HOSTS[rec.name.split('__')[0]!] ?? (rec.format === 'vcr' ? RUN_HOST : undefined);
  presetBindings(rec, b);
  try {
    for (const ex of rec.exchanges) {
      const hostMatch = /^https?:\/\/([^/]+)(\/[^?]*)?(\?.*)?$/.exec(ex.url);
      const recordedUrl = { host: hostMatch?.[1] ?? '', pathname: hostMatch?.[2] ?? '/', search: hostMatch?.[3] ?? '' };
      const base: Omit<ExchangeResult, 'outcome'> = { recording: rec.name, index: ex.index, method: ex.method, path: recordedUrl.pathname };
      const skip = (reason: string) => results.push({ ...base, outcome: 'skipped', reason });
      const host = recordedUrl.host;
      const expected = parseJson(ex.responseBody);

      if (host !== COMPUTE_HOST && host !== fileHost) {
        skip(`prerequisite on ${host}`);
        continue;
      }
      if (host === CERT_MANAGER_HOST) {
        const collection = certManagerCollection(recordedUrl.pathname);
        if (!collection || !MODELED_CERT_MANAGER.has(collection)) {
          skip(`outside the emulator's model: Certificate Manager ${collection ?? recordedUrl.pathname}`);
          continue;
        }
        // The operation of a resource outside the model (a trust config): a prerequisite's.
        const target = expected.ok ? ((expected.value as { metadata?: { target?: unknown } } | undefined)?.metadata?.target as string | undefined) : undefined;
        const targetCollection = collection === 'operations' && typeof target === 'string' ? certManagerCollection(`/v1/${target}`) : undefined;
        if (targetCollection && !MODELED_CERT_MANAGER.has(targetCollection)) {
          skip(`operation of a prerequisite (Certificate Manager ${targetCollection})`);
          continue;
        }
      }
      for (const m of ex.url.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) if (m[1] !== 'operationID') resolveAlias(ex, m[1]!, b, gen);

      let url: string;
      const target = host === COMPUTE_HOST ? computeTarget(recordedUrl.pathname) : { isOperation: false };
      if (host === COMPUTE_HOST && target.isOperation) {
        // Which of our operations does this poll stand for? The one with the recorded target and type.
        const exp = expected.ok ? (expected.value as Record<string, string> | undefined) : undefined;
        const found = exp
          ? [...ops].reverse().find((o) => sameOperationType(String(exp['operationType']), o.operationType) && matchTemplate(exp['targetLink'] ?? '', o.targetLink, cloneBindings(b)))
          : undefined;
        if (!found) {
          skip('operation of a prerequisite');
          continue;
        }
        b.values.set('operationID', found.name);
        url = found.path + (ex.method === 'POST' && recordedUrl.pathname.endsWith('/wait') ? '/wait' : '');
      } else {
        const last = /\/\$\{([A-Za-z0-9_]+)\}$/.exec(recordedUrl.pathname)?.[1];
        // One placeholder for several resources of a kind: the exchange's own answer names the one meant.
        const named = last && host === COMPUTE_HOST && !STRICT.has(last) ? answeredName(ex, recordedUrl.pathname, last) : undefined;
        if (named) b.set(last!, b.substitute(named, gen));
        url = b.substitute(recordedUrl.pathname + recordedUrl.search, gen);
        const storePathOf = (u: string) => computeTarget(new URL(u, 'http://x').pathname).resourcePath;
        // Where the answer does not name it: guess from what the emulator holds.
        if (last && !named && host === COMPUTE_HOST && !STRICT.has(last)) {
          const held = storePathOf(url);
          if (ex.method === 'GET' && ex.status === 404 && held && em.ctx.store.has(held)) {
            // The normaliser gave two resources the same placeholder: this one is new.
            b.values.delete(last);
            url = b.substitute(recordedUrl.pathname + recordedUrl.search, gen);
          } else if (ex.status === 200 && held && !em.ctx.store.has(held)) {
            // ...and later the recording goes back to an earlier one.
            const current = b.values.get(last)!;
            for (const value of b.history(last)) {
              b.values.set(last, value);
              const candidate = b.substitute(recordedUrl.pathname + recordedUrl.search, gen);
              const p = storePathOf(candidate);
              if (p && em.ctx.store.has(p)) {
                url = candidate;
                break;
              }
              b.values.set(last, current);
            }
          }
        }
      }
      if (host === DNS_HOST && lastChange && /\/changes\/$/.test(url.split('?')[0]!)) url = url.replace(/\/changes\/(\?|$)/, `/changes/${lastChange}$1`);
      const requestPath = new URL(url, 'http://x').pathname;

      if (host === COMPUTE_HOST && !target.isOperation) {
        const modeled = target.collection !== undefined && MODELED_COMPUTE.has(target.collection);
        const storePath = target.resourcePath ? b.substitute(target.resourcePath, gen) : undefined;
        const preExisting =
          modeled && ex.method === 'GET' && ex.status === 200 && storePath !== undefined && !created.has(storePath) && !em.ctx.store.has(storePath);
        if (!modeled || preExisting) {
          if (storePath && ex.method === 'GET' && ex.status === 200 && expected.ok && expected.value) {
            em.ctx.store.put(storePath, fixture(b.substitute(ex.responseBody, gen)));
            skip(preExisting ? 'resource that existed before the recording (fixture)' : `outside the emulator's model: ${target.collection} (fixture)`);
          } else if (storePath && ex.method === 'DELETE' && ex.status === 200) {
            em.ctx.store.delete(storePath);
            skip(`outside the emulator's model: ${target.collection}`);
          } else skip(`outside the emulator's model: ${target.collection ?? requestPath}`);
          continue;
        }
        if (ex.method === 'POST' && storePath === undefined) {
          const body = parseJson(ex.requestBody);
          const name = body.ok && body.value && typeof (body.value as Record<string, unknown>)['name'] === 'string' ? String((body.value as Record<string, unknown>)['name']) : undefined;
          if (name) created.add(`${requestPath.replace(/^\/compute\/v1\//, '')}/${b.substitute(name, gen)}`);
        }
      }

      const body = ex.requestBody ? refreshFingerprints(b.substitute(privateSubnetMeant(ex.requestBody, b, em), gen), b) : undefined;
      const res = await fetch(em.url + url, {
        method: ex.method,
        headers: body ? { 'content-type': 'application/json' } : {},
        ...(body ? { body } : {}),
      });
      const text = await res.text();
      if (host === DNS_HOST && ex.method === 'POST' && /\/changes$/.test(requestPath) && res.ok) lastChange = String((JSON.parse(text) as { id?: unknown }).id);
      const next = rec.exchanges[ex.index]; // `index` is 1-based: the next exchange
      const left = inFlight;
      inFlight = runningDelete(ex, text, next);
      // A Cloud DNS change stays pending while the recording's next poll still saw it pending.
      const change = lastChange && next && /\/changes\/(\?|$)/.test(next.url) && /"status":\s*"pending"/.test(next.responseBody)
        ? em.ctx.operations.pending().find((p) => p.endsWith(`/changes/${lastChange}`))
        : undefined;
      await em.ctx.operations.settleAll(new Set([inFlight, change].filter((p): p is string => p !== undefined)));
      if (left && left !== inFlight) await em.ctx.operations.settleAll(new Set(change ? [change] : []));
      const actual = parseJson(text);
      const result: ExchangeResult = { ...base, outcome: 'passed', expectedStatus: ex.status, actualStatus: res.status };
      if (res.status !== ex.status) {
        result.outcome = 'failed';
        result.reason = `status ${res.status}, recorded ${ex.status}`;
        if (actual.ok) result.differences = [{ path: '$', expected: ex.responseBody.slice(0, 300), actual: text.slice(0, 300) }];
      } else if (expected.ok && expected.value !== undefined) {
        const exp = expected.value as Record<string, unknown>;
        const diffs = actual.ok ? compareJson(exp, actual.value, b, typeof exp['kind'] === 'string' ? exp['kind'] : undefined) : [{ path: '$', expected: 'JSON', actual: text.slice(0, 200) }];
        if (diffs.length) {
          result.outcome = 'failed';
          result.reason = `${diffs.length} field(s) differ`;
          result.differences = diffs;
        }
        learnAliases(exp, actual.ok ? actual.value : undefined, b);
      }
      if (actual.ok && actual.value && typeof actual.value === 'object') {
        const op = actual.value as Record<string, unknown>;
        if (op['kind'] === 'compute#operation' && typeof op['name'] === 'string' && typeof op['selfLink'] === 'string') {
          ops.push({
            name: op['name'],
            targetLink: String(op['targetLink']),
            operationType: String(op['operationType']),
            path: new URL(op['selfLink']).pathname,
          });
        }
      }
      results.push(result);
    }
  } finally {
    await em.close();
  }
  return results;
}

function cloneBindings(b: Bindings): Bindings {
  const c = new Bindings();
  for (const [k, v] of b.values) c.values.set(k, v);
  return c;
}

/** A recorded resource body made storable: v1 URLs everywhere. */
function fixture(text: string): Json {
  return JSON.parse(text.replace(/(googleapis\.com\/compute\/)(beta|alpha)\//g, '$1v1/')) as Json;
}

/** Long-running operation names the emulator chose, so later recorded requests reach them. */
function learnAliases(expected: unknown, actual: unknown, b: Bindings): void {
  if (!expected || !actual || typeof expected !== 'object' || typeof actual !== 'object') return;
  const e = (expected as Record<string, unknown>)['name'];
  const a = (actual as Record<string, unknown>)['name'];
  if (typeof e === 'string' && typeof a === 'string' && e !== a && /\/operations\/[^/]+$/.test(e) && !e.includes('${')) {
    b.aliases.set(e.split('/').at(-1)!, a.split('/').at(-1)!);
  }
}

export interface Summary {
  results: ExchangeResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export function summarise(results: ExchangeResult[]): Summary {
  return {
    results,
    passed: results.filter((r) => r.outcome === 'passed').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
  };
}

/** One line for a differing exchange. */
export function describeFailure(r: ExchangeResult): string {
  const head = `${r.recording} #${r.index} ${r.method} ${r.path}: ${r.reason ?? 'differs'}`;
  const diffs = (r.differences ?? []).slice(0, 4).map((d) => `${d.path}: recorded ${JSON.stringify(d.expected)}, emulator ${JSON.stringify(d.actual)}`);
  return diffs.length ? `${head} (${diffs.join('; ')}${(r.differences?.length ?? 0) > 4 ? '; ...' : ''})` : head;
}
