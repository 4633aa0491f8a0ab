import { describe, expect, it } from 'vitest';
import { resolveAddresses, resolveName, type ZoneData } from '../../../src/emulator/dns/dns-resolver.js';

const soa = { name: 'example.com.', type: 'SOA', ttl: 21600, rrdatas: ['ns-cloud-a1.googledomains.com. cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300'] };
const zones: ZoneData[] = [
  {
    zone: 'example-com',
    dnsName: 'example.com.',
    visibility: 'public',
    rrsets: [
      soa,
      { name: 'example.com.', type: 'A', ttl: 300, rrdatas: ['34.1.2.3'] },
      { name: 'www.example.com.', type: 'CNAME', ttl: 300, rrdatas: ['example.com.'] },
      { name: 'out.example.com.', type: 'CNAME', ttl: 300, rrdatas: ['elsewhere.test.'] },
      { name: 'loop.example.com.', type: 'CNAME', ttl: 300, rrdatas: ['loop2.example.com.'] },
      { name: 'loop2.example.com.', type: 'CNAME', ttl: 300, rrdatas: ['loop.example.com.'] },
      { name: 'a.b.example.com.', type: 'A', ttl: 300, rrdatas: ['34.9.9.9'] },
      { name: '*.wild.example.com.', type: 'A', ttl: 300, rrdatas: ['34.7.7.7'] },
      { name: 'v6.example.com.', type: 'AAAA', ttl: 300, rrdatas: ['2600::1'] },
    ],
  },
  { zone: 'private', dnsName: 'example.com.', visibility: 'private', rrsets: [{ name: 'example.com.', type: 'A', ttl: 60, rrdatas: ['10.0.0.5'] }] },
];

describe('resolveName', () => {
  it('answers records of the asked type', () => {
    const r = resolveName(zones, 'example.com', 'A');
    expect(r).toMatchObject({ rcode: 'NOERROR', authoritative: true });
    expect(r.answers.flatMap((a) => a.rrdatas)).toEqual(['34.1.2.3']);
  });

  it('follows CNAMEs within the zones', () => {
    const r = resolveName(zones, 'WWW.example.com.', 'A');
    expect(r.answers.map((a) => a.type)).toEqual(['CNAME', 'A']);
    expect(resolveAddresses(zones, 'www.example.com', 'A')).toEqual(['34.1.2.3']);
  });

  it('returns only the CNAME when its target is outside the zones, and no address', () => {
    const r = resolveName(zones, 'out.example.com', 'A');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answers.map((a) => a.type)).toEqual(['CNAME']);
    expect(resolveAddresses(zones, 'out.example.com', 'A')).toBeUndefined();
  });

  it('stops on CNAME loops', () => {
    expect(resolveName(zones, 'loop.example.com', 'A').answers.length).toBe(2);
  });

  it('distinguishes NXDOMAIN from NOERROR with no data', () => {
    expect(resolveName(zones, 'nothing.example.com', 'A')).toMatchObject({ rcode: 'NXDOMAIN', answers: [], authority: [soa] });
    expect(resolveName(zones, 'v6.example.com', 'A')).toMatchObject({ rcode: 'NOERROR', answers: [], authority: [soa] });
    // Empty non-terminal: b.example.com has a name below it.
    expect(resolveName(zones, 'b.example.com', 'A')).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('answers wildcards for names that do not exist', () => {
    const r = resolveName(zones, 'x.wild.example.com', 'A');
    expect(r.answers).toEqual([{ name: 'x.wild.example.com.', type: 'A', ttl: 300, rrdatas: ['34.7.7.7'] }]);
  });

  it('refuses names no zone holds', () => {
    expect(resolveName(zones, 'example.org', 'A')).toMatchObject({ rcode: 'REFUSED', authoritative: false });
  });

  it('uses private zones only when asked, and prefers them then', () => {
    expect(resolveAddresses(zones, 'example.com', 'A')).toEqual(['34.1.2.3']);
    expect(resolveAddresses(zones, 'example.com', 'A', { includePrivate: true })).toEqual(['10.0.0.5']);
  });
});
