/**
 * Route rules through the built CLI and the emulator's data plane, as clients see them:
 * canary-split.yaml splits 1,000 requests within 3 points of 90/10 and sends "X-Canary: always" to
 * the canary; header-routing.yaml's header match reaches its backend with the path rewritten and
 * the request header set; a route timeout answers 504 in time against a slow service, and a route
 * without one waits for it; verify's routes check passes on both examples and fails when the URL map
 * is changed behind the tool's back. An SSL policy (MODERN, TLS 1.2) refuses a TLS 1.1 handshake that
 * the same listener took without one, HTTP/3 is advertised, and both change in place.
 */
import { Agent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_SEED } from '../../src/emulator/seed/demo-seed.js';
import { assertBuilt, EXAMPLES, runCli } from './support/harness.js';

interface Listener {
  address: string;
  port: number;
  loopbackPort: number;
  protocol: 'HTTP' | 'HTTPS';
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  ms: number;
}

let emulator: RunningEmulator;
let env: Record<string, string>;
const base = () => `http://127.0.0.1:${emulator.port}`;

beforeAll(async () => {
  assertBuilt();
  // The demo seed, with one Cloud Run service that takes 1.5 s to answer.
  emulator = await startEmulator({ port: 0, opLatencyMs: 0, seed: { ...DEMO_SEED, runServices: [...DEMO_SEED.runServices!, { region: 'europe-west1', name: 'slow-report', responseDelayMs: 1500, ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' }] } as never });
  env = { SERVERLESS_LB_EMULATOR_HOST: `127.0.0.1:${emulator.port}` };
});
afterAll(async () => emulator?.close());

async function listener(address: string): Promise<Listener> {
  const body = (await (await fetch(`${base()}/_emulator/dataplane`)).json()) as { listeners: Listener[] };
  const found = body.listeners.find((l) => l.address === address);
  if (!found) throw new Error(`no listener for ${address}: ${JSON.stringify(body.listeners)}`);
  return found;
}

async function addressOf(lb: string): Promise<string> {
  const res = await fetch(`${base()}/_emulator/resources?prefix=projects/demo-project`);
  const all = (await res.json()) as Array<{ path: string; value: Record<string, unknown> }> | { resources: Array<{ path: string; value: Record<string, unknown> }> };
  const list = Array.isArray(all) ? all : all.resources;
  const fr = list.find((r) => r.path.includes(`/forwardingRules/${lb}-`));
  return String(fr!.value.IPAddress);
}

const agent = new Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false });

function send(l: Listener, host: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolveAnswer, reject) => {
    const options = { host: '127.0.0.1', port: l.loopbackPort, path, headers: { host, ...headers } };
    const onResponse = (res: import('node:http').IncomingMessage) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { text };
        }
        resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body, ms: Date.now() - started });
      });
    };
    const req = l.protocol === 'HTTPS' ? httpsRequest({ ...options, servername: host, agent }, onResponse) : httpRequest(options, onResponse);
    req.on('error', reject);
    req.end();
  });
}

describe('route rules through the data plane', () => {
  it('canary-split.yaml: 1,000 requests split within 3 points of 90/10; X-Canary: always reaches the canary', async () => {
    const config = resolve(EXAMPLES, 'canary-split.yaml');
    const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json', '--wait', '5s'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { verify: { checks: Array<{ id: string; status: string; items?: Array<{ name: string; detail: string }> }> } };
    const routes = report.verify.checks.find((c) => c.id === 'routes');
    expect(routes?.status).toBe('pass');
    expect(routes?.items?.map((i) => i.detail).join('\n')).toMatch(/observed web \d+\.\d % \(weight 90: 90\.0 %\), canary \d+\.\d % \(weight 10: 10\.0 %\)/);

    const l = await listener(await addressOf('canary-lb'));
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => send(l, 'shop.example.com', '/')));
      for (const a of answers) counts.set(String(a.body.service), (counts.get(String(a.body.service)) ?? 0) + 1);
    }
    expect((counts.get('web') ?? 0) + (counts.get('web-canary') ?? 0)).toBe(1000);
    expect(Math.abs((counts.get('web-canary') ?? 0) / 10 - 10)).toBeLessThanOrEqual(3);

    const pinned = await send(l, 'shop.example.com', '/cart', { 'x-canary': 'always' });
    expect(pinned.body.service).toBe('web-canary');
    expect(pinned.headers['x-served-by']).toBe('canary');

    const down = await runCli(['teardown', '--yes', '-c', config], { env });
    expect(down.code, down.stderr).toBe(0);
  });

  it('header-routing.yaml: the header match reaches v2 with the path rewritten and the header set; others reach v1', async () => {
    const config = resolve(EXAMPLES, 'header-routing.yaml');
    const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json', '--wait', '5s'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { verify: { checks: Array<{ id: string; status: string; items?: Array<{ detail: string }> }> } };
    expect(report.verify.checks.find((c) => c.id === 'routes')?.items?.[0]?.detail).toContain('path rewritten to /');

    const l = await listener(await addressOf('routing-lb'));
    const v2 = await send(l, '10.0.0.1', '/v2/items?page=2', { 'x-api-version': '2' });
    expect(v2.body).toMatchObject({ service: 'internal-api-v2', path: '/items', query: 'page=2', headers: { 'x-api-version': '2', 'x-routed-by': 'routing-lb' } });
    const v1 = await send(l, '10.0.0.1', '/v2/items', { 'x-api-version': '3' });
    expect(v1.body).toMatchObject({ service: 'internal-api', path: '/v2/items' });

    // The URL map changed behind the tool's back: verify's routes check says so.
    const mapPath = 'projects/demo-project/regions/europe-west1/urlMaps/routing-lb-urlmap';
    const current = (await (await fetch(`${base()}/compute/v1/${mapPath}`)).json()) as Record<string, unknown>;
    const matchers = current.pathMatchers as Array<{ routeRules: Array<{ routeAction?: Record<string, unknown> }> }>;
    delete matchers[0]!.routeRules[0]!.routeAction;
    const put = await fetch(`${base()}/compute/v1/${mapPath}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(current) });
    expect(put.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const broken = await runCli(['verify', '-c', config, '--format', 'json', '--wait', '0'], { env });
    const brokenReport = JSON.parse(broken.stdout) as { checks: Array<{ id: string; status: string; items?: Array<{ ok: boolean; detail: string }> }> };
    const routes = brokenReport.checks.find((c) => c.id === 'routes');
    expect(routes?.status).toBe('fail');
    expect(routes?.items?.find((i) => !i.ok)?.detail).toContain('the backend got path /v2/, expected / (rewrite)');

    const down = await runCli(['teardown', '--yes', '-c', config], { env });
    expect(down.code, down.stderr).toBe(0);
  });

  it('a route timeout answers 504 when the service is slower, and a longer one waits for the answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slb-timeout-'));
    const example = readFileSync(resolve(EXAMPLES, 'header-routing.yaml'), 'utf8');
    const write = (timeout: number) => {
      const config = example
        .replace('name: routing-lb', 'name: timeout-lb')
        .replace('service: internal-api-v2', 'service: slow-report')
        .replace('timeoutSec: 10', `timeoutSec: ${timeout}`);
      writeFileSync(join(dir, 'timeout.yaml'), config);
      return join(dir, 'timeout.yaml');
    };
    const config = write(0.5);
    expect((await runCli(['apply', '--yes', '-c', config, '--wait', '0'], { env })).code).toBeLessThanOrEqual(1);
    const l = await listener(await addressOf('timeout-lb'));
    const cut = await send(l, '10.0.0.1', '/v2/report', { 'x-api-version': '2' });
    expect(cut.status).toBe(504);
    expect(cut.body.text).toBe('upstream request timeout');
    expect(cut.ms).toBeGreaterThanOrEqual(450);
    expect(cut.ms).toBeLessThan(1400);

    write(5);
    const changed = await runCli(['apply', '--yes', '-c', config, '--wait', '0'], { env });
    expect(changed.code, changed.stderr).toBeLessThanOrEqual(1);
    const waited = await send(l, '10.0.0.1', '/v2/report', { 'x-api-version': '2' });
    expect(waited.status).toBe(200);
    expect(waited.body.service).toBe('slow-report');
    expect(waited.ms).toBeGreaterThanOrEqual(1400);
    expect((await runCli(['teardown', '--yes', '-c', config], { env })).code).toBe(0);
  });
});

/** One handshake at exactly `version` to a listener, SNI `host`; the negotiated protocol or the error code. */
function handshake(l: Listener, host: string, version: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2', client?: { cert: string; key: string }): Promise<string> {
  return new Promise((resolveResult) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: l.loopbackPort, servername: host, minVersion: version, maxVersion: version, ciphers: 'ALL:@SECLEVEL=0', rejectUnauthorized: false, ...(client ?? {}) }, () => {
      resolveResult(socket.getProtocol() ?? '?');
      socket.destroy();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolveResult(`refused: ${e.code}`));
  });
}

describe('mutual TLS through the data plane', () => {
  it('tls-policy-mtls.yaml: TLS 1.1 refused, TLS 1.2 with the client certificate taken, without it refused; dual-stack.yaml (no SSL policy) takes TLS 1.1', async () => {
    const certs = resolve(EXAMPLES, 'certs');
    const client = { cert: readFileSync(join(certs, 'client.pem'), 'utf8'), key: readFileSync(join(certs, 'client-key.pem'), 'utf8') };
    const config = resolve(EXAMPLES, 'tls-policy-mtls.yaml');
    const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json', '--wait', '5s', '--client-cert', join(certs, 'client.pem'), '--client-key', join(certs, 'client-key.pem')], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain('PRIVATE KEY');
    const report = JSON.parse(applied.stdout) as { verify: { checks: Array<{ id: string; status: string; detail: string }> } };
    expect(report.verify.checks.map((c) => `${c.id}:${c.status}`)).toEqual(expect.arrayContaining(['https:pass', 'mtls:pass', 'tls:pass']));
    expect(report.verify.checks.find((c) => c.id === 'mtls')?.detail).toBe('a client without a certificate is refused; the given client certificate gets in');

    const l = await listener(await addressOf('mtls-lb'));
    expect(await handshake(l, 'secure.example.com', 'TLSv1.1', client)).toMatch(/^refused/);
    expect(await handshake(l, 'secure.example.com', 'TLSv1.2', client)).toBe('TLSv1.2');
    expect(await handshake(l, 'secure.example.com', 'TLSv1.2')).toMatch(/^refused/);
    // The backend learns who called (the example's mTLS custom headers).
    const answer = await new Promise<Record<string, unknown>>((resolveAnswer, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: l.loopbackPort, path: '/', servername: 'secure.example.com', headers: { host: 'secure.example.com' }, rejectUnauthorized: false, ...client }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolveAnswer(JSON.parse(text) as Record<string, unknown>));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.headers).toEqual({ 'x-client-cert-chain-verified': 'true', 'x-client-cert-present': 'true', 'x-client-cert-uri-sans': 'spiffe://example.com/client' });

    // Without the key pair, verify says it cannot prove the routing and still proves the refusal.
    const bare = await runCli(['verify', '-c', config, '--format', 'json'], { env });
    const bareReport = JSON.parse(bare.stdout) as { ok: boolean; checks: Array<{ id: string; status: string }> };
    expect(bareReport.ok).toBe(true);
    expect(bareReport.checks.map((c) => `${c.id}:${c.status}`)).toEqual(expect.arrayContaining(['https:skipped', 'mtls:pass']));
    expect((await runCli(['teardown', '--yes', '-c', config], { env })).code).toBe(0);

    const dual = resolve(EXAMPLES, 'dual-stack.yaml');
    expect((await runCli(['apply', '--yes', '--no-verify', '-c', dual], { env })).code).toBe(0);
    expect(await handshake(await listener(await addressOf('dual-lb')), 'www.example.com', 'TLSv1.1')).toBe('TLSv1.1');
    expect((await runCli(['teardown', '--yes', '-c', dual], { env })).code).toBe(0);
  });
});

describe('dual stack through the data plane', () => {
  it('dual-stack.yaml: an IPv4 and an IPv6 listener (the IPv6 one on ::1 here), A and AAAA records, both answering with the custom header; verify checks both', async () => {
    const config = resolve(EXAMPLES, 'dual-stack.yaml');
    const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json', '--wait', '5s'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { verify: { checks: Array<{ id: string; status: string; detail: string; items?: Array<{ name: string; detail: string }> }> } };
    const https = report.verify.checks.find((c) => c.id === 'https')!;
    expect(https.status).toBe('pass');
    const routed = https.items?.filter((i) => /^default route/.test(i.name)).map((i) => i.name) ?? [];
    expect(routed).toHaveLength(2);
    expect(routed).toEqual(expect.arrayContaining([expect.stringMatching(/via \[2600:[0-9a-f:]+\]:443$/), expect.stringMatching(/via 34\.[0-9.]+:443$/)]));
    expect(https.items?.every((i) => !/^default route/.test(i.name) || /response headers set/.test(i.detail))).toBe(true);
    expect(report.verify.checks.find((c) => c.id === 'dns')?.detail).toMatch(/resolves to the load balancer \(34\.[0-9.]+, 2600:[0-9a-f:]+\)/);

    const map = (await (await fetch(`${base()}/_emulator/dataplane`)).json()) as { listeners: Array<Listener & { loopbackHost: string }> };
    const families = map.listeners.filter((l) => l.protocol === 'HTTPS').map((l) => [l.address.includes(':') ? 6 : 4, l.loopbackHost]);
    expect(families.sort()).toEqual([[4, '127.0.0.1'], [6, '::1']]);
    for (const l of map.listeners.filter((x) => x.protocol === 'HTTPS')) {
      const answer = await new Promise<{ status: number; sts: unknown }>((resolveAnswer, reject) => {
        const req = httpsRequest({ host: l.loopbackHost, port: l.loopbackPort, path: '/', servername: 'www.example.com', headers: { host: 'www.example.com' }, rejectUnauthorized: false }, (res) => {
          res.resume();
          res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, sts: res.headers['strict-transport-security'] }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer).toEqual({ status: 200, sts: 'max-age=31536000; includeSubDomains' });
    }
    expect((await runCli(['teardown', '--yes', '-c', config], { env })).code).toBe(0);
  });
});

describe('TLS of the HTTPS listener through the data plane', () => {
  it('takes TLS 1.1 without an SSL policy, refuses it under MODERN / TLS 1.2 (verify proves it), advertises HTTP/3, and changes both in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slb-tls-'));
    const config = join(dir, 'tls.yaml');
    const write = (tls: string) =>
      writeFileSync(
        config,
        `name: tls-lb
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: web
    cloudRun: { service: web }
frontend:
  protocol: https
  domains: [secure.example.com]
${tls}
certificate: { type: managed }
dns: { managedZone: example-com }
`,
      );
    write('');
    expect((await runCli(['apply', '--yes', '-c', config, '--wait', '5s'], { env })).code).toBe(0);
    const l = await listener(await addressOf('tls-lb'));
    expect(await handshake(l, 'secure.example.com', 'TLSv1.1')).toBe('TLSv1.1');
    expect((await send(l, 'secure.example.com', '/')).headers['alt-svc']).toBeUndefined();

    write('  tls:\n    policy: { profile: MODERN, minTlsVersion: TLS_1_2 }\n    http3: true');
    const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json', '--wait', '5s'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { plan: { steps: Array<{ kind: string; action: string }> }; verify: { checks: Array<{ id: string; status: string; detail: string }> } };
    expect(report.plan.steps.filter((st) => st.action !== 'noop').map((st) => `${st.kind}:${st.action}`).sort()).toEqual(['sslPolicy:create', 'targetHttpsProxy:update']);
    expect(report.verify.checks.find((c) => c.id === 'tls')).toMatchObject({ status: 'pass', detail: 'TLS 1.2 and later accepted, TLS 1.1 refused; HTTP/3 advertised' });
    expect(await handshake(l, 'secure.example.com', 'TLSv1.1')).toMatch(/^refused/);
    expect(await handshake(l, 'secure.example.com', 'TLSv1.2')).toBe('TLSv1.2');
    expect(String((await send(l, 'secure.example.com', '/')).headers['alt-svc'])).toMatch(/^h3=":443"/);

    write('');
    expect((await runCli(['apply', '--yes', '-c', config, '--wait', '0'], { env })).code).toBe(0);
    expect(await handshake(l, 'secure.example.com', 'TLSv1.1')).toBe('TLSv1.1');
    expect((await runCli(['teardown', '--yes', '-c', config], { env })).code).toBe(0);
  });
});
