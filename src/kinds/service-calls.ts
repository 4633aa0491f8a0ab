/**
 * The calls of Google's other APIs (Cloud Run, Cloud DNS, Certificate Manager, Network Security)
 * that the service kinds (kind.ts `service`) are made of. The Cloud port implements them once for
 * Google (src/cloud/google-transport.ts) and once in memory (src/cloud/memory-service-calls.ts);
 * the kinds only see these interfaces, so planning loads no SDK.
 */

/** Makes the Cloud port's error (a CloudError with Google's reason, its status and hint). */
export type Fail = (operation: string, reason: string, message: string, extra?: { hint?: string; cause?: unknown }) => Error;

/** The calls of Google's other APIs the service kinds are made of, provided by the Cloud port. */
export interface ServiceCalls {
  readonly project: string;
  /** The error to throw (kinds do not import the Cloud port, so that planning loads none of it). */
  readonly fail: Fail;
  /** One Cloud DNS v1 REST call (path after `/dns/v1/`). */
  dns<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, operation: string, data?: unknown, params?: Record<string, string>): Promise<T>;
  getRunService(region: string, name: string): Promise<RunService | undefined>;
  listRunServices(region: string): Promise<RunService[]>;
  /** Sets ingress and annotations with one masked update; resolves when it is done. */
  updateRunService(update: { region: string; service: string; ingress: string; annotations?: Record<string, string | null> }, current: RunService): Promise<void>;
  /** The Cloud Run service's IAM policy (`{}` for one without bindings). */
  getRunIamPolicy(region: string, service: string): Promise<IamPolicy>;
  /** Sets the policy; the etag it carries makes a concurrent change fail with reason `conflict`. */
  setRunIamPolicy(region: string, service: string, policy: IamPolicy): Promise<void>;
  /**
   * Changes only the service's annotations (`null` removes one) and, when given, its access
   * switches (`invokerIamDisabled`, `defaultUriDisabled`), with one masked update.
   */
  annotateRunService(region: string, service: string, annotations: Record<string, string | null>, current: RunService, switches?: RunSwitches): Promise<void>;
  /** The project's number (service agents are named by it). */
  projectNumber(): Promise<string>;
  /** Network Security v1 server TLS policies (mutual TLS on the HTTPS proxy). */
  networkSecurity: NetworkSecurityCalls;
  /** Certificate Manager v1 (DNS authorizations, certificates, certificate maps and their entries). */
  readonly certificateManager: CertificateManagerCalls;
  /** Resolves FileRef / SecretRef placeholders. */
  resolve(body: Record<string, unknown>, operation: string): Promise<Record<string, unknown>>;
  /** The owner a mutation is made for (CallOptions.owner). */
  readonly owner?: string;
}

/** Network Security v1 server TLS policies on full names; mutations resolve once their operation is done. */
export interface NetworkSecurityCalls {
  get(name: string, operation: string): Promise<Record<string, unknown> | undefined>;
  list(parent: string, operation: string): Promise<Record<string, unknown>[]>;
  create(parent: string, id: string, body: Record<string, unknown>, operation: string): Promise<void>;
  update(name: string, body: Record<string, unknown>, mask: readonly string[], operation: string): Promise<void>;
  delete(name: string, operation: string): Promise<void>;
}

/** The Certificate Manager collections serverless-lb creates. */
export type CertManagerCollection = 'dnsAuthorizations' | 'certificates' | 'certificateMaps' | 'certificateMapEntries' | 'trustConfigs';

/**
 * Certificate Manager v1 calls on full resource names (`projects/P/locations/L/<collection>/N`,
 * entries under their map). Bodies are the REST JSON of the resource with enums as names;
 * mutations resolve once their long-running operation is done (a failed operation throws).
 */
export interface CertificateManagerCalls {
  /** undefined: no such resource. */
  get(collection: CertManagerCollection, name: string, operation: string): Promise<Record<string, unknown> | undefined>;
  /** Every resource of the collection under `parent` (`projects/P/locations/L`, or a map for entries). */
  list(collection: CertManagerCollection, parent: string, operation: string): Promise<Record<string, unknown>[]>;
  create(collection: CertManagerCollection, parent: string, id: string, body: Record<string, unknown>, operation: string): Promise<void>;
  /** Changes the fields `mask` names (top-level, camelCase). */
  update(collection: CertManagerCollection, name: string, body: Record<string, unknown>, mask: readonly string[], operation: string): Promise<void>;
  delete(collection: CertManagerCollection, name: string, operation: string): Promise<void>;
}

/** An IAM policy as the IAM API has it. */
export interface IamPolicy {
  version?: number;
  etag?: string;
  bindings?: Array<{ role: string; members: string[]; condition?: unknown }>;
}

/** A Cloud Run service as the Cloud port reads it. */
export interface RunService {
  name: string;
  region: string;
  ingress: string;
  annotations: Record<string, string>;
  uri?: string;
  etag?: string;
  /** The invoker IAM check is off: anyone may invoke the service (Google's recommended public setting). */
  invokerIamDisabled?: boolean;
  /** The default `run.app` URL is turned off. */
  defaultUriDisabled?: boolean;
  /** Identity-Aware Proxy is on the service itself. */
  iapEnabled?: boolean;
}

/** A Cloud Run service's access switches serverless-lb may turn. */
export interface RunSwitches {
  invokerIamDisabled?: boolean;
  defaultUriDisabled?: boolean;
}
