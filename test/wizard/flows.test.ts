/**
 * Answer flows with a scripted prompter: every question by its stable id, one path per load
 * balancer type (irrelevant questions skipped), discovery and its fallback, answers refused and
 * asked again, echoes of flag and config values.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import { LB_TYPE_INFO, SPEC_FIELDS } from '../../src/spec/index.js';
import { DEFAULT, answers, UnscriptedQuestionError } from '../../src/wizard/scripted-prompter.js';
import { baseQuestionId } from '../../src/wizard/questions.js';
import { scripted, seededCloud } from './helpers.js';
import { cloudDiscovery } from '../../src/wizard/discovery.js';
import { MemoryCloud } from '../../src/cloud/memory-cloud.js';

const everyAskedId = new Set<string>();
async function run(...args: Parameters<typeof scripted>) {
  const result = await scripted(...args);
  for (const id of result.asked) everyAskedId.add(id);
  expect(result.prompter.unused(), 'every scripted answer is used').toEqual([]);
  return result;
}

afterAll(() => {
  // Every prompt id the flows asked names a question of the field registry.
  const registry = new Set(SPEC_FIELDS.map((f) => f.question).filter(Boolean));
  for (const id of everyAskedId) expect(registry, id).toContain(baseQuestionId(id));
});

const certs = join(import.meta.dirname, '../../docs/examples/certs');
const io = { readFile: (p: string) => readFileSync(p, 'utf8') };

describe('global external path', () => {
  it('asks one question per field in order, lists Cloud Run services, attaches a discovered policy', async () => {
    const cloud = seededCloud();
    const r = await run(
      {
        project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: ['web', 'api'], defaultBackend: 'web',
        routes: 'api.example.com=api', name: 'shop', protocol: DEFAULT, port: DEFAULT, domains: 'www.example.com, api.example.com',
        certificate: DEFAULT, dnsZone: 'example-com', address: DEFAULT, cdn: true, iap: DEFAULT, securityPolicy: 'corp-policy',
        logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { cloud },
    );
    expect(r.asked).toEqual([
      'project', 'type', 'region', 'backends', 'defaultBackend', 'routes', 'name', 'protocol', 'port', 'domains', 'certificate',
      'dnsZone', 'address', 'cdn', 'iap', 'securityPolicy', 'logging', 'outlierDetection', 'ingress', 'invoker',
    ]);
    const type = r.prompter.asked.find((q) => q.id === 'type')!;
    expect(type.default).toBe('global-external');
    expect(type.choices?.map((c) => c.value)).toEqual(['global-external', 'classic', 'regional-external', 'regional-internal', 'cross-region-internal']);
    expect(type.choices?.map((c) => c.description)).toEqual(Object.values(LB_TYPE_INFO).map((i) => i.summary));
    const backends = r.prompter.asked.find((q) => q.id === 'backends')!;
    expect(backends.kind).toBe('checkbox');
    expect(backends.choices?.map((c) => c.value)).toEqual(['web', 'api', '+other']);
    expect(r.prompter.asked.find((q) => q.id === 'securityPolicy')!.choices?.map((c) => c.value)).toContain('corp-policy');
    expect(r.prompter.asked.find((q) => q.id === 'protocol')!.default).toBe('https-redirect');
    // The project's Cloud DNS zones are listed, the one that covers the domains first and proposed.
    const dnsZone = r.prompter.asked.find((q) => q.id === 'dnsZone')!;
    expect(dnsZone.choices?.map((c) => c.value)).toEqual(['example-com', 'other-org', '']);
    expect(dnsZone.default).toBe('example-com');
    expect(r.input).toMatchObject({
      project: 'demo-project', type: 'global-external', region: 'europe-west1', name: 'shop',
      backends: [{ name: 'web', cloudRun: { service: 'web' } }, { name: 'api', cloudRun: { service: 'api' } }],
      routing: { defaultBackend: 'web', hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }] },
      frontend: { protocol: 'https-redirect', domains: ['www.example.com', 'api.example.com'], address: { mode: 'reserve' } },
      certificate: { type: 'managed' },
      dns: { managedZone: 'example-com' },
      options: { cdn: { enabled: true }, iap: { enabled: false }, cloudArmor: { existingPolicy: 'corp-policy' }, logging: { enabled: true }, ingress: 'auto' },
    });
    expect(r.input.frontend?.port, 'the protocol\'s own port is left to the default').toBeUndefined();
    expect(r.answers.every((a) => a.source === 'asked')).toBe(true);
  });

  it('asks the advanced questions only on the advanced path, and writes what they answer', async () => {
    const cloud = seededCloud();
    const base = {
      project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: ['web'], name: 'shop', protocol: 'https', port: DEFAULT, domains: 'www.example.com',
      certificate: DEFAULT, dnsZone: DEFAULT, address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: 'public-no-iam-check',
    };
    const simple = await run(base, { cloud });
    for (const id of ['tlsProfile', 'minTlsVersion', 'http3', 'mtlsTrustAnchors', 'ipVersion', 'defaultUrl', 'responseHeaders']) expect(simple.asked).not.toContain(id);
    const r = await run(
      { ...base, tlsProfile: 'MODERN', minTlsVersion: DEFAULT, http3: 'on', mtlsTrustAnchors: '', ipVersion: 'IPV4_IPV6', defaultUrl: 'disabled', responseHeaders: 'Strict-Transport-Security: max-age=31536000; X-Frame-Options: DENY' },
      { cloud, hints: { advanced: true } },
    );
    expect(r.asked).toEqual(expect.arrayContaining(['tlsProfile', 'minTlsVersion', 'http3', 'defaultUrl', 'responseHeaders']));
    expect(r.input).toMatchObject({
      frontend: { tls: { policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' }, http3: true }, address: { ipVersion: 'IPV4_IPV6' } },
      options: { invoker: 'public-no-iam-check', defaultUrl: 'disabled', headers: { response: { 'Strict-Transport-Security': 'max-age=31536000', 'X-Frame-Options': 'DENY' } } },
    });
  });

  it('suggests the domains named in the routes, and an existing address from discovery', async () => {
    const r = await run(
      {
        project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: ['web', 'api'], defaultBackend: DEFAULT,
        routes: 'api.example.com=api, /static/*=web', name: DEFAULT, protocol: 'http', port: DEFAULT, domains: DEFAULT, dnsZone: '',
        address: 'existing', addressName: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: false,
        outlierDetection: true, ingress: 'internal-and-cloud-load-balancing', invoker: DEFAULT,
      },
      { cloud: seededCloud() },
    );
    expect(r.asked).not.toContain('certificate');
    expect(r.input.name).toBe('web-lb');
    expect(r.input.frontend?.domains).toEqual(['api.example.com']);
    expect(r.input.routing?.hosts).toEqual([
      { hosts: ['api.example.com'], defaultBackend: 'api' },
      { hosts: ['*'], paths: [{ paths: ['/static/*'], backend: 'web' }] },
    ]);
    expect(r.prompter.asked.find((q) => q.id === 'addressName')).toMatchObject({ kind: 'select', choices: [{ value: 'reserved-ip' }] });
    expect(r.input.frontend?.address).toEqual({ mode: 'existing', name: 'reserved-ip' });
    expect(r.input.options).toMatchObject({ logging: { enabled: false }, outlierDetection: {}, ingress: 'internal-and-cloud-load-balancing' });
    expect(r.input.dns).toBeUndefined();
  });

  it('takes other kinds of backend typed in the --backend syntax next to listed services', async () => {
    const r = await run(
      {
        project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: ['web', '+other'],
        'backends.other': answers('legacy=nope:x', 'legacy=function:legacy-fn, app=appengine:default/v1'),
        defaultBackend: DEFAULT, routes: '', name: 'mixed', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT,
        cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { cloud: seededCloud() },
    );
    expect(r.prompter.rejections).toEqual([{ id: 'backends.other', answer: 'legacy=nope:x', error: expect.stringContaining('unknown kind "nope"') }]);
    expect(r.input.backends).toEqual([
      { name: 'web', cloudRun: { service: 'web' } },
      { name: 'legacy', cloudFunction: { function: 'legacy-fn' } },
      { name: 'app', appEngine: { service: 'default', version: 'v1' } },
    ]);
  });
});

describe('classic path', () => {
  it('refuses a port the classic load balancer does not take, and asks again', async () => {
    const r = await run({
      project: 'demo-project', type: 'classic', region: 'europe-west1', backends: 'web', name: 'old', protocol: 'https',
      port: answers(8443, 443), domains: 'www.example.com', certificate: DEFAULT, dnsZone: '', address: DEFAULT, cdn: DEFAULT,
      iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
    });
    expect(r.prompter.rejections).toHaveLength(1);
    expect(r.prompter.rejections[0]).toMatchObject({ id: 'port', answer: 8443 });
    expect(r.prompter.rejections[0]!.error).toMatch(/port 443/);
    expect(r.asked).not.toContain('outlierDetection');
    expect(r.asked).toContain('cdn');
    // Without discovery, backends are typed.
    expect(r.prompter.asked.find((q) => q.id === 'backends')!.kind).toBe('input');
    expect(r.input).toMatchObject({ type: 'classic', frontend: { protocol: 'https' }, backends: [{ name: 'web', cloudRun: { service: 'web' } }] });
  });
});

describe('regional external path', () => {
  it('asks for the network and the proxy-only subnet, never CDN or a Compute Engine managed certificate', async () => {
    const r = await run(
      {
        project: 'demo-project', type: 'regional-external', region: 'europe-west1', backends: ['web'], name: 'eu', protocol: 'https',
        port: DEFAULT, domains: 'app.example.com', certificate: answers('managed', 'self-managed'),
        certificateFile: join(certs, 'example.com.crt'), privateKeyFile: join(certs, 'example.com.key'), dnsZone: '', address: DEFAULT,
        network: DEFAULT, proxyOnlySubnet: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { cloud: seededCloud(), io },
    );
    expect(r.asked).toEqual([
      'project', 'type', 'region', 'backends', 'name', 'protocol', 'port', 'domains', 'certificate', 'certificateFile', 'privateKeyFile',
      'dnsZone', 'address', 'network', 'proxyOnlySubnet', 'iap', 'securityPolicy', 'logging', 'ingress', 'invoker',
    ]);
    expect(r.prompter.rejections.map((x) => x.id)).toEqual(['certificate']);
    expect(r.prompter.asked.find((q) => q.id === 'certificate')!.choices?.map((c) => c.value)).toEqual(['managed-cm', 'self-managed', 'self-managed-cm', 'existing', 'certificate-manager']);
    expect(r.lines.join('\n')).toMatch(/europe-west1 has an ACTIVE REGIONAL_MANAGED_PROXY proxy-only subnet: proxy-only-europe-west1/);
    expect(r.input.frontend?.network).toEqual({ network: 'default', proxyOnlySubnet: { mode: 'existing' } });
    expect(r.input.certificate).toEqual({ type: 'self-managed', certificateFile: join(certs, 'example.com.crt'), privateKeyFile: join(certs, 'example.com.key') });
  });

  it('refuses a certificate file that is not a certificate, with the config\'s own rule', async () => {
    const r = await run(
      {
        project: 'demo-project', type: 'regional-external', region: 'europe-west1', backends: 'web', name: 'eu', protocol: 'https',
        port: DEFAULT, domains: 'app.example.com', certificate: 'self-managed',
        certificateFile: join(certs, 'example.com.crt'), privateKeyFile: answers(join(certs, 'README.md'), join(certs, 'example.com.key')),
        dnsZone: '', address: DEFAULT, network: DEFAULT, proxyOnlySubnet: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { io },
    );
    expect(r.prompter.rejections.map((x) => x.id)).toEqual(['privateKeyFile']);
  });
});

describe('regional internal path', () => {
  it('asks for the subnet, offers internal ingress, and proposes creating a missing proxy-only subnet', async () => {
    const r = await run(
      {
        project: 'demo-project', type: 'regional-internal', region: 'us-central1', backends: ['api'], name: 'private', protocol: DEFAULT,
        port: DEFAULT, domains: '', certificate: 'existing', existingCertificate: 'internal-cert', address: DEFAULT, network: DEFAULT,
        subnet: DEFAULT, proxyOnlySubnetRange: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT,
        ingress: 'internal',
        invoker: DEFAULT,
      },
      { cloud: seededCloud() },
    );
    expect(r.asked).not.toContain('cdn');
    expect(r.asked).not.toContain('outlierDetection');
    expect(r.asked).not.toContain('dnsZone');
    expect(r.prompter.asked.find((q) => q.id === 'protocol')!.default).toBe('https');
    expect(r.prompter.asked.find((q) => q.id === 'ingress')!.choices?.map((c) => c.value)).toContain('internal');
    // None exists in us-central1: "existing" is not offered, and the range proposed is free in the
    // whole network (10.129.0.0/23 is europe-west1's proxy-only subnet).
    expect(r.asked).not.toContain('proxyOnlySubnet');
    expect(r.lines.join('\n')).toMatch(/No ACTIVE REGIONAL_MANAGED_PROXY proxy-only subnet in us-central1 \(network default\): serverless-lb will create one/);
    expect(r.input.frontend?.network).toEqual({ network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'create', ranges: { 'us-central1': '10.129.2.0/23' } } });
    expect(r.input.certificate).toEqual({ type: 'existing', names: ['internal-cert'] });
    expect(r.input.options?.ingress).toBe('internal');
  });

  it('does not offer internal-only ingress to an external load balancer', async () => {
    const r = await run({
      project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web', name: 'x', protocol: 'http', port: DEFAULT, domains: '',
      address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
    });
    expect(r.prompter.asked.find((q) => q.id === 'ingress')!.choices?.map((c) => c.value)).toEqual(['auto', 'internal-and-cloud-load-balancing', 'unchanged']);
  });
});

describe('cross-region internal path', () => {
  it('asks for regions instead of a region, only Certificate Manager, no Cloud Armor', async () => {
    const r = await run(
      {
        project: 'demo-project', type: 'cross-region-internal', regions: 'europe-west1, us-central1', backends: ['web'], name: 'mesh',
        protocol: DEFAULT, port: DEFAULT, domains: '', certificate: 'certificate-manager', certificateManagerCertificate: 'cm-cert', address: DEFAULT,
        network: DEFAULT, subnet: DEFAULT, proxyOnlySubnetRange: DEFAULT, iap: DEFAULT, logging: DEFAULT,
        outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { cloud: seededCloud() },
    );
    expect(r.asked).toEqual([
      'project', 'type', 'regions', 'backends', 'name', 'protocol', 'port', 'domains', 'certificate', 'certificateManagerCertificate',
      'address', 'network', 'subnet', 'proxyOnlySubnetRange', 'iap', 'logging', 'outlierDetection', 'ingress', 'invoker',
    ]);
    expect(r.prompter.asked.find((q) => q.id === 'certificate')!.choices?.map((c) => c.value)).toEqual(['managed-cm', 'self-managed-cm', 'certificate-manager']);
    expect(r.prompter.asked.find((q) => q.id === 'backends')!.choices?.[0]?.name).toMatch(/europe-west1, us-central1/);
    expect(r.input).toMatchObject({
      regions: ['europe-west1', 'us-central1'],
      certificate: { type: 'certificate-manager', certificates: ['cm-cert'] },
      frontend: { network: { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.129.2.0/23', 'us-central1': '10.129.4.0/23' } } } },
    });
    expect(r.input.region).toBeUndefined();
  });
});

describe('validation on the spot', () => {
  it('refuses answers the config would refuse, says why, and asks again', async () => {
    const r = await run({
      project: answers('Bad_Project', 'demo-project'), type: DEFAULT, region: answers('europe-west1-b', 'europe-west1'),
      backends: answers('Web', 'web, api'), defaultBackend: answers('web'), routes: answers('api.example.com=nope', 'api.example.com=api'),
      name: answers('-lb', 'shop'), protocol: DEFAULT, port: answers(0, 443), domains: answers('https://www.example.com', 'www.example.com'),
      certificate: DEFAULT, dnsZone: answers('Example.com', 'example-com'), address: DEFAULT, cdn: DEFAULT, iap: DEFAULT,
      securityPolicy: '@rate-limit', rateLimit: answers('100/7s', '100/60s'), logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
    });
    const refused = Object.fromEntries(r.prompter.rejections.map((x) => [`${x.id}:${String(x.answer)}`, x.error]));
    expect(refused['project:Bad_Project']).toMatch(/project ID/);
    expect(refused['region:europe-west1-b']).toMatch(/region/);
    expect(refused['backends:Web']).toMatch(/lowercase/);
    expect(refused['routes:api.example.com=nope']).toMatch(/no backend is named "nope"/);
    expect(refused['name:-lb']).toMatch(/lowercase letter/);
    expect(refused['port:0']).toMatch(/at least 1/);
    expect(refused['domains:https://www.example.com']).toMatch(/not a URL/);
    expect(refused['dnsZone:Example.com']).toMatch(/managed zone/);
    expect(refused['rateLimit:100/7s']).toMatch(/interval 7s/);
    expect(r.prompter.rejections).toHaveLength(9);
    expect(r.input.options?.cloudArmor?.rules?.[0]).toMatchObject({ action: 'throttle', rateLimit: { count: 100, intervalSec: 60 } });
  });

  it('refuses no domains when the configured certificate needs them', async () => {
    const r = await run(
      { project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web', name: 'x', protocol: DEFAULT, port: DEFAULT, domains: answers('', 'www.example.com'), dnsZone: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { given: { certificate: { type: 'managed' } }, config: { input: { certificate: { type: 'managed' } }, path: 'lb.yaml' } },
    );
    expect(r.prompter.rejections).toEqual([{ id: 'domains', answer: '', error: expect.stringMatching(/a Google-managed certificate needs at least one domain/) }]);
    expect(r.lines).toContain('✔ Certificate: managed (from lb.yaml)');
  });

  it('asks again, after the last question, an earlier answer that a later one made invalid', async () => {
    const r = await run({
      project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web', name: 'x', protocol: 'http', port: DEFAULT, domains: '',
      address: DEFAULT, cdn: answers(true, false), iap: true, iapClientId: '', securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
    });
    expect(r.asked.filter((id) => id === 'cdn')).toHaveLength(2);
    expect(r.asked).not.toContain('outlierDetection');
    expect(r.lines.join('\n')).toMatch(/✖ error options.cdn.enabled \(--cdn\): backend "web" has both Cloud CDN and IAP/);
    expect(r.input.options).toMatchObject({ cdn: { enabled: false }, iap: { enabled: true } });
  });

  it('fails on a question the script does not answer', async () => {
    await expect(scripted({ project: 'demo-project', type: DEFAULT })).rejects.toBeInstanceOf(UnscriptedQuestionError);
    await expect(scripted({ project: 'demo-project', type: DEFAULT })).rejects.toThrow(/unscripted question "region"/);
  });

  it('fails when every scripted answer is refused', async () => {
    await expect(scripted({ project: answers('X', 'Y') })).rejects.toThrow(/"project" refused every scripted answer/);
  });
});

describe('answers from flags and the config', () => {
  it('echoes them instead of asking, saying where each came from', async () => {
    const flags = { project: 'demo-project', type: 'regional-external' as const };
    const config = { input: { region: 'europe-west1', name: 'from-config' }, path: 'lb.yaml' };
    const r = await run(
      { backends: 'web', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, network: DEFAULT, proxyOnlySubnet: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { given: { ...flags, ...config.input }, flags, config },
    );
    expect(r.asked).not.toContain('project');
    expect(r.asked).not.toContain('type');
    expect(r.asked).not.toContain('region');
    expect(r.asked).not.toContain('name');
    expect(r.lines).toContain('✔ Project: demo-project (from --project)');
    expect(r.lines).toContain('✔ Region: europe-west1 (from lb.yaml)');
    expect(r.answers.find((a) => a.id === 'name')).toMatchObject({ source: 'config', from: 'lb.yaml' });
  });

  it('asks again a given answer the rules refuse', async () => {
    const r = await run(
      { region: 'europe-west1', backends: 'web', name: 'x', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { given: { project: 'demo-project', type: 'global-external', region: 'europe-west' }, flags: { region: 'europe-west' } },
    );
    expect(r.asked[0]).toBe('region');
    expect(r.lines.some((l) => l.startsWith('✖ Region: europe-west (from --region)'))).toBe(true);
    expect(r.input.region).toBe('europe-west1');
  });

  it('offers a caller\'s suggested answers as the defaults', async () => {
    const r = await run(
      { name: DEFAULT, region: DEFAULT, backends: DEFAULT, protocol: DEFAULT, port: DEFAULT, domains: DEFAULT, certificate: DEFAULT, dnsZone: DEFAULT, address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT, type: DEFAULT },
      { given: { project: 'demo-project' }, suggested: { name: 'demo-lb', region: 'asia-northeast1', backends: [{ name: 'web', cloudRun: { service: 'web' } }], frontend: { domains: ['www.example.com'] }, dns: { managedZone: 'example-com' } }, cloud: seededCloud() },
    );
    expect(r.input).toMatchObject({ name: 'demo-lb', region: 'asia-northeast1', frontend: { domains: ['www.example.com'] }, dns: { managedZone: 'example-com' } });
    // asia-northeast1 has no service in this cloud: the backends are typed, the suggestion offered.
    expect(r.prompter.asked.find((q) => q.id === 'backends')).toMatchObject({ kind: 'input', default: 'web' });
    expect(r.lines.join('\n')).toMatch(/No Cloud Run service found in asia-northeast1/);
  });
});

describe('discovery', () => {
  it('falls back to typing, with a note, when listing is not permitted', async () => {
    const cloud = seededCloud();
    cloud.fail({ method: 'read', target: /^run:/, reason: 'forbidden' });
    const r = await run(
      { project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web', name: 'x', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { cloud },
    );
    expect(r.prompter.asked.find((q) => q.id === 'backends')!.kind).toBe('input');
    expect(r.lines.join('\n')).toMatch(/Cannot list Cloud Run services in europe-west1 \(forbidden/);
  });

  it('falls back to typing when the Cloud cannot be opened at all', async () => {
    const prompterScript = { project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web', name: 'x', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT };
    const r = await run(prompterScript, { discovery: async () => { throw Object.assign(new Error('no credentials'), { reason: 'credentialsMissing', googleMessage: 'Application Default Credentials are not set' }); } });
    expect(r.lines.join('\n')).toMatch(/Cannot list what exists \(credentialsMissing: Application Default Credentials are not set\)/);
    expect(r.input.backends).toEqual([{ name: 'web', cloudRun: { service: 'web' } }]);
  });

  it('tries a listing once more after a failure the Cloud calls retryable', async () => {
    const cloud = seededCloud();
    cloud.fail({ method: 'read', target: /^run:/, reason: 'rateLimitExceeded', times: 1 });
    const r = await run(
      { project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: ['web'], name: 'x', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { cloud },
    );
    expect(r.prompter.asked.find((q) => q.id === 'backends')!.kind).toBe('checkbox');
    expect(r.lines.join('\n')).not.toMatch(/Cannot list/);
  });

  it('lists each thing once, under a spinner', async () => {
    const cloud = seededCloud();
    const spun: string[] = [];
    await run(
      { project: 'demo-project', type: 'cross-region-internal', regions: 'europe-west1', backends: ['web'], name: 'm', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, network: DEFAULT, subnet: DEFAULT, proxyOnlySubnetRange: DEFAULT, iap: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { cloud, spin: (text, work) => (spun.push(text), work()) },
    );
    expect(spun).toEqual(['Checking project demo-project', 'Listing regions', 'Listing Cloud Run services in europe-west1', 'Listing VPC networks', 'Listing subnets in europe-west1', 'Listing subnets of network default']);
    expect(cloud.calls.filter((c) => c.target === 'subnetworks:europe-west1')).toHaveLength(1);
  });
});

describe('answers checked when given', () => {
  /** Discovery for whichever project is answered: demo-project exists; any other fails as Google would. */
  function projects(reason = 'notFound') {
    const cloud = seededCloud();
    return {
      cloud,
      discovery: async (answers: { project?: string }) =>
        cloudDiscovery(answers.project === 'demo-project' ? cloud : new MemoryCloud({ project: answers.project ?? 'x', accessError: reason })),
    };
  }
  const rest = { type: DEFAULT, backends: 'web', name: 'x', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT };

  it('a project Google does not know is refused right after it is typed, and asked again', async () => {
    const { discovery } = projects();
    const r = await run({ ...rest, project: answers('wrong-project', 'demo-project'), region: 'europe-west1' }, { discovery });
    expect(r.asked.slice(0, 3)).toEqual(['project', 'project', 'type']);
    expect(r.lines.join('\n')).toMatch(/✖ Project: wrong-project: project "wrong-project" was not found, or this account cannot see it .*gcloud projects list/);
    expect(r.input.project).toBe('demo-project');
  });

  it('a project whose Compute Engine API is off is refused with the command that turns it on', async () => {
    const { discovery } = projects('accessNotConfigured');
    const r = await run({ ...rest, project: answers('no-compute-api', 'demo-project'), region: 'europe-west1' }, { discovery });
    expect(r.lines.join('\n')).toMatch(/✖ Project: no-compute-api: the Compute Engine API is not enabled .*gcloud services enable compute\.googleapis\.com/);
  });

  it('credentials that do not work are not the answer\'s fault: the project is taken, and the lists fall back to typing', async () => {
    const r = await run({ ...rest, project: 'some-project', region: 'europe-west1' }, { discovery: async () => cloudDiscovery(new MemoryCloud({ project: 'some-project', accessError: 'credentialsMissing' })) });
    expect(r.input.project).toBe('some-project');
    expect(r.asked.filter((id) => id === 'project')).toHaveLength(1);
  });

  it('regions are picked from the project\'s list; a typo is refused with the nearest region', async () => {
    const { discovery } = projects();
    const r = await run({ ...rest, project: 'demo-project', region: answers('europe-wst1', 'europe-west1') }, { discovery });
    const region = r.prompter.asked.find((q) => q.id === 'region')!;
    expect(region.kind).toBe('search');
    expect(region.choices!.map((c) => c.value)).toEqual(expect.arrayContaining(['europe-west1', 'us-central1', 'asia-northeast1']));
    expect(r.prompter.rejections).toEqual([expect.objectContaining({ id: 'region', answer: 'europe-wst1' })]);
    expect(r.input.region).toBe('europe-west1');
  });

  it('a typed region list (cross-region) names the region that is not the project\'s, and the one meant', async () => {
    const { discovery } = projects();
    const r = await run(
      { project: 'demo-project', type: 'cross-region-internal', regions: answers('europe-west1, us-centrl1', 'europe-west1, us-central1'), backends: ['web'], name: 'm', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, network: DEFAULT, subnet: DEFAULT, proxyOnlySubnetRange: DEFAULT, iap: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { discovery },
    );
    expect(r.lines.join('\n')).toMatch(/✖ Regions: europe-west1, us-centrl1: "us-centrl1" is not a region of project demo-project \(did you mean us-central1\?\)/);
    expect(r.input.regions).toEqual(['europe-west1', 'us-central1']);
  });

  it('a certificate file that does not exist is refused at its own question, before the key is asked', async () => {
    const r = await run(
      {
        project: 'demo-project', type: 'regional-external', region: 'europe-west1', backends: 'web', name: 'eu', protocol: 'https',
        port: DEFAULT, domains: 'app.example.com', certificate: 'self-managed',
        certificateFile: answers(join(certs, 'missing.crt'), join(certs, 'example.com.crt')), privateKeyFile: join(certs, 'example.com.key'),
        dnsZone: '', address: DEFAULT, network: DEFAULT, proxyOnlySubnet: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { io },
    );
    expect(r.prompter.rejections).toEqual([expect.objectContaining({ id: 'certificateFile', error: expect.stringMatching(/missing\.crt does not exist/) })]);
    const order = r.asked.filter((id) => id === 'certificateFile' || id === 'privateKeyFile');
    expect(order).toEqual(['certificateFile', 'privateKeyFile']);
  });

  it('a key that does not match the certificate is refused at the key question', async () => {
    const otherKey = join(mkdtempSync(join(tmpdir(), 'slb-key-')), 'other.key');
    writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const r = await run(
      {
        project: 'demo-project', type: 'regional-external', region: 'europe-west1', backends: 'web', name: 'eu', protocol: 'https',
        port: DEFAULT, domains: 'app.example.com', certificate: 'self-managed',
        certificateFile: join(certs, 'example.com.crt'), privateKeyFile: answers(otherKey, join(certs, 'example.com.key')),
        dnsZone: '', address: DEFAULT, network: DEFAULT, proxyOnlySubnet: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT,
      },
      { io },
    );
    expect(r.prompter.rejections).toEqual([expect.objectContaining({ id: 'privateKeyFile', error: expect.stringMatching(/does not match the certificate/) })]);
  });

  it('existing Certificate Manager certificates and maps are picked from lists', async () => {
    const cloud = seededCloud({
      resources: [
        { kind: 'certManagerCertificate', scope: 'regions/europe-west1', name: 'eu-cert', body: { name: 'eu-cert', sanDnsnames: ['app.example.com'] } },
        { kind: 'certificateMap', scope: 'global', name: 'shop-map', body: { name: 'shop-map' } },
      ],
    });
    const regional = await run(
      { project: 'demo-project', type: 'regional-external', region: 'europe-west1', backends: 'web', name: 'eu', protocol: 'https', port: DEFAULT, domains: 'app.example.com', certificate: 'certificate-manager', certificateManagerCertificate: ['eu-cert'], dnsZone: DEFAULT, address: DEFAULT, network: DEFAULT, proxyOnlySubnet: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { cloud },
    );
    const certQuestion = regional.prompter.asked.find((q) => q.id === 'certificateManagerCertificate')!;
    expect(certQuestion.kind).toBe('checkbox');
    expect(certQuestion.choices!.map((c) => c.name)).toEqual(['eu-cert  (app.example.com)']);
    expect(regional.input.certificate).toMatchObject({ type: 'certificate-manager', certificates: ['eu-cert'] });

    const global = await run(
      { project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web', name: 'g', protocol: 'https', port: DEFAULT, domains: 'app.example.com', certificate: 'certificate-manager', certificateMap: 'shop-map', dnsZone: DEFAULT, address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT, invoker: DEFAULT },
      { cloud },
    );
    const mapQuestion = global.prompter.asked.find((q) => q.id === 'certificateMap')!;
    expect(mapQuestion.kind).toBe('select');
    expect(mapQuestion.choices!.map((c) => c.value)).toEqual(['shop-map']);
  });
});

describe('classic load balancer met by init', () => {
  const classicScript = { project: 'demo-project', type: 'classic', region: 'europe-west1', backends: 'web', name: 'shop', protocol: 'http', port: DEFAULT, domains: '', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, ingress: DEFAULT, invoker: DEFAULT };
  const withService = (body: Record<string, unknown>) =>
    seededCloud({ resources: [{ kind: 'backendService', scope: 'global', name: 'shop-web-bs', body: { name: 'shop-web-bs', loadBalancingScheme: 'EXTERNAL', ...body } }] });

  it("offers the migration's next stage when the classic load balancer exists", async () => {
    const r = await run({ ...classicScript, migration: '50' }, { cloud: withService({ externalManagedMigrationState: 'PREPARE' }) });
    const asked = r.prompter.asked.find((q) => q.id === 'migration')!;
    expect(asked.choices!.map((c) => c.value)).toEqual(['none', '10', '50', '100']);
    expect(r.input.migration).toEqual({ trafficPercent: 50 });
    expect(r.input.type).toBe('classic');
  });

  it('offers to finish once all traffic goes to global external: type global-external at 100', async () => {
    const r = await run({ ...classicScript, migration: 'finish', outlierDetection: DEFAULT }, { cloud: withService({ externalManagedMigrationState: 'TEST_ALL_TRAFFIC' }) });
    expect(r.input).toMatchObject({ type: 'global-external', migration: { trafficPercent: 100 } });
  });

  it('asks nothing about it for a classic load balancer that does not exist yet', async () => {
    const r = await run(classicScript, { cloud: seededCloud() });
    expect(r.asked).not.toContain('migration');
  });
});
