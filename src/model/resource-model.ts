/**
 * The resource model shared by the desired graph, the diff, the renderers and the Cloud port.
 *
 * A DesiredResource is one Google resource the load balancer needs, described by the exact request
 * body its API takes (Compute Engine v1 / Cloud Run v2 / Cloud DNS v1, camelCase, as on the wire),
 * with references written as project-relative paths (`projects/P/global/backendServices/N`).
 * Two kinds of value never appear inline in a body: file contents and secrets. They appear as
 * FileRef / SecretRef placeholders, so a plan can be printed, exported and saved without leaking
 * a private key or an OAuth client secret; only apply (src/cloud) resolves them.
 *
 * Pure data: no I/O.
 */

/**
 * Every kind serverless-lb knows. Each has one module in src/kinds/ and a line in
 * src/kinds/registry.ts, whose order is the creation order.
 */
export type ResourceKind =
  | 'network'
  | 'subnetwork'
  | 'address'
  | 'sslCertificate'
  | 'dnsAuthorization'
  | 'certManagerCertificate'
  | 'certificateMap'
  | 'certificateMapEntry'
  | 'trustConfig'
  | 'serverTlsPolicy'
  | 'securityPolicy'
  | 'sslPolicy'
  | 'networkEndpointGroup'
  | 'backendService'
  | 'urlMap'
  | 'targetHttpsProxy'
  | 'targetHttpProxy'
  | 'forwardingRule'
  | 'dnsRecordSet'
  | 'cloudRunIngress'
  | 'cloudRunInvoker'
  | 'cloudRunDefaultUrl';

/** `global`, or `regions/<region>` (docs/cli.md plan JSON). */
export type Scope = 'global' | `regions/${string}`;

/**
 * Contents of a (non-secret) file, read at apply time: a certificate chain, CA certificates.
 * `sha256` (certificatesDigest of the file, filled in by the CLI before it plans against what
 * exists) lets the plan see that the file now holds other certificates than Google has.
 */
export interface FileRef {
  $file: string;
  sha256?: string;
}
/** A secret, read at apply time from a file or an environment variable; never printed. */
export interface SecretRef {
  $secret: { file?: string; env?: string; what: string };
}

/**
 * A value known only once another resource exists: `field` (a dotted path) of the resource `id`
 * as the API returns it (the IP of an address or of a forwarding rule, a DNS authorization's
 * `dnsResourceRecord.data`, for DNS records). Resolved at apply.
 */
export interface OutputRef {
  $output: { id: string; field: string };
}

/** The value at the dotted `field` of a body (what an OutputRef names). */
export function outputValue(body: Record<string, unknown> | undefined, field: string): unknown {
  let value: unknown = body;
  for (const key of field.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === 'object' && value !== null && typeof (value as OutputRef).$output === 'object';
}

export function isFileRef(value: unknown): value is FileRef {
  return typeof value === 'object' && value !== null && typeof (value as FileRef).$file === 'string';
}
export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && typeof (value as SecretRef).$secret === 'object';
}

/** The region of a scope, or undefined for `global`. */
export function regionOf(scope: Scope): string | undefined {
  return scope === 'global' ? undefined : scope.slice('regions/'.length);
}

/** Stable identifier of a resource (and of the plan step acting on it). */
export function resourceId(kind: ResourceKind, scope: Scope, name: string): string {
  return `${kind}:${scope}:${name}`;
}

export interface DesiredResource {
  /** resourceId(kind, scope, name) */
  id: string;
  kind: ResourceKind;
  name: string;
  scope: Scope;
  project: string;
  /**
   * The API request body (insert for compute kinds). For `cloudRunIngress` it is
   * `{ingress}` applied with an update mask to the Cloud Run service named `name`; for
   * `dnsRecordSet` a Cloud DNS ResourceRecordSet in `zone`.
   */
  body: Record<string, unknown>;
  /** Ids of the resources this one references; they must exist before it is created. */
  dependsOn: string[];
  /**
   * true: created, owned (ownership mark) and deleted by serverless-lb.
   * false: an existing resource the user named (address, certificate, policy, proxy-only subnet,
   * network): read and referenced, never modified or deleted.
   * `cloudRunIngress` is managed (the tool sets it) on the user's service: its marks are the
   * load balancers recorded in the service annotation `serverless-lb/ingress`, and deleting it
   * takes this load balancer's need out (the previous ingress comes back with the last one).
   */
  managed: boolean;
  /** Cloud DNS managed zone, for dnsRecordSet. */
  zone?: string;
  /** One line for humans: what this resource is for. */
  purpose: string;
}

/** The complete set of resources a Spec implies. Order: a valid creation order. */
export interface DesiredGraph {
  lbName: string;
  project: string;
  resources: DesiredResource[];
}

/** A resource as read from the API (GET body, `_`-prefixed SDK keys stripped). */
export interface ObservedResource {
  id: string;
  kind: ResourceKind;
  name: string;
  scope: Scope;
  body: Record<string, unknown>;
}

/** What exists now, keyed by resource id. Absent key: the resource does not exist. */
export type ObservedState = ReadonlyMap<string, ObservedResource>;

export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'noop';

export interface FieldChange {
  /** Dotted path in the body, e.g. `cdnPolicy.cacheMode`. */
  field: string;
  from: unknown;
  to: unknown;
}

export interface PlanStep {
  /** Equal to the resource id. */
  id: string;
  action: PlanAction;
  kind: ResourceKind;
  name: string;
  scope: Scope;
  /** Step ids that must finish before this one starts (for delete steps: reversed edges). */
  dependsOn: string[];
  /** The desired resource (absent for delete steps of resources no longer desired). */
  resource?: DesiredResource;
  /** Fields that differ, for update and replace. */
  changes: FieldChange[];
  /** Why this action, for humans ("exists, owned, matches"; "target changed: NEGs are immutable"). */
  reason: string;
  /**
   * A change this plan leaves for a later run, and what it waits for: an old certificate kept
   * serving (action noop) until its replacement is ACTIVE, then detached and deleted.
   */
  pending?: { waitsFor: string; reason: string };
  /** What the step interrupts, for whom, for how long (the kind's `plan.disruption`). */
  disruption?: string;
}

/** A problem that stops the plan from being applied (e.g. an unowned resource in the way). */
export interface PlanBlocker {
  id: string;
  message: string;
  hint: string;
}

export interface Plan {
  lbName: string;
  project: string;
  steps: PlanStep[];
  blockers: PlanBlocker[];
  summary: Record<Exclude<PlanAction, 'replace'> | 'replace', number>;
}
