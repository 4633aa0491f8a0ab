/**
 * The ingress check: the serverless default URL no longer bypasses the load balancer.
 *
 * For each Cloud Run service behind the load balancer (named services; masked ones cannot be known):
 * - its ingress, read through the Cloud port (Run API), is the one apply sets
 *   (options.ingress; `unchanged` accepts whatever it is and says so), or, where other load
 *   balancers share the service (its `serverless-lb/ingress` annotation), the narrowest one that
 *   serves them all;
 * - a direct, unauthenticated request to its default URL is refused (403/404 or no connection)
 *   unless its ingress is meant to be "all";
 * - the same path through the load balancer succeeded (from the http/https check).
 */
import type { Cloud, RunServiceInfo } from '../cloud/port.js';
import type { Network } from './network.js';
import { sendRequest } from './http-client.js';
import type { ProbeOutcome } from './http-check.js';
import { fromItems, skipped, type CheckItem, type CheckResult } from './report.js';
import type { RunServiceTarget } from './target.js';
import { ingressServingAll, ingressShares, otherSharers, sharersText } from '../kinds/cloud-run-shares.js';

export interface IngressCheckInput {
  services: readonly RunServiceTarget[];
  notes: readonly string[];
  /** Requests through the load balancer (http/https check), to show the same path works there. */
  outcomes: readonly ProbeOutcome[];
  /** The load balancer verified: other load balancers recorded on a service widen its expected ingress. */
  lbName?: string;
}

const INGRESS_FLAG: Record<string, string> = {
  INGRESS_TRAFFIC_ALL: 'all',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'internal-and-cloud-load-balancing',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'internal',
};

/**
 * The same service through the load balancer: `refused` when the load balancer answered 403/404
 * for it (the backend may be refusing the load balancer: ingress too narrow), `failed` when the
 * request failed otherwise (TLS, DNS, connection: the http/https check reports it).
 */
function lbSide(s: RunServiceTarget, outcomes: readonly ProbeOutcome[]): { state: 'ok' | 'refused' | 'failed' | 'none'; text: string } {
  const mine = outcomes.filter((o) => o.probe.expect.backend === s.backend && !o.listener.redirectToHttps);
  if (mine.length === 0) return { state: 'none', text: 'no request through the load balancer routes to it' };
  const ok = mine.find((o) => o.ok);
  if (ok) return { state: 'ok', text: `through the load balancer: ${ok.result.status} for ${ok.result.url}` };
  const first = mine[0]!;
  if (first.result.status === 403 || first.result.status === 404) return { state: 'refused', text: `through the load balancer: ${first.result.status} for ${first.result.url}` };
  return { state: 'failed', text: `through the load balancer: not confirmed (${first.result.error?.message ?? first.result.status}; see the http/https check)` };
}

/** The service's target with the ingress that also serves the other load balancers recorded on it. */
function withSharers(s: RunServiceTarget, info: { ingress: string; annotations: Record<string, string> }, lbName: string | undefined): { s: RunServiceTarget; shared: string } {
  if (!s.expectedIngress) return { s, shared: '' };
  const shares = ingressShares(info.annotations, info.ingress);
  const others = otherSharers(shares, lbName);
  if (others.length === 0) return { s, shared: '' };
  const expectedIngress = ingressServingAll([s.expectedIngress, ...others.map((o) => shares.get(o)!)])!;
  return { s: { ...s, expectedIngress }, shared: ` (shared with ${sharersText(others)})` };
}

async function serviceItem(target: RunServiceTarget, cloud: Pick<Cloud, 'getRunService'>, network: Network, outcomes: readonly ProbeOutcome[], lbName: string | undefined): Promise<CheckItem> {
  const name = `Cloud Run ${target.service} (${target.region})`;
  const info = await cloud.getRunService(target.region, target.service);
  if (!info) return { name, ok: false, detail: 'does not exist', hint: `deploy Cloud Run service ${target.service} in ${target.region}, or fix the backend's service name` };
  const { s, shared } = withSharers(target, info, lbName);
  const fix = `re-run \`serverless-lb apply\` (it sets ingress), or: gcloud run services update ${s.service} --region ${s.region} --ingress ${INGRESS_FLAG[s.expectedIngress ?? ''] ?? 'internal-and-cloud-load-balancing'}`;
  if (s.expectedIngress && info.ingress !== s.expectedIngress) {
    return { name, ok: false, detail: `ingress is ${info.ingress}, expected ${s.expectedIngress}: ${info.ingress === 'INGRESS_TRAFFIC_ALL' ? 'its default URL bypasses the load balancer' : 'not what apply set'}`, hint: fix };
  }
  const lb = lbSide(s, outcomes);
  if (s.expectDefaultUrlDisabled) return defaultUrlItem(name, s, info, network, lb);
  // Refused through the load balancer fails here (an ingress too narrow for this LB type). A request
  // that failed for another reason (routing, TLS, DNS) fails the http/https check, which names it;
  // this item says "not confirmed" rather than failing a second time for the same cause.
  const lbOk = lb.state !== 'refused';
  const lbHint = `the load balancer's request was refused: an ingress of ${info.ingress} ${s.expectedIngress === 'INGRESS_TRAFFIC_INTERNAL_ONLY' ? '' : 'may be '}too narrow for this load balancer type, or the service refuses unauthenticated requests (roles/run.invoker)`;
  if (!info.uri) return { name, ok: lbOk, detail: `ingress ${info.ingress}; no default URL to try; ${lb.text}`, ...(lbOk ? {} : { hint: lbHint }) };
  const url = new URL(info.uri);
  const direct = await sendRequest(network, { scheme: url.protocol === 'http:' ? 'http' : 'https', host: url.hostname, port: Number(url.port) || (url.protocol === 'http:' ? 80 : 443), path: '/' });
  const refused = direct.status === 403 || direct.status === 404;
  const directText = direct.error ? `no connection (${direct.error.code})` : `${direct.status}`;
  if (!s.expectedIngress) {
    const open = info.ingress === 'INGRESS_TRAFFIC_ALL';
    return { name, ok: true, detail: `ingress left unchanged (options.ingress: unchanged): ${info.ingress}; default URL ${info.uri} answered ${directText}${open ? ', so it bypasses the load balancer' : ''}; ${lb.text}` };
  }
  if (direct.error) {
    // A default URL this machine cannot reach proves nothing about what Cloud Run refuses.
    return {
      name,
      ok: false,
      detail: `ingress ${info.ingress} (read from the Run API), but the default URL ${info.uri} could not be reached from here (${direct.error.code}): its refusal is not confirmed; ${lb.text}`,
      hint: 'run verify from a machine that can reach *.run.app, or check with: curl -i ' + info.uri,
    };
  }
  if (!refused) {
    return { name, ok: false, detail: `ingress is ${info.ingress}, yet the default URL ${info.uri} answered ${directText} to a direct request`, hint: `${fix}; if it is already set, the change may still be propagating: re-run with --wait` };
  }
  return { name, ok: lbOk, detail: `ingress ${info.ingress}${shared}; default URL ${info.uri} refused a direct request (${directText}); ${lb.text}`, ...(lbOk ? {} : { hint: lbHint }) };
}

/** A service whose run.app URL apply turned off: it must be off, and nothing may answer there. */
async function defaultUrlItem(name: string, s: RunServiceTarget, info: RunServiceInfo, network: Network, lb: { state: string; text: string }): Promise<CheckItem> {
  const fix = `re-run \`serverless-lb apply\`, or: gcloud run services update ${s.service} --region ${s.region} --no-default-url`;
  if (info.defaultUriDisabled !== true) return { name, ok: false, detail: `the run.app URL is on (defaultUriDisabled is not set), though options.defaultUrl is disabled`, hint: fix };
  const lbOk = lb.state !== 'refused';
  if (!info.uri) return { name, ok: lbOk, detail: `ingress ${info.ingress}; run.app URL off (defaultUriDisabled); ${lb.text}` };
  const url = new URL(info.uri);
  const direct = await sendRequest(network, { scheme: url.protocol === 'http:' ? 'http' : 'https', host: url.hostname, port: Number(url.port) || (url.protocol === 'http:' ? 80 : 443), path: '/' });
  if (!direct.error && (direct.status ?? 0) < 400) return { name, ok: false, detail: `run.app URL off (defaultUriDisabled), yet ${info.uri} answered ${direct.status}`, hint: 'the change may still be propagating: re-run with --wait' };
  const seen = direct.error ? `no connection (${direct.error.code})` : `${direct.status}`;
  return { name, ok: lbOk, detail: `ingress ${info.ingress}; run.app URL off (defaultUriDisabled): ${info.uri} answered ${seen}; ${lb.text}` };
}

/** Runs the ingress check once. */
export async function checkIngress(input: IngressCheckInput, cloud: Pick<Cloud, 'getRunService'>, network: Network): Promise<CheckResult> {
  if (input.services.length === 0) {
    return skipped('ingress', input.notes.length ? input.notes.join('; ') : 'no Cloud Run service behind the load balancer');
  }
  const items = await Promise.all(input.services.map((s) => serviceItem(s, cloud, network, input.outcomes, input.lbName)));
  const noteText = input.notes.length ? ` (${input.notes.join('; ')})` : '';
  const expected = input.services[0]!.expectedIngress;
  const okDetail = expected
    ? `${items.length} Cloud Run service${items.length === 1 ? '' : 's'} let${items.length === 1 ? 's' : ''} the load balancer in; default URLs refuse direct requests${noteText}`
    : `ingress left unchanged on ${items.length} Cloud Run service${items.length === 1 ? '' : 's'}${noteText}`;
  return fromItems('ingress', items, okDetail);
}
