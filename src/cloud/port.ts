/**
 * The Cloud port: the narrow set of Google API calls serverless-lb makes, in the terms of the
 * resource model (src/model/resource-model.ts). The core (apply, read-state, preflight, verify)
 * receives a Cloud and never imports an SDK. Implementations:
 *   - GoogleCloud (google-cloud.ts): the Compute Engine v1 and Cloud Run v2 SDKs, Cloud DNS v1 REST;
 *     real Google Cloud or the local emulator.
 *   - MemoryCloud (memory-cloud.ts): in memory, for unit tests.
 *
 * Contracts every implementation keeps:
 *   - Every call has a deadline (CallOptions.timeoutMs, else the implementation's default) and
 *     honours CallOptions.signal; a call never hangs.
 *   - Every failure is a CloudError (src/errors.ts) with Google's reason, HTTP status, a hint and
 *     `retryable`. No SDK error class escapes.
 *   - Mutations (insert, update, delete) resolve only when Google has finished them (the
 *     long-running operation is DONE without error); a DONE operation with an error rejects.
 *   - Mutations carry the caller's requestId: repeating a call with the same requestId does not
 *     repeat the change.
 *   - Bodies read back have SDK-internal keys (`_`-prefixed) removed; references come back as
 *     Google returns them (full `https://www.googleapis.com/compute/v1/...` URLs).
 *   - FileRef / SecretRef placeholders in a DesiredResource body are resolved here, at call time,
 *     and never appear in errors or events.
 */
import type { RunIngressUpdate } from '../kinds/cloud-run-ingress.js';
import type { ResourceRef } from '../kinds/kind.js';
import type { RunService } from '../kinds/service-calls.js';
import type { DesiredResource, FieldChange, ObservedResource, ResourceKind, Scope } from '../model/resource-model.js';

export interface CallOptions {
  /** Deadline of the whole call (including waiting for the operation), in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The load balancer on whose behalf a mutation is made: written as the ownership mark where the
   * Cloud port writes it itself (the load balancer's entry in the `serverless-lb/ingress` and
   * `serverless-lb/invoker` annotations of a Cloud Run service). Compute bodies carry their marks already.
   */
  owner?: string;
}

/** Identifies one resource. `zone` (Cloud DNS managed zone) is required for dnsRecordSet. */
export type { ResourceRef };

/** One quota from `regions.get` or `projects.get`. */
export interface Quota {
  metric: string;
  limit: number;
  usage: number;
}

export interface RegionInfo {
  name: string;
  status: string;
  quotas: Quota[];
}

/** The fields of a Cloud Run service serverless-lb reads (name short, ingress as Google's enum name). */
export type RunServiceInfo = RunService;

/** A subnetwork, for the proxy-only subnet check. */
export interface SubnetworkInfo {
  name: string;
  region: string;
  /** Full URL of the network. */
  network: string;
  purpose: string;
  /** ACTIVE or BACKUP, for proxy-only subnets. */
  role?: string;
  state?: string;
  ipCidrRange?: string;
}

/** A Cloud DNS managed zone, for discovery. */
export interface ManagedZoneInfo {
  /** Zone name (`example-com`). */
  name: string;
  /** DNS name with the trailing dot (`example.com.`). */
  dnsName: string;
  visibility: 'public' | 'private';
}

/** Cloud Run ingress change, with the previous value recorded for teardown. */
export type { RunIngressUpdate };

/** What a serverless NEG points at, for the preflight existence check. */
export type ServerlessTarget =
  | { type: 'cloudRun'; region: string; service: string }
  | { type: 'cloudFunction'; region: string; name: string }
  | { type: 'appEngine'; service?: string; version?: string }
  | { type: 'apiGateway'; region: string; gateway: string };

export interface Cloud {
  /** The project every call goes to. */
  readonly project: string;
  /** Where the calls go, for messages: `Google Cloud` or `emulator at 127.0.0.1:8089`. */
  readonly target: string;

  /** One resource, or undefined when it does not exist. */
  get(ref: ResourceRef, options?: CallOptions): Promise<ObservedResource | undefined>;
  /**
   * Every resource of a kind in a scope (all pages). `filter` is Compute's list filter syntax;
   * for dnsRecordSet, `zone` is required.
   */
  list(kind: ResourceKind, scope: Scope, options?: CallOptions & { filter?: string; zone?: string }): Promise<ObservedResource[]>;
  /** Creates the resource (for cloudRunIngress: sets the service's ingress; for dnsRecordSet: creates the record set). */
  insert(resource: DesiredResource, requestId: string, options?: CallOptions): Promise<void>;
  /**
   * Changes an existing resource to match `resource`, using the narrowest call Google offers for
   * the changed fields (patch, update with fingerprint, setUrlMap, setSslCertificates, setTarget,
   * setLabels, setSecurityPolicy, security policy rule add/patch/remove). Rejects with reason
   * `notUpdatable` for a change that needs a replace.
   */
  update(resource: DesiredResource, observed: ObservedResource, changes: readonly FieldChange[], requestId: string, options?: CallOptions): Promise<void>;
  /**
   * Deletes the resource. Rejects with reason `notFound` when it does not exist (the walker counts
   * that as done). For cloudRunIngress: restores the ingress recorded when serverless-lb changed it.
   */
  delete(ref: ResourceRef, requestId: string, options?: CallOptions): Promise<void>;

  // Preflight and status reads.
  /** Global quotas (`projects.get`): also the read that proves the project resolves and the credentials work. */
  getProjectQuotas(options?: CallOptions): Promise<Quota[]>;
  /** The names of the regions the project may use (`regions.list`, all pages), for the wizard to offer. */
  listRegions(options?: CallOptions): Promise<string[]>;
  /** A region and its quotas; undefined when the region does not exist. */
  getRegion(region: string, options?: CallOptions): Promise<RegionInfo | undefined>;
  /** Subnetworks of a region (all purposes). */
  listSubnetworks(region: string, options?: CallOptions): Promise<SubnetworkInfo[]>;
  /**
   * The permissions of `permissions` the caller holds in the project (Cloud Resource Manager
   * projects.testIamPermissions, at most 100 at once).
   */
  heldPermissions(permissions: readonly string[], options?: CallOptions): Promise<string[]>;
  /** The APIs enabled in the project (Service Usage), by service name: `compute.googleapis.com`. */
  enabledApis(options?: CallOptions): Promise<string[]>;
  /** Every subnetwork of a VPC network (by name), in every region: one aggregated list. */
  listNetworkSubnetworks(network: string, options?: CallOptions): Promise<SubnetworkInfo[]>;
  getRunService(region: string, name: string, options?: CallOptions): Promise<RunServiceInfo | undefined>;
  listRunServices(region: string, options?: CallOptions): Promise<RunServiceInfo[]>;
  /** Cloud DNS managed zones of the project (all pages). */
  listManagedZones(options?: CallOptions): Promise<ManagedZoneInfo[]>;
  /** Whether a Cloud Run service, Cloud Function (1st gen), App Engine service/version or API Gateway gateway exists. */
  serverlessTargetExists(target: ServerlessTarget, options?: CallOptions): Promise<boolean>;
  /** Sets ingress (and annotations) with an update mask; resolves when the Run operation is done. */
  updateRunIngress(update: RunIngressUpdate, options?: CallOptions): Promise<void>;
  /** Releases clients and sockets. */
  close(): Promise<void>;
}

/**
 * Annotations serverless-lb writes on a Cloud Run service whose ingress it changes, in the same
 * masked update: each load balancer's need (src/kinds/cloud-run-shares.ts) and the ingress the
 * service had before, which the last teardown restores. Kept on the service rather than in a local file so that a
 * teardown from another machine or a CI job still knows it, and anyone looking at the service sees why
 * its ingress changed. Service-level annotations do not create a new revision.
 */
export { RUN_OWNER_ANNOTATION, RUN_PREVIOUS_INGRESS_ANNOTATION } from '../model/ownership-marks.js';

/** The ref of a desired resource. */
export function refOf(resource: Pick<DesiredResource, 'kind' | 'scope' | 'name' | 'zone' | 'body'> & { project?: string }): ResourceRef {
  const ref: ResourceRef = { kind: resource.kind, scope: resource.scope, name: resource.name };
  if (resource.zone !== undefined) ref.zone = resource.zone;
  if (resource.project !== undefined) ref.project = resource.project;
  if (resource.kind === 'dnsRecordSet' && typeof resource.body.type === 'string') ref.recordType = resource.body.type;
  return ref;
}

/** `insert backendService shop-web-bs` (regional: `... in us-central1`), for CloudError.operation. */
export function describeCall(verb: string, ref: { kind: ResourceKind; scope: Scope; name: string }): string {
  return `${verb} ${ref.kind} ${ref.name}${ref.scope === 'global' ? '' : ` in ${ref.scope.slice('regions/'.length)}`}`;
}
