/**
 * Cloud Run Admin API v2 (services, their IAM policy, long-running operations), its v1 (Knative)
 * projection for gcloud (run-v1-api.ts, installed with it), plus the read-only
 * APIs of the other serverless platforms the tool reads: Cloud Functions v1, App Engine Admin v1
 * and API Gateway v1. Behaviour spec: docs/emulator.md, "Cloud Run Admin API v2".
 *
 * Contract highlights:
 * - Enums are accepted as names or numbers; answers use names, or numbers when the request asks
 *   for `$alt=json;enum-encoding=int` (as the Node SDK does), like Google.
 * - Mutations (create, patch, delete) answer a Run Operation `{name, metadata}` at once; it stays
 *   not done for opLatencyMs, then is `{done: true, response: {"@type": ...Service, ...}}`. The
 *   change is visible at once (the service shows `reconciling: true` until the operation is done).
 * - Errors are google.rpc style: `{"error": {"code", "message", "status"}}`.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { ApiError, json, type ApiRequest, type ApiResponse, type OperationFault } from '../core/http.js';
import type { Json, JsonObject } from '../core/store.js';
import { operationStartOptions } from '../core/operations.js';
import {
  convertServiceEnums,
  etag,
  iamPolicyPath,
  ingressName,
  readyStatus,
  revisionName,
  runUrls,
  servicePath,
  defaultTemplate,
  iamEtag,
  projectMetaPath,
  projectNumber,
  sameIamEtag,
} from './run-model.js';
import { installRunV1Api } from './run-v1-api.js';
import type { RunServiceModel } from './run-model.js';
import { appPath, appServicePath, appVersionPath, buildService, EMULATOR_PRINCIPAL, functionPath, gatewayPath } from './serverless-resources.js';

const SERVICE_TYPE = 'type.googleapis.com/google.cloud.run.v2.Service';
const SERVICE_ID = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 412: 9, 429: 8, 499: 1, 500: 13, 501: 12, 503: 14, 504: 4 };

/** Output-only fields a PATCH without update mask keeps from the stored service. */
const OUTPUT_ONLY = [
  'name', 'uid', 'generation', 'createTime', 'updateTime', 'deleteTime', 'expireTime', 'creator', 'lastModifier',
  'observedGeneration', 'terminalCondition', 'conditions', 'latestReadyRevision', 'latestCreatedRevision',
  'trafficStatuses', 'uri', 'urls', 'satisfiesPzs', 'reconciling', 'etag',
];

const wantsInt = (req: ApiRequest) => (req.query.get('$alt') ?? '').includes('enum-encoding=int');

function notFound(project: string, region: string, name: string, kind = 'SERVICE'): ApiError {
  return ApiError.rpc(404, `Resource '${name}' of kind '${kind}' in region '${region}' in project '${project}' does not exist.`);
}

function camel(path: string): string {
  return path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function getAt(obj: JsonObject, path: string[]): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as JsonObject)[k];
  }
  return cur;
}

function setAt(obj: JsonObject, path: string[], value: Json | undefined): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (!next || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as JsonObject;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

function validateService(body: JsonObject): void {
  if ('ingress' in body && body['ingress'] !== undefined && !ingressName(body['ingress'])) {
    throw ApiError.rpc(
      400,
      `Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), ${JSON.stringify(body['ingress'])}`,
    );
  }
  const traffic = body['traffic'];
  if (Array.isArray(traffic)) {
    const total = traffic.reduce<number>((sum, t) => sum + Number((t as JsonObject)?.['percent'] ?? 0), 0);
    if (traffic.length > 0 && total !== 100) {
      throw ApiError.rpc(400, `Traffic percentages must add up to 100, got ${total}.`);
    }
  }
}

function opError(fault: OperationFault): JsonObject {
  return { code: GRPC_CODE[fault.httpErrorStatusCode] ?? 2, message: fault.httpErrorMessage || fault.errors[0]?.message || 'operation failed' };
}

export function installRunApi(ctx: EmulatorContext): RunServiceModel {
  const { store, router } = ctx;
  const base = '/v2/projects/:project/locations/:location';
  const at = () => ctx.now().toISOString();
  const rpc = { errorStyle: 'rpc' as const };

  const out = (req: ApiRequest, service: JsonObject): JsonObject => convertServiceEnums(service, wantsInt(req) ? 'int' : 'name');
  const opOut = (req: ApiRequest, op: JsonObject): JsonObject => {
    const o = { ...op };
    if (o['metadata']) o['metadata'] = out(req, o['metadata'] as JsonObject);
    if (o['response']) o['response'] = out(req, o['response'] as JsonObject);
    return o;
  };

  const load = (project: string, location: string, name: string): JsonObject => {
    const service = store.get<JsonObject>(servicePath(project, location, name));
    if (!service) throw notFound(project, location, name);
    return service;
  };

  /** Stores a not-done operation and arranges its completion. `finish` returns the final service (or undefined on failure). */
  const startOperation = (
    project: string,
    location: string,
    metadata: JsonObject,
    req: ApiRequest,
    finish: () => JsonObject | undefined,
  ): JsonObject => {
    const fault = req.operationFault;
    const name = `projects/${project}/locations/${location}/operations/${ctx.ids.uuid()}`;
    const op: JsonObject = { name, metadata: { '@type': SERVICE_TYPE, ...metadata } };
    store.put(name, op);
    ctx.operations.start(name, () => {
      const current = store.get<JsonObject>(name);
      if (!current) return;
      if (fault) {
        store.put(name, { ...current, done: true, error: opError(fault) });
        return;
      }
      const result = { '@type': SERVICE_TYPE, ...(finish() ?? metadata) };
      // Google's finished operation carries the final service as both metadata and response.
      store.put(name, { ...current, metadata: result, done: true, response: result });
    }, operationStartOptions(req));
    return op;
  };

  /** Marks a reconciling service ready (its operation finished). */
  const settle = (path: string, newRevision: boolean): JsonObject | undefined => {
    const service = store.get<JsonObject>(path);
    if (!service) return undefined;
    const generation = Number(service['generation'] ?? 1);
    const latest = String(service['latestReadyRevision'] ?? '');
    const serviceId = path.split('/').at(-1)!;
    const revision = newRevision || !latest ? revisionName(serviceId, generation, String(service['uid'])) : latest.split('/').at(-1)!;
    const traffic = (Array.isArray(service['traffic']) ? service['traffic'] : []) as JsonObject[];
    const ready = readyStatus(path, revision, generation, at(), traffic, String(service['uri']));
    const next: JsonObject = { ...service, ...ready };
    delete next['reconciling'];
    next['etag'] = etag(`${path}:${generation}:${at()}:ready`);
    store.put(path, next);
    return next;
  };

  // ---- services ----

  router.add('GET', `${base}/services/:service`, (req, p) => json(out(req, load(p['project']!, p['location']!, p['service']!))), rpc);

  router.add(
    'GET',
    `${base}/services`,
    (req, p) => {
      // `locations/-` lists every region, as Google does.
      const all =
        p['location'] === '-'
          ? store.entries().filter(([k]) => new RegExp(`^projects/${p['project']}/locations/[^/]+/services/[^/]+$`).test(k)).map(([, v]) => v as JsonObject)
          : store.list<JsonObject>(`projects/${p['project']}/locations/${p['location']}/services`).map(([, v]) => v);
      const size = Number(req.query.get('pageSize') ?? '0') || all.length || 1;
      const start = Number(req.query.get('pageToken') ?? '0') || 0;
      const page = all.slice(start, start + size);
      const body: JsonObject = {};
      if (page.length) body['services'] = page.map((s) => out(req, s));
      if (start + size < all.length) body['nextPageToken'] = String(start + size);
      return json(body);
    },
    rpc,
  );

  const create = (req: ApiRequest, project: string, location: string, serviceId: string, raw: JsonObject): ApiResponse => {
    if (!serviceId) throw ApiError.rpc(400, 'serviceId is required.');
    if (!SERVICE_ID.test(serviceId)) {
      throw ApiError.rpc(400, `Invalid service id '${serviceId}': must be 1-49 lower-case letters, digits or hyphens, start with a letter and not end with a hyphen.`);
    }
    const path = servicePath(project, location, serviceId);
    if (store.has(path)) throw ApiError.rpc(409, `Resource '${serviceId}' already exists.`);
    const body = convertServiceEnums(raw, 'name');
    validateService(body);
    if (!body['template'] || typeof body['template'] !== 'object') throw ApiError.rpc(400, 'service.template is required.');
    for (const k of OUTPUT_ONLY) delete body[k];
    const service = buildService(store, { project, region: location, name: serviceId, body, uid: ctx.ids.uuid(), at: at(), ready: false });
    if (req.query.get('validateOnly') === 'true') {
      return json(opOut(req, { name: `projects/${project}/locations/${location}/operations/${ctx.ids.uuid()}`, metadata: { '@type': SERVICE_TYPE, ...service }, done: true, response: { '@type': SERVICE_TYPE, ...service } }));
    }
    if (!req.operationFault) store.put(path, service);
    // The first snapshot Google reports for a create carries no ingress and no uri yet.
    const { ingress: _ingress, uri: _uri, ...initial } = service;
    const op = startOperation(project, location, initial, req, () => settle(path, true));
    return json(opOut(req, op));
  };

  router.add(
    'POST',
    `${base}/services`,
    (req, p) => create(req, p['project']!, p['location']!, req.query.get('serviceId') ?? '', (req.body ?? {}) as JsonObject),
    rpc,
  );

  /**
   * The one update path of a service (v2 PATCH, and the v1 replaceService projection): validates,
   * stores the new desired state at once (`reconciling: true`, `generation` +1) and answers the
   * operation that settles it after opLatencyMs. `mask` lists camelCase or snake_case field paths;
   * empty: the body replaces the service (output-only fields kept).
   */
  const updateService = (req: ApiRequest, project: string, location: string, id: string, raw: JsonObject, mask: string[]): ApiResponse => {
    const path = servicePath(project, location, id);
    const current = store.get<JsonObject>(path);
    if (!current) {
      if (req.query.get('allowMissing') === 'true') return create(req, project, location, id, raw);
      throw notFound(project, location, id);
    }
    if (typeof raw['name'] === 'string' && raw['name'] !== '' && raw['name'] !== path) {
      throw ApiError.rpc(400, `service.name ${raw['name']} does not match the URL (${path}).`);
    }
    if (typeof raw['etag'] === 'string' && raw['etag'] !== '' && raw['etag'] !== current['etag']) {
      throw ApiError.rpc(409, 'The etag of the service does not match: it was changed by someone else.', 'ABORTED');
    }
    const body = convertServiceEnums(raw, 'name');
    validateService(body);
    const fields = mask.map((s) => s.trim()).filter(Boolean).map(camel);
    let next: JsonObject;
    let templateChanged: boolean;
    if (fields.length > 0) {
      next = { ...current };
      for (const field of fields) {
        const parts = field.split('.');
        if (OUTPUT_ONLY.includes(parts[0]!)) throw ApiError.rpc(400, `Field '${field}' is output only and cannot be updated.`);
        setAt(next, parts, getAt(body, parts));
      }
      templateChanged = fields.some((f) => f === 'template' || f.startsWith('template.'));
    } else {
      if (!body['template'] || typeof body['template'] !== 'object') throw ApiError.rpc(400, 'service.template is required.');
      next = { ...body };
      for (const k of OUTPUT_ONLY) if (current[k] !== undefined) next[k] = current[k];
      templateChanged = true;
    }
    next['template'] = defaultTemplate(next['template'] as JsonObject | undefined, projectNumber(store, project));
    next['ingress'] ??= 'INGRESS_TRAFFIC_ALL';
    if (!Array.isArray(next['traffic']) || next['traffic'].length === 0) {
      next['traffic'] = [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }];
    }
    if (req.query.get('validateOnly') === 'true') {
      return json(opOut(req, { name: `projects/${project}/locations/${location}/operations/${ctx.ids.uuid()}`, metadata: { '@type': SERVICE_TYPE, ...next }, done: true, response: { '@type': SERVICE_TYPE, ...next } }));
    }
    const generation = Number(current['generation'] ?? 1) + 1;
    next['generation'] = String(generation);
    next['updateTime'] = at();
    next['lastModifier'] = EMULATOR_PRINCIPAL(project);
    const previous = (current['terminalCondition'] as JsonObject | undefined) ?? {};
    next['terminalCondition'] = { type: 'Ready', state: 'CONDITION_PENDING', ...(previous['lastTransitionTime'] ? { lastTransitionTime: previous['lastTransitionTime'] } : {}) };
    next['reconciling'] = true;
    next['etag'] = etag(`${path}:${generation}:${at()}`);
    next['uri'] = runUrls(store, project, location, id).uri;
    if (!req.operationFault) store.put(path, next);
    const op = startOperation(project, location, next, req, () => settle(path, templateChanged));
    return json(opOut(req, op));
  };

  router.add(
    'PATCH',
    `${base}/services/:service`,
    (req, p) => updateService(req, p['project']!, p['location']!, p['service']!, (req.body ?? {}) as JsonObject, (req.query.get('updateMask') ?? '').split(',')),
    rpc,
  );

  router.add(
    'DELETE',
    `${base}/services/:service`,
    (req, p) => {
      const project = p['project']!;
      const location = p['location']!;
      const path = servicePath(project, location, p['service']!);
      const current = load(project, location, p['service']!);
      const reqEtag = req.query.get('etag');
      if (reqEtag && reqEtag !== current['etag']) throw ApiError.rpc(409, 'The etag of the service does not match.', 'ABORTED');
      const now = ctx.now();
      const deleted: JsonObject = {
        ...current,
        generation: String(Number(current['generation'] ?? 1) + 1),
        updateTime: now.toISOString(),
        deleteTime: now.toISOString(),
        expireTime: new Date(now.getTime() + 30 * 24 * 3600 * 1000).toISOString(),
        terminalCondition: { ...((current['terminalCondition'] as JsonObject | undefined) ?? {}), type: 'Ready', state: 'CONDITION_PENDING' },
        reconciling: true,
      };
      if (req.query.get('validateOnly') === 'true') return json(opOut(req, { name: `projects/${project}/locations/${location}/operations/${ctx.ids.uuid()}`, metadata: { '@type': SERVICE_TYPE, ...deleted }, done: true, response: { '@type': SERVICE_TYPE, ...deleted } }));
      if (!req.operationFault) {
        store.delete(path);
        store.delete(iamPolicyPath(path));
      }
      const op = startOperation(project, location, deleted, req, () => {
        const final: JsonObject = {
          ...deleted,
          updateTime: at(),
          observedGeneration: deleted['generation'] as string,
          terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED', lastTransitionTime: at() },
          etag: etag(`${path}:deleted:${at()}`),
        };
        delete final['reconciling'];
        return final;
      });
      return json(opOut(req, op));
    },
    rpc,
  );

  // ---- IAM ----

  const emptyPolicy: JsonObject = { etag: 'ACAB' };
  const policyOut = (policy: JsonObject | undefined): JsonObject => {
    if (!policy || !Array.isArray(policy['bindings']) || policy['bindings'].length === 0) {
      return policy?.['etag'] ? { etag: policy['etag'] } : emptyPolicy;
    }
    return policy;
  };

  // The IAM methods: the v1 API (what `gcloud run services add-iam-policy-binding` calls) serves
  // the same policies under the same resource names.
  for (const iamBase of [base, '/v1/projects/:project/locations/:location']) {
  router.add(
      'GET',
      `${iamBase}/services/:service:getIamPolicy`,
      (_req, p) => {
        const path = servicePath(p['project']!, p['location']!, p['service']!);
        load(p['project']!, p['location']!, p['service']!);
        return json(policyOut(store.get<JsonObject>(iamPolicyPath(path))));
      },
      rpc,
    );

    router.add(
      'POST',
      `${iamBase}/services/:service:setIamPolicy`,
      (req, p) => {
        const path = servicePath(p['project']!, p['location']!, p['service']!);
        load(p['project']!, p['location']!, p['service']!);
        const body = (req.body ?? {}) as JsonObject;
        const policy = body['policy'] as JsonObject | undefined;
        if (!policy || typeof policy !== 'object') throw ApiError.rpc(400, 'policy is required.');
        const current = store.get<JsonObject>(iamPolicyPath(path));
        const currentEtag = current?.['etag'] ?? 'ACAB';
        if (typeof policy['etag'] === 'string' && policy['etag'] !== '' && !sameIamEtag(policy['etag'], String(currentEtag))) {
          throw ApiError.rpc(409, 'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.', 'ABORTED');
        }
        const bindings = Array.isArray(policy['bindings']) ? (policy['bindings'] as JsonObject[]) : [];
        // Domain restricted sharing (an organisation policy): no public members.
        const meta = store.get<JsonObject>(projectMetaPath(p['project']!));
        if (meta?.['domainRestrictedSharing'] === true && bindings.some((b) => ((b['members'] as string[] | undefined) ?? []).some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers'))) {
          throw ApiError.rpc(400, 'One or more users named in the policy do not belong to a permitted customer,  perhaps due to an organization policy.', 'FAILED_PRECONDITION');
        }
        for (const b of bindings) {
          if (typeof b['role'] !== 'string' || !Array.isArray(b['members'])) throw ApiError.rpc(400, 'Each binding needs a role and members.');
          for (const m of b['members'] as string[]) {
            if (!/^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|principal|principalSet):.+)$/.test(m)) {
              throw ApiError.rpc(400, `Invalid member: ${m}`);
            }
          }
        }
        const stored: JsonObject = {
          version: Number(policy['version'] ?? 1) || 1,
          etag: iamEtag(`${path}:${JSON.stringify(bindings)}:${at()}:${ctx.ids.token()}`),
        };
        if (bindings.length > 0) stored['bindings'] = bindings.filter((b) => (b['members'] as string[]).length > 0);
        store.put(iamPolicyPath(path), stored);
        return json(policyOut(stored));
      },
      rpc,
    );
  }

  router.add(
    'POST',
    `${base}/services/:service:testIamPermissions`,
    (req, p) => {
      load(p['project']!, p['location']!, p['service']!);
      const permissions = ((req.body as JsonObject | undefined)?.['permissions'] as string[] | undefined) ?? [];
      return json(permissions.length ? { permissions } : {});
    },
    rpc,
  );

  // ---- operations ----

  const loadOp = (p: Record<string, string>): JsonObject => {
    const name = `projects/${p['project']}/locations/${p['location']}/operations/${p['operation']}`;
    const op = store.get<JsonObject>(name);
    if (!op) throw ApiError.rpc(404, `Operation '${name}' not found.`);
    return op;
  };
  router.add('GET', `${base}/operations/:operation`, (req, p) => json(opOut(req, loadOp(p))), rpc);
  router.add(
    'POST',
    `${base}/operations/:operation:wait`,
    async (req, p) => {
      const op = loadOp(p);
      const timeout = String((req.body as JsonObject | undefined)?.['timeout'] ?? '');
      const ms = /^\d+(\.\d+)?s$/.test(timeout) ? parseFloat(timeout) * 1000 : ctx.options.waitTimeoutMs;
      await ctx.operations.wait(String(op['name']), ms);
      return json(opOut(req, loadOp(p)));
    },
    rpc,
  );
  router.add(
    'GET',
    `${base}/operations`,
    (req, p) => {
      const ops = store.list<JsonObject>(`projects/${p['project']}/locations/${p['location']}/operations`).map(([, v]) => opOut(req, v));
      return json(ops.length ? { operations: ops } : {});
    },
    rpc,
  );
  router.add(
    'DELETE',
    `${base}/operations/:operation`,
    (_req, p) => {
      const op = loadOp(p);
      store.delete(String(op['name']));
      return json({});
    },
    rpc,
  );

  // ---- Cloud Functions v1 (read-only) ----

  router.add(
    'GET',
    '/v1/projects/:project/locations/:location/functions/:function',
    (_req, p) => {
      const f = store.get<JsonObject>(functionPath(p['project']!, p['location']!, p['function']!));
      if (!f) throw ApiError.rpc(404, `Function ${p['function']} in region ${p['location']} in project ${p['project']} does not exist`);
      return json(f);
    },
    rpc,
  );
  router.add(
    'GET',
    '/v1/projects/:project/locations/:location/functions',
    (_req, p) => {
      const list =
        p['location'] === '-'
          ? store.entries().filter(([k]) => new RegExp(`^projects/${p['project']}/locations/[^/]+/functions/[^/]+$`).test(k)).map(([, v]) => v)
          : store.list(`projects/${p['project']}/locations/${p['location']}/functions`).map(([, v]) => v);
      return json(list.length ? { functions: list } : {});
    },
    rpc,
  );

  // ---- App Engine Admin v1 (read-only) ----

  const appNotFound = (what: string) => ApiError.rpc(404, `${what} not found.`);
  router.add('GET', '/v1/apps/:app', (_req, p) => json(store.get(appPath(p['app']!)) ?? (() => { throw appNotFound(`App does not exist (expected app ${p['app']})`); })()), rpc);
  router.add(
    'GET',
    '/v1/apps/:app/services/:service',
    (_req, p) => {
      const s = store.get<JsonObject>(appServicePath(p['app']!, p['service']!));
      if (!s) throw appNotFound(`Service ${appServicePath(p['app']!, p['service']!)}`);
      return json(s);
    },
    rpc,
  );
  router.add(
    'GET',
    '/v1/apps/:app/services',
    (_req, p) => {
      if (!store.has(appPath(p['app']!))) throw appNotFound(`App ${p['app']}`);
      const list = store.list(`apps/${p['app']}/services`).map(([, v]) => v);
      return json(list.length ? { services: list } : {});
    },
    rpc,
  );
  router.add(
    'GET',
    '/v1/apps/:app/services/:service/versions/:version',
    (_req, p) => {
      const v = store.get<JsonObject>(appVersionPath(p['app']!, p['service']!, p['version']!));
      if (!v) throw appNotFound(`Version ${appVersionPath(p['app']!, p['service']!, p['version']!)}`);
      return json(v);
    },
    rpc,
  );
  router.add(
    'GET',
    '/v1/apps/:app/services/:service/versions',
    (_req, p) => {
      if (!store.has(appServicePath(p['app']!, p['service']!))) throw appNotFound(`Service ${appServicePath(p['app']!, p['service']!)}`);
      const list = store.list(`apps/${p['app']}/services/${p['service']}/versions`).map(([, v]) => v);
      return json(list.length ? { versions: list } : {});
    },
    rpc,
  );

  // ---- API Gateway v1 (read-only) ----

  router.add(
    'GET',
    '/v1/projects/:project/locations/:location/gateways/:gateway',
    (_req, p) => {
      const path = gatewayPath(p['project']!, p['location']!, p['gateway']!);
      const g = store.get<JsonObject>(path);
      if (!g) throw ApiError.rpc(404, `Resource '${path}' was not found`);
      return json(g);
    },
    rpc,
  );
  router.add(
    'GET',
    '/v1/projects/:project/locations/:location/gateways',
    (_req, p) => {
      const list = store.list(`projects/${p['project']}/locations/${p['location']}/gateways`).map(([, v]) => v);
      return json(list.length ? { gateways: list } : {});
    },
    rpc,
  );

  return { updateService };
}

export const runModule: EmulatorModule = {
  name: 'run',
  install(ctx) {
    installRunV1Api(ctx, installRunApi(ctx));
  },
};
