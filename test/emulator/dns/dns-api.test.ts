import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dnsPacket from 'dns-packet';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { seedModule } from '../../../src/emulator/seed/index.js';
import { dnsModule } from '../../../src/emulator/dns/index.js';

const P = 'demo-project';
let emu: RunningEmulator;
let api: string;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Sends one DNS query over UDP to the emulator's DNS server. */
async function query(hostPort: string, name: string, type: dnsPacket.RecordType): Promise<dnsPacket.DecodedPacket> {
  const [host, port] = hostPort.split(':');
  const socket = createSocket('udp4');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('DNS query timed out')), 2000);
      socket.on('message', (msg) => {
        clearTimeout(timer);
        resolve(dnsPacket.decode(msg));
      });
      socket.send(dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }), Number(port), host);
    });
  } finally {
    socket.close();
  }
}

const rcode = (p: dnsPacket.DecodedPacket) => ((p.flags ?? 0) & 0xf);

beforeAll(async () => {
  emu = await startEmulator({ opLatencyMs: 40 }, [seedModule, dnsModule]);
  api = `${emu.url}/dns/v1/projects/${P}`;
});
afterAll(async () => {
  await emu?.close();
});

describe('Cloud DNS v1 API', () => {
  it('has the seeded public zone with its SOA and NS record sets', async () => {
    const zones = await call('GET', '/managedZones');
    expect(zones.body.kind).toBe('dns#managedZonesListResponse');
    expect(zones.body.managedZones.map((z: any) => [z.name, z.dnsName, z.visibility])).toEqual([['example-com', 'example.com.', 'public']]);
    const rrsets = await call('GET', '/managedZones/example-com/rrsets');
    expect(rrsets.body.rrsets.map((r: any) => r.type).sort()).toEqual(['NS', 'SOA']);
  });

  it('creates, reads, patches and deletes record sets', async () => {
    const created = await call('POST', '/managedZones/example-com/rrsets', { name: 'app.example.com.', type: 'A', ttl: 60, rrdatas: ['34.1.1.1'] });
    expect(created).toMatchObject({ status: 200, body: { kind: 'dns#resourceRecordSet', name: 'app.example.com.', type: 'A', ttl: 60 } });
    const dup = await call('POST', '/managedZones/example-com/rrsets', { name: 'app.example.com.', type: 'A', rrdatas: ['34.1.1.1'] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.errors[0].reason).toBe('alreadyExists');
    const patched = await call('PATCH', '/managedZones/example-com/rrsets/app.example.com./A', { rrdatas: ['34.2.2.2'] });
    expect(patched.body.rrdatas).toEqual(['34.2.2.2']);
    expect((await call('GET', '/managedZones/example-com/rrsets/app.example.com./A')).body.rrdatas).toEqual(['34.2.2.2']);
    expect((await call('GET', '/managedZones/example-com/rrsets?name=app.example.com.&type=A')).body.rrsets).toHaveLength(1);
    expect((await call('DELETE', '/managedZones/example-com/rrsets/app.example.com./A')).status).toBe(200);
    const gone = await call('GET', '/managedZones/example-com/rrsets/app.example.com./A');
    expect(gone.status).toBe(404);
    expect(gone.body.error.errors[0].reason).toBe('notFound');
  });

  it('rejects record sets outside the zone and bad addresses', async () => {
    expect((await call('POST', '/managedZones/example-com/rrsets', { name: 'x.example.org.', type: 'A', rrdatas: ['34.1.1.1'] })).status).toBe(400);
    expect((await call('POST', '/managedZones/example-com/rrsets', { name: 'x.example.com.', type: 'A', rrdatas: ['not-an-ip'] })).status).toBe(400);
  });

  it('applies changes: pending, then done', async () => {
    const change = await call('POST', '/managedZones/example-com/changes', {
      additions: [{ name: 'lb.example.com.', type: 'A', ttl: 300, rrdatas: ['34.5.6.7'] }],
    });
    expect(change.body).toMatchObject({ kind: 'dns#change', status: 'pending' });
    await new Promise((r) => setTimeout(r, 80));
    expect((await call('GET', `/managedZones/example-com/changes/${change.body.id}`)).body.status).toBe('done');
    // A deletion must match the record set exactly.
    const mismatch = await call('POST', '/managedZones/example-com/changes', {
      deletions: [{ name: 'lb.example.com.', type: 'A', ttl: 300, rrdatas: ['34.0.0.0'] }],
    });
    expect(mismatch.status).toBe(412);
    const replace = await call('POST', '/managedZones/example-com/changes', {
      deletions: [{ name: 'lb.example.com.', type: 'A', ttl: 300, rrdatas: ['34.5.6.7'] }],
      additions: [{ name: 'lb.example.com.', type: 'A', ttl: 300, rrdatas: ['34.5.6.8'] }],
    });
    expect(replace.status).toBe(200);
    expect((await call('GET', '/managedZones/example-com/rrsets?name=lb.example.com.')).body.rrsets[0].rrdatas).toEqual(['34.5.6.8']);
  });

  it('creates private zones with their networks and refuses to delete a zone that is not empty', async () => {
    const zone = await call('POST', '/managedZones', {
      name: 'internal',
      dnsName: 'internal.example.',
      description: 'private',
      visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: 'projects/demo-project/global/networks/default' }] },
    });
    expect(zone.body.privateVisibilityConfig.networks[0].networkUrl).toBe('https://www.googleapis.com/compute/v1/projects/demo-project/global/networks/default');
    expect((await call('POST', '/managedZones', { name: 'internal', dnsName: 'x.example.' })).status).toBe(409);
    await call('POST', '/managedZones/internal/rrsets', { name: 'db.internal.example.', type: 'A', rrdatas: ['10.0.0.9'] });
    const refused = await call('DELETE', '/managedZones/internal');
    expect(refused.status).toBe(400);
    expect(refused.body.error.errors[0].reason).toBe('containerNotEmpty');
    await call('DELETE', '/managedZones/internal/rrsets/db.internal.example./A');
    expect((await call('DELETE', '/managedZones/internal')).status).toBe(200);
    expect((await call('GET', '/managedZones/internal')).status).toBe(404);
  });
});

describe('DNS server', () => {
  it('answers A records, CNAME chains, NXDOMAIN and REFUSED over UDP', async () => {
    const dns = emu.ctx.hosts['dns']!;
    await call('POST', '/managedZones/example-com/rrsets', { name: 'shop.example.com.', type: 'A', ttl: 30, rrdatas: ['34.8.8.8'] });
    await call('POST', '/managedZones/example-com/rrsets', { name: 'www.example.com.', type: 'CNAME', ttl: 30, rrdatas: ['shop.example.com.'] });

    const a = await query(dns, 'www.example.com', 'A');
    expect(a.id).toBe(4242);
    expect(a.flag_aa).toBe(true);
    expect(rcode(a)).toBe(0);
    expect(a.answers?.map((x) => [x.type, (x as { data: unknown }).data])).toEqual([
      ['CNAME', 'shop.example.com'],
      ['A', '34.8.8.8'],
    ]);

    const empty = await query(dns, 'shop.example.com', 'AAAA');
    expect(rcode(empty)).toBe(0);
    expect(empty.answers).toEqual([]);
    expect(empty.authorities?.[0]?.type).toBe('SOA');

    const nx = await query(dns, 'nope.example.com', 'A');
    expect(rcode(nx)).toBe(3);

    const refused = await query(dns, 'example.org', 'A');
    expect(rcode(refused)).toBe(5);
    expect(refused.flag_aa).toBe(false);
  });
});
