/**
 * The emulator's Certificate Manager v1 through the real SDK (@google-cloud/certificate-manager):
 * long-running operations, Google's error shapes, and a managed certificate that becomes ACTIVE
 * once its DNS authorization's CNAME record resolves in the emulator's Cloud DNS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateManagerClient } from '@google-cloud/certificate-manager/build/src/v1/certificate_manager_client.js';
import { GoogleAuth, PassThroughClient } from 'google-auth-library';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';

const PROJECT = 'demo-project';
const GLOBAL = `projects/${PROJECT}/locations/global`;
let emu: RunningEmulator;
let client: CertificateManagerClient;

beforeAll(async () => {
  emu = await startEmulator({ opLatencyMs: 20, dataplane: { checkIntervalMs: 50, failAfterMs: 300 } as never });
  client = new CertificateManagerClient({
    apiEndpoint: '127.0.0.1',
    port: emu.port,
    protocol: 'http',
    fallback: true,
    auth: new GoogleAuth({ authClient: new PassThroughClient(), projectId: PROJECT }),
  } as ConstructorParameters<typeof CertificateManagerClient>[0]);
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: number; message?: string }) => `${e.code}: ${e.message}`);
const done = async <T>(p: Promise<[{ promise(): Promise<[T]> }, ...unknown[]]>): Promise<T> => (await (await p)[0].promise())[0];

/** Adds a CNAME record to the seeded example.com zone through the emulator's Cloud DNS API. */
async function addCname(name: string, data: string): Promise<void> {
  const res = await fetch(`${emu.url}/dns/v1/projects/${PROJECT}/managedZones/example-com/rrsets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, type: 'CNAME', ttl: 300, rrdatas: [data] }),
  });
  expect(res.status).toBe(200);
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Certificate Manager v1 through the real SDK', () => {
  it('answers a missing resource with NOT_FOUND in Google\'s words, and a second create with ALREADY_EXISTS', async () => {
    expect(await code(client.getCertificate({ name: `${GLOBAL}/certificates/nope` }))).toBe(`5: certificate "${GLOBAL}/certificates/nope" not found`);
    await done(client.createCertificateMap({ parent: GLOBAL, certificateMapId: 'm1', certificateMap: { labels: { a: 'b' } } }));
    expect(await code(client.createCertificateMap({ parent: GLOBAL, certificateMapId: 'm1', certificateMap: {} }))).toMatch(/^6: Resource '.*certificateMaps\/m1' already exists$/);
    expect(await code(client.createCertificateMap({ parent: GLOBAL, certificateMapId: 'Bad_Id', certificateMap: {} }))).toMatch(/^3: Invalid certificateMapId/);
  });

  it('takes a regional DNS authorization of the default type, as Google does, names its operation under global, and refuses a wildcard without authorization', async () => {
    const [op] = await client.createDnsAuthorization({ parent: `projects/${PROJECT}/locations/europe-west1`, dnsAuthorizationId: 'r1', dnsAuthorization: { domain: 'a.example.com' } });
    expect(op.name).toMatch(new RegExp(`^projects/${PROJECT}/locations/global/operations/`));
    const [auth] = await op.promise();
    expect(String(auth.type)).toMatch(/^(FIXED_RECORD|1)$/); // the SDK decodes the enum as its number (1: FIXED_RECORD)
    expect(await code(client.createCertificate({ parent: GLOBAL, certificateId: 'w1', certificate: { managed: { domains: ['*.example.com'] } } }))).toMatch(/^3: Wildcard domains need DNS authorization/);
  });

  it('provisions a managed certificate once the authorization\'s CNAME resolves, and keeps a used authorization from deletion', async () => {
    const auth = await done(client.createDnsAuthorization({ parent: GLOBAL, dnsAuthorizationId: 'a1', dnsAuthorization: { domain: 'shop.example.com' } }));
    expect(auth.dnsResourceRecord).toMatchObject({ name: '_acme-challenge.shop.example.com.', type: 'CNAME' });
    expect(auth.dnsResourceRecord!.data).toMatch(/\.authorize\.certificatemanager\.goog\.$/);
    await done(client.createCertificate({ parent: GLOBAL, certificateId: 'c1', certificate: { managed: { domains: ['shop.example.com', '*.shop.example.com'], dnsAuthorizations: [`${GLOBAL}/dnsAuthorizations/a1`] } } }));

    // No record yet: provisioning, then the attempts fail with Google's reason.
    const failed = await waitFor(async () => (await client.getCertificate({ name: `${GLOBAL}/certificates/c1` }))[0], (c) => String(c.managed?.authorizationAttemptInfo?.[0]?.state) === 'FAILED');
    expect(String(failed.managed!.state)).toBe('PROVISIONING');
    expect(String(failed.managed!.authorizationAttemptInfo![0]!.failureReason)).toBe('CONFIG');
    expect(failed.managed!.authorizationAttemptInfo![0]!.details).toMatch(/CNAME record _acme-challenge\.shop\.example\.com\. -> .* not found/);

    await addCname(auth.dnsResourceRecord!.name!, auth.dnsResourceRecord!.data!);
    const active = await waitFor(async () => (await client.getCertificate({ name: `${GLOBAL}/certificates/c1` }))[0], (c) => String(c.managed?.state) === 'ACTIVE');
    expect(String(active.managed!.state)).toBe('ACTIVE');
    expect(active.managed!.authorizationAttemptInfo!.map((a) => String(a.state))).toEqual(['AUTHORIZED', 'AUTHORIZED']);
    expect(active.sanDnsnames).toEqual(['shop.example.com', '*.shop.example.com']);
    expect(active.pemCertificate).toMatch(/BEGIN CERTIFICATE/);

    expect(await code(client.deleteDnsAuthorization({ name: `${GLOBAL}/dnsAuthorizations/a1` }))).toMatch(/^9: dnsAuthorization .* is in use by .*certificates\/c1/);
    await done(client.deleteCertificate({ name: `${GLOBAL}/certificates/c1` }));
    await done(client.deleteDnsAuthorization({ name: `${GLOBAL}/dnsAuthorizations/a1` }));
    expect(await code(client.getDnsAuthorization({ name: `${GLOBAL}/dnsAuthorizations/a1` }))).toMatch(/^5: /);
  });

  it('changes only labels and description in place, and an entry\'s certificates', async () => {
    expect(await code(client.updateCertificateMap({ certificateMap: { name: `${GLOBAL}/certificateMaps/m1`, labels: { x: 'y' } }, updateMask: { paths: ['labels'] } }).then(([op]) => op.promise()))).toBe('ok');
    const [map] = await client.getCertificateMap({ name: `${GLOBAL}/certificateMaps/m1` });
    expect(map.labels).toEqual({ x: 'y' });
    expect(await code(client.updateCertificateMap({ certificateMap: { name: `${GLOBAL}/certificateMaps/m1` }, updateMask: { paths: ['gclb_targets'] } }))).toMatch(/^3: /);
  });

  it('never answers a self-managed certificate\'s private key', async () => {
    const { readFileSync } = await import('node:fs');
    const pemCertificate = readFileSync('docs/examples/certs/example.com.crt', 'utf8');
    const pemPrivateKey = readFileSync('docs/examples/certs/example.com.key', 'utf8');
    await done(client.createCertificate({ parent: GLOBAL, certificateId: 's1', certificate: { selfManaged: { pemCertificate, pemPrivateKey } } }));
    const res = await fetch(`${emu.url}/v1/${GLOBAL}/certificates/s1`);
    const text = await res.text();
    expect(text).toContain('BEGIN CERTIFICATE');
    expect(text).not.toContain('PRIVATE KEY');
    const list = await (await fetch(`${emu.url}/v1/${GLOBAL}/certificates`)).text();
    expect(list).not.toContain('PRIVATE KEY');
  });
});
