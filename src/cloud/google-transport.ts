/**
 * The transport under the Cloud port's Google implementation: one SDK client per class, built on
 * first use from the deep client file (never the package index), every call under a deadline with
 * errors normalised, Compute mutations waited on with `operations.wait`, the Cloud Run service
 * reads and masked updates, Certificate Manager v1 (its mutations waited on through their
 * long-running operation), and Cloud DNS v1 by REST through the same auth stack.
 *
 * Why Cloud DNS by REST: the Node @google-cloud/dns package is not installed, pulls its own
 * older dependency tree, and would be used for four calls (get, create, patch, delete a record
 * set, plus list). Going through the GoogleAuth client keeps one auth stack, the same error
 * shapes (normalise-error.ts reads the same JSON body) and the emulator switch for free.
 *
 * Behaviour (as measured against Google and the SDKs):
 *   - gax's own retries are off (`retry: {retryCodes: []}`); the walker retries.
 *   - Every call has a deadline; mutations wait for their operation with `wait` in a loop
 *     under one deadline; a DONE operation with `error.errors[]` is a CloudError.
 *   - `_`-prefixed keys are stripped from responses.
 */
import type { GoogleAuth } from 'google-auth-library';
import { KIND_ORDER, kindModule } from '../kinds/registry.js';
import type { RunIngressUpdate } from '../kinds/cloud-run-ingress.js';
import type { CertificateManagerCalls, CertManagerCollection, IamPolicy, RunSwitches } from '../kinds/service-calls.js';
import { mergeAnnotations } from '../kinds/cloud-run-ingress.js';
import type { ObservedResource, ResourceKind, Scope } from '../model/resource-model.js';
import { resourceId } from '../model/resource-model.js';
import { CloudError } from '../errors.js';
import { cloudError, normaliseError, operationError } from './normalise-error.js';
import { lastSegment, regionOf } from './paths.js';
import type { CallOptions, ManagedZoneInfo, RunServiceInfo } from './port.js';
import { leanComputeGax } from './lean-descriptor.js';

type SdkClient = Record<string, (...args: any[]) => Promise<any>>;

/** An IAM policy from the SDK (etag as bytes or base64) as the IAM API's JSON has it. */
function iamPolicyOf(raw: unknown): IamPolicy {
  const etag = (raw as { etag?: unknown } | undefined)?.etag;
  const p = stripSdkKeys(raw) as { version?: unknown; bindings?: Array<{ role?: unknown; members?: unknown; condition?: unknown }> };
  const out: IamPolicy = {};
  if (typeof p.version === 'number' && p.version > 0) out.version = p.version;
  if (etag instanceof Uint8Array) out.etag = Buffer.from(etag).toString('base64');
  else if (typeof etag === 'string') out.etag = etag;
  const bindings = (p.bindings ?? []).map((b) => ({ role: String(b.role), members: Array.isArray(b.members) ? b.members.map(String) : [], ...(b.condition ? { condition: b.condition } : {}) }));
  if (bindings.length > 0) out.bindings = bindings;
  return out;
}

/** The message type of each Certificate Manager collection (the SDK's method names follow it). */
const CERT_MANAGER_TYPES: Record<CertManagerCollection, string> = {
  dnsAuthorizations: 'DnsAuthorization',
  certificates: 'Certificate',
  certificateMaps: 'CertificateMap',
  certificateMapEntries: 'CertificateMapEntry',
  trustConfigs: 'TrustConfig',
};

/**
 * A Certificate Manager resource from the SDK as the REST API's JSON has it. The SDK decodes enums
 * to their names; one at its proto3 default (`*_UNSPECIFIED`) is left out, as the REST API does.
 */
export function certManagerBody(raw: unknown): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]).filter(([, v]) => !(typeof v === 'string' && v.endsWith('_UNSPECIFIED'))));
    }
    return value;
  };
  return walk(stripSdkKeys(raw)) as Record<string, unknown>;
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_OPERATION_TIMEOUT_MS = 15 * 60_000;
/** One `operations.wait` call: Google blocks up to ~2 minutes server-side. */
const WAIT_CALL_TIMEOUT_MS = 150_000;

/** `BackendServicesClient` -> `backend_services_client`. */
function clientFile(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Removes the SDK's virtual `_`-prefixed keys, and turns protobuf messages into plain JSON. */
export function stripSdkKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSdkKeys);
  if (value && typeof value === 'object') {
    const plain = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (!plain || typeof plain !== 'object' || Array.isArray(plain)) return stripSdkKeys(plain);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(plain)) {
      if (k.startsWith('_') || v === undefined || v === null) continue;
      out[k] = stripSdkKeys(v);
    }
    return out;
  }
  return value;
}

function withDeadline<T>(promise: Promise<T>, ms: number, signal: AbortSignal | undefined, operation: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(cloudError(operation, 'cancelled', 'cancelled before the call'));
    const timer = setTimeout(() => reject(cloudError(operation, 'deadlineExceeded', `no answer within ${ms} ms`)), ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cloudError(operation, 'cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export interface GoogleCloudOptions {
  project: string;
  /** `HOST:PORT` of the emulator; default: SERVERLESS_LB_EMULATOR_HOST. Absent: real Google Cloud. */
  emulatorHost?: string;
  /** Deadline of one HTTP call (default 60 s). */
  callTimeoutMs?: number;
  /** Deadline of a mutation including its operation (default 15 min). */
  operationTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface InternalOptions extends GoogleCloudOptions {
  auth: GoogleAuth;
  clientOptions: Record<string, unknown>;
  dnsBase: string;
  /** `http://host:port` of the emulator (it serves every API on one port); absent for Google. */
  emulatorBase?: string;
  target: string;
}

interface ComputeOperation {
  name?: string | null;
  status?: string | number | null;
  region?: string | null;
  zone?: string | null;
  error?: { errors?: Array<{ code?: string | null; message?: string | null }> | null } | null;
  httpErrorStatusCode?: number | null;
  httpErrorMessage?: string | null;
}

const RUN_INGRESS_BY_NUMBER: Record<number, string> = {
  0: 'INGRESS_TRAFFIC_UNSPECIFIED',
  1: 'INGRESS_TRAFFIC_ALL',
  2: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  3: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  4: 'INGRESS_TRAFFIC_NONE',
};

/** The Compute v1 services this transport calls: every kind's clients, operations, projects, regions. */
const COMPUTE_V1_SERVICES: readonly string[] = [
  ...new Set([
    ...KIND_ORDER.flatMap((kind) => Object.values(kindModule(kind).compute?.clients ?? {})),
    'GlobalOperationsClient', 'RegionOperationsClient', 'ProjectsClient', 'RegionsClient',
  ]),
].map((className) => className.replace(/Client$/, ''));

export class GoogleApis {
  readonly project: string;
  readonly target: string;
  protected readonly opts: InternalOptions;
  protected readonly clients = new Map<string, Promise<SdkClient>>();
  private readonly callTimeoutMs: number;
  protected readonly operationTimeoutMs: number;

  constructor(options: InternalOptions) {
    this.opts = options;
    this.project = options.project;
    this.target = options.target;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  }

  // ---- clients ----

  /**
   * One SDK client per class, built on first use. `beta` selects Compute's v1beta clients, used only
   * for what v1 cannot carry: serverless NEGs for API Gateway (`serverlessDeployment` exists only
   * in the beta API; v1's protobuf conversion drops it silently).
   */
  protected client(api: 'compute' | 'run' | 'certificatemanager', className: string, beta = false): Promise<SdkClient> {
    const key = `${api}:${beta ? 'beta:' : ''}${className}`;
    let client = this.clients.get(key);
    if (!client) {
      const file =
        api === 'compute'
          ? `@google-cloud/compute/build/src/${beta ? 'v1beta' : 'v1'}/${clientFile(className)}.js`
          : api === 'run'
            ? `@google-cloud/run/build/src/v2/${clientFile(className)}.js`
            : `@google-cloud/certificate-manager/build/src/v1/${clientFile(className)}.js`;
      // Compute clients get a gax whose descriptor holds only the services this transport calls, one
      // root shared by all v1 clients; the v1beta one (API Gateway NEGs) holds its own service alone
      // (cloud/lean-descriptor.ts).
      const gax = api !== 'compute' ? undefined : beta ? leanComputeGax([className.replace(/Client$/, '')], 'v1beta') : leanComputeGax(COMPUTE_V1_SERVICES);
      client = import(file).then((mod: Record<string, new (o: unknown, gax?: unknown) => SdkClient>) => new mod[className]!(this.opts.clientOptions, gax));
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  protected computeClient(kind: ResourceKind, scope: Scope, operation: string, beta = false): Promise<SdkClient> {
    const names = kindModule(kind).compute?.clients ?? {};
    const name = scope === 'global' ? names.global : names.regional;
    if (!name) return Promise.reject(cloudError(operation, 'invalid', `a ${kind} cannot be ${scope === 'global' ? 'global' : 'regional'} here`));
    return this.client('compute', name, beta);
  }

  /** gax call options: our deadline, gax retries off. */
  protected gax(timeoutMs: number): Record<string, unknown> {
    return { timeout: timeoutMs, retry: { retryCodes: [] } };
  }

  /** One SDK call under a deadline, errors normalised. */
  protected async call<T>(operation: string, options: CallOptions | undefined, fn: (gax: Record<string, unknown>) => Promise<T>, timeoutMs?: number): Promise<T> {
    const ms = timeoutMs ?? options?.timeoutMs ?? this.callTimeoutMs;
    const sdkCall = fn(this.gax(ms));
    const settled = sdkCall.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    try {
      return await withDeadline(sdkCall, ms + 1000, options?.signal, operation);
    } catch (error) {
      throw normaliseError(error, operation);
    }
  }

  /**
   * SDK calls not settled yet. When one of several parallel reads fails, the others are still
   * running; closing their clients under them makes gax reject promises nobody holds (an
   * unhandled rejection that kills the process), so `close` lets them settle first.
   */
  protected readonly inFlight = new Set<Promise<void>>();

  protected scopeParams(scope: Scope): { project: string; region?: string } {
    const region = regionOf(scope);
    return region ? { project: this.project, region } : { project: this.project };
  }

  /** Starts a compute mutation and waits until its operation is DONE; throws for a failed operation. */
  protected async mutate(kind: ResourceKind, scope: Scope, method: string, request: Record<string, unknown>, operation: string, options?: CallOptions, beta = false): Promise<void> {
    const deadlineAt = Date.now() + (options?.timeoutMs ?? this.operationTimeoutMs);
    const client = await this.computeClient(kind, scope, operation, beta);
    const fn = client[method];
    if (typeof fn !== 'function') throw cloudError(operation, 'notUpdatable', `${kind} has no ${method} call in ${scope === 'global' ? 'global' : 'regional'} scope`);
    const [lro] = await this.call(operation, options, (gax) => fn.call(client, request, gax) as Promise<[{ latestResponse?: ComputeOperation } & ComputeOperation]>, Math.min(this.callTimeoutMs, deadlineAt - Date.now()));
    await this.waitOperation(lro.latestResponse ?? lro, operation, deadlineAt, options?.signal);
  }

  /**
   * A Compute PATCH sent as JSON exactly as given, then waited for like `mutate`. The SDK drops
   * empty lists and nulls from a request body, so it cannot clear a field (a proxy's
   * `sslCertificates` once a certificate map serves instead); gcloud sends them (its update
   * commands' cleared fields), and so does this.
   */
  protected async patchAsJson(kind: ResourceKind, scope: Scope, name: string, body: Record<string, unknown>, requestId: string, operation: string, options?: CallOptions): Promise<void> {
    const deadlineAt = Date.now() + (options?.timeoutMs ?? this.operationTimeoutMs);
    const collection = kindModule(kind).compute?.collection;
    if (!collection) throw cloudError(operation, 'notUpdatable', `${kind} is not a Compute Engine resource`);
    const region = regionOf(scope);
    const base = this.opts.emulatorBase ?? 'https://compute.googleapis.com';
    const url = `${base}/compute/v1/projects/${encodeURIComponent(this.project)}/${region ? `regions/${region}` : 'global'}/${collection}/${encodeURIComponent(name)}?requestId=${requestId}`;
    const op = await this.call(operation, options, async (gax) => {
      const client = await this.opts.auth.getClient();
      const res = await client.request<ComputeOperation>({ url, method: 'PATCH', data: body, timeout: gax.timeout as number, retry: false });
      return res.data;
    }, Math.min(this.callTimeoutMs, deadlineAt - Date.now()));
    await this.waitOperation(op, operation, deadlineAt, options?.signal);
  }

  protected async waitOperation(first: ComputeOperation, operation: string, deadlineAt: number, signal: AbortSignal | undefined): Promise<void> {
    let op = first;
    while (op.status !== 'DONE') {
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) {
        throw cloudError(operation, 'deadlineExceeded', `operation ${op.name ?? '?'} still ${String(op.status)} at the deadline`);
      }
      if (!op.name) throw cloudError(operation, 'unknown', 'the API answered without an operation name');
      const region = op.region ? lastSegment(op.region) : undefined;
      const ops = await this.client('compute', region ? 'RegionOperationsClient' : 'GlobalOperationsClient');
      const request = region ? { project: this.project, region, operation: op.name } : { project: this.project, operation: op.name };
      const [next] = await this.call(`${operation} (waiting for ${op.name})`, { signal }, (gax) => ops.wait!(request, gax) as Promise<[ComputeOperation]>, Math.min(WAIT_CALL_TIMEOUT_MS, remaining));
      op = next;
    }
    if ((op.error?.errors?.length ?? 0) > 0 || (op.httpErrorStatusCode ?? 0) >= 400) throw operationError(op, operation);
  }

  protected observed(kind: ResourceKind, scope: Scope, raw: unknown): ObservedResource {
    const body = stripSdkKeys(raw) as Record<string, unknown>;
    const name = String(body.name);
    return { id: resourceId(kind, scope, name), kind, name, scope, body };
  }

  // ---- Cloud Run ----

  protected runName(region: string, name: string): string {
    return `projects/${this.project}/locations/${region}/services/${name}`;
  }

  protected runInfo(raw: unknown, region: string): RunServiceInfo {
    const s = stripSdkKeys(raw) as Record<string, unknown>;
    const ingress = typeof s.ingress === 'number' ? RUN_INGRESS_BY_NUMBER[s.ingress] ?? String(s.ingress) : String(s.ingress ?? 'INGRESS_TRAFFIC_ALL');
    const info: RunServiceInfo = {
      name: lastSegment(String(s.name)),
      region,
      ingress,
      annotations: (s.annotations ?? {}) as Record<string, string>,
    };
    if (typeof s.uri === 'string') info.uri = s.uri;
    if (typeof s.etag === 'string') info.etag = s.etag;
    if (s.invokerIamDisabled === true) info.invokerIamDisabled = true;
    if (s.defaultUriDisabled === true) info.defaultUriDisabled = true;
    if (s.iapEnabled === true) info.iapEnabled = true;
    return info;
  }

  async getRunService(region: string, name: string, options?: CallOptions): Promise<RunServiceInfo | undefined> {
    const client = await this.client('run', 'ServicesClient');
    try {
      const [service] = await this.call(`get Cloud Run service ${name} in ${region}`, options, (gax) => client.getService!({ name: this.runName(region, name) }, gax) as Promise<[unknown]>);
      return this.runInfo(service, region);
    } catch (error) {
      if (error instanceof CloudError && error.reason === 'notFound') return undefined;
      throw error;
    }
  }

  async listRunServices(region: string, options?: CallOptions): Promise<RunServiceInfo[]> {
    const client = await this.client('run', 'ServicesClient');
    const [services] = await this.call(`list Cloud Run services in ${region}`, options, (gax) =>
      client.listServices!({ parent: `projects/${this.project}/locations/${region}` }, gax) as Promise<[unknown[]]>,
    );
    return services.map((s) => this.runInfo(s, region));
  }

  protected async applyIngress(update: RunIngressUpdate, current: RunServiceInfo, options?: CallOptions): Promise<void> {
    const service = { name: this.runName(update.region, update.service), ingress: update.ingress, annotations: mergeAnnotations(current.annotations, update.annotations), ...etagOf(current) };
    await this.updateRunService(`update ingress of Cloud Run service ${update.service} in ${update.region}`, service, ['ingress', 'annotations'], options);
  }

  /** Changes only a service's annotations (`null` removes one) and the access switches given (no new revision). */
  protected async annotateRunService(region: string, name: string, annotations: Record<string, string | null>, current: RunServiceInfo, options?: CallOptions, switches: RunSwitches = {}): Promise<void> {
    const service: Record<string, unknown> = { name: this.runName(region, name), annotations: mergeAnnotations(current.annotations, annotations), ...etagOf(current) };
    const paths = ['annotations'];
    for (const [field, path] of [['invokerIamDisabled', 'invoker_iam_disabled'], ['defaultUriDisabled', 'default_uri_disabled']] as const) {
      const value = switches[field];
      if (value === undefined) continue;
      service[field] = value;
      paths.push(path);
    }
    const what = paths.length > 1 ? 'access settings' : 'annotations';
    await this.updateRunService(`update ${what} of Cloud Run service ${name} in ${region}`, service, paths, options);
  }

  /**
   * One masked Cloud Run update, waited on until its operation is done. The service carries the
   * etag of the read the change was computed from: Google refuses it (ABORTED, reason `conflict`,
   * retried on a fresh read) when someone changed the service since.
   */
  private async updateRunService(operation: string, service: Record<string, unknown>, paths: string[], options?: CallOptions): Promise<void> {
    const client = await this.client('run', 'ServicesClient');
    await this.longRunning(operation, options, client, 'updateService', { service, updateMask: { paths } });
  }

  /**
   * Starts a gax long-running call (Cloud Run, Certificate Manager) and waits until its operation
   * is done, both under the mutation's deadline; a failed operation throws.
   */
  private async longRunning(operation: string, options: CallOptions | undefined, client: SdkClient, method: string, request: Record<string, unknown>): Promise<void> {
    const totalTimeoutMillis = options?.timeoutMs ?? this.operationTimeoutMs;
    const [op] = await this.call(operation, options, (gax) =>
      client[method]!(request, {
        ...gax,
        longrunning: { initialRetryDelayMillis: 100, retryDelayMultiplier: 1.3, maxRetryDelayMillis: 10_000, totalTimeoutMillis },
      }) as Promise<[{ promise(): Promise<unknown> }]>,
    );
    await this.call(operation, options, () => op.promise(), totalTimeoutMillis);
  }

  protected async getRunIamPolicy(region: string, name: string, options?: CallOptions): Promise<IamPolicy> {
    const client = await this.client('run', 'ServicesClient');
    const [policy] = await this.call(`get IAM policy of Cloud Run service ${name} in ${region}`, options, (gax) => client.getIamPolicy!({ resource: this.runName(region, name) }, gax) as Promise<[unknown]>);
    return iamPolicyOf(policy);
  }

  protected async setRunIamPolicy(region: string, name: string, policy: IamPolicy, options?: CallOptions): Promise<void> {
    const client = await this.client('run', 'ServicesClient');
    // The SDK carries the etag as bytes.
    const sent = { ...policy, ...(policy.etag !== undefined ? { etag: Buffer.from(policy.etag, 'base64') } : {}) };
    await this.call(`set IAM policy of Cloud Run service ${name} in ${region}`, options, (gax) => client.setIamPolicy!({ resource: this.runName(region, name), policy: sent }, gax) as Promise<[unknown]>);
  }

  private projectNumberOnce?: Promise<string>;

  /** The project's number: Compute's project resource carries it as its id. Read once. */
  protected projectNumber(options?: CallOptions): Promise<string> {
    this.projectNumberOnce ??= (async () => {
      const client = await this.client('compute', 'ProjectsClient');
      const [project] = await this.call(`read project ${this.project}`, options, (gax) => client.get!({ project: this.project }, gax) as Promise<[unknown]>);
      const id = (stripSdkKeys(project) as { id?: unknown }).id;
      if (typeof id !== 'string' && typeof id !== 'number') throw cloudError(`read project ${this.project}`, 'unknown', 'the project came back without its number');
      return String(id);
    })();
    this.projectNumberOnce.catch(() => (this.projectNumberOnce = undefined));
    return this.projectNumberOnce;
  }

  async updateRunIngress(update: RunIngressUpdate, options?: CallOptions): Promise<void> {
    const current = await this.getRunService(update.region, update.service, options);
    if (!current) throw cloudError(`update Cloud Run service ${update.service}`, 'notFound', `Cloud Run service ${update.service} does not exist in ${update.region}`);
    await this.applyIngress(update, current, options);
  }

  // ---- Certificate Manager ----

  protected certificateManagerCalls(options?: CallOptions): CertificateManagerCalls {
    const client = () => this.client('certificatemanager', 'CertificateManagerClient');
    // The SDK's methods and request fields follow the message type: getDnsAuthorization({name}),
    // createDnsAuthorization({parent, dnsAuthorizationId, dnsAuthorization}), ...
    const read = async (operation: string, method: string, request: Record<string, unknown>): Promise<unknown> => {
      const c = await client();
      const [result] = await this.call(operation, options, (gax) => c[method]!(request, gax) as Promise<[unknown]>);
      return result;
    };
    const mutate = async (operation: string, method: string, request: Record<string, unknown>) => this.longRunning(operation, options, await client(), method, request);
    const type = (collection: CertManagerCollection) => CERT_MANAGER_TYPES[collection];
    const field = (collection: CertManagerCollection) => type(collection)[0]!.toLowerCase() + type(collection).slice(1);
    return {
      get: async (collection, name, operation) => {
        try {
          return certManagerBody(await read(operation, `get${type(collection)}`, { name }));
        } catch (error) {
          if (error instanceof CloudError && error.reason === 'notFound') return undefined;
          throw error;
        }
      },
      list: async (collection, parent, operation) => ((await read(operation, `list${collection[0]!.toUpperCase()}${collection.slice(1)}`, { parent })) as unknown[]).map(certManagerBody),
      create: (collection, parent, id, body, operation) => mutate(operation, `create${type(collection)}`, { parent, [`${field(collection)}Id`]: id, [field(collection)]: body }),
      update: (collection, name, body, mask, operation) => mutate(operation, `update${type(collection)}`, { [field(collection)]: { ...body, name }, updateMask: { paths: [...mask] } }),
      delete: (collection, name, operation) => mutate(operation, `delete${type(collection)}`, { name }),
    };
  }

  // ---- Cloud DNS (REST through the auth client) ----

  protected async dns<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, operation: string, options?: CallOptions, data?: unknown, params?: Record<string, string>): Promise<T> {
    return this.call(operation, options, async (gax) => {
      const client = await this.opts.auth.getClient();
      const res = await client.request<T>({
        url: `${this.opts.dnsBase}/${path}`,
        method,
        ...(data === undefined ? {} : { data }),
        ...(params ? { params } : {}),
        timeout: gax.timeout as number,
        retry: false,
        ...(options?.signal ? { signal: options.signal } : {}),
      });
      return res.data;
    });
  }

  async listManagedZones(options?: CallOptions): Promise<ManagedZoneInfo[]> {
    const operation = 'list Cloud DNS managed zones';
    const out: ManagedZoneInfo[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.dns<{ managedZones?: Array<{ name?: string; dnsName?: string; visibility?: string }>; nextPageToken?: string }>(
        'GET', `projects/${encodeURIComponent(this.project)}/managedZones`, operation, options, undefined, pageToken ? { pageToken } : undefined,
      );
      for (const z of page.managedZones ?? []) {
        out.push({ name: String(z.name), dnsName: String(z.dnsName), visibility: z.visibility === 'private' ? 'private' : 'public' });
      }
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return out;
  }

  protected rrsetPath(project: string, zone: string, dnsName?: string, type?: string): string {
    const base = `projects/${encodeURIComponent(project)}/managedZones/${encodeURIComponent(zone)}/rrsets`;
    return dnsName ? `${base}/${encodeURIComponent(dnsName)}/${encodeURIComponent(type ?? 'A')}` : base;
  }
}

/** The etag a Cloud Run update carries, when the read had one. */
function etagOf(current: RunServiceInfo): { etag?: string } {
  return current.etag ? { etag: current.etag } : {};
}
