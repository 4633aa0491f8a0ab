/**
 * Reading a load balancer serverless-lb did not make (made in the console, with gcloud, or by the
 * exported gcloud script), from one of its forwarding rules: every forwarding rule on the same IP
 * (the HTTP redirect pair) or the same target proxy (one per region, cross-region internal), their
 * proxies, URL maps, backend services, serverless NEGs, certificates (a certificate map with its
 * entries and their certificates), the reserved addresses, the proxy-only subnets, the
 * security policies, the DNS records pointing at it in a given zone, and the Cloud Run services
 * behind it (their ingress and roles/run.invoker). Reads only, through the Cloud port.
 */
import { parseResourcePath, refOfId } from '../plan/paths.js';
import { ObservedIndex } from '../plan/observed-index.js';
import { regionOf, type ObservedResource, type ObservedState, type ResourceKind, type Scope } from '../model/resource-model.js';
import { recordData } from '../kinds/dns-record-set.js';
import { PROXY_ONLY_PURPOSES } from '../kinds/subnetwork.js';
import { UsageError } from '../errors.js';
import type { CallOptions, Cloud, RunServiceInfo } from './port.js';

export interface ImportTarget {
  forwardingRule: string;
  /** The forwarding rule's region; undefined: global. */
  region?: string;
  /** Cloud DNS zone whose A records pointing at the load balancer name its domains. */
  dnsZone?: string;
}

export interface ExistingRunService {
  service: RunServiceInfo;
  /** roles/run.invoker members, as the plan writes them. */
  invokers: string[];
}

export interface ExistingLb {
  /** Everything read, by resource id (what the plan is computed against). */
  observed: ObservedState;
  forwardingRules: ObservedResource[];
  /** The A/AAAA records of the zone that point at the load balancer's addresses. */
  records: ObservedResource[];
  runServices: ExistingRunService[];
  /** The zone the records were read from. */
  dnsZone?: string;
}

/** Kinds whose references a load balancer is followed through (what serves its traffic). */
const FOLLOWED = new Set<ResourceKind>(['targetHttpsProxy', 'targetHttpProxy', 'urlMap', 'backendService', 'networkEndpointGroup', 'sslCertificate', 'securityPolicy', 'certificateMap', 'certManagerCertificate', 'sslPolicy', 'serverTlsPolicy', 'trustConfig']);

export async function readExistingLb(cloud: Cloud, target: ImportTarget, options: CallOptions = {}): Promise<ExistingLb> {
  const scope: Scope = target.region ? `regions/${target.region}` : 'global';
  const first = await cloud.get({ kind: 'forwardingRule', scope, name: target.forwardingRule }, options);
  if (!first) {
    throw new UsageError(`forwarding rule ${target.forwardingRule} was not found in ${target.region ?? 'global'} (project ${cloud.project}); nothing was changed`, {
      code: 'import.not-found',
      details: [`--forwarding-rule ${target.forwardingRule}${target.region ? ` --region ${target.region}` : ''}: no such forwarding rule`],
      hint: `list them with: gcloud compute forwarding-rules list --project ${cloud.project}; a regional one needs --region`,
    });
  }
  const observed = new Map<string, ObservedResource>([[first.id, first]]);
  // The other listeners: forwarding rules on the same IP (the HTTP redirect pair), or on the same proxy.
  const siblings = (await cloud.list('forwardingRule', scope, options)).filter(
    (fr) => fr.id !== first.id && (fr.body.IPAddress === first.body.IPAddress || fr.body.target === first.body.target),
  );
  for (const fr of siblings) observed.set(fr.id, fr);
  const forwardingRules = [first, ...siblings];

  // Follow references, breadth first, through the kinds that carry traffic.
  const followFrom = async (start: readonly ObservedResource[]): Promise<void> => {
    let frontier = [...start];
    while (frontier.length > 0) {
      const index = new ObservedIndex(observed);
      const next = new Map<string, { kind: ResourceKind; scope: Scope; name: string }>();
      for (const r of frontier) {
        for (const id of index.referencesOf(r)) {
          const ref = refOfId(id);
          if (ref && FOLLOWED.has(ref.kind) && !observed.has(id)) next.set(id, ref);
        }
      }
      const found = await Promise.all([...next.values()].map((ref) => cloud.get(ref, options)));
      frontier = found.filter((o): o is ObservedResource => o !== undefined);
      for (const o of frontier) observed.set(o.id, o);
    }
  };
  await followFrom(forwardingRules);
  // A certificate map's entries point at it (nothing points at them): listed, then their certificates followed.
  const entries: ObservedResource[] = [];
  for (const map of [...observed.values()].filter((o) => o.kind === 'certificateMap')) {
    for (const entry of await cloud.list('certificateMapEntry', map.scope, options)) if (entry.name.startsWith(`${map.name}/`)) entries.push(entry);
  }
  for (const entry of entries) observed.set(entry.id, entry);
  await followFrom(entries);

  // The reserved addresses holding the forwarding rules' IPs.
  const ips = new Set(forwardingRules.map((fr) => String(fr.body.IPAddress ?? '')).filter(Boolean));
  const addressScopes = new Set<Scope>(forwardingRules.map((fr) => fr.scope));
  for (const fr of forwardingRules) {
    const subnet = typeof fr.body.subnetwork === 'string' ? parseResourcePath(fr.body.subnetwork) : undefined;
    if (subnet) addressScopes.add(subnet.scope);
  }
  for (const s of addressScopes) {
    for (const address of await cloud.list('address', s, options)) if (ips.has(String(address.body.address))) observed.set(address.id, address);
  }
  // The ACTIVE proxy-only subnets of the forwarding rules' network in those regions (the Envoy-based regional and cross-region types).
  const networks = new Set(forwardingRules.map((fr) => String(fr.body.network ?? '').split('/').pop()).filter(Boolean));
  for (const s of [...addressScopes].filter((scope) => scope !== 'global')) {
    for (const subnet of await cloud.list('subnetwork', s, options)) {
      if (PROXY_ONLY_PURPOSES.has(String(subnet.body.purpose)) && subnet.body.role === 'ACTIVE' && networks.has(String(subnet.body.network ?? '').split('/').pop()!)) observed.set(subnet.id, subnet);
    }
  }

  // DNS records of the zone pointing only at those IPs.
  const records: ObservedResource[] = [];
  if (target.dnsZone) {
    for (const r of await cloud.list('dnsRecordSet', 'global', { ...options, zone: target.dnsZone })) {
      const data = recordData(r.body);
      if ((r.body.type === 'A' || r.body.type === 'AAAA') && data.length > 0 && data.every((d) => ips.has(d))) records.push(r);
    }
  }

  // The Cloud Run services the NEGs name.
  const runServices: ExistingRunService[] = [];
  for (const neg of [...observed.values()].filter((o) => o.kind === 'networkEndpointGroup')) {
    const service = (neg.body.cloudRun as { service?: string } | undefined)?.service;
    const region = regionOf(neg.scope);
    if (!service || !region || runServices.some((s) => s.service.name === service && s.service.region === region)) continue;
    const info = await cloud.getRunService(region, service, options);
    if (!info) continue;
    const invoker = await cloud.get({ kind: 'cloudRunInvoker', scope: `regions/${region}`, name: service }, options);
    runServices.push({ service: info, invokers: (invoker?.body.members as string[] | undefined) ?? [] });
    const ingress = await cloud.get({ kind: 'cloudRunIngress', scope: `regions/${region}`, name: service }, options);
    if (ingress) observed.set(ingress.id, ingress);
    if (invoker) observed.set(invoker.id, invoker);
  }
  return { observed, forwardingRules, records, runServices, ...(target.dnsZone ? { dnsZone: target.dnsZone } : {}) };
}
