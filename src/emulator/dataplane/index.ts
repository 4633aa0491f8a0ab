/**
 * The data plane module: loopback listeners for every forwarding rule and every Cloud Run default
 * URL, the Google-managed certificate lifecycle (Compute Engine and Certificate Manager), and the
 * emulator CA.
 *
 * Emulator endpoints:
 *   GET /_emulator/dataplane  `{listeners: [{address, port, protocol, loopbackHost, loopbackPort,
 *                             forwardingRule, path, scope, loadBalancingScheme}], defaultUrls: [{host,
 *                             loopbackPort, service}], dns: {host, port} | null, caCertificate}`
 *   GET /_emulator/ca.pem     the emulator CA certificate (PEM) that issues managed certificates
 * Options: `options.dataplane` (`false` turns the listeners off; managed certificates still progress)
 * with the extra fields of DataplaneOptions; `options.randomSeed` seeds the weighted backend pick.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { ZoneIndex } from '../dns/dns-model.js';
import { EmulatorCa } from './emulator-ca.js';
import { Listeners } from './listeners.js';
import { ManagedCertificates } from './managed-certs.js';
import type { ManagedCertOptions } from './certificate-provisioner.js';
import { CertManagerCertificates } from './cert-manager-certs.js';

export interface DataplaneOptions extends ManagedCertOptions {
  /** Interface the loopback listeners bind; default 127.0.0.1. */
  host?: string;
  /** Seed of the weighted backend service pick (same seed, same sequence); default: the emulator's randomSeed. */
  randomSeed?: number;
}

/** mulberry32: a small seedable generator, 0 <= x < 1. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const dataplaneModule: EmulatorModule = {
  name: 'dataplane',
  async install(ctx: EmulatorContext) {
    const given: DataplaneOptions | false = (ctx.options.dataplane as DataplaneOptions | false | undefined) ?? {};
    const provisioningMs = ctx.options.certificateProvisioningMs;
    const randomSeed = ctx.options.randomSeed;
    const options: DataplaneOptions | false = given === false ? false : { ...(provisioningMs !== undefined ? { provisioningMs } : {}), ...(randomSeed !== undefined ? { randomSeed } : {}), ...given };
    const ca = await EmulatorCa.create();
    const zones = new ZoneIndex(ctx.store);
    const certs = new ManagedCertificates(ctx.store, ca, () => zones.zones(), options || {});
    const certManager = new CertManagerCertificates(ctx.store, ca, () => zones.zones(), options || {});
    const placeholder = await ca.issue(['no-certificate.emulator.invalid']);
    const listeners =
      options === false
        ? undefined
        : new Listeners(ctx.store, options.host ?? '127.0.0.1', (path, resource) => certs.issuedFor(path, resource), {
            cert: placeholder.chainPem,
            key: placeholder.privateKeyPem,
          }, (proxy) => certManager.servedBy(proxy), seededRandom(options.randomSeed ?? 1));

    ctx.router.add(
      'GET',
      '/_emulator/ca.pem',
      () => ({ status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: ca.certificatePem }),
      { description: 'the emulator CA certificate (PEM): trust it to verify managed certificates', errorStyle: 'rpc' },
    );
    ctx.router.add(
      'GET',
      '/_emulator/dataplane',
      async () => {
        await listeners?.settled();
        const dns = ctx.hosts['dns'];
        const [dnsHost, dnsPort] = dns ? [dns.slice(0, dns.lastIndexOf(':')), Number(dns.slice(dns.lastIndexOf(':') + 1))] : [];
        return {
          status: 200,
          body: {
            listeners: listeners?.lbListeners() ?? [],
            defaultUrls: listeners?.defaultUrls() ?? [],
            dns: dns ? { host: dnsHost, port: dnsPort } : null,
            caCertificate: '/_emulator/ca.pem',
          },
        };
      },
      { description: 'load balancer address:port and Cloud Run default URL host -> loopback port; DNS server', errorStyle: 'rpc' },
    );
    ctx.router.add(
      'POST',
      '/_emulator/dataplane/check-certificates',
      async () => {
        await Promise.all([certs.check(), certManager.check()]);
        return { status: 200, body: {} };
      },
      { description: 'run the managed certificate checks now', errorStyle: 'rpc' },
    );

    ctx.onClose(async () => {
      await certs.close();
      await certManager.close();
      await listeners?.close();
      zones.close();
    });
  },
};
