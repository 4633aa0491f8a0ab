/**
 * The tls check: the HTTPS listener accepts what its SSL policy allows and refuses the rest, and
 * advertises HTTP/3 as configured.
 *
 * - With an SSL policy whose minimum is above TLS 1.0: a handshake at the version below the minimum
 *   must be refused, and one at the minimum must complete.
 * - `frontend.tls.http3: true`: an HTTPS answer carries `Alt-Svc` with `h3`; `false`: it does not.
 * Handshakes go where the network sends the listener's address (`curl --connect-to`), with the
 * domain as SNI; certificates are not judged here (the https check does).
 */
import { connect, type ConnectionOptions } from 'node:tls';
import type { Network } from './network.js';
import { sendRequest } from './http-client.js';
import { fromItems, type CheckItem, type CheckResult } from './report.js';
import { listenerAddress, type ListenerTarget } from './target.js';

export type TlsVersion = 'TLS_1_0' | 'TLS_1_1' | 'TLS_1_2';

const NODE_VERSION: Record<TlsVersion | 'TLS_1_3', 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'> = { TLS_1_0: 'TLSv1', TLS_1_1: 'TLSv1.1', TLS_1_2: 'TLSv1.2', TLS_1_3: 'TLSv1.3' };
const BELOW: Record<TlsVersion, TlsVersion | undefined> = { TLS_1_0: undefined, TLS_1_1: 'TLS_1_0', TLS_1_2: 'TLS_1_1' };
const WORDS = (v: string) => v.replace(/^TLS_(\d)_(\d)$/, 'TLS $1.$2');

export interface TlsCheckInput {
  listeners: readonly ListenerTarget[];
  /** The name sent as SNI (a domain), or undefined for the address. */
  host?: string;
  /** The SSL policy's minimum version, where the config sets one. */
  minTlsVersion?: TlsVersion;
  http3?: boolean;
}

/** One handshake at exactly `version`; resolves with what was negotiated or the refusal. */
export async function handshake(network: Network, l: ListenerTarget, host: string | undefined, version: TlsVersion | 'TLS_1_3'): Promise<{ ok: true; protocol: string; cipher: string } | { ok: false; reason: string }> {
  const endpoint = await network.connectTo(l.address, l.port).catch(() => undefined);
  if (!endpoint) return { ok: false, reason: `nothing serves ${listenerAddress(l)}` };
  const v = NODE_VERSION[version];
  const options: ConnectionOptions = {
    host: endpoint.host,
    port: endpoint.port,
    ...(host ? { servername: host } : {}),
    minVersion: v,
    maxVersion: v,
    // A listener with mutual TLS asks for the client certificate verify was given.
    ...(network.clientCertificate ? { cert: network.clientCertificate.cert, key: network.clientCertificate.key } : {}),
    // Offer every suite, old ones included: the server's policy is what is being tested.
    ciphers: 'ALL:@SECLEVEL=0',
    rejectUnauthorized: false,
  };
  return new Promise((resolve) => {
    const socket = connect(options, () => {
      resolve({ ok: true, protocol: socket.getProtocol() ?? '?', cipher: socket.getCipher()?.standardName ?? '?' });
      socket.destroy();
    });
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve({ ok: false, reason: 'no answer within 5000 ms' });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, reason: e.code ?? e.message }));
  });
}

async function versionItems(network: Network, l: ListenerTarget, host: string | undefined, min: TlsVersion): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const below = BELOW[min];
  const at = `${listenerAddress(l)}${host ? ` (${host})` : ''}`;
  if (below) {
    const r = await handshake(network, l, host, below);
    items.push(
      r.ok
        ? { name: `${WORDS(below)} handshake to ${at}`, ok: false, detail: `completed (${r.protocol}, ${r.cipher}), but the SSL policy's minimum is ${WORDS(min)}`, hint: 'the HTTPS proxy does not carry the SSL policy: re-run `serverless-lb apply` (`serverless-lb plan` shows the difference)' }
        : { name: `${WORDS(below)} handshake to ${at}`, ok: true, detail: `refused (${r.reason}): below the minimum, ${WORDS(min)}` },
    );
  }
  const r = await handshake(network, l, host, min);
  items.push(
    r.ok
      ? { name: `${WORDS(min)} handshake to ${at}`, ok: true, detail: `completed (${r.protocol}, ${r.cipher})` }
      : { name: `${WORDS(min)} handshake to ${at}`, ok: false, detail: `refused (${r.reason}), though the SSL policy allows ${WORDS(min)}`, hint: 'the policy\'s profile may leave no cipher suite for this version and certificate: check frontend.tls.policy' },
  );
  return items;
}

async function http3Item(network: Network, l: ListenerTarget, host: string | undefined, wanted: boolean): Promise<CheckItem> {
  const r = await sendRequest(network, { scheme: 'https', host: host ?? l.address, port: l.port, path: '/', connectAddress: l.address });
  const altSvc = String(r.headers?.['alt-svc'] ?? '');
  const advertised = /\bh3(-\d+)?=/.test(altSvc);
  const name = `HTTP/3 on ${listenerAddress(l)}`;
  if (r.error) return { name, ok: false, detail: `no answer: ${r.error.message}`, hint: 'see the https check' };
  if (advertised === wanted) return { name, ok: true, detail: wanted ? `advertised: Alt-Svc ${altSvc}` : 'not advertised (no h3 in Alt-Svc), as configured' };
  return { name, ok: false, detail: wanted ? 'not advertised: no h3 in Alt-Svc' : `advertised (Alt-Svc ${altSvc}), though frontend.tls.http3 is false`, hint: 'the HTTPS proxy\'s quicOverride differs from frontend.tls.http3: re-run `serverless-lb apply`' };
}

/** Runs the tls check once; undefined when the config asks nothing of TLS that can be checked. */
export async function checkTls(input: TlsCheckInput, network: Network): Promise<CheckResult | undefined> {
  const listeners = input.listeners.filter((l) => l.protocol === 'HTTPS');
  if (listeners.length === 0 || (input.minTlsVersion === undefined && input.http3 === undefined)) return undefined;
  const items: CheckItem[] = [];
  for (const l of listeners) {
    if (input.minTlsVersion) items.push(...(await versionItems(network, l, input.host, input.minTlsVersion)));
    if (input.http3 !== undefined) items.push(await http3Item(network, l, input.host, input.http3));
  }
  const parts = [input.minTlsVersion ? `${WORDS(input.minTlsVersion)} and later accepted${BELOW[input.minTlsVersion] ? `, ${WORDS(BELOW[input.minTlsVersion]!)} refused` : ''}` : '', input.http3 === undefined ? '' : input.http3 ? 'HTTP/3 advertised' : 'HTTP/3 not advertised'].filter(Boolean);
  return fromItems('tls', items, parts.join('; '));
}
