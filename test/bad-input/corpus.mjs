/**
 * The bad-input corpus: config keys, flags, files and environments the CLI must refuse with exit
 * code 2, a message naming the key, flag, file or variable with how to fix it, no secret echoed,
 * and no mutating API call.
 *
 * `makeCorpus(dir)` writes each case's files under `dir/<id>/` and returns the cases:
 *   { id, what, args, names: [strings of which one must appear in stderr], env?, cwd }
 * The secrets every case's output is searched for are in `SECRETS`.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'yaml';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

/** Values that must never appear in any output. */
export const SECRETS = { iapSecret: 'iap-secret-value-5b1e0c', configSecret: 'literal-secret-in-config-77aa' };

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

function pem(label, der) {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function makeCert({ names, notBefore = new Date('2025-01-01T00:00:00Z'), notAfter = new Date('2125-01-01T00:00:00Z') }) {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0badc0de',
    name: `CN=${names[0]}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: RSA,
    extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns', value })))],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

/** The body lines of a PEM key: what must never be printed. */
export function keyBodyLines(keyPem) {
  return keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
}

const baseConfig = () => ({
  name: 'bad-lb',
  project: 'demo-project',
  type: 'global-external',
  region: 'europe-west1',
  backends: [{ name: 'web', cloudRun: { service: 'web' } }],
  frontend: { protocol: 'https', domains: ['www.example.com'] },
  certificate: { type: 'managed' },
  dns: { managedZone: 'example-com' },
});

const regionalConfig = () => ({
  name: 'bad-internal',
  project: 'demo-project',
  type: 'regional-internal',
  region: 'europe-west1',
  backends: [{ name: 'api', cloudRun: { service: 'internal-api' } }],
  frontend: { protocol: 'http', network: { network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'existing', name: 'proxy-only-europe-west1' } } },
});

const APPLY = ['apply', '--yes', '--no-verify', '-c', 'lb.yaml'];

export async function makeCorpus(dir) {
  const good = await makeCert({ names: ['www.example.com'] });
  const other = await makeCert({ names: ['www.example.com'] });
  const expired = await makeCert({ names: ['www.example.com'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
  const wrongDomain = await makeCert({ names: ['shop.example.org'] });
  const secrets = [SECRETS.iapSecret, SECRETS.configSecret, ...keyBodyLines(good.keyPem), ...keyBodyLines(other.keyPem), ...keyBodyLines(expired.keyPem), ...keyBodyLines(wrongDomain.keyPem)];
  const encryptedKey = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${keyBodyLines(good.keyPem).join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
  const selfManaged = (edit = {}) => ({ ...baseConfig(), certificate: { type: 'self-managed', certificateFile: 'cert.pem', privateKeyFile: 'key.pem', ...edit } });

  const cases = [];
  /** A case from a config object (or raw text) and extra files; the command defaults to apply. */
  const add = (id, what, names, { config, text, files = {}, args = APPLY, env } = {}) => {
    const cwd = join(dir, id);
    mkdirSync(cwd, { recursive: true });
    if (config !== undefined) writeFileSync(join(cwd, 'lb.yaml'), stringify(config));
    if (text !== undefined) writeFileSync(join(cwd, 'lb.yaml'), text);
    for (const [name, content] of Object.entries(files)) {
      if (content === 'DIRECTORY') mkdirSync(join(cwd, name), { recursive: true });
      else writeFileSync(join(cwd, name), content);
    }
    cases.push({ id, what, names, args, cwd, ...(env ? { env } : {}) });
  };
  const edit = (fn, make = baseConfig) => {
    const c = make();
    fn(c);
    return c;
  };

  // --- Config keys: wrong types, enums, names Google refuses, conflicting options.
  add('type-unknown', 'an unknown load balancer type', ['type'], { config: edit((c) => (c.type = 'bogus')) });
  add('type-number', 'a number where the type goes', ['type'], { config: edit((c) => (c.type = 42)) });
  add('name-uppercase', 'a name Google refuses (upper case, underscore)', ['name'], { config: edit((c) => (c.name = 'Bad_Name')) });
  add('name-too-long', 'a 41-character name', ['name'], { config: edit((c) => (c.name = `a${'b'.repeat(40)}`)) });
  add('name-empty', 'an empty name', ['name'], { config: edit((c) => (c.name = '')) });
  add('name-trailing-hyphen', 'a name ending in a hyphen', ['name'], { config: edit((c) => (c.name = 'web-')) });
  add('project-short', 'a project ID Google refuses', ['project'], { config: edit((c) => (c.project = 'p')) });
  add('project-uppercase', 'a project ID with capitals', ['project'], { config: edit((c) => (c.project = 'My-Project')) });
  add('region-zone', 'a zone where a region goes', ['region'], { config: edit((c) => (c.region = 'europe-west1-b')) });
  add('region-number', 'a number where a region goes', ['region'], { config: edit((c) => (c.region = 5)) });
  add('backends-object', 'backends as a map, not a list', ['backends'], { config: edit((c) => (c.backends = { web: { cloudRun: { service: 'web' } } })) });
  add('backends-empty', 'no backends', ['backends'], { config: edit((c) => (c.backends = [])) });
  add('backend-no-target', 'a backend with no target', ['backends'], { config: edit((c) => (c.backends = [{ name: 'web' }])) });
  add('backend-two-targets', 'a backend with two targets', ['backends'], { config: edit((c) => (c.backends = [{ name: 'web', cloudRun: { service: 'web' }, appEngine: { service: 'default' } }])) });
  add('backend-bad-name', 'a backend name Google refuses', ['backends'], { config: edit((c) => (c.backends = [{ name: 'Web!', cloudRun: { service: 'web' } }])) });
  add('backend-duplicate', 'two backends with one name', ['backends'], { config: edit((c) => c.backends.push({ name: 'web', cloudRun: { service: 'api' } })) });
  add('backend-bad-mask', 'a URL mask with no placeholder', ['backends', 'urlMask'], { config: edit((c) => (c.backends = [{ name: 'web', cloudRun: { urlMask: 'example.com/static' } }])) });
  add('default-backend-unknown', 'a default backend that is not a backend', ['routing.defaultBackend'], { config: edit((c) => (c.routing = { defaultBackend: 'nope' })) });
  add('route-path-no-slash', 'a path rule without a leading slash', ['routing.hosts'], {
    config: edit((c) => (c.routing = { hosts: [{ hosts: ['www.example.com'], paths: [{ paths: ['api/*'], backend: 'web' }] }] })),
  });
  add('route-host-twice', 'one host in two rules', ['routing.hosts'], {
    config: edit((c) => (c.routing = { hosts: [{ hosts: ['www.example.com'], defaultBackend: 'web' }, { hosts: ['www.example.com'], defaultBackend: 'web' }] })),
  });
  add('route-backend-unknown', 'a path rule to an unknown backend', ['routing.hosts'], {
    config: edit((c) => (c.routing = { hosts: [{ hosts: ['www.example.com'], paths: [{ paths: ['/api/*'], backend: 'ghost' }] }] })),
  });
  add('protocol-unknown', 'a protocol that does not exist', ['frontend.protocol'], { config: edit((c) => (c.frontend.protocol = 'ftp')) });
  add('port-too-big', 'port 70000', ['frontend.port'], { config: edit((c) => (c.frontend.port = 70000)) });
  add('port-text', 'a port that is text', ['frontend.port'], { config: edit((c) => (c.frontend.port = 'https')) });
  add('classic-port', 'a port the classic LB cannot listen on', ['frontend.port'], { config: edit((c) => ((c.type = 'classic'), (c.frontend.port = 8443))) });
  add('domain-invalid', 'a domain with a space', ['frontend.domains'], { config: edit((c) => (c.frontend.domains = ['not a domain'])) });
  add('address-mode-unknown', 'an address mode that does not exist', ['frontend.address.mode'], { config: edit((c) => (c.frontend.address = { mode: 'static' })) });
  add('address-existing-no-name', 'an existing address with no name', ['frontend.address'], { config: edit((c) => (c.frontend.address = { mode: 'existing' })) });
  add('ipv6-regional', 'IPv6 on a regional external LB', ['ipVersion'], {
    config: edit((c) => ((c.type = 'regional-external'), (c.frontend = { protocol: 'http', address: { mode: 'reserve', ipVersion: 'IPV6' } }), delete c.certificate, delete c.dns)),
  });
  add('network-tier-unknown', 'a network tier that does not exist', ['networkTier'], { config: edit((c) => (c.frontend.address = { mode: 'reserve', networkTier: 'GOLD' })) });
  add('https-no-certificate', 'HTTPS with no certificate', ['certificate'], { config: edit((c) => delete c.certificate) });
  add('certificate-type-unknown', 'a certificate type that does not exist', ['certificate.type'], { config: edit((c) => (c.certificate = { type: 'letsencrypt' })) });
  add('certificate-too-many-domains', '101 domains on a managed certificate', ['certificate.domains'], {
    config: edit((c) => (c.certificate = { type: 'managed', domains: Array.from({ length: 101 }, (_, i) => `d${i}.example.com`) })),
  });
  add('managed-wildcard-compute', 'a wildcard on a Compute Engine managed certificate', ['certificate', 'domains'], {
    config: edit((c) => (c.certificate = { type: 'managed', service: 'compute', domains: ['*.example.com'] })),
  });
  add('cdn-regional', 'Cloud CDN on a regional internal LB', ['options.cdn'], { config: edit((c) => (c.options = { cdn: { enabled: true } }), regionalConfig) });
  add('cdn-cache-mode', 'a Cloud CDN cache mode that does not exist', ['cacheMode'], { config: edit((c) => (c.options = { cdn: { enabled: true, cacheMode: 'CACHE_EVERYTHING' } })) });
  add('log-sample-rate', 'a log sample rate of 2', ['sampleRate'], { config: edit((c) => (c.options = { logging: { enabled: true, sampleRate: 2 } })) });
  add('outlier-percent', 'an ejection percentage of 150', ['maxEjectionPercent'], { config: edit((c) => (c.options = { outlierDetection: { maxEjectionPercent: 150 } })) });
  add('outlier-success-rate', 'success-rate detection (not for serverless NEGs)', ['successRate'], { config: edit((c) => (c.options = { outlierDetection: { successRateMinimumHosts: 3 } })) });
  add('armor-duplicate-priority', 'two Cloud Armor rules with one priority', ['rules'], {
    config: edit((c) => (c.options = { cloudArmor: { rules: [{ priority: 10, action: 'deny(403)', srcIpRanges: ['1.2.3.4/32'] }, { priority: 10, action: 'allow', srcIpRanges: ['*'] }] } })),
  });
  add('armor-throttle-no-limit', 'a throttle rule with no rate limit', ['rateLimit', 'rules'], {
    config: edit((c) => (c.options = { cloudArmor: { rules: [{ priority: 10, action: 'throttle', srcIpRanges: ['*'] }] } })),
  });
  add('armor-interval', 'a rate limit interval Google does not offer', ['intervalSec'], {
    config: edit((c) => (c.options = { cloudArmor: { rules: [{ priority: 10, action: 'throttle', srcIpRanges: ['*'], rateLimit: { count: 10, intervalSec: 45 } }] } })),
  });
  add('armor-existing-and-rules', 'an existing policy and rules at once', ['cloudArmor'], {
    config: edit((c) => (c.options = { cloudArmor: { existingPolicy: 'p', rules: [{ priority: 10, action: 'allow', srcIpRanges: ['*'] }] } })),
  });
  add('ingress-unknown', 'an ingress setting that does not exist', ['options.ingress'], { config: edit((c) => (c.options = { ingress: 'everyone' })) });
  add('invoker-unknown', 'an invoker that does not exist', ['options.invoker'], { config: edit((c) => (c.options = { invoker: 'bob' })) });
  add('iap-secret-literal', 'an OAuth client secret written into the config', ['oauth2ClientSecret', 'iap'], {
    config: edit((c) => (c.options = { iap: { enabled: true, oauth2ClientId: 'id.apps.googleusercontent.com', oauth2ClientSecret: SECRETS.configSecret } })),
  });
  add('iap-secret-env-unset', 'an OAuth client secret variable that is not set', ['NOT_SET_IAP_SECRET', 'oauth2ClientSecretEnv'], {
    config: edit((c) => (c.options = { iap: { enabled: true, oauth2ClientId: 'id.apps.googleusercontent.com', oauth2ClientSecretEnv: 'NOT_SET_IAP_SECRET' } })),
  });
  add('iap-secret-file-missing', 'an OAuth client secret file that does not exist', ['oauth2ClientSecretFile', 'secret.txt'], {
    config: edit((c) => (c.options = { iap: { enabled: true, oauth2ClientId: 'id.apps.googleusercontent.com', oauth2ClientSecretFile: 'secret.txt' } })),
  });
  add('iap-id-without-secret', 'an OAuth client id without a secret', ['iap'], { config: edit((c) => (c.options = { iap: { enabled: true, oauth2ClientId: 'id.apps.googleusercontent.com' } })) });
  add('keepalive-classic', 'a keepalive timeout on the classic LB', ['httpKeepAliveTimeoutSec'], { config: edit((c) => ((c.type = 'classic'), (c.options = { httpKeepAliveTimeoutSec: 700 }))) });
  add('proxy-subnet-create-no-range', 'a proxy-only subnet to create with no range', ['proxyOnlySubnet', 'ranges'], {
    config: edit((c) => (c.frontend.network.proxyOnlySubnet = { mode: 'create' }), regionalConfig),
  });
  add('proxy-subnet-small-range', 'a /28 proxy-only subnet', ['ranges'], {
    config: edit((c) => (c.frontend.network.proxyOnlySubnet = { mode: 'create', ranges: { 'europe-west1': '10.129.0.0/28' } }), regionalConfig),
  });
  add('dns-zone-empty', 'an empty managed zone name', ['dns.managedZone'], { config: edit((c) => (c.dns = { managedZone: '' })) });
  add('unknown-key', 'a misspelt top-level key', ['regoin'], { config: { ...baseConfig(), regoin: 'europe-west1' } });
  add('unknown-nested-key', 'a misspelt nested key', ['protcol'], { config: edit((c) => (c.frontend.protcol = 'http')) });

  // --- Config files: syntax, shape, size, paths.
  add('yaml-syntax', 'a YAML syntax error', ['lb.yaml'], { text: 'name: bad-lb\nbackends: [\n  - name: web\n' });
  add('yaml-alias-bomb', 'a YAML alias bomb', ['lb.yaml', 'alias'], {
    text: ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'name: bad-lb'].join('\n') + '\n',
  });
  add('yaml-duplicate-key', 'a key given twice', ['name', 'lb.yaml'], { text: `${stringify(baseConfig())}name: other-lb\n` });
  add('config-list', 'a config that is a list', ['lb.yaml', 'config'], { text: '- name: bad-lb\n' });
  add('config-empty', 'an empty config file', ['lb.yaml', 'config'], { text: '' });
  add('config-binary', 'a binary config file', ['lb.yaml', 'config'], { text: Buffer.from([0, 159, 146, 150, 0, 1, 2, 255, 254, 0]).toString('latin1') });
  add('config-huge', 'a 12 MB config file', ['lb.yaml', 'config'], { text: `name: bad-lb\n# ${'x'.repeat(12 * 1024 * 1024)}\n` });
  add('config-missing', 'a config path that does not exist', ['nowhere.yaml'], { args: ['apply', '--yes', '-c', 'nowhere.yaml'] });
  add('config-directory', 'a config path that is a directory', ['confdir', 'directory'], { files: { confdir: 'DIRECTORY' }, args: ['apply', '--yes', '-c', 'confdir'] });

  // --- Certificate files.
  add('cert-missing', 'a certificate file that does not exist', ['certificateFile', 'cert.pem'], { config: selfManaged(), files: { 'key.pem': good.keyPem } });
  add('cert-directory', 'a certificate path that is a directory', ['certificateFile', 'cert.pem'], { config: selfManaged(), files: { 'cert.pem': 'DIRECTORY', 'key.pem': good.keyPem } });
  add('cert-garbage', 'a certificate file that is not PEM', ['certificateFile', 'cert.pem'], { config: selfManaged(), files: { 'cert.pem': 'hello, I am not a certificate\n', 'key.pem': good.keyPem } });
  add('cert-empty', 'an empty certificate file', ['certificateFile', 'cert.pem'], { config: selfManaged(), files: { 'cert.pem': '', 'key.pem': good.keyPem } });
  add('cert-binary', 'a binary certificate file', ['certificateFile', 'cert.pem'], { config: selfManaged(), files: { 'cert.pem': Buffer.from([0x30, 0x82, 0, 1, 255, 0, 7]), 'key.pem': good.keyPem } });
  add('cert-huge', 'a 3 MB certificate file', ['certificateFile', 'cert.pem'], { config: selfManaged(), files: { 'cert.pem': good.certPem.repeat(2000), 'key.pem': good.keyPem } });
  add('key-mismatch', 'a private key of another certificate', ['privateKeyFile', 'key.pem'], { config: selfManaged(), files: { 'cert.pem': good.certPem, 'key.pem': other.keyPem } });
  add('cert-expired', 'an expired certificate', ['certificateFile', 'expired'], { config: selfManaged(), files: { 'cert.pem': expired.certPem, 'key.pem': expired.keyPem } });
  add('cert-wrong-domain', 'a certificate for other domains', ['certificateFile', 'www.example.com', 'domains'], { config: selfManaged(), files: { 'cert.pem': wrongDomain.certPem, 'key.pem': wrongDomain.keyPem } });
  add('key-passphrase', 'a private key protected by a passphrase', ['privateKeyFile', 'encrypted'], { config: selfManaged(), files: { 'cert.pem': good.certPem, 'key.pem': encryptedKey } });
  add('key-binary', 'a binary private key file', ['privateKeyFile', 'key.pem'], { config: selfManaged(), files: { 'cert.pem': good.certPem, 'key.pem': Buffer.from([0, 1, 2, 3, 200, 201]) } });
  add('cert-key-swapped', 'the certificate and key files swapped', ['certificateFile', 'privateKeyFile'], { config: selfManaged(), files: { 'cert.pem': good.keyPem, 'key.pem': good.certPem } });
  add('key-missing', 'a private key file that does not exist', ['privateKeyFile', 'key.pem'], { config: selfManaged(), files: { 'cert.pem': good.certPem } });

  // --- Flags.
  const withConfig = { config: baseConfig() };
  add('flag-type', '--type with an unknown type', ['--type'], { ...withConfig, args: [...APPLY, '--type', 'bogus'] });
  add('flag-region', '--region with a zone', ['--region'], { ...withConfig, args: [...APPLY, '--region', 'us-central1-a'] });
  add('flag-port', '--port with text', ['--port'], { ...withConfig, args: [...APPLY, '--port', 'abc'] });
  add('flag-concurrency-zero', '--concurrency 0', ['--concurrency'], { ...withConfig, args: [...APPLY, '--concurrency', '0'] });
  add('flag-concurrency-text', '--concurrency with text', ['--concurrency'], { ...withConfig, args: [...APPLY, '--concurrency', 'many'] });
  add('flag-format', '--format xml', ['--format'], { ...withConfig, args: [...APPLY, '--format', 'xml'] });
  add('flag-wait', '--wait with no unit', ['--wait'], { ...withConfig, args: ['apply', '--yes', '-c', 'lb.yaml', '--wait', 'forever'] });
  add('flag-unknown', 'a misspelt flag', ['--colour'], { ...withConfig, args: [...APPLY, '--colour'] });
  add('flag-backend', '--backend with a kind but no target', ['--backend'], { ...withConfig, args: [...APPLY, '--backend', 'web=run:'] });
  add('flag-backend-no-name', '--backend with no name', ['--backend'], { ...withConfig, args: [...APPLY, '--backend', '=run:web'] });
  add('flag-backend-kind', '--backend with an unknown kind', ['--backend'], { ...withConfig, args: [...APPLY, '--backend', 'web=lambda:web'] });
  add('flag-route', '--route without a backend', ['--route'], { ...withConfig, args: [...APPLY, '--route', 'www.example.com/api'] });
  add('flag-rate-limit', '--rate-limit with an unknown interval', ['--rate-limit'], { ...withConfig, args: [...APPLY, '--rate-limit', '100/7s'] });
  add('flag-proxy-range', '--proxy-only-subnet-range without a region', ['--proxy-only-subnet-range'], {
    config: regionalConfig(),
    args: [...APPLY, '--proxy-only-subnet', 'create', '--proxy-only-subnet-range', '10.129.0.0/23'],
  });
  add('flag-dns-server', '--dns-server that is not host:port', ['--dns-server'], { ...withConfig, args: ['verify', '-c', 'lb.yaml', '--dns-server', 'not a server'] });
  add('flag-log-sample-rate', '--log-sample-rate 7', ['--log-sample-rate'], { ...withConfig, args: [...APPLY, '--log-sample-rate', '7'] });
  add('init-type', 'init --yes with an unknown --type', ['--type'], { args: ['init', '--yes', '--type', 'bogus', '--project', 'demo-project', '--name', 'web', '--region', 'europe-west1', '--backend', 'web=run:web', '--protocol', 'http'] });
  add('init-port', 'init --yes with --port abc', ['--port'], { args: ['init', '--yes', '--type', 'global-external', '--project', 'demo-project', '--name', 'web', '--region', 'europe-west1', '--backend', 'web=run:web', '--protocol', 'http', '--port', 'abc'] });
  add('init-missing', 'init --yes with answers missing', ['--backend', '--name'], { args: ['init', '--yes', '--project', 'demo-project'] });
  add('init-project', 'init --yes with a project ID Google refuses', ['--project'], { args: ['init', '--yes', '--project', 'X', '--name', 'web', '--region', 'europe-west1', '--backend', 'web=run:web', '--protocol', 'http'] });

  // --- Environment and the project.
  add('emulator-host-garbage', 'an emulator host that is not HOST:PORT', ['SERVERLESS_LB_EMULATOR_HOST'], { ...withConfig, env: { SERVERLESS_LB_EMULATOR_HOST: 'not a host' } });
  add('emulator-host-unreachable', 'an emulator host nothing listens on', ['SERVERLESS_LB_EMULATOR_HOST'], { ...withConfig, env: { SERVERLESS_LB_EMULATOR_HOST: '127.0.0.1:9' } });
  add('emulator-host-wrong', 'an emulator host that is some other HTTP server', ['SERVERLESS_LB_EMULATOR_HOST'], { ...withConfig, env: { SERVERLESS_LB_EMULATOR_HOST: 'WRONG_HOST' } });
  add('project-unknown', 'a project that does not exist', ['project', '--project'], { ...withConfig, args: [...APPLY, '--project', 'no-such-project-42'] });
  add('region-unknown', 'a region that does not exist', ['region'], { ...withConfig, args: [...APPLY, '--region', 'mars-north9'] });
  add('region-unknown-teardown', 'teardown in a region that does not exist', ['region'], { config: regionalConfig(), args: ['teardown', '--yes', '-c', 'lb.yaml', '--region', 'asia-south2'] });

  return { cases, secrets, iapSecretEnv: { IAP_CLIENT_SECRET: SECRETS.iapSecret } };
}
