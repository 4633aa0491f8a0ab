/**
 * The ownership mark: how a resource says "serverless-lb created this for load balancer X". Each
 * kind says how it carries it (src/kinds/<kind>.ts `ownership`):
 *
 * - Kinds whose resource takes labels (addresses, forwarding rules, security policies) carry the
 *   label `serverless-lb: <lbName>`.
 * - Every owned compute resource also starts its `description` with `[serverless-lb:<lbName>]`,
 *   which is the mark itself for kinds without labels (SSL certificates, NEGs, backend services,
 *   URL maps, target proxies, subnetworks) and a hint for humans everywhere.
 * - A Cloud Run service whose ingress or invoker members serverless-lb set names every load
 *   balancer that fronts it in annotations (src/kinds/cloud-run-shares.ts): such a setting has
 *   several owners (ownersOf), and each load balancer's teardown takes out only its own share.
 * - Cloud DNS record sets take neither; see diff.ts for how DNS records are recognised (they
 *   point at an address this LB owns).
 *
 * Teardown deletes only resources whose mark names the load balancer. Pure: no I/O.
 */
import { kindModule } from '../kinds/registry.js';
import { MARKER_PATTERN, OWNER_LABEL, ownerMarker } from '../model/ownership-marks.js';
import type { DesiredResource, ObservedResource, ResourceKind } from '../model/resource-model.js';

export { OWNER_LABEL, ownerMarker, RUN_OWNER_ANNOTATION } from '../model/ownership-marks.js';

/** Compute descriptions are limited to 2048 characters. */
const MAX_DESCRIPTION = 2048;

/**
 * Returns `body` with the ownership mark of `lbName` added for `kind` (labels where the kind takes
 * them, the description marker followed by `purpose`). Other keys are kept as they are.
 */
export function withOwnership(kind: ResourceKind, lbName: string, body: Record<string, unknown>, purpose: string): Record<string, unknown> {
  const mark = kindModule(kind).ownership;
  const out: Record<string, unknown> = { ...body };
  if (mark.description) out.description = `${ownerMarker(lbName)} ${purpose}`.slice(0, MAX_DESCRIPTION);
  if (mark.labels) {
    const labels = (typeof body.labels === 'object' && body.labels !== null ? body.labels : {}) as Record<string, string>;
    out.labels = { ...labels, [OWNER_LABEL]: lbName };
  }
  return out;
}

/**
 * Every load balancer the ownership marks of an observed resource name: one for a resource
 * serverless-lb created, several for a setting load balancers share (a Cloud Run service's ingress).
 */
export function ownersOf(kind: ResourceKind, body: Record<string, unknown>): string[] {
  const owners = kindModule(kind).ownership.owners;
  if (owners) return owners(body);
  const one = ownerOf(kind, body);
  return one === undefined ? [] : [one];
}

/**
 * The load balancer named by the ownership mark of an observed resource (the first, for a shared
 * setting), or undefined when it carries none. The label wins over the description where both exist.
 */
export function ownerOf(kind: ResourceKind, body: Record<string, unknown>): string | undefined {
  const mark = kindModule(kind).ownership;
  if (mark.owners) return mark.owners(body)[0];
  if (mark.labels) {
    const labels = body.labels;
    if (typeof labels === 'object' && labels !== null) {
      const value = (labels as Record<string, unknown>)[OWNER_LABEL];
      if (typeof value === 'string' && value.length > 0) return value;
    }
  }
  if (mark.description && typeof body.description === 'string') {
    const match = MARKER_PATTERN.exec(body.description);
    if (match) return match[1];
  }
  return undefined;
}

/** Whether a mark of the observed resource names `lbName` (one of several, for a shared setting). */
export function isOwnedBy(kind: ResourceKind, body: Record<string, unknown>, lbName: string): boolean {
  return ownersOf(kind, body).includes(lbName);
}

/**
 * Whether a create that found `existing` under its name may take it as done: it carries this load
 * balancer's mark, or (kinds with no mark, DNS records) it points at exactly what the resolved
 * `desired` points at, which only this load balancer's own addresses can be (another run of the
 * same config made it a moment ago).
 */
export function adoptable(existing: ObservedResource, desired: DesiredResource, lbName: string, owned: typeof isOwnedBy = isOwnedBy): boolean {
  if (owned(existing.kind, existing.body, lbName)) return true;
  const pointsAt = kindModule(existing.kind).ownership.pointsAt;
  if (!pointsAt) return false;
  const want = pointsAt(desired.body).sort();
  const have = pointsAt(existing.body).sort();
  return want.length > 0 && want.length === have.length && want.every((v, i) => v === have[i]);
}
