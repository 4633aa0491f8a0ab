/**
 * `certManagerCertificate`: the load balancer's Certificate Manager certificate, when
 * `certificate.service` is certificate-manager (derive.ts certificateService): Google-managed with
 * DNS authorization (the dnsAuthorization resources of its domains), or self-managed from PEM
 * files (the private key a SecretRef, read only at apply time).
 *
 * Global for the global types (served through the certificate map), in the region for the
 * regional types, global with scope ALL_REGIONS for cross-region internal (both referenced by the
 * HTTPS proxy in `sslCertificates`). Only labels and description change in place: another domain
 * list or key is a new certificate under the alternate name, the map entries and proxies moved
 * to it, then the old one deleted.
 */
import { attr, expr, hclString, type BlockItem } from '../model/hcl.js';
import { certificateService, certManagerLocation, dnsAuthorizationDomains, managedCertificateDomains } from '../spec/derive.js';
import { isFileRef, isSecretRef, type SecretRef } from '../model/resource-model.js';
import { obj, str, strings } from '../model/body.js';
import { certManagerName } from './cert-manager-ref.js';
import { certManagerService, scopeOfLocation } from './cert-manager-service.js';
import { certManagerCommon, certManagerFlags } from './cert-manager-words.js';
import { flag, gcloud, raw, wordText, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { sub } from './terraform-words.js';

export const certManagerCertificate = {
  kind: 'certManagerCertificate',
  words: 'Certificate Manager certificate',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec, shared } = g;
    const cert = spec.certificate;
    if ((cert?.type !== 'managed' && cert?.type !== 'self-managed') || certificateService(spec) !== 'certificate-manager') return;
    if (!g.listeners.some((l) => l.protocol === 'HTTPS')) return;
    const location = certManagerLocation(spec);
    const scope = scopeOfLocation(location);
    const name = g.names.certificate();
    const body: Record<string, unknown> = {};
    const deps: string[] = [];
    if (cert.type === 'managed') {
      const domains = managedCertificateDomains(spec);
      const authorizations = dnsAuthorizationDomains(domains).map((d) => shared.dnsAuthorizations.get(d)!);
      body.managed = { domains, dnsAuthorizations: authorizations.map((a) => certManagerName(g.path(a))) };
      deps.push(...authorizations.map((a) => a.id));
    } else {
      const pemPrivateKey: SecretRef = { $secret: { file: cert.privateKeyFile, what: `private key of certificate ${name}` } };
      body.selfManaged = { pemCertificate: { $file: cert.certificateFile }, pemPrivateKey };
    }
    if (spec.type === 'cross-region-internal') body.scope = 'ALL_REGIONS';
    const purpose = cert.type === 'managed' ? 'Google-managed certificate (DNS authorization) for the HTTPS proxy' : 'self-managed certificate for the HTTPS proxy';
    const resource = g.add('certManagerCertificate', scope, name, body, deps, purpose);
    if (location === 'global' && spec.type !== 'cross-region-internal') {
      shared.certManagerCertificate = resource;
    } else {
      shared.sslCertificateRefs.push(g.path(resource));
      shared.certificateDeps.push(resource.id);
    }
  },

  service: certManagerService('certManagerCertificate', 'certificates', []),
  certManager: { collection: 'certificates', referencedAs: 'service', iam: 'certificatemanager.certs' },
  compare: {
    immutable: () => new Set(['managed', 'selfManaged', 'scope']),
    rotatable: true,
    // A Google-managed certificate serves once ACTIVE; a self-managed one as soon as it exists.
    serving: (body) => {
      const managed = body.managed as { state?: unknown } | undefined;
      return !managed || String(managed.state ?? '') === 'ACTIVE';
    },
  },
  ownership: { labels: true, description: true },
  existingKey: 'certificate (type: certificate-manager, certificates)',
  verify: { dataPath: true },

  gcloud(s, r) {
    const b = r.body;
    const flags: Word[] = [];
    const managed = obj(b, 'managed');
    const selfManaged = obj(b, 'selfManaged');
    if (managed) {
      flags.push(flag('domains', strings(managed, 'domains').join(',')));
      const authorizations = strings(managed, 'dnsAuthorizations').map((a) => s.refName(a));
      if (authorizations.length > 0) flags.push(flag('dns-authorizations', authorizations.join(',')));
    } else if (selfManaged) {
      const pem = selfManaged.pemCertificate;
      const key = selfManaged.pemPrivateKey;
      if (!isFileRef(pem) || !isSecretRef(key)) throw new Error(`${r.id}: a self-managed certificate needs a certificate file and a private key reference`);
      flags.push(flag('certificate-file', pem.$file), raw(`--private-key-file=${wordText(s.secretFile(key))}`));
    }
    const scope = str(b, 'scope');
    if (scope) flags.push(flag('scope', scope.toLowerCase().replace(/_/g, '-')));
    s.command(r.project, { head: gcloud('certificate-manager', 'certificates', 'create', r.name), flags: [...flags, ...certManagerFlags(r)] });
  },
  terraform: {
    resourceType: () => 'google_certificate_manager_certificate',
    convert(t, r) {
      const b = r.body;
      const items: BlockItem[] = [...certManagerCommon(t, r), ...attr('scope', str(b, 'scope'))];
      const managed = obj(b, 'managed');
      const selfManaged = obj(b, 'selfManaged');
      if (managed) {
        items.push(sub('managed', [...attr('domains', strings(managed, 'domains')), ...attr('dns_authorizations', strings(managed, 'dnsAuthorizations').map((a) => t.ref(a)))]));
      } else if (selfManaged) {
        const pem = selfManaged.pemCertificate;
        const key = selfManaged.pemPrivateKey;
        if (!isFileRef(pem) || !isSecretRef(key)) throw new Error(`${r.id}: a self-managed certificate needs a certificate file and a private key reference`);
        const { file, env } = key.$secret;
        const keyValue = file !== undefined && env === undefined ? expr(`file(${hclString(file)})`) : t.secretVariable(key, 'tls_private_key');
        items.push(sub('self_managed', [...attr('pem_certificate', expr(`file(${hclString(pem.$file)})`)), ...attr('pem_private_key', keyValue)]));
      }
      return items;
    },
  },
  quotaMetrics: () => [],
} satisfies ResourceKindModule;
