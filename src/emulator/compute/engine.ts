/**
 * The generic Compute collection: get, list, insert, delete, update (PUT), patch, setLabels,
 * for one resource kind described by a KindSpec. Kind-specific rules live in the spec's hooks.
 *
 * Contract (every kind):
 * - Resources are stored at `projects/P/global/C/N` or `projects/P/regions/R/C/N` with `kind`,
 *   string `id`, `creationTimestamp`, `selfLink` (and `region` for regional kinds), references as
 *   full v1 URLs.
 * - Validation errors are returned at once (400 invalid / 404 notFound for a missing referenced
 *   resource / 409 alreadyExists, including a name whose insert is still RUNNING). The effect is
 *   applied when the operation is DONE.
 * - Delete fails at once with 400 resourceInUseByAnotherResource while any other stored resource
 *   references it (back-reference fields such as `users` do not count).
 * - `fingerprint` (kinds that have one) changes on every update; an update/patch that carries a
 *   stale fingerprint fails with 412 conditionNotMet. setLabels checks `labelFingerprint` the same way.
 * - Secrets (`privateKey`) are stored for the data plane but never returned.
 */
import type { EmulatorContext } from '../core/context.js';
import type { ApiRequest, ApiResponse, RouteHandler } from '../core/http.js';
import type { Json, JsonObject } from '../core/store.js';
import { alreadyExists, fingerprintMismatch, inUse, invalidField, notFound } from './errors.js';
import { asObject, checkLabels, checkName, compact, contentFingerprint, fingerprintOf, mergePatch } from './fields.js';
import { applyFilter, applyOrder, paginate } from './list.js';
import { requestIdIndex, runOperation } from './operations.js';
import { knownRegion } from './regions.js';
import { normaliseRef, parsePath, selfLinkOf } from './urls.js';

export type Mode = 'insert' | 'update' | 'patch' | 'seed';

export interface BuildContext {
  ctx: EmulatorContext;
  project: string;
  region?: string;
  name: string;
  path: string;
  /** The request body with every compute reference already turned into a full v1 URL. */
  body: JsonObject;
  existing?: JsonObject;
  mode: Mode;
}

export interface KindSpec {
  /** URL collection segment: `addresses`, `networkEndpointGroups`, ... */
  collection: string;
  /** `compute#address` */
  kind: string;
  /** Used in in-use messages: `backend_service`. */
  snake: string;
  scope: 'global' | 'regional';
  labels?: boolean;
  /** Labels sent with insert are dropped (Google's behaviour for addresses and forwarding rules: set them with setLabels). */
  insertIgnoresLabels?: boolean;
  fingerprint?: boolean;
  update?: boolean;
  patch?: boolean;
  /** operationType overrides (defaults: insert, delete, update, patch). */
  opTypes?: Partial<Record<'insert' | 'delete' | 'update' | 'patch', string>>;
  /** Validates and returns the resource's own fields (the engine adds kind/id/name/selfLink/...). */
  build(b: BuildContext): JsonObject;
  /** Runs when an insert is DONE (and on seed), after the resource is stored. */
  afterInsert?(ctx: EmulatorContext, path: string, resource: JsonObject): void;
  /** Extra checks before a delete is accepted (throws ApiError). */
  beforeDelete?(ctx: EmulatorContext, path: string, resource: JsonObject): void;
  /** Runs when a delete is DONE, after the resource is removed. */
  afterDelete?(ctx: EmulatorContext, path: string, resource: JsonObject): void;
  /** Runs when an update/patch is DONE. */
  afterUpdate?(ctx: EmulatorContext, path: string, before: JsonObject, after: JsonObject): void;
  /** Output-only fields computed when the resource is read (e.g. a backend service's `usedBy`). */
  decorate?(ctx: EmulatorContext, path: string, resource: JsonObject): JsonObject;
  /** True when `user` (which references this resource) is owned by it and goes with it on delete. */
  ownsUser?(ctx: EmulatorContext, path: string, resource: JsonObject, userPath: string, user: JsonObject): boolean;
}

/** Fields that never count as references to another resource. */
const NON_REFERENCE_FIELDS = new Set(['selfLink', 'selfLinkWithId', 'users', 'usedBy', 'region', 'zone', 'subnetworks', 'targetLink', 'kind']);

/** Paths of pending inserts (names taken while RUNNING), per emulator. */
const pendingInserts = new WeakMap<EmulatorContext, Set<string>>();

function pending(ctx: EmulatorContext): Set<string> {
  let set = pendingInserts.get(ctx);
  if (!set) {
    set = new Set();
    pendingInserts.set(ctx, set);
    const s = set;
    ctx.onReset(() => s.clear());
  }
  return set;
}

/** Turns every compute reference string inside a request body into a full v1 URL. */
export function normaliseRefs(value: Json, project: string, skip: ReadonlySet<string> = new Set()): Json {
  if (typeof value === 'string') return normaliseRef(value, project);
  if (Array.isArray(value)) return value.map((v) => normaliseRefs(v, project, skip));
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = skip.has(k) ? v : normaliseRefs(v, project, skip);
    return out;
  }
  return value;
}

/** Store path of a resource that references `selfLink`, other than `excludePath`; undefined if none. */
export function findUser(
  ctx: EmulatorContext,
  targetPath: string,
  skip: (userPath: string, user: JsonObject) => boolean = () => false,
): string | undefined {
  const link = selfLinkOf(targetPath);
  const refers = (value: Json): boolean => {
    if (typeof value === 'string') return value === link;
    if (Array.isArray(value)) return value.some(refers);
    if (value && typeof value === 'object') {
      return Object.entries(value).some(([k, v]) => !NON_REFERENCE_FIELDS.has(k) && refers(v));
    }
    return false;
  };
  for (const [path, value] of ctx.store.entries()) {
    if (path === targetPath) continue;
    const p = parsePath(path);
    if (!p || p.collection === 'operations') continue;
    if (refers(value) && !skip(path, value as JsonObject)) return path;
  }
  return undefined;
}

/** Removes secrets before a resource leaves the emulator. */
export function present(resource: JsonObject): JsonObject {
  if (!('privateKey' in resource)) return resource;
  const { privateKey: _secret, ...rest } = resource;
  return rest;
}

export interface Scope {
  project: string;
  region?: string;
}

export function collectionPath(spec: KindSpec, scope: Scope): string {
  return spec.scope === 'global'
    ? `projects/${scope.project}/global/${spec.collection}`
    : `projects/${scope.project}/regions/${scope.region}/${spec.collection}`;
}

function checkRegion(scope: Scope): void {
  if (scope.region !== undefined && !knownRegion(scope.region)) {
    throw notFound(`projects/${scope.project}/regions/${scope.region}`);
  }
}

/**
 * Fingerprints are base64 `bytes`: Google compares the bytes, so the standard and the URL-safe
 * encodings of one fingerprint are equal (gcloud sends the URL-safe one: `-` and `_` for `+` and `/`).
 */
export function sameFingerprint(given: unknown, stored: unknown): boolean {
  const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('hex') : undefined);
  return bytes(given) === bytes(stored);
}

/** Builds the full stored resource for an insert (or seed). */
export function buildResource(ctx: EmulatorContext, spec: KindSpec, scope: Scope, rawBody: JsonObject, mode: 'insert' | 'seed'): { path: string; resource: JsonObject } {
  const name = checkName(rawBody['name']);
  const path = `${collectionPath(spec, scope)}/${name}`;
  const body = normaliseRefs(rawBody, scope.project, new Set(['tests'])) as JsonObject;
  const own = spec.build({ ctx, project: scope.project, ...(scope.region ? { region: scope.region } : {}), name, path, body, mode });
  const checked = spec.labels ? checkLabels(body['labels']) : undefined;
  const labels = mode === 'insert' && spec.insertIgnoresLabels ? undefined : checked;
  const resource = compact({
    kind: spec.kind,
    id: ctx.ids.numeric(),
    creationTimestamp: ctx.now().toISOString(),
    name,
    ...own,
    ...(spec.labels && labels && Object.keys(labels).length ? { labels } : {}),
    ...(spec.scope === 'regional' ? { region: selfLinkOf(`projects/${scope.project}/regions/${scope.region}`) } : {}),
    selfLink: selfLinkOf(path),
  });
  if (spec.labels) resource['labelFingerprint'] = fingerprintOf(resource['labels'] ?? {});
  if (spec.fingerprint) resource['fingerprint'] = contentFingerprint(resource);
  return { path, resource };
}

/** Inserts directly (no operation): the seed loader's way in. */
export function seedResource(ctx: EmulatorContext, spec: KindSpec, scope: Scope, body: JsonObject): JsonObject {
  const { path, resource } = buildResource(ctx, spec, scope, body, 'seed');
  if (ctx.store.has(path)) throw alreadyExists(path);
  ctx.store.put(path, resource);
  spec.afterInsert?.(ctx, path, resource);
  return resource;
}

export function getOr404(ctx: EmulatorContext, path: string): JsonObject {
  const r = ctx.store.get<JsonObject>(path);
  if (!r) throw notFound(path);
  return r;
}

/** Starts an operation that replaces a stored resource with `next` (fingerprint recomputed). */
export function replaceWithOperation(
  ctx: EmulatorContext,
  req: ApiRequest,
  spec: KindSpec,
  scope: Scope,
  path: string,
  before: JsonObject,
  operationType: string,
  change: (current: JsonObject) => JsonObject,
  sync = false,
): ApiResponse {
  return runOperation(ctx, req, {
    project: scope.project,
    ...(spec.scope === 'regional' ? { region: scope.region! } : {}),
    operationType,
    targetPath: path,
    targetId: String(before['id']),
    sync,
    apply: () => {
      const current = ctx.store.get<JsonObject>(path);
      if (!current) throw notFound(path);
      const next = change(current);
      if (spec.fingerprint) next['fingerprint'] = contentFingerprint(next);
      ctx.store.put(path, next);
      spec.afterUpdate?.(ctx, path, current, next);
    },
  });
}

function scopeOf(params: Record<string, string>): Scope {
  return { project: params['project']!, ...(params['region'] ? { region: params['region'] } : {}) };
}

export interface CollectionHandlers {
  get: RouteHandler;
  list: RouteHandler;
  insert: RouteHandler;
  remove: RouteHandler;
  update?: RouteHandler;
  patch?: RouteHandler;
  setLabels?: RouteHandler;
}

export function collectionHandlers(ctx: EmulatorContext, spec: KindSpec): CollectionHandlers {
  const opType = (k: 'insert' | 'delete' | 'update' | 'patch') => spec.opTypes?.[k] ?? k;
  const regionOf = (scope: Scope) => (spec.scope === 'regional' ? { region: scope.region! } : {});

  const get: RouteHandler = (_req, params) => {
    const scope = scopeOf(params);
    checkRegion(scope);
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const resource = getOr404(ctx, path);
    return { status: 200, body: present(spec.decorate ? spec.decorate(ctx, path, resource) : resource) };
  };

  const list: RouteHandler = (req, params) => {
    const scope = scopeOf(params);
    checkRegion(scope);
    const coll = collectionPath(spec, scope);
    // The stored values themselves (frozen): filtered, ordered and paged without a copy of the whole collection.
    let items = ctx.store.children<JsonObject>(coll).map(([p, v]) => present(spec.decorate ? spec.decorate(ctx, p, v) : v));
    items = applyOrder(applyFilter(items, req.query.get('filter')), req.query.get('orderBy'));
    const page = paginate(items, req.query.get('maxResults'), req.query.get('pageToken'));
    return {
      status: 200,
      body: compact({
        kind: `${spec.kind}List`,
        id: coll,
        items: page.items.length ? page.items : undefined,
        nextPageToken: page.nextPageToken,
        selfLink: selfLinkOf(coll),
      }),
    };
  };

  const insert: RouteHandler = (req, params) => {
    const scope = scopeOf(params);
    checkRegion(scope);
    const { path, resource } = buildResource(ctx, spec, scope, asObject(req.body), 'insert');
    const inFlight = pending(ctx);
    const replay = req.query.get('requestId') ? runOperationReplay(ctx, req, scope.project) : undefined;
    if (replay) return replay;
    if (ctx.store.has(path) || inFlight.has(path)) throw alreadyExists(path);
    if (!req.operationFault) inFlight.add(path);
    return runOperation(ctx, req, {
      project: scope.project,
      ...regionOf(scope),
      operationType: opType('insert'),
      targetPath: path,
      targetId: String(resource['id']),
      apply: () => {
        inFlight.delete(path);
        if (req.operationFault) return;
        ctx.store.put(path, { ...resource, creationTimestamp: ctx.now().toISOString() });
        spec.afterInsert?.(ctx, path, resource);
      },
    });
  };

  const remove: RouteHandler = (req, params) => {
    const scope = scopeOf(params);
    checkRegion(scope);
    const replay = req.query.get('requestId') ? runOperationReplay(ctx, req, scope.project) : undefined;
    if (replay) return replay;
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const resource = getOr404(ctx, path);
    const user = findUser(ctx, path, (userPath, u) => spec.ownsUser?.(ctx, path, resource, userPath, u) ?? false);
    if (user) throw inUse(spec.snake, path, user);
    spec.beforeDelete?.(ctx, path, resource);
    return runOperation(ctx, req, {
      project: scope.project,
      ...regionOf(scope),
      operationType: opType('delete'),
      targetPath: path,
      targetId: String(resource['id']),
      apply: () => {
        const current = ctx.store.get<JsonObject>(path);
        if (!current) return;
        ctx.store.delete(path);
        spec.afterDelete?.(ctx, path, current);
      },
    });
  };

  const rebuild = (scope: Scope, path: string, existing: JsonObject, body: JsonObject, mode: 'update' | 'patch'): JsonObject => {
    if (body['name'] !== undefined && body['name'] !== existing['name']) {
      throw invalidField('resource.name', body['name'], 'The name of a resource cannot be changed.');
    }
    const normalised = normaliseRefs(body, scope.project, new Set(['tests'])) as JsonObject;
    const own = spec.build({ ctx, project: scope.project, ...(scope.region ? { region: scope.region } : {}), name: String(existing['name']), path, body: normalised, existing, mode });
    const next = compact({
      kind: spec.kind,
      id: existing['id'],
      creationTimestamp: existing['creationTimestamp'],
      name: existing['name'],
      ...own,
      ...(spec.labels && existing['labels'] ? { labels: existing['labels'] } : {}),
      ...(spec.labels ? { labelFingerprint: existing['labelFingerprint'] } : {}),
      ...(spec.scope === 'regional' ? { region: existing['region'] } : {}),
      selfLink: existing['selfLink'],
    });
    return next;
  };

  const checkFingerprint = (existing: JsonObject, body: JsonObject) => {
    if (spec.fingerprint && typeof body['fingerprint'] === 'string' && !sameFingerprint(body['fingerprint'], existing['fingerprint'])) {
      throw fingerprintMismatch();
    }
  };

  const mutate = (mode: 'update' | 'patch'): RouteHandler => (req, params) => {
    const scope = scopeOf(params);
    checkRegion(scope);
    const replay = req.query.get('requestId') ? runOperationReplay(ctx, req, scope.project) : undefined;
    if (replay) return replay;
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const body = asObject(req.body);
    checkFingerprint(existing, body);
    const merged = mode === 'patch' ? (mergePatch(stripOutputOnly(existing), stripOutputOnly(body)) as JsonObject) : stripOutputOnly(body);
    const next = rebuild(scope, path, existing, merged, mode);
    return replaceWithOperation(ctx, req, spec, scope, path, existing, opType(mode), () => ({ ...next }));
  };

  const setLabels: RouteHandler = (req, params) => {
    const scope = scopeOf(params);
    checkRegion(scope);
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const body = asObject(req.body);
    if (typeof body['labelFingerprint'] === 'string' && !sameFingerprint(body['labelFingerprint'], existing['labelFingerprint'])) {
      throw fingerprintMismatch();
    }
    const labels = checkLabels(body['labels'], 'labels') ?? {};
    return replaceWithOperation(ctx, req, { ...spec, fingerprint: false }, scope, path, existing, 'setLabels', (current) => {
      const next = { ...current };
      if (Object.keys(labels).length) next['labels'] = labels;
      else delete next['labels'];
      next['labelFingerprint'] = fingerprintOf(labels);
      return next;
    }, true);
  };

  return {
    get,
    list,
    insert,
    remove,
    ...(spec.update ? { update: mutate('update') } : {}),
    ...(spec.patch ? { patch: mutate('patch') } : {}),
    ...(spec.labels ? { setLabels } : {}),
  };
}

const OUTPUT_ONLY_FIELDS = ['kind', 'id', 'creationTimestamp', 'selfLink', 'selfLinkWithId', 'fingerprint', 'labelFingerprint', 'region'];

export function stripOutputOnly(body: JsonObject): JsonObject {
  const out = { ...body };
  for (const k of OUTPUT_ONLY_FIELDS) delete out[k];
  return out;
}

/** The earlier operation for a repeated requestId, if any. */
function runOperationReplay(ctx: EmulatorContext, req: ApiRequest, project: string): ApiResponse | undefined {
  const opPath = requestIdIndex(ctx).get(`${project}/${req.query.get('requestId')}`);
  if (!opPath) return undefined;
  const op = ctx.store.get(opPath);
  return op ? { status: 200, body: op } : undefined;
}
