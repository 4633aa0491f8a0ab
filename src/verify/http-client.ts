/**
 * One HTTP(S) request through a Network, the way `curl --connect-to` sends it: the URL names the
 * host (Host header and TLS SNI), the connection goes where the network's connect-to map says (the
 * load balancer's address, or a local stand-in for it).
 *
 * Contract: never throws and never hangs (REQUEST_TIMEOUT_MS). Certificates are not enforced during
 * the request, so a routing answer is still seen behind an untrusted certificate; instead the
 * result reports whether the served chain is trusted, for which names, until when. Bodies are read
 * up to MAX_BODY_BYTES. Redirects are not followed.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Network } from './network.js';

export const REQUEST_TIMEOUT_MS = 5000;
export const MAX_BODY_BYTES = 64 * 1024;

export interface ServedCertificate {
  /** DNS names of the subject alternative name extension (else the CN). */
  names: string[];
  validTo: string;
  issuer: string;
  /** Whether the chain is trusted by the network's trust store. */
  trusted: boolean;
  /** Why not, as OpenSSL says it (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`, ...). */
  trustError?: string;
  /** Whether the certificate is valid for the requested host name. */
  nameMatches: boolean;
}

export interface HttpResult {
  url: string;
  /** Where the connection went (`34.1.2.3:443`, or `127.0.0.1:40111 for 34.1.2.3:443`). */
  via: string;
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: string;
  tls?: ServedCertificate;
  /** A connection, TLS or timeout failure: a code (`ECONNREFUSED`, `ETIMEDOUT`, `EPROTO`, `UNREACHABLE`) and text. */
  error?: { code: string; message: string };
  timeMs: number;
}

export interface RequestSpec {
  scheme: 'http' | 'https';
  /** Host name (or IP) the URL names: Host header and SNI. */
  host: string;
  /** Port the URL names. */
  port: number;
  path: string;
  /** Connect to this address:port instead of resolving `host` (the load balancer's address). */
  connectAddress?: string;
  method?: string;
  /** Headers sent besides Host, User-Agent, Accept and Connection. */
  headers?: Record<string, string>;
  /** Leave out the network's client certificate (to prove a listener refuses clients without one). */
  withoutClientCertificate?: boolean;
  timeoutMs?: number;
}

function hostHeader(spec: RequestSpec): string {
  const name = isIP(spec.host) === 6 ? `[${spec.host}]` : spec.host;
  const standard = (spec.scheme === 'http' && spec.port === 80) || (spec.scheme === 'https' && spec.port === 443);
  return standard ? name : `${name}:${spec.port}`;
}

export function urlOf(spec: RequestSpec): string {
  return `${spec.scheme}://${hostHeader(spec)}${spec.path}`;
}

function namesOf(cert: PeerCertificate): string[] {
  const san = cert.subjectaltname ?? '';
  const names = san
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  if (names.length > 0) return names;
  const cn = cert.subject?.CN;
  return cn ? [Array.isArray(cn) ? cn[0]! : cn] : [];
}

function describeIssuer(cert: PeerCertificate): string {
  const i = cert.issuer ?? {};
  const cn = Array.isArray(i.CN) ? i.CN[0] : i.CN;
  const o = Array.isArray(i.O) ? i.O[0] : i.O;
  return [cn, o].filter(Boolean).join(', ') || 'unknown issuer';
}

export async function sendRequest(network: Network, spec: RequestSpec): Promise<HttpResult> {
  const started = Date.now();
  const url = urlOf(spec);
  const target = spec.connectAddress ?? spec.host;
  const done = (r: Omit<HttpResult, 'url' | 'timeMs'>): HttpResult => ({ url, ...r, timeMs: Date.now() - started });
  let endpoint;
  try {
    endpoint = await network.connectTo(target, spec.port);
  } catch (error) {
    return done({ via: `${target}:${spec.port}`, error: { code: 'ERROR', message: (error as Error).message } });
  }
  if (!endpoint) {
    return done({ via: `${target}:${spec.port}`, error: { code: 'UNREACHABLE', message: `nothing serves ${target}:${spec.port} on ${network.description}` } });
  }
  const direct = endpoint.host === target && endpoint.port === spec.port;
  const via = direct ? `${target}:${spec.port}` : `${endpoint.host}:${endpoint.port} for ${target}:${spec.port}`;
  const tls = spec.scheme === 'https' && !endpoint.plaintext;
  const headers = { ...spec.headers, host: hostHeader(spec), 'user-agent': 'serverless-lb-verify', accept: '*/*', connection: 'close' };
  const timeoutMs = spec.timeoutMs ?? REQUEST_TIMEOUT_MS;

  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<HttpResult, 'url' | 'timeMs' | 'via'>) => {
      if (settled) return;
      settled = true;
      resolve(done({ ...r, via }));
    };
    const onResponse = (res: IncomingMessage) => {
      let served: ServedCertificate | undefined;
      if (tls) served = inspectTls(res.socket as TLSSocket, spec.host);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES), ...(served ? { tls: served } : {}) }));
      res.on('error', (e: NodeJS.ErrnoException) => finish({ status: res.statusCode ?? 0, headers: res.headers, error: { code: e.code ?? 'ERROR', message: e.message } }));
    };
    const common = { host: endpoint.host, port: endpoint.port, path: spec.path, method: spec.method ?? 'GET', headers, agent: false as const };
    const req = tls
      ? httpsRequest(
          {
            ...common,
            ...(isIP(spec.host) ? {} : { servername: spec.host }),
            ca: [...(network.systemRoots ? rootCertificates : []), ...network.trustedCas],
            rejectUnauthorized: false,
            ...(network.clientCertificate && !spec.withoutClientCertificate ? { cert: network.clientCertificate.cert, key: network.clientCertificate.key } : {}),
          },
          onResponse,
        )
      : httpRequest(common, onResponse);
    req.setTimeout(timeoutMs, () => {
      req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: { code: e.code ?? 'ERROR', message: e.message } }));
    req.end();
  });
}

function inspectTls(socket: TLSSocket, host: string): ServedCertificate | undefined {
  const cert = socket.getPeerCertificate?.();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const names = namesOf(cert);
  const nameMatches = isIP(host) ? false : checkServerIdentity(host, cert) === undefined;
  const trustError = socket.authorizationError ? String((socket.authorizationError as Error & { code?: string }).code ?? socket.authorizationError) : undefined;
  return {
    names,
    validTo: new Date(cert.valid_to).toISOString(),
    issuer: describeIssuer(cert),
    trusted: socket.authorized,
    ...(trustError ? { trustError } : {}),
    nameMatches,
  };
}
