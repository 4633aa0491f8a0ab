/**
 * Writes a validated seed into the store: projects' numbers, Cloud Run services (ready, with their
 * invoker policy), Cloud Functions, App Engine, API Gateway, networks/subnetworks/addresses (through
 * the compute module's seeder, so they have exactly the shape the Compute API returns) and DNS zones.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../core/context.js';
import type { JsonObject } from '../core/store.js';
import { buildRrset, buildZone, putZone } from '../dns/dns-model.js';
import { appEngineRegion, derivedProjectNumber, iamPolicyPath, projectMetaPath, serviceBehaviourPath, servicePath } from '../run/run-model.js';
import {
  appPath,
  appServicePath,
  appVersionPath,
  buildApp,
  buildAppService,
  buildAppVersion,
  buildFunction,
  buildGateway,
  buildService,
  functionPath,
  gatewayPath,
  invokerPolicy,
} from '../run/serverless-resources.js';
import type { Seed } from './seed-schema.js';

const COMPUTE = 'https://www.googleapis.com/compute/v1/';

/** Writes compute resources in the Compute API's JSON shape when no compute seeder is installed. */
function fallbackComputeSeeder(ctx: EmulatorContext) {
  return (project: string, collection: string, body: JsonObject, location?: string) => {
    const scope = location ? `regions/${location}` : 'global';
    const path = `projects/${project}/${scope}/${collection}/${String(body['name'])}`;
    const id = ctx.ids.numeric();
    const base: JsonObject = {
      kind: `compute#${collection.replace(/s$/, '').replace(/^global/, '').replace(/^./, (c) => c.toLowerCase())}`,
      id,
      creationTimestamp: ctx.now().toISOString(),
      ...body,
      selfLink: COMPUTE + path,
    };
    if (location) base['region'] = `${COMPUTE}projects/${project}/regions/${location}`;
    ctx.store.put(path, base);
  };
}

function externalIp(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  return `34.${h[0]! % 200 + 10}.${h[1]!}.${h[2]! % 254 + 1}`;
}

/** Every project id the seed mentions. */
export function seedProjects(seed: Seed): string[] {
  const all = [seed.project, ...Object.keys(seed.projectNumbers), ...Object.keys(seed.deniedPermissions), ...Object.keys(seed.disabledApis)];
  for (const list of [seed.runServices, seed.functions, seed.appEngine, seed.apiGateways, seed.networks, seed.addresses, seed.dnsZones]) {
    for (const item of list as Array<{ project?: string | undefined }>) if (item.project) all.push(item.project);
  }
  return [...new Set(all)];
}

export function loadSeed(ctx: EmulatorContext, seed: Seed): void {
  const { store } = ctx;
  const at = ctx.now().toISOString();
  const p = (x: { project?: string | undefined }) => x.project ?? seed.project;

  for (const project of seedProjects(seed)) {
    store.put(projectMetaPath(project), {
      projectId: project,
      projectNumber: seed.projectNumbers[project] ?? derivedProjectNumber(project),
      ...(seed.domainRestrictedSharing.includes(project) ? { domainRestrictedSharing: true } : {}),
      ...(seed.deniedPermissions[project]?.length ? { deniedPermissions: seed.deniedPermissions[project] } : {}),
      ...(seed.disabledApis[project]?.length ? { disabledApis: seed.disabledApis[project] } : {}),
    });
  }

  for (const s of seed.runServices) {
    const project = p(s);
    const body: JsonObject = {
      ingress: s.ingress,
      labels: s.labels,
      template: { containers: [{ image: s.image }] },
    };
    if (s.description) body['description'] = s.description;
    if (s.defaultUriDisabled) body['defaultUriDisabled'] = true;
    if (s.invokerIamDisabled) body['invokerIamDisabled'] = true;
    if (s.iapEnabled) body['iapEnabled'] = true;
    if (s.function) {
      body['buildConfig'] = {
        functionTarget: s.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
        baseImage: 'us-central1-docker.pkg.dev/serverless-runtimes/google-22-full/runtimes/nodejs22',
        enableAutomaticUpdates: true,
      };
      body['labels'] = { ...s.labels, 'goog-managed-by': 'cloudfunctions' };
    }
    const service = buildService(store, { project, region: s.region, name: s.name, body, tags: s.tags, uid: ctx.ids.uuid(), at, ready: true });
    const path = servicePath(project, s.region, s.name);
    store.put(path, service);
    store.put(iamPolicyPath(path), invokerPolicy(s.invokers, at));
    if (s.responseDelayMs > 0) store.put(serviceBehaviourPath(path), { responseDelayMs: s.responseDelayMs });
  }

  for (const f of seed.functions) {
    const project = p(f);
    store.put(functionPath(project, f.region, f.name), buildFunction(store, { ...f, project }, at));
  }

  for (const app of seed.appEngine) {
    const project = p(app);
    const region = appEngineRegion(app.locationId);
    store.put(appPath(project), buildApp(project, app.locationId, region));
    for (const s of app.services) {
      store.put(appServicePath(project, s.name), buildAppService(project, s.name, s.serving ?? s.versions.at(-1)!));
      for (const v of s.versions) store.put(appVersionPath(project, s.name, v), buildAppVersion(project, s.name, v, region, at));
    }
  }

  for (const g of seed.apiGateways) {
    const project = p(g);
    store.put(gatewayPath(project, g.region, g.name), buildGateway(store, { ...g, project }, at));
  }

  const compute = ctx.seeders['compute'] ?? fallbackComputeSeeder(ctx);
  for (const n of seed.networks) {
    const project = p(n);
    compute(project, 'networks', {
      name: n.name,
      autoCreateSubnetworks: n.autoCreateSubnetworks,
      routingConfig: { routingMode: n.routingMode },
    });
    for (const s of n.subnetworks) {
      const body: JsonObject = {
        name: s.name,
        network: `${COMPUTE}projects/${project}/global/networks/${n.name}`,
        ipCidrRange: s.ipCidrRange,
        purpose: s.purpose,
      };
      if (s.role) body['role'] = s.role;
      compute(project, 'subnetworks', body, s.region);
    }
  }
  for (const a of seed.addresses) {
    const project = p(a);
    const body: JsonObject = { name: a.name, addressType: a.addressType };
    if (!a.region) body['ipVersion'] = a.ipVersion;
    if (a.networkTier) body['networkTier'] = a.networkTier;
    if (a.address) body['address'] = a.address;
    else if (!ctx.seeders['compute'] && a.addressType === 'EXTERNAL') body['address'] = externalIp(`${project}/${a.name}`);
    compute(project, a.region ? 'addresses' : 'globalAddresses', body, a.region);
  }

  for (const z of seed.dnsZones) {
    const project = p(z);
    const zone = buildZone(project, z, ctx.ids.numeric(), at);
    putZone(store, project, zone, z.records.map((r) => buildRrset(r)));
  }
}
