/**
 * `address`: the load balancer's reserved IP address (global, or one per region for regional and
 * cross-region types), or an existing one the user named. External addresses for the external
 * types; internal ones, from the regular subnet, for the internal types (shared by the HTTP and
 * HTTPS forwarding rules when there are both). Nothing of an address changes in place.
 */
import { isInternalType } from '../spec/derive.js';
import { attr } from '../model/hcl.js';
import { str, stringMap } from '../model/body.js';
import { descriptionFlag, flag, gcloud, labelsValue, scopeFlag, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { common, labelsItems } from './terraform-words.js';

export const address = {
  kind: 'address',
  words: 'address',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec, names, shared } = g;
    const internal = isInternalType(spec.type);
    const addr = spec.frontend.address;
    const sharedAddress = g.listeners.length > 1;
    for (const f of g.frontends) {
      if (addr.mode === 'ephemeral') continue;
      if (addr.mode === 'existing') {
        const name = addr.name ?? names.address(f.suffix);
        shared.addresses.set(f, g.add('address', f.addressScope, name, { name }, [], 'existing reserved IP address of the load balancer', { managed: false }));
        continue;
      }
      const name = names.address(f.suffix);
      const body: Record<string, unknown> = { name };
      const deps: string[] = [];
      if (internal) {
        const subnet = shared.subnets.get(f.region!)!;
        body.addressType = 'INTERNAL';
        body.subnetwork = g.path(subnet);
        if (sharedAddress) body.purpose = 'SHARED_LOADBALANCER_VIP';
        deps.push(subnet.id);
      } else {
        body.addressType = 'EXTERNAL';
        if (f.addressScope === 'global') body.ipVersion = f.ipVersion ?? addr.ipVersion;
        else body.networkTier = addr.networkTier;
      }
      shared.addresses.set(f, g.add('address', f.addressScope, name, body, deps, `${internal ? 'internal' : 'external'} IP address of the load balancer${f.region ? ` in ${f.region}` : ''}`));
    }
  },

  compute: {
    collection: 'addresses',
    clients: { global: 'GlobalAddressesClient', regional: 'AddressesClient' },
    fingerprinted: false,
    async update(u) {
      if (u.take('labels')) await u.setLabels(u.body.labels);
      u.fields.delete('description');
      if (u.fields.size === 0) return;
      throw u.notUpdatable(u.fields);
    },
  },
  compare: { immutable: () => 'all', rotatable: true },
  ownership: { labels: true, description: true },
  existingKey: 'frontend.address (mode: existing, name)',
  ipOf: (body) => (typeof body.address === 'string' ? body.address : undefined),

  gcloud(s, r) {
    const b = r.body;
    const flags: Word[] = [scopeFlag(r)];
    const subnetwork = str(b, 'subnetwork');
    if (subnetwork) flags.push(flag('subnet', s.refName(subnetwork)));
    else {
      const network = str(b, 'network');
      if (network) flags.push(flag('network', s.refName(network)));
    }
    const address = str(b, 'address');
    if (address) flags.push(flag('addresses', address));
    else {
      const ipVersion = str(b, 'ipVersion');
      if (ipVersion) flags.push(flag('ip-version', ipVersion));
    }
    const tier = str(b, 'networkTier');
    if (tier && r.scope !== 'global') flags.push(flag('network-tier', tier));
    const purpose = str(b, 'purpose');
    if (purpose) flags.push(flag('purpose', purpose));
    flags.push(...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'addresses', 'create', r.name), flags });
    const labels = labelsValue(stringMap(b, 'labels'));
    if (labels) {
      s.command(r.project, {
        head: gcloud('beta', 'compute', 'addresses', 'update', r.name),
        flags: [scopeFlag(r), flag('update-labels', labels)],
      });
    }
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_global_address' : 'google_compute_address'),
    dataSource: (global) => (global ? 'google_compute_global_address' : 'google_compute_address'),
    convert(t, r) {
      const b = r.body;
      const subnetwork = str(b, 'subnetwork');
      const network = str(b, 'network');
      return [
        ...common(t, r),
        ...attr('address', str(b, 'address')),
        ...attr('address_type', str(b, 'addressType')),
        ...attr('ip_version', str(b, 'ipVersion')),
        ...(r.scope === 'global' ? [] : attr('network_tier', str(b, 'networkTier'))),
        ...attr('purpose', str(b, 'purpose')),
        ...attr('subnetwork', subnetwork ? t.ref(subnetwork) : undefined),
        ...attr('network', network && !subnetwork ? t.ref(network) : undefined),
        ...labelsItems(r),
      ];
    },
  },
  quotaMetrics(r) {
    const global = r.scope === 'global';
    if (r.body.addressType === 'INTERNAL') return [global ? 'GLOBAL_INTERNAL_ADDRESSES' : 'INTERNAL_ADDRESSES'];
    return ['STATIC_ADDRESSES'];
  },
} satisfies ResourceKindModule;
