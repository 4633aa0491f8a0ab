/**
 * `forwardingRule`: one per listener (and, cross-region internal, per region), on the reserved
 * address or an ephemeral one, pointing at the listener's proxy. Only the target (setTarget) and
 * labels change in place; anything else deletes and creates the rule again under the same name
 * (nothing references a forwarding rule).
 */
import { isInternalType } from '../spec/derive.js';
import { LB_TYPE_INFO } from '../spec/schema.js';
import { attr } from '../model/hcl.js';
import { portRangeOf, str, stringMap, strings } from '../model/body.js';
import { bare, descriptionFlag, flag, gcloud, labelsValue, scopeFlag, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import type { Scope } from '../model/resource-model.js';
import { common, labelsItems } from './terraform-words.js';

export const forwardingRule = {
  kind: 'forwardingRule',
  words: 'forwarding rule',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec, shared } = g;
    const internal = isInternalType(spec.type);
    const addr = spec.frontend.address;
    for (const f of g.frontends) {
      for (const l of g.listeners) {
        const proxy = shared.proxies.get(l)!;
        const name = l.protocol === 'HTTPS' ? g.names.httpsForwardingRule(f.suffix) : g.names.httpForwardingRule(f.suffix);
        const body: Record<string, unknown> = { name, IPProtocol: 'TCP', portRange: String(l.port), target: g.path(proxy), loadBalancingScheme: LB_TYPE_INFO[spec.type].scheme };
        const deps = [proxy.id];
        const address = shared.addresses.get(f);
        if (address) {
          body.IPAddress = g.path(address);
          deps.push(address.id);
        } else if (!internal && f.addressScope === 'global' && (f.ipVersion ?? addr.ipVersion) === 'IPV6') {
          body.ipVersion = 'IPV6';
        }
        if (!internal) body.networkTier = f.addressScope === 'global' ? 'PREMIUM' : addr.networkTier;
        if (shared.network) {
          body.network = shared.networkPath;
          deps.push(shared.network.id);
        }
        if (internal) {
          const subnet = shared.subnets.get(f.region!)!;
          body.subnetwork = g.path(subnet);
          deps.push(subnet.id);
        }
        const proxyOnly = f.region ? shared.proxyOnlySubnets.get(f.region) : undefined;
        if (proxyOnly) deps.push(proxyOnly.id);
        const where = f.region ? ` in ${f.region}` : '';
        const rule = g.add('forwardingRule', f.forwardingRuleScope, name, body, deps, `${l.redirectToHttps ? 'HTTP (redirect)' : l.protocol} forwarding rule on port ${l.port}${where}`);
        shared.forwardingRules.push(rule);
        if (!shared.mainForwardingRules.has(f)) shared.mainForwardingRules.set(f, rule);
      }
    }
  },

  compute: {
    collection: 'forwardingRules',
    clients: { global: 'GlobalForwardingRulesClient', regional: 'ForwardingRulesClient' },
    fingerprinted: true,
    async update(u) {
      if (u.take('target')) {
        await u.mutate('setTarget', { ...u.params, forwardingRule: u.resource.name, targetReferenceResource: { target: u.body.target }, requestId: u.rid('setTarget') });
      }
      if (u.take('labels')) await u.setLabels(u.body.labels);
      u.fields.delete('description');
      if (u.fields.size === 0) return;
      const patch: Record<string, unknown> = {};
      for (const f of u.fields) patch[f] = u.body[f] ?? null;
      return u.mutate('patch', { ...u.params, forwardingRule: u.resource.name, forwardingRuleResource: patch, requestId: u.rid('patch') });
    },
  },
  // In place: setTarget, setLabels, and the scheme at the end of a classic migration (patch).
  compare: {
    immutable: () => new Set(['IPAddress', 'IPProtocol', 'portRange', 'loadBalancingScheme', 'network', 'subnetwork', 'networkTier', 'ipVersion']),
    // A migrated classic rule follows its backend services in place (same IP); Google refuses it
    // while they have not all moved, which the plan's order (services first) ensures.
    changesInPlace: (field, desired, observed) =>
      field === 'loadBalancingScheme' && [observed.loadBalancingScheme, desired.loadBalancingScheme].sort().join() === 'EXTERNAL,EXTERNAL_MANAGED',
    rotatable: false,
    // An IPAddress written as an address path compares as that address' observed IP.
    withObservedValues(body, observedAt) {
      if (typeof body.IPAddress !== 'string') return body;
      const address = observedAt(body.IPAddress)?.address;
      return typeof address === 'string' ? { ...body, IPAddress: address } : body;
    },
  },
  // DNS records and Cloud Run ingress point at the rule's IP without a reference: they go first.
  plan: {
    deleteAfter: ['dnsRecordSet', 'cloudRunIngress'],
    disruption(step) {
      if (step.action === 'delete') return `the listener ${step.name} is removed: its clients get connection errors from then on`;
      if (step.action === 'replace') return `the listener ${step.name} is deleted and created again: its clients get connection errors until Google has programmed the new one (a minute or more)`;
      return undefined;
    },
  },
  ownership: { labels: true, description: true },
  // Its proxies run in the region's proxy-only subnet of the purpose its scheme needs.
  implicitUses(body, scope, observed) {
    const need = proxyOnlySubnetNeed(body, scope);
    if (!need) return [];
    return [...observed.values()]
      .filter((o) => o.kind === 'subnetwork' && o.scope === `regions/${need.region}` && o.body.purpose === need.purpose && (o.body.role ?? 'ACTIVE') === 'ACTIVE' && (!need.network || lastPathSegment(o.body.network) === need.network))
      .map((o) => o.id);
  },
  // An IPAddress written as a path is a reference to an address, not the rule's IP.
  ipOf: (body) => (typeof body.IPAddress === 'string' && !body.IPAddress.includes('/') ? body.IPAddress : undefined),
  verify: { dataPath: true },

  gcloud(s, r) {
    const b = r.body;
    const global = r.scope === 'global';
    const flags: Word[] = [scopeFlag(r)];
    const scheme = str(b, 'loadBalancingScheme');
    if (scheme) flags.push(flag('load-balancing-scheme', scheme));
    const tier = str(b, 'networkTier');
    if (tier) flags.push(flag('network-tier', tier));
    const network = str(b, 'network');
    if (network) flags.push(flag('network', s.refName(network)));
    const subnetwork = str(b, 'subnetwork');
    if (subnetwork) {
      const ref = s.resolve(subnetwork);
      flags.push(flag('subnet', ref?.name ?? subnetwork));
      if (global && ref?.region) flags.push(flag('subnet-region', ref.region));
    }
    const address = str(b, 'IPAddress');
    if (address) {
      const ref = s.resolve(address);
      flags.push(flag('address', ref?.name ?? address));
      if (ref?.region && global) flags.push(flag('address-region', ref.region));
    } else {
      const ipVersion = str(b, 'ipVersion');
      if (ipVersion) flags.push(flag('ip-version', ipVersion));
    }
    const target = str(b, 'target');
    if (target) {
      const ref = s.resolve(target);
      const kind = ref?.kind === 'targetHttpProxy' ? 'target-http-proxy' : 'target-https-proxy';
      flags.push(flag(kind, ref?.name ?? target));
      if (ref?.region) flags.push(flag(`${kind}-region`, ref.region));
    }
    const ports = strings(b, 'ports');
    const portRange = portRangeOf(b);
    if (ports.length > 0) flags.push(flag('ports', ports.join(',')));
    else if (portRange) flags.push(flag('ports', /^(\d+)-\1$/.test(portRange) ? (portRange.split('-')[0] as string) : portRange));
    if (b.allowGlobalAccess === true) flags.push(bare('allow-global-access'));
    flags.push(...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'forwarding-rules', 'create', r.name), flags });
    const labels = labelsValue(stringMap(b, 'labels'));
    if (labels) {
      s.command(r.project, { head: gcloud('compute', 'forwarding-rules', 'update', r.name), flags: [scopeFlag(r), flag('update-labels', labels)] });
    }
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_global_forwarding_rule' : 'google_compute_forwarding_rule'),
    convert(t, r) {
      const b = r.body;
      const address = str(b, 'IPAddress');
      const target = str(b, 'target');
      const network = str(b, 'network');
      const subnetwork = str(b, 'subnetwork');
      const ports = strings(b, 'ports');
      const portRange = portRangeOf(b);
      return [
        ...common(t, r),
        ...attr('load_balancing_scheme', str(b, 'loadBalancingScheme')),
        ...attr('ip_protocol', str(b, 'IPProtocol')),
        ...attr('port_range', ports.length > 0 ? undefined : portRange),
        ...(ports.length > 0 && r.scope !== 'global' ? attr('ports', ports) : []),
        ...attr('ip_address', address ? (t.resolve(address) ? t.ref(address) : address) : undefined),
        ...attr('ip_version', address ? undefined : str(b, 'ipVersion')),
        ...attr('target', target ? t.ref(target) : undefined),
        ...attr('network', network ? t.ref(network) : undefined),
        ...attr('subnetwork', subnetwork ? t.ref(subnetwork) : undefined),
        ...attr('network_tier', str(b, 'networkTier')),
        ...(b.allowGlobalAccess === true && r.scope !== 'global' ? attr('allow_global_access', true) : []),
        ...labelsItems(r),
      ];
    },
  },
  quotaMetrics(r) {
    const scheme = String(r.body.loadBalancingScheme ?? '');
    return ['FORWARDING_RULES', ...(scheme === 'EXTERNAL_MANAGED' ? [r.scope === 'global' ? 'GLOBAL_EXTERNAL_MANAGED_FORWARDING_RULES' : 'EXTERNAL_MANAGED_FORWARDING_RULES'] : [])];
  },
} satisfies ResourceKindModule;

function lastPathSegment(value: unknown): string | undefined {
  return typeof value === 'string' ? value.split('/').pop() : undefined;
}

/**
 * Where a forwarding rule's Envoy proxies need a proxy-only subnet: a regional EXTERNAL_MANAGED or
 * INTERNAL_MANAGED rule, REGIONAL_MANAGED_PROXY in its region; a global INTERNAL_MANAGED one
 * (cross-region), GLOBAL_MANAGED_PROXY in the region of its subnetwork. Undefined: none needed.
 */
export function proxyOnlySubnetNeed(body: Record<string, unknown>, scope: Scope): { region: string; purpose: string; network?: string } | undefined {
  const scheme = String(body.loadBalancingScheme ?? '');
  const regional = scope.startsWith('regions/') ? scope.slice('regions/'.length) : undefined;
  const subnetRegion = typeof body.subnetwork === 'string' ? /\/regions\/([^/]+)\//.exec(body.subnetwork)?.[1] : undefined;
  const network = lastPathSegment(body.network);
  const withNetwork = network ? { network } : {};
  if (regional && (scheme === 'EXTERNAL_MANAGED' || scheme === 'INTERNAL_MANAGED')) return { region: regional, purpose: 'REGIONAL_MANAGED_PROXY', ...withNetwork };
  if (!regional && scheme === 'INTERNAL_MANAGED' && subnetRegion) return { region: subnetRegion, purpose: 'GLOBAL_MANAGED_PROXY', ...withNetwork };
  return undefined;
}
