/**
 * Google-managed SSL certificates (compute sslCertificates of type MANAGED): their status follows
 * DNS and the load balancer, as Google's provisioning does.
 *
 * Contract:
 * - A domain is visible when, through the emulator's public Cloud DNS zones (CNAMEs followed), it
 *   resolves to at least one address and every A and AAAA address it resolves to is the IP of a
 *   forwarding rule whose target HTTPS proxy holds the certificate.
 * - Every domain visible (for `provisioningMs` without a break): the emulator CA issues a certificate for the domains; `managed.status`
 *   and every `managed.domainStatus` become ACTIVE, and `certificate`, `expireTime` and
 *   `subjectAlternativeNames` are filled in. The data plane then serves it.
 * - Otherwise `managed.status` stays PROVISIONING; domains not visible stay PROVISIONING until
 *   `failAfterMs` after the emulator first saw the certificate, then turn FAILED_NOT_VISIBLE (the
 *   others stay PROVISIONING). Fixing DNS later still makes the certificate ACTIVE.
 * - An ACTIVE certificate stays ACTIVE (renewal is not emulated).
 * - Checks run every `checkIntervalMs` and shortly after any change to the store.
 */
import type { JsonObject, ResourceStore } from '../core/store.js';
import { resolveAddresses, type ZoneData } from '../dns/dns-resolver.js';
import type { IssuedCertificate } from './emulator-ca.js';
import { refToPath } from './lb-request.js';
import { CertificateProvisioner } from './certificate-provisioner.js';

const CERT_PATH = /^projects\/[^/]+\/(global|regions\/[^/]+)\/sslCertificates\/[^/]+$/;
const FR_PATH = /^projects\/[^/]+\/(global|regions\/[^/]+)\/forwardingRules\/[^/]+$/;

/** IPs of the forwarding rules whose target HTTPS proxy holds the certificate at `certPath`. */
export function frontendIps(store: ResourceStore, certPath: string): Set<string> {
  const ips = new Set<string>();
  const proxies = new Map<string, boolean>();
  for (const [path, value] of store.entries()) {
    if (!FR_PATH.test(path)) continue;
    const fr = value as JsonObject;
    const proxyPath = refToPath(fr['target']);
    if (!proxyPath || !proxyPath.includes('/targetHttpsProxies/')) continue;
    let holds = proxies.get(proxyPath);
    if (holds === undefined) {
      const proxy = store.get<JsonObject>(proxyPath);
      holds = ((proxy?.['sslCertificates'] as string[] | undefined) ?? []).some((c) => refToPath(c) === certPath);
      proxies.set(proxyPath, holds);
    }
    if (holds && typeof fr['IPAddress'] === 'string') ips.add(fr['IPAddress']);
  }
  return ips;
}

export function domainVisible(zones: ZoneData[], domain: string, ips: Set<string>): boolean {
  const a = resolveAddresses(zones, domain, 'A');
  const aaaa = resolveAddresses(zones, domain, 'AAAA');
  if (a === undefined && aaaa === undefined) return false;
  const all = [...(a ?? []), ...(aaaa ?? [])];
  return all.length > 0 && all.every((ip) => ips.has(ip));
}

export class ManagedCertificates extends CertificateProvisioner<{ id: string; cert: IssuedCertificate }> {
  /** The certificate issued for an ACTIVE managed certificate (same resource id), if any. */
  issuedFor(path: string, resource: JsonObject): IssuedCertificate | undefined {
    const entry = this.issued.get(path);
    return entry && entry.id === String(resource['id']) ? entry.cert : undefined;
  }

  protected provisions(path: string, resource: JsonObject): boolean {
    return CERT_PATH.test(path) && resource['type'] === 'MANAGED';
  }

  protected async provision(path: string, cert: JsonObject, zones: ZoneData[], now: number): Promise<void> {
    const managed = (cert['managed'] as JsonObject | undefined) ?? {};
    const domains = ((managed['domains'] as string[] | undefined) ?? []).map((d) => d.toLowerCase());
    if (domains.length === 0) return;
    this.noteSeen(path, now);
    if (managed['status'] === 'ACTIVE') return;
    const ips = frontendIps(this.store, path);
    const visible = domains.map((d) => ips.size > 0 && domainVisible(zones, d, ips));
    if (this.provisioned(path, visible.every(Boolean), now)) {
      const issued = await this.ca.issue(domains);
      const latest = this.store.get<JsonObject>(path);
      if (!latest || String(latest['id']) !== String(cert['id'])) return;
      this.issued.set(path, { id: String(cert['id']), cert: issued });
      this.store.put(path, {
        ...latest,
        certificate: issued.chainPem,
        expireTime: issued.notAfter.toISOString(),
        subjectAlternativeNames: domains,
        managed: { ...managed, status: 'ACTIVE', domainStatus: Object.fromEntries(domains.map((d) => [d, 'ACTIVE'])) },
      });
      return;
    }
    const failed = this.failing(path, now) && !visible.every(Boolean);
    const domainStatus = Object.fromEntries(domains.map((d, i) => [d, visible[i] || !failed ? 'PROVISIONING' : 'FAILED_NOT_VISIBLE']));
    const next = { ...managed, status: 'PROVISIONING', domainStatus };
    if (JSON.stringify(next) !== JSON.stringify(managed)) this.store.put(path, { ...cert, managed: next });
  }
}
