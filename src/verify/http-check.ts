/**
 * The http and https checks: requests through the load balancer's address with the right Host
 * and SNI (`curl --connect-to`), so they work before DNS points at it.
 *
 * - Every routing probe (probes.ts) is sent to every listener that serves content: the answer must
 *   be a success from the expected backend. Where the data plane names the backend that answered
 *   (network.namesBackends) the platform, service, tag, version and region are compared; elsewhere
 *   (Google) the check is status-based, and says so.
 * - Backends behind Identity-Aware Proxy must send an unauthenticated request to Google sign-in
 *   where the data plane enforces IAP.
 * - HTTPS: the TLS handshake must complete for every host, with a chain the network trusts, valid
 *   for the host and not expired; the served names and expiry are reported.
 * - An HTTP listener of `https-redirect` must answer 301 with `Location: https://HOST/PATH`.
 * - Internal load balancers: when the address cannot be reached from here (and the network does
 *   not promise it can), the check is skipped with "run from a VM in the network".
 */
import { isIP } from 'node:net';
import type { Network } from './network.js';
import { sendRequest, type HttpResult } from './http-client.js';
import type { ExpectedBackend, RouteProbe } from './probes.js';
import { failed, fromItems, skipped, type CheckItem, type CheckResult } from './report.js';
import { listenerAddress, type ListenerTarget } from './target.js';

/** Connection failures that mean "no route from here to that address". */
const UNREACHABLE_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED', 'UNREACHABLE', 'EADDRNOTAVAIL']);
/** Certificates that expire sooner than this are reported (still ok). */
export const EXPIRY_WARNING_DAYS = 30;

export interface HttpCheckInput {
  listeners: readonly ListenerTarget[];
  probes: readonly RouteProbe[];
  domains: readonly string[];
  internal: boolean;
  /** VPC network name, for the "run from a VM" hint. */
  network?: string;
  /** Clock for expiry comparisons. */
  now: number;
  /** The HTTPS listener requires a client certificate (mutual TLS) and verify was given none. */
  clientCertificateMissing?: boolean;
}

export interface ProbeOutcome {
  probe: RouteProbe;
  listener: ListenerTarget;
  result: HttpResult;
  ok: boolean;
}

export interface HttpCheckOutput {
  results: CheckResult[];
  outcomes: ProbeOutcome[];
}

interface BackendAnswer {
  platform?: string;
  service?: string;
  region?: string;
  tag?: string | null;
  version?: string;
}

const PLATFORM_WORDS: Record<string, string> = {
  'cloud-run': 'Cloud Run service',
  'cloud-functions': 'function',
  'app-engine': 'App Engine service',
  'api-gateway': 'API Gateway gateway',
};

function describeAnswer(a: BackendAnswer): string {
  const what = `${PLATFORM_WORDS[a.platform ?? ''] ?? a.platform ?? 'backend'} ${a.service ?? '?'}`;
  const extra = [a.tag ? `tag ${a.tag}` : '', a.version ? `version ${a.version}` : '', a.region ?? ''].filter(Boolean).join(', ');
  return extra ? `${what} (${extra})` : what;
}

function describeExpected(e: ExpectedBackend): string {
  const what = `${PLATFORM_WORDS[e.platform]} ${e.service ?? `from URL mask ${e.urlMask ?? '?'}`}`;
  const extra = [e.tag ? `tag ${e.tag}` : '', e.version ? `version ${e.version}` : ''].filter(Boolean).join(', ');
  return `backend ${e.backend}: ${what}${extra ? ` (${extra})` : ''}`;
}

function parseAnswer(result: HttpResult): BackendAnswer | undefined {
  if (!result.body || !/json/.test(String(result.headers?.['content-type'] ?? ''))) return undefined;
  try {
    const body = JSON.parse(result.body) as BackendAnswer;
    return typeof body === 'object' && body !== null && typeof body.service === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

function isGooglePage(result: HttpResult): boolean {
  return /That[’']s an error|Error \d{3} \(/.test(result.body ?? '');
}

function failureHint(status: number, reason: string | undefined): string {
  if (status === 404) return `the load balancer answered 404: no route for this host and path, or the serverless backend refused the request or does not exist${reason ? ` (${reason})` : ''}. Compare \`serverless-lb plan\` with what exists; check the backend's ingress and that the service exists in the NEG's region`;
  if (status === 403) return 'the backend refused an unauthenticated request: grant roles/run.invoker to allUsers on a public Cloud Run service (or put IAP in front), or a Cloud Armor rule denied it';
  if (status === 502 || status === 503) return 'the backend service has no usable serverless NEG (its target does not exist in any NEG region), or it is still starting: check the backend and re-run with --wait';
  if (status === 429) return 'a Cloud Armor rate limit answered: wait or raise the limit';
  return 'check the backend and the URL map (`serverless-lb plan` shows any difference)';
}

/** What of the expected response headers an answer lacks or carries with another value, in words. */
export function wrongResponseHeaders(result: HttpResult, expected: Record<string, string> | undefined): string[] {
  const wrong: string[] = [];
  for (const [name, value] of Object.entries(expected ?? {})) {
    const got = result.headers?.[name.toLowerCase()];
    if (got !== value) wrong.push(`response header ${name} is ${got === undefined ? 'missing' : `"${String(got)}"`}, expected "${value}"`);
  }
  return wrong;
}

/** Judges one routed request: it must be answered by the expected backend or one of its alternatives. */
export function judgeProbe(result: HttpResult, expect: ExpectedBackend, network: Network): { ok: boolean; detail: string; hint?: string } {
  const first = judgeOne(result, expect, network);
  if (first.ok || !expect.alternatives) return first;
  for (const other of expect.alternatives) {
    const verdict = judgeOne(result, other, network);
    if (verdict.ok) return verdict;
  }
  return first;
}

function judgeOne(result: HttpResult, expect: ExpectedBackend, network: Network): { ok: boolean; detail: string; hint?: string } {
  if (result.error) {
    const tls = result.url.startsWith('https:') && /TLS|SSL|handshake|secure|EPROTO|ECONNRESET/i.test(`${result.error.code} ${result.error.message}`);
    return {
      ok: false,
      detail: `no answer: ${result.error.message}`,
      hint: tls
        ? 'the TLS handshake failed: the HTTPS proxy has no certificate usable for this name yet (a Google-managed certificate serves only once ACTIVE): see the certificate check'
        : `nothing answered at ${result.via}: check that the forwarding rule exists and re-run with --wait (a new load balancer takes a few minutes to serve)`,
    };
  }
  const status = result.status ?? 0;
  if (expect.iap && network.enforcesIap) {
    const location = String(result.headers?.location ?? '');
    if (status >= 300 && status < 400 && /accounts\.google\.com/.test(location)) return { ok: true, detail: `${status} to Google sign-in: protected by IAP` };
    if (status === 401 || status === 403) return { ok: true, detail: `${status}: protected by IAP` };
    return { ok: false, detail: `${status}: an unauthenticated request was not sent to sign in`, hint: 'IAP is not active on this backend service: check `iap.enabled` on it and the OAuth client (re-run apply)' };
  }
  if (!network.namesBackends) {
    if (status >= 200 && status < 400) return { ok: true, detail: `${status} (status-based: which backend answered cannot be seen from outside)` };
    if (status >= 400 && status < 500 && !isGooglePage(result) && status !== 403 && status !== 429) {
      return { ok: true, detail: `${status} from the application (status-based: the load balancer routed it; the app answered ${status})` };
    }
    return { ok: false, detail: `${status}${isGooglePage(result) ? " (Google's error page)" : ''}`, hint: failureHint(status, undefined) };
  }
  const reason = typeof result.headers?.['x-emulator-reason'] === 'string' ? result.headers['x-emulator-reason'] : undefined;
  if (status < 200 || status >= 300) return { ok: false, detail: `${status}${reason ? `: ${reason}` : ''}, expected 200 from ${describeExpected(expect)}`, hint: failureHint(status, reason) };
  const answer = parseAnswer(result);
  if (!answer) return { ok: false, detail: `${status}, but the answer does not name its backend`, hint: 'the data plane should name the backend that answered' };
  const mismatches: string[] = [];
  if (answer.platform !== expect.platform) mismatches.push('platform');
  if (expect.service !== undefined && answer.service !== expect.service) mismatches.push('service');
  if ((expect.tag ?? null) !== (answer.tag ?? null)) mismatches.push('tag');
  if (expect.version !== undefined && answer.version !== expect.version) mismatches.push('version');
  if (answer.region && expect.regions.length > 0 && expect.platform !== 'app-engine' && !expect.regions.includes(answer.region)) mismatches.push('region');
  if (mismatches.length > 0) {
    return {
      ok: false,
      detail: `answered by ${describeAnswer(answer)}, expected ${describeExpected(expect)} (${mismatches.join(', ')} differ)`,
      hint: 'the URL map sends this host and path to another backend: re-run `serverless-lb apply` (`serverless-lb plan` shows the difference)',
    };
  }
  return { ok: true, detail: `${status} from ${describeAnswer(answer)}` };
}

function tlsItem(host: string, result: HttpResult, now: number): CheckItem {
  const name = `TLS ${host}`;
  if (result.error) return { name, ok: false, detail: `handshake failed: ${result.error.message}`, hint: 'the HTTPS proxy has no certificate usable for this name yet (a managed certificate serves only once ACTIVE): see the certificate check' };
  const tls = result.tls;
  if (!tls) return { name, ok: false, detail: 'no certificate was served', hint: 'see the certificate check' };
  const expires = Date.parse(tls.validTo);
  const days = Math.floor((expires - now) / 86_400_000);
  const served = `certificate for ${tls.names.join(', ')} from ${tls.issuer}, expires ${tls.validTo.slice(0, 10)}`;
  if (!tls.nameMatches && !isIP(host)) return { name, ok: false, detail: `served a ${served}: not valid for ${host}`, hint: `attach a certificate that covers ${host} (certificate.domains, or a self-managed certificate with ${host} in its subject alternative names) and re-run apply` };
  if (expires <= now) return { name, ok: false, detail: `served a ${served}: expired`, hint: 'renew the certificate and re-run apply' };
  if (!tls.trusted) return { name, ok: false, detail: `served a ${served}: not trusted (${tls.trustError ?? 'unknown reason'})`, hint: 'the chain does not lead to a trusted root: use a certificate from a public CA (or Google-managed), with its full chain in the certificate file' };
  return { name, ok: true, detail: `${served}${days < EXPIRY_WARNING_DAYS ? ` (in ${days} days: renew soon)` : ''}; trusted` };
}

function listenerLabel(l: ListenerTarget, many: boolean): string {
  return many ? ` via ${listenerAddress(l)}` : '';
}

function redirectItem(host: string | undefined, l: ListenerTarget, path: string, result: HttpResult, many: boolean): CheckItem {
  const shownHost = host ?? l.address;
  const name = `GET http://${shownHost}${l.port === 80 ? '' : `:${l.port}`}${path}${listenerLabel(l, many)}`;
  if (result.error) return { name, ok: false, detail: `no answer: ${result.error.message}`, hint: 'check that the HTTP forwarding rule exists' };
  const location = String(result.headers?.location ?? '');
  const wanted = `https://${shownHost}${path}`;
  if (result.status === 301 && (location === wanted || location.startsWith(`https://${shownHost}/`) || location.startsWith(`https://${shownHost}:`))) {
    return { name, ok: true, detail: `301 to ${location}` };
  }
  return {
    name,
    ok: false,
    detail: `${result.status}${location ? ` to ${location}` : ''}, expected 301 to ${wanted}`,
    hint: 'the HTTP forwarding rule should use the redirect URL map (defaultUrlRedirect httpsRedirect): re-run apply',
  };
}

/** Runs the http/https checks once. */
export async function checkHttp(input: HttpCheckInput, network: Network): Promise<HttpCheckOutput> {
  const outcomes: ProbeOutcome[] = [];
  const byProtocol: Record<'HTTP' | 'HTTPS', ListenerTarget[]> = { HTTP: [], HTTPS: [] };
  for (const l of input.listeners) byProtocol[l.protocol].push(l);
  const results: CheckResult[] = [];

  for (const protocol of ['HTTPS', 'HTTP'] as const) {
    const listeners = byProtocol[protocol];
    if (listeners.length === 0) continue;
    if (protocol === 'HTTPS' && input.clientCertificateMissing) {
      results.push(skipped('https', 'the HTTPS listener requires a client certificate (mutual TLS, REJECT_INVALID), and verify was given none', 'give verify the client key pair: --client-cert FILE --client-key FILE (the mtls check proves the refusal without one)'));
      continue;
    }
    const id = protocol === 'HTTPS' ? 'https' : 'http';
    const scheme = protocol === 'HTTPS' ? 'https' : 'http';
    const many = listeners.length > 1;
    const items: CheckItem[] = [];
    let unreachable = 0;
    let attempted = 0;

    await Promise.all(
      listeners.map(async (l) => {
        const requests: Array<Promise<void>> = [];
        const sent: HttpResult[] = [];
        if (l.redirectToHttps) {
          const hosts = input.domains.length > 0 ? input.domains.map((d) => ({ host: d as string | undefined, path: '/' })) : [{ host: undefined, path: '/' }];
          for (const { host, path } of hosts) {
            requests.push(
              sendRequest(network, { scheme, host: host ?? l.address, port: l.port, path, connectAddress: l.address }).then((r) => {
                sent.push(r);
                items.push(redirectItem(host, l, path, r, many));
              }),
            );
          }
        } else {
          const tlsSeen = new Map<string, HttpResult>();
          for (const probe of input.probes) {
            const host = probe.host ?? l.address;
            requests.push(
              sendRequest(network, { scheme, host, port: l.port, path: probe.path, connectAddress: l.address }).then((r) => {
                sent.push(r);
                let verdict = judgeProbe(r, probe.expect, network);
                const wrong = verdict.ok ? wrongResponseHeaders(r, probe.expectResponseHeaders) : [];
                if (wrong.length > 0) verdict = { ok: false, detail: `${verdict.detail}; but ${wrong.join('; ')}`, hint: 'the custom response headers differ from options.headers.response: re-run `serverless-lb apply`' };
                else if (verdict.ok && probe.expectResponseHeaders) verdict = { ...verdict, detail: `${verdict.detail}; response headers set` };
                outcomes.push({ probe, listener: l, result: r, ok: verdict.ok });
                items.push({ name: `${probe.route}: GET ${r.url}${listenerLabel(l, many)}`, ...verdict });
                if (scheme === 'https' && !tlsSeen.has(host)) tlsSeen.set(host, r);
              }),
            );
          }
          await Promise.all(requests);
          if (scheme === 'https') {
            // Domains no probe asked for still need a certificate.
            for (const d of input.domains) {
              if (!tlsSeen.has(d)) tlsSeen.set(d, await sendRequest(network, { scheme, host: d, port: l.port, path: '/', connectAddress: l.address }));
            }
            for (const [host, r] of tlsSeen) if (!isIP(host)) items.push({ ...tlsItem(host, r, input.now), name: `TLS ${host}${listenerLabel(l, many)}` });
          }
        }
        await Promise.all(requests);
        attempted += sent.length;
        unreachable += sent.filter((r) => r.error && UNREACHABLE_CODES.has(r.error.code)).length;
      }),
    );

    if (input.internal && !network.reachesPrivateAddresses && attempted > 0 && unreachable === attempted) {
      results.push(
        skipped(
          id,
          `not reachable from here: ${listeners.map((l) => `${listenerAddress(l)}`).join(', ')} ${listeners.length === 1 ? 'is an internal address' : 'are internal addresses'}`,
          `run \`serverless-lb verify\` from a VM in VPC network ${input.network ?? 'default'} (in a region with a forwarding rule), or through a VPN/Interconnect into it`,
        ),
      );
      continue;
    }
    if (items.length === 0) {
      results.push(failed(id, 'nothing to request'));
      continue;
    }
    items.sort((a, b) => a.name.localeCompare(b.name));
    const tlsCount = items.filter((i) => i.name.startsWith('TLS ')).length;
    const routed = items.length - tlsCount;
    const statusNote = network.namesBackends || protocol === 'HTTP' && listeners.every((l) => l.redirectToHttps) ? '' : ' (status-based: a response cannot tell which backend answered)';
    const okDetail = listeners.every((l) => l.redirectToHttps)
      ? `HTTP redirects to HTTPS (301) on ${listeners.map((l) => `${listenerAddress(l)}`).join(', ')}`
      : `${routed} request${routed === 1 ? '' : 's'} through ${listeners.map((l) => `${listenerAddress(l)}`).join(', ')} answered as routed${statusNote}${tlsCount ? `; TLS valid for ${tlsCount} host${tlsCount === 1 ? '' : 's'}` : ''}`;
    results.push(fromItems(id, items, okDetail));
  }
  return { results, outcomes };
}
