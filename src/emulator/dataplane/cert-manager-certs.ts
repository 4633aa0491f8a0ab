/**
 * Google-managed Certificate Manager certificates: their state follows their DNS authorizations,
 * as Google's provisioning does, and the data plane serves them (and self-managed ones).
 *
 * Contract:
 * - A domain is authorized when the CNAME record its DNS authorization asks for
 *   (`dnsResourceRecord`) exists in the emulator's Cloud DNS zones (public or private) with that
 *   target. Load balancer authorization (no DNS authorizations) is not emulated: such a
 *   certificate stays PROVISIONING.
 * - Every domain authorized: the emulator CA issues a certificate for the domains (wildcards
 *   included); `managed.state` becomes ACTIVE, each `authorizationAttemptInfo` AUTHORIZED, and
 *   `pemCertificate`, `sanDnsnames` and `expireTime` are filled in.
 * - Otherwise the state stays PROVISIONING, the attempts AUTHORIZING, until `failAfterMs` after
 *   the emulator first saw the certificate; then the attempts of unauthorized domains are FAILED
 *   (failureReason CONFIG, with details naming the missing record) and `provisioningIssue` says
 *   AUTHORIZATION_ISSUE; the state stays PROVISIONING (Google keeps retrying). Adding the record
 *   later still makes the certificate ACTIVE. An ACTIVE certificate stays ACTIVE.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../core/store.js';
import { fqdn, resolveName, type ZoneData } from '../dns/dns-resolver.js';
import type { IssuedCertificate } from './emulator-ca.js';
import { certificateDomains } from './emulator-ca.js';
import { privateKeyPath } from '../certmanager/cert-manager-api.js';
import { CertificateProvisioner } from './certificate-provisioner.js';

const CERT_PATH = /^projects\/[^/]+\/locations\/[^/]+\/certificates\/[^/]+$/;
const PREFIX = '//certificatemanager.googleapis.com/';

/** What a TLS listener needs of a certificate. */
export interface ServedCertificate {
  id: string;
  cert: string;
  key: string;
  domains: string[];
}

/** What an issued certificate was issued for: a certificate made again for other domains is issued again. */
function issueKey(cert: JsonObject): string {
  const managed = (cert['managed'] as JsonObject | undefined) ?? {};
  return JSON.stringify([managed['domains'], managed['dnsAuthorizations']]);
}

/** Whether `_acme-challenge` of a DNS authorization resolves to the target it asks for. */
function authorized(zones: ZoneData[], authorization: JsonObject | undefined): boolean {
  const record = authorization?.['dnsResourceRecord'] as JsonObject | undefined;
  if (!record || typeof record['name'] !== 'string' || typeof record['data'] !== 'string') return false;
  const res = resolveName(zones, record['name'], 'CNAME', { includePrivate: true });
  return res.answers.some((a) => a.type === 'CNAME' && a.rrdatas.some((d) => fqdn(d) === fqdn(String(record['data']))));
}

export class CertManagerCertificates extends CertificateProvisioner<{ key: string; cert: IssuedCertificate }> {
  /** The certificates a target HTTPS proxy serves from Certificate Manager: its `sslCertificates` of Certificate Manager, or its map's (primary first). */
  servedBy(proxy: JsonObject | undefined): ServedCertificate[] {
    const paths: string[] = [];
    for (const ref of (proxy?.['sslCertificates'] as string[] | undefined) ?? []) if (ref.startsWith(PREFIX)) paths.push(ref.slice(PREFIX.length));
    const map = proxy?.['certificateMap'];
    if (typeof map === 'string' && map.startsWith(PREFIX)) {
      const entries = this.store.list<JsonObject>(`${map.slice(PREFIX.length)}/certificateMapEntries`).map(([, e]) => e);
      entries.sort((a, b) => Number(b['matcher'] === 'PRIMARY') - Number(a['matcher'] === 'PRIMARY'));
      for (const e of entries) for (const c of (e['certificates'] as string[] | undefined) ?? []) if (!paths.includes(c)) paths.push(c);
    }
    const out: ServedCertificate[] = [];
    for (const path of paths) {
      const cert = this.store.get<JsonObject>(path);
      if (!cert) continue;
      if (cert['managed']) {
        const issued = this.issued.get(path);
        if (issued && issued.key === issueKey(cert)) out.push({ id: `${path}#${createHash('sha256').update(issued.cert.chainPem).digest('hex')}`, cert: issued.cert.chainPem, key: issued.cert.privateKeyPem, domains: issued.cert.domains });
        continue;
      }
      const key = this.store.get<JsonObject>(privateKeyPath(path))?.['pem'];
      const pem = cert['pemCertificate'];
      if (typeof pem !== 'string' || typeof key !== 'string') continue;
      let domains: string[];
      try {
        domains = certificateDomains(pem);
      } catch {
        continue;
      }
      out.push({ id: `${path}#${createHash('sha256').update(pem).update(key).digest('hex')}`, cert: pem, key, domains });
    }
    return out;
  }

  protected provisions(path: string, resource: JsonObject): boolean {
    return CERT_PATH.test(path) && resource['managed'] !== undefined;
  }

  protected async provision(path: string, cert: JsonObject, zones: ZoneData[], now: number): Promise<void> {
    const managed = cert['managed'] as JsonObject;
    this.noteSeen(path, now);
    if (managed['state'] === 'ACTIVE' && this.issued.get(path)?.key === issueKey(cert)) return;
    const domains = ((managed['domains'] as string[] | undefined) ?? []).map((d) => d.toLowerCase());
    const authorizations = ((managed['dnsAuthorizations'] as string[] | undefined) ?? []).map((a) => this.store.get<JsonObject>(a));
    const ok = domains.map((d) => {
      const base = d.replace(/^\*\./, '');
      const auth = authorizations.find((a) => a?.['domain'] === base);
      return { domain: d, ok: authorized(zones, auth), record: (auth?.['dnsResourceRecord'] as JsonObject | undefined) };
    });
    if (this.provisioned(path, domains.length > 0 && ok.every((o) => o.ok), now)) {
      const issued = await this.ca.issue(domains);
      const latest = this.store.get<JsonObject>(path);
      if (!latest || issueKey(latest) !== issueKey(cert)) return;
      this.issued.set(path, { key: issueKey(cert), cert: issued });
      const { provisioningIssue: _issue, ...rest } = latest['managed'] as JsonObject;
      this.store.put(path, {
        ...latest,
        managed: { ...rest, state: 'ACTIVE', authorizationAttemptInfo: domains.map((domain) => ({ domain, state: 'AUTHORIZED' })) },
        pemCertificate: issued.chainPem,
        sanDnsnames: domains,
        expireTime: issued.notAfter.toISOString(),
      });
      return;
    }
    const failed = this.failing(path, now);
    const attempts = ok.map((o): JsonObject =>
      o.ok || !failed
        ? { domain: o.domain, state: o.ok ? 'AUTHORIZED' : 'AUTHORIZING' }
        : { domain: o.domain, state: 'FAILED', failureReason: 'CONFIG', details: o.record ? `CNAME record ${String(o.record['name'])} -> ${String(o.record['data'])} not found in DNS` : 'no DNS authorization covers this domain' },
    );
    const next: JsonObject = { ...managed, state: 'PROVISIONING', authorizationAttemptInfo: attempts };
    if (failed && attempts.some((a) => a.state === 'FAILED')) next['provisioningIssue'] = { reason: 'AUTHORIZATION_ISSUE', details: 'Authorization of one or more domains failed: see authorizationAttemptInfo' };
    else delete next['provisioningIssue'];
    if (JSON.stringify(next) !== JSON.stringify(managed)) this.store.put(path, { ...cert, managed: next });
  }
}
