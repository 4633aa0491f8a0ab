/**
 * Rules of validateSpec: Routing (hosts, paths, the default backend), the domains and the frontend (protocol, port, address, network).
 */
import { LB_TYPE_INFO, type Spec } from './schema.js';
import { isInternalType, negRegions, proxyOnlySubnetPurpose, proxyOnlySubnetRegions, usesNetwork } from './derive.js';
import { certificateNameCovers, cidrsOverlap, domainReason, hostReason, parseCidr, pathReason, type Cidr } from './syntax.js';
import { GLOBAL_EXTERNAL_TYPES, Collector } from './check-kit.js';
import { defaultRoutes, routeBackends } from './route-schema.js';

export function checkRouting(spec: Spec, c: Collector, defaultWasFilled: boolean): void {
  const names = new Set(spec.backends.map((b) => b.name));
  const used = new Set<string>();
  const known = [...names].join(', ');
  const ref = (key: string, name: string | undefined) => {
    if (name === undefined) return;
    used.add(name);
    if (!names.has(name)) c.error(key, `no backend is named "${name}"`, `use one of: ${known}`, 'routing-backend-exists');
  };
  if (defaultWasFilled && spec.backends.length > 1) {
    c.warn('routing.defaultBackend', `not set: requests that match no rule go to the first backend, "${spec.backends[0]!.name}"`, 'set routing.defaultBackend (--default-backend NAME)', 'routing-default');
  }
  ref('routing.defaultBackend', spec.routing.defaultBackend);

  const hostOwner = new Map<string, number>();
  spec.routing.hosts.forEach((rule, i) => {
    const at = `routing.hosts.${i}`;
    rule.hosts.forEach((host, j) => {
      const why = hostReason(host);
      if (why) c.error(`${at}.hosts.${j}`, `host "${host}" ${why}`, 'write a host such as api.example.com or *.example.com', 'routing-host-syntax');
      const owner = hostOwner.get(host);
      if (owner !== undefined) {
        c.error(`${at}.hosts.${j}`, owner === i ? `host "${host}" is listed twice in this rule` : `host "${host}" is already in routing.hosts.${owner}`, 'a host may appear in one host rule only: merge the rules', 'routing-host-unique');
      } else hostOwner.set(host, i);
    });
    ref(`${at}.defaultBackend`, rule.defaultBackend);
    const pathOwner = new Set<string>();
    rule.paths.forEach((pathRule, k) => {
      ref(`${at}.paths.${k}.backend`, pathRule.backend);
      pathRule.paths.forEach((path, m) => {
        const why = pathReason(path);
        if (why) c.error(`${at}.paths.${k}.paths.${m}`, `path "${path}" ${why}`, 'write paths such as /api or /static/*', 'routing-path-syntax');
        if (pathOwner.has(path)) c.error(`${at}.paths.${k}.paths.${m}`, `path "${path}" appears twice for these hosts`, 'each path may appear once per host rule', 'routing-path-unique');
        pathOwner.add(path);
      });
    });
    if (spec.frontend.domains.length > 0) {
      for (const host of rule.hosts) {
        const name = host.replace(/:\d+$/, '');
        if (name === '*') continue;
        if (!spec.frontend.domains.some((d) => d === name || certificateNameCovers(d, name))) {
          c.warn(`${at}.hosts`, `host "${host}" is not among frontend.domains`, 'add it to frontend.domains (--domain) so DNS and the certificate cover it', 'routing-host-domain');
        }
      }
    }
  });
  for (const name of [...routeBackends(defaultRoutes(spec.routing, spec.backends[0]!.name)), ...spec.routing.hosts.flatMap((h) => routeBackends(h.routes))]) used.add(name);
  spec.backends.forEach((backend, i) => {
    if (!used.has(backend.name)) c.warn(`backends.${i}`, `backend "${backend.name}" receives no traffic: no route or default points at it`, 'add a route to it (--route HOST[/PATH]=NAME) or remove it', 'routing-unused-backend');
  });
}

// ----------------------------------------------------------------------------------------- domains

export function checkDomains(spec: Spec, c: Collector): void {
  const seen = new Set<string>();
  spec.frontend.domains.forEach((domain, i) => {
    const why = domainReason(domain);
    if (why) c.error(`frontend.domains.${i}`, `domain "${domain}" ${why}`, 'write a domain such as app.example.com', 'domain-syntax');
    if (seen.has(domain)) c.warn(`frontend.domains.${i}`, `domain "${domain}" is listed twice`, 'list each domain once', 'domain-syntax');
    seen.add(domain);
  });
}

// ---------------------------------------------------------------------------------------- frontend

export function checkFrontend(spec: Spec, c: Collector, networkWasSet: boolean): void {
  const { frontend, type } = spec;
  const port = frontend.port!;
  if (type === 'classic') {
    const allowed = frontend.protocol === 'http' ? [80, 8080] : [443];
    if (!allowed.includes(port)) {
      c.error('frontend.port', `the classic load balancer's ${frontend.protocol === 'http' ? 'HTTP' : 'HTTPS'} listener takes port ${allowed.join(' or ')}, not ${port}`, `remove frontend.port or set ${allowed.join(' or ')}`, 'port');
    }
  }
  if (frontend.protocol === 'https-redirect' && port === 80) {
    c.error('frontend.port', 'https-redirect puts the HTTP redirect on port 80, so HTTPS cannot use port 80 too', 'use port 443 (the default)', 'port');
  }

  // Address
  const address = frontend.address;
  if (address.mode === 'existing' && !address.name) {
    c.error('frontend.address.name', 'an existing address needs its name', 'set frontend.address.name (--address-name NAME)', 'address');
  }
  if (address.mode === 'ephemeral' && address.name) {
    c.warn('frontend.address.name', 'is ignored with an ephemeral address', 'remove it, or use --address reserve to name a new static address', 'address');
  }
  if (address.mode === 'ephemeral' && frontend.protocol === 'https-redirect') {
    c.error(
      'frontend.address.mode',
      'an ephemeral address gives each forwarding rule its own IP, and https-redirect has two (HTTPS and the HTTP redirect) that a domain\'s one DNS record must reach',
      'use mode reserve (the default): both listeners share one static IP',
      'address',
    );
  }
  if (address.ipVersion !== 'IPV4' && !GLOBAL_EXTERNAL_TYPES.includes(type)) {
    c.error('frontend.address.ipVersion', `IPv6 frontends${address.ipVersion === 'IPV4_IPV6' ? ' (and so dual stack)' : ''} are supported here only for the global external and classic types, not ${type}`, 'use IPV4', 'address');
  }
  if (address.ipVersion === 'IPV4_IPV6' && address.mode === 'existing') {
    c.error('frontend.address.mode', 'a dual-stack load balancer has two addresses, an IPv4 and an IPv6 one: it cannot take one existing address', 'use mode reserve (both reserved under the load balancer\'s name) or ephemeral', 'address');
  }

  // Network tier
  if (address.networkTier === 'STANDARD') {
    if (type === 'global-external' || type === 'cross-region-internal' || type === 'regional-internal') {
      c.error(
        'frontend.address.networkTier',
        isInternalType(type) ? 'internal load balancers have no Standard tier' : 'the global external load balancer runs on the Premium tier only',
        type === 'global-external' ? 'use PREMIUM, or type classic or regional-external for the Standard tier' : 'use PREMIUM (the default)',
        'network-tier',
      );
    }
    if (type === 'classic') {
      if (!spec.region) c.error('region', 'a classic load balancer on the Standard tier has a regional address and forwarding rule', 'set region (the region of every backend)', 'network-tier');
      if (address.ipVersion !== 'IPV4') c.error('frontend.address.ipVersion', 'Standard-tier addresses are IPv4 only', 'use IPV4 or the Premium tier', 'network-tier');
      spec.backends.forEach((backend, i) => {
        const regions = negRegions(spec, backend);
        if (spec.region && regions.some((r) => r !== spec.region)) {
          c.error(`backends.${i}.regions`, `on the Standard tier every backend must be in the forwarding rule's region ${spec.region} (backend "${backend.name}" is in ${regions.join(', ')})`, 'use the Premium tier for multi-region backends, or keep the backend in that region', 'network-tier');
        }
      });
    }
  }

  // Network and proxy-only subnets
  if (!usesNetwork(type)) {
    if (networkWasSet) c.warn('frontend.network', `is ignored by the ${LB_TYPE_INFO[type].title}`, 'remove frontend.network', 'network');
    return;
  }
  const network = frontend.network!;
  const proxy = network.proxyOnlySubnet;
  const needed = proxyOnlySubnetRegions(spec);
  const purpose = proxyOnlySubnetPurpose(type);
  const ranges = proxy.ranges ?? {};
  if (proxy.mode === 'existing' && proxy.ranges) {
    c.warn('frontend.network.proxyOnlySubnet.ranges', 'is ignored when the proxy-only subnet already exists (mode existing)', 'remove the ranges, or set mode create', 'proxy-only-subnet');
  }
  if (proxy.mode === 'create') {
    for (const region of needed) {
      if (ranges[region] === undefined) {
        c.error('frontend.network.proxyOnlySubnet.ranges', `creating a ${purpose} proxy-only subnet in ${region} needs its range`, `set frontend.network.proxyOnlySubnet.ranges.${region} (--proxy-only-subnet-range ${region}=10.129.0.0/23)`, 'proxy-only-subnet');
      }
    }
  }
  const parsed: [string, Cidr][] = [];
  for (const [region, range] of Object.entries(ranges)) {
    const key = `frontend.network.proxyOnlySubnet.ranges.${region}`;
    if (!/^[a-z]+-[a-z]+[0-9]+$/.test(region)) c.error(key, `"${region}" is not a region`, 'key the ranges by region, e.g. europe-west1: 10.129.0.0/23', 'proxy-only-subnet');
    else if (proxy.mode === 'create' && !needed.includes(region)) c.warn(key, `no forwarding rule is in ${region}, so no proxy-only subnet is created there`, `remove it, or add ${region} to regions`, 'proxy-only-subnet');
    const result = parseCidr(range);
    if ('reason' in result) {
      c.error(key, `"${range}" ${result.reason}`, 'use a private IPv4 range such as 10.129.0.0/23', 'cidr');
      continue;
    }
    const { prefix } = result.cidr;
    if (prefix > 26) c.error(key, `/${prefix} is too small for a proxy-only subnet`, 'use /26 or larger (/23 recommended)', 'cidr');
    else if (prefix > 23) c.warn(key, `/${prefix} leaves few proxy addresses; Google recommends /23`, 'use a /23 range if you can', 'cidr');
    for (const [other, otherCidr] of parsed) {
      if (cidrsOverlap(result.cidr, otherCidr)) c.error(key, `"${range}" overlaps the range of ${other}`, 'subnets of one VPC must not overlap, even in different regions', 'cidr');
    }
    parsed.push([region, result.cidr]);
  }
}
