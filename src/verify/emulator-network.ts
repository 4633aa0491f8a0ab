/**
 * A Network over the local emulator's data plane, read from its `/_emulator/dataplane` map:
 *   - connect-to: a load balancer `address:port` goes to the loopback listener serving that
 *     forwarding rule; a Cloud Run default URL host (any port) goes to the loopback listener serving
 *     it, which speaks plain HTTP;
 *   - DNS: the emulator's DNS server (answers from its Cloud DNS zones), unless another is named;
 *   - trust: the emulator CA (`/_emulator/ca.pem`), which issues managed certificates, instead of
 *     the system roots;
 *   - answers name the backend; IAP is not enforced; internal addresses are reachable (loopback).
 * The map is re-read when an address is not in it (a listener opened since), at most every
 * MAP_REFRESH_MS.
 */
import { nodeDnsResolver, type Endpoint, type Network } from './network.js';

export const MAP_REFRESH_MS = 500;
const FETCH_TIMEOUT_MS = 5000;

interface DataplaneMap {
  listeners: Array<{ address: string; port: number; protocol: string; loopbackHost: string; loopbackPort: number }>;
  defaultUrls: Array<{ host: string; loopbackPort: number }>;
  dns: { host: string; port: number } | null;
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/** `emulatorHost` is `HOST:PORT` of the emulator's API. */
export async function emulatorNetwork(emulatorHost: string, options: { dnsServer?: string } = {}): Promise<Network> {
  const base = `http://${emulatorHost}`;
  let map = JSON.parse(await fetchText(`${base}/_emulator/dataplane`)) as DataplaneMap;
  let fetchedAt = Date.now();
  const ca = await fetchText(`${base}/_emulator/ca.pem`);
  const loopbackHost = emulatorHost.slice(0, emulatorHost.lastIndexOf(':'));

  const lookup = (host: string, port: number): Endpoint | undefined => {
    const h = host.toLowerCase();
    const l = map.listeners.find((x) => x.address === h && x.port === port);
    if (l) return { host: l.loopbackHost, port: l.loopbackPort };
    const d = map.defaultUrls.find((x) => x.host === h);
    if (d) return { host: loopbackHost, port: d.loopbackPort, plaintext: true };
    return undefined;
  };

  const dnsServer = options.dnsServer ?? (map.dns ? `${map.dns.host}:${map.dns.port}` : undefined);
  return {
    description: `the emulator's data plane at ${emulatorHost}`,
    resolver: nodeDnsResolver(dnsServer),
    async connectTo(host, port) {
      const found = lookup(host, port);
      if (found || Date.now() - fetchedAt < MAP_REFRESH_MS) return found;
      map = JSON.parse(await fetchText(`${base}/_emulator/dataplane`)) as DataplaneMap;
      fetchedAt = Date.now();
      return lookup(host, port);
    },
    trustedCas: [ca],
    systemRoots: false,
    namesBackends: true,
    enforcesIap: false,
    reachesPrivateAddresses: true,
  };
}
