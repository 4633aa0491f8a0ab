/**
 * The config that describes a load balancer read by read-import.ts: type, regions, protocol and
 * port, backends (from the serverless NEGs), routing (from the URL map), certificate, address,
 * Cloud Armor, logging, DNS, Cloud Run ingress and invoker; dual stack, the HTTPS proxy's TLS,
 * custom headers and the CDN policy (imported-settings.ts); route rules (imported-routes.ts). What
 * a config cannot say is listed (`unexpressible`), never dropped: the caller refuses to take the
 * load balancer over while the list is not empty. Whether the config then matches what exists in every field is the plan's to
 * say (run-import.ts diffs them). Pure: no I/O.
 */
import { lbNames, type LbNames } from '../model/naming.js';
import { parseResourcePath } from '../plan/paths.js';
import { ownerOf } from '../plan/ownership.js';
import { regionOf, resourceId, type ObservedResource, type ObservedState, type Scope } from '../model/resource-model.js';
import { certificateService } from '../spec/derive.js';
import type { LbType } from '../spec/schema.js';
import type { ExistingLb } from './read-import.js';
import { follow, importedCdn, importedHeaders, importedIpVersion, importedOutlierDetection, importedTls, isIpv6Rule } from './imported-settings.js';
import { importedRoutes } from './imported-routes.js';
import { checkCrossRegionRuleNames, importedAddress, importedNetwork, subnetRegion } from './imported-network.js';

export interface ImportedSpec {
  /** The config, as it is written to the file. */
  input: Record<string, unknown>;
  /** What a config cannot express yet: one sentence each. */
  unexpressible: string[];
  /** Files the config names, written beside it (a trust config's CA certificates): relative path -> content. */
  files: Record<string, string>;
}

type Body = Record<string, unknown>;

/** Keys that hold something (the SDK reads repeated fields back as empty lists). */
function setKeys(body: Body): string[] {
  return Object.keys(body).filter((k) => {
    const v = body[k];
    return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as Body).length === 0);
  });
}

function isRedirectMap(map: ObservedResource | undefined): boolean {
  return (map?.body.defaultUrlRedirect as { httpsRedirect?: boolean } | undefined)?.httpsRedirect === true;
}

const TYPE_BY_SCHEME: Record<string, { global: string; regional: string }> = {
  EXTERNAL_MANAGED: { global: 'global-external', regional: 'regional-external' },
  EXTERNAL: { global: 'classic', regional: 'classic' },
  INTERNAL_MANAGED: { global: 'cross-region-internal', regional: 'regional-internal' },
};

const AUTO_INGRESS: Record<string, string> = {
  external: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
};

export function specFromExisting(lb: ExistingLb, name: string, project: string): ImportedSpec {
  const unexpressible: string[] = [];
  const files: Record<string, string> = {};
  const names = lbNames(name);
  const { observed } = lb;
  const say = (text: string) => unexpressible.push(text);
  /** Names the config keeps where they are not the ones serverless-lb gives (Spec `names`). */
  const kept: Record<string, unknown> = {};
  const keep = (key: 'urlMap' | 'redirectUrlMap' | 'httpsProxy' | 'httpProxy' | 'httpsForwardingRule' | 'httpForwardingRule', r: ObservedResource | undefined, generated: string) => {
    if (!r || r.name === generated) return;
    // A cross-region internal load balancer's forwarding rules are checked one per region (checkCrossRegionRuleNames).
    if (type === 'cross-region-internal' && key.endsWith('ForwardingRule')) return;
    kept[key] = r.name;
  };

  const proxyOf = (fr: ObservedResource) => follow(observed, fr.body.target);
  const mapOf = (fr: ObservedResource) => follow(observed, proxyOf(fr)?.body.urlMap);
  // The IPv4 frontend describes the listeners; the IPv6 one of dual stack mirrors it.
  const v4 = lb.forwardingRules.filter((fr) => !isIpv6Rule(fr));
  const rules = v4.length > 0 ? v4 : lb.forwardingRules;
  const main = rules.find((fr) => proxyOf(fr)?.kind === 'targetHttpsProxy') ?? rules.find((fr) => !isRedirectMap(mapOf(fr))) ?? rules[0]!;
  const https = proxyOf(main)?.kind === 'targetHttpsProxy';
  const redirect = rules.find((fr) => fr !== main && isRedirectMap(mapOf(fr)));
  const others = rules.filter((fr) => fr !== main && fr !== redirect && proxyOf(fr)?.body.urlMap !== proxyOf(main)?.body.urlMap);
  for (const fr of others) say(`forwarding rule ${fr.name} serves another URL map on the same address: one load balancer per config`);

  const scheme = String(main.body.loadBalancingScheme ?? 'EXTERNAL');
  const region = regionOf(main.scope);
  const type = TYPE_BY_SCHEME[scheme]?.[region ? 'regional' : 'global'];
  if (!type) say(`forwarding rule ${main.name}: load balancing scheme ${scheme} is not an Application Load Balancer serverless-lb builds`);
  const internal = scheme === 'INTERNAL_MANAGED';

  const input: Record<string, unknown> = { name, project, type: type ?? 'global-external' };
  const negs = [...observed.values()].filter((o) => o.kind === 'networkEndpointGroup');
  const negRegions = [...new Set(negs.map((n) => regionOf(n.scope)).filter((r): r is string => !!r))].sort();
  if (type === 'cross-region-internal') {
    input.regions = [...new Set(lb.forwardingRules.map(subnetRegion).filter(Boolean))].sort();
    checkCrossRegionRuleNames(lb.forwardingRules, (fr) => proxyOf(fr)?.kind === 'targetHttpsProxy', names, say);
  } else {
    input.region = region ?? negRegions[0];
  }

  // Backends: one per backend service, named after serverless-lb's naming where it fits.
  const backendServices = [...observed.values()].filter((o) => o.kind === 'backendService');
  const backendName = new Map<string, string>();
  const backends = backendServices.map((bs) => {
    const logical = bs.name.startsWith(`${name}-`) && bs.name.endsWith('-bs') ? bs.name.slice(name.length + 1, -'-bs'.length) : bs.name;
    backendName.set(bs.id, logical);
    if (bs.name !== names.backendService(logical)) kept.backendServices = { ...(kept.backendServices as object | undefined), [logical]: bs.name };
    const groups = ((bs.body.backends as Body[] | undefined) ?? []).map((b) => follow(observed, b.group)).filter((g): g is ObservedResource => !!g);
    const entry: Body = { name: logical };
    const targets = new Set(groups.map((g) => JSON.stringify(g.body.cloudRun ?? g.body.cloudFunction ?? g.body.appEngine ?? g.body.serverlessDeployment ?? null)));
    const neg = groups[0];
    if (!neg || targets.size !== 1) say(`backend service ${bs.name}: ${neg ? 'its NEGs point at different targets' : 'it has no serverless NEG'}`);
    if (neg?.body.cloudRun) {
      const run = neg.body.cloudRun as { service?: string; urlMask?: string; tag?: string };
      entry.cloudRun = { ...(run.service ? { service: run.service } : {}), ...(run.urlMask ? { urlMask: run.urlMask } : {}), ...(run.tag ? { tag: run.tag } : {}) };
    } else if (neg?.body.cloudFunction) {
      const fn = neg.body.cloudFunction as { function?: string; urlMask?: string };
      entry.cloudFunction = { ...(fn.function ? { function: fn.function } : {}), ...(fn.urlMask ? { urlMask: fn.urlMask } : {}) };
    } else if (neg?.body.appEngine) {
      entry.appEngine = { ...(neg.body.appEngine as Body) };
    } else if ((neg?.body.serverlessDeployment as { platform?: string } | undefined)?.platform === 'apigateway.googleapis.com') {
      entry.apiGateway = { gateway: (neg!.body.serverlessDeployment as { resource: string }).resource };
    } else if (neg) {
      say(`NEG ${neg.name}: only Cloud Run, Cloud Functions, App Engine and API Gateway NEGs are imported`);
    }
    const regions = [...new Set(groups.map((g) => regionOf(g.scope)).filter((r): r is string => !!r))].sort();
    for (const g of groups) {
      const negRegion = regionOf(g.scope) ?? '';
      if (g.name === names.neg(logical, negRegion)) continue;
      const negs = (kept.negs ?? {}) as Record<string, Record<string, string>>;
      kept.negs = { ...negs, [logical]: { ...negs[logical], [negRegion]: g.name } };
    }
    const defaultRegions = type === 'cross-region-internal' ? (input.regions as string[]) : [input.region as string];
    if (regions.join() !== [...defaultRegions].sort().join()) entry.regions = regions;
    if (bs.body.iap && (bs.body.iap as { enabled?: boolean }).enabled) say(`backend service ${bs.name}: IAP is on, and its OAuth client secret cannot be read back into a config; turn IAP on in the config after import`);
    if (bs.body.enableCDN === true) entry.cdn = true;
    return entry;
  });
  input.backends = backends;

  // Routing, from the main URL map.
  const map = mapOf(main);
  keep('urlMap', map, names.urlMap());
  const backendOf = (ref: unknown): string | undefined => {
    const bs = follow(observed, ref);
    return bs ? backendName.get(bs.id) : undefined;
  };
  if (map) {
    const routing: Body = {};
    const def = backendOf(map.body.defaultService);
    if (def) routing.defaultBackend = def;
    else say(`URL map ${map.name}: its default is not a backend service of this load balancer`);
    const matchers = new Map(((map.body.pathMatchers as Body[] | undefined) ?? []).map((m) => [String(m.name), m]));
    const hosts = ((map.body.hostRules as Body[] | undefined) ?? []).map((rule) => {
      const matcher = matchers.get(String(rule.pathMatcher));
      const out: Body = { hosts: rule.hosts };
      const hostDefault = backendOf(matcher?.defaultService);
      if (hostDefault) out.defaultBackend = hostDefault;
      const paths = ((matcher?.pathRules as Body[] | undefined) ?? []).map((p) => ({ paths: p.paths, backend: backendOf(p.service) }));
      if (paths.length) out.paths = paths;
      if (matcher?.routeRules && (matcher.routeRules as unknown[]).length > 0) out.routes = importedRoutes(String(matcher.name), map.name, matcher.routeRules, backendOf, say);
      for (const k of matcher ? setKeys(matcher) : []) if (!['name', 'defaultService', 'pathRules', 'routeRules', 'description'].includes(k)) say(`URL map ${map.name}, path matcher ${String(matcher!.name)}: ${k} is not imported yet`);
      return out;
    });
    // The routes of every other host (the last host rule, "*", whose default is the map's) are routing.routes.
    const star = hosts.at(-1);
    if (star?.routes && JSON.stringify(star.hosts) === '["*"]' && (star.defaultBackend ?? def) === def) {
      routing.routes = star.routes;
      hosts.pop();
    }
    if (hosts.length) routing.hosts = hosts;
    for (const k of setKeys(map.body)) {
      if (['defaultRouteAction', 'defaultUrlRedirect', 'defaultCustomErrorResponsePolicy', 'tests'].includes(k)) say(`URL map ${map.name}: ${k} is not imported yet`);
    }
    input.routing = routing;
  }

  // Frontend.
  const frontend: Body = { protocol: https ? (redirect ? 'https-redirect' : 'https') : 'http' };
  const port = String(main.body.portRange ?? '').split('-')[0];
  if (port && port !== (https ? '443' : '80')) frontend.port = Number(port);
  const domains = [...new Set(lb.records.map((r) => String(r.body.name).replace(/\.$/, '')))].sort();
  const addresses = [...observed.values()].filter((o) => o.kind === 'address');
  frontend.address = importedAddress(input.type as LbType, main, rules, addresses, names, say);
  const ipVersion = importedIpVersion(lb.forwardingRules, addresses, names, say);
  if (ipVersion !== 'IPV4') frontend.address = { ...(frontend.address as Body), ipVersion };
  if (usesNetwork(type)) frontend.network = importedNetwork(input.type as LbType, main, (input.regions as string[] | undefined) ?? [input.region as string], observed, names, name, say);
  input.frontend = frontend;
  if (lb.dnsZone && lb.records.length > 0) input.dns = { managedZone: lb.dnsZone };
  if (https) {
    keep('httpsForwardingRule', main, names.httpsForwardingRule());
    keep('httpsProxy', proxyOf(main), names.httpsProxy());
  } else {
    keep('httpForwardingRule', main, names.httpForwardingRule());
    keep('httpProxy', proxyOf(main), names.httpProxy());
  }
  if (redirect) {
    keep('httpForwardingRule', redirect, names.httpForwardingRule());
    keep('httpProxy', proxyOf(redirect), names.httpProxy());
    keep('redirectUrlMap', mapOf(redirect), names.redirectUrlMap());
  }

  // Certificate, and the TLS of the HTTPS proxy.
  if (https) {
    input.certificate = certificateOf(input.type as LbType, proxyOf(main)!, observed, names, name, domains, frontend, say);
    const tls = importedTls(proxyOf(main)!, observed, names, name, files, say);
    if (tls) frontend.tls = tls;
  }

  // Options: logging, Cloud Armor, ingress and invoker.
  const options: Body = {};
  const logging = backendServices.map((bs) => (bs.body.logConfig as { enable?: boolean; sampleRate?: number } | undefined) ?? {});
  if (logging.every((l) => !l.enable)) options.logging = { enabled: false };
  else if (logging.some((l) => l.sampleRate !== undefined && l.sampleRate !== 1)) options.logging = { enabled: true, sampleRate: logging[0]!.sampleRate };
  const policies = [...new Set(backendServices.map((bs) => String(bs.body.securityPolicy ?? '')).filter(Boolean))];
  if (policies.length > 1) say(`the backend services use different Cloud Armor policies (${policies.map((p) => p.split('/').pop()).join(', ')}): one per config`);
  const policy = follow(observed, policies[0]);
  if (policy) options.cloudArmor = { existingPolicy: policy.name };
  const expected = AUTO_INGRESS[internal ? 'internal' : 'external']!;
  const ingresses = new Set(lb.runServices.map((s) => s.service.ingress));
  if (ingresses.size > 1) say(`the Cloud Run services have different ingress settings (${[...ingresses].join(', ')}): one per config`);
  const ingress = [...ingresses][0];
  if (ingress !== undefined && ingress !== expected) {
    options.ingress = ingress === 'INGRESS_TRAFFIC_INTERNAL_ONLY' ? 'internal' : ingress === 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' ? 'internal-and-cloud-load-balancing' : 'unchanged';
  }
  if (lb.runServices.length > 0 && !lb.runServices.every((s) => s.invokers.includes('allUsers'))) options.invoker = 'unchanged';
  const headers = importedHeaders(type, map, backendServices, say);
  if (headers) options.headers = headers;
  const cdn = importedCdn(backendServices, say);
  if (cdn) options.cdn = cdn;
  const outlierDetection = importedOutlierDetection(backendServices, say);
  if (outlierDetection) options.outlierDetection = outlierDetection;
  if (Object.keys(options).length) input.options = options;
  if (Object.keys(kept).length) input.names = kept;
  return { input, unexpressible, files };
}

function usesNetwork(type: string | undefined): boolean {
  return type === 'regional-external' || type === 'regional-internal' || type === 'cross-region-internal';
}

function certificateOf(type: LbType, proxy: ObservedResource, observed: ObservedState, names: LbNames, lbName: string, domains: string[], frontend: Body, say: (text: string) => void): Body {
  const map = follow(observed, proxy.body.certificateMap);
  const refs = ((proxy.body.sslCertificates as string[] | undefined) ?? []).concat((proxy.body.certificateManagerCertificates as string[] | undefined) ?? []);
  const certs = refs.map((r) => follow(observed, r)).filter((c): c is ObservedResource => !!c);
  // serverless-lb's own Google-managed certificate: the one of its name carrying its mark (Google
  // cannot change a Compute certificate's description, so any other one is named as existing: used
  // as it is, never deleted); with Certificate Manager, behind the map of its name where it has one.
  const ownManaged = (cert: ObservedResource | undefined) =>
    cert?.name === names.certificate() && (cert.body.managed as { domains?: string[] } | undefined)?.domains && ownerOf(cert.kind, cert.body) === lbName ? cert : undefined;
  const own = map
    ? map.name === names.certificateMap() && ownerOf(map.kind, map.body) === lbName ? ownManaged(observed.get(resourceId('certManagerCertificate', map.scope, names.certificate()))) : undefined
    : certs.length === 1 ? ownManaged(certs[0]) : undefined;
  if (own) {
    const managedDomains = (own.body.managed as { domains: string[] }).domains;
    // Without DNS records, the certificate's domains are the load balancer's (a wildcard names none).
    frontend.domains = [...new Set([...(domains.length ? domains : managedDomains.filter((d) => !d.startsWith('*.')))])];
    const sameDomains = [...managedDomains].sort().join() === [...(frontend.domains as string[])].sort().join();
    const service = own.kind === 'certManagerCertificate' ? 'certificate-manager' : 'compute';
    const byDefault = certificateService({ type, certificate: { type: 'managed' } }) === service;
    return { type: 'managed', ...(byDefault ? {} : { service }), ...(sameDomains ? {} : { domains: managedDomains }) };
  }
  if (domains.length) frontend.domains = domains;
  if (map) return { type: 'certificate-manager', certificateMap: map.name };
  if (typeof proxy.body.certificateMap === 'string') return { type: 'certificate-manager', certificateMap: proxy.body.certificateMap.split('/').pop() };
  if (certs.some((c) => c.kind === 'certManagerCertificate')) return { type: 'certificate-manager', certificates: certs.map((c) => c.name) };
  if (certs.length === 0) say(`HTTPS proxy ${proxy.name}: no certificate could be read`);
  // Any other certificate is named as existing: used as it is, never changed or deleted.
  return { type: 'existing', names: certs.map((c) => c.name) };
}
