/**
 * The change-safety matrix: each transition takes an example config ("before", optionally changed
 * first) to an "after" config, the way teams change live load balancers. `allowDisruption` marks a
 * transition that removes what the user asked to remove (a listener, a domain): the plan says so and
 * apply needs --allow-disruption; traffic to what both configs serve must still not fail.
 */

const API_ROUTE = { hosts: ['api.example.com'], defaultBackend: 'api' };
const cm = (config) => ({ ...config, certificate: { ...config.certificate, service: 'certificate-manager' } });
const domains = (config, list) => ({ ...config, frontend: { ...config.frontend, domains: list } });
const options = (config, extra) => ({ ...config, options: { ...config.options, ...extra } });
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
  { name: 'regional-external: rotate self-managed certificate files', example: 'regional-external.yaml', after: (c) => ({ ...c, certificate: { ...c.certificate, certificateFile: c.certificate.certificateFile.replace('example.com.crt', 'example.com.crt') }, frontend: { ...c.frontend, domains: ['eu.example.com', 'eu2.example.com'] } }) },
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
];
