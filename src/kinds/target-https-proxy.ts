/**
 * `targetHttpsProxy`: terminates TLS for the HTTPS listener, pointing at the URL map and carrying
 * the certificates (Compute certificates and Certificate Manager certificates in `sslCertificates`,
 * or a certificate map on global proxies).
 */
import { attr, expr, Expr } from '../model/hcl.js';
import type { HclValue } from '../model/hcl.js';
import { num, str, strings } from '../model/body.js';
import { CERT_MANAGER_PREFIX, parseCertManagerRef } from './cert-manager-ref.js';
import { descriptionFlag, flag, gcloud, scopeFlag, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { keepAliveOf, updateTargetProxy } from './target-proxy-shared.js';
import { common } from './terraform-words.js';

/**
 * The certificates a live proxy is moved to only as they come to serve: a certificate map that
 * does not serve yet is not switched to (the proxy keeps what it serves with); certificates that do
 * not serve yet are held first, with those that serve now after them (Google picks by SNI, and
 * provisions a managed certificate only once a proxy holds it), and the map that serves now is kept.
 * A new proxy (nothing observed) gets the desired certificates as they are.
 */
function holdCertificates(desired: Record<string, unknown>, observed: Record<string, unknown> | undefined, serving: (ref: string) => boolean): { body: Record<string, unknown>; waitsFor: string[] } {
  if (!observed) return { body: desired, waitsFor: [] };
  const currentCerts = strings(observed, 'sslCertificates').filter(serving);
  const currentMap = str(observed, 'certificateMap');
  const servesNow = currentCerts.length > 0 || (currentMap !== undefined && currentMap !== '' && serving(currentMap));
  if (!servesNow) return { body: desired, waitsFor: [] };
  const map = str(desired, 'certificateMap');
  if (map !== undefined && map !== '' && !serving(map)) {
    const body: Record<string, unknown> = { ...desired, sslCertificates: strings(observed, 'sslCertificates') };
    if (currentMap) body.certificateMap = currentMap;
    else delete body.certificateMap;
    return { body, waitsFor: [map] };
  }
  const wanted = strings(desired, 'sslCertificates');
  const waitsFor = wanted.filter((c) => !serving(c));
  if (waitsFor.length === 0) return { body: desired, waitsFor: [] };
  const same = (a: string, b: string) => a.split('/').slice(-3).join('/') === b.split('/').slice(-3).join('/');
  const body: Record<string, unknown> = { ...desired, sslCertificates: [...wanted, ...currentCerts.filter((c) => !wanted.some((w) => same(w, c)))] };
  if (map === undefined && currentMap) body.certificateMap = currentMap;
  return { body, waitsFor };
}

export const targetHttpsProxy = {
  kind: 'targetHttpsProxy',
  words: 'target HTTPS proxy',
  scopes: { global: true, regional: true },

  build(g) {
    const { shared } = g;
    const keepAlive = keepAliveOf(g.spec);
    for (const l of g.listeners) {
      if (l.protocol !== 'HTTPS') continue;
      const name = g.names.httpsProxy();
      const body: Record<string, unknown> = { name, urlMap: g.path(shared.urlMap!) };
      if (shared.sslCertificateRefs.length > 0) body.sslCertificates = shared.sslCertificateRefs;
      if (shared.certificateMap !== undefined) body.certificateMap = shared.certificateMap;
      if (keepAlive !== undefined) body.httpKeepAliveTimeoutSec = keepAlive;
      const tls = g.spec.frontend.tls;
      if (shared.sslPolicy) body.sslPolicy = g.path(shared.sslPolicy);
      if (shared.serverTlsPolicy) body.serverTlsPolicy = g.path(shared.serverTlsPolicy);
      if (tls?.http3 !== undefined) body.quicOverride = tls.http3 ? 'ENABLE' : 'DISABLE';
      if (tls?.earlyData !== undefined) body.tlsEarlyData = tls.earlyData;
      const deps = [shared.urlMap!.id, ...shared.certificateDeps, ...[shared.sslPolicy, shared.serverTlsPolicy].filter((r) => r !== undefined).map((r) => r.id)];
      shared.proxies.set(l, g.add('targetHttpsProxy', g.coreScope, name, body, deps, 'HTTPS proxy: terminates TLS'));
    }
  },

  compute: {
    collection: 'targetHttpsProxies',
    clients: { global: 'TargetHttpsProxiesClient', regional: 'RegionTargetHttpsProxiesClient' },
    fingerprinted: true,
    update: (u) => updateTargetProxy(u, 'targetHttpsProxy'),
  },
  compare: {
    immutable: () => new Set(),
    implicit: { sslCertificates: [], certificateMap: undefined, sslPolicy: undefined, serverTlsPolicy: undefined, quicOverride: 'NONE', tlsEarlyData: 'DISABLED' },
    // Regional proxies carry no quicOverride, and older ones no tlsEarlyData: absent is the default.
    normalize: (key, value) => (value === undefined && key === 'quicOverride' ? 'NONE' : value === undefined && key === 'tlsEarlyData' ? 'DISABLED' : value),
    rotatable: true,
    hold: holdCertificates,
  },
  plan: {
    // Mutual TLS put on a live listener: clients without a certificate may be refused from then on.
    disruption(step) {
      const attached = step.action === 'update' && step.changes.some((c) => c.field === 'serverTlsPolicy' && typeof c.to === 'string' && c.to !== '' && !c.from);
      return attached ? `mutual TLS is turned on for ${step.name}: with REJECT_INVALID, clients without a certificate the trust config's CAs issued are refused from then on` : undefined;
    },
  },
  // Unmarked (made by hand, then imported): recognised by the labelled forwarding rule that uses it.
  ownership: { labels: false, description: true, heldBy: ['forwardingRule'] },
  verify: { dataPath: true },

  gcloud(s, r) {
    const b = r.body;
    const flags: Word[] = [];
    const urlMap = str(b, 'urlMap');
    if (urlMap) flags.push(flag('url-map', s.refName(urlMap)));
    const compute: string[] = [];
    const certManager: string[] = [];
    for (const cert of strings(b, 'sslCertificates')) {
      const cm = parseCertManagerRef(cert);
      if (cm) certManager.push(cm.name);
      else compute.push(s.refName(cert));
    }
    if (compute.length > 0) flags.push(flag('ssl-certificates', compute.join(',')));
    if (certManager.length > 0) flags.push(flag('certificate-manager-certificates', certManager.join(',')));
    const map = str(b, 'certificateMap');
    if (map) flags.push(flag('certificate-map', parseCertManagerRef(map)?.name ?? map));
    const keepAlive = num(b, 'httpKeepAliveTimeoutSec');
    if (keepAlive !== undefined) flags.push(flag('http-keep-alive-timeout-sec', keepAlive));
    const policy = str(b, 'sslPolicy');
    if (policy) flags.push(flag('ssl-policy', s.refName(policy)));
    const serverTls = str(b, 'serverTlsPolicy');
    // gcloud takes the policy's resource name (projects/P/locations/L/serverTlsPolicies/N); the
    // `//networksecurity.googleapis.com/` form the API uses is silently dropped by it.
    if (serverTls) flags.push(flag('server-tls-policy', serverTls.replace(/^\/\/networksecurity\.googleapis\.com\//, '')));
    const quic = str(b, 'quicOverride');
    if (quic && quic !== 'NONE') flags.push(flag('quic-override', quic));
    const earlyData = str(b, 'tlsEarlyData');
    if (earlyData && earlyData !== 'DISABLED') flags.push(flag('tls-early-data', earlyData));
    flags.push(scopeFlag(r), ...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'target-https-proxies', 'create', r.name), flags });
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_target_https_proxy' : 'google_compute_region_target_https_proxy'),
    convert(t, r) {
      const b = r.body;
      const urlMap = str(b, 'urlMap');
      const compute: HclValue[] = [];
      const certManager: HclValue[] = [];
      for (const cert of strings(b, 'sslCertificates')) {
        if (!parseCertManagerRef(cert)) compute.push(t.ref(cert));
        // One of this configuration's certificates by reference, an existing one by its path.
        else certManager.push(t.resolve(cert)?.resource ? t.ref(cert) : cert);
      }
      const map = str(b, 'certificateMap');
      const mapRef = map !== undefined && t.resolve(map)?.resource ? t.ref(map) : undefined;
      return [
        ...common(t, r),
        ...attr('url_map', urlMap ? t.ref(urlMap) : undefined),
        ...(compute.length > 0 ? attr('ssl_certificates', compute) : []),
        ...(certManager.length > 0 ? attr('certificate_manager_certificates', certManager) : []),
        ...attr('certificate_map', mapRef instanceof Expr ? expr(`"${CERT_MANAGER_PREFIX}\${${mapRef.text}}"`) : map),
        ...attr('http_keep_alive_timeout_sec', num(b, 'httpKeepAliveTimeoutSec')),
        ...attr('ssl_policy', str(b, 'sslPolicy') ? t.ref(str(b, 'sslPolicy')!) : undefined),
        ...attr('server_tls_policy', str(b, 'serverTlsPolicy') ? t.ref(str(b, 'serverTlsPolicy')!) : undefined),
        ...attr('quic_override', str(b, 'quicOverride')),
        ...attr('tls_early_data', str(b, 'tlsEarlyData')),
      ];
    },
  },
  quotaMetrics: () => ['TARGET_HTTPS_PROXIES'],
} satisfies ResourceKindModule;
