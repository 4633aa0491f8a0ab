/**
 * `certificateMap`: the Certificate Manager certificate map of a global external or classic load
 * balancer whose certificate is a Certificate Manager one. The global HTTPS proxy references it
 * in `certificateMap`; its entries (certificate-map-entry.ts) say which certificate serves which
 * host name. Only labels and description change in place, and nothing else is set.
 */
import { certManagerService } from './cert-manager-service.js';
import { certManagerCommon, certManagerFlags } from './cert-manager-words.js';
import { gcloud } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';

export const certificateMap = {
  kind: 'certificateMap',
  words: 'certificate map',
  scopes: { global: true, regional: false },

  build(g) {
    const certificate = g.shared.certManagerCertificate;
    if (!certificate) return;
    const name = g.names.certificateMap();
    const map = g.add('certificateMap', 'global', name, {}, [], 'certificate map of the HTTPS proxy');
    g.shared.certificateMap = g.path(map);
    g.shared.certificateDeps.push(map.id);
  },

  service: certManagerService('certificateMap', 'certificateMaps', []),
  certManager: { collection: 'certificateMaps', referencedAs: 'service', iam: 'certificatemanager.certmaps' },
  compare: { immutable: () => new Set(), rotatable: false },
  ownership: { labels: true, description: true },
  existingKey: 'certificate (type: certificate-manager, certificateMap)',

  gcloud(s, r) {
    s.command(r.project, { head: gcloud('certificate-manager', 'maps', 'create', r.name), flags: certManagerFlags(r) });
  },
  terraform: {
    resourceType: () => 'google_certificate_manager_certificate_map',
    convert: (t, r) => certManagerCommon(t, r),
  },
} satisfies ResourceKindModule;
