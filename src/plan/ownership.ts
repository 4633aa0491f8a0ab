/**
 * The ownership mark: how a resource says "serverless-lb created this for load balancer X".
 *
 * - Kinds whose Compute Engine v1 resource takes labels (addresses, forwarding rules, security
 *   policies) carry the label `serverless-lb: <lbName>`.
 * - Every owned compute resource also starts its `description` with `[serverless-lb:<lbName>]`,
 *   which is the mark itself for kinds without labels (SSL certificates, NEGs, backend services,
 *   URL maps, target proxies, subnetworks) and a hint for humans everywhere.
 * - A Cloud Run service whose ingress serverless-lb set carries the annotation
 *   `serverless-lb/owner: <lbName>` (written by the Cloud port with the ingress change); the
 *   observed `cloudRunIngress` body is `{ingress, annotations}`.
 * - Cloud DNS record sets take neither; see diff.ts for how DNS records are recognised (they
 *   point at an address this LB owns).
 *
 * Teardown deletes only resources whose mark names the load balancer. Pure: no I/O.
 */
import type { ResourceKind } from './resource-model.js';

export const OWNER_LABEL = 'serverless-lb';
/** Cloud Run service annotation naming the LB that set the service's ingress. */
export const RUN_OWNER_ANNOTATION = 'serverless-lb/owner';

/** Kinds whose Compute Engine v1 resource has a `labels` map. */
export const LABELED_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['address', 'forwardingRule', 'securityPolicy']);

/** Kinds that carry the description marker. */
export const DESCRIBED_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'subnetwork',
  'address',
  'sslCertificate',
  'securityPolicy',
  'networkEndpointGroup',
  'backendService',
  'urlMap',
  'targetHttpProxy',
  'targetHttpsProxy',
  'forwardingRule',
]);

/** Compute descriptions are limited to 2048 characters. */
const MAX_DESCRIPTION = 2048;

export function ownerMarker(lbName: string): string {
  return `[${OWNER_LABEL}:${lbName}]`;
}

const MARKER_PATTERN = /^\[serverless-lb:([a-z]([-a-z0-9]*[a-z0-9])?)\]/;

/**
 * Returns `body` with the ownership mark of `lbName` added for `kind` (labels where the kind takes
 * them, the description marker followed by `purpose`). Other keys are kept as they are.
 */
export function withOwnership(kind: ResourceKind, lbName: string, body: Record<string, unknown>, purpose: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (DESCRIBED_KINDS.has(kind)) {
    out.description = `${ownerMarker(lbName)} ${purpose}`.slice(0, MAX_DESCRIPTION);
  }
  if (LABELED_KINDS.has(kind)) {
    const labels = (typeof body.labels === 'object' && body.labels !== null ? body.labels : {}) as Record<string, string>;
    out.labels = { ...labels, [OWNER_LABEL]: lbName };
  }
  return out;
}

/**
 * The load balancer named by the ownership mark of an observed resource, or undefined when it
 * carries none. The label wins over the description where both exist.
 */
export function ownerOf(kind: ResourceKind, body: Record<string, unknown>): string | undefined {
  if (kind === 'cloudRunIngress') {
    const annotations = body.annotations;
    if (typeof annotations !== 'object' || annotations === null) return undefined;
    const value = (annotations as Record<string, unknown>)[RUN_OWNER_ANNOTATION];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }
  if (LABELED_KINDS.has(kind)) {
    const labels = body.labels;
    if (typeof labels === 'object' && labels !== null) {
      const value = (labels as Record<string, unknown>)[OWNER_LABEL];
      if (typeof value === 'string' && value.length > 0) return value;
    }
  }
  if (DESCRIBED_KINDS.has(kind) && typeof body.description === 'string') {
    const match = MARKER_PATTERN.exec(body.description);
    if (match) return match[1];
  }
  return undefined;
}

export function isOwnedBy(kind: ResourceKind, body: Record<string, unknown>, lbName: string): boolean {
  return ownerOf(kind, body) === lbName;
}
