/**
 * networks and subnetworks.
 *
 * networks: custom mode unless `autoCreateSubnetworks: true`, in which case one subnet per known
 * region (named like the network, Google's auto-mode ranges) is created with it and deleted with it.
 * Defaults: routingConfig {routingMode: REGIONAL, bgpBestPathSelectionMode: LEGACY},
 * networkFirewallPolicyEnforcementOrder AFTER_CLASSIC_FIREWALL, selfLinkWithId. `subnetworks` lists
 * the network's subnets. PATCH may change routingConfig, mtu, description, enableUlaInternalIpv6.
 *
 * subnetworks: `network` and a valid `ipCidrRange` are required; ranges may not overlap another
 * subnet of the same network; purpose PRIVATE (default), REGIONAL_MANAGED_PROXY,
 * GLOBAL_MANAGED_PROXY (+ INTERNAL_HTTPS_LOAD_BALANCER, the old name), PRIVATE_SERVICE_CONNECT.
 * Proxy-only subnets take `role` ACTIVE (default) or BACKUP, must be /26 or larger, and at most one
 * ACTIVE per network, region and purpose exists; they have no gateway address.
 */
import type { EmulatorContext } from '../core/context.js';
import type { JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec } from './engine.js';
import { invalid, invalidField, notFound, required } from './errors.js';
import { asObject, asString, checkEnum, fingerprintOf, contentFingerprint } from './fields.js';
import { cidrOverlap, intToIp, parseCidr } from './ip.js';
import { REGIONS } from './regions.js';
import { refPath, selfLinkOf } from './urls.js';

export const networkSpec: KindSpec = {
  collection: 'networks',
  kind: 'compute#network',
  snake: 'network',
  scope: 'global',
  patch: true,
  opTypes: { patch: 'compute.networks.patch' },
  build(b: BuildContext): JsonObject {
    const body = b.body;
    const auto = body['autoCreateSubnetworks'];
    if (auto !== undefined && typeof auto !== 'boolean') throw invalidField('resource.autoCreateSubnetworks', auto, 'Must be a boolean.');
    if (b.existing && auto !== undefined && auto !== b.existing['autoCreateSubnetworks'] && !(auto === false && b.existing['autoCreateSubnetworks'] === undefined)) {
      throw invalid('Invalid resource usage: \'Cannot change autoCreateSubnetworks of an existing network.\'.');
    }
    const routing = asObject(body['routingConfig']);
    const routingMode = checkEnum(routing['routingMode'], ['REGIONAL', 'GLOBAL'] as const, 'resource.routingConfig.routingMode', 'REGIONAL');
    const bgp = checkEnum(routing['bgpBestPathSelectionMode'], ['LEGACY', 'STANDARD'] as const, 'resource.routingConfig.bgpBestPathSelectionMode', 'LEGACY');
    const order = checkEnum(
      body['networkFirewallPolicyEnforcementOrder'],
      ['AFTER_CLASSIC_FIREWALL', 'BEFORE_CLASSIC_FIREWALL'] as const,
      'resource.networkFirewallPolicyEnforcementOrder',
      'AFTER_CLASSIC_FIREWALL',
    );
    const mtu = body['mtu'];
    if (mtu !== undefined && (typeof mtu !== 'number' || mtu < 1300 || mtu > 8896)) throw invalidField('resource.mtu', mtu, 'Must be between 1300 and 8896.');
    const ula = body['enableUlaInternalIpv6'];
    const out: JsonObject = {
      autoCreateSubnetworks: auto === true,
      ...(body['description'] !== undefined ? { description: String(body['description']) } : {}),
      ...(mtu !== undefined ? { mtu } : {}),
      ...(body['networkProfile'] !== undefined ? { networkProfile: body['networkProfile'] } : {}),
      networkFirewallPolicyEnforcementOrder: order!,
      routingConfig: { ...routing, bgpBestPathSelectionMode: bgp!, routingMode: routingMode! },
    };
    if (ula === true) {
      out['enableUlaInternalIpv6'] = true;
      out['internalIpv6Range'] =
        asString(b.existing?.['internalIpv6Range']) ?? `fd20:${Math.floor(b.ctx.ids.random() * 0xfff).toString(16)}:${Math.floor(b.ctx.ids.random() * 0xffff).toString(16)}:0:0:0:0:0/48`;
    } else if (ula === false && b.mode !== 'insert' && b.mode !== 'seed') {
      out['enableUlaInternalIpv6'] = false;
    }
    const id = asString(b.existing?.['id']);
    out['selfLinkWithId'] = id ? selfLinkOf(`projects/${b.project}/global/networks/${id}`) : '';
    if (b.existing?.['subnetworks']) out['subnetworks'] = b.existing['subnetworks'];
    return out;
  },
  afterInsert(ctx, path, resource) {
    const current = ctx.store.get<JsonObject>(path)!;
    current['selfLinkWithId'] = selfLinkOf(`${path.replace(/[^/]+$/, '')}${String(resource['id'])}`);
    ctx.store.put(path, current);
    if (resource['autoCreateSubnetworks'] === true) {
      const project = path.split('/')[1]!;
      for (const [region, [, range]] of Object.entries(REGIONS)) {
        const subPath = `projects/${project}/regions/${region}/subnetworks/${String(resource['name'])}`;
        if (ctx.store.has(subPath)) continue;
        const sub = subnetResource(ctx, project, region, String(resource['name']), {
          network: selfLinkOf(path),
          ipCidrRange: range,
        });
        ctx.store.put(subPath, sub);
        linkSubnet(ctx, path, subPath, true);
      }
    }
  },
  ownsUser(_ctx, _path, network, _userPath, user) {
    // Auto-mode subnets go with their network; any other subnet keeps it in use.
    return network['autoCreateSubnetworks'] === true && user['kind'] === 'compute#subnetwork' && user['name'] === network['name'];
  },
  afterDelete(ctx, path, resource) {
    for (const link of (resource['subnetworks'] as string[] | undefined) ?? []) {
      const subPath = refPath(link);
      if (subPath) ctx.store.delete(subPath);
    }
  },
};

/** Adds or removes a subnet link on its network. */
function linkSubnet(ctx: EmulatorContext, networkPath: string, subPath: string, add: boolean): void {
  const network = ctx.store.get<JsonObject>(networkPath);
  if (!network) return;
  const links = new Set((network['subnetworks'] as string[] | undefined) ?? []);
  if (add) links.add(selfLinkOf(subPath));
  else links.delete(selfLinkOf(subPath));
  const sorted = [...links].sort();
  if (sorted.length) network['subnetworks'] = sorted;
  else delete network['subnetworks'];
  ctx.store.put(networkPath, network);
}

const PROXY_PURPOSES = ['REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'INTERNAL_HTTPS_LOAD_BALANCER'];
const PURPOSES = ['PRIVATE', 'PRIVATE_RFC_1918', 'PRIVATE_SERVICE_CONNECT', 'PRIVATE_NAT', ...PROXY_PURPOSES] as const;

export function isProxyOnly(subnet: JsonObject): boolean {
  return PROXY_PURPOSES.includes(String(subnet['purpose']));
}

function subnetResource(ctx: EmulatorContext, project: string, region: string, name: string, fields: { network: string; ipCidrRange: string }): JsonObject {
  const range = parseCidr(fields.ipCidrRange)!;
  const sub: JsonObject = {
    kind: 'compute#subnetwork',
    id: ctx.ids.numeric(),
    creationTimestamp: ctx.now().toISOString(),
    name,
    network: fields.network,
    ipCidrRange: fields.ipCidrRange,
    gatewayAddress: intToIp(range.base + 1),
    region: selfLinkOf(`projects/${project}/regions/${region}`),
    privateIpGoogleAccess: false,
    privateIpv6GoogleAccess: 'DISABLE_GOOGLE_ACCESS',
    purpose: 'PRIVATE',
    stackType: 'IPV4_ONLY',
    allowSubnetCidrRoutesOverlap: false,
    selfLink: selfLinkOf(`projects/${project}/regions/${region}/subnetworks/${name}`),
  };
  sub['fingerprint'] = contentFingerprint(sub);
  return sub;
}

export const subnetworkSpec: KindSpec = {
  collection: 'subnetworks',
  kind: 'compute#subnetwork',
  snake: 'subnetwork',
  scope: 'regional',
  fingerprint: true,
  patch: true,
  build(b: BuildContext): JsonObject {
    const body = b.body;
    const networkLink = asString(body['network']);
    if (!networkLink) throw required('resource.network');
    const networkPath = refPath(networkLink);
    if (!networkPath || !/\/global\/networks\//.test(networkPath)) throw invalidField('resource.network', networkLink, 'The URL is malformed.');
    if (!b.ctx.store.has(networkPath)) throw notFound(networkPath);
    const cidrText = asString(body['ipCidrRange']);
    if (!cidrText) throw required('resource.ipCidrRange');
    const cidr = parseCidr(cidrText);
    if (!cidr) throw invalidField('resource.ipCidrRange', cidrText, 'Invalid IPCidrRange.');
    if (b.existing && cidrText !== b.existing['ipCidrRange'] && b.mode === 'patch') {
      const old = parseCidr(String(b.existing['ipCidrRange']))!;
      if (!(cidr.base === old.base && cidr.prefix < old.prefix)) throw invalid('The IP CIDR range of a subnetwork can only be expanded.');
    }
    const purpose = checkEnum(body['purpose'], PURPOSES, 'resource.purpose', 'PRIVATE')!;
    const proxy = PROXY_PURPOSES.includes(purpose);
    let role: string | undefined;
    if (proxy) {
      role = checkEnum(body['role'], ['ACTIVE', 'BACKUP'] as const, 'resource.role', 'ACTIVE');
      if (cidr.prefix > 26) {
        throw invalidField('resource.ipCidrRange', cidrText, 'A proxy-only subnetwork must have a prefix length of /26 or shorter (a /23 is recommended).');
      }
    } else {
      if (body['role'] !== undefined) throw invalidField('resource.role', body['role'], `Role can only be set on subnetworks with purpose ${PROXY_PURPOSES.join(' or ')}.`);
      if (cidr.prefix > 29) throw invalidField('resource.ipCidrRange', cidrText, 'The prefix length must be /29 or shorter.');
    }
    // Overlap and single-ACTIVE rules across the same network.
    for (const [path, other] of b.ctx.store.entries()) {
      if (path === b.path || !/\/subnetworks\//.test(path)) continue;
      const o = other as JsonObject;
      if (o['network'] !== selfLinkOf(networkPath)) continue;
      const oc = parseCidr(String(o['ipCidrRange']));
      if (oc && cidrOverlap(oc, cidr)) {
        throw invalid(`Invalid IPCidrRange: ${cidrText} conflicts with existing subnetwork '${String(o['name'])}' in region '${String(o['region']).split('/').at(-1)}'.`);
      }
      const sameRegion = String(o['region']).endsWith(`/regions/${b.region}`);
      if (proxy && role === 'ACTIVE' && sameRegion && o['purpose'] === purpose && o['role'] === 'ACTIVE') {
        throw invalidField(
          'resource.role',
          'ACTIVE',
          `There is already an ACTIVE subnetwork '${String(o['name'])}' with purpose ${purpose} in network '${String(networkPath.split('/').at(-1))}' and region '${b.region}'. Only one ACTIVE proxy-only subnetwork is allowed per network, region and purpose.`,
        );
      }
    }
    const out: JsonObject = {
      ...(body['description'] !== undefined ? { description: String(body['description']) } : {}),
      network: selfLinkOf(networkPath),
      ipCidrRange: cidrText,
      gatewayAddress: intToIp(cidr.base + 1),
      privateIpGoogleAccess: body['privateIpGoogleAccess'] === true,
      privateIpv6GoogleAccess: checkEnum(body['privateIpv6GoogleAccess'], ['DISABLE_GOOGLE_ACCESS', 'ENABLE_BIDIRECTIONAL_ACCESS_TO_GOOGLE', 'ENABLE_OUTBOUND_VM_ACCESS_TO_GOOGLE'] as const, 'resource.privateIpv6GoogleAccess', 'DISABLE_GOOGLE_ACCESS')!,
      purpose,
      ...(role ? { role } : {}),
      // As Google answers: every subnet has a gateway; a PRIVATE one has a stack type; a proxy-only
      // one has none and carries a state (READY once created; DRAINING is a role change we do not model).
      ...(proxy
        ? { state: 'READY' }
        : { stackType: checkEnum(body['stackType'], ['IPV4_ONLY', 'IPV4_IPV6', 'IPV6_ONLY'] as const, 'resource.stackType', 'IPV4_ONLY')! }),
      allowSubnetCidrRoutesOverlap: body['allowSubnetCidrRoutesOverlap'] === true,
      ...(Array.isArray(body['secondaryIpRanges']) && body['secondaryIpRanges'].length ? { secondaryIpRanges: body['secondaryIpRanges'] } : {}),
      ...(body['logConfig'] !== undefined ? { logConfig: body['logConfig'] } : {}),
    };
    return out;
  },
  afterInsert(ctx, path, resource) {
    const networkPath = refPath(String(resource['network']));
    if (networkPath) linkSubnet(ctx, networkPath, path, true);
  },
  afterDelete(ctx, path, resource) {
    const networkPath = refPath(String(resource['network']));
    if (networkPath) linkSubnet(ctx, networkPath, path, false);
  },
};

export { fingerprintOf };
