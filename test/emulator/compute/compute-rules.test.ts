/** Compute Engine API rules, driven over HTTP with plain fetch. */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseNetwork, C, computeEmulator, P, type Client } from './compute-helpers.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

let c: Client;
beforeAll(async () => {
  c = await computeEmulator({ opLatencyMs: 0 });
});
afterAll(() => c.close());
beforeEach(async () => {
  await c.call('POST', '/_emulator/reset');
  await baseNetwork(c);
});

const reason = (r: { body: any }) => r.body?.error?.errors?.[0]?.reason as string | undefined;
const negBody = (name: string, extra: Record<string, unknown> = { cloudRun: { service: 'web' } }) => ({ name, networkEndpointType: 'SERVERLESS', ...extra });
const negRef = (name: string, region = 'europe-west1') => `projects/${P}/regions/${region}/networkEndpointGroups/${name}`;

async function pem(dns: string[], days = 30): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${dns[0]}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + days * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value })))],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { cert: cert.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n` };
}

async function globalChain(scheme = 'EXTERNAL_MANAGED') {
  await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('neg'));
  await c.mutate('POST', `${C}/global/backendServices`, { name: 'bs', loadBalancingScheme: scheme, backends: [{ group: negRef('neg') }] });
  await c.mutate('POST', `${C}/global/urlMaps`, { name: 'um', defaultService: 'global/backendServices/bs' });
}

describe('common rules', () => {
  it('rejects bad names and unknown enum values with 400 invalid', async () => {
    for (const name of ['Upper', '1abc', 'a_b', 'x'.repeat(64), '', 'ends-']) {
      const r = await c.call('POST', `${C}/global/addresses`, { name });
      expect(r.status, name).toBe(400);
      expect(reason(r)).toBe('invalid');
    }
    const e = await c.call('POST', `${C}/global/backendServices`, { name: 'bs', loadBalancingScheme: 'EXTERNAL_MANAGD' });
    expect(e.status).toBe(400);
    expect(e.body.error.message).toContain("Invalid value for field 'resource.loadBalancingScheme'");
  });

  it('answers 404 notFound, 409 alreadyExists and 404 for unknown regions with Google messages', async () => {
    const nf = await c.call('GET', `${C}/global/urlMaps/none`);
    expect(nf.status).toBe(404);
    expect(nf.body.error.message).toBe(`The resource 'projects/${P}/global/urlMaps/none' was not found`);
    await c.mutate('POST', `${C}/global/addresses`, { name: 'ip' });
    const dup = await c.call('POST', `${C}/global/addresses`, { name: 'ip' });
    expect(dup.status).toBe(409);
    expect(reason(dup)).toBe('alreadyExists');
    expect((await c.call('GET', `${C}/regions/mars-north1/addresses`)).status).toBe(404);
  });

  it('fills kind, string id, creationTimestamp, selfLink and full reference URLs', async () => {
    await globalChain();
    const bs = (await c.call('GET', `${C}/global/backendServices/bs`)).body;
    expect(bs).toMatchObject({ kind: 'compute#backendService', name: 'bs', protocol: 'HTTP', port: 80, portName: 'http', timeoutSec: 30, sessionAffinity: 'NONE', enableCDN: false });
    expect(bs.id).toMatch(/^\d{19}$/);
    expect(bs.selfLink).toBe(`https://www.googleapis.com/compute/v1/projects/${P}/global/backendServices/bs`);
    expect(bs.backends[0].group).toBe(`https://www.googleapis.com/compute/v1/${negRef('neg')}`);
    expect(bs.usedBy).toEqual([{ reference: `https://www.googleapis.com/compute/v1/projects/${P}/global/urlMaps/um` }]);
  });

  it('refuses to delete a resource in use, at once, and allows it once free', async () => {
    await globalChain();
    const r = await c.call('DELETE', `${C}/global/backendServices/bs`);
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('resourceInUseByAnotherResource');
    expect(r.body.error.message).toBe(`The backend_service resource 'projects/${P}/global/backendServices/bs' is already being used by 'projects/${P}/global/urlMaps/um'`);
    await c.mutate('DELETE', `${C}/global/urlMaps/um`);
    const op = await c.mutate('DELETE', `${C}/global/backendServices/bs`);
    expect(op.error).toBeUndefined();
  });

  it('returns the same operation for a repeated requestId', async () => {
    const a = await c.call('POST', `${C}/global/addresses?requestId=11111111-2222-4333-8444-555555555555`, { name: 'ip' });
    const b = await c.call('POST', `${C}/global/addresses?requestId=11111111-2222-4333-8444-555555555555`, { name: 'ip' });
    expect(b.status).toBe(200);
    expect(b.body.name).toBe(a.body.name);
  });

  it('checks fingerprints on update and patch, and labelFingerprint on setLabels', async () => {
    await globalChain();
    const um = (await c.call('GET', `${C}/global/urlMaps/um`)).body;
    const stale = await c.call('PATCH', `${C}/global/urlMaps/um`, { fingerprint: 'AAAAAAAAAAA=', description: 'x' });
    expect(stale.status).toBe(412);
    expect(reason(stale)).toBe('conditionNotMet');
    await c.mutate('PATCH', `${C}/global/urlMaps/um`, { fingerprint: um.fingerprint, description: 'x' });
    const after = (await c.call('GET', `${C}/global/urlMaps/um`)).body;
    expect(after.description).toBe('x');
    expect(after.fingerprint).not.toBe(um.fingerprint);
    expect(after.defaultService).toBe(um.defaultService);

    await c.mutate('POST', `${C}/global/addresses`, { name: 'ip', labels: { owner: 'x' } });
    const ip = (await c.call('GET', `${C}/global/addresses/ip`)).body;
    expect(ip.labels).toBeUndefined(); // Google drops labels sent with addresses.insert
    expect((await c.call('POST', `${C}/global/addresses/ip/setLabels`, { labels: { a: 'b' }, labelFingerprint: 'AAAAAAAAAAA=' })).status).toBe(412);
    const op = await c.call('POST', `${C}/global/addresses/ip/setLabels`, { labels: { owner: 'lb-1' }, labelFingerprint: ip.labelFingerprint });
    expect(op.body.status).toBe('DONE');
    expect((await c.call('GET', `${C}/global/addresses/ip`)).body.labels).toEqual({ owner: 'lb-1' });
    expect((await c.call('POST', `${C}/global/addresses/ip/setLabels`, { labels: { Bad: 'x' } })).status).toBe(400);
  });

  it('lists with filters and pages', async () => {
    for (const n of ['a1', 'a2', 'b1']) await c.mutate('POST', `${C}/global/addresses`, { name: n });
    const all = (await c.call('GET', `${C}/global/addresses`)).body;
    expect(all.kind).toBe('compute#addressList');
    expect(all.items.map((i: any) => i.name)).toEqual(['a1', 'a2', 'b1']);
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('name = "a2"')}`)).body.items.map((i: any) => i.name)).toEqual(['a2']);
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('name eq a.*')}`)).body.items).toHaveLength(2);
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('name ne a.*')}`)).body.items).toHaveLength(1);
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('name = "zzz"')}`)).body.items).toBeUndefined();
    const p1 = (await c.call('GET', `${C}/global/addresses?maxResults=2`)).body;
    expect(p1.items).toHaveLength(2);
    const p2 = (await c.call('GET', `${C}/global/addresses?maxResults=2&pageToken=${p1.nextPageToken}`)).body;
    expect(p2.items.map((i: any) => i.name)).toEqual(['b1']);
    expect(p2.nextPageToken).toBeUndefined();
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('((')}`)).status).toBe(400);
    // labels.k = v
    const ip = (await c.call('GET', `${C}/global/addresses/a1`)).body;
    await c.call('POST', `${C}/global/addresses/a1/setLabels`, { labels: { team: 'web' }, labelFingerprint: ip.labelFingerprint });
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('labels.team = web')}`)).body.items.map((i: any) => i.name)).toEqual(['a1']);
    // AIP-160: `:` holds the text; OR binds tighter than AND.
    const names = async (f: string) => ((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent(f)}`)).body.items ?? []).map((i: any) => i.name);
    expect(await names('(name:"a") OR (name = "b1")')).toEqual(['a1', 'a2', 'b1']);
    expect(await names('(name = "b1") OR (labels.team = web) (name:"1")')).toEqual(['a1', 'b1']);
    expect(await names('(name = "a2") OR (name = "b1") AND (name != "b1")')).toEqual(['a2']);
    expect((await c.call('GET', `${C}/global/addresses?filter=${encodeURIComponent('(name = "a2") OR')}`)).status).toBe(400);
  });

  it('lists and gets regions', async () => {
    const list = (await c.call('GET', `${C}/regions`)).body.items.map((r: any) => r.name);
    expect(list).toEqual(expect.arrayContaining(['europe-west1', 'us-central1', 'asia-northeast1']));
    expect((await c.call('GET', `${C}/regions/europe-west1`)).body.status).toBe('UP');
    expect((await c.call('GET', `${C}/regions/nowhere1`)).status).toBe(404);
  });

  it('serves the same API without the /compute/v1 prefix', async () => {
    expect((await c.call('GET', `/projects/${P}/global/networks/default`)).status).toBe(200);
  });
});

describe('addresses and subnets', () => {
  it('assigns realistic addresses and tracks users', async () => {
    await c.mutate('POST', `${C}/global/addresses`, { name: 'g' });
    await c.mutate('POST', `${C}/regions/europe-west1/addresses`, { name: 'r' });
    await c.mutate('POST', `${C}/regions/europe-west1/addresses`, { name: 'i', addressType: 'INTERNAL', subnetwork: 'regions/europe-west1/subnetworks/default' });
    const g = (await c.call('GET', `${C}/global/addresses/g`)).body;
    expect(g.address).toMatch(/^34\./);
    expect(g).toMatchObject({ addressType: 'EXTERNAL', networkTier: 'PREMIUM', status: 'RESERVED' });
    expect((await c.call('GET', `${C}/regions/europe-west1/addresses/r`)).body.address).toMatch(/^35\./);
    expect((await c.call('GET', `${C}/regions/europe-west1/addresses/i`)).body).toMatchObject({ address: '10.132.0.2', purpose: 'GCE_ENDPOINT' });
    const proxyOnly = await c.call('POST', `${C}/regions/europe-west1/addresses`, { name: 'p', addressType: 'INTERNAL', subnetwork: 'regions/europe-west1/subnetworks/proxy-only' });
    expect(proxyOnly.status).toBe(400);
    const outside = await c.call('POST', `${C}/regions/europe-west1/addresses`, { name: 'o', addressType: 'INTERNAL', address: '10.200.0.5', subnetwork: 'regions/europe-west1/subnetworks/default' });
    expect(outside.status).toBe(400);
    expect((await c.call('POST', `${C}/global/addresses`, { name: 's', networkTier: 'STANDARD' })).status).toBe(400);

    await globalChain();
    await c.mutate('POST', `${C}/global/targetHttpProxies`, { name: 'tp', urlMap: 'global/urlMaps/um' });
    await c.mutate('POST', `${C}/global/forwardingRules`, { name: 'fr', IPAddress: 'g', portRange: '80', loadBalancingScheme: 'EXTERNAL_MANAGED', target: 'global/targetHttpProxies/tp' });
    const used = (await c.call('GET', `${C}/global/addresses/g`)).body;
    expect(used.status).toBe('IN_USE');
    expect(used.users).toEqual([`https://www.googleapis.com/compute/v1/projects/${P}/global/forwardingRules/fr`]);
    const del = await c.call('DELETE', `${C}/global/addresses/g`);
    expect(reason(del)).toBe('resourceInUseByAnotherResource');
    await c.mutate('DELETE', `${C}/global/forwardingRules/fr`);
    expect((await c.call('GET', `${C}/global/addresses/g`)).body).toMatchObject({ status: 'RESERVED' });
  });

  it('allows one ACTIVE proxy-only subnet per network, region and purpose', async () => {
    const second = await c.call('POST', `${C}/regions/europe-west1/subnetworks`, { name: 'p2', network: 'global/networks/default', ipCidrRange: '10.140.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
    expect(second.status).toBe(400);
    expect(reason(second)).toBe('invalid');
    const backup = await c.mutate('POST', `${C}/regions/europe-west1/subnetworks`, { name: 'p2', network: 'global/networks/default', ipCidrRange: '10.140.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'BACKUP' });
    expect(backup.error).toBeUndefined();
    const global = await c.mutate('POST', `${C}/regions/europe-west1/subnetworks`, { name: 'p3', network: 'global/networks/default', ipCidrRange: '10.142.0.0/23', purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE' });
    expect(global.error).toBeUndefined();
    expect((await c.call('POST', `${C}/regions/europe-west1/subnetworks`, { name: 'small', network: 'global/networks/default', ipCidrRange: '10.150.0.0/27', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' })).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/subnetworks`, { name: 'overlap', network: 'global/networks/default', ipCidrRange: '10.132.0.0/24' })).status).toBe(400);
    const net = (await c.call('GET', `${C}/global/networks/default`)).body;
    expect(net.subnetworks).toHaveLength(4);
    expect(reason(await c.call('DELETE', `${C}/global/networks/default`))).toBe('resourceInUseByAnotherResource');
  });

  it('answers every subnet with a gateway; PRIVATE ones with a stack type, proxy-only ones with a state instead', async () => {
    await c.mutate('POST', `${C}/regions/us-east1/subnetworks`, { name: 'app', network: 'global/networks/default', ipCidrRange: '10.160.0.0/24' });
    await c.mutate('POST', `${C}/regions/us-east1/subnetworks`, { name: 'proxy', network: 'global/networks/default', ipCidrRange: '10.161.0.0/23', purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE' });
    const app = (await c.call('GET', `${C}/regions/us-east1/subnetworks/app`)).body;
    expect(app).toMatchObject({ purpose: 'PRIVATE', gatewayAddress: '10.160.0.1', stackType: 'IPV4_ONLY' });
    expect(app.state).toBeUndefined();
    const proxy = (await c.call('GET', `${C}/regions/us-east1/subnetworks/proxy`)).body;
    // As recorded (compute__computeforwardingrule__regionalcomputeforwardingruletcp): 10.129.0.1 for 10.129.0.0/23.
    expect(proxy).toMatchObject({ purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE', state: 'READY', gatewayAddress: '10.161.0.1' });
    expect(proxy.stackType).toBeUndefined();
  });
});

describe('serverless NEGs and backend services', () => {
  it('takes exactly one serverless target with valid URL masks', async () => {
    expect((await c.call('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('n0', {}))).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('n1', { cloudRun: { service: 'a' }, appEngine: {} }))).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('n2', { cloudRun: { urlMask: 'https://<service>.example.com' } }))).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('n3', { cloudRun: { urlMask: '<function>.example.com' } }))).status).toBe(400);
    const ok = await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('n4', { cloudRun: { urlMask: 'example.com/<service>' } }));
    expect(ok.operationType).toBe('compute.regionNetworkEndpointGroups.insert');
    const neg = (await c.call('GET', `${C}/regions/europe-west1/networkEndpointGroups/n4`)).body;
    expect(neg).toMatchObject({ networkEndpointType: 'SERVERLESS', size: 0, cloudRun: { urlMask: 'example.com/<service>' } });
  });

  it('enforces the serverless backend rules', async () => {
    await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('run-eu'));
    await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('run-eu2'));
    await c.mutate('POST', `${C}/regions/us-central1/networkEndpointGroups`, negBody('run-us'));
    await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('fn-eu', { cloudFunction: { function: 'f' } }));
    const bs = (name: string, extra: Record<string, unknown>, scope = 'global') => c.call('POST', `${C}/${scope}/backendServices`, { name, loadBalancingScheme: 'EXTERNAL_MANAGED', ...extra });
    expect((await bs('two-regions', { backends: [{ group: negRef('run-eu') }, { group: negRef('run-us', 'us-central1') }] })).status).toBe(200);
    expect((await bs('same-region', { backends: [{ group: negRef('run-eu') }, { group: negRef('run-eu2') }] })).status).toBe(400);
    expect((await bs('mixed', { backends: [{ group: negRef('run-eu') }, { group: negRef('fn-eu') }] })).status).toBe(400);
    expect((await bs('hc', { backends: [{ group: negRef('run-eu') }], healthChecks: ['global/healthChecks/x'] })).status).toBe(400);
    expect((await bs('timeout', { backends: [{ group: negRef('run-eu') }], timeoutSec: 60 })).status).toBe(400);
    expect((await bs('capacity', { backends: [{ group: negRef('run-eu'), maxRatePerEndpoint: 10 }] })).status).toBe(400);
    expect((await bs('missing', { backends: [{ group: negRef('nope') }] })).status).toBe(404);
    expect((await bs('fn-regional', { backends: [{ group: negRef('fn-eu') }] }, 'regions/europe-west1')).status).toBe(400);
    expect((await bs('other-region', { backends: [{ group: negRef('run-us', 'us-central1') }] }, 'regions/europe-west1')).status).toBe(400);
    expect((await bs('regional', { backends: [{ group: negRef('run-eu') }] }, 'regions/europe-west1')).status).toBe(200);
    expect((await c.call('POST', `${C}/global/backendServices`, { name: 'internal', loadBalancingScheme: 'INTERNAL_SELF_MANAGED', backends: [{ group: negRef('run-eu') }] })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/backendServices`, { name: 'fn-xlb', loadBalancingScheme: 'INTERNAL_MANAGED', backends: [{ group: negRef('fn-eu') }] })).status).toBe(400);
    expect((await bs('cdn-regional', { enableCDN: true }, 'regions/europe-west1')).status).toBe(400);
    expect((await bs('cdn-iap', { enableCDN: true, iap: { enabled: true } })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/backendServices`, { name: 'classic-od', loadBalancingScheme: 'EXTERNAL', outlierDetection: { consecutiveErrors: 5 } })).status).toBe(400);
  });

  it('stores only the SHA-256 of an IAP client secret, and updates with GET + PUT', async () => {
    await c.mutate('POST', `${C}/global/backendServices`, { name: 'iap', loadBalancingScheme: 'EXTERNAL_MANAGED', iap: { enabled: true, oauth2ClientId: 'id', oauth2ClientSecret: 's3cret' } });
    const got = (await c.call('GET', `${C}/global/backendServices/iap`)).body;
    expect(JSON.stringify(got)).not.toContain('s3cret');
    expect(got.iap.oauth2ClientSecretSha256).toMatch(/^[0-9a-f]{64}$/);
    await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('neg'));
    const op = await c.mutate('PUT', `${C}/global/backendServices/iap`, { ...got, backends: [{ group: negRef('neg') }] });
    expect(op.operationType).toBe('update');
    const after = (await c.call('GET', `${C}/global/backendServices/iap`)).body;
    expect(after.backends).toHaveLength(1);
    expect(after.iap.oauth2ClientSecretSha256).toBe(got.iap.oauth2ClientSecretSha256);
  });

  it('attaches security policies of the same scope', async () => {
    await globalChain();
    await c.mutate('POST', `${C}/global/securityPolicies`, { name: 'armor' });
    const op = await c.mutate('POST', `${C}/global/backendServices/bs/setSecurityPolicy`, { securityPolicy: 'global/securityPolicies/armor' });
    expect(op.operationType).toBe('setSecurityPolicy');
    expect((await c.call('GET', `${C}/global/backendServices/bs`)).body.securityPolicy).toBe(`https://www.googleapis.com/compute/v1/projects/${P}/global/securityPolicies/armor`);
    expect(reason(await c.call('DELETE', `${C}/global/securityPolicies/armor`))).toBe('resourceInUseByAnotherResource');
    expect((await c.call('POST', `${C}/global/backendServices/bs/setSecurityPolicy`, { securityPolicy: 'global/securityPolicies/none' })).status).toBe(404);
  });
});

describe('URL maps, proxies, forwarding rules', () => {
  it('validates host rules and path matchers', async () => {
    await globalChain();
    const um = (extra: Record<string, unknown>) => c.call('POST', `${C}/global/urlMaps`, { name: 'm2', defaultService: 'global/backendServices/bs', ...extra });
    const pm = [{ name: 'pm', defaultService: 'global/backendServices/bs', pathRules: [{ paths: ['/api/*'], service: 'global/backendServices/bs' }] }];
    expect((await um({ hostRules: [{ hosts: ['*.example.com', 'example.com:8080'], pathMatcher: 'pm' }], pathMatchers: pm })).status).toBe(200);
    await c.call('POST', '/_emulator/operations/settle');
    await c.mutate('DELETE', `${C}/global/urlMaps/m2`);
    expect((await um({ hostRules: [{ hosts: ['a*.example.com'], pathMatcher: 'pm' }], pathMatchers: pm })).status).toBe(400);
    expect((await um({ hostRules: [{ hosts: ['a.com'], pathMatcher: 'pm' }, { hosts: ['a.com'], pathMatcher: 'pm' }], pathMatchers: pm })).status).toBe(400);
    expect((await um({ hostRules: [{ hosts: ['a.com'], pathMatcher: 'missing' }], pathMatchers: pm })).status).toBe(400);
    for (const path of ['api', '/a*b', '/a?b', '/a/*/b']) {
      expect((await um({ hostRules: [{ hosts: ['a.com'], pathMatcher: 'pm' }], pathMatchers: [{ name: 'pm', defaultService: 'global/backendServices/bs', pathRules: [{ paths: [path], service: 'global/backendServices/bs' }] }] })).status, path).toBe(400);
    }
    expect((await c.call('POST', `${C}/global/urlMaps`, { name: 'nodefault' })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/urlMaps`, { name: 'badredirect', defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED' } })).status).toBe(400);
    await c.mutate('POST', `${C}/global/urlMaps`, { name: 'redirect', defaultUrlRedirect: { httpsRedirect: true } });
    expect((await c.call('GET', `${C}/global/urlMaps/redirect`)).body.defaultUrlRedirect).toEqual({ httpsRedirect: true, stripQuery: false });
  });

  it('applies the keepalive and certificate rules of target proxies', async () => {
    await globalChain();
    const { cert, key } = await pem(['www.example.com']);
    await c.mutate('POST', `${C}/global/sslCertificates`, { name: 'managed', type: 'MANAGED', managed: { domains: ['www.example.com'] } });
    await c.mutate('POST', `${C}/global/sslCertificates`, { name: 'self', certificate: cert, privateKey: key });
    expect((await c.call('POST', `${C}/global/targetHttpProxies`, { name: 'k1', urlMap: 'global/urlMaps/um', httpKeepAliveTimeoutSec: 1300 })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/targetHttpProxies`, { name: 'k2', urlMap: 'global/urlMaps/um', httpKeepAliveTimeoutSec: 1200 })).status).toBe(200);
    expect((await c.call('POST', `${C}/global/targetHttpsProxies`, { name: 'none', urlMap: 'global/urlMaps/um' })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/targetHttpsProxies`, { name: 'sixteen', urlMap: 'global/urlMaps/um', sslCertificates: Array(16).fill('global/sslCertificates/self') })).status).toBe(400);
    const https = await c.mutate('POST', `${C}/global/targetHttpsProxies`, { name: 'hp', urlMap: 'global/urlMaps/um', sslCertificates: ['global/sslCertificates/managed', 'global/sslCertificates/self'] });
    expect(https.error).toBeUndefined();
    expect((await c.call('GET', `${C}/global/targetHttpsProxies/hp`)).body).toMatchObject({ quicOverride: 'NONE', tlsEarlyData: 'DISABLED' });
    const set = await c.mutate('POST', `${C}/projects/${P}/targetHttpsProxies/hp/setSslCertificates`.replace(`${C}/projects/${P}`, C), { sslCertificates: ['global/sslCertificates/self'] });
    expect(set.operationType).toBe('SetSslCertificates');
    const map = await c.mutate('POST', `${C}/global/targetHttpsProxies/hp/setCertificateMap`, { certificateMap: `//certificatemanager.googleapis.com/projects/${P}/locations/global/certificateMaps/m` });
    expect(map.error).toBeUndefined();
    // "If set, sslCertificates will be ignored" (Google's reference): the certificates stay.
    const both = (await c.call('GET', `${C}/global/targetHttpsProxies/hp`)).body;
    expect(both.certificateMap).toContain('certificateMaps/m');
    expect(both.sslCertificates).toHaveLength(1);
    // An empty setSslCertificates is refused whatever the proxy has; a PATCH clears the list.
    expect((await c.call('POST', `${C}/targetHttpsProxies/hp/setSslCertificates`, { sslCertificates: [] })).status).toBe(400);
    const cleared = await c.mutate('PATCH', `${C}/global/targetHttpsProxies/hp`, { sslCertificates: [], fingerprint: both.fingerprint });
    expect(cleared.error).toBeUndefined();
    expect((await c.call('GET', `${C}/global/targetHttpsProxies/hp`)).body.sslCertificates ?? []).toEqual([]);

    // classic LB: no keepalive
    await c.mutate('POST', `${C}/global/backendServices`, { name: 'classic', loadBalancingScheme: 'EXTERNAL' });
    await c.mutate('POST', `${C}/global/urlMaps`, { name: 'classic', defaultService: 'global/backendServices/classic' });
    expect((await c.call('POST', `${C}/global/targetHttpProxies`, { name: 'k3', urlMap: 'global/urlMaps/classic', httpKeepAliveTimeoutSec: 100 })).status).toBe(400);

    // regional: regional certs only, no managed ones, no certificate maps, keepalive <= 600
    await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('rneg'));
    await c.mutate('POST', `${C}/regions/europe-west1/backendServices`, { name: 'rbs', loadBalancingScheme: 'EXTERNAL_MANAGED', backends: [{ group: negRef('rneg') }] });
    await c.mutate('POST', `${C}/regions/europe-west1/urlMaps`, { name: 'rum', defaultService: 'regions/europe-west1/backendServices/rbs' });
    const R = `${C}/regions/europe-west1/targetHttpsProxies`;
    expect((await c.call('POST', R, { name: 'r1', urlMap: 'regions/europe-west1/urlMaps/rum', sslCertificates: ['global/sslCertificates/self'] })).status).toBe(400);
    expect((await c.call('POST', R, { name: 'r2', urlMap: 'regions/europe-west1/urlMaps/rum', certificateMap: `//certificatemanager.googleapis.com/projects/${P}/locations/global/certificateMaps/m` })).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/targetHttpProxies`, { name: 'r3', urlMap: 'regions/europe-west1/urlMaps/rum', httpKeepAliveTimeoutSec: 700 })).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/targetHttpProxies`, { name: 'r4', urlMap: 'global/urlMaps/um' })).status).toBe(400);
    expect((await c.call('POST', `${C}/regions/europe-west1/sslCertificates`, { name: 'rm', type: 'MANAGED', managed: { domains: ['a.example.com'] } })).status).toBe(400);
  });

  it('sets URL maps through Google\'s global path without "global/"', async () => {
    await globalChain();
    await c.mutate('POST', `${C}/global/urlMaps`, { name: 'um2', defaultService: 'global/backendServices/bs' });
    await c.mutate('POST', `${C}/global/targetHttpProxies`, { name: 'tp', urlMap: 'global/urlMaps/um' });
    const op = await c.mutate('POST', `${C}/targetHttpProxies/tp/setUrlMap`, { urlMap: 'global/urlMaps/um2' });
    expect(op.operationType).toBe('SetUrlMap');
    expect((await c.call('GET', `${C}/global/targetHttpProxies/tp`)).body.urlMap).toContain('/urlMaps/um2');
  });

  it('needs an ACTIVE proxy-only subnet for regional managed forwarding rules and matching schemes', async () => {
    await c.mutate('POST', `${C}/regions/us-central1/networkEndpointGroups`, negBody('neg'));
    await c.mutate('POST', `${C}/regions/us-central1/backendServices`, { name: 'rbs', loadBalancingScheme: 'INTERNAL_MANAGED', backends: [{ group: negRef('neg', 'us-central1') }] });
    await c.mutate('POST', `${C}/regions/us-central1/urlMaps`, { name: 'rum', defaultService: 'regions/us-central1/backendServices/rbs' });
    await c.mutate('POST', `${C}/regions/us-central1/targetHttpProxies`, { name: 'rtp', urlMap: 'regions/us-central1/urlMaps/rum' });
    await c.mutate('POST', `${C}/regions/us-central1/subnetworks`, { name: 'default', network: 'global/networks/default', ipCidrRange: '10.128.0.0/20' });
    const fr = { name: 'fr', loadBalancingScheme: 'INTERNAL_MANAGED', network: 'global/networks/default', subnetwork: 'regions/us-central1/subnetworks/default', portRange: '80', target: 'regions/us-central1/targetHttpProxies/rtp' };
    const noProxy = await c.call('POST', `${C}/regions/us-central1/forwardingRules`, fr);
    expect(noProxy.status).toBe(400);
    expect(noProxy.body.error.message).toContain('proxy-only');
    await c.mutate('POST', `${C}/regions/us-central1/subnetworks`, { name: 'proxy', network: 'global/networks/default', ipCidrRange: '10.130.0.0/23', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
    expect((await c.call('POST', `${C}/regions/us-central1/forwardingRules`, { ...fr, loadBalancingScheme: 'EXTERNAL_MANAGED' })).status).toBe(400);
    const ok = await c.mutate('POST', `${C}/regions/us-central1/forwardingRules`, fr);
    expect(ok.error).toBeUndefined();
    const got = (await c.call('GET', `${C}/regions/us-central1/forwardingRules/fr`)).body;
    expect(got.IPAddress).toMatch(/^10\.128\.0\.\d+$/);
    expect(got.portRange).toBe('80-80');
    expect((await c.call('POST', `${C}/regions/us-central1/forwardingRules`, { ...fr, name: 'fr2', subnetwork: 'regions/us-central1/subnetworks/proxy' })).status).toBe(400);
  });

  it('lets two rules share an address only on different ports', async () => {
    await globalChain();
    await c.mutate('POST', `${C}/global/targetHttpProxies`, { name: 'tp', urlMap: 'global/urlMaps/um' });
    await c.mutate('POST', `${C}/global/addresses`, { name: 'ip' });
    const rule = (name: string, port: string) => c.call('POST', `${C}/global/forwardingRules`, { name, IPAddress: `projects/${P}/global/addresses/ip`, portRange: port, loadBalancingScheme: 'EXTERNAL_MANAGED', target: 'global/targetHttpProxies/tp' });
    expect((await rule('a', '80')).status).toBe(200);
    await c.call('POST', '/_emulator/operations/settle');
    expect((await rule('b', '80')).status).toBe(400);
    expect((await rule('c', '8080')).status).toBe(200);
    expect((await rule('d', '80')).status).toBe(400);
  });
});

describe('SSL certificates', () => {
  it('parses self-managed certificates, rejects a mismatched key and never returns the key', async () => {
    const a = await pem(['www.example.com', 'api.example.com'], 90);
    const b = await pem(['other.example.com']);
    await c.mutate('POST', `${C}/global/sslCertificates`, { name: 'self', certificate: a.cert, privateKey: a.key });
    const got = await c.call('GET', `${C}/global/sslCertificates/self`);
    expect(got.body).toMatchObject({ type: 'SELF_MANAGED', subjectAlternativeNames: ['www.example.com', 'api.example.com'], selfManaged: { certificate: a.cert } });
    expect(new Date(got.body.expireTime).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    expect(JSON.stringify(got.body)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify((await c.call('GET', `${C}/global/sslCertificates`)).body)).not.toContain('PRIVATE KEY');
    const mismatch = await c.call('POST', `${C}/global/sslCertificates`, { name: 'bad', certificate: a.cert, privateKey: b.key });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.message).toContain('does not match');
    expect((await c.call('POST', `${C}/global/sslCertificates`, { name: 'garbage', certificate: 'nope', privateKey: a.key })).status).toBe(400);
  });

  it('starts managed certificates PROVISIONING per domain, without wildcards', async () => {
    await c.mutate('POST', `${C}/global/sslCertificates`, { name: 'm', managed: { domains: ['www.example.com.', 'api.example.com'] }, type: 'MANAGED' });
    const m = (await c.call('GET', `${C}/global/sslCertificates/m`)).body;
    expect(m.managed).toEqual({ domains: ['www.example.com', 'api.example.com'], status: 'PROVISIONING', domainStatus: { 'www.example.com': 'PROVISIONING', 'api.example.com': 'PROVISIONING' } });
    expect((await c.call('POST', `${C}/global/sslCertificates`, { name: 'w', type: 'MANAGED', managed: { domains: ['*.example.com'] } })).status).toBe(400);
  });
});

describe('security policies', () => {
  it('adds the default rule, checks rate-limit actions and edits rules', async () => {
    await c.mutate('POST', `${C}/global/securityPolicies`, { name: 'armor', rules: [{ action: 'deny(403)', priority: 1000, match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['1.2.3.0/24'] } } }] });
    const p = (await c.call('GET', `${C}/global/securityPolicies/armor`)).body;
    expect(p.type).toBe('CLOUD_ARMOR');
    expect(p.rules.map((r: any) => r.priority)).toEqual([1000, 2147483647]);
    expect(p.rules[1]).toMatchObject({ action: 'allow', match: { config: { srcIpRanges: ['*'] } } });
    const match = { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } };
    expect((await c.call('POST', `${C}/global/securityPolicies/armor/addRule`, { action: 'throttle', priority: 10, match })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/securityPolicies/armor/addRule`, { action: 'allow', priority: 11, match, rateLimitOptions: { conformAction: 'allow' } })).status).toBe(400);
    expect((await c.call('POST', `${C}/global/securityPolicies/armor/addRule`, { action: 'deny(403)', priority: 1000, match })).status).toBe(400);
    const add = await c.mutate('POST', `${C}/global/securityPolicies/armor/addRule`, {
      action: 'rate_based_ban',
      priority: 10,
      match,
      rateLimitOptions: { conformAction: 'allow', exceedAction: 'deny(429)', rateLimitThreshold: { count: 100, intervalSec: 60 }, banDurationSec: 300 },
    });
    expect(add.operationType).toBe('AddRule');
    await c.mutate('POST', `${C}/global/securityPolicies/armor/patchRule?priority=1000&updateMask=action`, { action: 'deny(404)' });
    expect((await c.call('GET', `${C}/global/securityPolicies/armor/getRule?priority=1000`)).body.action).toBe('deny(404)');
    expect((await c.call('POST', `${C}/global/securityPolicies/armor/removeRule?priority=2147483647`)).status).toBe(400);
    await c.mutate('POST', `${C}/global/securityPolicies/armor/removeRule?priority=1000`);
    expect((await c.call('GET', `${C}/global/securityPolicies/armor`)).body.rules.map((r: any) => r.priority)).toEqual([10, 2147483647]);
    expect((await c.call('POST', `${C}/global/securityPolicies/armor/removeRule?priority=5`)).status).toBe(400);
  });
});

describe('seeder', () => {
  it('creates compute resources with the defaults an insert would give', () => {
    c.em.ctx.seeders['compute']!(P, 'globalAddresses', { name: 'reserved-ip' });
    const a = c.em.ctx.store.get(`projects/${P}/global/addresses/reserved-ip`)!;
    expect(a).toMatchObject({ kind: 'compute#address', addressType: 'EXTERNAL', status: 'RESERVED' });
    expect(String(a['address'])).toMatch(/^34\./);
    expect(() => c.em.ctx.seeders['compute']!(P, 'subnetworks', { name: 'x', network: 'global/networks/default', ipCidrRange: '10.0.0.0/24' })).toThrow();
  });
});

describe('cross-region internal forwarding rules', () => {
  async function crossRegionChain() {
    await c.mutate('POST', `${C}/regions/europe-west1/subnetworks`, { name: 'gproxy', network: 'global/networks/default', ipCidrRange: '10.142.0.0/23', purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE' });
    await c.mutate('POST', `${C}/regions/europe-west1/networkEndpointGroups`, negBody('neg'));
    await c.mutate('POST', `${C}/global/backendServices`, { name: 'bs', loadBalancingScheme: 'INTERNAL_MANAGED', backends: [{ group: negRef('neg') }] });
    await c.mutate('POST', `${C}/global/urlMaps`, { name: 'um', defaultService: 'global/backendServices/bs' });
    await c.mutate('POST', `${C}/global/targetHttpProxies`, { name: 'px', urlMap: 'global/urlMaps/um' });
    await c.mutate('POST', `${C}/regions/europe-west1/addresses`, { name: 'ip-ew1', addressType: 'INTERNAL', subnetwork: 'regions/europe-west1/subnetworks/default' });
  }
  const rule = (ip: string) => ({
    name: 'fr',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    IPAddress: ip,
    IPProtocol: 'TCP',
    portRange: '80',
    target: 'global/targetHttpProxies/px',
    network: 'global/networks/default',
    subnetwork: 'regions/europe-west1/subnetworks/default',
  });

  it('takes a regional internal address from the subnetwork\'s region (Google: "configured with a regional internal IP address")', async () => {
    await crossRegionChain();
    const ok = await c.mutate('POST', `${C}/global/forwardingRules`, rule(`projects/${P}/regions/europe-west1/addresses/ip-ew1`));
    expect(ok.status).toBe('DONE');
    expect(ok.error).toBeUndefined();
    const fr = await c.call('GET', `${C}/global/forwardingRules/fr`);
    expect(fr.body.IPAddress).toMatch(/^10\.132\./);
  });

  it('refuses a global address, and a regional one from another region', async () => {
    await crossRegionChain();
    await c.mutate('POST', `${C}/global/addresses`, { name: 'gip', addressType: 'INTERNAL', purpose: 'GCE_ENDPOINT' }).catch(() => undefined);
    const globalAddr = await c.call('POST', `${C}/global/forwardingRules`, rule(`projects/${P}/global/addresses/gip`));
    expect(globalAddr.status).toBe(400);
    await c.mutate('POST', `${C}/regions/us-central1/subnetworks`, { name: 'default', network: 'global/networks/default', ipCidrRange: '10.128.0.0/20' });
    await c.mutate('POST', `${C}/regions/us-central1/addresses`, { name: 'ip-us', addressType: 'INTERNAL', subnetwork: 'regions/us-central1/subnetworks/default' });
    const other = await c.call('POST', `${C}/global/forwardingRules`, rule(`projects/${P}/regions/us-central1/addresses/ip-us`));
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain('europe-west1');
  });
});

describe('the beta API prefix', () => {
  it('serves /compute/beta/ with the same model, incl. API Gateway serverless NEGs (serverlessDeployment)', async () => {
    const body = negBody('gw-neg', { serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'demo-gateway' } });
    const r = await c.mutate('POST', `/compute/beta/projects/${P}/regions/europe-west1/networkEndpointGroups`, body);
    expect(r.status).toBe('DONE');
    expect(r.error).toBeUndefined();
    const beta = await c.call('GET', `/compute/beta/projects/${P}/regions/europe-west1/networkEndpointGroups/gw-neg`);
    expect(beta.body.serverlessDeployment).toEqual({ platform: 'apigateway.googleapis.com', resource: 'demo-gateway' });
    const v1 = await c.call('GET', `${C}/regions/europe-west1/networkEndpointGroups/gw-neg`);
    expect(v1.status).toBe(200);
  });
});

describe('fingerprints', () => {
  it('compares the bytes: the URL-safe base64 gcloud sends matches, a stale one is 412 conditionNotMet', async () => {
    await c.mutate('POST', `${C}/regions/europe-west1/backendServices`, { name: 'rbs', loadBalancingScheme: 'EXTERNAL_MANAGED' });
    let current = (await c.call('GET', `${C}/regions/europe-west1/backendServices/rbs`)).body;
    // Change the resource until its fingerprint has a character the two encodings write differently.
    for (let i = 0; !/[+/]/.test(String(current.fingerprint)); i++) {
      expect(i).toBeLessThan(200);
      await c.mutate('PUT', `${C}/regions/europe-west1/backendServices/rbs`, { ...current, description: `d${i}` });
      current = (await c.call('GET', `${C}/regions/europe-west1/backendServices/rbs`)).body;
    }
    const urlSafe = String(current.fingerprint).replace(/\+/g, '-').replace(/\//g, '_');
    const stale = Buffer.from('stale-fp').toString('base64');
    const rejected = await c.call('PUT', `${C}/regions/europe-west1/backendServices/rbs`, { ...current, fingerprint: stale });
    expect(rejected.status).toBe(412);
    expect(reason(rejected)).toBe('conditionNotMet');
    const accepted = await c.call('PUT', `${C}/regions/europe-west1/backendServices/rbs`, { ...current, fingerprint: urlSafe, description: 'changed' });
    expect(accepted.status).toBe(200);
  });
});
