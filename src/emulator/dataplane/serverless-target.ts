/**
 * What a serverless NEG sends a request to, and whether that target lets it in.
 *
 * - Cloud Run (`cloudRun.service` [+ `tag`] or `cloudRun.urlMask` with `<service>` / `<tag>`), Cloud
 *   Functions 1st gen (`cloudFunction.function` or a `<function>` mask), App Engine
 *   (`appEngine.service` / `version` or a mask; no service means `default`, no version means the one
 *   the service's traffic split favours), API Gateway (`serverlessDeployment.resource` or `<gateway>`).
 * - A target that does not exist (or a mask the request does not fit) answers 404 with Google's page.
 * - Cloud Run ingress (as Cloud Run enforces it): INGRESS_TRAFFIC_ALL lets everything in;
 *   INTERNAL_LOAD_BALANCER lets in external and internal Application Load Balancers;
 *   INTERNAL_ONLY lets in internal Application Load Balancers only; NONE nothing. Direct requests
 *   to the default URL count as coming from the internet. Refused: 404 with Google's page.
 * - Cloud Run invoker IAM: unless `invokerIamDisabled`, the service's policy must grant
 *   roles/run.invoker to allUsers (requests carry no identity); otherwise 403 with Google's page.
 * - Cloud Functions 1st gen `ingressSettings` is enforced the same way (ALLOW_ALL,
 *   ALLOW_INTERNAL_AND_GCLB, ALLOW_INTERNAL_ONLY); its IAM is not checked.
 */
import type { JsonObject, ResourceStore } from '../core/store.js';
import { iamPolicyPath, servicePath } from '../run/run-model.js';
import { appServicePath, appVersionPath, functionPath, gatewayPath } from '../run/serverless-resources.js';
import { matchUrlMask } from './url-mask.js';

export type Platform = 'cloud-run' | 'cloud-functions' | 'app-engine' | 'api-gateway';

export interface ServerlessTarget {
  platform: Platform;
  project: string;
  region: string;
  /** Cloud Run service, function, App Engine service or gateway name. */
  service: string;
  tag?: string;
  version?: string;
}

/** Where a request came from, for ingress checks. */
export type Origin = { kind: 'internet' } | { kind: 'load-balancer'; scheme: string };

export type TargetVerdict = { ok: true; target: ServerlessTarget } | { ok: false; status: 403 | 404; reason: string };

/** True for the load balancing schemes of internal Application Load Balancers. */
export function isInternalScheme(scheme: string): boolean {
  return scheme === 'INTERNAL_MANAGED' || scheme === 'INTERNAL_SELF_MANAGED';
}

export function runIngressAllows(ingress: string, origin: Origin): boolean {
  switch (ingress) {
    case 'INGRESS_TRAFFIC_ALL':
    case 'INGRESS_TRAFFIC_UNSPECIFIED':
    case '':
      return true;
    case 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER':
      return origin.kind === 'load-balancer';
    case 'INGRESS_TRAFFIC_INTERNAL_ONLY':
      return origin.kind === 'load-balancer' && isInternalScheme(origin.scheme);
    default:
      return false;
  }
}

function functionIngressAllows(setting: string, origin: Origin): boolean {
  if (setting === 'ALLOW_ALL' || setting === '') return true;
  if (setting === 'ALLOW_INTERNAL_AND_GCLB') return origin.kind === 'load-balancer';
  if (setting === 'ALLOW_INTERNAL_ONLY') return origin.kind === 'load-balancer' && isInternalScheme(origin.scheme);
  return false;
}

/** Whether the invoker policy lets an unauthenticated request in. */
export function runInvokerAllows(store: ResourceStore, path: string, service: JsonObject): boolean {
  if (service['invokerIamDisabled'] === true) return true;
  const policy = store.get<JsonObject>(iamPolicyPath(path));
  const bindings = (policy?.['bindings'] as JsonObject[] | undefined) ?? [];
  return bindings.some((b) => b['role'] === 'roles/run.invoker' && ((b['members'] as string[] | undefined) ?? []).includes('allUsers'));
}

/** Checks a Cloud Run service (and tag) against ingress and IAM. */
export function checkRunService(store: ResourceStore, project: string, region: string, name: string, tag: string | undefined, origin: Origin): TargetVerdict {
  const path = servicePath(project, region, name);
  const service = store.get<JsonObject>(path);
  if (!service) return { ok: false, status: 404, reason: `Cloud Run service ${path} does not exist` };
  if (tag) {
    const traffic = (service['traffic'] as JsonObject[] | undefined) ?? [];
    if (!traffic.some((t) => t['tag'] === tag)) return { ok: false, status: 404, reason: `Cloud Run service ${path} has no tag ${tag}` };
  }
  if (!runIngressAllows(String(service['ingress'] ?? 'INGRESS_TRAFFIC_ALL'), origin)) {
    return { ok: false, status: 404, reason: `ingress ${String(service['ingress'])} of ${path} refuses this request` };
  }
  if (!runInvokerAllows(store, path, service)) return { ok: false, status: 403, reason: `allUsers lacks roles/run.invoker on ${path}` };
  return { ok: true, target: { platform: 'cloud-run', project, region, service: name, ...(tag ? { tag } : {}) } };
}

function negLocation(negPath: string): { project: string; region: string } | undefined {
  const m = /^projects\/([^/]+)\/regions\/([^/]+)\/networkEndpointGroups\/[^/]+$/.exec(negPath);
  return m ? { project: m[1]!, region: m[2]! } : undefined;
}

/** Resolves a serverless NEG (stored at `negPath`) for one request. */
export function resolveNegTarget(store: ResourceStore, negPath: string, neg: JsonObject, host: string, path: string, origin: Origin): TargetVerdict {
  const loc = negLocation(negPath);
  if (!loc) return { ok: false, status: 404, reason: `${negPath} is not a regional serverless NEG` };
  const { project, region } = loc;
  const fromMask = (mask: unknown): Record<string, string> | undefined | null =>
    typeof mask === 'string' && mask !== '' ? (matchUrlMask(mask, host, path) ?? null) : undefined;

  if (neg['cloudRun']) {
    const c = neg['cloudRun'] as JsonObject;
    const values = fromMask(c['urlMask']);
    if (values === null) return { ok: false, status: 404, reason: `the request does not fit URL mask ${String(c['urlMask'])}` };
    const name = (c['service'] as string | undefined) ?? values?.['service'];
    if (!name) return { ok: false, status: 404, reason: 'no Cloud Run service for this request' };
    const tag = (c['tag'] as string | undefined) ?? values?.['tag'];
    return checkRunService(store, project, region, name, tag, origin);
  }
  if (neg['cloudFunction']) {
    const c = neg['cloudFunction'] as JsonObject;
    const values = fromMask(c['urlMask']);
    if (values === null) return { ok: false, status: 404, reason: `the request does not fit URL mask ${String(c['urlMask'])}` };
    const name = (c['function'] as string | undefined) ?? values?.['function'];
    if (!name) return { ok: false, status: 404, reason: 'no function for this request' };
    const fn = store.get<JsonObject>(functionPath(project, region, name));
    if (!fn) return { ok: false, status: 404, reason: `function ${functionPath(project, region, name)} does not exist` };
    if (!functionIngressAllows(String(fn['ingressSettings'] ?? 'ALLOW_ALL'), origin)) {
      return { ok: false, status: 404, reason: `ingressSettings ${String(fn['ingressSettings'])} refuses this request` };
    }
    return { ok: true, target: { platform: 'cloud-functions', project, region, service: name } };
  }
  if (neg['appEngine']) {
    const c = neg['appEngine'] as JsonObject;
    const values = fromMask(c['urlMask']);
    if (values === null) return { ok: false, status: 404, reason: `the request does not fit URL mask ${String(c['urlMask'])}` };
    const name = (c['service'] as string | undefined) ?? values?.['service'] ?? 'default';
    const svc = store.get<JsonObject>(appServicePath(project, name));
    if (!svc) return { ok: false, status: 404, reason: `App Engine service ${name} does not exist in ${project}` };
    let version = (c['version'] as string | undefined) ?? values?.['version'];
    if (!version) {
      const allocations = ((svc['split'] as JsonObject | undefined)?.['allocations'] as Record<string, number> | undefined) ?? {};
      version = Object.entries(allocations).sort((a, b) => b[1] - a[1])[0]?.[0];
    }
    if (!version || !store.has(appVersionPath(project, name, version))) {
      return { ok: false, status: 404, reason: `App Engine version ${version ?? '(none)'} of ${name} does not exist` };
    }
    return { ok: true, target: { platform: 'app-engine', project, region, service: name, version } };
  }
  if (neg['serverlessDeployment']) {
    const c = neg['serverlessDeployment'] as JsonObject;
    const values = fromMask(c['urlMask']);
    if (values === null) return { ok: false, status: 404, reason: `the request does not fit URL mask ${String(c['urlMask'])}` };
    const name = (c['resource'] as string | undefined) ?? values?.['gateway'];
    if (!name) return { ok: false, status: 404, reason: 'no gateway for this request' };
    if (!store.has(gatewayPath(project, region, name))) return { ok: false, status: 404, reason: `gateway ${gatewayPath(project, region, name)} does not exist` };
    return { ok: true, target: { platform: 'api-gateway', project, region, service: name } };
  }
  return { ok: false, status: 404, reason: `${negPath} is not a serverless NEG` };
}
