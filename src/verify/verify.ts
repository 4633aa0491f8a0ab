/**
 * Verification: runs the checks against a live load balancer in phases under one deadline
 * (DESIGN.md habit 7): DNS first, then the certificate, then HTTP(S) through the load balancer,
 * then TLS and route rules (once HTTP(S) answers), then Cloud Run ingress (and IAP). DNS, the certificate and HTTP(S) are retried until they pass
 * or `waitMs` has passed (0: once each); ingress and IAP run once, after HTTP(S).
 * Progress is emitted as typed events; the result is a VerifyReport. Never prompts, never prints.
 */
import type { Cloud } from '../cloud/port.js';
import type { Network } from './network.js';
import { checkDns, type DomainResolution } from './dns-check.js';
import { checkCertificates } from './certificate-check.js';
import { checkHttp, type HttpCheckOutput } from './http-check.js';
import { checkIngress } from './ingress-check.js';
import { checkIap } from './iap-check.js';
import { checkRoutes } from './routes-check.js';
import { checkTls } from './tls-check.js';
import { checkMtls } from './mtls-check.js';
import { pollUntil, systemClock, type Clock } from './poll.js';
import { failed, makeReport, type CheckId, type CheckResult, type VerifyReport } from './report.js';
import type { VerifyTarget } from './target.js';

/** How long verify waits for DNS and certificates right after apply. */
export const DEFAULT_WAIT_AFTER_APPLY_MS = 120_000;
/** The same against the emulator (its certificates turn ACTIVE within seconds). */
export const DEFAULT_WAIT_AFTER_APPLY_EMULATOR_MS = 10_000;

export type VerifyPhase = 'dns' | 'certificate' | 'http' | 'ingress';

export type VerifyEvent =
  | { type: 'verify-start'; waitMs: number; network: string; resolver: string }
  | { type: 'verify-attempt'; phase: VerifyPhase; attempt: number; ok: boolean; willRetry: boolean; elapsedMs: number; remainingMs: number; detail: string }
  | { type: 'verify-check'; id: CheckId; ok: boolean; status: string; detail: string; elapsedMs: number }
  | { type: 'verify-done'; ok: boolean; elapsedMs: number };

export interface VerifyDeps {
  cloud: Pick<Cloud, 'get' | 'getRunService'>;
  network: Network;
  clock?: Clock;
  signal?: AbortSignal;
  onEvent?: (event: VerifyEvent) => void;
}

export interface VerifyOptions {
  /** How long DNS, certificates and HTTP(S) may take to settle; 0 checks once. */
  waitMs: number;
  /** Requests sent per weighted split (routes check); default DEFAULT_SPLIT_SAMPLE. */
  splitSample?: number;
}

function summary(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.id}: ${r.ok ? (r.status === 'skipped' ? 'skipped' : 'ok') : r.detail}`).join('; ');
}

/** The report for a load balancer whose data path does not exist. */
function notThere(target: VerifyTarget): CheckResult[] {
  const detail = `the load balancer is not there: ${target.missing.slice(0, 4).join(', ')}${target.missing.length > 4 ? ', ...' : ''} ${target.missing.length === 1 ? 'does' : 'do'} not exist`;
  const hint = 'run `serverless-lb apply` (`serverless-lb status` shows what exists)';
  const ids: CheckId[] = [...(target.domains.length ? (['dns'] as const) : []), target.hasHttps ? 'https' : 'http', ...(target.hasHttps ? (['certificate'] as const) : []), 'ingress'];
  return ids.map((id) => failed(id, detail, hint));
}

export async function runVerification(target: VerifyTarget, deps: VerifyDeps, options: VerifyOptions): Promise<VerifyReport> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const deadline = started + Math.max(0, options.waitMs);
  const emit = (e: VerifyEvent) => deps.onEvent?.(e);
  const elapsed = () => clock.now() - started;
  const { network, cloud } = deps;
  emit({ type: 'verify-start', waitMs: options.waitMs, network: network.description, resolver: network.resolver.description });

  const checks: CheckResult[] = [];
  const record = (r: CheckResult) => {
    checks.push(r);
    emit({ type: 'verify-check', id: r.id, ok: r.ok, status: r.status, detail: r.detail, elapsedMs: elapsed() });
  };
  const attemptEvent = (phase: VerifyPhase, results: readonly CheckResult[], attempt: number, willRetry: boolean) =>
    emit({ type: 'verify-attempt', phase, attempt, ok: results.every((r) => r.ok), willRetry, elapsedMs: elapsed(), remainingMs: Math.max(0, deadline - clock.now()), detail: summary(results) });
  const poll = { clock, deadline, ...(deps.signal ? { signal: deps.signal } : {}) };

  if (target.listeners.length === 0) {
    for (const r of notThere(target)) record(r);
    const report = makeReport(checks, elapsed());
    emit({ type: 'verify-done', ok: report.ok, elapsedMs: report.elapsedMs });
    return report;
  }

  // Phase 1: DNS.
  const dnsInput = { domains: target.domains, addresses: target.addresses, ...(target.dnsZone ? { dnsZone: target.dnsZone } : {}) };
  const dns = await pollUntil(
    () => checkDns(dnsInput, network.resolver),
    (d) => d.result.ok,
    { ...poll, onAttempt: (d, n, again) => attemptEvent('dns', [d.result], n, again) },
  );
  record(dns.result);
  const resolutions: DomainResolution[] = dns.resolutions;

  // Phase 2: the certificate (HTTPS only).
  if (target.hasHttps) {
    const cert = await pollUntil(
      () => checkCertificates({ certificates: target.certificates, certificateManager: target.certificateManager, domains: target.domains, dns: resolutions, now: clock.now() }, cloud),
      (r) => r.ok,
      { ...poll, onAttempt: (r, n, again) => attemptEvent('certificate', [r], n, again) },
    );
    record(cert);
  }

  // Phase 3: HTTP(S) through the load balancer (a listener that requires a client certificate
  // only with the key pair given to verify).
  const certificateMissing = target.mtls?.mode === 'REJECT_INVALID' && !network.clientCertificate;
  const http: HttpCheckOutput = await pollUntil(
    () => checkHttp({ listeners: target.listeners, probes: target.probes, domains: target.domains, internal: target.internal, ...(target.network ? { network: target.network } : {}), now: clock.now(), clientCertificateMissing: certificateMissing }, network),
    (h) => h.results.every((r) => r.ok),
    { ...poll, onAttempt: (h, n, again) => attemptEvent('http', h.results, n, again) },
  );
  const missingRules = target.missing.filter((m) => m.startsWith('forwardingRule') || m.startsWith('target'));
  for (const r of http.results) {
    if (missingRules.length > 0) {
      r.items = [...(r.items ?? []), { name: 'missing', ok: false, detail: `${missingRules.join(', ')} do not exist`, hint: 'run `serverless-lb apply`' }];
      r.ok = false;
      r.status = 'fail';
      r.detail = `${missingRules.join(', ')} do not exist; ${r.detail}`;
      r.hint ??= 'run `serverless-lb apply`';
      missingRules.length = 0;
    }
    record(r);
  }

  // Phase 3b: TLS and route rules, once HTTP(S) answers (not where it could not be reached from here).
  if (target.mtls) {
    const mtls = await checkMtls({ listeners: target.listeners, ...(target.domains[0] ? { host: target.domains[0] } : {}), mode: target.mtls.mode }, network);
    if (mtls) record(mtls);
  }
  if (http.results.some((r) => r.status === 'pass')) {
    const tls = await checkTls({ listeners: target.listeners, ...(target.domains[0] ? { host: target.domains[0] } : {}), ...target.tls }, network);
    if (tls) record(tls);
    const routes = await checkRoutes({ listeners: target.listeners, ...target.routeRules, ...(options.splitSample !== undefined ? { sample: options.splitSample } : {}) }, network);
    if (routes) record(routes);
  }

  // Phase 4: Cloud Run ingress, and IAP.
  const ingress = await checkIngress({ services: target.runServices, notes: target.ingressNotes, outcomes: http.outcomes, lbName: target.lbName }, cloud, network);
  attemptEvent('ingress', [ingress], 1, false);
  record(ingress);
  if (target.iapBackends.length > 0) record(await checkIap({ backends: target.iapBackends, outcomes: http.outcomes }, cloud, network));

  const report = makeReport(checks, elapsed());
  emit({ type: 'verify-done', ok: report.ok, elapsedMs: report.elapsedMs });
  return report;
}
