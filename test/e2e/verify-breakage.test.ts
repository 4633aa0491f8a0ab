/**
 * Break one thing at a time behind the tool's back (through the emulator's Google APIs, as a person
 * with gcloud would) and check that the matching verify check fails with the right message while
 * the others still pass; then put it back and verify passes again.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert } from '../spec/helpers/certs.js';
import { assertBuilt, EXAMPLES, runCli, startHarness, type EmulatorHarness } from './support/harness.js';
import { check, compute, computeChange, expectOnlyFailing, setRunIngress, upsertRecord, verify } from './verify-support.js';

let h: EmulatorHarness;
beforeAll(async () => {
  assertBuilt();
  h = await startHarness(0);
});
afterAll(async () => h?.close());

async function applied(file: string): Promise<string> {
  await h.reset();
  const config = resolve(EXAMPLES, file);
  const result = await runCli(['apply', '--yes', '-c', config, '--wait', '5s'], { env: h.env });
  expect(result.code, result.stderr).toBe(0);
  return config;
}

describe('global-external: one break at a time', () => {
  let config: string;
  let lbIp: string;
  beforeAll(async () => {
    config = await applied('global-external.yaml');
    lbIp = String((await compute(h, 'GET', 'global/forwardingRules/global-lb-https-fr')).IPAddress);
  });

  it('passes as applied', async () => {
    const { report, result } = await verify(h, config);
    expectOnlyFailing(report, []);
    expect(result.code).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual(['dns', 'certificate', 'https', 'http', 'ingress']);
  });

  it('ingress set back to all: only the ingress check fails, naming the service and the fix', async () => {
    await setRunIngress(h, 'europe-west1', 'web', 'INGRESS_TRAFFIC_ALL');
    try {
      const { report, result } = await verify(h, config);
      expectOnlyFailing(report, ['ingress']);
      expect(result.code).toBe(1);
      const ingress = check(report, 'ingress');
      const web = ingress.items!.find((i) => i.name.startsWith('Cloud Run web'))!;
      expect(web).toMatchObject({ ok: false, detail: expect.stringMatching(/ingress is INGRESS_TRAFFIC_ALL, expected INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: its default URL bypasses the load balancer/) });
      expect(ingress.hint).toMatch(/gcloud run services update web --region europe-west1 --ingress internal-and-cloud-load-balancing/);
      expect(ingress.items!.find((i) => i.name.startsWith('Cloud Run api'))!.ok).toBe(true);
    } finally {
      await setRunIngress(h, 'europe-west1', 'web', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    }
  });

  it('a DNS record pointing elsewhere: only the dns check fails, with the record to create', async () => {
    await upsertRecord(h, 'example-com', 'www.example.com', 'A', ['198.51.100.7']);
    try {
      const { report } = await verify(h, config);
      expectOnlyFailing(report, ['dns']);
      const dns = check(report, 'dns');
      expect(dns.items!.find((i) => i.name === 'www.example.com')!.detail).toMatch(/points elsewhere: 198\.51\.100\.7 is not the load balancer/);
      expect(dns.items!.find((i) => i.name === 'api.example.com')!.ok).toBe(true);
      expect(dns.records).toEqual([`www.example.com. 300 IN A ${lbIp}`]);
      expect(dns.hint).toMatch(/zone example-com/);
    } finally {
      await upsertRecord(h, 'example-com', 'www.example.com', 'A', [lbIp]);
    }
  });

  it('a certificate for other names on the proxy: the certificate check and TLS fail, routing still passes', async () => {
    const proxyPath = 'global/targetHttpsProxies/global-lb-https-proxy';
    // Google's path for this method has no `global/`.
    const setter = 'targetHttpsProxies/global-lb-https-proxy/setSslCertificates';
    const original = (await compute(h, 'GET', proxyPath)).sslCertificates as string[];
    const other = await makeCert({ names: ['*.example.org'], key: 'ec' });
    await computeChange(h, 'POST', 'global/sslCertificates', { name: 'other-names-cert', certificate: other.certPem, privateKey: other.keyPem }, 'global/sslCertificates/other-names-cert', () => true);
    const otherUrl = String((await compute(h, 'GET', 'global/sslCertificates/other-names-cert')).selfLink);
    await computeChange(h, 'POST', setter, { sslCertificates: [otherUrl] }, proxyPath, (p) => JSON.stringify(p.sslCertificates) === JSON.stringify([otherUrl]));
    try {
      const { report } = await verify(h, config);
      expectOnlyFailing(report, ['certificate', 'https']);
      const cert = check(report, 'certificate');
      expect(cert.items!.find((i) => i.name === 'www.example.com')!.detail).toMatch(/no certificate on the HTTPS proxy covers www\.example\.com \(they cover \*\.example\.org\)/);
      const https = check(report, 'https');
      expect(https.items!.filter((i) => !i.ok).map((i) => i.name).sort()).toEqual(['TLS api.example.com', 'TLS www.example.com']);
      expect(https.items!.find((i) => i.name === 'TLS www.example.com')!.detail).toMatch(/certificate for \*\.example\.org .*not valid for www\.example\.com/);
    } finally {
      await computeChange(h, 'POST', setter, { sslCertificates: original }, proxyPath, (p) => JSON.stringify(p.sslCertificates) === JSON.stringify(original));
    }
    const { report } = await verify(h, config);
    expectOnlyFailing(report, []);
  });
});

describe('multi-region: a path rule removed', () => {
  it('only the https check fails, on that path rule, naming the backend that answered instead', async () => {
    const config = await applied('multi-region.yaml');
    const mapPath = 'global/urlMaps/multi-lb-urlmap';
    const map = await compute(h, 'GET', mapPath);
    const matchers = map.pathMatchers as Array<{ name: string; pathRules?: Array<{ paths: string[] }> }>;
    const edited = matchers.map((m) => ({ ...m, ...(m.pathRules ? { pathRules: m.pathRules.filter((r) => !r.paths.includes('/static')) } : {}) }));
    expect(JSON.stringify(edited)).not.toEqual(JSON.stringify(matchers));
    await computeChange(h, 'PATCH', mapPath, { pathMatchers: edited, fingerprint: map.fingerprint }, mapPath, (m) => !JSON.stringify(m.pathMatchers).includes('/static'));

    const { report, result } = await verify(h, config);
    expectOnlyFailing(report, ['https']);
    expect(result.code).toBe(1);
    const failed = check(report, 'https').items!.filter((i) => !i.ok);
    expect(failed.map((i) => i.name)).toEqual([expect.stringMatching(/^path rule \/static, \/static\/\* on example\.com: GET https:\/\/example\.com\/static/)]);
    expect(failed[0]!.detail).toMatch(/answered by Cloud Run service web \(europe-west1\), expected backend static: Cloud Run service static \(service differ\)/);
    expect(failed[0]!.hint).toMatch(/URL map sends this host and path to another backend/);
  });
});
