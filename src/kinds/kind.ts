/**
 * The contract of a resource kind module (src/kinds/<kind>.ts): everything serverless-lb knows about
 * one kind of Google resource, in one place. The generic code (graph building, diff, the Cloud port,
 * read-state, teardown ordering, the memory cloud, preflight, verify and both exporters) iterates the
 * registry (registry.ts) and asks the kind; it holds no table of its own about kinds.
 *
 * A kind module holds:
 *   - identity: `kind`, the words for humans, where it can exist (`scopes`), and its place in the
 *     registry, which is the creation order (a kind references only kinds before it);
 *   - `build`: the resources of this kind a Spec implies, added to the graph being built;
 *   - `compute` (Compute Engine kinds): the collection, the SDK client classes, and how a change is
 *     made in place (`update`: the narrowest calls Google offers for the changed fields), plus what
 *     insert needs beyond the plain insert call;
 *   - `service` (kinds of other APIs): get/list/insert/update/delete through the Cloud port's
 *     service calls;
 *   - `compare`: which fields cannot change in place, which keys count even when absent, whether
 *     the resource moves to its alternate name when it must be replaced;
 *   - `ownership`: how the mark is written (labels, description marker) or read (a custom reader);
 *   - `gcloud` and `terraform`: what the exports write for a resource of this kind;
 *   - `quotaMetrics` and `access` (preflight) and `verify` (what verify needs of it).
 *
 * This module and the kind modules import no registry-aware module (paths.ts, ownership.ts,
 * render-gcloud.ts, google-cloud.ts): the generic code hands them what they need through the
 * interfaces below and those of service-calls.ts, so there is no import cycle.
 */
import type { Spec } from '../spec/schema.js';
import type { Listener } from '../spec/derive.js';
import type { LbNames } from '../model/naming.js';
import type { BlockItem, Expr, HclValue } from '../model/hcl.js';
import type { DesiredGraph, DesiredResource, FieldChange, ObservedResource, ObservedState, Plan, PlanStep, ResourceKind, Scope, SecretRef } from '../model/resource-model.js';
import type { GcloudCommand, Word } from '../model/gcloud-words.js';
import type { CertManagerCollection, ServiceCalls } from './service-calls.js';

// ------------------------------------------------------------------------------------ building

/** An option of GraphBuilder.add. */
export interface AddOptions {
  /** false: an existing resource the user named; read and referenced, never changed. Default true. */
  managed?: boolean;
  project?: string;
  zone?: string;
}

/** One place the LB listens: a forwarding rule per listener, and the address they share. */
export interface Frontend {
  /** Region of the address and (for internal types) of the subnet; undefined for a global address. */
  region: string | undefined;
  addressScope: Scope;
  forwardingRuleScope: Scope;
  /** Name suffix of the address and forwarding rules where one LB has several (cross-region; `ipv6` for dual stack). */
  suffix: string | undefined;
  /** The address family of a dual-stack load balancer's frontend; undefined: the config's ipVersion. */
  ipVersion?: 'IPV4' | 'IPV6';
}

/**
 * The graph being built, handed to each kind's `build` in registry order. What one kind's build
 * leaves in `shared` is what later kinds reference (the URL map a proxy points at).
 */
export interface GraphBuilder {
  readonly spec: Spec;
  readonly project: string;
  readonly names: LbNames;
  /** Scope of backend services, URL maps, proxies, certificates and the security policy. */
  readonly coreScope: Scope;
  readonly frontends: readonly Frontend[];
  readonly listeners: readonly Listener[];
  /** The resources added so far, in order. */
  readonly resources: readonly DesiredResource[];
  /** Adds a resource (with the ownership mark when managed); throws on a duplicate id. */
  add(kind: ResourceKind, scope: Scope, name: string, body: Record<string, unknown>, dependsOn: string[], purpose: string, options?: AddOptions): DesiredResource;
  /** Whether a resource with this id was added. */
  has(id: string): boolean;
  /** `projects/P/<scope>/<collection>/<name>` of a compute resource of the graph. */
  path(resource: DesiredResource): string;
  /** What earlier kinds leave for later ones. */
  readonly shared: SharedGraph;
}

export interface SharedGraph {
  network?: DesiredResource;
  networkPath: string;
  proxyOnlySubnets: Map<string, DesiredResource>;
  subnets: Map<string, DesiredResource>;
  addresses: Map<Frontend, DesiredResource>;
  /** References the HTTPS proxy carries in `sslCertificates`, and the resources behind them. */
  sslCertificateRefs: string[];
  certificateDeps: string[];
  certificateMap?: string;
  /** The Certificate Manager certificate the map entries point at (global types). */
  certManagerCertificate?: DesiredResource;
  /** DNS authorizations by the domain they authorize, with their resources. */
  dnsAuthorizations: Map<string, DesiredResource>;
  securityPolicy?: DesiredResource;
  /** mTLS: the trust config and the server TLS policy of the HTTPS proxy. */
  trustConfig?: DesiredResource;
  serverTlsPolicy?: DesiredResource;
  /** The SSL policy of the HTTPS proxy. */
  sslPolicy?: DesiredResource;
  negs: Map<string, DesiredResource[]>;
  backendServices: Map<string, DesiredResource>;
  urlMap?: DesiredResource;
  redirectUrlMap?: DesiredResource;
  proxies: Map<Listener, DesiredResource>;
  forwardingRules: DesiredResource[];
  mainForwardingRules: Map<Frontend, DesiredResource>;
}

// ------------------------------------------------------------------------------------ the API

/** What a Compute kind's `update` works with: one resource, its resolved body and the changed fields. */
export interface ComputeUpdate {
  readonly resource: DesiredResource;
  /** The desired body with placeholders resolved. */
  readonly body: Record<string, unknown>;
  /** Top-level fields that differ; `take` removes them as they are handled. */
  readonly fields: Set<string>;
  /** Some top-level field is removed (patch cannot remove: the SDK drops nulls and empty lists; a full update can). */
  readonly removes: boolean;
  /** `{project}` or `{project, region}` for the request. */
  readonly params: { project: string; region?: string };
  /** Removes the named fields from `fields`; true when any of them was there. */
  take(...names: string[]): boolean;
  /** Runs a method of this kind's client and waits for its operation; `detail` goes into error messages. */
  mutate(method: string, request: Record<string, unknown>, detail?: string): Promise<void>;
  /** A fresh read of the resource (for the fingerprint a patch or update needs). */
  fresh(): Promise<Record<string, unknown>>;
  /**
   * A PATCH sent as this JSON exactly, empty lists and nulls included (the SDK drops them, so its
   * patch cannot clear a field); waited for like `mutate`.
   */
  patchAsJson(body: Record<string, unknown>): Promise<void>;
  /** The request id of one call of this update (deterministic per attempt). */
  rid(call: string): string;
  /** setLabels with the current label fingerprint. */
  setLabels(labels: unknown): Promise<void>;
  /** A backend service's setSecurityPolicy / setEdgeSecurityPolicy. */
  setBackendPolicy(method: 'setSecurityPolicy' | 'setEdgeSecurityPolicy', policy: string | null): Promise<void>;
  /** The CloudError `notUpdatable` for fields no call can change. */
  notUpdatable(fields: Iterable<string>): Error;
}

export interface ComputeApi {
  /** Compute Engine collection (same name global and regional): `backendServices`. */
  collection: string;
  /** SDK client class per scope. */
  clients: { global?: string; regional?: string };
  /** Google returns a `fingerprint` that patch and update must send back. */
  fingerprinted: boolean;
  /** What insert sends (default: the body) and whether through the v1beta client. */
  insertBody?(body: Record<string, unknown>): { body: Record<string, unknown>; beta?: boolean };
  /** Work after the insert's operation is done (attach what insert cannot carry). */
  afterInsert?(update: ComputeUpdate): Promise<void>;
  /** A body read through v1 that v1 could not carry whole: read it again through v1beta. */
  readAgainThroughBeta?(body: Record<string, unknown>): boolean;
  /** Makes the changes in place; absent: no change can be made in place. */
  update?(update: ComputeUpdate): Promise<void>;
}

/** Identifies one resource (the Cloud port's ResourceRef). `zone` is required for dnsRecordSet. */
export interface ResourceRef {
  kind: ResourceKind;
  scope: Scope;
  name: string;
  /** Cloud DNS managed zone (dnsRecordSet only). */
  zone?: string;
  /** DNS record type, `A` or `AAAA` (dnsRecordSet only; default `A`). */
  recordType?: string;
  /** Project of the resource when it is not the Cloud's project (a DNS zone in another project). */
  project?: string;
}

export interface ServiceApi {
  get(calls: ServiceCalls, ref: ResourceRef, operation: string): Promise<ObservedResource | undefined>;
  list(calls: ServiceCalls, scope: Scope, operation: string, options: { zone?: string }): Promise<ObservedResource[]>;
  insert(calls: ServiceCalls, resource: DesiredResource, operation: string): Promise<void>;
  update(calls: ServiceCalls, resource: DesiredResource, operation: string): Promise<void>;
  delete(calls: ServiceCalls, ref: ResourceRef, operation: string): Promise<void>;
}

// ------------------------------------------------------------------------------------ plan rules

export interface CompareRules {
  /** Top-level fields that cannot change in place; 'all' when nothing can. */
  immutable(scope: Scope): ReadonlySet<string> | 'all';
  /** Keys compared even when the desired body leaves them out, with the value their absence means. */
  implicit?: Record<string, unknown>;
  /**
   * true: a resource that must be replaced moves to its alternate name (create new, repoint its
   * users, delete the old); false: deleted and created again under the same name.
   */
  rotatable: boolean;
  /**
   * Whether an observed resource of this kind serves now (a Google-managed certificate: ACTIVE).
   * Absent: as soon as it exists. A certificate map serves when its entries do (diff.ts).
   */
  serving?(observed: Record<string, unknown>): boolean;
  /**
   * For kinds that point at certificates (proxies, map entries): the body to aim for in this run.
   * What a reference names that does not serve yet is not switched to: the proxy holds new
   * certificates beside those that serve now (Google provisions a managed certificate only once a
   * proxy holds it), and keeps its certificates or map until a new map serves; an entry keeps its
   * certificates. `serving(ref)` says whether what a reference names serves now. What the held body
   * still names is kept (not deleted) until a later run, shown as pending.
   */
  hold?(desired: Record<string, unknown>, observed: Record<string, unknown> | undefined, serving: (ref: string) => boolean): { body: Record<string, unknown>; waitsFor: string[] };
  /** A change of an otherwise immutable field that this kind makes in place (a backend service's scheme at the end of a migration). */
  changesInPlace?(field: string, desired: Record<string, unknown>, observed: Record<string, unknown>): boolean;
  /** A change of an immutable field the plan must not make (a blocker with this message and hint), instead of replacing the resource. */
  refuseChange?(field: string, desired: Record<string, unknown>, observed: Record<string, unknown>): { message: string; hint: string } | undefined;
  /** Normalises a key's desired and observed values before they are compared (security policy rules by priority). */
  normalize?(key: string, value: unknown): unknown;
  /**
   * The desired body as it compares with what the API returns, where a field holds a reference that
   * the API answers with the referenced resource's value (a forwarding rule's IPAddress).
   * `observedAt` reads the observed body of the resource a path names.
   */
  withObservedValues?(body: Record<string, unknown>, observedAt: (path: string) => Record<string, unknown> | undefined): Record<string, unknown>;
}

/** What the plan does with one desired resource (src/plan/diff.ts). */
export interface Decision {
  action: 'create' | 'update' | 'replace' | 'noop';
  changes: FieldChange[];
  reason: string;
}

/** What a kind's own plan rule works with. */
export interface DecideContext {
  readonly resource: DesiredResource;
  /** The load balancer the plan is for. */
  readonly lbName: string;
  /** The resource as it exists, or undefined. */
  readonly observed: ObservedResource | undefined;
  /** Planning without reading the API. */
  readonly offline: boolean;
  /** The desired body with OutputRef values read from the observed state; ok false where one cannot be yet. */
  resolveOutputs(): { body: Record<string, unknown>; ok: boolean };
  compare(desired: Record<string, unknown>, observed: Record<string, unknown>): FieldChange[];
  /** Whether the observed resource belongs to this load balancer. */
  owned(): boolean;
  /** A problem that stops the plan. */
  block(message: string, hint: string): void;
  /** The blocker for a resource in the way that this load balancer does not own. */
  notOwned(): void;
}

export interface PlanRules {
  /**
   * Decides for a desired, managed resource of this kind in place of the general rule (compare the
   * owned resource, update in place, replace what cannot change). Undefined: no step (blocked).
   */
  decide?(context: DecideContext): Decision | undefined;
  /** Deletes of this kind wait for the deletes of these kinds ('all': of every other kind). */
  deleteAfter?: readonly ResourceKind[] | 'all';
  /**
   * Why teardown deletes it, where "owned by this load balancer" does not say it; a function where
   * the reason depends on what was read (another load balancer still sharing the resource).
   */
  teardownReason?: string | ((observed: Record<string, unknown>, lbName: string) => string);
  /** What the user must do by hand for this step, printed under the plan table (undefined: nothing). */
  byHand?(step: PlanStep, plan: Plan): string | undefined;
  /**
   * What this step interrupts, for whom and for how long (undefined: nothing that worked stops
   * working). A disruptive plan needs consent: a confirmation naming it, or --allow-disruption.
   */
  disruption?(step: PlanStep): string | undefined;
}

export interface Ownership {
  /** The resource takes `labels`: the mark is the label `serverless-lb: <lb>`. */
  labels: boolean;
  /** The description starts with the marker `[serverless-lb:<lb>]`. */
  description: boolean;
  /**
   * Marks read some other way (annotations); overrides labels and description. A setting on a
   * resource several load balancers share (a Cloud Run service) names every one of them.
   */
  owners?(body: Record<string, unknown>): string[];
  /**
   * No mark: the resource is the load balancer's when every IP it points at (these) is held by a
   * resource the load balancer owns (DNS records).
   */
  pointsAt?(body: Record<string, unknown>): string[];
  /** What to do about a resource of this kind in the way that this load balancer does not own. */
  unownedHint?: string;
  /**
   * A resource of this kind without a mark of its own (gcloud cannot describe a NEG; a load
   * balancer made by hand and imported) is the load balancer's when a resource of one of these
   * kinds that the load balancer owns references it: what owns it recognises it. Only for kinds a
   * config never names as existing (a user's certificate or policy must never be taken this way).
   */
  heldBy?: readonly ResourceKind[];
}

// ------------------------------------------------------------------------------------ preflight

/**
 * What a step of a kind needs of the caller and the project, for preflight (src/cloud/preflight-access.ts).
 * Compute Engine kinds need nothing here: their permissions come from the SDK client
 * (`compute.globalAddresses.create`) and their API is Compute Engine; Certificate Manager kinds
 * name their permission prefix in `certManager.iam`.
 */
export interface AccessNeeds {
  /**
   * The IAM permissions a step needs in the load balancer's project (`project`). `verbs`: the IAM
   * verbs of its action on the kind's collection (`create`, `update`, `delete`; a replace is create
   * and delete), never empty.
   */
  permissions(verbs: readonly string[], step: PlanStep, project: string): string[];
  /** The APIs (service names) the step calls; `project`: the load balancer's project. */
  apis(step: PlanStep, project: string): string[];
}

// ------------------------------------------------------------------------------------ exports

/** A reference of a body resolved against the desired graph. */
export interface ResolvedRef {
  kind: ResourceKind;
  project: string;
  scope: Scope;
  region?: string;
  name: string;
  id: string;
  resource?: DesiredResource;
}

/** The gcloud script being written (src/plan/render-gcloud.ts). */
export interface GcloudScript {
  readonly graph: DesiredGraph;
  command(project: string, command: GcloudCommand): void;
  comment(text: string): void;
  /** A shell variable holding the value of `expression`, defined once per key; its name. */
  variable(key: string, stem: string, expression: string): string;
  /** A double-quoted shell expression giving the secret at run time. */
  secret(ref: SecretRef, stem: string): string;
  /** A file path argument for a secret gcloud reads from a file. */
  secretFile(ref: SecretRef): Word;
  resolve(value: string): ResolvedRef | undefined;
  /** The name a reference points at. */
  refName(value: string): string;
}

/** The Terraform configuration being written (src/plan/render-terraform.ts). */
export interface TerraformConfig {
  readonly graph: DesiredGraph;
  /** The value of a reference field: an expression when the target is known, a literal path otherwise. */
  ref(value: string, attribute?: 'id' | 'self_link'): HclValue;
  resolve(value: string): ResolvedRef | undefined;
  /** A sensitive variable holding a secret, declared once per source. */
  secretVariable(ref: SecretRef, stem: string): Expr;
  /** The Terraform address of a graph resource and its kind (DNS records pointing at an IP). */
  addressOf(id: string): { address: string; kind: ResourceKind } | undefined;
  /** Records that the current resource references `id` (no depends_on needed). */
  referenced(id: string): void;
  /** The google-beta provider is needed. */
  useBeta(): void;
  /** An expression for the project's number (a `google_project` data source, declared once). */
  projectNumber(): string;
}

export interface TerraformExport {
  /** The resource type of a managed resource; undefined: no resource (see `comment`). */
  resourceType(resource: DesiredResource): string | undefined;
  /** The data source reading an existing resource of this kind, where the provider has one. */
  dataSource?(global: boolean): string | undefined;
  /** The resource's arguments. */
  convert?(config: TerraformConfig, resource: DesiredResource): BlockItem[];
  /** Lines of a comment written instead of a resource (what this configuration does not manage). */
  comment?(resource: DesiredResource): string[];
}

// ------------------------------------------------------------------------------------ the module

export interface ResourceKindModule {
  readonly kind: ResourceKind;
  /** How the kind is named for humans: `backend service`. */
  readonly words: string;
  readonly scopes: { global: boolean; regional: boolean };
  /** serverless-lb only reads resources of this kind (never creates, changes or deletes them). */
  readonly readOnly?: boolean;
  build?(graph: GraphBuilder): void;
  readonly compute?: ComputeApi;
  readonly service?: ServiceApi;
  /**
   * Certificate Manager kinds: the collection, and how other resources reference one
   * (`service`: with the `//certificatemanager.googleapis.com/` prefix, as target proxies do).
   */
  readonly certManager?: {
    collection: CertManagerCollection;
    referencedAs: 'service' | 'name';
    /** The IAM permission prefix of the collection: `certificatemanager.certs`. */
    iam: string;
  };
  /**
   * Kinds of other APIs that other resources reference by a path (a server TLS policy on the HTTPS
   * proxy): the path a reference carries, and how to read one back.
   */
  readonly reference?: {
    path(project: string, scope: Scope, name: string): string;
    parse(value: string): { project: string; scope: Scope; name: string } | undefined;
  };
  readonly compare: CompareRules;
  readonly plan?: PlanRules;
  readonly ownership: Ownership;
  /** The config key that names an existing resource of this kind instead of creating one (for hints). */
  readonly existingKey?: string;
  /**
   * The value a DNS record pointing at an observed resource of this kind holds: the IP literal of
   * an address or forwarding rule, the CNAME target of a DNS authorization. Records whose every
   * datum is such a value of an owned resource are the load balancer's.
   */
  ipOf?(body: Record<string, unknown>): string | undefined;
  gcloud(script: GcloudScript, resource: DesiredResource): void;
  readonly terraform: TerraformExport;
  /**
   * preflight: the permissions and APIs a step needs, where the kind is neither a Compute Engine
   * nor a Certificate Manager kind (or needs more than its API: a backend service with IAP).
   * `apis` alone keeps the derived permissions.
   */
  readonly access?: Partial<AccessNeeds>;
  /** Quota metrics a new resource counts against, most specific first. */
  quotaMetrics?(resource: Pick<DesiredResource, 'scope' | 'body'>): string[];
  /**
   * A setting on a resource serverless-lb does not own (a Cloud Run service's ingress, its IAM):
   * status shows it present when it is in effect, and managed only while the mark names the LB.
   */
  readonly setting?: { inEffect(desired: Record<string, unknown>, observed: Record<string, unknown>): boolean };
  /**
   * Ids of observed resources this one uses without referencing them (a proxy's forwarding rule
   * uses the region's proxy-only subnet): a delete of one of them waits for it, and one it does
   * not own keeps them (the diff's delete edges).
   */
  implicitUses?(body: Record<string, unknown>, scope: Scope, observed: ObservedState): string[];
  /** verify: the resource carries traffic; its absence is reported as missing. */
  readonly verify?: { dataPath: boolean };
}

