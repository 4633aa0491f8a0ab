/**
 * A Cloud Run service fronted by several load balancers: what each one needs of it, kept on the
 * service itself so that every load balancer (and every machine) sees the others.
 *
 * Two annotations hold a JSON object from load balancer name to its need:
 *   `serverless-lb/ingress`  {"shop": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "intranet": "INGRESS_TRAFFIC_INTERNAL_ONLY"}
 *   `serverless-lb/invoker`  {"shop": ["allUsers"], "intranet": ["serviceAccount:..."]}
 * The service's setting is computed from all of them: the ingress is the narrowest one that serves
 * every load balancer (the widest need: an external and an internal load balancer together need
 * INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER); the invoker members are the union. A load balancer that
 * leaves takes its entry out and the setting is computed again from those that remain; the
 * service's original ingress (`serverless-lb/previous-ingress`) and IAM policy come back only when
 * the last one leaves.
 *
 * Services marked by earlier versions (one owner: `serverless-lb/owner` with the ingress it set,
 * `serverless-lb/invoker-owner` with the members in `serverless-lb/invoker-added`) read as a share
 * of that one load balancer; the next write moves them to the shared form.
 *
 * Pure: no I/O.
 */
import {
  RUN_INGRESS_SHARES_ANNOTATION,
  RUN_INVOKER_ADDED_ANNOTATION,
  RUN_INVOKER_OWNER_ANNOTATION,
  RUN_INVOKER_SHARES_ANNOTATION,
  RUN_OWNER_ANNOTATION,
} from '../model/ownership-marks.js';

/** Cloud Run ingress settings from the most open to the narrowest. */
const INGRESS_WIDTH = ['INGRESS_TRAFFIC_ALL', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', 'INGRESS_TRAFFIC_INTERNAL_ONLY'] as const;

function width(ingress: string): number {
  const i = INGRESS_WIDTH.indexOf(ingress as (typeof INGRESS_WIDTH)[number]);
  return i < 0 ? 0 : i;
}

/** The narrowest ingress that lets in everything each of `needs` lets in (the widest of them). */
export function ingressServingAll(needs: Iterable<string>): string | undefined {
  let out: string | undefined;
  for (const need of needs) if (out === undefined || width(need) < width(out)) out = need;
  return out;
}

function parseObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The annotations of an observed Cloud Run setting's body (`{}` when it has none). */
export function annotationsOf(body: Record<string, unknown>): Record<string, string> {
  return (typeof body.annotations === 'object' && body.annotations !== null ? body.annotations : {}) as Record<string, string>;
}

/** The ingress each load balancer needs of the service, from its annotations. */
export function ingressShares(annotations: Record<string, string>, currentIngress: string): Map<string, string> {
  const out = stringShares(annotations, RUN_INGRESS_SHARES_ANNOTATION);
  const legacy = annotations[RUN_OWNER_ANNOTATION];
  if (legacy && !out.has(legacy)) out.set(legacy, currentIngress);
  return out;
}

/** A share annotation whose values are strings (load balancer -> need), e.g. `serverless-lb/default-url`. */
export function stringShares(annotations: Record<string, string>, annotation: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [lb, need] of Object.entries(parseObject(annotations[annotation]))) if (typeof need === 'string') out.set(lb, need);
  return out;
}

/** The members each load balancer needs in roles/run.invoker, from the service's annotations. */
export function invokerShares(annotations: Record<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [lb, members] of Object.entries(parseObject(annotations[RUN_INVOKER_SHARES_ANNOTATION]))) {
    if (Array.isArray(members)) out.set(lb, members.filter((m): m is string => typeof m === 'string'));
  }
  const legacy = annotations[RUN_INVOKER_OWNER_ANNOTATION];
  if (legacy && !out.has(legacy)) out.set(legacy, addedMembers(annotations));
  return out;
}

/** The members serverless-lb added to roles/run.invoker (those it may remove again). */
export function addedMembers(annotations: Record<string, string>): string[] {
  return (annotations[RUN_INVOKER_ADDED_ANNOTATION] ?? '').split(',').filter((m) => m !== '');
}

/** The annotation value for a map of shares; `null` (remove the annotation) when it is empty. */
export function sharesAnnotation(shares: ReadonlyMap<string, unknown>): string | null {
  if (shares.size === 0) return null;
  return JSON.stringify(Object.fromEntries([...shares.entries()].sort(([a], [b]) => a.localeCompare(b))));
}

/** The shares with `lb` set to `need` (or taken out when `need` is undefined). */
export function withShare<T>(shares: ReadonlyMap<string, T>, lb: string, need: T | undefined): Map<string, T> {
  const out = new Map(shares);
  if (need === undefined) out.delete(lb);
  else out.set(lb, need);
  return out;
}

/** The load balancers other than `lb` that share the service, for plan reasons: "load balancer a (needs X)". */
export function otherSharers(shares: ReadonlyMap<string, unknown>, lb: string | undefined): string[] {
  return [...shares.keys()].filter((k) => k !== lb).sort();
}

/** "load balancer a" / "load balancers a and b". */
export function sharersText(names: readonly string[]): string {
  if (names.length === 1) return `load balancer ${names[0]}`;
  return `load balancers ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
