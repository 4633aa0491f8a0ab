import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHttp, judgeProbe } from '../../src/verify/http-check.js';
import type { HttpResult } from '../../src/verify/http-client.js';
import type { ExpectedBackend, RouteProbe } from '../../src/verify/probes.js';
import type { ListenerTarget } from '../../src/verify/target.js';
import { backendAnswer, fakeNetwork, startServer } from './helpers.js';

const CERT = readFileSync(new URL('../../docs/examples/certs/example.com.crt', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('../../docs/examples/certs/example.com.key', import.meta.url), 'utf8');
const LB = '34.1.2.3';
const web: ExpectedBackend = { backend: 'web', platform: 'cloud-run', service: 'web', regions: ['europe-west1'], iap: false };
const api: ExpectedBackend = { backend: 'api', platform: 'cloud-run', service: 'api', regions: ['europe-west1'], iap: false };
const probes: RouteProbe[] = [
  { route: 'default route', host: 'www.example.com', path: '/', expect: web },
  { route: 'host rule api.example.com', host: 'api.example.com', path: '/', expect: api },
];

/** A stand-in load balancer: routes by Host the way the URL map should (or with `swap`, wrongly). */
let routing = { swap: false };
const route = (host: string | undefined) => {
  const isApi = (host ?? '').startsWith('api.');
  return (isApi !== routing.swap) ? 'api' : 'web';
};

let https: ReturnType<typeof createHttpsServer>;
let httpsPort = 0;
let redirect: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  https = createHttpsServer({ cert: CERT, key: KEY }, (req, res) => backendAnswer(res, { service: route(req.headers.host), region: 'europe-west1' }));
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  httpsPort = (https.address() as AddressInfo).port;
  redirect = await startServer((req, res) => {
    res.writeHead(301, { location: `https://${req.headers.host}${req.url}` });
    res.end();
  });
});
afterAll(async () => {
  https.closeAllConnections();
  await new Promise<void>((r) => https.close(() => r()));
  await redirect.close();
});

const httpsListener: ListenerTarget = { forwardingRule: 'fr', scope: 'global', address: LB, port: 443, protocol: 'HTTPS', redirectToHttps: false };
const httpListener: ListenerTarget = { forwardingRule: 'fr-http', scope: 'global', address: LB, port: 80, protocol: 'HTTP', redirectToHttps: true };
const input = (over = {}) => ({ listeners: [httpsListener, httpListener], probes, domains: ['www.example.com', 'api.example.com'], internal: false, now: Date.parse('2026-01-01'), ...over });
const network = (over = {}) => fakeNetwork({ [`${LB}:443`]: { host: '127.0.0.1', port: httpsPort }, [`${LB}:80`]: { host: '127.0.0.1', port: redirect.port } }, { trustedCas: [CERT], ...over });

describe('checkHttp', () => {
  it('passes when every route is answered by its backend, TLS is valid and HTTP redirects', async () => {
    routing = { swap: false };
    const { results, outcomes } = await checkHttp(input(), network());
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId.https).toMatchObject({ ok: true, status: 'pass' });
    expect(byId.http).toMatchObject({ ok: true, detail: expect.stringMatching(/redirects to HTTPS/) });
    expect(byId.https!.items!.find((i) => i.name === 'TLS www.example.com')!.detail).toMatch(/certificate for \*\.example\.com, example\.com .* expires 2125-01-01; trusted/);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('fails the route answered by the wrong backend, naming both', async () => {
    routing = { swap: true };
    const { results } = await checkHttp(input({ listeners: [httpsListener] }), network());
    const item = results[0]!.items!.find((i) => i.name.startsWith('host rule'))!;
    expect(results[0]!.ok).toBe(false);
    expect(item.detail).toMatch(/answered by Cloud Run service web .* expected backend api/);
    routing = { swap: false };
  });

  it('fails TLS when the chain is not trusted', async () => {
    const { results } = await checkHttp(input({ listeners: [httpsListener] }), network({ trustedCas: [] }));
    const tls = results[0]!.items!.find((i) => i.name === 'TLS www.example.com')!;
    expect(tls.ok).toBe(false);
    expect(tls.detail).toMatch(/not trusted/);
  });

  it('fails TLS for a host the certificate does not cover', async () => {
    const { results } = await checkHttp(input({ listeners: [httpsListener], domains: ['shop.example.org'], probes: [{ route: 'default route', host: 'shop.example.org', path: '/', expect: web }] }), network());
    const tls = results[0]!.items!.find((i) => i.name === 'TLS shop.example.org')!;
    expect(tls).toMatchObject({ ok: false, detail: expect.stringMatching(/not valid for shop\.example\.org/) });
  });

  it('fails a redirect listener that does not redirect', async () => {
    const plain = await startServer((_req, res) => backendAnswer(res, { service: 'web', region: 'europe-west1' }));
    try {
      const { results } = await checkHttp(input({ listeners: [httpListener] }), fakeNetwork({ [`${LB}:80`]: { host: '127.0.0.1', port: plain.port } }));
      expect(results[0]).toMatchObject({ id: 'http', ok: false });
      expect(results[0]!.items![0]!.detail).toMatch(/^200, expected 301 to https:\/\/api\.example\.com\//);
    } finally {
      await plain.close();
    }
  });

  it('skips an internal load balancer this machine cannot reach, saying where to run from', async () => {
    const internal = { ...httpsListener, address: '10.0.0.9', protocol: 'HTTP' as const, port: 80 };
    const { results } = await checkHttp(input({ listeners: [internal], internal: true, network: 'vpc-a' }), fakeNetwork({}, { reachesPrivateAddresses: false }));
    expect(results[0]).toMatchObject({ id: 'http', ok: true, status: 'skipped' });
    expect(results[0]!.detail).toMatch(/not reachable from here/);
    expect(results[0]!.hint).toMatch(/from a VM in VPC network vpc-a/);
  });

  it('fails an external load balancer that cannot be reached', async () => {
    const { results } = await checkHttp(input({ listeners: [httpsListener] }), fakeNetwork({}));
    expect(results[0]).toMatchObject({ id: 'https', ok: false, status: 'fail' });
  });
});

describe('judgeProbe', () => {
  const result = (over: Partial<HttpResult>): HttpResult => ({ url: 'https://x/', via: 'x', timeMs: 1, status: 200, headers: {}, body: '', ...over });
  const json = { 'content-type': 'application/json' };

  it('compares tag and region when the data plane names the backend', () => {
    const canary = { ...web, tag: 'canary' };
    const n = fakeNetwork({});
    expect(judgeProbe(result({ headers: json, body: JSON.stringify({ platform: 'cloud-run', service: 'web', region: 'europe-west1', tag: 'canary' }) }), canary, n).ok).toBe(true);
    expect(judgeProbe(result({ headers: json, body: JSON.stringify({ platform: 'cloud-run', service: 'web', region: 'europe-west1', tag: null }) }), canary, n)).toMatchObject({ ok: false, detail: expect.stringMatching(/tag differ/) });
    expect(judgeProbe(result({ headers: json, body: JSON.stringify({ platform: 'cloud-run', service: 'web', region: 'asia-east1', tag: null }) }), web, n)).toMatchObject({ ok: false, detail: expect.stringMatching(/region differ/) });
  });

  it('explains a 404 from the load balancer', () => {
    expect(judgeProbe(result({ status: 404, headers: { 'x-emulator-reason': 'ingress refuses' } }), web, fakeNetwork({}))).toMatchObject({ ok: false, detail: expect.stringMatching(/404: ingress refuses/), hint: expect.stringMatching(/no route/) });
  });

  it('is status-based where the data plane does not name backends', () => {
    const google = fakeNetwork({}, { namesBackends: false });
    expect(judgeProbe(result({ status: 200, body: '<html>' }), web, google)).toMatchObject({ ok: true, detail: expect.stringMatching(/status-based/) });
    expect(judgeProbe(result({ status: 404, body: '<title>Error 404 (Not Found)!!1</title> That’s an error.' }), web, google).ok).toBe(false);
    expect(judgeProbe(result({ status: 502 }), web, google).ok).toBe(false);
  });

  it('expects a sign-in redirect for IAP backends where IAP is enforced', () => {
    const google = fakeNetwork({}, { namesBackends: false, enforcesIap: true });
    const iap = { ...web, iap: true };
    expect(judgeProbe(result({ status: 302, headers: { location: 'https://accounts.google.com/o/oauth2/v2/auth?client_id=x' } }), iap, google).ok).toBe(true);
    expect(judgeProbe(result({ status: 200 }), iap, google)).toMatchObject({ ok: false, detail: expect.stringMatching(/not sent to sign in/) });
  });
});
