/**
 * Trying a load balancer on the emulator the way a user would with curl: each of its listeners
 * (from the data plane map, `/_emulator/dataplane`) for each host, over loopback, trusting the
 * emulator's CA (`/_emulator/ca.pem`, saved to a file the curl lines name). Used by the demo and by
 * `init` against a running emulator, so the curl lines they print are the requests that were made.
 *
 * Contract: only the listeners of the given addresses are tried (an emulator may hold other load
 * balancers); HTTP listeners of an https-redirect load balancer are expected to redirect.
 */
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { Spec } from '../spec/schema.js';

interface DataplaneListener {
  address: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  loopbackHost: string;
  loopbackPort: number;
}

export interface UrlTry {
  url: string;
  curl: string;
  expected: string;
  status?: number;
  detail: string;
  ok: boolean;
}

/** Tries attempted before giving up on a URL, and the pause between them. */
const TRY_ATTEMPTS = 20;
const TRY_INTERVAL_MS = 500;
const TRY_TIMEOUT_MS = 5_000;

function get(listener: DataplaneListener, host: string, ca: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const common = { host: listener.loopbackHost, port: listener.loopbackPort, path: '/', method: 'GET', headers: { host }, timeout: TRY_TIMEOUT_MS };
    const req =
      listener.protocol === 'HTTPS'
        ? httpsRequest({ ...common, servername: host, ca }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          })
        : httpRequest(common, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function tryUrl(listener: DataplaneListener, host: string, caPem: string, caPath: string, redirects: boolean): Promise<UrlTry> {
  const scheme = listener.protocol === 'HTTPS' ? 'https' : 'http';
  const url = `${scheme}://${host}${listener.port === (scheme === 'https' ? 443 : 80) ? '' : `:${listener.port}`}/`;
  const curl = `curl ${scheme === 'https' ? `--cacert ${caPath} ` : '-i '}--connect-to ${host}:${listener.port}:${listener.loopbackHost}:${listener.loopbackPort} ${url}`;
  const redirect = redirects && listener.protocol === 'HTTP';
  const expected = redirect ? 'a redirect to HTTPS' : 'a 200 from the backend';
  let last = '';
  for (let attempt = 1; attempt <= TRY_ATTEMPTS; attempt++) {
    try {
      const res = await get(listener, host, caPem);
      const location = String(res.headers.location ?? '');
      const service = res.headers['x-serverless-service'];
      const ok = redirect ? res.status >= 300 && res.status < 400 && location.startsWith('https://') : res.status === 200;
      const detail = redirect ? `${res.status} to ${location || '(no location)'}` : `${res.status}${service ? ` from Cloud Run service ${String(service)} (${String(res.headers['x-serverless-region'] ?? '')})` : ''}`;
      if (ok) return { url, curl, expected, status: res.status, detail, ok };
      last = detail;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, TRY_INTERVAL_MS));
  }
  return { url, curl, expected, detail: last, ok: false };
}

/**
 * Tries every listener of the load balancer (its frontend `addresses`) for every host it serves
 * (its domains, wildcards left out; the address itself when there are none), HTTPS first. The CA
 * the curl lines name is saved in `caDir`.
 */
export async function tryTheUrls(emulatorUrl: string, spec: Pick<Spec, 'frontend'>, frontends: ReadonlyArray<{ address: string }>, caDir: string): Promise<{ tries: UrlTry[]; caPath: string }> {
  const addresses = [...new Set(frontends.map((f) => f.address))];
  const domains = spec.frontend.domains.filter((d) => !d.startsWith('*.'));
  const target = { hosts: domains.length > 0 ? domains : addresses.slice(0, 1), addresses, redirects: spec.frontend.protocol === 'https-redirect', caDir };
  const caPem = await (await fetch(`${emulatorUrl}/_emulator/ca.pem`)).text();
  const caPath = join(target.caDir, 'emulator-ca.pem');
  writeFileSync(caPath, caPem);
  const map = (await (await fetch(`${emulatorUrl}/_emulator/dataplane`)).json()) as { listeners: DataplaneListener[] };
  const mine = map.listeners.filter((l) => target.addresses.includes(l.address));
  const tries: UrlTry[] = [];
  for (const listener of mine.sort((a, b) => (a.protocol === b.protocol ? 0 : a.protocol === 'HTTPS' ? -1 : 1))) {
    for (const host of target.hosts) tries.push(await tryUrl(listener, host, caPem, caPath, target.redirects));
  }
  return { tries, caPath };
}

/**
 * The tries for a terminal. With `curlWorks` (the emulator stays up), each with the curl command
 * that repeats it; otherwise only the results: curl lines that fail once the command ends are not shown.
 */
export function renderTries(tries: readonly UrlTry[], color: ChalkInstance, curlWorks: boolean, rerun = 'npm run demo -- --keep'): string {
  const lines = [
    '',
    curlWorks
      ? `${color.bold('Try it yourself')} (the emulator serves the load balancer on loopback ports while it runs; its CA signed the certificate):`
      : `${color.bold('Requests through the load balancer')} (the emulator's loopback data plane):`,
  ];
  for (const t of tries) {
    lines.push(`  ${t.ok ? color.green('✔') : color.red('✖')} ${t.url}  ${color.dim(t.detail)}`);
    if (curlWorks) lines.push(`      ${t.curl}`);
  }
  if (!curlWorks) lines.push(color.dim(`  To send them yourself with curl: ${rerun} (the load balancer stays up until Ctrl-C and the curl commands are printed).`));
  return lines.join('\n');
}
