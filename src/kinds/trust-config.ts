/**
 * `trustConfig`: the Certificate Manager trust config of mutual TLS (`frontend.tls.mtls`): one
 * trust store of the CA certificates that issue client certificates (`trustAnchors`) and their
 * intermediates, read from the config's PEM files at apply time. Global for the global types,
 * regional for the regional ones. The trust store and labels change in place; a file whose
 * certificates changed (a rotated CA) is seen by the plan through the FileRef's digest
 * (cloud/file-digests.ts, plan/compare.ts) and changes the trust store in place.
 */
import { attr, expr, hclString, type BlockItem } from '../model/hcl.js';
import { isFileRef, type FileRef } from '../model/resource-model.js';
import { objects } from '../model/body.js';
import { gcloud, shellQuote, raw } from '../model/gcloud-words.js';
import { certManagerService } from './cert-manager-service.js';
import { certManagerCommon, certManagerFlags } from './cert-manager-words.js';
import type { ResourceKindModule } from './kind.js';
import { sub } from './terraform-words.js';

const pems = (files: readonly string[] | undefined): { pemCertificate: FileRef }[] => (files ?? []).map((file) => ({ pemCertificate: { $file: file } }));

/** The files of one list of a trust store (`trustAnchors`, `intermediateCas`). */
function filesOf(store: Record<string, unknown> | undefined, list: string): string[] {
  return objects(store, list).map((e) => e.pemCertificate).filter(isFileRef).map((f) => f.$file);
}

export const trustConfig = {
  kind: 'trustConfig',
  words: 'trust config',
  scopes: { global: true, regional: true },

  build(g) {
    const mtls = g.spec.frontend.tls?.mtls;
    if (!mtls?.trustAnchors || !g.listeners.some((l) => l.protocol === 'HTTPS')) return;
    const store: Record<string, unknown> = { trustAnchors: pems(mtls.trustAnchors) };
    if (mtls.intermediates) store.intermediateCas = pems(mtls.intermediates);
    const name = g.names.trustConfig();
    g.shared.trustConfig = g.add('trustConfig', g.coreScope, name, { trustStores: [store] }, [], 'trust config: the CAs whose client certificates mutual TLS accepts');
  },

  service: certManagerService('trustConfig', 'trustConfigs', ['trustStores']),
  certManager: { collection: 'trustConfigs', referencedAs: 'name', iam: 'certificatemanager.trustconfigs' },
  compare: { immutable: () => new Set(), rotatable: false },
  ownership: { labels: true, description: true },

  gcloud(s, r) {
    const store = objects(r.body, 'trustStores')[0];
    const parts = [`trust-anchors=${filesOf(store, 'trustAnchors').join(';')}`];
    const intermediates = filesOf(store, 'intermediateCas');
    if (intermediates.length > 0) parts.push(`intermediate-cas=${intermediates.join(';')}`);
    s.command(r.project, { head: gcloud('certificate-manager', 'trust-configs', 'create', r.name), flags: [raw(`--trust-store=${shellQuote(parts.join(','))}`), ...certManagerFlags(r)] });
  },
  terraform: {
    resourceType: () => 'google_certificate_manager_trust_config',
    convert(t, r) {
      const store = objects(r.body, 'trustStores')[0];
      const entries = (list: string, block: string): BlockItem[] => filesOf(store, list).map((file) => sub(block, attr('pem_certificate', expr(`file(${hclString(file)})`))));
      return [...certManagerCommon(t, r), sub('trust_stores', [...entries('trustAnchors', 'trust_anchors'), ...entries('intermediateCas', 'intermediate_cas')])];
    },
  },
} satisfies ResourceKindModule;
