/**
 * Checks made before any mutation, collecting every problem (not stopping at the first):
 *   1. the project resolves and the credentials work (one read; stops here when it fails);
 *   2. every region the load balancer uses exists;
 *   3. the Cloud Run services, Cloud Functions, App Engine services and API Gateway gateways the
 *      serverless NEGs point at (and the services whose ingress is restricted) exist there;
 *   4. proxy-only subnets: a plan that would create one where an ACTIVE one of the same purpose
 *      already exists in that region and network is blocked (Google allows one; reuse it); a named
 *      existing one must be there and ACTIVE; proxies that need one the config does not name
 *      (mode existing) need an ACTIVE one of their purpose in each region; a subnet the plan
 *      creates must not overlap any subnet of its network in any region. Where a range is needed,
 *      the hint proposes a free /23 per region, distinct from each other (one aggregated list per network);
 *   5. quotas: the creates in the plan fit in what is left of each quota (project quotas for
 *      global resources, the region's for regional ones), naming the quota that would run out;
 *   6. what the config names and the plan does not create (preflight-references.ts): Certificate
 *      Manager certificates and maps, the Cloud DNS zone (and that it holds the records' names);
 *   7. with a plan: the APIs it calls are enabled and the caller holds the permissions its steps
 *      need (preflight-access.ts).
 * Reads only; returns a report. `addPreflightBlockers` adds its problems to a plan as blockers.
 */
import { kindModule } from '../kinds/registry.js';
import type { DesiredGraph, DesiredResource, Plan, PlanBlocker } from '../model/resource-model.js';
import { CloudError, UsageError } from '../errors.js';
import { lastSegment, regionOf } from './paths.js';
import { freeRanges, rangesOverlap } from './ip-ranges.js';
import { referenceProblems } from './preflight-references.js';
import { proxyOnlySubnetNeed } from '../kinds/forwarding-rule.js';
import { PROXY_ONLY_PURPOSES } from '../kinds/subnetwork.js';
import { accessProblems } from './preflight-access.js';
import type { CallOptions, Cloud, Quota, RegionInfo, ServerlessTarget, SubnetworkInfo } from './port.js';

export interface PreflightProblem {
  code: string;
  message: string;
  hint: string;
  /** The resource (step) it concerns, if one. */
  id?: string;
  /** The API error behind it, when an API call failed. */
  error?: CloudError;
}

export interface QuotaCheck {
  metric: string;
  /** `global` (project quota) or the region. */
  where: string;
  limit: number;
  usage: number;
  needed: number;
  ok: boolean;
}

export interface PreflightReport {
  ok: boolean;
  problems: PreflightProblem[];
  quotas: QuotaCheck[];
  /** ACTIVE proxy-only subnets found, by region (for messages and for plans that reuse them). */
  proxyOnlySubnets: SubnetworkInfo[];
  /** Problems as plan blockers (append them to the plan's blockers). */
  blockers: PlanBlocker[];
}


/** Where the graph's Envoy proxies need a proxy-only subnet (forwarding-rule.ts proxyOnlySubnetNeed): one need per region. */
function proxyOnlySubnetNeeds(graph: DesiredGraph): Array<{ id: string; name: string; region: string; purpose: string; network?: string }> {
  const needs = new Map<string, { id: string; name: string; region: string; purpose: string; network?: string }>();
  for (const r of graph.resources) {
    if (r.kind !== 'forwardingRule' || !r.managed) continue;
    const need = proxyOnlySubnetNeed(r.body, r.scope);
    if (need && !needs.has(need.region)) needs.set(need.region, { id: r.id, name: r.name, ...need });
  }
  return [...needs.values()];
}

/** Quota metrics a new resource counts against, most specific first (the kind's `quotaMetrics`). */
export function quotaMetrics(resource: Pick<DesiredResource, 'kind' | 'scope' | 'body'>): string[] {
  return kindModule(resource.kind).quotaMetrics?.(resource) ?? [];
}

/** The serverless target of a NEG body, if it names one precisely (URL masks name none). */
export function serverlessTargetOf(resource: DesiredResource): ServerlessTarget | undefined {
  const region = regionOf(resource.scope);
  if (resource.kind === 'cloudRunIngress') return region ? { type: 'cloudRun', region, service: resource.name } : undefined;
  if (resource.kind !== 'networkEndpointGroup' || !region) return undefined;
  const b = resource.body as {
    cloudRun?: { service?: string };
    cloudFunction?: { function?: string };
    appEngine?: { service?: string; version?: string };
    serverlessDeployment?: { platform?: string; resource?: string };
  };
  if (b.cloudRun?.service) return { type: 'cloudRun', region, service: b.cloudRun.service };
  if (b.cloudFunction?.function) return { type: 'cloudFunction', region, name: b.cloudFunction.function };
  if (b.appEngine) {
    const t: ServerlessTarget = { type: 'appEngine' };
    if (b.appEngine.service) t.service = b.appEngine.service;
    if (b.appEngine.version) t.version = b.appEngine.version;
    return t;
  }
  if (b.serverlessDeployment?.platform === 'apigateway.googleapis.com' && b.serverlessDeployment.resource) {
    return { type: 'apiGateway', region, gateway: b.serverlessDeployment.resource };
  }
  return undefined;
}

/** The Cloud Run services behind backend services with IAP on, with the backend service's id. */
function iapCloudRunServices(graph: DesiredGraph): { service: string; region: string; backendService: string }[] {
  const byPath = new Map(graph.resources.filter((r) => r.kind === 'networkEndpointGroup').map((r) => [`projects/${r.project}/${r.scope}/networkEndpointGroups/${r.name}`, r]));
  const out = new Map<string, { service: string; region: string; backendService: string }>();
  for (const bs of graph.resources.filter((r) => r.kind === 'backendService' && (r.body.iap as { enabled?: unknown } | undefined)?.enabled === true)) {
    for (const b of (bs.body.backends as Array<{ group?: string }> | undefined) ?? []) {
      const neg = b.group ? byPath.get(b.group) : undefined;
      const target = neg ? serverlessTargetOf(neg) : undefined;
      if (target?.type === 'cloudRun') out.set(`${target.region}/${target.service}`, { service: target.service, region: target.region, backendService: bs.id });
    }
  }
  return [...out.values()];
}

function describeTarget(t: ServerlessTarget): string {
  switch (t.type) {
    case 'cloudRun':
      return `Cloud Run service ${t.service} in ${t.region}`;
    case 'cloudFunction':
      return `Cloud Function ${t.name} in ${t.region}`;
    case 'apiGateway':
      return `API Gateway gateway ${t.gateway} in ${t.region}`;
    case 'appEngine':
      return t.service ? `App Engine service ${t.service}${t.version ? ` version ${t.version}` : ''}` : 'the App Engine app';
  }
}

/** What this process has read of each Cloud's project and regions: read once, asked many times. */
const projectReads = new WeakMap<Cloud, Promise<Quota[]>>();
const regionReads = new WeakMap<Cloud, Map<string, Promise<RegionInfo | undefined>>>();

/** The project's quotas, read once per Cloud; a project Google does not know is a UsageError. */
function projectOf(cloud: Cloud, options: CallOptions): Promise<Quota[]> {
  let read = projectReads.get(cloud);
  if (!read) {
    read = cloud.getProjectQuotas(options).catch((error: unknown) => {
      if (error instanceof CloudError && error.reason === 'notFound') {
        throw new UsageError(`project ${cloud.project} was not found on ${cloud.target}; nothing was changed`, {
          code: 'preflight.project-unknown',
          details: [`project (--project): ${cloud.project} does not exist, or this account cannot see it (Google: ${error.googleMessage})`],
          hint: 'Check the project ID (not its name or number) in --project or the config\'s project key: `gcloud projects list`.',
        });
      }
      throw error;
    });
    read.catch(() => projectReads.delete(cloud));
    projectReads.set(cloud, read);
  }
  return read;
}

function regionInfo(cloud: Cloud, region: string, options: CallOptions): Promise<RegionInfo | undefined> {
  let reads = regionReads.get(cloud);
  if (!reads) regionReads.set(cloud, (reads = new Map()));
  let read = reads.get(region);
  if (!read) {
    read = cloud.getRegion(region, options);
    read.catch(() => reads.delete(region));
    reads.set(region, read);
  }
  return read;
}

const UNKNOWN_REGION_HINT = 'Use a region such as us-central1 or europe-west1: `gcloud compute regions list`.';

/**
 * One wording for regions Google does not know, before anything is read (an error's clause) and in
 * preflight (a problem's sentence).
 */
function unknownRegionMessage(regions: readonly string[], project: string, form: 'clause' | 'sentence' = 'clause'): string {
  const clause = regions.length === 1
    ? `region ${regions[0]} does not exist (or is not available to project ${project})`
    : `regions ${regions.join(', ')} do not exist (or are not available to project ${project})`;
  return form === 'clause' ? clause : `${clause[0]!.toUpperCase()}${clause.slice(1)}.`;
}

/**
 * Preflight's first two checks, made before anything is read: the project exists and every region
 * the config names does. Both are input errors (exit 2) naming the key and flag; other failures
 * (credentials, network) are the CloudError of the call. The answers are kept for `preflight`.
 */
export async function checkProjectAndRegions(cloud: Cloud, regions: readonly string[], options: CallOptions = {}): Promise<void> {
  await projectOf(cloud, options);
  const unknown: string[] = [];
  await Promise.all(regions.map(async (region) => void ((await regionInfo(cloud, region, options)) ? undefined : unknown.push(region))));
  if (unknown.length) {
    throw new UsageError(`${unknownRegionMessage(unknown, cloud.project)}; nothing was changed`, {
      code: 'preflight.region-unknown',
      details: unknown.map((r) => `region (--region, --regions or backends[].regions): ${r} is not a region of ${cloud.target}`),
      hint: UNKNOWN_REGION_HINT,
    });
  }
}

export async function preflight(graph: DesiredGraph, cloud: Cloud, plan?: Plan, options: CallOptions = {}): Promise<PreflightReport> {
  const problems: PreflightProblem[] = [];
  const report = (): PreflightReport => ({
    ok: problems.length === 0,
    problems,
    quotas,
    proxyOnlySubnets,
    blockers: problems.map((p) => ({ id: p.id ?? p.code, message: p.message, hint: p.hint })),
  });
  const quotas: QuotaCheck[] = [];
  const proxyOnlySubnets: SubnetworkInfo[] = [];

  // 1. Access: stop here when the project or credentials fail; nothing else can be read.
  let projectQuotas: Quota[] = [];
  try {
    projectQuotas = await projectOf(cloud, options);
  } catch (error) {
    // A project Google does not know is already a UsageError (projectOf): only CloudErrors are problems.
    if (!(error instanceof CloudError)) throw error;
    problems.push({ code: error.code, message: `Cannot use project ${cloud.project} on ${cloud.target}: ${error.googleMessage}`, hint: error.hint ?? '', error });
    return report();
  }

  const creating = new Set(
    plan ? plan.steps.filter((s) => s.action === 'create' || s.action === 'replace').map((s) => s.id) : graph.resources.filter((r) => r.managed).map((r) => r.id),
  );
  const regions = [...new Set(graph.resources.map((r) => regionOf(r.scope)).filter((r): r is string => !!r))];

  const reads: Array<Promise<void>> = [];
  const record = (p: Promise<void>): void => {
    reads.push(
      p.catch((error: unknown) => {
        if (!(error instanceof CloudError)) throw error;
        problems.push({ code: error.code, message: error.message, hint: error.hint ?? '', error });
      }),
    );
  };

  // 2 + 5 (regional part). Regions and their quotas.
  const regionQuotas = new Map<string, Quota[]>();
  for (const region of regions) {
    record(
      regionInfo(cloud, region, options).then((info) => {
        if (!info) {
          problems.push({ code: 'preflight.region-unknown', message: unknownRegionMessage([region], cloud.project, 'sentence'), hint: UNKNOWN_REGION_HINT });
        } else {
          regionQuotas.set(region, info.quotas);
        }
      }),
    );
  }

  // 3. Serverless targets.
  const seenTargets = new Set<string>();
  for (const r of graph.resources) {
    const target = serverlessTargetOf(r);
    if (!target) continue;
    const key = JSON.stringify(target);
    if (seenTargets.has(key)) continue;
    seenTargets.add(key);
    record(
      cloud.serverlessTargetExists(target, options).then((exists) => {
        if (!exists) {
          problems.push({
            id: r.id,
            code: 'preflight.target-missing',
            message: `${describeTarget(target)} does not exist in project ${cloud.project}.`,
            hint: 'Deploy it first, or fix its name or region in the config: a serverless NEG must be in the same project and region as what it points to.',
          });
        }
      }),
    );
  }

  // 3b. IAP on a Cloud Run service and on the load balancer in front of it: Google takes one or
  // the other, not both.
  for (const { service, region, backendService } of iapCloudRunServices(graph)) {
    record(
      cloud.getRunService(region, service, options).then((info) => {
        if (info?.iapEnabled !== true) return;
        problems.push({
          id: backendService,
          code: 'preflight.iap-twice',
          message: `Cloud Run service ${service} (${region}) has Identity-Aware Proxy turned on itself, and the plan puts IAP on the load balancer in front of it too; Google allows IAP on one of the two, not both.`,
          hint: `Keep IAP on the load balancer: turn it off on the service (gcloud run services update ${service} --region ${region} --no-iap). Or keep it on the service: turn IAP off for this backend (options.iap.enabled: false, or ?iap=false on --backend).`,
        });
      }),
    );
  }

  // 4. Proxy-only subnets.
  // Desired proxy-only subnets: created ones carry their purpose; existing ones say so in `purpose`.
  const proxySubnets = graph.resources.filter(
    (r) => r.kind === 'subnetwork' && (PROXY_ONLY_PURPOSES.has(String(r.body.purpose ?? '')) || (!r.managed && /proxy-only/i.test(r.purpose))),
  );
  const subnetRegions = [...new Set(proxySubnets.map((r) => regionOf(r.scope)!).filter(Boolean))];
  for (const region of subnetRegions) {
    record(
      cloud.listSubnetworks(region, options).then((subnets) => {
        const active = subnets.filter((s) => PROXY_ONLY_PURPOSES.has(s.purpose) && (s.role ?? 'ACTIVE') === 'ACTIVE');
        proxyOnlySubnets.push(...active);
        for (const desired of proxySubnets.filter((r) => regionOf(r.scope) === region)) {
          const purpose = String(desired.body.purpose ?? '');
          const network = typeof desired.body.network === 'string' ? lastSegment(desired.body.network) : undefined;
          const clash = active.find(
            (s) => s.name !== desired.name && (!purpose || s.purpose === purpose) && (!network || lastSegment(s.network) === network),
          );
          if (desired.managed && creating.has(desired.id) && clash) {
            problems.push({
              id: desired.id,
              code: 'preflight.proxy-only-subnet-exists',
              message: `Region ${region} already has an ACTIVE proxy-only subnet (${clash.name}, ${clash.purpose}${clash.ipCidrRange ? `, ${clash.ipCidrRange}` : ''}) in network ${lastSegment(clash.network)}; Google allows only one, so the plan must not create ${desired.name}.`,
              hint: `Reuse it: set frontend.network.proxyOnlySubnet to {mode: existing, name: ${clash.name}} (or --proxy-only-subnet existing).`,
            });
          }
          if (!desired.managed) {
            const found = subnets.find((s) => s.name === desired.name);
            if (!found || !PROXY_ONLY_PURPOSES.has(found.purpose) || (found.role ?? 'ACTIVE') !== 'ACTIVE') {
              problems.push({
                id: desired.id,
                code: 'preflight.proxy-only-subnet-missing',
                message: found
                  ? `Subnet ${desired.name} in ${region} is not an ACTIVE proxy-only subnet (purpose ${found.purpose}${found.role ? `, role ${found.role}` : ''}).`
                  : `Proxy-only subnet ${desired.name} does not exist in ${region}.`,
                hint: active[0]
                  ? `Use the ACTIVE one, ${active[0].name}, or let serverless-lb create one (proxyOnlySubnet mode: create).`
                  : 'Create one (proxyOnlySubnet mode: create, with a /23 range), or name an existing ACTIVE one.',
              });
            }
          }
        }
      }),
    );
  }

  // 4b. Proxies that need a proxy-only subnet the config does not name (mode existing, the default):
  // one of the right purpose must be ACTIVE in each region and network, or Google refuses the
  // forwarding rule after everything else was made.
  const unmet: Array<ReturnType<typeof proxyOnlySubnetNeeds>[number]> = [];
  for (const need of proxyOnlySubnetNeeds(graph).filter((n) => !subnetRegions.includes(n.region))) {
    record(
      cloud.listSubnetworks(need.region, options).then((subnets) => {
        const active = subnets.find((s) => s.purpose === need.purpose && (s.role ?? 'ACTIVE') === 'ACTIVE' && (!need.network || lastSegment(s.network) === need.network));
        if (active) proxyOnlySubnets.push(active);
        else unmet.push(need);
      }),
    );
  }

  await Promise.all(reads);

  // 4c. Ranges, over every subnet of each network involved (one aggregated list per network): a
  // range the plan creates must overlap none of them, and a needed proxy-only subnet gets a free one.
  const created = graph.resources.filter((r) => r.kind === 'subnetwork' && r.managed && creating.has(r.id) && typeof r.body.ipCidrRange === 'string');
  const networkOf = (path: unknown) => (typeof path === 'string' ? lastSegment(path) : 'default');
  const networks = [...new Set([...created.map((r) => networkOf(r.body.network)), ...unmet.map((n) => n.network ?? 'default')])];
  for (const network of networks) record(rangeProblems(network));
  // 6. References the plan does not create.
  record(referenceProblems(graph, cloud, options).then((found) => void problems.push(...found)));
  // 7. APIs and permissions for what the plan does.
  if (plan) record(accessProblems(plan, cloud, options).then((found) => void problems.push(...found)));
  await Promise.all(reads);

  async function rangeProblems(network: string): Promise<void> {
    const existing = (await cloud.listNetworkSubnetworks(network, options)).filter((s) => s.ipCidrRange);
    const mine = created.filter((r) => networkOf(r.body.network) === network);
    const needs = unmet.filter((n) => (n.network ?? 'default') === network);
    const taken = [...existing.map((s) => s.ipCidrRange!), ...mine.map((r) => String(r.body.ipCidrRange))];
    const reported = new Set(problems.map((p) => p.id));
    const clashing = mine.filter((r) => !reported.has(r.id) && existing.some((s) => !(s.name === r.name && s.region === regionOf(r.scope)) && rangesOverlap(String(r.body.ipCidrRange), s.ipCidrRange!)));
    const proposals = freeRanges(taken, clashing.length + needs.length);
    clashing.forEach((r, i) => {
      const range = String(r.body.ipCidrRange);
      const other = existing.find((s) => rangesOverlap(range, s.ipCidrRange!))!;
      const region = regionOf(r.scope)!;
      problems.push({
        id: r.id,
        code: 'preflight.range-overlap',
        message: `The range ${range} of subnet ${r.name} (${region}) overlaps subnet ${other.name} (${other.region}, ${other.ipCidrRange}) of network ${network}: Google refuses overlapping ranges in one network, in any region.`,
        hint: proposals[i] ? `Use a free range, such as ${proposals[i]} (frontend.network.proxyOnlySubnet.ranges.${region}, or --proxy-only-subnet-range ${region}=${proposals[i]}).` : `Choose a range that no subnet of network ${network} uses.`,
      });
    });
    needs.forEach((need, j) => {
      const range = proposals[clashing.length + j] ?? 'A FREE /23';
      problems.push({
        id: need.id,
        code: 'preflight.proxy-only-subnet-missing',
        message: `Region ${need.region} has no ACTIVE ${need.purpose} proxy-only subnet in network ${network}, which the load balancer's proxies need (Google would refuse ${need.name} after everything else was made).`,
        hint: `Let serverless-lb create one: frontend.network.proxyOnlySubnet {mode: create, ranges: {${need.region}: ${range}}} (--proxy-only-subnet create --proxy-only-subnet-range ${need.region}=${range}; ${range} is free in network ${network}), or create one yourself and name it.`,
      });
    });
  }

  // 5. Quotas: count what the plan creates, per metric and place.
  const needed = new Map<string, { metric: string; where: string; count: number }>();
  for (const r of graph.resources) {
    if (!creating.has(r.id)) continue;
    const region = regionOf(r.scope);
    for (const metric of quotaMetrics(r)) {
      // A regional resource counts against its region's quota where the region has that metric, else the project's.
      const where = region && (regionQuotas.get(region) ?? []).some((q) => q.metric === metric) ? region : 'global';
      const key = `${metric}@${where}`;
      const entry = needed.get(key) ?? { metric, where, count: 0 };
      entry.count++;
      needed.set(key, entry);
    }
  }
  for (const { metric, where, count } of needed.values()) {
    const list = where === 'global' ? projectQuotas : (regionQuotas.get(where) ?? []);
    const q = list.find((x) => x.metric === metric);
    if (!q) continue;
    const ok = q.usage + count <= q.limit;
    quotas.push({ metric, where, limit: q.limit, usage: q.usage, needed: count, ok });
    if (!ok) {
      problems.push({
        code: 'preflight.quota',
        message: `Quota ${metric}${where === 'global' ? '' : ` in ${where}`} would run out: limit ${q.limit}, in use ${q.usage}, this plan creates ${count} more.`,
        hint: `Delete unused ${kindOfMetric(metric)} or request a higher ${metric} quota (console: IAM & Admin > Quotas, project ${cloud.project}).`,
      });
    }
  }
  return report();
}

function kindOfMetric(metric: string): string {
  return metric.toLowerCase().replace(/_/g, ' ');
}

/**
 * Preflight for a plan that changes something, its problems added to the plan's blockers (so
 * `plan` and `apply` show them with the plan's own, before anything is made). When every problem is
 * an API failure (no access, an API off), that failure is thrown instead: it is not the config's.
 */
export async function addPreflightBlockers(plan: Plan, graph: DesiredGraph, cloud: Cloud, options: CallOptions = {}): Promise<void> {
  if (!plan.steps.some((s) => s.action !== 'noop')) return;
  const report = await preflight(graph, cloud, plan, options);
  if (report.problems.length > 0 && report.problems.every((p) => p.error)) throw report.problems[0]!.error;
  plan.blockers.push(...report.blockers);
}
