import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { EmulatorCa } from '../../../src/emulator/dataplane/emulator-ca.js';
import type { DataplaneOptions } from '../../../src/emulator/dataplane/index.js';
import { api, computeInsert, get, getTls, until } from './helpers.js';

const P = 'demo-project';
let emu: RunningEmulator;
let testCa: EmulatorCa;
let map: { listeners: Array<{ forwardingRule: string; loopbackPort: number; address: string; port: number; protocol: string }>; defaultUrls: Array<{ host: string; loopbackPort: number; service: string }> };
const port = (fr: string) => map.listeners.find((l) => l.forwardingRule === fr)!.loopbackPort;

beforeAll(async () => {
  const dataplane: DataplaneOptions = { checkIntervalMs: 50, failAfterMs: 300 };
  emu = await startEmulator({ opLatencyMs: 5, dataplane });
  testCa = await EmulatorCa.create('test CA');
  const shop = await testCa.issue(['shop.example.com', 'www.shop.example.com']);
  const other = await testCa.issue(['other.example.com']);
  const base = emu.url;
  const neg = (name: string, body: object) => computeInsert(base, 'regions/europe-west1/networkEndpointGroups', { name, networkEndpointType: 'SERVERLESS', ...body });
  await neg('neg-web', { cloudRun: { service: 'web' } });
  await neg('neg-api', { cloudRun: { service: 'api' } });
  await neg('neg-canary', { cloudRun: { service: 'web', tag: 'canary' } });
  await neg('neg-mask', { cloudRun: { urlMask: '/svc/<service>' } });
  await neg('neg-internal', { cloudRun: { service: 'internal-api' } });
  await neg('neg-fn', { cloudFunction: { function: 'legacy-fn' } });
  await neg('neg-ae', { appEngine: { service: 'admin' } });
  await neg('neg-gw', { serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'demo-gateway' } });
  await neg('neg-ghost', { cloudRun: { service: 'ghost' } });
  const group = (n: string) => `projects/${P}/regions/europe-west1/networkEndpointGroups/${n}`;
  const bs = (name: string, negs: string[], extra: object = {}) =>
    computeInsert(base, 'global/backendServices', { name, loadBalancingScheme: 'EXTERNAL_MANAGED', backends: negs.map((n) => ({ group: group(n) })), ...extra });
  await computeInsert(base, 'global/securityPolicies', {
    name: 'block-local',
    rules: [
      { priority: 1000, action: 'deny(403)', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['127.0.0.1/32'] } } },
      { priority: 2147483647, action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
    ],
  });
  await bs('bs-web', ['neg-web']);
  await bs('bs-api', ['neg-api']);
  await bs('bs-canary', ['neg-canary']);
  await bs('bs-mask', ['neg-mask']);
  await bs('bs-internal', ['neg-internal']);
  await bs('bs-fn', ['neg-fn']);
  await bs('bs-ae', ['neg-ae']);
  await bs('bs-gw', ['neg-gw']);
  await bs('bs-ghost', ['neg-ghost']);
  await bs('bs-blocked', ['neg-api'], { securityPolicy: `projects/${P}/global/securityPolicies/block-local` });
  await bs('bs-empty', []);
  const svc = (n: string) => `projects/${P}/global/backendServices/${n}`;
  await computeInsert(base, 'global/urlMaps', {
    name: 'main',
    defaultService: svc('bs-web'),
    hostRules: [
      { hosts: ['shop.example.com', 'www.shop.example.com'], pathMatcher: 'shop' },
      { hosts: ['*.example.com'], pathMatcher: 'wild' },
      { hosts: ['other.example.com'], pathMatcher: 'other' },
    ],
    pathMatchers: [
      {
        name: 'shop',
        defaultService: svc('bs-web'),
        pathRules: [
          { paths: ['/api/*'], service: svc('bs-api') },
          { paths: ['/api/canary', '/api/canary/*'], service: svc('bs-canary') },
          { paths: ['/fn'], service: svc('bs-fn') },
          { paths: ['/admin/*'], service: svc('bs-ae') },
          { paths: ['/gw/*'], service: svc('bs-gw') },
          { paths: ['/svc/*'], service: svc('bs-mask') },
          { paths: ['/internal/*'], service: svc('bs-internal') },
          { paths: ['/ghost'], service: svc('bs-ghost') },
          { paths: ['/blocked'], service: svc('bs-blocked') },
          { paths: ['/empty'], service: svc('bs-empty') },
          { paths: ['/old/*'], urlRedirect: { prefixRedirect: '/new/', redirectResponseCode: 'FOUND' } },
        ],
      },
      { name: 'wild', defaultService: svc('bs-api') },
      { name: 'other', defaultService: svc('bs-fn') },
    ],
  });
  await computeInsert(base, 'global/urlMaps', {
    name: 'redirect',
    defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
  });
  await computeInsert(base, 'global/sslCertificates', { name: 'shop-cert', certificate: shop.chainPem, privateKey: shop.privateKeyPem });
  await computeInsert(base, 'global/sslCertificates', { name: 'other-cert', certificate: other.chainPem, privateKey: other.privateKeyPem });
  await computeInsert(base, 'global/targetHttpsProxies', {
    name: 'https-proxy',
    urlMap: `projects/${P}/global/urlMaps/main`,
    sslCertificates: [`projects/${P}/global/sslCertificates/shop-cert`, `projects/${P}/global/sslCertificates/other-cert`],
  });
  await computeInsert(base, 'global/targetHttpProxies', { name: 'http-redirect', urlMap: `projects/${P}/global/urlMaps/redirect` });
  await computeInsert(base, 'global/targetHttpProxies', { name: 'http-plain', urlMap: `projects/${P}/global/urlMaps/main` });
  await computeInsert(base, 'global/addresses', { name: 'lb-ip' });
  await computeInsert(base, 'global/forwardingRules', { name: 'fr-https', IPAddress: 'lb-ip', portRange: '443', target: `projects/${P}/global/targetHttpsProxies/https-proxy`, loadBalancingScheme: 'EXTERNAL_MANAGED' });
  await computeInsert(base, 'global/forwardingRules', { name: 'fr-http', IPAddress: 'lb-ip', portRange: '80', target: `projects/${P}/global/targetHttpProxies/http-redirect`, loadBalancingScheme: 'EXTERNAL_MANAGED' });
  await computeInsert(base, 'global/forwardingRules', { name: 'fr-plain', portRange: '8080', target: `projects/${P}/global/targetHttpProxies/http-plain`, loadBalancingScheme: 'EXTERNAL_MANAGED' });
  map = (await api(base, 'GET', '/_emulator/dataplane')).body;
});

afterAll(async () => {
  await emu?.close();
});

describe('data plane map', () => {
  it('lists one listener per forwarding rule with its address and port, and the default URLs', async () => {
    const ip = (await api(emu.url, 'GET', `/compute/v1/projects/${P}/global/addresses/lb-ip`)).body.address;
    expect(map.listeners.filter((l) => l.address === ip).map((l) => [l.forwardingRule, l.port, l.protocol]).sort()).toEqual([
      ['fr-http', 80, 'HTTP'],
      ['fr-https', 443, 'HTTPS'],
    ]);
    expect(map.defaultUrls.some((d) => /^web-[a-z2-7]{10}-ew\.a\.run\.app$/.test(d.host))).toBe(true);
  });
});

describe('routing through the load balancer', () => {
  it('serves HTTPS with the certificate SNI picks, routed by host and path', async () => {
    const shop = await getTls(port('fr-https'), '/api/orders?x=1', 'shop.example.com', testCa.certificatePem);
    expect(shop.status).toBe(200);
    expect(shop.peerNames).toContain('DNS:shop.example.com');
    expect(shop.json()).toMatchObject({ platform: 'cloud-run', service: 'api', region: 'europe-west1', path: '/api/orders', query: 'x=1', via: 'load-balancer', lb: 'fr-https' });
    const other = await getTls(port('fr-https'), '/', 'other.example.com', testCa.certificatePem);
    expect(other.peerNames).toContain('DNS:other.example.com');
    expect(other.json()).toMatchObject({ platform: 'cloud-functions', service: 'legacy-fn' });
  });

  it('applies longest-path matching, exact paths, and /* prefixes', async () => {
    const p = port('fr-plain');
    const h = 'shop.example.com';
    expect((await get(p, '/api/canary', h)).json()).toMatchObject({ service: 'web', tag: 'canary' });
    expect((await get(p, '/api/canary/x', h)).json()).toMatchObject({ service: 'web', tag: 'canary' });
    expect((await get(p, '/api/other', h)).json()).toMatchObject({ service: 'api', tag: null });
    expect((await get(p, '/api', h)).json()).toMatchObject({ service: 'web' }); // `/api/*` does not match `/api`
    expect((await get(p, '/fn', h)).json()).toMatchObject({ platform: 'cloud-functions', service: 'legacy-fn' });
    expect((await get(p, '/fn/x', h)).json()).toMatchObject({ service: 'web' }); // exact rule only
  });

  it('matches hosts exactly before wildcards, ignores the port, and falls back to the default service', async () => {
    const p = port('fr-plain');
    expect((await get(p, '/', 'shop.example.com:8080')).json()).toMatchObject({ service: 'web' });
    expect((await get(p, '/api/x', 'SHOP.example.com')).json()).toMatchObject({ service: 'api' });
    expect((await get(p, '/', 'anything.example.com')).json()).toMatchObject({ service: 'api' });
    expect((await get(p, '/', 'other.example.com')).json()).toMatchObject({ service: 'legacy-fn' });
    expect((await get(p, '/', 'example.org')).json()).toMatchObject({ service: 'web' });
  });

  it('reaches App Engine, API Gateway and URL-mask targets', async () => {
    const p = port('fr-plain');
    expect((await get(p, '/admin/x', 'shop.example.com')).json()).toMatchObject({ platform: 'app-engine', service: 'admin', version: 'v2' });
    expect((await get(p, '/gw/x', 'shop.example.com')).json()).toMatchObject({ platform: 'api-gateway', service: 'demo-gateway' });
    expect((await get(p, '/svc/static/a.css', 'shop.example.com')).json()).toMatchObject({ platform: 'cloud-run', service: 'static', path: '/svc/static/a.css' });
    const missing = await get(p, '/svc/nope', 'shop.example.com');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Error: Page not found');
  });

  it('answers 404 for a target that does not exist and 503 for a backend service without backends', async () => {
    const p = port('fr-plain');
    expect((await get(p, '/ghost', 'shop.example.com')).status).toBe(404);
    const empty = await get(p, '/empty', 'shop.example.com');
    expect(empty.status).toBe(503);
    expect(empty.body).toBe('no healthy upstream');
  });

  it('redirects HTTP to HTTPS with 301, keeping the query', async () => {
    const r = await get(port('fr-http'), '/a/b?q=1', 'shop.example.com');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://shop.example.com/a/b?q=1');
  });

  it('applies path-rule redirects with prefix replacement', async () => {
    const r = await get(port('fr-plain'), '/old/page?z=2', 'shop.example.com');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('http://shop.example.com/new/page?z=2');
  });

  it('applies the backend service security policy to the client address', async () => {
    const r = await get(port('fr-plain'), '/blocked', 'shop.example.com');
    expect(r.status).toBe(403);
    expect((await get(port('fr-plain'), '/api/x', 'shop.example.com')).status).toBe(200);
  });
});

describe('Cloud Run ingress and invoker IAM', () => {
  const runPatch = (service: string, ingress: string) =>
    api(emu.url, 'PATCH', `/v2/projects/${P}/locations/europe-west1/services/${service}?updateMask=ingress`, { ingress });
  const defaultPort = (service: string) => {
    const entry = map.defaultUrls.find((d) => d.service === `projects/${P}/locations/europe-west1/services/${service}` && d.host.endsWith('.a.run.app') && !d.host.includes('---'))!;
    return { port: entry.loopbackPort, host: entry.host };
  };

  it('serves the default URL while ingress is ALL, and refuses it with Google 404 when restricted', async () => {
    const { port: p, host } = defaultPort('internal-api');
    const open = await get(p, '/hello', host);
    expect(open.json()).toMatchObject({ platform: 'cloud-run', service: 'internal-api', via: 'default-url' });
    await runPatch('internal-api', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    const blocked = await get(p, '/hello', host);
    expect(blocked.status).toBe(404);
    expect(blocked.headers['content-type']).toContain('text/html');
    expect(blocked.body).toContain('404 Page not found');
    // Through the external load balancer it still answers.
    expect((await get(port('fr-plain'), '/internal/x', 'shop.example.com')).json()).toMatchObject({ service: 'internal-api', via: 'load-balancer' });
  });

  it('refuses an external load balancer when ingress is INTERNAL_ONLY', async () => {
    await runPatch('internal-api', 'INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect((await get(port('fr-plain'), '/internal/x', 'shop.example.com')).status).toBe(404);
    await runPatch('internal-api', 'INGRESS_TRAFFIC_ALL');
    expect((await get(port('fr-plain'), '/internal/x', 'shop.example.com')).status).toBe(200);
  });

  it('answers 403 when allUsers lacks roles/run.invoker, and serves tag URLs', async () => {
    const resource = `projects/${P}/locations/europe-west1/services/web`;
    await api(emu.url, 'POST', `/v2/${resource}:setIamPolicy`, { policy: { bindings: [] } });
    const { port: p, host } = defaultPort('web');
    const denied = await get(p, '/', host);
    expect(denied.status).toBe(403);
    expect(denied.body).toContain('Your client does not have permission');
    await api(emu.url, 'POST', `/v2/${resource}:setIamPolicy`, { policy: { bindings: [{ role: 'roles/run.invoker', members: ['allUsers'] }] } });
    const tagged = await get(p, '/', `canary---${host}`);
    expect(tagged.status, String(tagged.headers['x-emulator-reason'])).toBe(200);
    expect(tagged.json()).toMatchObject({ service: 'web', tag: 'canary' });
  });
});

describe('listeners follow the store', () => {
  it('closes a listener when its forwarding rule is deleted', async () => {
    const p = port('fr-plain');
    const res = await api(emu.url, 'DELETE', `/compute/v1/projects/${P}/global/forwardingRules/fr-plain`);
    await api(emu.url, 'POST', `/compute/v1/projects/${P}/global/operations/${res.body.name}/wait`, '');
    const after = (await api(emu.url, 'GET', '/_emulator/dataplane')).body as typeof map;
    expect(after.listeners.some((l) => l.forwardingRule === 'fr-plain')).toBe(false);
    await expect(get(p, '/', 'shop.example.com')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('Google-managed certificates', () => {
  it('stays PROVISIONING, turns FAILED_NOT_VISIBLE, then ACTIVE once DNS points at the load balancer', async () => {
    const base = emu.url;
    await computeInsert(base, 'global/sslCertificates', { name: 'managed', type: 'MANAGED', managed: { domains: ['secure.example.com'] } });
    await computeInsert(base, 'global/targetHttpsProxies', {
      name: 'managed-proxy',
      urlMap: `projects/${P}/global/urlMaps/main`,
      sslCertificates: [`projects/${P}/global/sslCertificates/managed`],
    });
    await computeInsert(base, 'global/forwardingRules', { name: 'fr-managed', portRange: '443', target: `projects/${P}/global/targetHttpsProxies/managed-proxy`, loadBalancingScheme: 'EXTERNAL_MANAGED' });
    const certPath = `/compute/v1/projects/${P}/global/sslCertificates/managed`;
    const first = (await api(base, 'GET', certPath)).body;
    expect(first.managed).toMatchObject({ status: 'PROVISIONING', domainStatus: { 'secure.example.com': 'PROVISIONING' } });
    expect(first.privateKey).toBeUndefined();

    // A record pointing somewhere else: not visible.
    await api(base, 'POST', `/dns/v1/projects/${P}/managedZones/example-com/rrsets`, { name: 'secure.example.com.', type: 'A', ttl: 60, rrdatas: ['34.0.0.1'] });
    const failed = await until('FAILED_NOT_VISIBLE', async () => {
      const c = (await api(base, 'GET', certPath)).body;
      return c.managed.domainStatus['secure.example.com'] === 'FAILED_NOT_VISIBLE' ? c : undefined;
    });
    expect(failed.managed.status).toBe('PROVISIONING');

    const ip = (await api(base, 'GET', `/compute/v1/projects/${P}/global/forwardingRules/fr-managed`)).body.IPAddress;
    await api(base, 'PATCH', `/dns/v1/projects/${P}/managedZones/example-com/rrsets/secure.example.com./A`, { rrdatas: [ip] });
    const active = await until('ACTIVE', async () => {
      const c = (await api(base, 'GET', certPath)).body;
      return c.managed.status === 'ACTIVE' ? c : undefined;
    });
    expect(active.managed.domainStatus).toEqual({ 'secure.example.com': 'ACTIVE' });
    expect(active.certificate).toContain('BEGIN CERTIFICATE');
    expect(active.subjectAlternativeNames).toEqual(['secure.example.com']);

    const ca = await (await fetch(`${base}/_emulator/ca.pem`)).text();
    const dp = (await api(base, 'GET', '/_emulator/dataplane')).body as typeof map;
    const p = dp.listeners.find((l) => l.forwardingRule === 'fr-managed')!.loopbackPort;
    const r = await getTls(p, '/api/x', 'secure.example.com', ca);
    expect(r.peerNames).toBe('DNS:secure.example.com');
    expect(r.json()).toMatchObject({ via: 'load-balancer', lb: 'fr-managed' });
  });

  it('fails the TLS handshake while no certificate is active', async () => {
    const base = emu.url;
    await computeInsert(base, 'global/sslCertificates', { name: 'pending', type: 'MANAGED', managed: { domains: ['pending.example.com'] } });
    await computeInsert(base, 'global/targetHttpsProxies', { name: 'pending-proxy', urlMap: `projects/${P}/global/urlMaps/main`, sslCertificates: [`projects/${P}/global/sslCertificates/pending`] });
    await computeInsert(base, 'global/forwardingRules', { name: 'fr-pending', portRange: '443', target: `projects/${P}/global/targetHttpsProxies/pending-proxy`, loadBalancingScheme: 'EXTERNAL_MANAGED' });
    const dp = (await api(base, 'GET', '/_emulator/dataplane')).body as typeof map;
    const p = dp.listeners.find((l) => l.forwardingRule === 'fr-pending')!.loopbackPort;
    const ca = await (await fetch(`${base}/_emulator/ca.pem`)).text();
    await expect(getTls(p, '/', 'pending.example.com', ca)).rejects.toThrow();
  });
});
