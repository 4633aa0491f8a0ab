/**
 * The mtls check: the HTTPS listener asks for client certificates as its server TLS policy says.
 *
 * - REJECT_INVALID: a request without a client certificate must be refused (the TLS handshake, or
 *   the connection right after it, fails); one with the key pair given to verify (`--client-cert`,
 *   `--client-key`) must be answered.
 * - ALLOW_INVALID_OR_MISSING_CLIENT_CERT: both must be answered (the backend learns what was
 *   presented from the mTLS header variables the config sets).
 * Without a key pair the second half is not tried, and the detail says how to give one. The key is
 * never printed.
 */
import type { Network } from './network.js';
import { sendRequest, type HttpResult } from './http-client.js';
import { fromItems, type CheckItem, type CheckResult } from './report.js';
import type { ListenerTarget } from './target.js';

export interface MtlsCheckInput {
  listeners: readonly ListenerTarget[];
  host?: string;
  mode: string;
}

function answered(r: HttpResult): boolean {
  return !r.error && (r.status ?? 0) > 0;
}

export async function checkMtls(input: MtlsCheckInput, network: Network): Promise<CheckResult | undefined> {
  const listeners = input.listeners.filter((l) => l.protocol === 'HTTPS');
  if (listeners.length === 0) return undefined;
  const reject = input.mode !== 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT';
  const items: CheckItem[] = [];
  for (const l of listeners) {
    const at = `https://${input.host ?? l.address}${l.port === 443 ? '' : `:${l.port}`}/`;
    const send = (without: boolean) => sendRequest(network, { scheme: 'https', host: input.host ?? l.address, port: l.port, path: '/', connectAddress: l.address, withoutClientCertificate: without });
    const bare = await send(true);
    if (reject) {
      items.push(
        answered(bare)
          ? { name: `GET ${at} without a client certificate`, ok: false, detail: `answered ${bare.status}, though mutual TLS is REJECT_INVALID`, hint: 'the HTTPS proxy does not carry the server TLS policy: re-run `serverless-lb apply` (`serverless-lb plan` shows the difference)' }
          : { name: `GET ${at} without a client certificate`, ok: true, detail: `refused (${bare.error?.code ?? 'no answer'}): a client certificate is required` },
      );
    } else {
      items.push(
        answered(bare)
          ? { name: `GET ${at} without a client certificate`, ok: true, detail: `answered ${bare.status}: a missing certificate is let through (ALLOW_INVALID_OR_MISSING_CLIENT_CERT)` }
          : { name: `GET ${at} without a client certificate`, ok: false, detail: `refused (${bare.error?.message ?? 'no answer'}), though mutual TLS lets clients without a certificate through`, hint: 're-run `serverless-lb apply`' },
      );
    }
    if (!network.clientCertificate) continue;
    const withCert = await send(false);
    items.push(
      answered(withCert) && (withCert.status ?? 0) < 500
        ? { name: `GET ${at} with the client certificate`, ok: true, detail: `answered ${withCert.status}` }
        : { name: `GET ${at} with the client certificate`, ok: false, detail: withCert.error ? `refused (${withCert.error.code}: ${withCert.error.message})` : `answered ${withCert.status}`, hint: 'the trust config does not hold the CA that issued --client-cert, or the certificate expired or lacks clientAuth: check frontend.tls.mtls.trustAnchors' },
    );
  }
  const proven = reject ? 'a client without a certificate is refused' : 'clients without a certificate are let through';
  const withKey = network.clientCertificate ? '; the given client certificate gets in' : ' (give --client-cert and --client-key to prove a client with a certificate gets in)';
  return fromItems('mtls', items, `${proven}${withKey}`);
}
