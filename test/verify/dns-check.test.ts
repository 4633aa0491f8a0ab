import { describe, expect, it } from 'vitest';
import { checkDns, recordsFor, resolveDomain } from '../../src/verify/dns-check.js';
import { fakeResolver } from './helpers.js';

const LB = '34.1.2.3';

describe('resolveDomain', () => {
  it('passes an A record that is the load balancer', async () => {
    const r = await resolveDomain(fakeResolver({ 'www.example.com': { A: [LB] } }), 'www.example.com', [LB]);
    expect(r.ok).toBe(true);
  });

  it('reports a missing record', async () => {
    const r = await resolveDomain(fakeResolver({}), 'www.example.com', [LB]);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/NXDOMAIN/);
  });

  it('reports a name with no A record', async () => {
    const r = await resolveDomain(fakeResolver({ 'www.example.com': { TXT: ['x'] } as never }), 'www.example.com', [LB]);
    expect(r.ok).toBe(false);
    expect(r.problem).toBe('no A record');
  });

  it('reports a record pointing elsewhere', async () => {
    const r = await resolveDomain(fakeResolver({ 'www.example.com': { A: ['198.51.100.7'] } }), 'www.example.com', [LB]);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/points elsewhere: 198\.51\.100\.7/);
  });

  it('reports a stale AAAA record next to a right A record', async () => {
    const r = await resolveDomain(fakeResolver({ 'www.example.com': { A: [LB], AAAA: ['2001:db8::1'] } }), 'www.example.com', [LB]);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/stale AAAA 2001:db8::1/);
  });

  it('follows a CNAME chain that ends at the load balancer', async () => {
    const zone = { 'www.example.com': { CNAME: ['lb.example.net'] }, 'lb.example.net': { A: [LB] } };
    const r = await resolveDomain(fakeResolver(zone), 'www.example.com', [LB]);
    expect(r.ok).toBe(true);
    expect(r.chain).toEqual(['lb.example.net']);
  });

  it('reports a CNAME chain that ends elsewhere', async () => {
    const zone = { 'www.example.com': { CNAME: ['old.example.net'] }, 'old.example.net': { A: ['203.0.113.9'] } };
    const r = await resolveDomain(fakeResolver(zone), 'www.example.com', [LB]);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/CNAME chain www\.example\.com -> old\.example\.net ends at 203\.0\.113\.9/);
  });

  it('reports a resolver that refuses', async () => {
    const r = await resolveDomain(fakeResolver({ 'www.example.com': 'REFUSED' }), 'www.example.com', [LB]);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/could not answer \(REFUSED/);
  });

  it('accepts any of several load balancer addresses (geo records)', async () => {
    const r = await resolveDomain(fakeResolver({ 'api.internal': { A: ['10.0.0.5'] } }), 'api.internal', ['10.0.0.5', '10.1.0.5']);
    expect(r.ok).toBe(true);
  });
});

describe('checkDns', () => {
  it('is skipped without domains', async () => {
    const { result } = await checkDns({ domains: [], addresses: [LB] }, fakeResolver({}));
    expect(result.status).toBe('skipped');
    expect(result.ok).toBe(true);
  });

  it('passes when every domain resolves to the load balancer', async () => {
    const { result } = await checkDns({ domains: ['a.example.com', 'b.example.com'], addresses: [LB] }, fakeResolver({ 'a.example.com': { A: [LB] }, 'b.example.com': { A: [LB] } }));
    expect(result).toMatchObject({ id: 'dns', ok: true, status: 'pass' });
    expect(result.records).toBeUndefined();
  });

  it('fails with the exact records to create for the domains that do not resolve', async () => {
    const { result } = await checkDns({ domains: ['a.example.com', 'b.example.com'], addresses: [LB] }, fakeResolver({ 'a.example.com': { A: [LB] } }));
    expect(result).toMatchObject({ id: 'dns', ok: false, status: 'fail' });
    expect(result.records).toEqual(['b.example.com. 300 IN A 34.1.2.3']);
    expect(result.hint).toMatch(/create these records at your DNS provider/);
    expect(result.items?.find((i) => i.name === 'a.example.com')?.ok).toBe(true);
  });

  it('points at the managed zone when apply manages the records', async () => {
    const { result } = await checkDns({ domains: ['a.example.com'], addresses: [LB], dnsZone: { zone: 'example-com', project: 'p' } }, fakeResolver({}));
    expect(result.hint).toMatch(/Cloud DNS zone example-com/);
    expect(result.hint).toMatch(/comes back with `serverless-lb apply`/);
  });
});

describe('recordsFor', () => {
  it('writes A and AAAA lines by address family', () => {
    expect(recordsFor('x.example.com', ['34.1.2.3', '2600:1901::1'])).toEqual(['x.example.com. 300 IN A 34.1.2.3', 'x.example.com. 300 IN AAAA 2600:1901::1']);
  });
});
