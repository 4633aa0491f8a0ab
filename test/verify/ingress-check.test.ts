import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIngress } from '../../src/verify/ingress-check.js';
import type { ProbeOutcome } from '../../src/verify/http-check.js';
import type { RunServiceInfo } from '../../src/cloud/port.js';
import { fakeCloud, fakeNetwork, startServer } from './helpers.js';

const HOST = 'web-123.europe-west1.run.app';
let directStatus = 404;
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(directStatus);
    res.end();
  });
});
afterAll(() => server.close());

const svc = (ingress: string): RunServiceInfo => ({ name: 'web', region: 'europe-west1', ingress, annotations: {}, uri: `https://${HOST}` });
const target = { backend: 'web', service: 'web', region: 'europe-west1', expectedIngress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' };
const outcome = (status: number, ok: boolean): ProbeOutcome => ({
  probe: { route: 'default route', host: 'www.example.com', path: '/', expect: { backend: 'web', platform: 'cloud-run', service: 'web', regions: ['europe-west1'], iap: false } },
  listener: { forwardingRule: 'fr', scope: 'global', address: '34.1.2.3', port: 443, protocol: 'HTTPS', redirectToHttps: false },
  result: { url: 'https://www.example.com/', via: 'x', status, timeMs: 1 },
  ok,
});
const network = () => fakeNetwork({ [`${HOST}:443`]: { host: '127.0.0.1', port: server.port, plaintext: true } });

describe('checkIngress', () => {
  it('passes when ingress is as intended, the default URL refuses and the load balancer answers', async () => {
    directStatus = 404;
    const r = await checkIngress({ services: [target], notes: [], outcomes: [outcome(200, true)] }, fakeCloud([], [svc('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER')]), network());
    expect(r).toMatchObject({ id: 'ingress', ok: true });
    expect(r.items![0]!.detail).toMatch(/refused a direct request \(404\); through the load balancer: 200/);
  });

  it('fails when ingress is back to all, with the command that fixes it', async () => {
    directStatus = 200;
    const r = await checkIngress({ services: [target], notes: [], outcomes: [outcome(200, true)] }, fakeCloud([], [svc('INGRESS_TRAFFIC_ALL')]), network());
    expect(r.ok).toBe(false);
    expect(r.items![0]!.detail).toMatch(/ingress is INGRESS_TRAFFIC_ALL, expected INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: its default URL bypasses the load balancer/);
    expect(r.hint).toMatch(/--ingress internal-and-cloud-load-balancing/);
  });

  it('fails when the default URL still answers although ingress reads right', async () => {
    directStatus = 200;
    const r = await checkIngress({ services: [target], notes: [], outcomes: [outcome(200, true)] }, fakeCloud([], [svc('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER')]), network());
    expect(r.items![0]).toMatchObject({ ok: false, detail: expect.stringMatching(/answered 200 to a direct request/) });
  });

  it('fails when the load balancer is refused by the service', async () => {
    directStatus = 404;
    const r = await checkIngress({ services: [target], notes: [], outcomes: [outcome(404, false)] }, fakeCloud([], [svc('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER')]), network());
    expect(r.items![0]).toMatchObject({ ok: false, detail: expect.stringMatching(/through the load balancer: 404/) });
  });

  it('fails for a service that does not exist, and is skipped with no Cloud Run service', async () => {
    const missing = await checkIngress({ services: [target], notes: [], outcomes: [] }, fakeCloud(), network());
    expect(missing.items![0]).toMatchObject({ ok: false, detail: 'does not exist' });
    const none = await checkIngress({ services: [], notes: ['fn: Cloud Functions ingress settings are not managed by serverless-lb'], outcomes: [] }, fakeCloud(), network());
    expect(none).toMatchObject({ status: 'skipped', ok: true, detail: expect.stringMatching(/Cloud Functions/) });
  });

  it('accepts whatever ingress is set when it is left unchanged, and says so', async () => {
    directStatus = 200;
    const { expectedIngress: _drop, ...unchanged } = target;
    const r = await checkIngress({ services: [unchanged], notes: [], outcomes: [outcome(200, true)] }, fakeCloud([], [svc('INGRESS_TRAFFIC_ALL')]), network());
    expect(r.ok).toBe(true);
    expect(r.items![0]!.detail).toMatch(/left unchanged .* bypasses the load balancer/);
  });

  it('does not pass when the default URL cannot be reached: the refusal is not confirmed', async () => {
    // No connect-to entry for the run.app host: the request fails to connect.
    const r = await checkIngress({ services: [target], notes: [], outcomes: [outcome(200, true)] }, fakeCloud([], [svc('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER')]), fakeNetwork({}));
    expect(r.ok).toBe(false);
    expect(r.items![0]).toMatchObject({ ok: false, detail: expect.stringMatching(/could not be reached from here .*not confirmed/) });
  });

  it('leaves a request through the load balancer that failed for another reason to the http/https check, and says it is not confirmed', async () => {
    directStatus = 404;
    const failed: ProbeOutcome = { ...outcome(0, false), result: { url: 'https://www.example.com/', via: 'x', timeMs: 1, error: { code: 'ECONNRESET', message: 'socket hang up' } } as ProbeOutcome['result'] };
    const r = await checkIngress({ services: [target], notes: [], outcomes: [failed] }, fakeCloud([], [svc('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER')]), network());
    expect(r.items![0]).toMatchObject({ ok: true, detail: expect.stringMatching(/not confirmed .*see the http\/https check/) });
  });
});
