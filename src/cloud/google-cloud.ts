/**
 * The Cloud port over Google's SDKs: @google-cloud/compute 7.8 (Compute Engine v1, REST),
 * @google-cloud/run 4.2 (Cloud Run Admin v2) and @google-cloud/certificate-manager 2.1 (v1), plus
 * Cloud DNS v1 REST through the same auth stack (google-transport.ts). The only modules that
 * import @google-cloud/* are these two.
 *
 * Kind by kind: a Compute kind is read, inserted and deleted through the SDK client its module
 * names (src/kinds/<kind>.ts `compute`), and changed in place by the module's `update`; any other
 * kind goes through its module's `service` over the ServiceCalls made here.
 *
 * Loading: each SDK client file is imported lazily, and each client is built once, on first use.
 * Nothing is loaded by constructing a GoogleCloud, so commands that never call Google load no SDK.
 */
import { execFile } from 'node:child_process';
import { kindModule } from '../kinds/registry.js';
import type { ComputeUpdate } from '../kinds/kind.js';
import type { ServiceCalls } from '../kinds/service-calls.js';
import type { DesiredResource, FieldChange, ObservedResource, ResourceKind, Scope } from '../model/resource-model.js';
import { CloudError, UsageError } from '../errors.js';
import { cloudError, normaliseError } from './normalise-error.js';
import { isReadOnlyKind } from './paths.js';
import { networkSecurityCalls } from './network-security-calls.js';
import { resolvePlaceholders } from './placeholders.js';
import { deterministicRequestId } from './request-id.js';
import { describeCall, type CallOptions, type Cloud, type Quota, type RegionInfo, type ResourceRef, type ServerlessTarget, type SubnetworkInfo } from './port.js';
import { GoogleApis, stripSdkKeys, type GoogleCloudOptions, type InternalOptions } from './google-transport.js';

export { stripSdkKeys, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_OPERATION_TIMEOUT_MS, type GoogleCloudOptions } from './google-transport.js';


// ---------------------------------------------------------------------------------------------
// Configuration: project, emulator, credentials.

export interface EmulatorEndpoint {
  host: string;
  port: number;
}

/** `127.0.0.1:8089` (or `http://127.0.0.1:8089`) -> host and port; UsageError when malformed. */
export function parseEmulatorHost(value: string): EmulatorEndpoint {
  const m = /^(?:https?:\/\/)?([^:/]+):(\d{1,5})\/?$/.exec(value.trim());
  if (!m) {
    throw new UsageError(`SERVERLESS_LB_EMULATOR_HOST must be HOST:PORT, got "${value}"`, {
      code: 'emulator.host',
      hint: 'For example SERVERLESS_LB_EMULATOR_HOST=127.0.0.1:8089 (what `serverless-lb emulator` prints).',
    });
  }
  return { host: m[1]!, port: Number(m[2]) };
}

function gcloudProject(timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('gcloud', ['config', 'get-value', 'project'], { timeout: timeoutMs }, (error, stdout) => {
      const value = String(stdout ?? '').trim();
      resolve(error || !value || value === '(unset)' ? undefined : value);
    });
  });
}

/**
 * The project to use: the flag, then CLOUDSDK_CORE_PROJECT / GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT,
 * then `gcloud config get-value project` (when gcloud is installed). UsageError when none.
 */
export async function resolveProject(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, useGcloud = true): Promise<string> {
  const fromEnv = env.CLOUDSDK_CORE_PROJECT || env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT;
  const project = flag || fromEnv || (useGcloud ? await gcloudProject() : undefined);
  if (!project) {
    throw new UsageError('No Google Cloud project given.', {
      code: 'project.missing',
      hint: 'Pass --project ID, set `project` in the config file, set CLOUDSDK_CORE_PROJECT, or run `gcloud config set project ID`.',
    });
  }
  return project;
}

const CREDENTIAL_LEAK = /Could not load the default credentials|Unable to detect a Project Id|Could not refresh access token/i;
let leakHandlerInstalled = false;

/**
 * The SDK's client `initialize()` leaks an unhandled rejection when credentials are missing, in
 * addition to rejecting the call. Credentials are checked once before any client is built, so this
 * only guards the rest: that one rejection is ignored (the call's own rejection is reported);
 * any other unhandled rejection still ends the process.
 */
function installCredentialLeakHandler(): void {
  if (leakHandlerInstalled) return;
  leakHandlerInstalled = true;
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (CREDENTIAL_LEAK.test(message)) return;
    throw reason;
  });
}

/**
 * Off Google Cloud, looking for credentials probes the metadata server, and gcp-metadata reports the
 * failed probe as a process warning (`MetadataLookupWarning`) on stderr. The outcome is reported by
 * the credentials check itself, so that one warning type is dropped while the check runs.
 */
function muteMetadataLookupWarnings(): () => void {
  const original = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'MetadataLookupWarning' || (warning instanceof Error && warning.name === 'MetadataLookupWarning')) return;
    return (original as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  return () => {
    process.emitWarning = original;
  };
}


/**
 * Builds the Cloud for real Google Cloud or the emulator. For real Google Cloud it first checks,
 * once, that Application Default Credentials exist and yield a token (one clear CloudError
 * `credentialsMissing` / `unauthenticated` otherwise). Loads no SDK client.
 */
export async function createGoogleCloud(options: GoogleCloudOptions): Promise<GoogleCloud> {
  const env = options.env ?? process.env;
  const emulatorHost = options.emulatorHost ?? env.SERVERLESS_LB_EMULATOR_HOST;
  const { GoogleAuth, PassThroughClient } = await import('google-auth-library');
  if (emulatorHost) {
    const endpoint = parseEmulatorHost(emulatorHost);
    const auth = new GoogleAuth({ authClient: new PassThroughClient(), projectId: options.project });
    return new GoogleCloud({
      ...options,
      auth,
      clientOptions: { apiEndpoint: endpoint.host, port: endpoint.port, protocol: 'http', fallback: true, auth, projectId: options.project },
      dnsBase: `http://${endpoint.host}:${endpoint.port}/dns/v1`,
      emulatorBase: `http://${endpoint.host}:${endpoint.port}`,
      target: `emulator at ${endpoint.host}:${endpoint.port}`,
    });
  }
  installCredentialLeakHandler();
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'], projectId: options.project });
  const restoreWarnings = muteMetadataLookupWarnings();
  try {
    const client = await auth.getClient();
    await client.getAccessToken();
  } catch (error) {
    const e = normaliseError(error, 'load Google credentials');
    const reason = e.reason === 'credentialsMissing' || e.reason === 'unknown' ? 'credentialsMissing' : e.reason;
    throw cloudError('load Google credentials', reason, e.googleMessage, { cause: error });
  } finally {
    restoreWarnings();
  }
  return new GoogleCloud({
    ...options,
    auth,
    clientOptions: { auth, projectId: options.project, fallback: true },
    dnsBase: 'https://dns.googleapis.com/dns/v1',
    target: 'Google Cloud',
  });
}


export class GoogleCloud extends GoogleApis implements Cloud {
  constructor(options: InternalOptions) {
    super(options);
  }

  /** What a service kind's module calls, bound to one call's options. */
  private services(options?: CallOptions): ServiceCalls {
    return {
      project: this.project,
      fail: cloudError,
      ...(options?.owner !== undefined ? { owner: options.owner } : {}),
      dns: (method, path, operation, data, params) => this.dns(method, path, operation, options, data, params),
      getRunService: (region, name) => this.getRunService(region, name, options),
      listRunServices: (region) => this.listRunServices(region, options),
      updateRunService: (update, current) => this.applyIngress(update, current, options),
      getRunIamPolicy: (region, name) => this.getRunIamPolicy(region, name, options),
      setRunIamPolicy: (region, name, policy) => this.setRunIamPolicy(region, name, policy, options),
      annotateRunService: (region, name, annotations, current, switches) => this.annotateRunService(region, name, annotations, current, options, switches),
      projectNumber: () => this.projectNumber(options),
      certificateManager: this.certificateManagerCalls(options),
      networkSecurity: networkSecurityCalls(
        (operation, method, url, body, params) => this.restJson(operation, url, method, body, options, params),
        this.opts.emulatorBase ?? 'https://networksecurity.googleapis.com',
        options?.timeoutMs ?? this.operationTimeoutMs,
      ),
      resolve: (body, operation) => resolvePlaceholders(body, operation),
    };
  }

  // ---- Cloud: reads ----

  async get(ref: ResourceRef, options?: CallOptions): Promise<ObservedResource | undefined> {
    const operation = describeCall('get', ref);
    const module = kindModule(ref.kind);
    try {
      if (module.service) return await module.service.get(this.services(options), ref, operation);
      const kind = ref.kind;
      const client = await this.computeClient(kind, ref.scope, operation);
      const [raw] = await this.call(operation, options, (gax) => client.get!({ ...this.scopeParams(ref.scope), [kind]: ref.name }, gax) as Promise<[unknown]>);
      return await this.completeFromBeta(this.observed(kind, ref.scope, raw), operation, options);
    } catch (error) {
      if (error instanceof CloudError && error.reason === 'notFound') return undefined;
      throw error;
    }
  }

  async list(kind: ResourceKind, scope: Scope, options?: CallOptions & { filter?: string; zone?: string }): Promise<ObservedResource[]> {
    const operation = `list ${kind} in ${scope}`;
    const module = kindModule(kind);
    if (module.service) return module.service.list(this.services(options), scope, operation, { ...(options?.zone ? { zone: options.zone } : {}) });
    const client = await this.computeClient(kind, scope, operation);
    const request = { ...this.scopeParams(scope), ...(options?.filter ? { filter: options.filter } : {}) };
    const [items] = await this.call(operation, options, (gax) => client.list!(request, gax) as Promise<[unknown[]]>);
    return Promise.all(items.map((raw) => this.completeFromBeta(this.observed(kind, scope, raw), operation, options)));
  }

  /** A body v1 could not carry whole (an API Gateway NEG's `serverlessDeployment`): read again through v1beta. */
  private async completeFromBeta(observed: ObservedResource, operation: string, options?: CallOptions): Promise<ObservedResource> {
    if (!kindModule(observed.kind).compute?.readAgainThroughBeta?.(observed.body)) return observed;
    const client = await this.computeClient(observed.kind, observed.scope, operation, true);
    const [raw] = await this.call(operation, options, (gax) => client.get!({ ...this.scopeParams(observed.scope), [observed.kind]: observed.name }, gax) as Promise<[unknown]>);
    return this.observed(observed.kind, observed.scope, raw);
  }

  // ---- Cloud: mutations ----

  async insert(resource: DesiredResource, requestId: string, options?: CallOptions): Promise<void> {
    const operation = describeCall('insert', resource);
    const module = kindModule(resource.kind);
    if (module.service) return module.service.insert(this.services(options), resource, operation);
    if (!module.compute || module.readOnly) throw cloudError(operation, 'invalid', `serverless-lb does not create a ${resource.kind}`);
    const kind = resource.kind;
    const body = await resolvePlaceholders(resource.body, operation);
    const sent = module.compute.insertBody?.(body) ?? { body };
    await this.mutate(kind, resource.scope, 'insert', { ...this.scopeParams(resource.scope), [`${kind}Resource`]: sent.body, requestId }, operation, options, sent.beta ?? false);
    const u = this.computeUpdate(resource, body, [], requestId, operation, options);
    // Google drops `labels` sent with some inserts (addresses: see the recorded traffic, which
    // follows the insert with setLabels); make sure the ownership label is there.
    if (module.ownership.labels && isNonEmpty(body.labels)) {
      const created = await this.get({ kind, scope: resource.scope, name: resource.name }, options);
      if (created && JSON.stringify(sortKeys(created.body.labels ?? {})) !== JSON.stringify(sortKeys(body.labels))) await u.setLabels(body.labels);
    }
    await module.compute.afterInsert?.(u);
  }

  async update(resource: DesiredResource, _observed: ObservedResource, changes: readonly FieldChange[], requestId: string, options?: CallOptions): Promise<void> {
    const operation = describeCall('update', resource);
    const module = kindModule(resource.kind);
    if (module.service) return module.service.update(this.services(options), resource, operation);
    const body = await resolvePlaceholders(resource.body, operation);
    const u = this.computeUpdate(resource, body, changes, requestId, operation, options);
    if (!module.compute?.update) throw u.notUpdatable(u.fields);
    return module.compute.update(u);
  }

  async delete(ref: ResourceRef, requestId: string, options?: CallOptions): Promise<void> {
    const operation = describeCall('delete', ref);
    const module = kindModule(ref.kind);
    if (module.service) return module.service.delete(this.services(options), ref, operation);
    if (!module.compute || isReadOnlyKind(ref.kind)) throw cloudError(operation, 'invalid', `serverless-lb does not delete a ${ref.kind}`);
    await this.mutate(ref.kind, ref.scope, 'delete', { ...this.scopeParams(ref.scope), [ref.kind]: ref.name, requestId }, operation, options);
  }

  /** The calls a Compute kind's module makes a change with (see ComputeUpdate in src/kinds/kind.ts). */
  private computeUpdate(resource: DesiredResource, body: Record<string, unknown>, changes: readonly FieldChange[], requestId: string, operation: string, options?: CallOptions): ComputeUpdate {
    const kind = resource.kind;
    const fields = new Set(changes.map((c) => c.field.split('.')[0]!));
    const rid = (call: string): string => deterministicRequestId(requestId, call);
    const fresh = async (): Promise<Record<string, unknown>> => {
      const current = await this.get({ kind, scope: resource.scope, name: resource.name }, options);
      if (!current) throw cloudError(operation, 'notFound', `${kind} ${resource.name} does not exist`);
      return current.body;
    };
    const mutate = (method: string, request: Record<string, unknown>, detail?: string): Promise<void> =>
      this.mutate(kind, resource.scope, method, request, detail ? `${operation} (${detail})` : operation, options);
    return {
      resource,
      body,
      fields,
      // A field the config no longer sets compares as undefined or null: either way patch cannot remove it.
      removes: changes.some((c) => (c.to === undefined || c.to === null) && !c.field.includes('.')),
      params: this.scopeParams(resource.scope),
      take: (...names) => names.map((n) => fields.delete(n)).some(Boolean),
      mutate,
      fresh,
      patchAsJson: (patch) => this.patchAsJson(kind, resource.scope, resource.name, patch, rid('patchAsJson'), operation, options),
      rid,
      setLabels: async (labels) => {
        const current = await fresh();
        const payload = { labels: labels ?? {}, labelFingerprint: current.labelFingerprint };
        const request: Record<string, unknown> =
          resource.scope === 'global'
            ? { project: this.project, resource: resource.name, globalSetLabelsRequestResource: payload }
            : { ...this.scopeParams(resource.scope), resource: resource.name, regionSetLabelsRequestResource: payload, requestId: rid('setLabels') };
        await mutate('setLabels', request);
      },
      setBackendPolicy: (method, policy) =>
        this.mutate(
          'backendService',
          resource.scope,
          method,
          { ...this.scopeParams(resource.scope), backendService: resource.name, securityPolicyReferenceResource: policy ? { securityPolicy: policy } : {}, requestId: rid(method) },
          `${method} of backendService ${resource.name}`,
          options,
        ),
      notUpdatable: (what) => cloudError(operation, 'notUpdatable', `${[...what].join(', ')} of a ${kind} cannot be changed in place`),
    };
  }

  // ---- Cloud: preflight reads ----

  async getProjectQuotas(options?: CallOptions): Promise<Quota[]> {
    const client = await this.client('compute', 'ProjectsClient');
    const [project] = await this.call(`read project ${this.project}`, options, (gax) => client.get!({ project: this.project }, gax) as Promise<[unknown]>);
    return quotasOf(stripSdkKeys(project));
  }

  async listRegions(options?: CallOptions): Promise<string[]> {
    const client = await this.client('compute', 'RegionsClient');
    const [items] = await this.call(`list regions of project ${this.project}`, options, (gax) => client.list!({ project: this.project }, gax) as Promise<[unknown[]]>);
    return items.map((raw) => String((stripSdkKeys(raw) as Record<string, unknown>).name ?? '')).filter(Boolean).sort();
  }

  async getRegion(region: string, options?: CallOptions): Promise<RegionInfo | undefined> {
    const client = await this.client('compute', 'RegionsClient');
    try {
      const [raw] = await this.call(`read region ${region}`, options, (gax) => client.get!({ project: this.project, region }, gax) as Promise<[unknown]>);
      const r = stripSdkKeys(raw) as Record<string, unknown>;
      return { name: String(r.name ?? region), status: String(r.status ?? 'UP'), quotas: quotasOf(r) };
    } catch (error) {
      if (error instanceof CloudError && error.reason === 'notFound') return undefined;
      throw error;
    }
  }

  async listSubnetworks(region: string, options?: CallOptions): Promise<SubnetworkInfo[]> {
    const items = await this.list('subnetwork', `regions/${region}`, options);
    return items.map(({ body }) => subnetworkInfo(body, region));
  }

  async listNetworkSubnetworks(network: string, options?: CallOptions): Promise<SubnetworkInfo[]> {
    const operation = `list the subnetworks of network ${network}`;
    const client = await this.computeClient('subnetwork', 'regions/any' as Scope, operation);
    const request = { project: this.project, filter: `network eq '.*/global/networks/${network}'` };
    return this.call(operation, options, async (gax) => {
      const out: SubnetworkInfo[] = [];
      const pages = (client as unknown as { aggregatedListAsync(r: unknown, g: unknown): AsyncIterable<[string, { subnetworks?: unknown[] }]> }).aggregatedListAsync(request, gax);
      for await (const [scope, list] of pages) {
        const region = scope.startsWith('regions/') ? scope.slice('regions/'.length) : scope;
        for (const raw of list.subnetworks ?? []) out.push(subnetworkInfo(stripSdkKeys(raw) as Record<string, unknown>, region));
      }
      return out;
    });
  }

  /** One REST call to an API the SDKs do not cover (Resource Manager, Service Usage, Network Security, Cloud Functions, App Engine, API Gateway), answered as JSON. */
  private async restJson(operation: string, url: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', body: unknown, options?: CallOptions, params?: Record<string, string>): Promise<Record<string, unknown>> {
    return this.call(operation, options, async (gax) => {
      const client = await this.opts.auth.getClient();
      const res = await client.request({ url, method, ...(body === undefined ? {} : { data: body }), ...(params ? { params } : {}), timeout: gax.timeout as number, retry: false });
      return (res.data ?? {}) as Record<string, unknown>;
    });
  }

  async heldPermissions(permissions: readonly string[], options?: CallOptions): Promise<string[]> {
    const base = this.opts.emulatorBase ?? 'https://cloudresourcemanager.googleapis.com';
    const held: string[] = [];
    for (let i = 0; i < permissions.length; i += 100) {
      const answer = await this.restJson(`test the caller's permissions in project ${this.project}`, `${base}/v3/projects/${encodeURIComponent(this.project)}:testIamPermissions`, 'POST', { permissions: permissions.slice(i, i + 100) }, options);
      held.push(...((answer.permissions as string[] | undefined) ?? []));
    }
    return held;
  }

  async enabledApis(options?: CallOptions): Promise<string[]> {
    const base = this.opts.emulatorBase ?? 'https://serviceusage.googleapis.com';
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const url = `${base}/v1/projects/${encodeURIComponent(this.project)}/services?filter=state:ENABLED&pageSize=200${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const answer = await this.restJson(`list the APIs enabled in project ${this.project}`, url, 'GET', undefined, options);
      for (const s of (answer.services as Array<{ config?: { name?: string }; name?: string }> | undefined) ?? []) names.push(s.config?.name ?? String(s.name).split('/').pop()!);
      pageToken = typeof answer.nextPageToken === 'string' && answer.nextPageToken ? answer.nextPageToken : undefined;
    } while (pageToken);
    return names;
  }

  /** Cloud Run through the Run SDK; the others by one REST GET each (Cloud Functions v1, App Engine v1, API Gateway v1). */
  async serverlessTargetExists(target: ServerlessTarget, options?: CallOptions): Promise<boolean> {
    if (target.type === 'cloudRun') return (await this.getRunService(target.region, target.service, options)) !== undefined;
    const emulator = this.opts.emulatorBase;
    const p = encodeURIComponent(this.project);
    let url: string;
    let what: string;
    if (target.type === 'cloudFunction') {
      url = `${emulator ?? 'https://cloudfunctions.googleapis.com'}/v1/projects/${p}/locations/${target.region}/functions/${encodeURIComponent(target.name)}`;
      what = `Cloud Function ${target.name} in ${target.region}`;
    } else if (target.type === 'apiGateway') {
      url = `${emulator ?? 'https://apigateway.googleapis.com'}/v1/projects/${p}/locations/${target.region}/gateways/${encodeURIComponent(target.gateway)}`;
      what = `API Gateway ${target.gateway} in ${target.region}`;
    } else {
      const path = target.service ? `/services/${encodeURIComponent(target.service)}${target.version ? `/versions/${encodeURIComponent(target.version)}` : ''}` : '';
      url = `${emulator ?? 'https://appengine.googleapis.com'}/v1/apps/${p}${path}`;
      what = `App Engine ${target.service ?? 'app'}${target.version ? ` version ${target.version}` : ''}`;
    }
    try {
      await this.restJson(`read ${what}`, url, 'GET', undefined, options);
      return true;
    } catch (error) {
      if (error instanceof CloudError && error.reason === 'notFound') return false;
      throw error;
    }
  }

  /** Closes every client once the calls still in flight have settled (at most CLOSE_GRACE_MS). */
  async close(): Promise<void> {
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (grace = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    const clients = await Promise.allSettled([...this.clients.values()]);
    this.clients.clear();
    await Promise.allSettled(clients.map((c) => (c.status === 'fulfilled' && typeof c.value.close === 'function' ? c.value.close() : undefined)));
  }
}

/** How long `close` waits for calls still in flight (an interrupted command must still end soon). */
const CLOSE_GRACE_MS = 5_000;

function isNonEmpty(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function sortKeys(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value;
}

function quotasOf(resource: unknown): Quota[] {
  const quotas = ((resource as { quotas?: unknown[] } | undefined)?.quotas ?? []) as Array<Record<string, unknown>>;
  return quotas.map((q) => ({ metric: String(q.metric), limit: Number(q.limit ?? 0), usage: Number(q.usage ?? 0) }));
}

function subnetworkInfo(body: Record<string, unknown>, region: string): SubnetworkInfo {
  const info: SubnetworkInfo = { name: String(body.name), region, network: String(body.network ?? ''), purpose: String(body.purpose ?? 'PRIVATE') };
  if (typeof body.role === 'string') info.role = body.role;
  if (typeof body.state === 'string') info.state = body.state;
  if (typeof body.ipCidrRange === 'string') info.ipCidrRange = body.ipCidrRange;
  return info;
}
