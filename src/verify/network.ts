/**
 * The network the checks talk through, injected so that the checks never know where they run:
 *   - a DNS resolver (the system's, a named server, or the emulator's),
 *   - a connect-to map (`curl --connect-to`): where to open a connection for `host:port`, so requests
 *     reach the load balancer's address before DNS points at it, and a local data plane stands in
 *     for Google's front ends,
 *   - a trust store (extra CA certificates besides, or instead of, the system's roots),
 *   - what the data plane can tell (whether its answers name the backend, whether it enforces IAP,
 *     whether private addresses are reachable).
 * systemNetwork() is the real Internet; emulator-network.ts builds one over the emulator's data plane.
 */
import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL' | 'TIMEOUT' | 'ERROR';
export type RecordType = 'A' | 'AAAA' | 'CNAME';

export interface DnsAnswer {
  rcode: Rcode;
  /** Addresses (A, AAAA; CNAME chains followed) or the CNAME target, without trailing dots. */
  values: string[];
  /** The resolver's error, when rcode is not NOERROR. */
  message?: string;
}

export interface DnsResolver {
  /** Where the questions go, for messages: `the system resolver`, `DNS server 127.0.0.1:5353`. */
  readonly description: string;
  query(name: string, type: RecordType): Promise<DnsAnswer>;
}

/** Where a connection for some `host:port` really goes. */
export interface Endpoint {
  host: string;
  port: number;
  /**
   * The endpoint speaks plain HTTP although the URL is `https:` (a local stand-in for a TLS front
   * end, such as an emulated Cloud Run default URL).
   */
  plaintext?: boolean;
}

export interface Network {
  /** For messages: `the Internet`, `the emulator's data plane at 127.0.0.1:8089`. */
  readonly description: string;
  readonly resolver: DnsResolver;
  /**
   * Where to connect for `host:port` (an IP address or a host name). undefined: nothing serves that
   * address here (a connection would be refused).
   */
  connectTo(host: string, port: number): Promise<Endpoint | undefined>;
  /** CA certificates (PEM) to trust in addition to the system roots (or instead, see systemRoots). */
  readonly trustedCas: readonly string[];
  /** Whether the system's root CAs are trusted. */
  readonly systemRoots: boolean;
  /**
   * Whether a serverless backend's answer names itself (a JSON body with `platform`, `service`,
   * `region`, `tag`, `version`), so a check can tell which backend answered. Google's data plane
   * does not: there, routing checks are status-based.
   */
  readonly namesBackends: boolean;
  /** Whether Identity-Aware Proxy is enforced (an unauthenticated request is sent to sign in). */
  readonly enforcesIap: boolean;
  /** Whether internal (private) load balancer addresses are reachable from here for sure. */
  readonly reachesPrivateAddresses: boolean;
  /** The client key pair (PEM) HTTPS requests present where a listener asks for one (mutual TLS). */
  readonly clientCertificate?: { cert: string; key: string };
}

/** The network with a client key pair for mutual TLS (`--client-cert`, `--client-key`). */
export function withClientCertificate(network: Network, pair: { cert: string; key: string } | undefined): Network {
  if (!pair) return network;
  return { ...network, clientCertificate: pair };
}

/** Maps a node:dns error code to an rcode. */
export function rcodeOf(code: string | undefined): Rcode {
  switch (code) {
    case 'ENODATA':
      return 'NOERROR';
    case 'ENOTFOUND':
      return 'NXDOMAIN';
    case 'EREFUSED':
      return 'REFUSED';
    case 'ESERVFAIL':
      return 'SERVFAIL';
    case 'ETIMEOUT':
    case 'ECONNREFUSED':
      return 'TIMEOUT';
    default:
      return 'ERROR';
  }
}

export const DNS_QUERY_TIMEOUT_MS = 2000;

/** Parses `HOST[:PORT]` / `[V6]:PORT` into a server string for node:dns setServers. */
export function parseDnsServer(value: string): string {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) return v6[2] ? `[${v6[1]}]:${v6[2]}` : v6[1]!;
  if (isIP(value)) return value;
  const m = /^([^:]+):(\d{1,5})$/.exec(value);
  if (m && isIP(m[1]!) && Number(m[2]) > 0 && Number(m[2]) < 65536) return value;
  throw new Error(`--dns-server must be an IP address with an optional port (e.g. 8.8.8.8 or 127.0.0.1:5353), not "${value}"`);
}

/**
 * A resolver over node:dns (c-ares): the servers of /etc/resolv.conf, or `server` (`IP[:PORT]`).
 * Answers come from a recursive resolver or, for the emulator, its authoritative server.
 */
export function nodeDnsResolver(server?: string, timeoutMs = DNS_QUERY_TIMEOUT_MS): DnsResolver {
  const resolver = new dnsPromises.Resolver({ timeout: timeoutMs, tries: 2 });
  if (server) resolver.setServers([parseDnsServer(server)]);
  return {
    description: server ? `DNS server ${server}` : 'the system resolver',
    async query(name, type) {
      try {
        const values =
          type === 'A' ? await resolver.resolve4(name) : type === 'AAAA' ? await resolver.resolve6(name) : await resolver.resolveCname(name);
        return { rcode: 'NOERROR', values: values.map((v) => v.replace(/\.$/, '')) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const rcode = rcodeOf(code);
        return { rcode, values: [], ...(rcode === 'NOERROR' ? {} : { message: String(code ?? (error as Error).message) }) };
      }
    },
  };
}

/** The real Internet: connections go where they are addressed, the system's roots are trusted. */
export function systemNetwork(options: { dnsServer?: string; trustedCas?: string[] } = {}): Network {
  return {
    description: 'the Internet',
    resolver: nodeDnsResolver(options.dnsServer),
    async connectTo(host, port) {
      return { host, port };
    },
    trustedCas: options.trustedCas ?? [],
    systemRoots: true,
    namesBackends: false,
    enforcesIap: true,
    reachesPrivateAddresses: false,
  };
}

/** The same network, trusting more CA certificates (a self-managed certificate, for instance). */
export function withTrustedCas(network: Network, pems: readonly string[]): Network {
  if (pems.length === 0) return network;
  return { ...network, trustedCas: [...network.trustedCas, ...pems] };
}
