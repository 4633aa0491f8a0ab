/**
 * buildDesiredGraph: the exact set of Google resources a Spec implies, as API request bodies.
 *
 * Contract:
 *   - Input: a Spec that passed validation (src/spec/validate.ts). Rules between fields are not
 *     re-checked here; the graph is what a careful engineer would create by hand for that Spec.
 *   - Bodies are Compute Engine v1 insert bodies (camelCase), references are project-relative
 *     paths, secrets are SecretRef placeholders and file contents FileRef placeholders.
 *   - Every resource serverless-lb creates carries the ownership mark (ownership.ts). Existing
 *     resources the user named (address, SSL certificates, security policy, proxy-only subnet,
 *     the regular subnet of internal types) appear with managed=false and a body of `{name}`.
 *   - `resources` is in a valid creation order: every dependsOn id appears earlier.
 *   - Names come from naming.ts; ids are resourceId(kind, scope, name) and unique.
 *
 * Pure: no I/O, no clock, no environment. See docs/resources.md for the why of each field.
 */
import { LB_TYPE_INFO, type ArmorRule, type Backend, type Spec } from '../spec/schema.js';
import {
  backendFeatures,
  cloudRunIngress,
  cloudRunServices,
  forwardingRuleRegions,
  isInternalType,
  isRegionalType,
  listeners,
  managedCertificateDomains,
  negRegions,
  proxyOnlySubnetPurpose,
  proxyOnlySubnetRegions,
  targetKind,
  type Listener,
} from '../spec/derive.js';
import { lbNames } from './naming.js';
import { withOwnership } from './ownership.js';
import { resourcePath } from './paths.js';
import {
  resourceId,
  type DesiredGraph,
  type DesiredResource,
  type OutputRef,
  type ResourceKind,
  type Scope,
  type SecretRef,
} from './resource-model.js';

/** The priority of the default rule of a Cloud Armor policy (Google's fixed value). */
export const DEFAULT_RULE_PRIORITY = 2147483647;
/** TTL of the DNS records created for frontend.domains, in seconds. */
export const DNS_TTL = 300;
export const CERT_MANAGER_PREFIX = '//certificatemanager.googleapis.com/';

/** One place the LB listens: a forwarding rule per listener, and the address they share. */
interface Frontend {
  /** Region of the address and (for internal types) of the subnet; undefined for a global address. */
  region: string | undefined;
  addressScope: Scope;
  forwardingRuleScope: Scope;
  /** Name suffix of the address and forwarding rules where one LB has several (cross-region). */
  suffix: string | undefined;
}

function frontendsOf(spec: Spec): Frontend[] {
  const regions = forwardingRuleRegions(spec);
  if (spec.type === 'cross-region-internal') {
    return regions.map((region) => ({ region, addressScope: `regions/${region}`, forwardingRuleScope: 'global', suffix: region }));
  }
  if (regions.length === 0) return [{ region: undefined, addressScope: 'global', forwardingRuleScope: 'global', suffix: undefined }];
  return regions.map((region) => ({ region, addressScope: `regions/${region}`, forwardingRuleScope: `regions/${region}`, suffix: undefined }));
}

/** `projects/P/locations/L/certificates/N` -> `//certificatemanager.googleapis.com/projects/...`; short names get the project and location. */
function certManagerRef(project: string, location: string, collection: 'certificates' | 'certificateMaps', value: string): string {
  if (value.startsWith('//')) return value;
  if (value.startsWith('https://certificatemanager.googleapis.com/v1/')) {
    return CERT_MANAGER_PREFIX + value.slice('https://certificatemanager.googleapis.com/v1/'.length);
  }
  if (value.startsWith('projects/')) return CERT_MANAGER_PREFIX + value;
  return `${CERT_MANAGER_PREFIX}projects/${project}/locations/${location}/${collection}/${value}`;
}

function armorMatch(rule: Pick<ArmorRule, 'srcIpRanges' | 'expression'>): Record<string, unknown> {
  if (rule.expression !== undefined) return { expr: { expression: rule.expression } };
  return { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: rule.srcIpRanges ?? ['*'] } };
}

function armorRuleBody(rule: ArmorRule): Record<string, unknown> {
  const body: Record<string, unknown> = {
    priority: rule.priority,
    action: rule.action,
    match: armorMatch(rule),
    preview: rule.preview,
  };
  if (rule.description !== undefined) body.description = rule.description;
  if ((rule.action === 'throttle' || rule.action === 'rate_based_ban') && rule.rateLimit) {
    const limit = rule.rateLimit;
    const options: Record<string, unknown> = {
      conformAction: 'allow',
      exceedAction: limit.exceedAction,
      rateLimitThreshold: { count: limit.count, intervalSec: limit.intervalSec },
      enforceOnKey: limit.enforceOnKey,
    };
    if (limit.enforceOnKeyName !== undefined) options.enforceOnKeyName = limit.enforceOnKeyName;
    if (rule.action === 'rate_based_ban' && limit.banDurationSec !== undefined) options.banDurationSec = limit.banDurationSec;
    body.rateLimitOptions = options;
  }
  return body;
}

function negTargetBody(backend: Backend): Record<string, unknown> {
  switch (targetKind(backend)) {
    case 'cloudRun': {
      const t = backend.cloudRun!;
      const cloudRun: Record<string, unknown> = {};
      if (t.service !== undefined) cloudRun.service = t.service;
      if (t.urlMask !== undefined) cloudRun.urlMask = t.urlMask;
      if (t.tag !== undefined) cloudRun.tag = t.tag;
      return { cloudRun };
    }
    case 'cloudFunction': {
      const t = backend.cloudFunction!;
      const cloudFunction: Record<string, unknown> = {};
      if (t.function !== undefined) cloudFunction.function = t.function;
      if (t.urlMask !== undefined) cloudFunction.urlMask = t.urlMask;
      return { cloudFunction };
    }
    case 'appEngine': {
      const t = backend.appEngine!;
      const appEngine: Record<string, unknown> = {};
      if (t.service !== undefined) appEngine.service = t.service;
      if (t.version !== undefined) appEngine.version = t.version;
      if (t.urlMask !== undefined) appEngine.urlMask = t.urlMask;
      return { appEngine };
    }
    case 'apiGateway':
      return { serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: backend.apiGateway!.gateway } };
  }
}

function describeTarget(backend: Backend): string {
  const kind = targetKind(backend);
  const mask = backend.cloudRun?.urlMask ?? backend.cloudFunction?.urlMask ?? backend.appEngine?.urlMask;
  if (mask) return `URL mask ${mask}`;
  switch (kind) {
    case 'cloudRun':
      return `Cloud Run service ${backend.cloudRun!.service}${backend.cloudRun!.tag ? ` (tag ${backend.cloudRun!.tag})` : ''}`;
    case 'cloudFunction':
      return `Cloud Function ${backend.cloudFunction!.function}`;
    case 'appEngine':
      return `App Engine ${backend.appEngine!.service ?? 'default service'}${backend.appEngine!.version ? ` version ${backend.appEngine!.version}` : ''}`;
    case 'apiGateway':
      return `API Gateway ${backend.apiGateway!.gateway}`;
  }
}

export function buildDesiredGraph(spec: Spec): DesiredGraph {
  const project = spec.project;
  const lb = spec.name;
  const names = lbNames(lb);
  const info = LB_TYPE_INFO[spec.type];
  const scheme = info.scheme;
  const internal = isInternalType(spec.type);
  const regional = isRegionalType(spec.type);
  const lbRegion = spec.region ?? spec.regions?.[0];
  /** Scope of backend services, URL maps, proxies, certificates and the security policy. */
  const coreScope: Scope = regional ? `regions/${lbRegion}` : 'global';
  const network = spec.frontend.network ?? { network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'existing' as const } };
  const networkPath = `projects/${project}/global/networks/${network.network}`;
  const resources: DesiredResource[] = [];
  const ids = new Set<string>();

  const add = (
    kind: ResourceKind,
    scope: Scope,
    name: string,
    body: Record<string, unknown>,
    dependsOn: string[],
    purpose: string,
    extra: { managed?: boolean; project?: string; zone?: string } = {},
  ): DesiredResource => {
    const managed = extra.managed ?? true;
    const id = resourceId(kind, scope, name);
    if (ids.has(id)) throw new Error(`two resources would be named ${id}; rename a backend or the load balancer`);
    ids.add(id);
    const resource: DesiredResource = {
      id,
      kind,
      name,
      scope,
      project: extra.project ?? project,
      body: managed ? withOwnership(kind, lb, body, purpose) : body,
      dependsOn: [...new Set(dependsOn)],
      managed,
      purpose,
    };
    if (extra.zone !== undefined) resource.zone = extra.zone;
    resources.push(resource);
    return resource;
  };
  const path = (r: DesiredResource) => resourcePath(r.project, r.kind, r.scope, r.name);

  const frontends = frontendsOf(spec);
  const lis = listeners(spec);
  const sharedAddress = lis.length > 1;

  // 1. The VPC network (types whose forwarding rules live in one), the proxy-only subnets Envoy
  //    runs in, and (internal types) the regular subnet the address comes from.
  let networkResource: DesiredResource | undefined;
  if (spec.type === 'regional-external' || internal) {
    networkResource = add('network', 'global', network.network, { name: network.network }, [], 'existing VPC network of the load balancer', { managed: false });
  }
  const networkDeps = networkResource ? [networkResource.id] : [];
  const proxyOnlyByRegion = new Map<string, DesiredResource>();
  const purpose = proxyOnlySubnetPurpose(spec.type);
  if (purpose) {
    const pos = network.proxyOnlySubnet;
    for (const region of proxyOnlySubnetRegions(spec)) {
      const scope: Scope = `regions/${region}`;
      if (pos.mode === 'create') {
        const name = pos.name ?? names.proxyOnlySubnet(region);
        const body: Record<string, unknown> = { name, network: networkPath, purpose, role: 'ACTIVE' };
        const range = pos.ranges?.[region];
        if (range !== undefined) body.ipCidrRange = range;
        proxyOnlyByRegion.set(region, add('subnetwork', scope, name, body, networkDeps, `proxy-only subnet (${purpose}) for the load balancer's proxies in ${region}`));
      } else if (pos.name !== undefined) {
        proxyOnlyByRegion.set(
          region,
          add('subnetwork', scope, pos.name, { name: pos.name }, networkDeps, `existing proxy-only subnet (${purpose}) in ${region}`, { managed: false }),
        );
      }
    }
  }
  const subnetByRegion = new Map<string, DesiredResource>();
  if (internal) {
    for (const f of frontends) {
      if (!f.region || subnetByRegion.has(f.region)) continue;
      subnetByRegion.set(
        f.region,
        add('subnetwork', `regions/${f.region}`, network.subnet, { name: network.subnet }, networkDeps, `existing subnet the internal address in ${f.region} comes from`, { managed: false }),
      );
    }
  }

  // 2. Addresses: reserved first, so DNS stays stable when the LB is rebuilt.
  const addressOf = new Map<Frontend, DesiredResource>();
  const addr = spec.frontend.address;
  for (const f of frontends) {
    if (addr.mode === 'ephemeral') continue;
    if (addr.mode === 'existing') {
      const name = addr.name ?? names.address(f.suffix);
      addressOf.set(f, add('address', f.addressScope, name, { name }, [], 'existing reserved IP address of the load balancer', { managed: false }));
      continue;
    }
    const name = names.address(f.suffix);
    const body: Record<string, unknown> = { name };
    const deps: string[] = [];
    if (internal) {
      const subnet = subnetByRegion.get(f.region!)!;
      body.addressType = 'INTERNAL';
      body.subnetwork = path(subnet);
      if (sharedAddress) body.purpose = 'SHARED_LOADBALANCER_VIP';
      deps.push(subnet.id);
    } else {
      body.addressType = 'EXTERNAL';
      if (f.addressScope === 'global') body.ipVersion = addr.ipVersion;
      else body.networkTier = addr.networkTier;
    }
    addressOf.set(f, add('address', f.addressScope, name, body, deps, `${internal ? 'internal' : 'external'} IP address of the load balancer${f.region ? ` in ${f.region}` : ''}`));
  }

  // 3. Certificates.
  const sslCertificateRefs: string[] = [];
  const certDeps: string[] = [];
  let certificateMap: string | undefined;
  const cert = spec.certificate;
  const needsTls = lis.some((l) => l.protocol === 'HTTPS');
  if (needsTls && cert) {
    switch (cert.type) {
      case 'managed': {
        const name = names.certificate();
        const r = add('sslCertificate', 'global', name, { name, type: 'MANAGED', managed: { domains: managedCertificateDomains(spec) } }, [], 'Google-managed certificate for the HTTPS proxy');
        sslCertificateRefs.push(path(r));
        certDeps.push(r.id);
        break;
      }
      case 'self-managed': {
        const name = names.certificate();
        const privateKey: SecretRef = { $secret: { file: cert.privateKeyFile, what: `private key of certificate ${name}` } };
        const r = add(
          'sslCertificate',
          coreScope,
          name,
          { name, certificate: { $file: cert.certificateFile }, privateKey },
          [],
          'self-managed certificate for the HTTPS proxy',
        );
        sslCertificateRefs.push(path(r));
        certDeps.push(r.id);
        break;
      }
      case 'existing':
        for (const name of cert.names) {
          const r = add('sslCertificate', coreScope, name, { name }, [], 'existing SSL certificate', { managed: false });
          sslCertificateRefs.push(path(r));
          certDeps.push(r.id);
        }
        break;
      case 'certificate-manager': {
        const location = regional ? lbRegion! : 'global';
        for (const c of cert.certificates ?? []) sslCertificateRefs.push(certManagerRef(project, location, 'certificates', c));
        if (cert.certificateMap !== undefined) certificateMap = certManagerRef(project, 'global', 'certificateMaps', cert.certificateMap);
        break;
      }
    }
  }

  // 4. Security policy (Cloud Armor): created, or the existing one the user named.
  let policy: DesiredResource | undefined;
  const armor = spec.options.cloudArmor;
  if (armor) {
    if (armor.existingPolicy !== undefined) {
      policy = add('securityPolicy', coreScope, armor.existingPolicy, { name: armor.existingPolicy }, [], 'existing Cloud Armor policy', { managed: false });
    } else {
      const name = names.securityPolicy();
      const rules = [...(armor.rules ?? [])]
        .sort((a, b) => a.priority - b.priority)
        .map(armorRuleBody);
      rules.push({
        priority: DEFAULT_RULE_PRIORITY,
        action: armor.defaultAction,
        description: 'default rule',
        match: armorMatch({ srcIpRanges: ['*'] }),
        preview: false,
      });
      policy = add('securityPolicy', coreScope, name, { name, type: 'CLOUD_ARMOR', rules }, [], 'Cloud Armor policy of the backend services');
    }
  }

  // 5. Serverless NEGs: one per backend and region, always regional.
  const negsOf = new Map<string, DesiredResource[]>();
  for (const backend of spec.backends) {
    const list: DesiredResource[] = [];
    for (const region of negRegions(spec, backend)) {
      const name = names.neg(backend.name, region);
      list.push(
        add(
          'networkEndpointGroup',
          `regions/${region}`,
          name,
          { name, networkEndpointType: 'SERVERLESS', ...negTargetBody(backend) },
          [],
          `serverless NEG in ${region} for backend ${backend.name}: ${describeTarget(backend)}`,
        ),
      );
    }
    negsOf.set(backend.name, list);
  }

  // 6. Backend services.
  const bsOf = new Map<string, DesiredResource>();
  const cdnCapable = spec.type === 'global-external' || spec.type === 'classic';
  const outlierCapable = spec.type === 'global-external' || spec.type === 'cross-region-internal';
  for (const backend of spec.backends) {
    const features = backendFeatures(spec, backend);
    const negs = negsOf.get(backend.name) ?? [];
    const name = names.backendService(backend.name);
    const body: Record<string, unknown> = {
      name,
      loadBalancingScheme: scheme,
      protocol: 'HTTP',
      backends: negs.map((neg) => ({ group: path(neg) })),
    };
    const deps = negs.map((neg) => neg.id);
    if (cdnCapable) {
      body.enableCDN = features.cdn && !features.iap;
      if (features.cdn && !features.iap) {
        const cdn = spec.options.cdn;
        const cdnPolicy: Record<string, unknown> = { cacheMode: cdn.cacheMode };
        if (cdn.defaultTtl !== undefined && cdn.cacheMode !== 'USE_ORIGIN_HEADERS') cdnPolicy.defaultTtl = cdn.defaultTtl;
        body.cdnPolicy = cdnPolicy;
      }
    }
    if (features.iap) {
      const iapSpec = spec.options.iap;
      const iap: Record<string, unknown> = { enabled: true };
      if (iapSpec.oauth2ClientId !== undefined) iap.oauth2ClientId = iapSpec.oauth2ClientId;
      if (iapSpec.oauth2ClientSecretFile !== undefined || iapSpec.oauth2ClientSecretEnv !== undefined) {
        const source: SecretRef['$secret'] = { what: 'IAP OAuth client secret' };
        if (iapSpec.oauth2ClientSecretFile !== undefined) source.file = iapSpec.oauth2ClientSecretFile;
        if (iapSpec.oauth2ClientSecretEnv !== undefined) source.env = iapSpec.oauth2ClientSecretEnv;
        iap.oauth2ClientSecret = { $secret: source } satisfies SecretRef;
      }
      body.iap = iap;
    }
    if (features.cloudArmor && policy) {
      body.securityPolicy = path(policy);
      deps.push(policy.id);
    }
    const logging = spec.options.logging;
    body.logConfig = logging.enabled ? { enable: true, sampleRate: logging.sampleRate } : { enable: false };
    const od = spec.options.outlierDetection;
    if (od && outlierCapable && !features.iap) {
      const outlier: Record<string, unknown> = {};
      if (od.consecutiveErrors !== undefined) outlier.consecutiveErrors = od.consecutiveErrors;
      if (od.consecutiveGatewayFailure !== undefined) outlier.consecutiveGatewayFailure = od.consecutiveGatewayFailure;
      if (od.intervalSec !== undefined) outlier.interval = { seconds: od.intervalSec };
      if (od.baseEjectionTimeSec !== undefined) outlier.baseEjectionTime = { seconds: od.baseEjectionTimeSec };
      if (od.maxEjectionPercent !== undefined) outlier.maxEjectionPercent = od.maxEjectionPercent;
      if (od.enforcingConsecutiveErrors !== undefined) outlier.enforcingConsecutiveErrors = od.enforcingConsecutiveErrors;
      if (od.enforcingConsecutiveGatewayFailure !== undefined) outlier.enforcingConsecutiveGatewayFailure = od.enforcingConsecutiveGatewayFailure;
      body.outlierDetection = outlier;
    }
    bsOf.set(backend.name, add('backendService', coreScope, name, body, deps, `backend service for backend ${backend.name}`));
  }

  // 7. URL maps: routing, and the HTTP-to-HTTPS redirect.
  const bsPath = (backendName: string | undefined): string | undefined => {
    const bs = backendName !== undefined ? bsOf.get(backendName) : undefined;
    return bs ? path(bs) : undefined;
  };
  const defaultBackend = spec.routing.defaultBackend ?? spec.backends[0]!.name;
  const urlMapBody: Record<string, unknown> = { name: names.urlMap(), defaultService: bsPath(defaultBackend) };
  const urlMapDeps = new Set<string>([bsOf.get(defaultBackend)?.id].filter((x): x is string => !!x));
  if (spec.routing.hosts.length > 0) {
    urlMapBody.hostRules = spec.routing.hosts.map((rule, i) => ({ hosts: rule.hosts, pathMatcher: `hosts-${i + 1}` }));
    urlMapBody.pathMatchers = spec.routing.hosts.map((rule, i) => {
      const matcherDefault = rule.defaultBackend ?? defaultBackend;
      urlMapDeps.add(bsOf.get(matcherDefault)!.id);
      const matcher: Record<string, unknown> = { name: `hosts-${i + 1}`, defaultService: bsPath(matcherDefault) };
      if (rule.paths.length > 0) {
        matcher.pathRules = rule.paths.map((p) => {
          urlMapDeps.add(bsOf.get(p.backend)!.id);
          return { paths: p.paths, service: bsPath(p.backend) };
        });
      }
      return matcher;
    });
  }
  const urlMap = add('urlMap', coreScope, names.urlMap(), urlMapBody, [...urlMapDeps], 'URL map: routes hosts and paths to the backend services');
  let redirectMap: DesiredResource | undefined;
  if (lis.some((l) => l.redirectToHttps)) {
    const name = names.redirectUrlMap();
    redirectMap = add(
      'urlMap',
      coreScope,
      name,
      { name, defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false } },
      [],
      'URL map that redirects HTTP to HTTPS',
    );
  }

  // 8. Target proxies.
  const keepAlive = spec.type === 'classic' ? undefined : spec.options.httpKeepAliveTimeoutSec;
  const proxyOf = new Map<Listener, DesiredResource>();
  for (const l of lis) {
    if (l.protocol === 'HTTPS') {
      const name = names.httpsProxy();
      const body: Record<string, unknown> = { name, urlMap: path(urlMap) };
      if (sslCertificateRefs.length > 0) body.sslCertificates = sslCertificateRefs;
      if (certificateMap !== undefined) body.certificateMap = certificateMap;
      if (keepAlive !== undefined) body.httpKeepAliveTimeoutSec = keepAlive;
      proxyOf.set(l, add('targetHttpsProxy', coreScope, name, body, [urlMap.id, ...certDeps], 'HTTPS proxy: terminates TLS'));
    } else {
      const name = names.httpProxy();
      const map = l.redirectToHttps && redirectMap ? redirectMap : urlMap;
      const body: Record<string, unknown> = { name, urlMap: path(map) };
      if (keepAlive !== undefined) body.httpKeepAliveTimeoutSec = keepAlive;
      proxyOf.set(l, add('targetHttpProxy', coreScope, name, body, [map.id], l.redirectToHttps ? 'HTTP proxy that redirects to HTTPS' : 'HTTP proxy'));
    }
  }

  // 9. Forwarding rules: one per listener (and, cross-region, per region).
  const forwardingRules: DesiredResource[] = [];
  const mainRuleOf = new Map<Frontend, DesiredResource>();
  for (const f of frontends) {
    for (const l of lis) {
      const proxy = proxyOf.get(l)!;
      const name = l.protocol === 'HTTPS' ? names.httpsForwardingRule(f.suffix) : names.httpForwardingRule(f.suffix);
      const body: Record<string, unknown> = {
        name,
        IPProtocol: 'TCP',
        portRange: String(l.port),
        target: path(proxy),
        loadBalancingScheme: scheme,
      };
      const deps = [proxy.id];
      const address = addressOf.get(f);
      if (address) {
        body.IPAddress = path(address);
        deps.push(address.id);
      } else if (!internal && f.addressScope === 'global' && addr.ipVersion === 'IPV6') {
        body.ipVersion = 'IPV6';
      }
      if (!internal) {
        body.networkTier = f.addressScope === 'global' ? 'PREMIUM' : addr.networkTier;
      }
      if (networkResource) {
        body.network = networkPath;
        deps.push(networkResource.id);
      }
      if (internal) {
        const subnet = subnetByRegion.get(f.region!)!;
        body.subnetwork = path(subnet);
        deps.push(subnet.id);
      }
      const proxyOnly = f.region ? proxyOnlyByRegion.get(f.region) : undefined;
      if (proxyOnly) deps.push(proxyOnly.id);
      const where = f.region ? ` in ${f.region}` : '';
      const rule = add(
        'forwardingRule',
        f.forwardingRuleScope,
        name,
        body,
        deps,
        `${l.redirectToHttps ? 'HTTP (redirect)' : l.protocol} forwarding rule on port ${l.port}${where}`,
      );
      forwardingRules.push(rule);
      if (!mainRuleOf.has(f)) mainRuleOf.set(f, rule);
    }
  }
  const ruleIds = forwardingRules.map((r) => r.id);

  // 10. DNS records for frontend.domains, pointing at the LB address(es).
  if (spec.dns && spec.frontend.domains.length > 0) {
    const type = !internal && addr.ipVersion === 'IPV6' ? 'AAAA' : 'A';
    const sources = frontends.map((f) => {
      const address = addressOf.get(f);
      const ref: OutputRef = address
        ? { $output: { id: address.id, field: 'address' } }
        : { $output: { id: mainRuleOf.get(f)!.id, field: 'IPAddress' } };
      return { region: f.region, ref, id: ref.$output.id };
    });
    for (const domain of spec.frontend.domains) {
      const name = domain.endsWith('.') ? domain : `${domain}.`;
      const body: Record<string, unknown> = { name, type, ttl: DNS_TTL };
      if (sources.length > 1) {
        body.routingPolicy = { geo: { items: sources.map((s) => ({ location: s.region, rrdatas: [s.ref] })) } };
      } else {
        body.rrdatas = sources.map((s) => s.ref);
      }
      add('dnsRecordSet', 'global', name, body, [...sources.map((s) => s.id), ...ruleIds], `${type} record for ${domain} in zone ${spec.dns.managedZone}`, {
        project: spec.dns.project ?? project,
        zone: spec.dns.managedZone,
      });
    }
  }

  // 11. Cloud Run ingress, once the load balancer is in place.
  const ingress = cloudRunIngress(spec);
  if (ingress) {
    for (const { service, region } of cloudRunServices(spec)) {
      const id = resourceId('cloudRunIngress', `regions/${region}`, service);
      if (ids.has(id)) continue;
      add('cloudRunIngress', `regions/${region}`, service, { ingress }, ruleIds, `restrict ingress of Cloud Run service ${service} in ${region} to ${ingress === 'INGRESS_TRAFFIC_INTERNAL_ONLY' ? 'internal traffic' : 'internal traffic and Cloud Load Balancing'}`);
    }
  }

  return { lbName: lb, project, resources };
}
