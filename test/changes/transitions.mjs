/**
 * The change-safety matrix: each transition takes an example config ("before", optionally changed
 * first) to an "after" config, the way teams change live load balancers. `allowDisruption` marks a
 * transition that removes what the user asked to remove (a listener, a domain): the plan says so and
 * apply needs --allow-disruption; traffic to what both configs serve must still not fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const API_ROUTE = { hosts: ['api.example.com'], defaultBackend: 'api' };
const cm = (config) => ({ ...config, certificate: { ...config.certificate, service: 'certificate-manager' } });
const domains = (config, list) => ({ ...config, frontend: { ...config.frontend, domains: list } });
const options = (config, extra) => ({ ...config, options: { ...config.options, ...extra } });
const tls = (config, settings) => ({ ...config, frontend: { ...config.frontend, tls: settings } });
const noTls = (config) => {
  const { tls: _tls, ...frontend } = config.frontend;
  return { ...config, frontend };
};
const CA = new URL('../../docs/examples/certs/client-ca.pem', import.meta.url).pathname;
const mtls = (config) => tls(config, { mtls: { mode: 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT', trustAnchors: [CA] } });
const CANARY = { backends: [{ backend: 'web', weight: 90 }, { backend: 'api', weight: 10 }] };
const canary = (config) => ({ ...config, routing: { ...config.routing, routes: [{ match: { headers: [{ name: 'x-canary', exact: 'always' }] }, backend: 'api' }, CANARY] } });
const noRoutes = (config) => {
  const { routes: _routes, ...routing } = config.routing;
  return { ...config, routing };
};
const selfManaged = (config) => ({
  ...config,
  certificate: { type: 'self-managed', certificateFile: 'certs/example.com.crt', privateKeyFile: 'certs/example.com.key' },
});

/** A self-managed config of an example whose file references must be absolute (engine.mjs resolves example ones). */
function withCerts(config) {
  const fixed = selfManaged(config);
  const dir = new URL('../../docs/examples/', import.meta.url).pathname;
  fixed.certificate.certificateFile = `${dir}certs/example.com.crt`;
  fixed.certificate.privateKeyFile = `${dir}certs/example.com.key`;
  return fixed;
}

/** The examples' certificate files, read as they are. */
const exampleFile = (name) => readFileSync(new URL(`../../docs/examples/certs/${name}`, import.meta.url), 'utf8');
/** A CA of its own for a transition (the emulator's, from dist/), to issue a renewed certificate or stand as a new CA. */
async function newCa(name) {
  const { EmulatorCa } = await import(new URL('../../dist/emulator/dataplane/emulator-ca.js', import.meta.url).href);
  return EmulatorCa.create(name);
}
/** A self-managed certificate from `site.pem` / `site.key` in the transition's folder. */
const siteFiles = (config, dir) => ({ ...config, certificate: { type: 'self-managed', certificateFile: join(dir, 'site.pem'), privateKeyFile: join(dir, 'site.key') } });
/** The example certificate first; then a renewed one for the same domains, with a new key, from another CA. */
async function renewedSite(config) {
  const ca = await newCa('renewal CA');
  const renewed = await ca.issue(config.frontend.domains);
  return { before: { 'site.pem': exampleFile('example.com.crt'), 'site.key': exampleFile('example.com.key') }, after: { 'site.pem': renewed.chainPem, 'site.key': renewed.privateKeyPem }, trust: [ca.certificatePem] };
}
/** The example client CA first; then a second CA beside it in the same file. */
async function rotatedCa() {
  const ca = await newCa('next client CA');
  return { before: { 'ca.pem': exampleFile('client-ca.pem') }, after: { 'ca.pem': exampleFile('client-ca.pem') + ca.certificatePem } };
}
const mtlsFrom = (config, dir) => tls(config, { mtls: { mode: 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT', trustAnchors: [join(dir, 'ca.pem')] } });

export const TRANSITIONS = [
  // ---- global external: domains and certificates
  { name: 'global-external: add a domain (Compute managed certificate)', example: 'global-external.yaml', after: (c) => domains(c, [...c.frontend.domains, 'shop.example.com']) },
  { name: 'global-external: remove a domain (Compute managed certificate)', example: 'global-external.yaml', after: (c) => ({ ...domains(c, ['www.example.com']), routing: { defaultBackend: 'web' } }), allowDisruption: true },
  { name: 'global-external: add a domain (Certificate Manager managed)', example: 'global-external.yaml', before: cm, after: (c) => domains(c, [...c.frontend.domains, 'shop.example.com']) },
  { name: 'global-external: add a domain (self-managed)', example: 'global-external.yaml', before: withCerts, after: (c) => domains(c, [...c.frontend.domains, 'shop.example.com']) },
  { name: 'global-external: Compute managed -> Certificate Manager managed', example: 'global-external.yaml', after: cm },
  { name: 'global-external: Certificate Manager managed -> Compute managed', example: 'global-external.yaml', before: cm, after: (c) => ({ ...c, certificate: { type: 'managed' } }) },
  { name: 'global-external: managed -> self-managed', example: 'global-external.yaml', after: withCerts },
  { name: 'global-external: self-managed -> managed', example: 'global-external.yaml', before: withCerts, after: (c) => ({ ...c, certificate: { type: 'managed' } }) },
  // ---- global external: backends and routing
  { name: 'global-external: add a backend and a host rule', example: 'global-external.yaml', after: (c) => ({ ...c, backends: [...c.backends, { name: 'static', cloudRun: { service: 'static' } }], routing: { ...c.routing, hosts: [...c.routing.hosts, { hosts: ['static.example.com'], defaultBackend: 'static' }] }, frontend: { ...c.frontend, domains: [...c.frontend.domains, 'static.example.com'] } }) },
  { name: 'global-external: change a backend target (NEG replaced)', example: 'global-external.yaml', after: (c) => ({ ...c, backends: c.backends.map((b) => (b.name === 'api' ? { ...b, cloudRun: { service: 'admin' } } : b)) }) },
  { name: 'global-external: add a region to a backend', example: 'global-external.yaml', after: (c) => ({ ...c, backends: c.backends.map((b) => (b.name === 'web' ? { ...b, regions: ['europe-west1', 'us-central1'] } : b)) }) },
  { name: 'global-external: path rule added', example: 'global-external.yaml', after: (c) => ({ ...c, routing: { ...c.routing, hosts: [{ hosts: ['www.example.com'], paths: [{ paths: ['/api/*'], backend: 'api' }] }, API_ROUTE] } }) },
  // ---- global external: options
  { name: 'global-external: CDN on', example: 'global-external.yaml', after: (c) => options(c, { cdn: { enabled: true } }) },
  { name: 'global-external: logging off', example: 'global-external.yaml', after: (c) => options(c, { logging: { enabled: false } }) },
  { name: 'global-external: outlier detection on', example: 'global-external.yaml', after: (c) => options(c, { outlierDetection: { consecutiveErrors: 5 } }) },
  { name: 'global-external: Cloud Armor policy created', example: 'global-external.yaml', after: (c) => options(c, { cloudArmor: { rules: [{ action: 'deny(403)', priority: 1000, srcIpRanges: ['198.51.100.0/24'] }] } }) },
  { name: 'global-external: ingress unchanged -> restricted (auto)', example: 'global-external.yaml', before: (c) => options(c, { ingress: 'unchanged' }), after: (c) => options(c, { ingress: 'auto' }) },
  // ---- protocol
  { name: 'global-external: https-redirect -> https', example: 'global-external.yaml', after: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https' } }), allowDisruption: true },
  { name: 'global-external: https -> https-redirect', example: 'global-external.yaml', before: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https' } }), after: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https-redirect' } }) },
  { name: 'global-external: CDN off', example: 'global-external.yaml', before: (c) => options(c, { cdn: { enabled: true } }), after: (c) => options(c, { cdn: { enabled: false } }) },
  { name: 'global-external: outlier detection off', example: 'global-external.yaml', before: (c) => options(c, { outlierDetection: { consecutiveErrors: 5 } }), after: (c) => ({ ...c, options: {} }) },
  { name: 'global-external: Cloud Armor policy removed', example: 'global-external.yaml', before: (c) => options(c, { cloudArmor: { rules: [{ action: 'deny(403)', priority: 1000, srcIpRanges: ['198.51.100.0/24'] }] } }), after: (c) => ({ ...c, options: {} }) },
  { name: 'global-external: IAP on', example: 'global-external.yaml', after: (c) => options(c, { iap: { enabled: true } }) },
  { name: 'global-external: remove a backend and its host rule', example: 'global-external.yaml', after: (c) => ({ ...c, backends: [c.backends[0]], routing: { defaultBackend: 'web' } }) },
  { name: 'global-external: ephemeral -> reserved address (the same IP)', example: 'global-external.yaml', before: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https', address: { mode: 'ephemeral' } } }), after: (c) => ({ ...c, frontend: { ...c.frontend, address: { mode: 'reserve' } } }) },
  { name: 'regional-external: ephemeral -> reserved address (the same IP)', example: 'regional-external.yaml', before: (c) => ({ ...c, frontend: { ...c.frontend, address: { mode: 'ephemeral' } } }), after: (c) => ({ ...c, frontend: { ...c.frontend, address: { mode: 'reserve' } } }) },
  { name: 'global-external: http -> https-redirect', example: 'global-external.yaml', before: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'http' } }), after: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https-redirect' } }) },
  { name: 'global-external: self-managed -> Certificate Manager self-managed', example: 'global-external.yaml', before: withCerts, after: (c) => cm(withCerts(c)) },
  { name: 'global-external: remove a domain (Certificate Manager managed)', example: 'global-external.yaml', before: cm, after: (c) => ({ ...domains(c, ['www.example.com']), routing: { defaultBackend: 'web' } }), allowDisruption: true },
  // ---- classic
  { name: 'classic: add a domain (managed)', example: 'classic.yaml', after: (c) => domains(c, [...c.frontend.domains, 'classic2.example.com']) },
  { name: 'classic: CDN on', example: 'classic.yaml', after: (c) => options(c, { cdn: { enabled: true } }) },
  { name: 'classic: logging off', example: 'classic.yaml', after: (c) => options(c, { logging: { enabled: false } }) },
  { name: 'classic: add a backend and a path rule', example: 'classic.yaml', after: (c) => ({ ...c, backends: [...c.backends, { name: 'api', cloudRun: { service: 'api' } }], routing: { defaultBackend: 'web', hosts: [{ hosts: ['classic.example.com'], paths: [{ paths: ['/api/*'], backend: 'api' }] }] } }) },
  { name: 'classic: https -> https-redirect', example: 'classic.yaml', after: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https-redirect' } }) },
  // ---- regional external
  { name: 'regional-external: add a backend', example: 'regional-external.yaml', after: (c) => ({ ...c, backends: [...c.backends, { name: 'api', cloudRun: { service: 'api' } }], routing: { defaultBackend: 'web', hosts: [{ hosts: ['eu-api.example.com'], defaultBackend: 'api' }] } }) },
  { name: 'regional-external: add a domain (self-managed)', example: 'regional-external.yaml', after: (c) => domains(c, [...c.frontend.domains, 'eu2.example.com']) },
  { name: 'regional-external: logging off', example: 'regional-external.yaml', after: (c) => options(c, { logging: { enabled: false } }) },
  { name: 'regional-external: https -> https-redirect', example: 'regional-external.yaml', after: (c) => ({ ...c, frontend: { ...c.frontend, protocol: 'https-redirect' } }) },
  // ---- regional internal
  { name: 'regional-internal: add a backend with a path rule', example: 'regional-internal.yaml', after: (c) => ({ ...c, backends: [...c.backends, { name: 'api', cloudRun: { service: 'api' } }], routing: { defaultBackend: 'internal-api', hosts: [{ hosts: ['*'], paths: [{ paths: ['/v2/*'], backend: 'api' }] }] }, options: { ...c.options, ingress: 'internal' } }) },
  { name: 'regional-internal: logging off', example: 'regional-internal.yaml', after: (c) => options(c, { logging: { enabled: false } }) },
  { name: 'regional-internal: change a backend target (NEG replaced)', example: 'regional-internal.yaml', after: (c) => ({ ...c, backends: [{ name: 'internal-api', cloudRun: { service: 'api' } }] }) },
  { name: 'regional-internal-managed-cert: add a domain (Certificate Manager managed)', example: 'regional-internal-managed-cert.yaml', after: (c) => domains(c, [...c.frontend.domains, 'internal-api2.example.com']) },
  // ---- cross-region internal
  { name: 'cross-region-internal: outlier detection off', example: 'cross-region-internal.yaml', after: (c) => ({ ...c, options: {} }) },
  { name: 'cross-region-internal: add a backend with a path rule', example: 'cross-region-internal.yaml', after: (c) => ({ ...c, backends: [...c.backends, { name: 'api', cloudRun: { service: 'api' } }], routing: { defaultBackend: 'internal-api', hosts: [{ hosts: ['*'], paths: [{ paths: ['/v2/*'], backend: 'api' }] }] } }) },
  { name: 'cross-region-internal: logging off', example: 'cross-region-internal.yaml', after: (c) => options(c, { logging: { enabled: false } }) },
  { name: 'cross-region-internal-https: remove a domain (Certificate Manager managed)', example: 'cross-region-internal-https.yaml', before: (c) => domains(c, [...c.frontend.domains, 'xr-api2.example.com']), after: (c) => domains(c, ['xr-api.example.com']), allowDisruption: true },
  { name: 'cross-region-internal-https: add a domain (Certificate Manager managed)', example: 'cross-region-internal-https.yaml', after: (c) => domains(c, [...c.frontend.domains, 'xr-api2.example.com']) },
  // ---- traffic management and TLS
  { name: 'global-external: canary split added (route rules)', example: 'global-external.yaml', after: canary },
  { name: 'global-external: canary split removed', example: 'global-external.yaml', before: canary, after: noRoutes },
  { name: 'global-external: routing.canary 10 % -> 50 %', example: 'global-external.yaml', before: (c) => ({ ...c, routing: { ...c.routing, canary: { backend: 'api', percent: 10 } } }), after: (c) => ({ ...c, routing: { ...c.routing, canary: { backend: 'api', percent: 50 } } }) },
  { name: 'canary-split: 90/10 -> 50/50', example: 'canary-split.yaml', after: (c) => ({ ...c, routing: { ...c.routing, routes: [c.routing.routes[0], { backends: [{ backend: 'web', weight: 50 }, { backend: 'canary', weight: 50 }] }] } }) },
  { name: 'canary-split: split finished (all to the canary)', example: 'canary-split.yaml', after: (c) => ({ ...c, routing: { defaultBackend: 'canary' } }) },
  { name: 'header-routing: timeout changed, rewrite removed', example: 'header-routing.yaml', after: (c) => ({ ...c, routing: { ...c.routing, routes: [{ ...c.routing.routes[0], rewrite: undefined, timeoutSec: 30 }, c.routing.routes[1]] } }) },
  { name: 'header-routing: route rules -> plain routing', example: 'header-routing.yaml', after: noRoutes },
  { name: 'global-external: SSL policy and HTTP/3 on', example: 'global-external.yaml', after: (c) => tls(c, { policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' }, http3: true }) },
  { name: 'global-external: SSL policy tightened', example: 'global-external.yaml', before: (c) => tls(c, { policy: { profile: 'COMPATIBLE' } }), after: (c) => tls(c, { policy: { profile: 'RESTRICTED', minTlsVersion: 'TLS_1_2' } }) },
  { name: 'global-external: SSL policy and HTTP/3 off', example: 'global-external.yaml', before: (c) => tls(c, { policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' }, http3: true }), after: noTls },
  { name: 'regional-external: SSL policy on', example: 'regional-external.yaml', after: (c) => tls(c, { policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' } }) },
  { name: 'regional-external: SSL policy off', example: 'regional-external.yaml', before: (c) => tls(c, { policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' } }), after: noTls },
  { name: 'global-external: custom headers added', example: 'global-external.yaml', after: (c) => options(c, { headers: { request: { 'X-Client-Region': '{client_region}' }, response: { 'Strict-Transport-Security': 'max-age=31536000' } } }) },
  { name: 'classic: custom headers added', example: 'classic.yaml', after: (c) => options(c, { headers: { response: { 'X-Frame-Options': 'DENY' } } }) },
  { name: 'global-external: CDN policy TTLs and cache key changed', example: 'global-external.yaml', before: (c) => options(c, { cdn: { enabled: true } }), after: (c) => options(c, { cdn: { enabled: true, defaultTtl: 600, maxTtl: 3600, negativeCaching: true, cacheKey: { includeHost: true, queryParameters: ['page'] } } }) },
  { name: 'global-external: invoker allUsers -> IAM check off', example: 'global-external.yaml', before: (c) => options(c, { invoker: 'public' }), after: (c) => options(c, { invoker: 'public-no-iam-check' }) },
  { name: 'global-external: invoker IAM check off -> allUsers', example: 'global-external.yaml', before: (c) => options(c, { invoker: 'public-no-iam-check' }), after: (c) => options(c, { invoker: 'public' }) },
  { name: 'global-external: mutual TLS on (ALLOW_INVALID_OR_MISSING_CLIENT_CERT)', example: 'global-external.yaml', after: (c) => mtls(c), allowDisruption: true },
  { name: 'global-external: mutual TLS off', example: 'global-external.yaml', before: (c) => mtls(c), after: noTls },
  // ---- certificate files changed in place
  { name: 'global-external: self-managed certificate renewed (same file, new certificate and key)', example: 'global-external.yaml', files: renewedSite, before: siteFiles, after: (c) => c },
  { name: 'regional-external: self-managed certificate renewed (same file, new certificate and key)', example: 'regional-external.yaml', files: renewedSite, before: siteFiles, after: (c) => c },
  { name: 'global-external: mutual TLS CA rotated (a second CA in the same file)', example: 'global-external.yaml', files: rotatedCa, before: mtlsFrom, after: (c) => c },
  { name: 'global-external: IPv4 -> dual stack', example: 'global-external.yaml', after: (c) => ({ ...c, frontend: { ...c.frontend, address: { ipVersion: 'IPV4_IPV6' } } }) },
  { name: 'dual-stack: IPv6 dropped (IPv4 only)', example: 'dual-stack.yaml', after: (c) => ({ ...c, frontend: { ...c.frontend, address: { ipVersion: 'IPV4' } } }), allowDisruption: true },
  { name: 'global-external: run.app URL disabled', example: 'global-external.yaml', after: (c) => options(c, { defaultUrl: 'disabled' }) },
  { name: 'global-external: run.app URL enabled again', example: 'global-external.yaml', before: (c) => options(c, { defaultUrl: 'disabled' }), after: (c) => options(c, { defaultUrl: 'unchanged' }) },
];
