/**
 * Wizard questions: Where the load balancer listens: its IP address, and for the types that live in a VPC the network, subnet and proxy-only subnet.
 */
import { isInternalType, usesNetwork, proxyOnlySubnetPurpose } from '../../spec/derive.js';
import { setIn } from '../patch.js';
import { freeRanges, rangesOverlap } from '../../cloud/ip-ranges.js';

import { WizardState, Question, typeOf, regionsOf, scopeOf, splitList, textInput, select } from './kit.js';

export const address: Question<string> = {
  id: 'address',
  label: 'Address',
  keys: ['frontend.address.mode'],
  relevant: () => true,
  read: (p) => p.frontend?.address?.mode,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.address.mode', v),
  show: (v) => v,
  default: () => 'reserve',
  ask: (kit) =>
    select(
      'address',
      `Which ${isInternalType(typeOf(kit.state)) ? 'internal' : 'external'} IP address?`,
      [
        { value: 'reserve', name: 'Reserve a new static address (reserve)', description: 'it stays the same for the life of the load balancer (recommended)' },
        { value: 'existing', name: 'An address already reserved in the project (existing)' },
        { value: 'ephemeral', name: 'An ephemeral address (ephemeral)', description: 'it can change if the forwarding rule is recreated' },
      ],
      kit,
    ),
};

export const addressName: Question<string> = {
  id: 'addressName',
  label: 'Address name',
  keys: ['frontend.address.name'],
  relevant: (s) => s.input.frontend?.address?.mode === 'existing',
  read: (p) => p.frontend?.address?.name,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.address.name', v),
  show: (v) => v,
  async ask(kit) {
    const { state } = kit;
    const scope = scopeOf(state);
    const internal = isInternalType(typeOf(state));
    const found = scope ? await state.discover.list(`reserved addresses (${scope})`, (d) => d.addresses(scope)) : undefined;
    const free = (found ?? []).filter((a) => a.status !== 'IN_USE' && (a.addressType === 'INTERNAL') === internal);
    if (free.length > 0) {
      return kit.prompter.select({
        id: 'addressName',
        message: 'Which reserved address?',
        choices: free.map((a) => ({ value: a.name, name: `${a.name}  (${a.address})` })),
        ...(kit.initial ? { default: kit.initial } : {}),
        validate: (v) => kit.validate(v),
      });
    }
    if (found) state.say('  No free reserved address found: type its name.');
    return textInput('addressName', 'Name of the reserved address', kit);
  },
};

export const network: Question<string> = {
  id: 'network',
  label: 'Network',
  keys: ['frontend.network.network'],
  relevant: (s) => usesNetwork(typeOf(s)),
  read: (p) => p.frontend?.network?.network,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.network', v),
  show: (v) => v,
  default: () => 'default',
  async ask(kit) {
    const found = await kit.state.discover.list('VPC networks', (d) => d.networks());
    if (found && found.length > 0) {
      return kit.prompter.select({
        id: 'network',
        message: 'Which VPC network does the load balancer live in?',
        choices: found.map((n) => ({ value: n, name: n })),
        default: kit.initial !== undefined && found.includes(kit.initial) ? kit.initial : found[0]!,
        validate: (v) => kit.validate(v),
      });
    }
    return textInput('network', 'VPC network of the load balancer', kit);
  },
};

function lastSegment(value: string): string {
  return value.split('/').pop() ?? value;
}

export const subnet: Question<string> = {
  id: 'subnet',
  label: 'Subnet',
  keys: ['frontend.network.subnet'],
  relevant: (s) => usesNetwork(typeOf(s)) && isInternalType(typeOf(s)),
  read: (p) => p.frontend?.network?.subnet,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.subnet', v),
  show: (v) => v,
  default: () => 'default',
  async ask(kit) {
    const { state } = kit;
    const where = regionsOf(state);
    const networkName = state.input.frontend?.network?.network ?? 'default';
    const first = where[0];
    const found = first ? await state.discover.list(`subnets in ${first}`, (d) => d.subnetworks(first)) : undefined;
    const regular = (found ?? []).filter((s) => (s.purpose === 'PRIVATE' || s.purpose === '') && lastSegment(s.network) === networkName).map((s) => s.name);
    if (regular.length > 0) {
      return kit.prompter.select({
        id: 'subnet',
        message: `Which subnet gives the internal address${where.length > 1 ? ' (the same name in each region)' : ''}?`,
        choices: regular.map((n) => ({ value: n, name: n })),
        default: kit.initial !== undefined && regular.includes(kit.initial) ? kit.initial : regular[0]!,
        validate: (v) => kit.validate(v),
      });
    }
    return textInput('subnet', 'Regular subnet the internal address comes from (the same name in each region)', kit);
  },
};

/** Regions that need a proxy-only subnet (forwarding rule regions of the types that use one). */
function proxyRegions(state: WizardState): string[] {
  return proxyOnlySubnetPurpose(typeOf(state)) ? regionsOf(state) : [];
}

export const proxyOnlySubnet: Question<string> = {
  id: 'proxyOnlySubnet',
  label: 'Proxy-only subnet',
  keys: ['frontend.network.proxyOnlySubnet.mode'],
  relevant: (s) => usesNetwork(typeOf(s)),
  read: (p) => p.frontend?.network?.proxyOnlySubnet?.mode,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.proxyOnlySubnet.mode', v),
  show: (v) => v,
  default: () => 'existing',
  async ask(kit) {
    const { state } = kit;
    const purpose = proxyOnlySubnetPurpose(typeOf(state));
    const networkName = state.input.frontend?.network?.network ?? 'default';
    let initial = kit.initial;
    const missing: string[] = [];
    let known = true;
    for (const r of proxyRegions(state)) {
      const found = await state.discover.list(`subnets in ${r}`, (d) => d.subnetworks(r));
      if (!found) {
        known = false;
        continue;
      }
      const active = found.find((s) => s.purpose === purpose && (s.role ?? 'ACTIVE') === 'ACTIVE' && lastSegment(s.network) === networkName);
      if (active) state.say(`  ${r} has an ACTIVE ${purpose} proxy-only subnet: ${active.name} (${active.ipCidrRange ?? 'range unknown'}).`);
      else missing.push(r);
    }
    if (known && state.suggested.frontend?.network?.proxyOnlySubnet?.mode === undefined) initial = missing.length > 0 ? 'create' : 'existing';
    // "Existing" is offered only where one exists: Google would refuse the forwarding rule otherwise.
    if (known && missing.length > 0) {
      state.say(`  No ACTIVE ${purpose} proxy-only subnet in ${missing.join(', ')} (network ${networkName}): serverless-lb will create one.`);
      return 'create';
    }
    return kit.prompter.select({
      id: 'proxyOnlySubnet',
      message: `Proxy-only subnet (${purpose}) in ${proxyRegions(state).join(', ') || 'each region'}: Google's proxies for the load balancer run there`,
      choices: [
        { value: 'existing', name: 'Use the one that exists (existing)', ...(missing.length ? { description: `none found in ${missing.join(', ')}` } : {}) },
        { value: 'create', name: 'Create one (create)', description: 'needs a free /23 range (at least /26) in the network' },
      ],
      ...(initial ? { default: initial } : {}),
      validate: (v) => kit.validate(v),
    });
  },
};

export const proxyOnlySubnetRange: Question<Record<string, string>> = {
  id: 'proxyOnlySubnetRange',
  label: 'Proxy-only subnet ranges',
  keys: ['frontend.network.proxyOnlySubnet.ranges'],
  relevant: (s) => usesNetwork(typeOf(s)) && s.input.frontend?.network?.proxyOnlySubnet?.mode === 'create',
  read: (p) => {
    const ranges = p.frontend?.network?.proxyOnlySubnet?.ranges as Record<string, string> | undefined;
    return ranges && Object.keys(ranges).length > 0 ? ranges : undefined;
  },
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.proxyOnlySubnet.ranges', v),
  show: (v) => Object.entries(v).map(([r, c]) => `${r}=${c}`).join(', '),
  suggest: (s) => Object.fromEntries(proxyRegions(s).map((r, i) => [r, `10.${129 + i}.0.0/23`])),
  async ask(kit) {
    const { state } = kit;
    const networkName = state.input.frontend?.network?.network ?? 'default';
    const regions = proxyRegions(state);
    // Free ranges of the network (every region's subnets), one per region, distinct.
    const subnets = await state.discover.list(`subnets of network ${networkName}`, (d) => d.networkSubnetworks(networkName));
    const free = subnets ? freeRanges(subnets.flatMap((s) => (s.ipCidrRange ? [s.ipCidrRange] : [])), regions.length) : undefined;
    const discovered = free && free.length === regions.length ? Object.fromEntries(regions.map((r, i) => [r, free[i]!])) : undefined;
    const initial = state.suggested.frontend?.network?.proxyOnlySubnet?.ranges === undefined && discovered ? discovered : kit.initial;
    const parse = (text: string): Record<string, string> | string => {
      const out: Record<string, string> = {};
      for (const item of splitList(text)) {
        const [r, cidr, extra] = item.split('=');
        if (!r || !cidr || extra !== undefined) return `"${item}" is not REGION=CIDR`;
        out[r] = cidr;
      }
      return Object.keys(out).length ? out : 'give a range for each region';
    };
    const text = await kit.prompter.input({
      id: 'proxyOnlySubnetRange',
      message: `Ranges of the new proxy-only subnets, REGION=CIDR comma-separated (a free /23 in the network)`,
      ...(initial ? { default: Object.entries(initial).map(([r, c]) => `${r}=${c}`).join(', ') } : {}),
      validate: (value) => {
        const parsed = parse(value);
        if (typeof parsed === 'string') return parsed;
        // A range that overlaps a subnet of the network (any region): Google refuses it.
        for (const [region, cidr] of Object.entries(parsed)) {
          const clash = subnets?.find((s) => s.ipCidrRange && rangesOverlap(cidr, s.ipCidrRange));
          if (clash) return `${region}=${cidr} overlaps subnet ${clash.name} (${clash.region}, ${clash.ipCidrRange}) of network ${networkName}${free ? `; ${free.join(', ')} are free` : ''}`;
        }
        return kit.validate(parsed);
      },
    });
    const parsed = parse(text);
    return typeof parsed === 'string' ? undefined : parsed;
  },
};
