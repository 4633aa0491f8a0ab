import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC_RULES, validateSpec, type SpecRuleId } from '../../src/spec/index.js';
import { base, make, problemsOf, type Input } from './helpers/inputs.js';

interface RuleCase {
  rule: SpecRuleId;
  severity?: 'error' | 'warning';
  why: string;
  bad: Input;
  good: Input;
}

const https = (i: Input, domains = ['www.example.com']) => {
  i.frontend = { protocol: 'https', domains };
  i.certificate = { type: 'managed' };
};
const two = (i: Input) => {
  i.backends.push({ name: 'api', cloudRun: { service: 'api' } });
  i.routing = { defaultBackend: 'web', hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }] };
};
const armorRule = (rule: Input) => (i: Input) => {
  i.options = { cloudArmor: { rules: [{ priority: 10, action: 'deny(403)', srcIpRanges: ['*'], ...rule }] } };
};
const throttle = { action: 'throttle', rateLimit: { count: 10, intervalSec: 60 } };

const CASES: RuleCase[] = [
  { rule: 'secret-inline', why: 'inline OAuth secret', bad: make((i) => (i.options = { iap: { oauth2ClientSecret: 'x' } })), good: base() },
  { rule: 'secret-inline', why: 'inline private key', bad: make((i) => (i.certificate = { type: 'self-managed', certificateFile: 'a', privateKeyFile: 'b', privateKey: 'k' })), good: base() },
  { rule: 'backend-names-unique', why: 'two backends named web', bad: make((i) => i.backends.push({ name: 'web', cloudRun: { service: 'api' } })), good: make(two) },
  { rule: 'backend-target', why: 'two target kinds', bad: make((i) => (i.backends[0].cloudFunction = { function: 'legacy-fn' })), good: base() },
  { rule: 'backend-target', why: 'no target', bad: make((i) => (i.backends[0] = { name: 'web' })), good: base() },
  { rule: 'backend-target', why: 'empty cloudRun', bad: make((i) => (i.backends[0].cloudRun = {})), good: base() },
  { rule: 'backend-target', why: 'service and urlMask', bad: make((i) => (i.backends[0].cloudRun.urlMask = '<service>.example.com')), good: base() },
  { rule: 'backend-target', why: 'tag with urlMask', bad: make((i) => (i.backends[0].cloudRun = { urlMask: '<service>.example.com', tag: 'canary' })), good: make((i) => (i.backends[0].cloudRun.tag = 'canary')) },
  { rule: 'backend-target', why: 'App Engine mask with service', bad: make((i) => (i.backends[0] = { name: 'web', appEngine: { service: 'default', urlMask: '<version>.example.com' } })), good: make((i) => (i.backends[0] = { name: 'web', appEngine: { urlMask: '<version>.example.com' } })) },
  { rule: 'backend-type', why: 'functions on a regional external LB', bad: make((i) => { i.type = 'regional-external'; i.backends[0] = { name: 'web', cloudFunction: { function: 'legacy-fn' } }; }), good: make((i) => (i.backends[0] = { name: 'web', cloudFunction: { function: 'legacy-fn' } })) },
  { rule: 'backend-type', why: 'App Engine on cross-region internal', bad: make((i) => { i.type = 'cross-region-internal'; i.backends[0] = { name: 'web', appEngine: {} }; }), good: make((i) => (i.backends[0] = { name: 'web', appEngine: {} })) },
  { rule: 'backend-type', why: 'API Gateway on regional internal', bad: make((i) => { i.type = 'regional-internal'; i.backends[0] = { name: 'web', apiGateway: { gateway: 'demo-gateway' } }; }), good: make((i) => (i.backends[0] = { name: 'web', apiGateway: { gateway: 'demo-gateway' } })) },
  { rule: 'target-name', why: 'function name ends with a hyphen', bad: make((i) => (i.backends[0] = { name: 'web', cloudFunction: { function: 'legacy-' } })), good: make((i) => (i.backends[0] = { name: 'web', cloudFunction: { function: 'legacy_fn' } })) },
  { rule: 'target-name', why: 'App Engine version ah-', bad: make((i) => (i.backends[0] = { name: 'web', appEngine: { version: 'ah-builtin' } })), good: make((i) => (i.backends[0] = { name: 'web', appEngine: { version: 'v1' } })) },
  { rule: 'url-mask', why: 'scheme in a mask', bad: make((i) => (i.backends[0].cloudRun = { urlMask: 'https://<service>.example.com' })), good: make((i) => (i.backends[0].cloudRun = { urlMask: '<service>.example.com' })) },
  { rule: 'url-mask', why: '<service> in a function mask', bad: make((i) => (i.backends[0] = { name: 'web', cloudFunction: { urlMask: 'example.com/<service>' } })), good: make((i) => (i.backends[0] = { name: 'web', cloudFunction: { urlMask: 'example.com/<function>' } })) },
  { rule: 'url-mask', why: 'Cloud Run mask without <service>', bad: make((i) => (i.backends[0].cloudRun = { urlMask: '<tag>.example.com' })), good: make((i) => (i.backends[0].cloudRun = { urlMask: '<tag>.<service>.example.com' })) },
  { rule: 'url-mask', why: 'App Engine mask with no placeholder', bad: make((i) => (i.backends[0] = { name: 'web', appEngine: { urlMask: 'example.com/app' } })), good: make((i) => (i.backends[0] = { name: 'web', appEngine: { urlMask: '/<service>/<version>' } })) },
  { rule: 'region-required', why: 'regional LB without region', bad: make((i) => { i.type = 'regional-external'; delete i.region; }), good: make((i) => (i.type = 'regional-external')) },
  { rule: 'region-required', why: 'backend without any region', bad: make((i) => delete i.region), good: make((i) => { delete i.region; i.backends[0].regions = ['us-central1']; }) },
  { rule: 'region-required', why: 'cross-region internal without regions', bad: make((i) => { i.type = 'cross-region-internal'; delete i.region; i.backends[0].regions = ['europe-west1']; }), good: make((i) => { i.type = 'cross-region-internal'; delete i.region; i.regions = ['europe-west1']; }) },
  { rule: 'regional-single-region', why: 'regional backend elsewhere', bad: make((i) => { i.type = 'regional-external'; i.backends[0].regions = ['us-central1']; }), good: make((i) => { i.type = 'regional-external'; i.backends[0].regions = ['europe-west1']; }) },
  { rule: 'regional-single-region', why: 'regional LB with regions', bad: make((i) => { i.type = 'regional-internal'; i.regions = ['europe-west1', 'us-central1']; }), good: make((i) => (i.type = 'regional-internal')) },
  { rule: 'neg-per-region', why: 'one region twice', bad: make((i) => (i.backends[0].regions = ['europe-west1', 'europe-west1'])), good: make((i) => (i.backends[0].regions = ['europe-west1', 'us-central1'])) },
  { rule: 'app-engine-single-region', why: 'App Engine in two regions', bad: make((i) => (i.backends[0] = { name: 'web', appEngine: {}, regions: ['europe-west1', 'us-central1'] })), good: make((i) => (i.backends[0] = { name: 'web', appEngine: {}, regions: ['europe-west1'] })) },
  { rule: 'app-engine-single-region', why: 'two App Engine backends in different regions', bad: make((i) => { i.backends = [{ name: 'a', appEngine: {} }, { name: 'b', appEngine: { service: 'admin' }, regions: ['us-central1'] }]; i.routing = { defaultBackend: 'a', hosts: [{ hosts: ['b.example.com'], defaultBackend: 'b' }] }; }), good: make((i) => { i.backends = [{ name: 'a', appEngine: {} }, { name: 'b', appEngine: { service: 'admin' } }]; i.routing = { defaultBackend: 'a', hosts: [{ hosts: ['b.example.com'], defaultBackend: 'b' }] }; }) },
  { rule: 'routing-default', severity: 'warning', why: 'several backends, no default', bad: make((i) => { two(i); delete i.routing.defaultBackend; }), good: make(two) },
  { rule: 'routing-backend-exists', why: 'default backend missing', bad: make((i) => (i.routing = { defaultBackend: 'nope' })), good: make((i) => (i.routing = { defaultBackend: 'web' })) },
  { rule: 'routing-backend-exists', why: 'path rule backend missing', bad: make((i) => (i.routing = { hosts: [{ hosts: ['a.example.com'], paths: [{ paths: ['/x'], backend: 'nope' }] }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['a.example.com'], paths: [{ paths: ['/x'], backend: 'web' }] }] })) },
  { rule: 'routing-host-syntax', why: 'wildcard in the middle', bad: make((i) => (i.routing = { hosts: [{ hosts: ['api.*.example.com'], defaultBackend: 'web' }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['*.example.com'], defaultBackend: 'web' }] })) },
  { rule: 'routing-host-syntax', why: 'wildcard not followed by . or -', bad: make((i) => (i.routing = { hosts: [{ hosts: ['*example.com'], defaultBackend: 'web' }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['*-api.example.com:8080'], defaultBackend: 'web' }] })) },
  { rule: 'routing-host-unique', why: 'host in two rules', bad: make((i) => (i.routing = { hosts: [{ hosts: ['a.example.com'], defaultBackend: 'web' }, { hosts: ['a.example.com'], defaultBackend: 'web' }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['a.example.com'], defaultBackend: 'web' }, { hosts: ['b.example.com'], defaultBackend: 'web' }] })) },
  { rule: 'routing-path-syntax', why: 'star inside a path', bad: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['/st*tic'], backend: 'web' }] }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['/static/*'], backend: 'web' }] }] })) },
  { rule: 'routing-path-syntax', why: 'no leading slash, or a query', bad: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['static', '/a?b'], backend: 'web' }] }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['/static', '/a/b'], backend: 'web' }] }] })) },
  { rule: 'routing-path-unique', why: 'same path twice', bad: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['/a'], backend: 'web' }, { paths: ['/a'], backend: 'web' }] }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['/a'], backend: 'web' }, { paths: ['/b'], backend: 'web' }] }] })) },
  { rule: 'routing-host-domain', severity: 'warning', why: 'routed host not a domain', bad: make((i) => { i.frontend.domains = ['www.example.com']; i.routing = { hosts: [{ hosts: ['api.example.com'], defaultBackend: 'web' }] }; }), good: make((i) => { i.frontend.domains = ['*.example.com']; i.routing = { hosts: [{ hosts: ['api.example.com'], defaultBackend: 'web' }] }; }) },
  { rule: 'routing-unused-backend', severity: 'warning', why: 'backend nothing routes to', bad: make((i) => { i.backends.push({ name: 'api', cloudRun: { service: 'api' } }); i.routing = { defaultBackend: 'web' }; }), good: make(two) },
  { rule: 'routing-unused-backend', severity: 'warning', why: 'a backend only a route rule reaches counts as used', bad: make((i) => { two(i); i.routing = { defaultBackend: 'web', routes: [{ match: { pathPrefix: '/' }, backend: 'web' }] }; }), good: make((i) => { two(i); i.routing = { defaultBackend: 'web', routes: [{ backends: [{ backend: 'web', weight: 90 }, { backend: 'api', weight: 10 }] }] }; }) },
  { rule: 'route-target', why: 'a rule that sends nowhere, or to two places', bad: make((i) => (i.routing = { routes: [{ match: { pathPrefix: '/a' } }, { backend: 'web', redirect: { https: true } }] })), good: make((i) => (i.routing = { routes: [{ match: { pathPrefix: '/a' }, backend: 'web' }, { redirect: { https: true } }] })) },
  { rule: 'route-target', why: 'a redirect with a rewrite; a split of zero weights', bad: make((i) => { two(i); i.routing = { routes: [{ redirect: { host: 'x.example.com' }, rewrite: { host: 'y' } }, { backends: [{ backend: 'web', weight: 0 }, { backend: 'api', weight: 0 }] }] }; }), good: make((i) => { two(i); i.routing = { routes: [{ redirect: { host: 'x.example.com' } }, { backends: [{ backend: 'web', weight: 1 }, { backend: 'api', weight: 0 }] }] }; }) },
  { rule: 'route-match', why: 'two path forms; a header with two conditions', bad: make((i) => (i.routing = { routes: [{ match: { pathPrefix: '/a', path: '/a', headers: [{ name: 'x', exact: '1', present: true }] }, backend: 'web' }] })), good: make((i) => (i.routing = { routes: [{ match: { pathPrefix: '/a', headers: [{ name: 'x', exact: '1' }] }, backend: 'web' }] })) },
  { rule: 'route-priority-unique', why: 'two rules at priority 5', bad: make((i) => (i.routing = { routes: [{ priority: 5, backend: 'web' }, { priority: 5, match: { path: '/a' }, backend: 'web' }] })), good: make((i) => (i.routing = { routes: [{ priority: 5, backend: 'web' }, { priority: 6, match: { path: '/a' }, backend: 'web' }] })) },
  { rule: 'route-type', why: 'a weighted split and a timeout on classic', bad: make((i) => { two(i); i.type = 'classic'; i.routing = { routes: [{ backends: [{ backend: 'web', weight: 9 }, { backend: 'api', weight: 1 }], timeoutSec: 5 }] }; }), good: make((i) => { two(i); i.routing = { routes: [{ backends: [{ backend: 'web', weight: 9 }, { backend: 'api', weight: 1 }], timeoutSec: 5 }] }; }) },
  { rule: 'route-type', why: 'a header regex on classic', bad: make((i) => { i.type = 'classic'; i.routing = { routes: [{ match: { headers: [{ name: 'x-canary', regex: 'y.*' }] }, backend: 'web' }] }; }), good: make((i) => { i.type = 'classic'; i.routing = { routes: [{ match: { headers: [{ name: 'x-canary', prefix: 'y' }] }, rewrite: { host: 'web.internal' }, backend: 'web' }] }; }) },
  { rule: 'route-paths-or-routes', why: 'a host rule with paths and routes', bad: make((i) => (i.routing = { hosts: [{ hosts: ['*'], paths: [{ paths: ['/a'], backend: 'web' }], routes: [{ backend: 'web' }] }] })), good: make((i) => (i.routing = { hosts: [{ hosts: ['*'], routes: [{ match: { pathPrefix: '/a' }, backend: 'web' }] }] })) },
  { rule: 'route-header-action', why: 'setting Host', bad: make((i) => (i.routing = { routes: [{ backend: 'web', requestHeaders: { set: { Host: 'x' } } }] })), good: make((i) => (i.routing = { routes: [{ backend: 'web', requestHeaders: { set: { 'X-Canary': 'no' } }, responseHeaders: { remove: ['Server'] } }] })) },
  { rule: 'tls', why: 'TLS settings on an HTTP listener; HTTP/3 on a regional type', bad: make((i) => { i.frontend.tls = { http3: true }; i.type = 'regional-external'; }), good: make((i) => { https(i); i.frontend.tls = { http3: true }; }) },
  { rule: 'tls', why: 'custom features without CUSTOM; FIPS below TLS 1.2', bad: make((i) => { https(i); i.frontend.tls = { policy: { profile: 'FIPS_202205', minTlsVersion: 'TLS_1_1', customFeatures: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } }; }), good: make((i) => { https(i); i.frontend.tls = { policy: { profile: 'CUSTOM', minTlsVersion: 'TLS_1_2', customFeatures: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } }; }) },
  { rule: 'tls', why: 'an existing policy with settings of its own', bad: make((i) => { https(i); i.frontend.tls = { policy: { existing: 'corp-tls', profile: 'MODERN' } }; }), good: make((i) => { https(i); i.frontend.tls = { policy: { existing: 'corp-tls' }, earlyData: 'STRICT' }; }) },
  { rule: 'mtls', why: 'neither trust anchors nor an existing policy; intermediates alone', bad: make((i) => { https(i); i.frontend.tls = { mtls: { intermediates: ['ica.pem'] } }; }), good: make((i) => { https(i); i.frontend.tls = { mtls: { existingServerTlsPolicy: 'corp-mtls' } }; }) },
  { rule: 'address', why: 'dual stack on a regional type, or with one existing address', bad: make((i) => { i.type = 'regional-external'; i.frontend.address = { ipVersion: 'IPV4_IPV6', mode: 'existing', name: 'x' }; }), good: make((i) => (i.frontend.address = { ipVersion: 'IPV4_IPV6' })) },
  { rule: 'route-target', why: 'a canary that is the default backend, beside routes', bad: make((i) => { two(i); i.routing = { defaultBackend: 'web', canary: { backend: 'web', percent: 10 }, routes: [{ backend: 'api' }] }; }), good: make((i) => { two(i); i.routing = { defaultBackend: 'web', canary: { backend: 'api', percent: 10 } }; }) },
  { rule: 'route-type', why: 'CORS and a canary on classic', bad: make((i) => { two(i); i.type = 'classic'; i.routing = { defaultBackend: 'web', canary: { backend: 'api', percent: 5 }, hosts: [{ hosts: ['a.example.com'], routes: [{ backend: 'web', cors: { allowOrigins: ['*'] } }] }] }; }), good: make((i) => { two(i); i.routing = { defaultBackend: 'web', canary: { backend: 'api', percent: 5 }, hosts: [{ hosts: ['a.example.com'], routes: [{ backend: 'web', cors: { allowOrigins: ['*'] } }] }] }; }) },
  { rule: 'domain-syntax', why: 'uppercase domain', bad: make((i) => (i.frontend.domains = ['Example.com'])), good: make((i) => (i.frontend.domains = ['example.com'])) },
  { rule: 'domain-syntax', why: 'URL instead of domain', bad: make((i) => (i.frontend.domains = ['https://example.com'])), good: make((i) => (i.frontend.domains = ['*.example.com'])) },
  { rule: 'domain-syntax', why: 'single label, trailing dot', bad: make((i) => (i.frontend.domains = ['localhost', 'example.com.'])), good: make((i) => (i.frontend.domains = ['a.b.example.com'])) },
  { rule: 'port', why: 'classic HTTPS on 8443', bad: make((i) => { https(i); i.type = 'classic'; i.frontend.port = 8443; }), good: make((i) => { https(i); i.type = 'classic'; i.frontend.port = 443; }) },
  { rule: 'port', why: 'https-redirect on port 80', bad: make((i) => { https(i); i.frontend.protocol = 'https-redirect'; i.frontend.port = 80; }), good: make((i) => { https(i); i.frontend.protocol = 'https-redirect'; i.frontend.port = 8443; }) },
  { rule: 'address', why: 'existing without a name', bad: make((i) => (i.frontend.address = { mode: 'existing' })), good: make((i) => (i.frontend.address = { mode: 'existing', name: 'reserved-ip' })) },
  { rule: 'address', why: 'IPv6 on a regional LB', bad: make((i) => { i.type = 'regional-external'; i.frontend.address = { ipVersion: 'IPV6' }; }), good: make((i) => (i.frontend.address = { ipVersion: 'IPV6' })) },
  { rule: 'address', severity: 'warning', why: 'ephemeral with a name', bad: make((i) => (i.frontend.address = { mode: 'ephemeral', name: 'x' })), good: make((i) => (i.frontend.address = { mode: 'ephemeral' })) },
  { rule: 'network-tier', why: 'Standard on global external', bad: make((i) => (i.frontend.address = { networkTier: 'STANDARD' })), good: make((i) => { i.type = 'classic'; i.frontend.address = { networkTier: 'STANDARD' }; }) },
  { rule: 'network-tier', why: 'Standard classic with a backend elsewhere', bad: make((i) => { i.type = 'classic'; i.frontend.address = { networkTier: 'STANDARD' }; i.backends[0].regions = ['europe-west1', 'us-central1']; }), good: make((i) => { i.type = 'classic'; i.backends[0].regions = ['europe-west1', 'us-central1']; }) },
  { rule: 'network-tier', why: 'Standard on an internal LB', bad: make((i) => { i.type = 'regional-internal'; i.frontend.address = { networkTier: 'STANDARD' }; }), good: make((i) => { i.type = 'regional-external'; i.frontend.address = { networkTier: 'STANDARD' }; }) },
  { rule: 'network', severity: 'warning', why: 'network on a global external LB', bad: make((i) => (i.frontend.network = {})), good: make((i) => { i.type = 'regional-internal'; i.frontend.network = {}; }) },
  { rule: 'proxy-only-subnet', why: 'create without ranges', bad: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create' } }; }), good: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/23' } } }; }) },
  { rule: 'proxy-only-subnet', why: 'cross-region: a range per forwarding-rule region', bad: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1', 'us-central1']; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/23' } } }; }), good: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1', 'us-central1']; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/23', 'us-central1': '10.202.0.0/23' } } }; }) },
  { rule: 'cidr', why: '/27 is too small', bad: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/27' } } }; }), good: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/26' } } }; }) },
  { rule: 'cidr', severity: 'warning', why: '/24 is below the recommended /23', bad: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/24' } } }; }), good: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/22' } } }; }) },
  { rule: 'cidr', why: 'host bits set', bad: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.1.0/23' } } }; }), good: make((i) => { i.type = 'regional-internal'; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.2.0/23' } } }; }) },
  { rule: 'cidr', why: 'overlapping ranges', bad: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1', 'us-central1']; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/22', 'us-central1': '10.200.2.0/23' } } }; }), good: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1', 'us-central1']; i.frontend.network = { proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.200.0.0/23', 'us-central1': '10.202.0.0/23' } } }; }) },
  { rule: 'protocol-certificate', why: 'https without certificate', bad: make((i) => (i.frontend = { protocol: 'https', domains: ['www.example.com'] })), good: make((i) => https(i)) },
  { rule: 'protocol-certificate', severity: 'warning', why: 'certificate with http', bad: make((i) => (i.certificate = { type: 'managed' })), good: base() },
  { rule: 'certificate-type', why: 'a compute managed certificate on a regional LB', bad: make((i) => { https(i); i.type = 'regional-external'; i.certificate.service = 'compute'; }), good: make((i) => { https(i); i.type = 'regional-external'; i.dns = { managedZone: 'example-com' }; }) },
  { rule: 'certificate-type', why: 'a compute self-managed certificate on cross-region internal', bad: make((i) => { https(i); i.type = 'cross-region-internal'; i.certificate = { type: 'self-managed', certificateFile: 'c.pem', privateKeyFile: 'k.pem', service: 'compute' }; }), good: make((i) => { https(i); i.type = 'cross-region-internal'; i.certificate = { type: 'self-managed', certificateFile: 'c.pem', privateKeyFile: 'k.pem' }; }) },
  { rule: 'dns-authorization', severity: 'warning', why: 'a Certificate Manager managed certificate without a DNS zone', bad: make((i) => { https(i); i.type = 'regional-external'; }), good: make((i) => { https(i); i.type = 'regional-external'; i.dns = { managedZone: 'example-com' }; }) },
  { rule: 'managed-certificate', why: 'a wildcard of two labels with Certificate Manager', bad: make((i) => { https(i, ['*.*.example.com']); i.certificate.service = 'certificate-manager'; i.dns = { managedZone: 'example-com' }; }), good: make((i) => { https(i, ['example.com', '*.example.com']); i.certificate.service = 'certificate-manager'; i.dns = { managedZone: 'example-com' }; }) },
  { rule: 'certificate-type', why: 'compute certificates on cross-region internal', bad: make((i) => { https(i); i.type = 'cross-region-internal'; i.certificate = { type: 'existing', names: ['c1'] }; }), good: make((i) => { https(i); i.type = 'regional-internal'; i.certificate = { type: 'existing', names: ['c1'] }; }) },
  { rule: 'managed-certificate', why: 'managed with no domain', bad: make((i) => { https(i, []); }), good: make((i) => https(i)) },
  { rule: 'managed-certificate', why: 'managed with a wildcard', bad: make((i) => https(i, ['*.example.com'])), good: make((i) => https(i, ['a.example.com', 'b.example.com'])) },
  { rule: 'managed-certificate', why: 'more than 100 domains', bad: make((i) => https(i, Array.from({ length: 101 }, (_, n) => `d${n}.example.com`))), good: make((i) => https(i, Array.from({ length: 100 }, (_, n) => `d${n}.example.com`))) },
  { rule: 'certificate-domains', severity: 'warning', why: 'certificate domains miss a frontend domain', bad: make((i) => { https(i, ['a.example.com', 'b.example.com']); i.certificate.domains = ['a.example.com']; }), good: make((i) => { https(i, ['a.example.com']); i.certificate.domains = ['a.example.com']; }) },
  { rule: 'certificate-manager', why: 'certificate map on a regional LB', bad: make((i) => { https(i); i.type = 'regional-external'; i.certificate = { type: 'certificate-manager', certificateMap: 'm' }; }), good: make((i) => { https(i); i.type = 'regional-external'; i.certificate = { type: 'certificate-manager', certificates: ['c'] }; }) },
  { rule: 'certificate-manager', why: 'direct certificates on global external', bad: make((i) => { https(i); i.certificate = { type: 'certificate-manager', certificates: ['c'] }; }), good: make((i) => { https(i); i.certificate = { type: 'certificate-manager', certificateMap: 'projects/demo-project/locations/global/certificateMaps/m' }; }) },
  { rule: 'certificate-manager', why: 'neither certificates nor map', bad: make((i) => { https(i); i.certificate = { type: 'certificate-manager' }; }), good: make((i) => { https(i); i.certificate = { type: 'certificate-manager', certificateMap: 'm' }; }) },
  { rule: 'cdn', why: 'CDN on a regional LB', bad: make((i) => { i.type = 'regional-external'; i.options = { cdn: { enabled: true } }; }), good: make((i) => (i.options = { cdn: { enabled: true } })) },
  { rule: 'cdn', why: 'backend CDN on an internal LB', bad: make((i) => { i.type = 'regional-internal'; i.backends[0].cdn = true; }), good: make((i) => (i.backends[0].cdn = true)) },
  { rule: 'cdn-iap', why: 'CDN and IAP on one backend', bad: make((i) => { i.backends[0].cdn = true; i.backends[0].iap = true; }), good: make((i) => { two(i); i.backends[0].cdn = true; i.backends[1].iap = true; }) },
  { rule: 'iap', why: 'client id without secret', bad: make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com' } })), good: make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretEnv: 'IAP_SECRET' } })) },
  { rule: 'iap', why: 'secret without client id', bad: make((i) => (i.options = { iap: { enabled: true, oauth2ClientSecretFile: 'secret.txt' } })), good: make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretFile: 'secret.txt' } })) },
  { rule: 'iap', why: 'both secret file and variable', bad: make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretFile: 's', oauth2ClientSecretEnv: 'S' } })), good: make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretEnv: 'S' } })) },
  { rule: 'iap', why: 'cross-region internal IAP backend with two NEGs', bad: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1', 'us-central1']; i.options = { iap: { enabled: true } }; }), good: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1', 'us-central1']; i.backends[0].regions = ['europe-west1']; i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretEnv: 'S' } }; }) },
  { rule: 'cloud-armor', why: 'Cloud Armor on cross-region internal', bad: make((i) => { i.type = 'cross-region-internal'; i.regions = ['europe-west1']; i.options = { cloudArmor: { existingPolicy: 'p' } }; }), good: make((i) => { i.type = 'regional-internal'; i.options = { cloudArmor: { existingPolicy: 'p' } }; }) },
  { rule: 'cloud-armor', why: 'existing policy and rules', bad: make((i) => (i.options = { cloudArmor: { existingPolicy: 'p', rules: [{ priority: 1, action: 'allow', srcIpRanges: ['*'] }] } })), good: make((i) => (i.options = { cloudArmor: { existingPolicy: 'p' } })) },
  { rule: 'cloud-armor', why: 'backend asks for armor with no policy', bad: make((i) => (i.backends[0].cloudArmor = true)), good: make((i) => { i.backends[0].cloudArmor = true; i.options = { cloudArmor: { existingPolicy: 'p' } }; }) },
  { rule: 'armor-priority-unique', why: 'two rules with one priority', bad: make((i) => (i.options = { cloudArmor: { rules: [{ priority: 1, action: 'allow', srcIpRanges: ['*'] }, { priority: 1, action: 'deny(403)', srcIpRanges: ['10.0.0.0/8'] }] } })), good: make((i) => (i.options = { cloudArmor: { rules: [{ priority: 1, action: 'allow', srcIpRanges: ['*'] }, { priority: 2, action: 'deny(403)', srcIpRanges: ['10.0.0.0/8'] }] } })) },
  { rule: 'armor-rate-limit', why: 'throttle without rateLimit', bad: make(armorRule({ action: 'throttle' })), good: make(armorRule(throttle)) },
  { rule: 'armor-rate-limit', why: 'deny with rateLimit', bad: make(armorRule({ rateLimit: { count: 10, intervalSec: 60 } })), good: make(armorRule({})) },
  { rule: 'armor-ban-duration', why: 'banDurationSec on throttle', bad: make(armorRule({ action: 'throttle', rateLimit: { count: 10, intervalSec: 60, banDurationSec: 300 } })), good: make(armorRule({ action: 'rate_based_ban', rateLimit: { count: 10, intervalSec: 60, banDurationSec: 300 } })) },
  { rule: 'armor-enforce-key', why: 'HTTP_HEADER without a name', bad: make(armorRule({ action: 'throttle', rateLimit: { count: 10, intervalSec: 60, enforceOnKey: 'HTTP_HEADER' } })), good: make(armorRule({ action: 'throttle', rateLimit: { count: 10, intervalSec: 60, enforceOnKey: 'HTTP_HEADER', enforceOnKeyName: 'x-api-key' } })) },
  { rule: 'armor-enforce-key', why: 'a name with IP', bad: make(armorRule({ action: 'throttle', rateLimit: { count: 10, intervalSec: 60, enforceOnKeyName: 'x' } })), good: make(armorRule(throttle)) },
  { rule: 'armor-match', why: 'both ranges and expression', bad: make(armorRule({ expression: "origin.region_code == 'XX'" })), good: make(armorRule({ srcIpRanges: undefined, expression: "origin.region_code == 'XX'" })) },
  { rule: 'armor-match', why: 'bad range', bad: make(armorRule({ srcIpRanges: ['10.0.0.0/33', 'nope'] })), good: make(armorRule({ srcIpRanges: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] })) },
  { rule: 'outlier-detection', why: 'classic', bad: make((i) => { i.type = 'classic'; i.options = { outlierDetection: {} }; }), good: make((i) => (i.options = { outlierDetection: {} })) },
  { rule: 'outlier-detection', why: 'with IAP', bad: make((i) => (i.options = { outlierDetection: {}, iap: { enabled: true } })), good: make((i) => (i.options = { outlierDetection: { consecutiveErrors: 3 } })) },
  { rule: 'outlier-detection', why: 'success-rate fields', bad: make((i) => (i.options = { outlierDetection: { successRateStdevFactor: 1900 } })), good: make((i) => (i.options = { outlierDetection: { consecutiveGatewayFailure: 3 } })) },
  { rule: 'keepalive', why: 'above 1200 on global external', bad: make((i) => (i.options = { httpKeepAliveTimeoutSec: 1201 })), good: make((i) => (i.options = { httpKeepAliveTimeoutSec: 1200 })) },
  { rule: 'keepalive', why: 'above 600 on regional', bad: make((i) => { i.type = 'regional-external'; i.options = { httpKeepAliveTimeoutSec: 610 }; }), good: make((i) => { i.type = 'regional-external'; i.options = { httpKeepAliveTimeoutSec: 600 }; }) },
  { rule: 'migration', why: 'global external below 100', bad: make((i) => (i.migration = { trafficPercent: 50 })), good: make((i) => (i.migration = { trafficPercent: 100 })) },
  { rule: 'migration', why: 'a regional type', bad: make((i) => { i.type = 'regional-external'; i.region = 'europe-west1'; i.migration = { trafficPercent: 0 }; }), good: make((i) => { i.type = 'classic'; i.migration = { trafficPercent: 0 }; }) },
  { rule: 'keepalive', why: 'any value on classic', bad: make((i) => { i.type = 'classic'; i.options = { httpKeepAliveTimeoutSec: 610 }; }), good: make((i) => (i.type = 'classic')) },
  { rule: 'ingress', why: 'internal ingress behind an external LB', bad: make((i) => (i.options = { ingress: 'internal' })), good: make((i) => { i.type = 'regional-internal'; i.options = { ingress: 'internal' }; }) },
  { rule: 'invoker', why: 'invoker iap on a backend without IAP', bad: make((i) => (i.options = { invoker: 'iap' })), good: make((i) => { i.options = { invoker: 'iap', iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretEnv: 'IAP_SECRET' } }; }) },
  { rule: 'ingress', severity: 'warning', why: 'unchanged ingress behind an external LB', bad: make((i) => (i.options = { ingress: 'unchanged' })), good: make((i) => (i.options = { ingress: 'internal-and-cloud-load-balancing' })) },
  { rule: 'dns', why: 'DNS name instead of zone name', bad: make((i) => { i.frontend.domains = ['www.example.com']; i.dns = { managedZone: 'example.com.' }; }), good: make((i) => { i.frontend.domains = ['www.example.com']; i.dns = { managedZone: 'example-com' }; }) },
  { rule: 'dns', severity: 'warning', why: 'zone without domains', bad: make((i) => (i.dns = { managedZone: 'example-com' })), good: make((i) => { i.frontend.domains = ['www.example.com']; i.dns = { managedZone: 'example-com' }; }) },
];

describe('validateSpec rules', () => {
  it.each(CASES.map((c) => [c.rule, c.why, c] as const))('%s: %s', (_rule, _why, c) => {
    const bad = problemsOf(c.bad).filter((p) => p.rule === c.rule);
    expect(bad.length, `expected ${c.rule} on the bad input`).toBeGreaterThan(0);
    expect(bad.some((p) => p.severity === (c.severity ?? 'error'))).toBe(true);
    for (const p of bad) {
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.hint.length).toBeGreaterThan(0);
    }
    const good = problemsOf(c.good).filter((p) => p.rule === c.rule && p.severity === (c.severity ?? 'error'));
    expect(good, `no ${c.rule} ${c.severity ?? 'error'} on the good input`).toEqual([]);
  });

  it('has a negative and a positive case for every rule in the catalogue', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    // certificate-files has its own tests (certificate-files.test.ts).
    covered.add('certificate-files');
    expect(Object.keys(SPEC_RULES).filter((r) => !covered.has(r as SpecRuleId))).toEqual([]);
  });

  it('documents every rule in docs/constraints.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/constraints.md'), 'utf8');
    for (const rule of Object.keys(SPEC_RULES)) expect(doc, rule).toContain(`\`${rule}\``);
  });

  it('only reports rules from the catalogue', () => {
    for (const c of CASES) for (const p of problemsOf(c.bad)) if (p.rule) expect(Object.keys(SPEC_RULES)).toContain(p.rule);
  });
});

describe('validateSpec', () => {
  it('refuses deny(429) as a rule action (Google takes 403, 404, 502) but takes it as a rate-limit exceed action', () => {
    const asAction = problemsOf(make(armorRule({ action: 'deny(429)' })));
    expect(asAction.some((p) => p.key === 'options.cloudArmor.rules.0.action' && p.severity === 'error')).toBe(true);
    const asExceed = problemsOf(make(armorRule({ ...throttle, rateLimit: { ...throttle.rateLimit, exceedAction: 'deny(429)' } })));
    expect(asExceed.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('accepts the base input and fills the defaults that depend on other fields', () => {
    const result = validateSpec(base());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.spec.type).toBe('global-external');
    expect(result.spec.frontend.port).toBe(80);
    expect(result.spec.routing.defaultBackend).toBe('web');
    expect(result.spec.options.ingress).toBe('auto');
  });

  it('defaults the port to 443 for https and fills host rule defaults', () => {
    const result = validateSpec(make((i) => { https(i); two(i); i.routing.hosts.push({ hosts: ['x.example.com'], paths: [{ paths: ['/a'], backend: 'api' }] }); i.frontend.domains.push('api.example.com', 'x.example.com'); }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.frontend.port).toBe(443);
    expect(result.spec.routing.hosts[1]!.defaultBackend).toBe('web');
  });

  it('fills the default network for the types that live in a VPC, and only for them', () => {
    const internal = validateSpec(make((i) => (i.type = 'regional-internal')));
    expect(internal.ok && internal.spec.frontend.network).toEqual({ network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'existing' } });
    const external = validateSpec(base());
    expect(external.ok && external.spec.frontend.network).toBeUndefined();
  });

  it('reports every problem at once, across rules', () => {
    const problems = problemsOf(
      make((i) => {
        i.type = 'regional-external';
        i.backends.push({ name: 'web', cloudFunction: { function: 'legacy-fn' } });
        i.options = { cdn: { enabled: true }, httpKeepAliveTimeoutSec: 5000, ingress: 'internal' };
        i.routing = { defaultBackend: 'nope' };
      }),
    );
    const rules = new Set(problems.map((p) => p.rule));
    for (const rule of ['backend-names-unique', 'backend-type', 'cdn', 'keepalive', 'ingress', 'routing-backend-exists']) expect(rules).toContain(rule);
  });

  it('reports shape errors and rule errors together when the rest still parses', () => {
    const problems = problemsOf(
      make((i) => {
        i.frontend.protocol = 'ftp';
        i.options = { cdn: { enabled: true }, keepalive: 3 };
        i.type = 'regional-external';
      }),
    );
    expect(problems.find((p) => p.key === 'frontend.protocol')?.flag).toBe('--protocol');
    expect(problems.find((p) => p.key === 'options.keepalive')?.message).toMatch(/unknown key/);
    expect(problems.some((p) => p.rule === 'cdn')).toBe(true);
  });

  it('names the key, its flag and the expected type in shape errors', () => {
    const problems = problemsOf(make((i) => { i.backends[0].cloudRun.service = 'Web'; delete i.project; i.frontend.port = '80'; }));
    const service = problems.find((p) => p.key === 'backends.0.cloudRun.service')!;
    expect(service.flag).toBe('--backend');
    expect(service.severity).toBe('error');
    expect(problems.find((p) => p.key === 'project')).toMatchObject({ message: 'is required', flag: '--project' });
    expect(problems.find((p) => p.key === 'frontend.port')?.hint).toMatch(/integer/);
  });

  it('lists the keys allowed where an unknown key is', () => {
    const problem = problemsOf(make((i) => (i.frontend.protocl = 'https'))).find((p) => p.key === 'frontend.protocl')!;
    expect(problem.hint).toMatch(/protocol/);
  });

  it('rejects input that is not an object', () => {
    expect(validateSpec('name: x').ok).toBe(false);
    expect(validateSpec(undefined).ok).toBe(false);
  });

  it('warns (IAP) about the Google-managed OAuth client when no client is given', () => {
    const problems = problemsOf(make((i) => (i.options = { iap: { enabled: true } })));
    expect(problems).toEqual([expect.objectContaining({ rule: 'iap', severity: 'warning' })]);
  });

  it('checks the IAP secret file and variable only through the injected io', () => {
    const input = make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretFile: '/s/secret.txt' } }));
    const missing = problemsOf(input, { readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); } });
    expect(missing.find((p) => p.key === 'options.iap.oauth2ClientSecretFile')?.message).toBe('/s/secret.txt does not exist');
    const empty = problemsOf(input, { readFile: () => '  \n' });
    expect(empty.find((p) => p.key === 'options.iap.oauth2ClientSecretFile')?.message).toMatch(/empty/);
    expect(problemsOf(input, { readFile: () => 'GOCSPX-secret' })).toEqual([]);
    expect(problemsOf(input)).toEqual([]);

    const env = make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretEnv: 'IAP_SECRET' } }));
    expect(problemsOf(env, { env: () => undefined }).find((p) => p.key === 'options.iap.oauth2ClientSecretEnv')?.message).toMatch(/IAP_SECRET is not set/);
    expect(problemsOf(env, { env: (n) => (n === 'IAP_SECRET' ? 'GOCSPX-x' : undefined) })).toEqual([]);
  });
});

describe('validateSpec purity', () => {
  it('returns a Spec of its own: changing one never changes the next', () => {
    const first = validateSpec(base());
    if (!first.ok) throw new Error('base');
    first.spec.routing.hosts.push({ hosts: ['x.example.com'], paths: [] });
    first.spec.frontend.domains.push('x.example.com');
    const second = validateSpec(base());
    expect(second.ok && second.spec.routing.hosts).toEqual([]);
    expect(second.ok && second.spec.frontend.domains).toEqual([]);
  });

  it('does not change its input', () => {
    const input = base();
    const before = JSON.stringify(input);
    validateSpec(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});
