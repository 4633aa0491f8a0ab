/**
 * addresses (regional) and globalAddresses.
 *
 * - addressType EXTERNAL (default) or INTERNAL; ipVersion IPV4 (default) or IPV6 (global external only).
 * - `address` is filled in when absent: global external from 34.x, regional external from 35.x,
 *   regional internal the first free host of the subnetwork, global internal (VPC_PEERING /
 *   PRIVATE_SERVICE_CONNECT) from 10.x with `prefixLength`. A given address must be a valid literal,
 *   unused (or held by forwarding rules as an ephemeral IP: reserving it promotes it to static, as
 *   Google does, and the rules become its users), and inside the subnetwork for internal ones.
 * - Regional INTERNAL addresses need a `subnetwork`, never a proxy-only one (400 invalid).
 * - networkTier PREMIUM (default) or STANDARD (regional external only); status RESERVED, IN_USE
 *   while a forwarding rule uses it (then `users` lists the rules); delete of an address in use is
 *   400 resourceInUseByAnotherResource.
 */
import type { EmulatorContext } from '../core/context.js';
import type { Json, JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec } from './engine.js';
import { inUse, invalid, invalidField, notFound, required } from './errors.js';
import { asString, checkEnum } from './fields.js';
import { allocateExternal, allocateExternalV6, allocateInternal, inCidr, isIpv4, isIpv6, usedIps } from './ip.js';
import { isProxyOnly } from './networks.js';
import { refPath, selfLinkOf } from './urls.js';

const PURPOSES = ['GCE_ENDPOINT', 'SHARED_LOADBALANCER_VIP', 'VPC_PEERING', 'PRIVATE_SERVICE_CONNECT', 'IPSEC_INTERCONNECT', 'NAT_AUTO', 'DNS_RESOLVER', 'SERVERLESS', 'IPV6_ONLY'] as const;

function buildAddress(b: BuildContext, global: boolean): JsonObject {
  const body = b.body;
  const addressType = checkEnum(body['addressType'], ['EXTERNAL', 'INTERNAL'] as const, 'resource.addressType', 'EXTERNAL')!;
  const ipVersion = checkEnum(body['ipVersion'], ['IPV4', 'IPV6'] as const, 'resource.ipVersion');
  const networkTier = checkEnum(body['networkTier'], ['PREMIUM', 'STANDARD', 'FIXED_STANDARD', 'STANDARD_OVERRIDES_FIXED_STANDARD'] as const, 'resource.networkTier', 'PREMIUM')!;
  if (global && networkTier !== 'PREMIUM') {
    throw invalidField('resource.networkTier', networkTier, 'Global addresses can only be of network tier PREMIUM.');
  }
  if (ipVersion === 'IPV6' && !global && addressType === 'EXTERNAL' && body['address'] === undefined) {
    throw invalidField('resource.ipVersion', 'IPV6', 'Regional external IPv6 addresses need an IPv6 subnetwork, which the emulator does not model.');
  }
  let purpose = checkEnum(body['purpose'], PURPOSES, 'resource.purpose');
  const out: JsonObject = {};
  if (body['description'] !== undefined) out['description'] = String(body['description']);
  else if (!global) out['description'] = '';

  let subnetLink: string | undefined;
  let networkLink: string | undefined;
  const reserved = new Set<string>();
  if (addressType === 'INTERNAL') {
    if (global) {
      const net = asString(body['network']);
      if (!net) throw required('resource.network');
      const netPath = refPath(net);
      if (!netPath) throw invalidField('resource.network', net, 'The URL is malformed.');
      if (!b.ctx.store.has(netPath)) throw notFound(netPath);
      networkLink = selfLinkOf(netPath);
      purpose ??= 'VPC_PEERING';
    } else {
      purpose ??= 'GCE_ENDPOINT';
      const sub = asString(body['subnetwork']);
      if (!sub && (purpose === 'GCE_ENDPOINT' || purpose === 'SHARED_LOADBALANCER_VIP')) throw required('resource.subnetwork');
      if (sub) {
        const subPath = refPath(sub);
        if (!subPath) throw invalidField('resource.subnetwork', sub, 'The URL is malformed.');
        const subnet = b.ctx.store.get<JsonObject>(subPath);
        if (!subnet) throw notFound(subPath);
        if (isProxyOnly(subnet)) {
          throw invalidField('resource.subnetwork', sub, `Subnetwork '${String(subnet['name'])}' has purpose ${String(subnet['purpose'])}: addresses must come from a regular subnetwork, not a proxy-only one.`);
        }
        if (!String(subnet['region']).endsWith(`/regions/${b.region}`)) {
          throw invalidField('resource.subnetwork', sub, `Subnetwork must be in region '${b.region}'.`);
        }
        subnetLink = selfLinkOf(subPath);
      }
    }
  } else if (body['subnetwork'] !== undefined || body['network'] !== undefined) {
    throw invalid('Invalid value for field \'resource.subnetwork\': a network or subnetwork can only be set on INTERNAL addresses.');
  }

  let address = asString(body['address']);
  if (address !== undefined) {
    if (ipVersion === 'IPV6' ? !isIpv6(address) : !isIpv4(address)) throw invalidField('resource.address', address, 'Invalid IP address.');
    // An IP a forwarding rule holds as ephemeral may be reserved: Google promotes it to static (the
    // rule keeps it). One another address holds may not.
    if (b.mode !== 'update' && usedIps(b.ctx).has(address) && (addressHolds(b.ctx, address) || rulesOnIp(b.ctx, address, global, b.region).length === 0)) {
      throw invalidField('resource.address', address, 'IP address is already reserved.');
    }
    if (subnetLink) {
      const subnet = b.ctx.store.get<JsonObject>(refPath(subnetLink)!)!;
      if (!inCidr(address, String(subnet['ipCidrRange']))) {
        throw invalidField('resource.address', address, `The IP address is not in the range ${String(subnet['ipCidrRange'])} of subnetwork '${String(subnet['name'])}'.`);
      }
    }
  } else if (addressType === 'EXTERNAL') {
    address = ipVersion === 'IPV6' ? allocateExternalV6(b.ctx) : allocateExternal(b.ctx, global, reserved);
  } else if (subnetLink) {
    const subnet = b.ctx.store.get<JsonObject>(refPath(subnetLink)!)!;
    address = allocateInternal(b.ctx, String(subnet['ipCidrRange']));
    if (!address) throw invalid(`No free IP address left in subnetwork '${String(subnet['name'])}'.`);
  } else {
    address = `10.${100 + Math.floor(b.ctx.ids.random() * 100)}.0.0`;
  }

  Object.assign(out, {
    address,
    addressType,
    ...(ipVersion ? { ipVersion } : {}),
    ...(networkLink ? { network: networkLink } : {}),
    networkTier,
    ...(body['prefixLength'] !== undefined ? { prefixLength: body['prefixLength'] } : {}),
    ...(purpose ? { purpose } : {}),
    status: 'RESERVED',
    ...(subnetLink ? { subnetwork: subnetLink } : {}),
  });
  return out;
}

function beforeDelete(_ctx: EmulatorContext, path: string, resource: JsonObject): void {
  const users = resource['users'];
  if (Array.isArray(users) && users.length) throw inUse('address', path, String(refPath(String(users[0])) ?? users[0]));
}

/** Whether an address resource holds `ip`. */
function addressHolds(ctx: EmulatorContext, ip: string): boolean {
  return ctx.store.entries().some(([path, v]) => /\/addresses\//.test(path) && (v as JsonObject)['address'] === ip);
}

/** The forwarding rules of a scope (global, or the region) that answer on `ip`: their paths. */
function rulesOnIp(ctx: EmulatorContext, ip: Json | undefined, global: boolean, region: string | undefined): string[] {
  const scope = global ? '/global/forwardingRules/' : `/regions/${region}/forwardingRules/`;
  return ctx.store.entries().filter(([path, v]) => path.includes(scope) && (v as JsonObject)['IPAddress'] === ip).map(([path]) => path);
}

/** A promoted ephemeral IP is in use from the start: its rules become the address's users. */
function afterInsert(ctx: EmulatorContext, path: string, resource: JsonObject): void {
  const parts = path.split('/');
  for (const rule of rulesOnIp(ctx, resource['address'], parts[2] === 'global', parts[3])) setAddressUser(ctx, path, rule, true);
}

export const globalAddressSpec: KindSpec = {
  insertIgnoresLabels: true,
  collection: 'addresses',
  kind: 'compute#address',
  snake: 'address',
  scope: 'global',
  labels: true,
  build: (b) => buildAddress(b, true),
  afterInsert,
  beforeDelete,
};

export const addressSpec: KindSpec = {
  insertIgnoresLabels: true,
  collection: 'addresses',
  kind: 'compute#address',
  snake: 'address',
  scope: 'regional',
  labels: true,
  build: (b) => buildAddress(b, false),
  afterInsert,
  beforeDelete,
};

/** Adds/removes a forwarding rule in an address's `users` and sets status IN_USE / RESERVED. */
export function setAddressUser(ctx: EmulatorContext, addressPath: string, userPath: string, add: boolean): void {
  const address = ctx.store.get<JsonObject>(addressPath);
  if (!address) return;
  const users = new Set((address['users'] as string[] | undefined) ?? []);
  if (add) users.add(selfLinkOf(userPath));
  else users.delete(selfLinkOf(userPath));
  if (users.size) {
    address['users'] = [...users].sort();
    address['status'] = 'IN_USE';
  } else {
    delete address['users'];
    address['status'] = 'RESERVED';
  }
  ctx.store.put(addressPath, address);
}
