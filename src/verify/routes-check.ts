/**
 * The routes check: proves route rules through the load balancer.
 *
 * - Each rule that sends to one backend gets a request shaped to fit it (probes.ts
 *   routeRuleProbes): the answer must come from that backend; where the data plane names what the
 *   backend received, the rewritten path and host and the request headers set must be what it
 *   got; the response headers set must be on the answer (anywhere, Google included).
 * - Each weighted split gets a sample of requests (`sample`, default 200): the share each backend
 *   answered is reported beside its weight, and must be within a tolerance of it (the larger of 5
 *   points and four standard deviations of a sample that size). Where the data plane cannot say
 *   which backend answered (Google), the split's requests must succeed and the shares are not judged.
 * - Rules no request can be made for are listed with the reason.
 */
import type { Network } from './network.js';
import { judgeProbe, wrongResponseHeaders } from './http-check.js';
import { sendRequest, type HttpResult } from './http-client.js';
import type { RouteProbe, SplitProbe, UnprobedRule } from './probes.js';
import { fromItems, skipped, type CheckItem, type CheckResult } from './report.js';
import { listenerAddress, type ListenerTarget } from './target.js';

export const DEFAULT_SPLIT_SAMPLE = 200;

export interface RoutesCheckInput {
  listeners: readonly ListenerTarget[];
  probes: readonly RouteProbe[];
  splits: readonly SplitProbe[];
  unprobed: readonly UnprobedRule[];
  /** Requests sent per weighted split. */
  sample?: number;
}

interface Answer {
  service?: string;
  path?: string;
  host?: string;
  headers?: Record<string, string>;
}

function answerOf(result: HttpResult): Answer | undefined {
  try {
    const body = JSON.parse(result.body ?? '') as Answer;
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

/** What a route rule does beyond choosing the backend: rewrite and header actions. */
export function judgeActions(result: HttpResult, probe: RouteProbe, network: Network): string[] {
  const wrong = wrongResponseHeaders(result, probe.expectResponseHeaders);
  if (!network.namesBackends) return wrong;
  const answer = answerOf(result);
  if (probe.expectPath !== undefined && answer?.path !== probe.expectPath) wrong.push(`the backend got path ${answer?.path ?? '?'}, expected ${probe.expectPath} (rewrite)`);
  if (probe.expectHost !== undefined && answer?.host?.replace(/:\d+$/, '') !== probe.expectHost) wrong.push(`the backend got host ${answer?.host ?? '?'}, expected ${probe.expectHost} (rewrite)`);
  for (const [name, value] of Object.entries(probe.expectRequestHeaders ?? {})) {
    const got = answer?.headers?.[name.toLowerCase()];
    if (got !== value) wrong.push(`the backend got header ${name} ${got === undefined ? 'missing' : `"${got}"`}, expected "${value}"`);
  }
  return wrong;
}

const pathWithQuery = (path: string, query: string | undefined) => (query ? `${path}?${query}` : path);
const describeHeaders = (headers: Record<string, string> | undefined) => Object.entries(headers ?? {}).map(([n, v]) => ` ${n}: ${v}`).join(',');

/** The tolerance, in points, of a share observed over `n` requests with expected share `p`. */
export function splitTolerance(p: number, n: number): number {
  return Math.max(5, 400 * Math.sqrt((p * (1 - p)) / n));
}

async function probeItem(l: ListenerTarget, probe: RouteProbe, network: Network): Promise<CheckItem> {
  const scheme = l.protocol === 'HTTPS' ? 'https' : 'http';
  const r = await sendRequest(network, { scheme, host: probe.host ?? l.address, port: l.port, path: pathWithQuery(probe.path, probe.query), connectAddress: l.address, method: probe.method ?? 'GET', headers: probe.headers ?? {} });
  const name = `${probe.route}: ${probe.method ?? 'GET'} ${r.url}${describeHeaders(probe.headers)}`;
  const verdict = judgeProbe(r, probe.expect, network);
  if (!verdict.ok) return { name, ...verdict };
  const wrong = judgeActions(r, probe, network);
  if (wrong.length > 0) return { name, ok: false, detail: `${verdict.detail}; but ${wrong.join('; ')}`, hint: 'the URL map\'s route action differs from the config: re-run `serverless-lb apply` (`serverless-lb plan` shows the difference)' };
  if (probe.corsOrigin !== undefined) {
    const preflight = await sendRequest(network, { scheme, host: probe.host ?? l.address, port: l.port, path: pathWithQuery(probe.path, probe.query), connectAddress: l.address, method: 'OPTIONS', headers: { ...probe.headers, origin: probe.corsOrigin, 'access-control-request-method': 'GET' } });
    const allowed = String(preflight.headers?.['access-control-allow-origin'] ?? '');
    if (preflight.error || (preflight.status ?? 0) >= 300 || (allowed !== probe.corsOrigin && allowed !== '*')) {
      return { name, ok: false, detail: `${verdict.detail}; but a CORS preflight from ${probe.corsOrigin} got ${preflight.error ? preflight.error.message : `${preflight.status}${allowed ? ` allowing ${allowed}` : ' with no Access-Control-Allow-Origin'}`}`, hint: 'the URL map\'s CORS policy differs from the config: re-run `serverless-lb apply`' };
    }
  }
  const did = [probe.expectPath !== undefined ? `path rewritten to ${probe.expectPath}` : '', probe.corsOrigin !== undefined ? `CORS preflight from ${probe.corsOrigin} allowed` : '', probe.expectHost ? `host rewritten to ${probe.expectHost}` : '', probe.expectRequestHeaders ? 'request headers set' : '', probe.expectResponseHeaders ? 'response headers set' : ''].filter(Boolean);
  return { name, ok: true, detail: `${verdict.detail}${did.length ? `; ${did.join(', ')}` : ''}` };
}

async function splitItem(l: ListenerTarget, split: SplitProbe, network: Network, sample: number): Promise<CheckItem> {
  const scheme = l.protocol === 'HTTPS' ? 'https' : 'http';
  const name = `${split.route}: ${sample} x GET ${scheme}://${split.host ?? l.address}${pathWithQuery(split.path, split.query)}${describeHeaders(split.headers)}`;
  const counts = new Map<string, number>();
  let failures = 0;
  let firstFailure = '';
  // In batches, so a sample does not open hundreds of connections at once.
  for (let sent = 0; sent < sample; sent += 20) {
    const batch = Array.from({ length: Math.min(20, sample - sent) }, () => sendRequest(network, { scheme, host: split.host ?? l.address, port: l.port, path: pathWithQuery(split.path, split.query), connectAddress: l.address, headers: split.headers }));
    for (const r of await Promise.all(batch)) {
      const service = answerOf(r)?.service;
      if (r.error || (r.status ?? 0) >= 400) {
        failures += 1;
        firstFailure ||= r.error ? r.error.message : `status ${r.status}`;
      } else if (service !== undefined) counts.set(service, (counts.get(service) ?? 0) + 1);
    }
  }
  if (failures > 0) return { name, ok: false, detail: `${failures} of ${sample} requests failed (${firstFailure})`, hint: 'a backend of the split does not answer: check each backend (the http check names them)' };
  if (!network.namesBackends) return { name, ok: true, detail: `${sample} answered (status-based: the share each backend answered cannot be seen from outside)` };
  const total = split.shares.reduce((sum, s) => sum + s.weight, 0);
  const off: string[] = [];
  const shown = split.shares.map((s) => {
    const observed = ((counts.get(s.expect.service ?? '') ?? 0) / sample) * 100;
    const expected = (s.weight / total) * 100;
    if (Math.abs(observed - expected) > splitTolerance(expected / 100, sample)) off.push(s.backend);
    return `${s.backend} ${observed.toFixed(1)} % (weight ${s.weight}: ${expected.toFixed(1)} %)`;
  });
  const other = sample - split.shares.reduce((sum, s) => sum + (counts.get(s.expect.service ?? '') ?? 0), 0);
  if (other > 0) off.push(`${other} answered by none of them`);
  const detail = `observed ${shown.join(', ')}`;
  return off.length > 0
    ? { name, ok: false, detail: `${detail}: ${off.join(', ')} off the weights`, hint: 'the URL map splits differently from the config: re-run `serverless-lb apply` (`serverless-lb plan` shows the difference)' }
    : { name, ok: true, detail };
}

/** Runs the routes check once through every listener that serves content. */
export async function checkRoutes(input: RoutesCheckInput, network: Network): Promise<CheckResult | undefined> {
  if (input.probes.length === 0 && input.splits.length === 0 && input.unprobed.length === 0) return undefined;
  const listeners = input.listeners.filter((l) => !l.redirectToHttps);
  const sample = input.sample ?? DEFAULT_SPLIT_SAMPLE;
  const items: CheckItem[] = [];
  for (const l of listeners) {
    items.push(...(await Promise.all(input.probes.map((p) => probeItem(l, p, network)))));
    for (const split of input.splits) items.push(await splitItem(l, split, network, sample));
  }
  const note = input.unprobed.length > 0 ? `; not requested: ${input.unprobed.map((u) => `${u.route} (${u.reason})`).join('; ')}` : '';
  if (items.length === 0) return skipped('routes', `no route rule can be requested${note}`);
  if (items.every((i) => !i.ok && /^no answer/.test(i.detail)) && listeners.length > 0) {
    return fromItems('routes', items, '', { failDetail: `no answer through ${listeners.map((l) => `${listenerAddress(l)}`).join(', ')}` });
  }
  return fromItems('routes', items, `${input.probes.length} route rule${input.probes.length === 1 ? '' : 's'} and ${input.splits.length} split${input.splits.length === 1 ? '' : 's'} answered as configured${note}`);
}
