/** The knobs and records of the in-memory Cloud (memory-cloud.ts): options, faults, the call log. */
import type { ResourceKind, Scope } from '../model/resource-model.js';
import type { ManagedZoneInfo, Quota, RegionInfo, RunServiceInfo, SubnetworkInfo } from './port.js';

export type MemoryMethod = 'get' | 'list' | 'insert' | 'update' | 'delete' | 'read';

export interface MemoryCall {
  method: MemoryMethod;
  /** Resource id, or `kind:scope` for list, or what was read. */
  target: string;
  requestId?: string;
}

export interface MemoryFault {
  method: MemoryMethod | '*';
  /** Resource id (exact), or a pattern matched against it. Absent: every target. */
  target?: string | RegExp;
  /** Google reason to fail with (status, hint and retryability follow it). */
  reason: string;
  /** How many calls fail (default: every matching call). */
  times?: number;
  /** Fail as a finished operation with an error, rather than at the HTTP call. */
  fromOperation?: boolean;
  /** Fail after applying the change (the call's answer is lost): tests requestId idempotency. */
  afterApply?: boolean;
}

export interface MemoryCloudOptions {
  project?: string;
  /** ms each call takes: a number, or per call. */
  latencyMs?: number | ((method: MemoryMethod, target: string) => number);
  runServices?: RunServiceInfo[];
  subnetworks?: SubnetworkInfo[];
  /** Regions that exist (default: any well-formed region exists, with generous quotas). */
  regions?: RegionInfo[];
  projectQuotas?: Quota[];
  /** Resources present at the start. */
  resources?: Array<{ kind: ResourceKind; scope: Scope; name: string; body: Record<string, unknown>; zone?: string }>;
  /** Other serverless targets that exist: `cloudFunction:REGION/NAME`, `appEngine:SERVICE[/VERSION]` (`appEngine:` for the app), `apiGateway:REGION/GATEWAY`. */
  serverlessTargets?: string[];
  /** Fail reading the project (the first read preflight makes) with this reason (e.g. `credentialsMissing`, `accessNotConfigured`). */
  accessError?: string;
  /** Cloud DNS managed zones that exist. */
  managedZones?: ManagedZoneInfo[];
  /** roles/run.invoker members of seeded Cloud Run services, by service name (default `['allUsers']`). */
  runInvokers?: Record<string, string[]>;
  /** Permissions the caller lacks (heldPermissions leaves them out). */
  deniedPermissions?: string[];
  /** APIs turned off (enabledApis leaves them out of MEMORY_APIS). */
  disabledApis?: string[];
}

/** The APIs a memory cloud has on unless told otherwise. */
export const MEMORY_APIS = ['certificatemanager.googleapis.com', 'cloudresourcemanager.googleapis.com', 'compute.googleapis.com', 'dns.googleapis.com', 'iap.googleapis.com', 'run.googleapis.com', 'serviceusage.googleapis.com'] as const;

/** The Certificate Manager collection of a seeded resource's kind. */
export const CERTIFICATE_MANAGER_COLLECTIONS: Partial<Record<ResourceKind, string>> = {
  certManagerCertificate: 'certificates',
  certificateMap: 'certificateMaps',
  dnsAuthorization: 'dnsAuthorizations',
};

/** Google Cloud's public regions, for a memory cloud configured without its own list. */
export const PUBLIC_REGIONS = [
  'africa-south1', 'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2', 'asia-northeast3', 'asia-south1', 'asia-south2',
  'asia-southeast1', 'asia-southeast2', 'australia-southeast1', 'australia-southeast2', 'europe-central2', 'europe-north1', 'europe-north2',
  'europe-southwest1', 'europe-west1', 'europe-west10', 'europe-west12', 'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6',
  'europe-west8', 'europe-west9', 'me-central1', 'me-central2', 'me-west1', 'northamerica-northeast1', 'northamerica-northeast2',
  'northamerica-south1', 'southamerica-east1', 'southamerica-west1', 'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1',
  'us-west1', 'us-west2', 'us-west3', 'us-west4',
] as const;
