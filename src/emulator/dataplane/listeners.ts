/**
 * The loopback listeners of the data plane, kept in step with the store:
 * - one per forwarding rule whose target is a target HTTP or HTTPS proxy (HTTP, or HTTPS with the
 *   proxy's certificates chosen by SNI), on an ephemeral port of the data plane host;
 * - one per Cloud Run service, serving its default URL (`uri`, `urls` and tag URLs) over HTTP.
 * Listeners are opened when the resource appears, closed when it goes, all closed by `close()`.
 * Requests are served from the store as it is at request time (URL map or certificate changes need
 * no new listener).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { createHash, X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { JsonObject, ResourceStore } from '../core/store.js';
import { parseServiceName, runUrls } from '../run/run-model.js';
import { certificateDomains, certificateNameMatches, type IssuedCertificate } from './emulator-ca.js';
import type { ClientCertificateInfo } from './route-actions.js';
import { handleLbRequest, htmlResponse, lastSegment, refToPath, splitUrl, targetResponse, type DataplaneResponse } from './lb-request.js';
import { checkRunService } from './serverless-target.js';
import { mtlsSettingOf, tlsOptionsOf, type TlsOptions } from './tls-policy.js';

const FR_PATH = /^projects\/[^/]+\/(global|regions\/[^/]+)\/forwardingRules\/[^/]+$/;
const RUN_PATH = /^projects\/[^/]+\/locations\/[^/]+\/services\/[^/]+$/;

export interface LbListenerInfo {
  /** The forwarding rule's IP address. */
  address: string;
  /** The forwarding rule's port. */
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  loopbackHost: string;
  loopbackPort: number;
  /** Forwarding rule name and store path. */
  forwardingRule: string;
  path: string;
  /** `global` or `regions/R`. */
  scope: string;
  loadBalancingScheme: string;
}

export interface DefaultUrlInfo {
  host: string;
  loopbackPort: number;
  service: string;
}

interface LbListener {
  server: Server;
  protocol: 'HTTP' | 'HTTPS';
  info: LbListenerInfo;
  primary?: string;
}

interface RunListener {
  server: Server;
  port: number;
}

interface CertMaterial {
  id: string;
  cert: string;
  key: string;
  domains: string[];
}

/** Looks up the issued certificate of an ACTIVE managed certificate. */
export type IssuedLookup = (path: string, resource: JsonObject) => IssuedCertificate | undefined;

/** What a client presented on a mutual TLS connection, as Google's mTLS header variables describe it. */
function clientCertificateOf(socket: TLSSocket): ClientCertificateInfo | undefined {
  const cert = socket.getPeerCertificate?.();
  if (!cert || Object.keys(cert).length === 0) return { present: false, verified: false, error: 'client_cert_not_provided' };
  const x509 = cert.raw ? new X509Certificate(cert.raw) : undefined;
  const sans = (x509?.subjectAltName ?? '').split(/,\s*/);
  return {
    present: true,
    verified: socket.authorized,
    error: socket.authorized ? '' : String((socket.authorizationError as unknown as { code?: string } | null)?.code ?? socket.authorizationError ?? 'client_cert_chain_invalid'),
    sha256Fingerprint: cert.raw ? createHash('sha256').update(cert.raw).digest('base64') : '',
    serialNumber: cert.serialNumber ?? '',
    subjectDn: x509?.subject.replace(/\n/g, ',') ?? '',
    issuerDn: x509?.issuer.replace(/\n/g, ',') ?? '',
    notBefore: x509 ? new Date(x509.validFrom).toISOString() : '',
    notAfter: x509 ? new Date(x509.validTo).toISOString() : '',
    dnsSans: sans.filter((v) => v.startsWith('DNS:')).map((v) => v.slice(4)).join(','),
    uriSans: sans.filter((v) => v.startsWith('URI:')).map((v) => v.slice(4)).join(','),
  };
}

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function frPort(fr: JsonObject, https: boolean): number {
  const range = typeof fr['portRange'] === 'string' ? fr['portRange'] : undefined;
  const first = range ? Number(range.split('-')[0]) : Array.isArray(fr['ports']) ? Number(fr['ports'][0]) : NaN;
  return Number.isFinite(first) && first > 0 ? first : https ? 443 : 80;
}

function send(res: ServerResponse, r: DataplaneResponse): void {
  const write = () => {
    if (res.destroyed) return;
    res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
    res.end(r.body);
  };
  if (r.delayMs && r.delayMs > 0) setTimeout(write, r.delayMs).unref();
  else write();
}

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export class Listeners {
  private readonly lb = new Map<string, LbListener>();
  private readonly run = new Map<string, RunListener>();
  private readonly contexts = new Map<string, SecureContext>();
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ResourceStore,
    private readonly host: string,
    private readonly issued: IssuedLookup,
    /** Served to HTTPS clients that send no SNI while the proxy has no usable certificate. */
    private readonly placeholder: { cert: string; key: string },
    /** The Certificate Manager certificates a proxy serves (its certificate map's, primary first). */
    private readonly certManager: (proxy: JsonObject | undefined) => CertMaterial[] = () => [],
    /** Picks among weighted backend services (0 <= x < 1); seedable for tests. */
    private readonly random: () => number = Math.random,
  ) {
    this.unsubscribe = store.onChange((path) => {
      if (/\/(forwardingRules|targetHttpsProxies|targetHttpProxies|sslCertificates|sslPolicies|serverTlsPolicies|trustConfigs|services|certificates|certificateMapEntries)\//.test(path)) this.schedule();
    });
    this.schedule();
  }

  /** Resolves once every change seen so far is reflected in the listeners. */
  settled(): Promise<void> {
    return this.chain;
  }

  lbListeners(): LbListenerInfo[] {
    return [...this.lb.values()].map((l) => l.info).sort((a, b) => a.path.localeCompare(b.path));
  }

  defaultUrls(): DefaultUrlInfo[] {
    const out: DefaultUrlInfo[] = [];
    for (const [path, l] of this.run) {
      for (const host of this.runHosts(path)) out.push({ host, loopbackPort: l.port, service: path });
    }
    return out.sort((a, b) => a.host.localeCompare(b.host));
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    this.chain = this.chain.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            this.scheduled = false;
            this.reconcile().then(resolve, resolve);
          }),
        ),
    );
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const entries = this.store.entries();
    // Load-balancer listeners.
    const wanted = new Map<string, { fr: JsonObject; protocol: 'HTTP' | 'HTTPS' }>();
    for (const [path, value] of entries) {
      if (!FR_PATH.test(path)) continue;
      const fr = value as JsonObject;
      const target = refToPath(fr['target']) ?? '';
      if (target.includes('/targetHttpsProxies/')) wanted.set(path, { fr, protocol: 'HTTPS' });
      else if (target.includes('/targetHttpProxies/')) wanted.set(path, { fr, protocol: 'HTTP' });
    }
    for (const [path, l] of [...this.lb]) {
      const w = wanted.get(path);
      if (!w || w.protocol !== l.protocol) {
        this.lb.delete(path);
        await closeServer(l.server);
      }
    }
    for (const [path, w] of wanted) {
      let l = this.lb.get(path);
      if (!l) {
        const server = w.protocol === 'HTTPS' ? this.httpsServer(path) : this.httpServer(path, 'http');
        const { port: loopbackPort, host } = await this.listenFor(server, String(w.fr['IPAddress'] ?? ''));
        if (this.closed) {
          await closeServer(server);
          return;
        }
        l = { server, protocol: w.protocol, info: this.info(path, w.fr, w.protocol, loopbackPort, host) };
        this.lb.set(path, l);
      } else {
        l.info = this.info(path, w.fr, w.protocol, l.info.loopbackPort, l.info.loopbackHost);
      }
      if (l.protocol === 'HTTPS') this.updatePrimary(path, l);
    }
    // Cloud Run default URLs.
    const services = new Set(entries.filter(([p]) => RUN_PATH.test(p)).map(([p]) => p));
    for (const [path, l] of [...this.run]) {
      if (!services.has(path)) {
        this.run.delete(path);
        await closeServer(l.server);
      }
    }
    for (const path of services) {
      if (this.run.has(path)) continue;
      const server = this.defaultUrlServer(path);
      const port = await listen(server, this.host);
      if (this.closed) {
        await closeServer(server);
        return;
      }
      this.run.set(path, { server, port });
    }
  }

  /**
   * Listens for a forwarding rule: an IPv6 address on ::1 where the machine has IPv6 loopback (the
   * listener then says so in `loopbackHost`), everything else on the data plane's host.
   */
  private async listenFor(server: Server, address: string): Promise<{ port: number; host: string }> {
    if (isIP(address) === 6 && this.host === '127.0.0.1') {
      try {
        return { port: await listen(server, '::1'), host: '::1' };
      } catch {
        // No IPv6 loopback here: the IPv6 rule is served on the IPv4 loopback (docs/emulator.md).
      }
    }
    return { port: await listen(server, this.host), host: this.host };
  }

  private info(path: string, fr: JsonObject, protocol: 'HTTP' | 'HTTPS', loopbackPort: number, loopbackHost: string): LbListenerInfo {
    return {
      address: String(fr['IPAddress'] ?? ''),
      port: frPort(fr, protocol === 'HTTPS'),
      protocol,
      loopbackHost,
      loopbackPort,
      forwardingRule: lastSegment(path),
      path,
      scope: path.includes('/global/') ? 'global' : `regions/${path.split('/')[3]}`,
      loadBalancingScheme: String(fr['loadBalancingScheme'] ?? 'EXTERNAL'),
    };
  }

  private handler(frPath: string, scheme: 'http' | 'https') {
    return (req: IncomingMessage, res: ServerResponse) => {
      if (scheme === 'https' && !(req.socket as TLSSocket).servername && !this.certificatesOf(frPath).length) {
        // Google completes no handshake without a usable certificate.
        req.socket.destroy();
        return;
      }
      const socket = req.socket as TLSSocket;
      const tls = scheme === 'https' && typeof socket.getProtocol === 'function' ? { version: socket.getProtocol() ?? '', cipher: socket.getCipher()?.standardName ?? '', clientCertificate: clientCertificateOf(socket) } : undefined;
      send(
        res,
        handleLbRequest(
          this.store,
          frPath,
          {
            scheme,
            method: req.method ?? 'GET',
            host: req.headers.host ?? '',
            url: req.url ?? '/',
            clientIp: clientIp(req),
            headers: req.headers,
          },
          this.random,
          tls,
        ),
      );
    };
  }

  private httpServer(frPath: string, scheme: 'http'): Server {
    return createHttpServer(this.handler(frPath, scheme));
  }

  private httpsServer(frPath: string): Server {
    const tls = this.tlsOf(frPath);
    return createHttpsServer(
      {
        cert: this.placeholder.cert,
        key: this.placeholder.key,
        minVersion: tls.minVersion,
        ciphers: tls.ciphers,
        SNICallback: (servername, cb) => {
          const certs = this.certificatesOf(frPath);
          const chosen = certs.find((c) => c.domains.some((d) => certificateNameMatches(d, servername))) ?? certs[0];
          if (!chosen) {
            cb(new Error(`no certificate for ${servername}`));
            return;
          }
          cb(null, this.contextOf(chosen, this.tlsOf(frPath)));
        },
      },
      this.handler(frPath, 'https'),
    ) as unknown as Server;
  }

  /**
   * Serves the no-SNI default: the proxy's primary (first usable) certificate; and the proxy's SSL
   * policy, which the server's own context carries (OpenSSL picks the version and cipher list from
   * it before the SNI callback swaps in a certificate).
   */
  private updatePrimary(path: string, l: LbListener): void {
    const primary = this.certificatesOf(path)[0];
    const tls = this.tlsOf(path);
    const id = `${primary?.id ?? 'placeholder'}|${tls.key}`;
    if (l.primary === id) return;
    l.primary = id;
    const material = primary ?? { cert: this.placeholder.cert, key: this.placeholder.key };
    // tls.Server reads requestCert and rejectUnauthorized for each new connection.
    const server = l.server as unknown as { setSecureContext(o: Record<string, unknown>): void; requestCert: boolean; rejectUnauthorized: boolean };
    server.requestCert = tls.requestCert;
    server.rejectUnauthorized = tls.rejectUnauthorized;
    server.setSecureContext({ cert: material.cert, key: material.key, minVersion: tls.minVersion, ciphers: tls.ciphers, ...(tls.ca ? { ca: tls.ca } : {}) });
  }

  /** What TLS the forwarding rule's HTTPS proxy accepts: its SSL policy, and mutual TLS from its server TLS policy. */
  private tlsOf(frPath: string): TlsOptions {
    const fr = this.store.get<JsonObject>(frPath);
    const proxyPath = refToPath(fr?.['target']);
    const proxy = proxyPath ? this.store.get<JsonObject>(proxyPath) : undefined;
    const policyPath = refToPath(proxy?.['sslPolicy']);
    const serverTls = typeof proxy?.['serverTlsPolicy'] === 'string' ? proxy['serverTlsPolicy'].replace(/^\/\/networksecurity\.googleapis\.com\//, '') : undefined;
    const mtls = serverTls ? mtlsSettingOf(this.store.get<JsonObject>(serverTls), (p) => this.store.get<JsonObject>(p)) : undefined;
    return tlsOptionsOf(policyPath ? this.store.get<JsonObject>(policyPath) : undefined, mtls);
  }

  private contextOf(m: CertMaterial, tls: TlsOptions): SecureContext {
    const key = `${m.id}|${tls.key}`;
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = createSecureContext({ cert: m.cert, key: m.key, minVersion: tls.minVersion, ciphers: tls.ciphers, ...(tls.ca ? { ca: tls.ca } : {}) });
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  /** The usable certificates of the forwarding rule's HTTPS proxy, in the proxy's order. */
  certificatesOf(frPath: string): CertMaterial[] {
    const fr = this.store.get<JsonObject>(frPath);
    const proxyPath = refToPath(fr?.['target']);
    const proxy = proxyPath ? this.store.get<JsonObject>(proxyPath) : undefined;
    // "If set, sslCertificates will be ignored" (Google's reference for certificateMap).
    if (typeof proxy?.['certificateMap'] === 'string' && proxy['certificateMap'] !== '') return this.certManager(proxy);
    const out: CertMaterial[] = [];
    for (const ref of (proxy?.['sslCertificates'] as string[] | undefined) ?? []) {
      const certPath = refToPath(ref);
      const cert = certPath ? this.store.get<JsonObject>(certPath) : undefined;
      if (!certPath || !cert) continue;
      if (cert['type'] === 'MANAGED' || cert['managed']) {
        const issued = this.issued(certPath, cert);
        if (issued) out.push({ id: `${certPath}#${createHash('sha256').update(issued.chainPem).digest('hex')}`, cert: issued.chainPem, key: issued.privateKeyPem, domains: issued.domains });
        continue;
      }
      if (typeof cert['certificate'] === 'string' && typeof cert['privateKey'] === 'string') {
        let domains = (cert['subjectAlternativeNames'] as string[] | undefined) ?? [];
        try {
          if (domains.length === 0) domains = certificateDomains(cert['certificate']);
        } catch {
          continue;
        }
        const id = `${certPath}#${createHash('sha256').update(cert['certificate']).update(cert['privateKey']).digest('hex')}`;
        out.push({ id, cert: cert['certificate'], key: cert['privateKey'], domains });
      }
    }
    out.push(...this.certManager(proxy));
    return out;
  }

  private runHosts(path: string): string[] {
    const service = this.store.get<JsonObject>(path);
    if (!service) return [];
    const parsed = parseServiceName(path);
    // Both default URL forms: the service's `uri` and the deterministic NAME-NUMBER.REGION.run.app.
    const urls: unknown[] = [service['uri'], ...(parsed ? runUrls(this.store, parsed.project, parsed.region, parsed.service).urls : [])];
    for (const t of (service['trafficStatuses'] as JsonObject[] | undefined) ?? []) urls.push(t['uri']);
    return [...new Set(urls.filter((u): u is string => typeof u === 'string' && u !== '').map((u) => new URL(u).host))];
  }

  private defaultUrlServer(path: string): Server {
    return createHttpServer((req, res) => {
      const { path: reqPath, query } = splitUrl(req.url ?? '/');
      const service = this.store.get<JsonObject>(path);
      const parsed = parseServiceName(path);
      if (!service || !parsed || service['defaultUriDisabled'] === true) {
        send(res, htmlResponse(404, reqPath));
        return;
      }
      const host = (req.headers.host ?? '').toLowerCase();
      const tagMatch = /^([a-z0-9-]+?)---/.exec(host);
      const verdict = checkRunService(this.store, parsed.project, parsed.region, parsed.service, tagMatch?.[1], { kind: 'internet' });
      if (!verdict.ok) {
        send(res, htmlResponse(verdict.status, reqPath, { 'x-emulator-reason': verdict.reason }));
        return;
      }
      send(res, targetResponse(verdict.target, { host: req.headers.host ?? '', path: reqPath, query, method: req.method ?? 'GET' }, 'default-url'));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.chain.catch(() => undefined);
    const servers = [...this.lb.values(), ...this.run.values()].map((l) => l.server);
    this.lb.clear();
    this.run.clear();
    await Promise.all(servers.map(closeServer));
  }
}
