/**
 * Steady traffic through the emulator's data plane while a load balancer changes: each target (a
 * host on a listener: HTTPS with SNI, or HTTP) gets a new connection and one GET every `intervalMs`,
 * the way clients arriving one after another would, so every TLS handshake sees the certificate the
 * proxy holds at that moment.
 *
 * Where a request goes: the host's A record in the emulator's DNS server when it has one (so a
 * change that moves DNS is followed), else the load balancer's forwarding rule for that protocol
 * and port; then the data plane map (`/_emulator/dataplane`, re-read every MAP_REFRESH_MS) says
 * which loopback port serves that address and port.
 *
 * Contract: `stop()` resolves with one record per target: requests sent, the status the target gave
 * first (its "before"), which infrastructure answered each request and when (`answeredBy`, from the
 * emulator's `x-emulator-scheme` header), and every failure: a connection or TLS error (reset, refused, handshake,
 * a certificate that does not verify for the host) or a 4xx/5xx where the target first answered
 * below 400.
 */
import { Resolver } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const MAP_REFRESH_MS = 200;
const REQUEST_TIMEOUT_MS = 3000;

/**
 * @param {{ emulatorUrl: string, lbName: string, targets: Array<{ host: string, protocol: 'HTTP'|'HTTPS', port: number }>, intervalMs?: number, trust?: string[] }} options
 *   `trust`: PEM certificates trusted besides the emulator CA (the self-signed ones a config uploads).
 */
export async function startTraffic({ emulatorUrl, lbName, targets, intervalMs = 50, trust = [] }) {
  const ca = [await (await fetch(`${emulatorUrl}/_emulator/ca.pem`)).text(), ...trust];
  let map = await (await fetch(`${emulatorUrl}/_emulator/dataplane`)).json();
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  if (map.dns) resolver.setServers([`${map.dns.host}:${map.dns.port}`]);
  let stopped = false;
  const refresher = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, MAP_REFRESH_MS));
      try {
        map = await (await fetch(`${emulatorUrl}/_emulator/dataplane`)).json();
      } catch {
        // the emulator is busy or gone: keep the last map
      }
    }
  })();

  /** The address a host resolves to: DNS first, else the load balancer's own listener. */
  const addressOf = async (target) => {
    if (!/^[\d.]+$/.test(target.host) && map.dns) {
      try {
        const [ip] = await resolver.resolve4(target.host);
        if (ip) return ip;
      } catch {
        // no record: fall back to the load balancer's listener
      }
    }
    if (/^[\d.]+$/.test(target.host)) return target.host;
    const own = map.listeners.filter((l) => l.forwardingRule?.startsWith(`${lbName}-`) && l.protocol === target.protocol && l.port === target.port);
    return own.at(-1)?.address;
  };

  const once = (target, address) =>
    new Promise((resolve) => {
      const listener = map.listeners.find((l) => l.address === address && l.port === target.port && l.protocol === target.protocol);
      if (!listener) return resolve({ error: `no listener for ${address}:${target.port} (${target.protocol})` });
      const common = { host: listener.loopbackHost, port: listener.loopbackPort, path: '/', method: 'GET', headers: { host: target.host }, agent: false, timeout: REQUEST_TIMEOUT_MS };
      const onResponse = (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, scheme: res.headers['x-emulator-scheme'] }));
        res.on('error', (e) => resolve({ error: e.code ?? e.message }));
      };
      const req = target.protocol === 'HTTPS' ? httpsRequest({ ...common, servername: /^[\d.]+$/.test(target.host) ? undefined : target.host, ca, rejectUnauthorized: true }, onResponse) : httpRequest(common, onResponse);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) => resolve({ error: e.code ?? e.message }));
      req.end();
    });

  const records = targets.map((target) => ({ target, sent: 0, first: undefined, failures: [], answeredBy: [] }));
  const loops = records.map(async (record) => {
    while (!stopped) {
      const started = Date.now();
      const address = await addressOf(record.target);
      const result = address ? await once(record.target, address) : { error: 'the host resolves to nothing' };
      if (stopped) break;
      record.sent++;
      if (record.first === undefined && result.status !== undefined) record.first = result.status;
      if (result.scheme) record.answeredBy.push({ at: Date.now(), scheme: result.scheme });
      const bad = result.error !== undefined || (result.status >= 400 && (record.first ?? 0) < 400);
      if (bad) record.failures.push({ at: new Date().toISOString(), ...(result.error ? { error: result.error } : { status: result.status }) });
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - started))));
    }
  });

  return {
    /** Requests sent so far, over all targets. */
    sent: () => records.reduce((n, r) => n + r.sent, 0),
    /** The records so far (live: they grow while traffic runs). */
    records: () => records,
    async stop() {
      stopped = true;
      await Promise.all([...loops, refresher]);
      return records;
    },
  };
}
