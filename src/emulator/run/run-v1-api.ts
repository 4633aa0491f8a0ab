/**
 * Cloud Run Admin API v1 (Knative serving), the part `gcloud run services update --ingress` and
 * `gcloud run services describe` use: `namespaces.services.get` and `replaceService`. Behaviour spec:
 * docs/emulator.md, "Cloud Run Admin API v1 (Knative)".
 *
 * Contract:
 * - There is no v1 record: a v1 Service is a projection of the v2 service in the store, and a
 *   replaceService is a v2 update (`RunServiceModel.updateService`, mask `ingress,labels`), so v2
 *   readers, the operations and the data plane see exactly what a v2 PATCH would give them.
 * - Paths: `/apis/serving.knative.dev/v1/namespaces/NS/services/S` on a regional endpoint (the
 *   region is the `REGION-` prefix of the Host, as in `europe-west1-run.googleapis.com`; NS is the
 *   project id or number), and `/apis/serving.knative.dev/v1/projects/P/locations/R/services/S`.
 * - Only `metadata.labels`, the `run.googleapis.com/ingress` annotation and the client-name /
 *   client-version annotations (v2 `client`, `clientVersion`) can change; a PUT that changes `spec`
 *   is 400 (not emulated). A stale `metadata.resourceVersion` is 409 ABORTED.
 * - `status` is the v2 status: `Ready` is `Unknown` and `observedGeneration` lags while the v2
 *   operation runs (opLatencyMs), then `True`.
 * - Errors are google.rpc style, as Cloud Run's v1 endpoints answer them.
 */
import type { EmulatorContext } from '../core/context.js';
import { ApiError, json, type ApiRequest, type ApiResponse } from '../core/http.js';
import type { Json, JsonObject, ResourceStore } from '../core/store.js';
import { parseServiceName, projectNumber, servicePath, type RunServiceModel } from './run-model.js';

const API_PREFIX = '/apis/serving.knative.dev/v1';
export const INGRESS_ANNOTATION = 'run.googleapis.com/ingress';
export const INGRESS_STATUS_ANNOTATION = 'run.googleapis.com/ingress-status';
const LOCATION_LABEL = 'cloud.googleapis.com/location';
/** gcloud sets these on every write; they are v2's `client` and `clientVersion`. */
const CLIENT_NAME_ANNOTATION = 'run.googleapis.com/client-name';
const CLIENT_VERSION_ANNOTATION = 'run.googleapis.com/client-version';

/** v1 `run.googleapis.com/ingress` values and the v2 ingress each stands for. */
const INGRESS_V1_TO_V2: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  none: 'INGRESS_TRAFFIC_NONE',
};
const INGRESS_V2_TO_V1: Record<string, string> = Object.fromEntries(Object.entries(INGRESS_V1_TO_V2).map(([k, v]) => [v, k]));

export function ingressV1ToV2(value: string): string | undefined {
  return INGRESS_V1_TO_V2[value];
}

export function ingressV2ToV1(value: string): string {
  return INGRESS_V2_TO_V1[value] ?? 'all';
}

/** The region of a regional endpoint host (`europe-west1-run.googleapis.com`, `us-central1-127.0.0.1:8089`). */
export function regionOfHost(host: string | undefined): string | undefined {
  return /^([a-z]+(?:-[a-z]+)*\d+)-[^-]/.exec(host ?? '')?.[1];
}

const obj = (v: Json | undefined): JsonObject => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const last = (name: Json | undefined) => String(name ?? '').split('/').at(-1) ?? '';
const int = (v: Json | undefined) => (v === undefined || v === null || v === '' ? undefined : Number(v));

/** Drops undefined values, empty objects and empty arrays (as Google's JSON encoder does). */
function compact(value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(compact).filter((v): v is Json => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const c = compact(v);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value as Json;
}

const V1_CONDITION_STATUS: Record<string, string> = {
  CONDITION_SUCCEEDED: 'True',
  CONDITION_FAILED: 'False',
};

function v1Condition(c: JsonObject, reconciling: boolean): JsonObject {
  return compact({
    type: c['type'],
    status: reconciling ? 'Unknown' : (V1_CONDITION_STATUS[String(c['state'])] ?? 'Unknown'),
    message: c['message'],
    reason: c['reason'],
    lastTransitionTime: c['lastTransitionTime'],
    severity: c['severity'] === 'WARNING' || c['severity'] === 'INFO' ? (c['severity'] === 'WARNING' ? 'Warning' : 'Info') : undefined,
  }) as JsonObject;
}

function v1Container(c: JsonObject): JsonObject {
  const probe = obj(c['startupProbe']);
  return compact({
    name: c['name'],
    image: c['image'],
    command: c['command'],
    args: c['args'],
    env: c['env'],
    ports: c['ports'],
    resources: { limits: obj(c['resources'])['limits'] },
    startupProbe: Object.keys(probe).length ? probe : undefined,
  }) as JsonObject;
}

/** The v1 `spec` (revision template and traffic) of a v2 service. */
function v1Spec(service: JsonObject): JsonObject {
  const template = obj(service['template']);
  const scaling = obj(template['scaling']);
  const templateAnnotations: JsonObject = { ...obj(template['annotations']) };
  if (scaling['maxInstanceCount'] !== undefined) templateAnnotations['autoscaling.knative.dev/maxScale'] = String(scaling['maxInstanceCount']);
  if (scaling['minInstanceCount'] !== undefined) templateAnnotations['autoscaling.knative.dev/minScale'] = String(scaling['minInstanceCount']);
  const timeout = /^(\d+)(?:\.\d+)?s$/.exec(String(template['timeout'] ?? ''));
  const containers = (Array.isArray(template['containers']) ? template['containers'] : []) as JsonObject[];
  return compact({
    template: {
      metadata: { name: template['revision'], labels: template['labels'], annotations: templateAnnotations },
      spec: {
        containerConcurrency: template['maxInstanceRequestConcurrency'],
        timeoutSeconds: timeout ? Number(timeout[1]) : undefined,
        serviceAccountName: template['serviceAccount'],
        containers: containers.map(v1Container),
      },
    },
    traffic: ((Array.isArray(service['traffic']) ? service['traffic'] : []) as JsonObject[]).map((t) => ({
      percent: t['percent'],
      latestRevision: t['type'] === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' ? true : undefined,
      revisionName: t['revision'],
      tag: t['tag'],
    })),
  }) as JsonObject;
}

/** A v2 service (as stored, enums as names) seen through Cloud Run Admin API v1. */
export function toV1Service(store: ResourceStore, service: JsonObject): JsonObject {
  const parsed = parseServiceName(String(service['name']));
  if (!parsed) throw new Error(`not a Cloud Run service name: ${String(service['name'])}`);
  const { project, region, service: id } = parsed;
  const namespace = projectNumber(store, project);
  const ingress = ingressV2ToV1(String(service['ingress'] ?? 'INGRESS_TRAFFIC_ALL'));
  const reconciling = service['reconciling'] === true;
  const terminal = obj(service['terminalCondition']);
  const conditions = [
    v1Condition({ ...terminal, type: 'Ready' }, reconciling),
    ...((Array.isArray(service['conditions']) ? service['conditions'] : []) as JsonObject[]).map((c) => v1Condition(c, reconciling)),
  ];
  const latestReady = last(service['latestReadyRevision']);
  const uri = service['uri'] as string | undefined;
  const annotations: JsonObject = {
    ...obj(service['annotations']),
    'serving.knative.dev/creator': service['creator'] ?? null,
    'serving.knative.dev/lastModifier': service['lastModifier'] ?? null,
    [INGRESS_ANNOTATION]: ingress,
    [INGRESS_STATUS_ANNOTATION]: ingress,
  };
  if (service['launchStage'] && service['launchStage'] !== 'GA') annotations['run.googleapis.com/launch-stage'] = service['launchStage'];
  if (typeof service['client'] === 'string') annotations[CLIENT_NAME_ANNOTATION] = service['client'];
  if (typeof service['clientVersion'] === 'string') annotations[CLIENT_VERSION_ANNOTATION] = service['clientVersion'];
  return compact({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name: id,
      namespace,
      selfLink: `${API_PREFIX}/namespaces/${namespace}/services/${id}`,
      uid: service['uid'],
      resourceVersion: String(service['etag'] ?? '').replace(/"/g, '') || undefined,
      generation: int(service['generation']),
      creationTimestamp: service['createTime'],
      labels: { ...obj(service['labels']), [LOCATION_LABEL]: region },
      annotations,
    },
    spec: v1Spec(service),
    status: {
      observedGeneration: int(service['observedGeneration']),
      conditions,
      latestReadyRevisionName: latestReady || undefined,
      latestCreatedRevisionName: last(service['latestCreatedRevision']) || undefined,
      traffic: ((Array.isArray(service['trafficStatuses']) ? service['trafficStatuses'] : []) as JsonObject[]).map((t) => ({
        revisionName: t['revision'] ?? (t['type'] === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' ? latestReady || undefined : undefined),
        percent: t['percent'],
        latestRevision: t['type'] === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' ? true : undefined,
        tag: t['tag'],
        url: t['uri'],
      })),
      url: uri,
      address: uri ? { url: uri } : undefined,
    },
  }) as JsonObject;
}

/** Canonical JSON (sorted keys, empties dropped) for comparing a PUT's spec with the current one. */
function canonical(value: Json | undefined): string {
  const sort = (v: Json | undefined): Json | undefined => {
    if (Array.isArray(v)) return v.map((x) => sort(x) ?? null);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k]) ?? null]));
    return v;
  };
  return JSON.stringify(sort(compact(value)) ?? null);
}

/** Project ids the store knows (services and seeded project numbers), for resolving a numeric namespace. */
function knownProjects(store: ResourceStore): string[] {
  const ids = new Set<string>();
  for (const [key] of store.entries()) {
    const m = /^(?:emulator\/)?projects\/([^/]+)/.exec(key);
    if (m) ids.add(m[1]!);
  }
  return [...ids];
}

export function installRunV1Api(ctx: EmulatorContext, model: RunServiceModel): void {
  const { store, router } = ctx;
  const rpc = { errorStyle: 'rpc' as const };

  const notFound = (project: string, region: string, id: string) =>
    ApiError.rpc(404, `Resource '${id}' of kind 'SERVICE' in region '${region}' in project '${project}' does not exist.`);

  /** Project and region of a `namespaces/NS` path: NS is the id or number, the region the Host's prefix. */
  const fromNamespace = (req: ApiRequest, namespace: string): { project: string; region: string } => {
    const region = regionOfHost(req.headers['host']);
    if (!region) {
      throw ApiError.rpc(400, `The namespaces/${namespace}/... form is only served on a regional endpoint (https://REGION-run.googleapis.com); use projects/PROJECT/locations/REGION/services/NAME.`);
    }
    let project = namespace;
    if (/^\d+$/.test(namespace)) {
      project = knownProjects(store).find((p) => projectNumber(store, p) === namespace) ?? namespace;
    }
    return { project, region };
  };

  const load = (project: string, region: string, id: string): JsonObject => {
    const service = store.get<JsonObject>(servicePath(project, region, id));
    if (!service) throw notFound(project, region, id);
    return service;
  };

  const get = (project: string, region: string, id: string): ApiResponse => json(toV1Service(store, load(project, region, id)));

  const replace = (req: ApiRequest, project: string, region: string, id: string): ApiResponse => {
    const current = load(project, region, id);
    const body = obj(req.body as Json | undefined);
    const metadata = obj(body['metadata']);
    if (metadata['name'] !== undefined && metadata['name'] !== id) {
      throw ApiError.rpc(400, `metadata.name '${String(metadata['name'])}' does not match the service in the URL ('${id}').`);
    }
    const version = metadata['resourceVersion'];
    const currentVersion = String(current['etag'] ?? '').replace(/"/g, '');
    if (typeof version === 'string' && version !== '' && version !== currentVersion) {
      throw ApiError.rpc(409, `Conflict for resource '${id}': version '${version}' was specified but current version is '${currentVersion}'.`, 'ABORTED');
    }
    const annotations = obj(metadata['annotations']);
    const requested = annotations[INGRESS_ANNOTATION] ?? 'all';
    const ingress = typeof requested === 'string' ? ingressV1ToV2(requested) : undefined;
    if (!ingress) {
      throw ApiError.rpc(400, `Annotation '${INGRESS_ANNOTATION}' value '${String(requested)}' is not supported: use one of ${Object.keys(INGRESS_V1_TO_V2).join(', ')}.`);
    }
    if (body['spec'] !== undefined && canonical(body['spec']) !== canonical(v1Spec(current))) {
      throw ApiError.rpc(400, 'The emulator changes only metadata.labels and the run.googleapis.com/ingress annotation through Cloud Run Admin API v1; change spec through v2.');
    }
    const labels: JsonObject = {};
    for (const [k, v] of Object.entries(obj(metadata['labels']))) if (k !== LOCATION_LABEL) labels[k] = v;
    const dryRun = req.query.get('dryRun') === 'all';
    const v2Req: ApiRequest = { ...req, query: new URLSearchParams(dryRun ? { validateOnly: 'true' } : {}), body: undefined };
    if (req.operationFault) {
      // v1 exposes no operation: a failed update is the call's error.
      const status = req.operationFault.httpErrorStatusCode;
      throw ApiError.rpc(status, req.operationFault.httpErrorMessage || req.operationFault.errors[0]?.message || 'update failed');
    }
    const change: JsonObject = { ingress, labels };
    const mask = ['ingress', 'labels'];
    for (const [annotation, field] of [[CLIENT_NAME_ANNOTATION, 'client'], [CLIENT_VERSION_ANNOTATION, 'clientVersion']] as const) {
      if (typeof annotations[annotation] === 'string') {
        change[field] = annotations[annotation];
        mask.push(field);
      }
    }
    const op = model.updateService(v2Req, project, region, id, change, mask);
    const after = dryRun ? obj(obj(op.body as Json)['response']) : load(project, region, id);
    const { ['@type']: _type, ...service } = after;
    return json(toV1Service(store, service));
  };

  const byNamespace = `${API_PREFIX}/namespaces/:namespace/services/:service`;
  router.add('GET', byNamespace, (req, p) => {
    const { project, region } = fromNamespace(req, p['namespace']!);
    return get(project, region, p['service']!);
  }, rpc);
  router.add('PUT', byNamespace, (req, p) => {
    const { project, region } = fromNamespace(req, p['namespace']!);
    return replace(req, project, region, p['service']!);
  }, rpc);

  const byLocation = `${API_PREFIX}/projects/:project/locations/:location/services/:service`;
  router.add('GET', byLocation, (_req, p) => get(p['project']!, p['location']!, p['service']!), rpc);
  router.add('PUT', byLocation, (req, p) => replace(req, p['project']!, p['location']!, p['service']!), rpc);
}
