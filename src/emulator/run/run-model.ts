/**
 * Cloud Run (and the other serverless platforms') resource shapes as Google returns them, plus the
 * derived names the data plane needs: project numbers, default run.app URLs, tag URLs.
 *
 * Store keys: Cloud Run services `projects/P/locations/R/services/S`, their IAM policy
 * `projects/P/locations/R/services/S/iamPolicy`, Run operations `projects/P/locations/R/operations/ID`,
 * Cloud Functions `projects/P/locations/R/functions/F`, App Engine `apps/P`, `apps/P/services/S`,
 * `apps/P/services/S/versions/V`, API Gateway `projects/P/locations/R/gateways/G`,
 * project numbers `emulator/projects/P` (`{projectId, projectNumber}`).
 */
import type { ApiRequest, ApiResponse } from '../core/http.js';
import { createHash } from 'node:crypto';
import type { JsonObject, ResourceStore } from '../core/store.js';

export const projectMetaPath = (project: string) => `emulator/projects/${project}`;
export const servicePath = (project: string, region: string, name: string) => `projects/${project}/locations/${region}/services/${name}`;
export const iamPolicyPath = (service: string) => `${service}/iamPolicy`;
/** What a Cloud Run service's code does that no API shows (the seed's `responseDelayMs`). */
export const serviceBehaviourPath = (service: string) => `emulator/${service}/behaviour`;

/** Known Cloud Run region codes of the `*.a.run.app` URLs; other regions get a derived two-letter code. */
const REGION_CODES: Record<string, string> = {
  'us-central1': 'uc',
  'us-east1': 'ue',
  'us-east4': 'uk',
  'us-east5': 'ul',
  'us-west1': 'uw',
  'us-west2': 'wl',
  'us-west3': 'wm',
  'us-west4': 'wn',
  'us-south1': 'vp',
  'northamerica-northeast1': 'nn',
  'northamerica-northeast2': 'pd',
  'southamerica-east1': 'rj',
  'europe-west1': 'ew',
  'europe-west2': 'nw',
  'europe-west3': 'ey',
  'europe-west4': 'ez',
  'europe-west6': 'oa',
  'europe-west8': 'oc',
  'europe-west9': 'od',
  'europe-north1': 'lz',
  'europe-central2': 'lm',
  'europe-southwest1': 'no',
  'asia-east1': 'de',
  'asia-east2': 'df',
  'asia-northeast1': 'an',
  'asia-northeast2': 'dt',
  'asia-northeast3': 'du',
  'asia-south1': 'el',
  'asia-southeast1': 'as',
  'asia-southeast2': 'et',
  'australia-southeast1': 'ts',
  'australia-southeast2': 'km',
  'me-west1': 'zf',
};

export function regionCode(region: string): string {
  const known = REGION_CODES[region];
  if (known) return known;
  const h = createHash('sha256').update(region).digest();
  const abc = 'abcdefghijklmnopqrstuvwxyz';
  return abc[h[0]! % 26]! + abc[h[1]! % 26]!;
}

/** App Engine location id (`europe-west`) for a region (`europe-west1`), and back. */
export function appEngineRegion(locationId: string): string {
  if (locationId === 'us-central') return 'us-central1';
  if (locationId === 'europe-west') return 'europe-west1';
  return /\d$/.test(locationId) ? locationId : `${locationId}1`;
}

/** A 12-digit project number derived from the id, for projects the seed gives no number. */
export function derivedProjectNumber(project: string): string {
  const h = createHash('sha256').update(`project:${project}`).digest();
  let n = '';
  for (let i = 0; n.length < 12; i++) n += String(h[i % h.length]! % 10);
  return n[0] === '0' ? `1${n.slice(1)}` : n;
}

export function projectNumber(store: ResourceStore, project: string): string {
  const meta = store.get<JsonObject>(projectMetaPath(project));
  if (typeof meta?.['projectNumber'] === 'string') return meta['projectNumber'];
  return derivedProjectNumber(project);
}

/** The per-project hash in `NAME-HASH-CODE.a.run.app` (10 lower-case base-32 characters). */
export function projectHash(project: string): string {
  const h = createHash('sha256').update(`run:${project}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  for (let i = 0; i < 10; i++) out += alphabet[h[i]! % 32];
  return out;
}

export interface RunUrls {
  /** `https://NAME-HASH-CODE.a.run.app` (the service's `uri`). */
  uri: string;
  /** Both forms: `https://NAME-NUMBER.REGION.run.app` and the `uri`. */
  urls: string[];
}

export function runUrls(store: ResourceStore, project: string, region: string, name: string): RunUrls {
  const uri = `https://${name}-${projectHash(project)}-${regionCode(region)}.a.run.app`;
  return { uri, urls: [`https://${name}-${projectNumber(store, project)}.${region}.run.app`, uri] };
}

/** The URL of a revision tag: `https://TAG---NAME-HASH-CODE.a.run.app`. */
export function tagUrl(uri: string, tag: string): string {
  return uri.replace('https://', `https://${tag}---`);
}

/** Parses `projects/P/locations/R/services/S` (with or without leading slash / `v2/`). */
export function parseServiceName(name: string): { project: string; region: string; service: string } | undefined {
  const m = /^\/?(?:v2\/)?projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/.exec(name);
  return m ? { project: m[1]!, region: m[2]!, service: m[3]! } : undefined;
}

// ---- enums --------------------------------------------------------------------------------------

const ENUMS: Record<string, string[]> = {
  ingress: [
    'INGRESS_TRAFFIC_UNSPECIFIED',
    'INGRESS_TRAFFIC_ALL',
    'INGRESS_TRAFFIC_INTERNAL_ONLY',
    'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
    'INGRESS_TRAFFIC_NONE',
  ],
  trafficType: [
    'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED',
    'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
    'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
  ],
  conditionState: ['STATE_UNSPECIFIED', 'CONDITION_PENDING', 'CONDITION_RECONCILING', 'CONDITION_FAILED', 'CONDITION_SUCCEEDED'],
  severity: ['SEVERITY_UNSPECIFIED', 'ERROR', 'WARNING', 'INFO'],
  executionEnvironment: ['EXECUTION_ENVIRONMENT_UNSPECIFIED', 'EXECUTION_ENVIRONMENT_GEN1', 'EXECUTION_ENVIRONMENT_GEN2'],
  vpcEgress: ['VPC_EGRESS_UNSPECIFIED', 'ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'],
  scalingMode: ['SCALING_MODE_UNSPECIFIED', 'AUTOMATIC', 'MANUAL'],
  encryptionKeyRevocationAction: ['ENCRYPTION_KEY_REVOCATION_ACTION_UNSPECIFIED', 'PREVENT_NEW', 'SHUTDOWN'],
};
/** google.api.LaunchStage is sparse. */
const LAUNCH_STAGES: Record<number, string> = {
  0: 'LAUNCH_STAGE_UNSPECIFIED',
  6: 'UNIMPLEMENTED',
  7: 'PRELAUNCH',
  1: 'EARLY_ACCESS',
  2: 'ALPHA',
  3: 'BETA',
  4: 'GA',
  5: 'DEPRECATED',
};

type Mode = 'name' | 'int';

function convert(values: string[] | Record<number, string>, v: unknown, mode: Mode): unknown {
  const list = Array.isArray(values) ? Object.fromEntries(values.map((n, i) => [i, n])) : values;
  if (mode === 'name') {
    if (typeof v === 'number') return list[v] ?? v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return list[Number(v)] ?? v;
    return v;
  }
  if (typeof v === 'string') {
    const hit = Object.entries(list).find(([, n]) => n === v);
    return hit ? Number(hit[0]) : v;
  }
  return v;
}

function convertCondition(c: unknown, mode: Mode): unknown {
  if (!c || typeof c !== 'object') return c;
  const o = { ...(c as Record<string, unknown>) };
  if ('state' in o) o['state'] = convert(ENUMS['conditionState']!, o['state'], mode);
  if ('severity' in o) o['severity'] = convert(ENUMS['severity']!, o['severity'], mode);
  return o;
}

/**
 * Converts the enum fields of a v2 Service between names and numbers (`$alt=json;enum-encoding=int`).
 * Requests may carry either form; the store always holds names.
 */
export function convertServiceEnums<T>(service: T, mode: Mode): T {
  if (!service || typeof service !== 'object') return service;
  const s = { ...(service as Record<string, unknown>) };
  if ('ingress' in s) s['ingress'] = convert(ENUMS['ingress']!, s['ingress'], mode);
  if ('launchStage' in s) s['launchStage'] = convert(LAUNCH_STAGES, s['launchStage'], mode);
  for (const key of ['traffic', 'trafficStatuses']) {
    if (Array.isArray(s[key])) {
      s[key] = (s[key] as Record<string, unknown>[]).map((t) =>
        t && typeof t === 'object' && 'type' in t ? { ...t, type: convert(ENUMS['trafficType']!, t['type'], mode) } : t,
      );
    }
  }
  if ('terminalCondition' in s) s['terminalCondition'] = convertCondition(s['terminalCondition'], mode);
  if (Array.isArray(s['conditions'])) s['conditions'] = (s['conditions'] as unknown[]).map((c) => convertCondition(c, mode));
  if (s['scaling'] && typeof s['scaling'] === 'object') {
    const sc = { ...(s['scaling'] as Record<string, unknown>) };
    if ('scalingMode' in sc) sc['scalingMode'] = convert(ENUMS['scalingMode']!, sc['scalingMode'], mode);
    s['scaling'] = sc;
  }
  if (s['template'] && typeof s['template'] === 'object') {
    const t = { ...(s['template'] as Record<string, unknown>) };
    if ('executionEnvironment' in t) t['executionEnvironment'] = convert(ENUMS['executionEnvironment']!, t['executionEnvironment'], mode);
    if ('encryptionKeyRevocationAction' in t) {
      t['encryptionKeyRevocationAction'] = convert(ENUMS['encryptionKeyRevocationAction']!, t['encryptionKeyRevocationAction'], mode);
    }
    if (t['vpcAccess'] && typeof t['vpcAccess'] === 'object') {
      const v = { ...(t['vpcAccess'] as Record<string, unknown>) };
      if ('egress' in v) v['egress'] = convert(ENUMS['vpcEgress']!, v['egress'], mode);
      t['vpcAccess'] = v;
    }
    s['template'] = t;
  }
  return s as T;
}

export function ingressName(value: unknown): string | undefined {
  const v = convert(ENUMS['ingress']!, value, 'name');
  return typeof v === 'string' && ENUMS['ingress']!.includes(v) ? v : undefined;
}

// ---- resource builders --------------------------------------------------------------------------

export function etag(seed: string): string {
  return `"${createHash('sha256').update(seed).digest('base64url').slice(0, 40)}"`;
}

/**
 * An IAM policy etag as Google writes them: base64 (standard alphabet) of opaque bytes. Clients
 * send it back as bytes, so compare etags with sameIamEtag, not as strings.
 */
export function iamEtag(seed: string): string {
  return createHash('sha256').update(seed).digest().subarray(0, 9).toString('base64');
}

/** Whether two etags are the same bytes (base64 in either alphabet). */
export function sameIamEtag(a: string, b: string): boolean {
  return Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));
}

export function revisionName(service: string, generation: number, salt: string): string {
  const suffix = createHash('sha256').update(`${service}:${generation}:${salt}`).digest('hex');
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const s3 = [0, 1, 2].map((i) => abc[parseInt(suffix.slice(i * 2, i * 2 + 2), 16) % abc.length]).join('');
  return `${service}-${String(generation).padStart(5, '0')}-${s3}`;
}

/** Defaults Google fills into a revision template (as in the recorded create). */
export function defaultTemplate(template: JsonObject | undefined, projectNum: string): JsonObject {
  const t: JsonObject = { ...(template ?? {}) };
  t['timeout'] ??= '300s';
  t['serviceAccount'] ??= `${projectNum}-compute@developer.gserviceaccount.com`;
  const containers = Array.isArray(t['containers']) && t['containers'].length > 0 ? t['containers'] : [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }];
  t['containers'] = containers.map((c) => {
    const container: JsonObject = { ...((c ?? {}) as JsonObject) };
    const resources = { ...((container['resources'] as JsonObject | undefined) ?? {}) };
    resources['limits'] = { memory: '512Mi', cpu: '1000m', ...((resources['limits'] as JsonObject | undefined) ?? {}) };
    resources['cpuIdle'] ??= true;
    container['resources'] = resources;
    const ports = Array.isArray(container['ports']) && container['ports'].length > 0 ? container['ports'] : [{ name: 'http1', containerPort: 8080 }];
    container['ports'] = ports;
    const port = ((ports[0] as JsonObject | undefined)?.['containerPort'] as number | undefined) ?? 8080;
    container['startupProbe'] ??= { timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1, tcpSocket: { port } };
    return container;
  });
  t['maxInstanceRequestConcurrency'] ??= 80;
  return t;
}

/** Output-only status of a ready service at `generation` whose latest revision is `revision`. */
export function readyStatus(serviceName: string, revision: string, generation: number, at: string, traffic: JsonObject[], uri: string): JsonObject {
  return {
    observedGeneration: String(generation),
    terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED', lastTransitionTime: at },
    conditions: [
      { type: 'RoutesReady', state: 'CONDITION_SUCCEEDED', lastTransitionTime: at },
      { type: 'ConfigurationsReady', state: 'CONDITION_SUCCEEDED', lastTransitionTime: at },
    ],
    latestReadyRevision: `${serviceName}/revisions/${revision}`,
    latestCreatedRevision: `${serviceName}/revisions/${revision}`,
    trafficStatuses: traffic.map((t) => {
      const status: JsonObject = { type: t['type'] ?? 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' };
      if (t['revision']) status['revision'] = t['revision'];
      if (t['percent']) status['percent'] = t['percent'];
      if (t['tag']) {
        status['tag'] = t['tag'];
        status['uri'] = tagUrl(uri, String(t['tag']));
      }
      return status;
    }),
  };
}

/** Traffic tags of a service (from `traffic[].tag`). */
export function serviceTags(service: JsonObject): string[] {
  const traffic = Array.isArray(service['traffic']) ? (service['traffic'] as JsonObject[]) : [];
  return traffic.map((t) => t['tag']).filter((t): t is string => typeof t === 'string' && t !== '');
}

/** The v2 model's entry points other Run surfaces (the v1 API) build on. */
export interface RunServiceModel {
  /**
   * The v2 update (PATCH) path: `raw` is a partial v2 Service, `mask` its field paths. Answers the
   * v2 operation; throws ApiError (google.rpc) as the v2 API does.
   */
  updateService(req: ApiRequest, project: string, location: string, id: string, raw: JsonObject, mask: string[]): ApiResponse;
}
