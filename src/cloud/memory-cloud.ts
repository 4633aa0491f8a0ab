/**
 * An in-memory Cloud for unit tests. It keeps the port's contracts and enough of Google's
 * behaviour to test ordering and idempotency:
 *   - insert of an existing name: 409 `alreadyExists`; insert or update that references a
 *     compute resource that does not exist: 404 `notFound`;
 *   - delete of a resource another one references: 400 `resourceInUseByAnotherResource`;
 *     delete of nothing: 404 `notFound`;
 *   - a mutation repeated with the same requestId is not applied twice (its first result is returned);
 *   - references are stored as full `https://www.googleapis.com/compute/v1/...` URLs, and
 *     `selfLink`, `id`, `creationTimestamp`, `fingerprint` are added, like Google does;
 *   - Cloud Run services (seeded) with ingress and annotations; Cloud DNS record sets per zone.
 * Knobs: latency per call, failure injection (`fail`), and counters (`calls`, `maxInFlight`).
 */
import type { DesiredResource, FieldChange, ObservedResource, ResourceKind, Scope } from '../model/resource-model.js';
import { resourceId } from '../model/resource-model.js';
import { CloudError } from '../errors.js';
import { cloudError } from './normalise-error.js';
import { COMPUTE_URL_PREFIX, computePath, isComputeKind, isReadOnlyKind, parseComputeRef, regionOf } from './paths.js';
import { kindModule } from '../kinds/registry.js';
import { memoryServiceCalls, resolvePlaceholders } from './memory-service-calls.js';
import type { IamPolicy, ServiceCalls } from '../kinds/service-calls.js';
import {
  describeCall,
  type CallOptions,
  type Cloud,
  type Quota,
  type RegionInfo,
  type ResourceRef,
  type ManagedZoneInfo,
  type RunIngressUpdate,
  type RunServiceInfo,
  type ServerlessTarget,
  type SubnetworkInfo,
} from './port.js';
import { mergeAnnotations } from '../kinds/cloud-run-ingress.js';
import { observedRecord, recordKey } from '../kinds/dns-record-set.js';

export type { MemoryCall, MemoryCloudOptions, MemoryFault, MemoryMethod } from './memory-cloud-options.js';
import { CERTIFICATE_MANAGER_COLLECTIONS, MEMORY_APIS, PUBLIC_REGIONS, type MemoryCall, type MemoryCloudOptions, type MemoryFault, type MemoryMethod } from './memory-cloud-options.js';

interface Stored {
  kind: ResourceKind;
  scope: Scope;
  name: string;
  zone?: string;
  body: Record<string, unknown>;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export class MemoryCloud implements Cloud {
  readonly project: string;
  readonly target = 'in-memory cloud';
  readonly calls: MemoryCall[] = [];
  /** The most calls in flight at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly store = new Map<string, Stored>();
  private readonly runServices = new Map<string, RunServiceInfo>();
  /** Cloud Run IAM policies by `region/service` (a seeded service starts with allUsers as invoker, like the emulator). */
  private readonly runPolicies = new Map<string, IamPolicy>();
  private readonly subnetworks: SubnetworkInfo[];
  private readonly regions?: Map<string, RegionInfo>;
  private readonly projectQuotas: Quota[];
  private readonly faults: Array<MemoryFault & { used: number }> = [];
  private readonly requestResults = new Map<string, CloudError | null>();
  private readonly latency: (method: MemoryMethod, target: string) => number;
  private counter = 1000;
  private readonly accessError?: string;
  private readonly serverlessTargets: Set<string>;
  private readonly managedZones: ManagedZoneInfo[];
  private readonly denied: Set<string>;
  private readonly disabledApis: Set<string>;

  constructor(options: MemoryCloudOptions = {}) {
    this.project = options.project ?? 'memory-project';
    const l = options.latencyMs ?? 0;
    this.latency = typeof l === 'number' ? () => l : l;
    for (const s of options.runServices ?? []) {
      this.runServices.set(`${s.region}/${s.name}`, clone(s));
      this.runPolicies.set(`${s.region}/${s.name}`, { etag: 'e0', bindings: [{ role: 'roles/run.invoker', members: clone(options.runInvokers?.[s.name] ?? ['allUsers']) }] });
    }
    this.subnetworks = clone(options.subnetworks ?? []);
    if (options.regions) this.regions = new Map(options.regions.map((r) => [r.name, clone(r)]));
    this.projectQuotas = clone(options.projectQuotas ?? []);
    this.accessError = options.accessError;
    this.serverlessTargets = new Set(options.serverlessTargets ?? []);
    this.managedZones = clone(options.managedZones ?? []);
    this.denied = new Set(options.deniedPermissions ?? []);
    this.disabledApis = new Set(options.disabledApis ?? []);
    for (const r of options.resources ?? []) {
      const collection = CERTIFICATE_MANAGER_COLLECTIONS[r.kind];
      if (collection) {
        // Certificate Manager resources live under their full name, as the module's calls read them.
        const location = r.scope === 'global' ? 'global' : r.scope.slice('regions/'.length);
        const name = `projects/${this.project}/locations/${location}/${collection}/${r.name}`;
        this.certificateManagerResources.set(name, { ...clone(r.body), name });
        continue;
      }
      this.store.set(this.key(r.kind, r.scope, r.name, r.zone), { ...clone(r), body: this.decorate(r.kind, r.scope, r.name, clone(r.body)) });
    }
  }

  // ---- test knobs ----

  /** Adds a fault: matching calls fail with `reason`. */
  fail(fault: MemoryFault): this {
    this.faults.push({ ...fault, used: 0 });
    return this;
  }

  /** Calls of a method (all methods when absent). */
  count(method?: MemoryMethod): number {
    return method ? this.calls.filter((c) => c.method === method).length : this.calls.length;
  }

  /** Mutating calls (insert, update, delete). */
  mutatingCalls(): number {
    return this.calls.filter((c) => c.method === 'insert' || c.method === 'update' || c.method === 'delete').length;
  }

  /** Whether a resource exists, by resource id. */
  has(id: string): boolean {
    return [...this.store.values()].some((s) => resourceId(s.kind, s.scope, s.name) === id);
  }

  ids(): string[] {
    return [...this.store.values()].map((s) => resourceId(s.kind, s.scope, s.name)).sort();
  }

  runService(region: string, name: string): RunServiceInfo | undefined {
    const s = this.runServices.get(`${region}/${name}`);
    return s ? clone(s) : undefined;
  }

  // ---- internals ----

  private key(kind: ResourceKind, scope: Scope, name: string, zone?: string): string {
    return kind === 'dnsRecordSet' ? `${kind}:${zone ?? ''}:${name}` : resourceId(kind, scope, name);
  }

  private async call<T>(method: MemoryMethod, target: string, options: CallOptions | undefined, requestId: string | undefined, fn: () => T): Promise<T> {
    this.calls.push({ method, target, ...(requestId ? { requestId } : {}) });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const ms = this.latency(method, target);
      if (ms > 0) {
        if (options?.timeoutMs !== undefined && options.timeoutMs < ms) {
          await delay(options.timeoutMs, options.signal);
          throw cloudError(`${method} ${target}`, 'deadlineExceeded', `no answer within ${options.timeoutMs} ms`);
        }
        await delay(ms, options?.signal);
      }
      if (options?.signal?.aborted) throw cloudError(`${method} ${target}`, 'cancelled', 'cancelled');
      if (requestId && this.requestResults.has(requestId)) {
        const previous = this.requestResults.get(requestId);
        if (previous) throw previous;
        return undefined as T;
      }
      const fault = this.faults.find(
        (f) =>
          (f.method === '*' || f.method === method) &&
          (f.times === undefined || f.used < f.times) &&
          (f.target === undefined || (typeof f.target === 'string' ? f.target === target : f.target.test(target))),
      );
      let result: T;
      if (fault) {
        fault.used++;
        const error = cloudError(`${method} ${target}`, fault.reason, `injected ${fault.reason}`, { fromOperation: fault.fromOperation });
        if (fault.afterApply) fn();
        if (requestId && (fault.fromOperation || fault.afterApply)) this.requestResults.set(requestId, fault.afterApply ? null : error);
        throw error;
      }
      try {
        result = fn();
      } catch (error) {
        if (requestId && error instanceof CloudError && error.fromOperation) this.requestResults.set(requestId, error);
        throw error;
      }
      if (requestId) this.requestResults.set(requestId, null);
      return result;
    } finally {
      this.inFlight--;
    }
  }

  /** Adds what Google adds, and turns relative references into full URLs. */
  private decorate(kind: ResourceKind, scope: Scope, name: string, body: Record<string, unknown>): Record<string, unknown> {
    if (!isComputeKind(kind)) return body;
    const expand = (v: unknown): unknown => {
      if (typeof v === 'string' && /^projects\/[^/]+\/(global|regions|zones)\//.test(v)) return COMPUTE_URL_PREFIX + v;
      if (Array.isArray(v)) return v.map(expand);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]));
      return v;
    };
    const out = expand(body) as Record<string, unknown>;
    out.name = name;
    out.kind = `compute#${kind}`;
    out.id ??= String(this.counter++);
    out.creationTimestamp ??= new Date(0).toISOString();
    out.selfLink = COMPUTE_URL_PREFIX + computePath(this.project, kind, scope, name);
    const region = regionOf(scope);
    if (region) out.region = `${COMPUTE_URL_PREFIX}projects/${this.project}/regions/${region}`;
    if (kindModule(kind).compute?.fingerprinted) out.fingerprint = `fp-${this.counter++}`;
    return out;
  }

  private referencesIn(body: unknown, out: string[] = []): string[] {
    if (typeof body === 'string') {
      const ref = parseComputeRef(body);
      if (ref) out.push(resourceId(ref.kind, ref.scope, ref.name));
    } else if (Array.isArray(body)) for (const v of body) this.referencesIn(v, out);
    else if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) if (k !== 'selfLink') this.referencesIn(v, out);
    return out;
  }

  private checkReferences(operation: string, body: Record<string, unknown>): void {
    for (const id of this.referencesIn(body)) {
      if (!this.store.has(id)) {
        throw cloudError(operation, 'notFound', `The resource '${id}' was not found`, { fromOperation: true });
      }
    }
  }

  private observed(s: Stored): ObservedResource {
    const o: ObservedResource & { zone?: string } = { id: resourceId(s.kind, s.scope, s.name), kind: s.kind, name: s.name, scope: s.scope, body: clone(s.body) };
    if (s.zone) o.zone = s.zone;
    return o;
  }

  private requireRun(region: string, name: string, operation: string): RunServiceInfo {
    const s = this.runServices.get(`${region}/${name}`);
    if (!s) throw cloudError(operation, 'notFound', `Resource '${name}' of kind 'SERVICE' in region '${region}' in project '${this.project}' does not exist.`);
    return s;
  }

  private applyIngress(update: RunIngressUpdate): void {
    const s = this.requireRun(update.region, update.service, `update Cloud Run service ${update.service}`);
    s.ingress = update.ingress;
    s.annotations = mergeAnnotations(s.annotations, update.annotations);
  }

  // ---- Cloud ----

  /**
   * Kinds of other APIs than those modelled here directly (Compute, Cloud DNS records, Cloud Run
   * ingress) go through their kind module over these calls, on the Cloud Run services and IAM
   * policies held here.
   */
  private services(options?: CallOptions): ServiceCalls {
    return memoryServiceCalls(
      {
        project: this.project,
        services: this.runServices,
        policies: this.runPolicies,
        requireRun: (region, name) => this.requireRun(region, name, `Cloud Run service ${name}`),
        applyIngress: (update) => this.applyIngress(update),
        certificateManager: this.certificateManagerResources,
      },
      options?.owner,
    );
  }

  /** Certificate Manager resources by full name. */
  private readonly certificateManagerResources = new Map<string, Record<string, unknown>>();

  /** The roles/run.invoker policy of a Cloud Run service held here (for tests). */
  runIamPolicy(region: string, name: string): IamPolicy | undefined {
    return clone(this.runPolicies.get(`${region}/${name}`));
  }

  /** A kind of another API (see services()): the call is logged and faults apply, then the module runs. */
  private viaModule(kind: ResourceKind): boolean {
    return kind !== 'dnsRecordSet' && kindModule(kind).service !== undefined;
  }

  get(ref: ResourceRef, options?: CallOptions): Promise<ObservedResource | undefined> {
    const id = resourceId(ref.kind, ref.scope, ref.name);
    if (this.viaModule(ref.kind)) {
      return this.call('get', id, options, undefined, () => undefined).then(() => kindModule(ref.kind).service!.get(this.services(options), ref, describeCall('get', ref)));
    }
    return this.call('get', id, options, undefined, () => {
      if (ref.kind === 'dnsRecordSet') {
        const k = recordKey(ref, cloudError);
        const s = this.store.get(this.key('dnsRecordSet', ref.scope, `${k.dnsName}/${k.type}`, k.zone));
        return s ? observedRecord(ref.scope, k.zone, ref.project ?? this.project, clone(s.body)) : undefined;
      }
      const s = this.store.get(id);
      return s ? this.observed(s) : undefined;
    });
  }

  list(kind: ResourceKind, scope: Scope, options?: CallOptions & { filter?: string; zone?: string }): Promise<ObservedResource[]> {
    if (this.viaModule(kind)) {
      return this.call('list', `${kind}:${scope}`, options, undefined, () => undefined).then(() => kindModule(kind).service!.list(this.services(options), scope, `list ${kind}`, {}));
    }
    return this.call('list', `${kind}:${scope}`, options, undefined, () => {
      if (kind === 'dnsRecordSet') {
        return [...this.store.values()]
          .filter((s) => s.kind === 'dnsRecordSet' && s.zone === options?.zone)
          .map((s) => observedRecord(s.scope, s.zone!, this.project, clone(s.body)));
      }
      return [...this.store.values()].filter((s) => s.kind === kind && s.scope === scope).map((s) => this.observed(s));
    });
  }

  insert(resource: DesiredResource, requestId: string, options?: CallOptions): Promise<void> {
    const operation = describeCall('insert', resource);
    if (this.viaModule(resource.kind)) {
      return this.call('insert', resource.id, options, requestId, () => undefined).then(() => kindModule(resource.kind).service!.insert(this.services(options), resource, operation));
    }
    return this.call('insert', resource.id, options, requestId, () => {
      if (resource.kind === 'dnsRecordSet') {
        const k = recordKey({ kind: resource.kind, scope: resource.scope, name: resource.name, zone: resource.zone }, cloudError, resource.body, operation);
        if (containsOutputRef(resource.body)) throw cloudError(operation, 'invalid', 'the body still holds an unresolved $output reference');
        const key = this.key('dnsRecordSet', resource.scope, `${k.dnsName}/${k.type}`, k.zone);
        if (this.store.has(key)) throw cloudError(operation, 'alreadyExists', `The resource 'entity.change.additions[${k.dnsName}][${k.type}]' named '${k.dnsName} (${k.type})' already exists`);
        this.store.set(key, { kind: 'dnsRecordSet', scope: resource.scope, name: `${k.dnsName}/${k.type}`, zone: k.zone, body: { ...clone(resource.body), name: k.dnsName, type: k.type, kind: 'dns#resourceRecordSet' } });
        return;
      }
      if (isReadOnlyKind(resource.kind)) throw cloudError(operation, 'invalid', `serverless-lb never creates a ${resource.kind}`);
      if (this.store.has(resource.id)) {
        throw cloudError(operation, 'alreadyExists', `The resource '${computePath(this.project, resource.kind as never, resource.scope, resource.name)}' already exists`, { fromOperation: true });
      }
      const body = resolvePlaceholders(resource.body);
      this.checkReferences(operation, body);
      this.store.set(resource.id, { kind: resource.kind, scope: resource.scope, name: resource.name, body: this.decorate(resource.kind, resource.scope, resource.name, body) });
    });
  }

  update(resource: DesiredResource, _observed: ObservedResource, changes: readonly FieldChange[], requestId: string, options?: CallOptions): Promise<void> {
    const operation = describeCall('update', resource);
    if (this.viaModule(resource.kind)) {
      return this.call('update', resource.id, options, requestId, () => undefined).then(() => kindModule(resource.kind).service!.update(this.services(options), resource, operation));
    }
    return this.call('update', resource.id, options, requestId, () => {
      if (isComputeKind(resource.kind) && !kindModule(resource.kind).compute?.update) {
        throw cloudError(operation, 'notUpdatable', `${resource.kind} cannot be changed in place (${changes.map((c) => c.field).join(', ')})`);
      }
      const key = resource.kind === 'dnsRecordSet' ? undefined : resource.id;
      if (resource.kind === 'dnsRecordSet') {
        const k = recordKey({ kind: resource.kind, scope: resource.scope, name: resource.name, zone: resource.zone }, cloudError, resource.body, operation);
        const s = this.store.get(this.key('dnsRecordSet', resource.scope, `${k.dnsName}/${k.type}`, k.zone));
        if (!s) throw cloudError(operation, 'notFound', `The resource '${k.dnsName} (${k.type})' was not found`);
        s.body = { ...s.body, ...clone(resource.body), name: k.dnsName, type: k.type };
        return;
      }
      const s = this.store.get(key!);
      if (!s) throw cloudError(operation, 'notFound', `The resource '${resource.id}' was not found`);
      const body = resolvePlaceholders(resource.body);
      this.checkReferences(operation, body);
      const keep = { id: s.body.id, creationTimestamp: s.body.creationTimestamp };
      s.body = this.decorate(resource.kind, resource.scope, resource.name, { ...body, ...keep });
    });
  }

  delete(ref: ResourceRef, requestId: string, options?: CallOptions): Promise<void> {
    const id = resourceId(ref.kind, ref.scope, ref.name);
    const operation = describeCall('delete', ref);
    if (this.viaModule(ref.kind)) {
      return this.call('delete', id, options, requestId, () => undefined).then(() => kindModule(ref.kind).service!.delete(this.services(options), ref, operation));
    }
    return this.call('delete', id, options, requestId, () => {
      if (ref.kind === 'dnsRecordSet') {
        const k = recordKey(ref, cloudError, undefined, operation);
        const key = this.key('dnsRecordSet', ref.scope, `${k.dnsName}/${k.type}`, k.zone);
        if (!this.store.delete(key)) throw cloudError(operation, 'notFound', `The resource '${k.dnsName} (${k.type})' was not found`);
        return;
      }
      if (!this.store.has(id)) {
        throw cloudError(operation, 'notFound', `The resource '${computePath(this.project, ref.kind as never, ref.scope, ref.name)}' was not found`);
      }
      for (const [otherId, other] of this.store) {
        if (otherId !== id && this.referencesIn(other.body).includes(id)) {
          throw cloudError(
            operation,
            'resourceInUseByAnotherResource',
            `The ${ref.kind} resource '${computePath(this.project, ref.kind as never, ref.scope, ref.name)}' is already being used by '${computePath(this.project, other.kind as never, other.scope, other.name)}'`,
          );
        }
      }
      this.store.delete(id);
    });
  }

  /** Fails with the injected access error: on Google this read (projects.get) is the first that needs access. */
  getProjectQuotas(options?: CallOptions): Promise<Quota[]> {
    return this.call('read', 'projectQuotas', options, undefined, () => {
      if (this.accessError) throw cloudError(`read project ${this.project}`, this.accessError, `injected ${this.accessError}`);
      return clone(this.projectQuotas);
    });
  }

  /** The configured regions, else Google's public regions (getRegion then takes any region-shaped name). */
  listRegions(options?: CallOptions): Promise<string[]> {
    return this.call('read', 'regions', options, undefined, () => (this.regions ? [...this.regions.keys()].sort() : [...PUBLIC_REGIONS]));
  }

  getRegion(region: string, options?: CallOptions): Promise<RegionInfo | undefined> {
    return this.call('read', `regions/${region}`, options, undefined, () => {
      if (this.regions) return clone(this.regions.get(region));
      return /^[a-z]+-[a-z]+[0-9]+$/.test(region) ? { name: region, status: 'UP', quotas: [] } : undefined;
    });
  }

  heldPermissions(permissions: readonly string[], options?: CallOptions): Promise<string[]> {
    return this.call('read', 'permissions', options, undefined, () => permissions.filter((p) => !this.denied.has(p)));
  }

  enabledApis(options?: CallOptions): Promise<string[]> {
    return this.call('read', 'services', options, undefined, () => MEMORY_APIS.filter((a) => !this.disabledApis.has(a)));
  }

  listNetworkSubnetworks(network: string, options?: CallOptions): Promise<SubnetworkInfo[]> {
    return this.call('read', `subnetworks:network/${network}`, options, undefined, () => this.subnetworksWhere(() => true).filter((s) => s.network.split('/').at(-1) === network));
  }

  listSubnetworks(region: string, options?: CallOptions): Promise<SubnetworkInfo[]> {
    return this.call('read', `subnetworks:${region}`, options, undefined, () => this.subnetworksWhere((r) => r === region));
  }

  /** The subnetworks held here (given and created) of the regions `inRegion` takes. */
  private subnetworksWhere(inRegion: (region: string) => boolean): SubnetworkInfo[] {
    const created = [...this.store.values()]
      .filter((s) => s.kind === 'subnetwork' && inRegion(regionOf(s.scope) ?? ''))
      .map((s) => ({
        name: s.name,
        region: regionOf(s.scope)!,
        network: String(s.body.network ?? ''),
        purpose: String(s.body.purpose ?? 'PRIVATE'),
        role: s.body.role === undefined ? undefined : String(s.body.role),
        state: 'READY',
        ipCidrRange: s.body.ipCidrRange === undefined ? undefined : String(s.body.ipCidrRange),
      }));
    return [...clone(this.subnetworks.filter((s) => inRegion(s.region))), ...created];
  }

  getRunService(region: string, name: string, options?: CallOptions): Promise<RunServiceInfo | undefined> {
    return this.call('read', `run:${region}/${name}`, options, undefined, () => clone(this.runServices.get(`${region}/${name}`)));
  }

  listManagedZones(options?: CallOptions): Promise<ManagedZoneInfo[]> {
    return this.call('read', 'dns:managedZones', options, undefined, () => clone(this.managedZones));
  }

  listRunServices(region: string, options?: CallOptions): Promise<RunServiceInfo[]> {
    return this.call('read', `run:${region}`, options, undefined, () => [...this.runServices.values()].filter((s) => s.region === region).map(clone));
  }

  serverlessTargetExists(target: ServerlessTarget, options?: CallOptions): Promise<boolean> {
    return this.call('read', `target:${target.type}`, options, undefined, () => {
      switch (target.type) {
        case 'cloudRun':
          return this.runServices.has(`${target.region}/${target.service}`);
        case 'cloudFunction':
          return this.serverlessTargets.has(`cloudFunction:${target.region}/${target.name}`);
        case 'apiGateway':
          return this.serverlessTargets.has(`apiGateway:${target.region}/${target.gateway}`);
        case 'appEngine':
          return this.serverlessTargets.has(`appEngine:${[target.service, target.version].filter(Boolean).join('/')}`);
      }
    });
  }

  updateRunIngress(update: RunIngressUpdate, options?: CallOptions): Promise<void> {
    return this.call('update', `run:${update.region}/${update.service}`, options, undefined, () => this.applyIngress(update));
  }

  async close(): Promise<void> {}
}

function containsOutputRef(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsOutputRef);
  if (v && typeof v === 'object') return '$output' in v || Object.values(v).some(containsOutputRef);
  return false;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
