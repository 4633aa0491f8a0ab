/**
 * Builders of the serverless resources the emulator serves: Cloud Run v2 services (seeded or
 * created through the API), Cloud Functions v1 functions, App Engine apps/services/versions and
 * API Gateway gateways, in the JSON shapes Google's APIs return.
 */
import { createHash } from 'node:crypto';
import type { JsonObject, ResourceStore } from '../core/store.js';
import {
  defaultTemplate,
  etag,
  iamEtag,
  projectNumber,
  readyStatus,
  regionCode,
  revisionName,
  runUrls,
  servicePath,
} from './run-model.js';

export const EMULATOR_PRINCIPAL = (project: string) => `emulator@${project}.iam.gserviceaccount.com`;

export interface NewServiceInput {
  project: string;
  region: string;
  name: string;
  /** The request body (v2 Service, enums as names), or the seed's fields mapped to it. */
  body: JsonObject;
  /** Revision tags to point at the first revision (seed only). */
  tags?: string[];
  uid: string;
  at: string;
  /** Finished (ready) at once, as seeded services are; otherwise reconciling. */
  ready: boolean;
}

/** A Cloud Run v2 service as Google stores it after a create. */
export function buildService(store: ResourceStore, input: NewServiceInput): JsonObject {
  const { project, region, name, body, at } = input;
  const fullName = servicePath(project, region, name);
  const num = projectNumber(store, project);
  const { uri } = runUrls(store, project, region, name);
  const revision = revisionName(name, 1, input.uid);
  const traffic: JsonObject[] =
    Array.isArray(body['traffic']) && body['traffic'].length > 0
      ? (body['traffic'] as JsonObject[])
      : [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }];
  for (const tag of input.tags ?? []) traffic.push({ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, tag });
  const service: JsonObject = {
    ...body,
    name: fullName,
    uid: input.uid,
    generation: '1',
    createTime: at,
    updateTime: at,
    creator: EMULATOR_PRINCIPAL(project),
    lastModifier: EMULATOR_PRINCIPAL(project),
    ingress: (body['ingress'] as string | undefined) ?? 'INGRESS_TRAFFIC_ALL',
    launchStage: (body['launchStage'] as string | undefined) ?? 'GA',
    template: defaultTemplate(body['template'] as JsonObject | undefined, num),
    traffic,
  };
  delete service['etag'];
  if (input.ready) {
    Object.assign(service, readyStatus(fullName, revision, 1, at, traffic, uri));
  } else {
    service['terminalCondition'] = { state: 'CONDITION_PENDING' };
    service['reconciling'] = true;
  }
  service['uri'] = uri;
  service['etag'] = etag(`${fullName}:1:${at}`);
  return service;
}

/** The bindings of a policy that grants roles/run.invoker to `members`. */
export function invokerPolicy(members: string[], at: string): JsonObject {
  const policy: JsonObject = { version: 1, etag: iamEtag(`policy:${members.join(',')}:${at}`) };
  if (members.length > 0) policy['bindings'] = [{ role: 'roles/run.invoker', members: [...members] }];
  return policy;
}

export function functionPath(project: string, region: string, name: string): string {
  return `projects/${project}/locations/${region}/functions/${name}`;
}

/** A Cloud Functions v1 CloudFunction (1st gen, HTTP trigger). */
export function buildFunction(
  store: ResourceStore,
  f: { project: string; region: string; name: string; runtime: string; entryPoint?: string | undefined; ingressSettings: string },
  at: string,
): JsonObject {
  return {
    name: functionPath(f.project, f.region, f.name),
    httpsTrigger: { url: `https://${f.region}-${f.project}.cloudfunctions.net/${f.name}`, securityLevel: 'SECURE_ALWAYS' },
    status: 'ACTIVE',
    entryPoint: f.entryPoint ?? f.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
    timeout: '60s',
    availableMemoryMb: 256,
    serviceAccountEmail: `${f.project}@appspot.gserviceaccount.com`,
    updateTime: at,
    versionId: '1',
    runtime: f.runtime,
    ingressSettings: f.ingressSettings,
    buildId: createHash('sha256').update(f.name).digest('hex').slice(0, 8) + '-0000-0000-0000-000000000000',
    dockerRegistry: 'ARTIFACT_REGISTRY',
    environment: 'GEN_1',
    labels: {},
    buildName: `projects/${projectNumber(store, f.project)}/locations/${f.region}/builds/${f.name}`,
  };
}

export const appPath = (project: string) => `apps/${project}`;
export const appServicePath = (project: string, service: string) => `apps/${project}/services/${service}`;
export const appVersionPath = (project: string, service: string, version: string) =>
  `apps/${project}/services/${service}/versions/${version}`;

export function buildApp(project: string, locationId: string, region: string): JsonObject {
  return {
    name: appPath(project),
    id: project,
    authDomain: 'gmail.com',
    locationId,
    codeBucket: `staging.${project}.appspot.com`,
    servingStatus: 'SERVING',
    defaultHostname: `${project}.${regionCode(region)}.r.appspot.com`,
    defaultBucket: `${project}.appspot.com`,
    gcrDomain: 'eu.gcr.io',
    databaseType: 'CLOUD_DATASTORE_COMPATIBILITY',
    featureSettings: { splitHealthChecks: true, useContainerOptimizedOs: true },
  };
}

export function buildAppService(project: string, service: string, serving: string): JsonObject {
  return { name: appServicePath(project, service), id: service, split: { allocations: { [serving]: 1 } } };
}

export function buildAppVersion(project: string, service: string, version: string, region: string, at: string): JsonObject {
  const host = `${version}-dot-${service === 'default' ? '' : `${service}-dot-`}${project}.${regionCode(region)}.r.appspot.com`;
  return {
    name: appVersionPath(project, service, version),
    id: version,
    instanceClass: 'F1',
    runtime: 'nodejs20',
    env: 'standard',
    servingStatus: 'SERVING',
    createTime: at,
    createdBy: EMULATOR_PRINCIPAL(project),
    versionUrl: `https://${host}`,
  };
}

export function gatewayPath(project: string, region: string, name: string): string {
  return `projects/${project}/locations/${region}/gateways/${name}`;
}

export function buildGateway(
  store: ResourceStore,
  g: { project: string; region: string; name: string; api?: string | undefined; apiConfig?: string | undefined },
  at: string,
): JsonObject {
  const api = g.api ?? `${g.name}-api`;
  const hash = createHash('sha256').update(`gw:${g.project}:${g.name}`).digest('hex').slice(0, 8);
  return {
    name: gatewayPath(g.project, g.region, g.name),
    createTime: at,
    updateTime: at,
    displayName: g.name,
    apiConfig: `projects/${projectNumber(store, g.project)}/locations/global/apis/${api}/configs/${g.apiConfig ?? `${api}-config`}`,
    state: 'ACTIVE',
    defaultHostname: `${g.name}-${hash}.${regionCode(g.region)}.gateway.dev`,
  };
}
