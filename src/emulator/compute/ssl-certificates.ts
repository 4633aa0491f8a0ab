/**
 * sslCertificates (global) and regionSslCertificates.
 *
 * SELF_MANAGED (default when a certificate is given): `certificate` (PEM chain) and `privateKey`
 * (also accepted under `selfManaged`) are required; the leaf is parsed with node:crypto X509Certificate
 * to fill `expireTime` and `subjectAlternativeNames`; a key that does not match the certificate, or a
 * PEM that does not parse, is 400 invalid. The private key is kept for the data plane and never returned.
 * MANAGED (global only): `managed.domains` (1-100, no wildcards, trailing dots dropped) start with
 * status PROVISIONING and domainStatus PROVISIONING per domain; the data plane moves them on.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec } from './engine.js';
import { invalidField, required } from './errors.js';
import { asObject, asString, checkEnum } from './fields.js';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function firstPem(chain: string): string | undefined {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chain);
  return m?.[0];
}

export function parseSelfManaged(certificate: string, privateKey: string): { expireTime: string; sans: string[] } {
  const pem = firstPem(certificate);
  if (!pem) throw invalidField('resource.certificate', '[certificate]', 'The SSL certificate could not be parsed: no PEM certificate found.');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch {
    throw invalidField('resource.certificate', '[certificate]', 'The SSL certificate could not be parsed.');
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw invalidField('resource.privateKey', '[redacted]', 'The SSL key could not be parsed.');
  }
  if (!x509.checkPrivateKey(key)) {
    throw invalidField('resource.privateKey', '[redacted]', 'The SSL key does not match the certificate.');
  }
  const sans = (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  return { expireTime: new Date(x509.validTo).toISOString(), sans };
}

function buildCertificate(b: BuildContext, global: boolean): JsonObject {
  const body = b.body;
  const selfManaged = asObject(body['selfManaged']);
  const certificate = asString(body['certificate']) ?? asString(selfManaged['certificate']);
  const privateKey = asString(body['privateKey']) ?? asString(selfManaged['privateKey']);
  const type = checkEnum(body['type'], ['SELF_MANAGED', 'MANAGED'] as const, 'resource.type', body['managed'] !== undefined && certificate === undefined ? 'MANAGED' : 'SELF_MANAGED')!;
  const out: JsonObject = {};
  if (body['description'] !== undefined) out['description'] = String(body['description']);
  if (type === 'MANAGED') {
    if (!global) throw invalidField('resource.type', 'MANAGED', 'Google-managed SSL certificates are only supported as global resources.');
    if (certificate !== undefined || privateKey !== undefined) throw invalidField('resource.certificate', '[certificate]', 'A MANAGED certificate takes no certificate or private key.');
    const domains = asObject(body['managed'])['domains'];
    if (!Array.isArray(domains) || domains.length === 0) throw required('resource.managed.domains');
    if (domains.length > 100) throw invalidField('resource.managed.domains', domains.length, 'A managed certificate can have at most 100 domains.');
    const clean = domains.map((d, i) => {
      const s = String(d).toLowerCase().replace(/\.$/, '');
      if (s.includes('*')) throw invalidField(`resource.managed.domains[${i}]`, d, 'Wildcard domains are not supported by Google-managed certificates.');
      if (!DOMAIN.test(s)) throw invalidField(`resource.managed.domains[${i}]`, d, 'Invalid domain name.');
      return s;
    });
    if (new Set(clean).size !== clean.length) throw invalidField('resource.managed.domains', clean.join(','), 'Domains must be unique.');
    out['managed'] = {
      domainStatus: Object.fromEntries(clean.map((d) => [d, 'PROVISIONING'])),
      domains: clean,
      status: 'PROVISIONING',
    };
    out['type'] = 'MANAGED';
    return out;
  }
  if (!certificate) throw required('resource.certificate');
  if (!privateKey) throw required('resource.privateKey');
  const { expireTime, sans } = parseSelfManaged(certificate, privateKey);
  out['certificate'] = certificate;
  out['expireTime'] = expireTime;
  out['privateKey'] = privateKey;
  out['selfManaged'] = { certificate };
  if (sans.length) out['subjectAlternativeNames'] = sans;
  out['type'] = 'SELF_MANAGED';
  return out;
}

export const sslCertificateSpec: KindSpec = {
  collection: 'sslCertificates',
  kind: 'compute#sslCertificate',
  snake: 'ssl_certificate',
  scope: 'global',
  build: (b) => buildCertificate(b, true),
};

export const regionSslCertificateSpec: KindSpec = {
  ...sslCertificateSpec,
  scope: 'regional',
  build: (b) => buildCertificate(b, false),
};
