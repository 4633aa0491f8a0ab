/**
 * Where an imported load balancer listens: its address(es), the network and subnet of the types that
 * take one, the proxy-only subnets of the Envoy-based regional and cross-region types, and the
 * per-region forwarding rules of a cross-region internal one. Each reads what read-import.ts found
 * and says, through `say`, what a config cannot express, never dropping it.
 *
 * A cross-region internal load balancer has a forwarding rule and an address per region, and a
 * config names neither one by one: they come back only under serverless-lb's names (`NAME-http-fr-
 * REGION`, `NAME-ip-REGION`). Proxy-only subnets serverless-lb made (its names and its mark) come
 * back as `mode: create` with their ranges; any other is used as it exists (`mode: existing`, the
 * default). Pure: no I/O.
 */
import type { LbNames } from '../model/naming.js';
import { parseResourcePath } from '../plan/paths.js';
import { ownerOf } from '../plan/ownership.js';
import { proxyOnlySubnetPurpose } from '../spec/derive.js';
import type { LbType } from '../spec/schema.js';
import { regionOf, type ObservedResource, type ObservedState, type Scope } from '../model/resource-model.js';

type Body = Record<string, unknown>;
type Say = (text: string) => void;

/** The region of the subnet a forwarding rule takes its internal address from (cross-region internal: the region it serves). */
export function subnetRegion(fr: ObservedResource): string | undefined {
  const subnet = typeof fr.body.subnetwork === 'string' ? parseResourcePath(fr.body.subnetwork) : undefined;
  return subnet ? regionOf(subnet.scope as Scope) : undefined;
}

/**
 * `frontend.address` (without its ipVersion). One frontend: the address holding the main rule's IP,
 * `reserve` under serverless-lb's name, else existing by its name; none: ephemeral. Cross-region
 * internal: every rule's address under serverless-lb's name for its region is `reserve`.
 */
export function importedAddress(type: LbType, main: ObservedResource, rules: readonly ObservedResource[], addresses: readonly ObservedResource[], names: LbNames, say: Say): Body {
  const holding = (fr: ObservedResource) => addresses.find((a) => a.body.address === fr.body.IPAddress);
  if (type !== 'cross-region-internal') {
    const address = holding(main);
    if (!address) return { mode: 'ephemeral' };
    return address.name === names.address() ? { mode: 'reserve' } : { mode: 'existing', name: address.name };
  }
  const perRule = rules.map((fr) => ({ fr, expected: names.address(subnetRegion(fr)), address: holding(fr) }));
  if (perRule.every((r) => r.address === undefined)) return { mode: 'ephemeral' };
  for (const { fr, expected, address } of perRule) {
    if (!address) say(`forwarding rule ${fr.name}: its IP is ephemeral while other regions' are reserved; a config reserves them in every region or in none`);
    else if (address.name !== expected) say(`address ${address.name}: a cross-region internal load balancer's addresses take serverless-lb's names, one per region (${expected})`);
  }
  return { mode: 'reserve' };
}

/**
 * Cross-region internal: each forwarding rule under serverless-lb's name for its region and
 * protocol (`isHttps`: whether the rule's target is an HTTPS proxy).
 */
export function checkCrossRegionRuleNames(rules: readonly ObservedResource[], isHttps: (fr: ObservedResource) => boolean, names: LbNames, say: Say): void {
  for (const fr of rules) {
    const region = subnetRegion(fr);
    const expected = isHttps(fr) ? names.httpsForwardingRule(region) : names.httpForwardingRule(region);
    if (fr.name !== expected) say(`forwarding rule ${fr.name}: a cross-region internal load balancer's forwarding rules take serverless-lb's names, one per region (${expected})`);
  }
}

/** `frontend.network`: the network and subnet of the main rule, and the proxy-only subnets serverless-lb made. */
export function importedNetwork(type: LbType, main: ObservedResource, regions: readonly string[], observed: ObservedState, names: LbNames, lbName: string, say: Say): Body {
  const network = String(main.body.network ?? 'default').split('/').pop();
  const subnet = typeof main.body.subnetwork === 'string' ? main.body.subnetwork.split('/').pop() : undefined;
  const out: Body = { network, ...(subnet ? { subnet } : {}) };
  const proxyOnly = importedProxyOnlySubnets(type, regions, observed, names, lbName, say);
  if (proxyOnly) out.proxyOnlySubnet = proxyOnly;
  return out;
}

function importedProxyOnlySubnets(type: LbType, regions: readonly string[], observed: ObservedState, names: LbNames, lbName: string, say: Say): Body | undefined {
  const purpose = proxyOnlySubnetPurpose(type);
  if (!purpose) return undefined;
  const subnets = [...observed.values()].filter((o) => o.kind === 'subnetwork' && o.body.purpose === purpose);
  const ours = regions.map((region) => subnets.find((s) => regionOf(s.scope) === region && s.name === names.proxyOnlySubnet(region) && ownerOf('subnetwork', s.body) === lbName));
  if (ours.every((s) => s === undefined)) return undefined;
  if (ours.some((s) => s === undefined)) {
    say(`proxy-only subnets: serverless-lb made those in ${regions.filter((_, i) => ours[i]).join(', ')} but not in ${regions.filter((_, i) => !ours[i]).join(', ')}; a config creates them in every region or in none`);
    return undefined;
  }
  return { mode: 'create', ranges: Object.fromEntries(regions.map((region, i) => [region, String(ours[i]!.body.ipCidrRange)])) };
}
