/**
 * `network`: the VPC network of the load balancer types whose forwarding rules live in one
 * (regional external, and the internal types). serverless-lb never creates, changes or deletes a
 * network: it is read and referenced (managed=false), and exported as a data source.
 */
import { isInternalType } from '../spec/derive.js';
import { descriptionFlag, flag, gcloud } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { attr } from '../model/hcl.js';
import { common } from './terraform-words.js';

export const network = {
  kind: 'network',
  words: 'VPC network',
  scopes: { global: true, regional: false },
  readOnly: true,

  build(g) {
    const { spec } = g;
    if (spec.type !== 'regional-external' && !isInternalType(spec.type)) return;
    const name = spec.frontend.network?.network ?? 'default';
    g.shared.network = g.add('network', 'global', name, { name }, [], 'existing VPC network of the load balancer', { managed: false });
  },

  compute: { collection: 'networks', clients: { global: 'NetworksClient' }, fingerprinted: false },
  compare: { immutable: () => new Set(), rotatable: false },
  ownership: { labels: false, description: false },

  gcloud(s, r) {
    const auto = r.body.autoCreateSubnetworks === true;
    s.command(r.project, {
      head: gcloud('compute', 'networks', 'create', r.name),
      flags: [flag('subnet-mode', auto ? 'auto' : 'custom'), ...descriptionFlag(r.body)],
    });
  },
  terraform: {
    resourceType: () => 'google_compute_network',
    dataSource: () => 'google_compute_network',
    convert: (t, r) => [...common(t, r), ...attr('auto_create_subnetworks', r.body.autoCreateSubnetworks === true)],
  },
} satisfies ResourceKindModule;
