import { describe, expect, it } from 'vitest';
import { checkCertificates, nameCovers } from '../../src/verify/certificate-check.js';
import type { DomainResolution } from '../../src/verify/dns-check.js';
import { fakeCloud, observed } from './helpers.js';

const ref = (name: string) => ({ kind: 'sslCertificate' as const, scope: 'global' as const, name });
const managed = (status: string, domainStatus: Record<string, string>) =>
  observed('sslCertificate', 'global', 'shop-cert', { type: 'MANAGED', managed: { status, domains: Object.keys(domainStatus), domainStatus }, ...(status === 'ACTIVE' ? { expireTime: '2027-01-01T00:00:00Z' } : {}) });
const dnsOk: DomainResolution = { domain: 'www.example.com', ok: true, chain: [], a: ['34.1.2.3'], aaaa: [] };
const dnsBad: DomainResolution = { domain: 'www.example.com', ok: false, chain: [], a: [], aaaa: [], problem: 'no A record' };
const base = { certificateManager: [], domains: ['www.example.com'], now: Date.parse('2026-01-01') };

describe('checkCertificates', () => {
  it('passes an ACTIVE managed certificate covering every domain', async () => {
    const r = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsOk] }, fakeCloud([managed('ACTIVE', { 'www.example.com': 'ACTIVE' })]));
    expect(r).toMatchObject({ id: 'certificate', ok: true, status: 'pass' });
    expect(r.items![0]!.detail).toMatch(/ACTIVE for www\.example\.com, expires 2027-01-01/);
  });

  it('explains PROVISIONING by the DNS problem and says to fix DNS first', async () => {
    const r = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsBad] }, fakeCloud([managed('PROVISIONING', { 'www.example.com': 'PROVISIONING' })]));
    expect(r.ok).toBe(false);
    expect(r.items![0]!.detail).toMatch(/PROVISIONING: www\.example\.com PROVISIONING \(DNS does not point here yet: no A record\)/);
    expect(r.hint).toMatch(/point every domain on the certificate at the load balancer first/);
  });

  it('says Google is provisioning when DNS is right', async () => {
    const r = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsOk] }, fakeCloud([managed('PROVISIONING', { 'www.example.com': 'PROVISIONING' })]));
    expect(r.hint).toMatch(/Google is provisioning it/);
  });

  it('names FAILED_NOT_VISIBLE and a certificate not attached to the proxy', async () => {
    const failed = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsBad] }, fakeCloud([managed('PROVISIONING', { 'www.example.com': 'FAILED_NOT_VISIBLE' })]));
    expect(failed.hint).toMatch(/could not see the domain pointing at this load balancer/);
    const loose = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: false }], dns: [dnsOk] }, fakeCloud([managed('PROVISIONING', { 'www.example.com': 'PROVISIONING' })]));
    expect(loose.items![0]!.detail).toMatch(/not attached to the HTTPS proxy/);
  });

  it('fails a self-managed certificate for other names, and an expired one', async () => {
    const other = observed('sslCertificate', 'global', 'shop-cert', { type: 'SELF_MANAGED', subjectAlternativeNames: ['*.example.org'], expireTime: '2030-01-01T00:00:00Z' });
    const r = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsOk] }, fakeCloud([other]));
    expect(r.ok).toBe(false);
    expect(r.items!.find((i) => i.name === 'www.example.com')!.detail).toMatch(/no certificate on the HTTPS proxy covers www\.example\.com \(they cover \*\.example\.org\)/);
    const old = observed('sslCertificate', 'global', 'shop-cert', { type: 'SELF_MANAGED', subjectAlternativeNames: ['*.example.com'], expireTime: '2025-01-01T00:00:00Z' });
    const r2 = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsOk] }, fakeCloud([old]));
    expect(r2.items![0]!.detail).toMatch(/expired 2025-01-01/);
  });

  it('passes a self-managed wildcard certificate', async () => {
    const wild = observed('sslCertificate', 'global', 'shop-cert', { type: 'SELF_MANAGED', subjectAlternativeNames: ['*.example.com'], expireTime: '2125-01-01T00:00:00Z' });
    const r = await checkCertificates({ ...base, certificates: [{ ref: ref('shop-cert'), attached: true }], dns: [dnsOk] }, fakeCloud([wild]));
    expect(r.ok).toBe(true);
  });

  it('reports Certificate Manager certificates without judging them', async () => {
    const r = await checkCertificates({ ...base, certificateManager: ['//certificatemanager.googleapis.com/projects/p/locations/global/certificateMaps/m'], certificates: [], dns: [] }, fakeCloud());
    expect(r.status).toBe('skipped');
  });
});

describe('nameCovers', () => {
  it('matches exact names and one-label wildcards', () => {
    expect(nameCovers('www.example.com', 'WWW.example.com')).toBe(true);
    expect(nameCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(nameCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(nameCovers('*.example.com', 'example.com')).toBe(false);
  });
});

describe('checkCertificates: Certificate Manager certificates', () => {
  const cmRef = { kind: 'certManagerCertificate' as const, scope: 'regions/europe-west1' as const, name: 'lb-cert' };
  const authPath = 'projects/p/locations/europe-west1/dnsAuthorizations/lb-dnsauth-example-com';
  const authorization = observed('dnsAuthorization', 'regions/europe-west1', 'lb-dnsauth-example-com', {
    domain: 'example.com',
    dnsResourceRecord: { name: '_acme-challenge.example.com.', type: 'CNAME', data: 'abc.1.authorize.certificatemanager.goog.' },
  });
  const cm = (managed: Record<string, unknown>) => observed('certManagerCertificate', 'regions/europe-west1', 'lb-cert', { managed: { domains: ['example.com', '*.example.com'], dnsAuthorizations: [authPath], ...managed } });
  const input = { ...base, domains: ['example.com', 'www.example.com'], dns: [] as DomainResolution[] };

  it('passes an ACTIVE one and counts its wildcard for the domains', async () => {
    const r = await checkCertificates({ ...input, certificates: [{ ref: cmRef, attached: true }] }, fakeCloud([cm({ state: 'ACTIVE' }), authorization]));
    expect(r).toMatchObject({ ok: true, status: 'pass' });
    expect(r.items![0]!.detail).toBe('ACTIVE for example.com, *.example.com');
  });

  it('names each domain\'s authorization state and Google\'s reason, and the CNAME record to add', async () => {
    const r = await checkCertificates(
      { ...input, certificates: [{ ref: cmRef, attached: true }] },
      fakeCloud([
        cm({
          state: 'PROVISIONING',
          authorizationAttemptInfo: [
            { domain: 'example.com', state: 'FAILED', failureReason: 'CONFIG', details: 'CNAME not found' },
            { domain: '*.example.com', state: 'AUTHORIZING' },
          ],
          provisioningIssue: { reason: 'AUTHORIZATION_ISSUE', details: 'see attempts.' },
        }),
        authorization,
      ]),
    );
    expect(r.ok).toBe(false);
    expect(r.items![0]!.detail).toBe('PROVISIONING: example.com FAILED (CONFIG: CNAME not found), *.example.com AUTHORIZING; provisioning issue AUTHORIZATION_ISSUE: see attempts');
    expect(r.hint).toContain('`_acme-challenge.example.com. CNAME abc.1.authorize.certificatemanager.goog.`');
  });

  it('points a CAA failure at the CAA record, and an unattached certificate at apply', async () => {
    const caa = await checkCertificates({ ...input, certificates: [{ ref: cmRef, attached: true }] }, fakeCloud([cm({ state: 'FAILED', authorizationAttemptInfo: [{ domain: 'example.com', state: 'FAILED', failureReason: 'CAA' }] }), authorization]));
    expect(caa.hint).toMatch(/CAA record `0 issue "pki.goog"`/);
    const loose = await checkCertificates({ ...input, certificates: [{ ref: cmRef, attached: false }] }, fakeCloud([cm({ state: 'ACTIVE' }), authorization]));
    expect(loose.ok).toBe(false);
    expect(loose.hint).toMatch(/re-run `serverless-lb apply`/);
  });
});
