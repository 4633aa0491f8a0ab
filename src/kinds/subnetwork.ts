/**
 * `subnetwork`: the proxy-only subnets the load balancer's Envoy proxies run in (created, or an
 * existing one the user named), and for internal types the regular subnet the address comes from
 * (existing, read only). Always regional. A proxy-only subnet is used without being referenced, so
 * teardown deletes it last (src/plan/diff.ts).
 */
import { isInternalType, proxyOnlySubnetPurpose, proxyOnlySubnetRegions } from '../spec/derive.js';
import { attr } from '../model/hcl.js';
import type { Scope } from '../model/resource-model.js';
import { str } from '../model/body.js';
import { descriptionFlag, flag, gcloud, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { regionOf } from '../model/resource-model.js';
import { common } from './terraform-words.js';

/** The purposes of proxy-only subnets (the regional and cross-region proxies', and the older name of the first). */
export const PROXY_ONLY_PURPOSES: ReadonlySet<string> = new Set(['REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'INTERNAL_HTTPS_LOAD_BALANCER']);

export const subnetwork = {
  kind: 'subnetwork',
  words: 'subnetwork',
  scopes: { global: false, regional: true },

  build(g) {
    const { spec, names, shared } = g;
    const network = spec.frontend.network ?? { network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'existing' as const } };
    const networkDeps = shared.network ? [shared.network.id] : [];
    const purpose = proxyOnlySubnetPurpose(spec.type);
    if (purpose) {
      const pos = network.proxyOnlySubnet;
      for (const region of proxyOnlySubnetRegions(spec)) {
        const scope: Scope = `regions/${region}`;
        if (pos.mode === 'create') {
          const name = pos.name ?? names.proxyOnlySubnet(region);
          const body: Record<string, unknown> = { name, network: shared.networkPath, purpose, role: 'ACTIVE' };
          const range = pos.ranges?.[region];
          if (range !== undefined) body.ipCidrRange = range;
          shared.proxyOnlySubnets.set(region, g.add('subnetwork', scope, name, body, networkDeps, `proxy-only subnet (${purpose}) for the load balancer's proxies in ${region}`));
        } else if (pos.name !== undefined) {
          shared.proxyOnlySubnets.set(
            region,
            g.add('subnetwork', scope, pos.name, { name: pos.name }, networkDeps, `existing proxy-only subnet (${purpose}) in ${region}`, { managed: false }),
          );
        }
      }
    }
    if (isInternalType(spec.type)) {
      for (const f of g.frontends) {
        if (!f.region || shared.subnets.has(f.region)) continue;
        shared.subnets.set(
          f.region,
          g.add('subnetwork', `regions/${f.region}`, network.subnet, { name: network.subnet }, networkDeps, `existing subnet the internal address in ${f.region} comes from`, { managed: false }),
        );
      }
    }
  },

  compute: {
    collection: 'subnetworks',
    clients: { regional: 'SubnetworksClient' },
    fingerprinted: true,
    async update(u) {
      const current = await u.fresh();
      const patch: Record<string, unknown> = { fingerprint: current.fingerprint };
      for (const f of u.fields) patch[f] = u.body[f] ?? null;
      return u.mutate('patch', { ...u.params, subnetwork: u.resource.name, subnetworkResource: patch, requestId: u.rid('patch') });
    },
  },
  compare: { immutable: () => new Set(['network', 'purpose', 'ipCidrRange']), rotatable: false },
  // Proxy-only subnets are used by the load balancer's proxies without being referenced: last.
  plan: { deleteAfter: 'all' },
  ownership: { labels: false, description: true },
  existingKey: 'frontend.network.proxyOnlySubnet (mode: existing, name)',

  gcloud(s, r) {
    const b = r.body;
    const network = str(b, 'network');
    const flags: Word[] = [];
    if (network) flags.push(flag('network', s.refName(network)));
    const region = regionOf(r.scope);
    if (region) flags.push(flag('region', region));
    const range = str(b, 'ipCidrRange');
    if (range) flags.push(flag('range', range));
    const purpose = str(b, 'purpose');
    if (purpose) flags.push(flag('purpose', purpose));
    const role = str(b, 'role');
    if (role) flags.push(flag('role', role));
    flags.push(...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'networks', 'subnets', 'create', r.name), flags });
  },
  terraform: {
    resourceType: () => 'google_compute_subnetwork',
    dataSource: (global) => (global ? undefined : 'google_compute_subnetwork'),
    convert(t, r) {
      const b = r.body;
      const network = str(b, 'network');
      return [
        ...common(t, r),
        ...attr('network', network ? t.ref(network) : undefined),
        ...attr('ip_cidr_range', str(b, 'ipCidrRange')),
        ...attr('purpose', str(b, 'purpose')),
        ...attr('role', str(b, 'role')),
      ];
    },
  },
  quotaMetrics: () => ['SUBNETWORKS'],
} satisfies ResourceKindModule;
