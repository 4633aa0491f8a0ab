/**
 * `sslCertificate`: the Compute Engine certificate of the HTTPS proxy: Google-managed (global),
 * self-managed from files (the private key a SecretRef, read only at apply time), or existing
 * ones the user named, when `certificate.service` is compute (derive.ts certificateService).
 * Certificate Manager certificates and maps are other kinds (cert-manager-certificate.ts,
 * certificate-map.ts); existing ones the user named are referenced by their path (left in the
 * graph's shared certificate references here).
 * Nothing of a certificate changes in place: a new one is made under the alternate name.
 */
import { certificateService, isRegionalType, managedCertificateDomains } from '../spec/derive.js';
import { CERT_MANAGER_PREFIX } from './cert-manager-ref.js';
import { attr, expr, hclString } from '../model/hcl.js';
import type { SecretRef } from '../model/resource-model.js';
import { obj, str, strings } from '../model/body.js';
import { descriptionFlag, flag, gcloud, raw, scopeFlag, wordText, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { common, sub } from './terraform-words.js';
import { isFileRef, isSecretRef } from '../model/resource-model.js';

export { CERT_MANAGER_PREFIX };

/** `projects/P/locations/L/certificates/N` -> `//certificatemanager.googleapis.com/projects/...`; short names get the project and location. */
function certManagerRef(project: string, location: string, collection: 'certificates' | 'certificateMaps', value: string): string {
  if (value.startsWith('//')) return value;
  if (value.startsWith('https://certificatemanager.googleapis.com/v1/')) {
    return CERT_MANAGER_PREFIX + value.slice('https://certificatemanager.googleapis.com/v1/'.length);
  }
  if (value.startsWith('projects/')) return CERT_MANAGER_PREFIX + value;
  return `${CERT_MANAGER_PREFIX}projects/${project}/locations/${location}/${collection}/${value}`;
}

const isManaged = (body: Record<string, unknown>): boolean => str(body, 'type') === 'MANAGED' || obj(body, 'managed') !== undefined;

export const sslCertificate = {
  kind: 'sslCertificate',
  words: 'SSL certificate',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec, names, shared, project } = g;
    const cert = spec.certificate;
    if (!cert || !g.listeners.some((l) => l.protocol === 'HTTPS')) return;
    const attach = (r: ReturnType<typeof g.add>): void => {
      shared.sslCertificateRefs.push(g.path(r));
      shared.certificateDeps.push(r.id);
    };
    switch (cert.type) {
      case 'managed': {
        if (certificateService(spec) === 'certificate-manager') break;
        const name = names.certificate();
        attach(g.add('sslCertificate', 'global', name, { name, type: 'MANAGED', managed: { domains: managedCertificateDomains(spec) } }, [], 'Google-managed certificate for the HTTPS proxy'));
        break;
      }
      case 'self-managed': {
        if (certificateService(spec) === 'certificate-manager') break;
        const name = names.certificate();
        const privateKey: SecretRef = { $secret: { file: cert.privateKeyFile, what: `private key of certificate ${name}` } };
        attach(g.add('sslCertificate', g.coreScope, name, { name, certificate: { $file: cert.certificateFile }, privateKey }, [], 'self-managed certificate for the HTTPS proxy'));
        break;
      }
      case 'existing':
        for (const name of cert.names) attach(g.add('sslCertificate', g.coreScope, name, { name }, [], 'existing SSL certificate', { managed: false }));
        break;
      case 'certificate-manager': {
        const location = isRegionalType(spec.type) ? (spec.region ?? spec.regions?.[0])! : 'global';
        for (const c of cert.certificates ?? []) shared.sslCertificateRefs.push(certManagerRef(project, location, 'certificates', c));
        if (cert.certificateMap !== undefined) shared.certificateMap = certManagerRef(project, 'global', 'certificateMaps', cert.certificateMap);
        break;
      }
    }
  },

  compute: {
    collection: 'sslCertificates',
    clients: { global: 'SslCertificatesClient', regional: 'RegionSslCertificatesClient' },
    fingerprinted: false,
  },
  compare: {
    immutable: () => 'all',
    rotatable: true,
    // A Google-managed certificate serves once ACTIVE; a self-managed one as soon as it exists.
    serving: (body) => !isManaged(body) || String((body.managed as { status?: unknown } | undefined)?.status ?? '') === 'ACTIVE',
  },
  ownership: { labels: false, description: true },
  existingKey: 'certificate (type: existing, names)',

  gcloud(s, r) {
    const b = r.body;
    const flags: Word[] = [];
    if (isManaged(b)) {
      flags.push(flag('domains', strings(obj(b, 'managed'), 'domains').join(',')));
    } else {
      const certificate = b.certificate;
      const privateKey = b.privateKey;
      if (isFileRef(certificate)) flags.push(flag('certificate', certificate.$file));
      else if (typeof certificate === 'string') {
        throw new Error(`${r.id}: the certificate must be a file reference, not inline PEM`);
      }
      if (isSecretRef(privateKey)) flags.push(raw(`--private-key=${wordText(s.secretFile(privateKey))}`));
      else if (privateKey !== undefined) throw new Error(`${r.id}: the private key must be a secret reference`);
    }
    flags.push(scopeFlag(r), ...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'ssl-certificates', 'create', r.name), flags });
  },
  terraform: {
    resourceType(r) {
      if (isManaged(r.body)) return 'google_compute_managed_ssl_certificate';
      return r.scope === 'global' ? 'google_compute_ssl_certificate' : 'google_compute_region_ssl_certificate';
    },
    dataSource: (global) => (global ? 'google_compute_ssl_certificate' : 'google_compute_region_ssl_certificate'),
    convert(t, r) {
      const b = r.body;
      if (isManaged(b)) return [...common(t, r), sub('managed', attr('domains', strings(obj(b, 'managed'), 'domains')))];
      const items = common(t, r);
      const certificate = b.certificate;
      if (isFileRef(certificate)) items.push(...attr('certificate', expr(`file(${hclString(certificate.$file)})`)));
      else if (certificate !== undefined) throw new Error(`${r.id}: the certificate must be a file reference, not inline PEM`);
      const privateKey = b.privateKey;
      if (isSecretRef(privateKey)) {
        const { file, env } = privateKey.$secret;
        if (file !== undefined && env === undefined) items.push(...attr('private_key', expr(`file(${hclString(file)})`)));
        else items.push(...attr('private_key', t.secretVariable(privateKey, 'tls_private_key')));
      } else if (privateKey !== undefined) {
        throw new Error(`${r.id}: the private key must be a secret reference`);
      }
      return items;
    },
  },
  quotaMetrics: () => ['SSL_CERTIFICATES'],
} satisfies ResourceKindModule;
