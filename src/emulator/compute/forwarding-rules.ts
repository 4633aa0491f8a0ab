/**
 * globalForwardingRules and (regional) forwardingRules.
 *
 * - IPAddress: an IP literal, or a reference (URL, `projects/P/...`, `global/addresses/N`, or the
 *   bare name of an address in the rule's scope) resolved to the address's IP. Absent: an ephemeral
 *   address (34.x global / 35.x regional external; internal from the subnetwork). A reserved address
 *   used by a rule lists the rule in `users` and is IN_USE until the rule is deleted. Two rules may
 *   share an IP only on different ports.
 * - portRange `N` is stored as `N-N`; IPProtocol defaults to TCP; networkTier PREMIUM (global rules
 *   only PREMIUM); loadBalancingScheme EXTERNAL by default.
 * - target must exist in the rule's scope. For a target proxy, the rule's scheme must match the
 *   backend services its URL map routes to.
 * - Regional EXTERNAL_MANAGED / INTERNAL_MANAGED rules need `network` and an ACTIVE proxy-only subnet
 *   (REGIONAL_MANAGED_PROXY) in that network and region; global INTERNAL_MANAGED rules need a
 *   GLOBAL_MANAGED_PROXY one in the subnetwork's region. Internal rules take their address from a
 *   regular (not proxy-only) subnetwork.
 */
import type { EmulatorContext } from '../core/context.js';
import type { ApiRequest, RouteHandler } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { setAddressUser } from './addresses.js';
import type { BuildContext, KindSpec, Scope } from './engine.js';
import { collectionPath, getOr404, normaliseRefs, replaceWithOperation } from './engine.js';
import { invalid, invalidField, notFound, required } from './errors.js';
import { asObject, asString, checkEnum } from './fields.js';
import { allocateExternal, allocateExternalV6, allocateInternal, inCidr, isIpv4, isIpv6 } from './ip.js';
import { isProxyOnly } from './networks.js';
import { urlMapSchemes } from './target-proxies.js';
import { refPath, selfLinkOf } from './urls.js';
import { SCHEMES } from './backend-services.js';

const PROTOCOLS = ['TCP', 'UDP', 'ESP', 'AH', 'SCTP', 'ICMP', 'L3_DEFAULT'] as const;

function parsePortRange(value: unknown): [number, number] | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(String(value));
  if (!m) throw invalidField('resource.portRange', value, 'Must be a port or a range like 80-80.');
  const lo = Number(m[1]);
  const hi = Number(m[2] ?? m[1]);
  if (lo < 1 || hi > 65535 || lo > hi) throw invalidField('resource.portRange', value, 'Ports must be between 1 and 65535.');
  return [lo, hi];
}

/** Resolves a reserved address the rule names (reference or bare name) to its store path. */
function addressPathFor(b: BuildContext, value: string, global: boolean): string | undefined {
  const p = refPath(value, b.project);
  if (p && /\/addresses\//.test(p)) return p;
  if (!isIpv4(value) && !isIpv6(value) && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    return global ? `projects/${b.project}/global/addresses/${value}` : `projects/${b.project}/regions/${b.region}/addresses/${value}`;
  }
  return undefined;
}

/** The reserved address (in the rule's scope) holding an IP literal, if any. */
function addressWithIp(ctx: EmulatorContext, project: string, ip: string, global: boolean, region?: string): string | undefined {
  const coll = global ? `projects/${project}/global/addresses` : `projects/${project}/regions/${region}/addresses`;
  return ctx.store.list<JsonObject>(coll).find(([, a]) => a['address'] === ip)?.[0];
}

function activeProxySubnet(ctx: EmulatorContext, networkLink: string, region: string, purpose: string): JsonObject | undefined {
  for (const [path, v] of ctx.store.entries()) {
    if (!path.includes(`/regions/${region}/subnetworks/`)) continue;
    const s = v as JsonObject;
    if (s['network'] === networkLink && s['role'] === 'ACTIVE' && (s['purpose'] === purpose || (purpose === 'REGIONAL_MANAGED_PROXY' && s['purpose'] === 'INTERNAL_HTTPS_LOAD_BALANCER'))) return s;
  }
  return undefined;
}

function buildForwardingRule(b: BuildContext, global: boolean): JsonObject {
  const body = b.body;
  const ctx = b.ctx;
  const scheme = checkEnum(body['loadBalancingScheme'], SCHEMES, 'resource.loadBalancingScheme', 'EXTERNAL')!;
  const protocol = checkEnum(body['IPProtocol'], PROTOCOLS, 'resource.IPProtocol', 'TCP')!;
  const tier = checkEnum(body['networkTier'], ['PREMIUM', 'STANDARD', 'FIXED_STANDARD', 'STANDARD_OVERRIDES_FIXED_STANDARD'] as const, 'resource.networkTier', 'PREMIUM')!;
  if (global && tier !== 'PREMIUM') throw invalidField('resource.networkTier', tier, 'Global forwarding rules can only be of network tier PREMIUM.');
  const ipVersion = checkEnum(body['ipVersion'], ['IPV4', 'IPV6'] as const, 'resource.ipVersion');
  const range = parsePortRange(body['portRange']);
  const internal = scheme.startsWith('INTERNAL');
  const oldScheme = b.existing?.['loadBalancingScheme'];
  if (oldScheme !== undefined && oldScheme !== scheme) {
    // The last step of a classic -> global external migration (and the first of its rollback): the
    // rule follows its backend services once they have all moved (checked against the target below).
    const migrating = (oldScheme === 'EXTERNAL' && scheme === 'EXTERNAL_MANAGED') || (oldScheme === 'EXTERNAL_MANAGED' && scheme === 'EXTERNAL');
    if (!migrating) throw invalidField('resource.loadBalancingScheme', scheme, 'The load balancing scheme of a forwarding rule cannot be changed.');
  }

  // target
  const targetValue = asString(body['target']);
  let targetLink: string | undefined;
  let targetPath: string | undefined;
  if (targetValue) {
    targetPath = refPath(targetValue, b.project);
    if (!targetPath) throw invalidField('resource.target', targetValue, 'The URL is malformed.');
    const regional = targetPath.includes('/regions/');
    if (global && regional) throw invalidField('resource.target', targetValue, 'A global forwarding rule needs a global target.');
    if (!global && !regional && /\/(targetHttpProxies|targetHttpsProxies)\//.test(targetPath)) {
      throw invalidField('resource.target', targetValue, 'A regional forwarding rule needs a regional target proxy.');
    }
    if (!global && regional && targetPath.split('/')[3] !== b.region) throw invalidField('resource.target', targetValue, `The target must be in region '${b.region}'.`);
    const target = ctx.store.get<JsonObject>(targetPath);
    if (!target) throw notFound(targetPath);
    targetLink = selfLinkOf(targetPath);
    if (/\/(targetHttpProxies|targetHttpsProxies)\//.test(targetPath)) {
      if (!range && !body['ports']) throw required('resource.portRange');
      const schemes = urlMapSchemes(ctx, String(target['urlMap']));
      const other = [...schemes].find((s) => s !== scheme);
      if (other) {
        throw invalidField('resource.loadBalancingScheme', scheme, `The forwarding rule's load balancing scheme must match the backend services behind target '${targetPath}', which use ${other}.`);
      }
    }
  } else if (!body['backendService']) {
    throw required('resource.target');
  }

  // network / subnetwork
  let networkLink: string | undefined;
  let subnetLink: string | undefined;
  const net = asString(body['network']);
  if (net) {
    const p = refPath(net, b.project);
    if (!p || !/\/networks\//.test(p)) throw invalidField('resource.network', net, 'The URL is malformed.');
    if (!ctx.store.has(p)) throw notFound(p);
    networkLink = selfLinkOf(p);
  }
  const sub = asString(body['subnetwork']);
  let subnet: JsonObject | undefined;
  if (sub) {
    const p = refPath(sub, b.project);
    if (!p || !/\/subnetworks\//.test(p)) throw invalidField('resource.subnetwork', sub, 'The URL is malformed.');
    subnet = ctx.store.get<JsonObject>(p);
    if (!subnet) throw notFound(p);
    if (isProxyOnly(subnet)) {
      throw invalidField('resource.subnetwork', sub, `Subnetwork '${String(subnet['name'])}' is a proxy-only subnetwork; a forwarding rule takes its address from a regular subnetwork.`);
    }
    subnetLink = selfLinkOf(p);
    networkLink ??= String(subnet['network']);
  }
  if (!internal && scheme !== 'EXTERNAL_MANAGED' && subnetLink) throw invalidField('resource.subnetwork', sub, 'Only internal forwarding rules take a subnetwork.');
  if (!global && (scheme === 'EXTERNAL_MANAGED' || scheme === 'INTERNAL_MANAGED')) {
    if (!networkLink) throw invalid(`Invalid value for field 'resource.network': a regional ${scheme} forwarding rule needs a network.`);
    if (!activeProxySubnet(ctx, networkLink, b.region!, 'REGIONAL_MANAGED_PROXY')) {
      throw invalid(`An active proxy-only subnetwork (purpose REGIONAL_MANAGED_PROXY, role ACTIVE) is required in region '${b.region}' of network '${networkLink.split('/').at(-1)}' for a ${scheme} forwarding rule.`);
    }
  }
  if (global && scheme === 'INTERNAL_MANAGED') {
    if (!subnet) throw required('resource.subnetwork');
    const region = String(subnet['region']).split('/').at(-1)!;
    if (!activeProxySubnet(ctx, String(subnet['network']), region, 'GLOBAL_MANAGED_PROXY')) {
      throw invalid(`An active proxy-only subnetwork (purpose GLOBAL_MANAGED_PROXY, role ACTIVE) is required in region '${region}' of network '${String(subnet['network']).split('/').at(-1)}' for a cross-region internal forwarding rule.`);
    }
  }

  // address
  let ip: string | undefined;
  let addressPath: string | undefined;
  const given = asString(body['IPAddress']);
  if (given) {
    if (isIpv4(given) || isIpv6(given)) {
      ip = given;
      addressPath = addressWithIp(ctx, b.project, given, global, b.region);
    } else {
      addressPath = addressPathFor(b, given, global);
      if (!addressPath) throw invalidField('resource.IPAddress', given, 'Must be an IP address or an address resource.');
      const regional = addressPath.includes('/regions/');
      if (global && scheme === 'INTERNAL_MANAGED') {
        // Cross-region internal: "the global forwarding rule is configured with a regional internal
        // IP address and associated with a regional subnet" (Google's forwarding rules overview).
        const subnetRegion = subnet ? String(subnet['region']).split('/').at(-1) : undefined;
        if (!regional) throw invalidField('resource.IPAddress', given, 'A cross-region internal forwarding rule takes a regional internal address.');
        if (subnetRegion && !addressPath.includes(`/regions/${subnetRegion}/`)) {
          throw invalidField('resource.IPAddress', given, `The address must be in the region of the forwarding rule's subnetwork (${subnetRegion}).`);
        }
      } else if (global === regional) {
        throw invalidField('resource.IPAddress', given, global ? 'A global forwarding rule needs a global address.' : 'A regional forwarding rule needs a regional address.');
      }
      const address = ctx.store.get<JsonObject>(addressPath);
      if (!address) throw notFound(addressPath);
      ip = String(address['address']);
    }
    if (addressPath) {
      const address = ctx.store.get<JsonObject>(addressPath)!;
      const wantInternal = internal;
      if ((address['addressType'] === 'INTERNAL') !== wantInternal) {
        throw invalidField('resource.IPAddress', given, `Address '${String(address['name'])}' is ${String(address['addressType'])} but the forwarding rule's scheme is ${scheme}.`);
      }
    }
    if (subnet && ip && isIpv4(ip) && !inCidr(ip, String(subnet['ipCidrRange']))) {
      throw invalidField('resource.IPAddress', ip, `The address is not in the range of subnetwork '${String(subnet['name'])}'.`);
    }
  } else if (internal && subnet) {
    ip = allocateInternal(ctx, String(subnet['ipCidrRange']));
  } else if (internal) {
    ip = global ? '0.0.0.0' : undefined;
  } else {
    ip = ipVersion === 'IPV6' ? allocateExternalV6(ctx) : allocateExternal(ctx, global);
  }

  // the same IP and protocol may be shared only on distinct ports
  if (ip && range) {
    const coll = global ? `projects/${b.project}/global/forwardingRules` : `projects/${b.project}/regions/${b.region}/forwardingRules`;
    for (const [path, other] of ctx.store.list<JsonObject>(coll)) {
      if (path === b.path || other['IPAddress'] !== ip || other['IPProtocol'] !== protocol || ip === '0.0.0.0') continue;
      const [lo, hi] = String(other['portRange'] ?? '').split('-').map(Number);
      if (lo !== undefined && hi !== undefined && !(range[1] < lo || range[0] > hi)) {
        throw invalidField('resource.IPAddress', ip, `The IP address and port range are already used by forwarding rule '${path}'.`);
      }
    }
  }

  const out: JsonObject = {};
  if (ip) out['IPAddress'] = ip;
  out['IPProtocol'] = protocol;
  if (body['description'] !== undefined) out['description'] = String(body['description']);
  if (ipVersion) out['ipVersion'] = ipVersion;
  out['loadBalancingScheme'] = scheme;
  if (networkLink && (internal || scheme === 'EXTERNAL_MANAGED' && !global)) out['network'] = networkLink;
  out['networkTier'] = tier;
  if (range) out['portRange'] = `${range[0]}-${range[1]}`;
  for (const k of ['ports', 'allPorts', 'allowGlobalAccess', 'backendService', 'serviceLabel', 'metadataFilters', 'sourceIpRanges'] as const) {
    if (body[k] !== undefined) out[k] = body[k];
  }
  if (subnetLink) out['subnetwork'] = subnetLink;
  if (targetLink) out['target'] = targetLink;
  return out;
}

function afterInsert(ctx: EmulatorContext, path: string, resource: JsonObject): void {
  const ip = asString(resource['IPAddress']);
  if (!ip || ip === '0.0.0.0') return;
  const parts = path.split('/');
  const global = parts[2] === 'global';
  const addressPath = addressWithIp(ctx, parts[1]!, ip, global, global ? undefined : parts[3]);
  if (addressPath) setAddressUser(ctx, addressPath, path, true);
}

function afterDelete(ctx: EmulatorContext, path: string, resource: JsonObject): void {
  for (const [addressPath, address] of ctx.store.entries()) {
    if (!/\/addresses\//.test(addressPath)) continue;
    const users = asObject(address)['users'];
    if (Array.isArray(users) && users.includes(selfLinkOf(path))) setAddressUser(ctx, addressPath, path, false);
  }
  void resource;
}

export const globalForwardingRuleSpec: KindSpec = {
  insertIgnoresLabels: true,
  collection: 'forwardingRules',
  kind: 'compute#forwardingRule',
  snake: 'forwarding_rule',
  scope: 'global',
  labels: true,
  fingerprint: true,
  patch: true,
  build: (b) => buildForwardingRule(b, true),
  afterInsert,
  afterDelete,
};

export const forwardingRuleSpec: KindSpec = {
  ...globalForwardingRuleSpec,
  scope: 'regional',
  build: (b) => buildForwardingRule(b, false),
};

/** POST .../forwardingRules/NAME/setTarget {target}. */
export function setTargetHandler(ctx: EmulatorContext, spec: KindSpec): RouteHandler {
  return (req: ApiRequest, params) => {
    const scope: Scope = { project: params['project']!, ...(params['region'] ? { region: params['region'] } : {}) };
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const body = normaliseRefs(asObject(req.body), scope.project) as JsonObject;
    const target = asString(body['target']);
    if (!target) throw required('target');
    const targetPath = refPath(target, scope.project);
    if (!targetPath) throw invalidField('target', target, 'The URL is malformed.');
    if ((spec.scope === 'global') === targetPath.includes('/regions/')) throw invalidField('target', target, 'The target must have the forwarding rule\'s scope.');
    const targetResource = ctx.store.get<JsonObject>(targetPath);
    if (!targetResource) throw notFound(targetPath);
    if (targetResource['urlMap']) {
      const other = [...urlMapSchemes(ctx, String(targetResource['urlMap']))].find((s) => s !== existing['loadBalancingScheme']);
      if (other) throw invalidField('target', target, `The target's backend services use ${other}, not ${String(existing['loadBalancingScheme'])}.`);
    }
    return replaceWithOperation(ctx, req, spec, scope, path, existing, 'SetTarget', (c) => ({ ...c, target: selfLinkOf(targetPath) }));
  };
}
