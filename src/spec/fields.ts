/**
 * The one registry of every config key: the source of docs/config.md, of the flag named in each
 * Problem, of the CLI flags (registerSpecOptions) and of the wizard's question ids.
 *
 * Contract: every key of the Spec schema is listed here (a test checks it); keys use `[]` for array
 * elements (`backends[].cloudRun.service`). Several keys may share one flag (all `backends[].*` keys
 * are set by `--backend`): the first entry with a flag string owns its help text.
 */

export type { SpecField } from './spec-field.js';

import { routeRuleFields } from './route-fields.js';
import type { SpecField } from './spec-field.js';

const LB_TYPE_ENUM = 'global-external | classic | regional-external | regional-internal | cross-region-internal';
const ARMOR_ACTION_ENUM = 'allow | deny(403) | deny(404) | deny(502) | throttle | rate_based_ban';

export const SPEC_FIELDS: readonly SpecField[] = [
  // Identity and placement
  { key: 'name', flag: '--name <name>', question: 'name', type: 'string (1-40, [a-z][-a-z0-9]*)', description: 'The load balancer\'s name: the stem of every generated resource name and the ownership mark.' },
  { key: 'project', flag: '--project <id>', question: 'project', type: 'string (project ID)', description: 'Google Cloud project that holds the load balancer and its serverless backends.' },
  { key: 'type', flag: '--type <type>', question: 'type', type: LB_TYPE_ENUM, default: 'global-external', description: 'Which Application Load Balancer to build.' },
  { key: 'region', flag: '--region <region>', question: 'region', type: 'string (region)', description: 'The LB\'s region (regional types) and the default region of the backends\' NEGs.' },
  { key: 'regions', flag: '--regions <regions>', question: 'regions', type: 'string[] (regions, comma-separated on the flag)', description: 'Cross-region internal: the regions that get a forwarding rule; all types: the default NEG regions of the backends.' },

  // Backends
  { key: 'backends', flag: '--backend <backend>', repeatable: true, question: 'backends', type: 'object[]', description: 'The serverless backends; on the command line NAME=KIND:TARGET[?OPTIONS] (repeatable, see "The --backend syntax").' },
  { key: 'backends[].name', flag: '--backend <backend>', type: 'string ([a-z][-a-z0-9]*)', description: 'The backend\'s logical name, used in routing and in generated resource names.' },
  { key: 'backends[].cloudRun.service', flag: '--backend <backend>', type: 'string', description: 'Cloud Run service (or Cloud Run function) name (`run:SERVICE`).' },
  { key: 'backends[].cloudRun.urlMask', flag: '--backend <backend>', type: 'string (URL mask)', description: 'URL mask with <service> and optionally <tag> (`run-mask:MASK`).' },
  { key: 'backends[].cloudRun.tag', flag: '--backend <backend>', type: 'string', description: 'Cloud Run revision tag to route to (`?tag=TAG`).' },
  { key: 'backends[].cloudFunction.function', flag: '--backend <backend>', type: 'string', description: 'Cloud Functions (1st gen) function name (`function:NAME`).' },
  { key: 'backends[].cloudFunction.urlMask', flag: '--backend <backend>', type: 'string (URL mask)', description: 'URL mask with <function> (`function-mask:MASK`).' },
  { key: 'backends[].appEngine.service', flag: '--backend <backend>', type: 'string', default: 'the default service', description: 'App Engine service (`appengine:SERVICE[/VERSION]`).' },
  { key: 'backends[].appEngine.version', flag: '--backend <backend>', type: 'string', description: 'App Engine version of that service.' },
  { key: 'backends[].appEngine.urlMask', flag: '--backend <backend>', type: 'string (URL mask)', description: 'URL mask with <service> and/or <version> (`appengine-mask:MASK`).' },
  { key: 'backends[].apiGateway.gateway', flag: '--backend <backend>', type: 'string', description: 'API Gateway gateway id (`apigateway:GATEWAY`).' },
  { key: 'backends[].regions', flag: '--backend <backend>', type: 'string[] (regions)', default: 'regions, else [region]', description: 'The regions of this backend\'s serverless NEGs, one NEG per region (`?regions=R1,R2`).' },
  { key: 'backends[].cdn', flag: '--backend <backend>', type: 'boolean', default: 'options.cdn.enabled', description: 'Cloud CDN on this backend (`?cdn=true`).' },
  { key: 'backends[].iap', flag: '--backend <backend>', type: 'boolean', default: 'options.iap.enabled', description: 'Identity-Aware Proxy on this backend (`?iap=true`).' },
  { key: 'backends[].cloudArmor', flag: '--backend <backend>', type: 'boolean', default: 'true when options.cloudArmor is set', description: 'Attach the Cloud Armor policy to this backend (`?armor=false` to leave it out).' },

  // Routing
  { key: 'routing.defaultBackend', flag: '--default-backend <backend>', question: 'defaultBackend', type: 'string (backend name)', default: 'the first backend', description: 'The backend for requests that match no host or path rule.' },
  { key: 'routing.hosts', flag: '--route <route>', repeatable: true, question: 'routes', type: 'object[]', default: '[]', description: 'Host and path rules; on the command line HOST[/PATH]=BACKEND (repeatable, see "The --route syntax").' },
  { key: 'routing.hosts[].hosts', flag: '--route <route>', type: 'string[] (host names, `*.` wildcard first)', description: 'The hosts this rule matches; a host may appear in one rule only.' },
  { key: 'routing.hosts[].defaultBackend', flag: '--route <route>', type: 'string (backend name)', default: 'routing.defaultBackend', description: 'The backend for these hosts when no path rule matches.' },
  { key: 'routing.hosts[].paths', flag: '--route <route>', type: 'object[]', default: '[]', description: 'Path rules for these hosts.' },
  { key: 'routing.hosts[].paths[].paths', flag: '--route <route>', type: 'string[] (paths, `/*` only at the end)', description: 'Paths that go to this path rule\'s backend.' },
  { key: 'routing.hosts[].paths[].backend', flag: '--route <route>', type: 'string (backend name)', description: 'The backend for these paths.' },
  ...routeRuleFields('routing.hosts[].routes', 'these hosts'),
  ...routeRuleFields('routing.routes', 'every host no host rule names'),
  { key: 'routing.canary', flag: '--canary <backend=percent>', question: 'canary', type: 'object', description: 'A canary release: percent of the requests (to hosts no host rule names) go to backend, the rest to the default backend; a weighted split in the URL map (not classic).' },
  { key: 'routing.canary.backend', flag: '--canary <backend=percent>', type: 'string (backend name)', description: 'The backend of the new version.' },
  { key: 'routing.canary.percent', flag: '--canary <backend=percent>', type: 'integer 1-99', description: 'Its share of the requests, in percent.' },

  // Frontend
  { key: 'frontend.protocol', flag: '--protocol <protocol>', question: 'protocol', type: 'http | https | https-redirect', default: 'https', description: 'HTTP, HTTPS, or HTTPS plus an HTTP listener on port 80 that redirects to HTTPS.' },
  { key: 'frontend.port', flag: '--port <port>', question: 'port', type: 'integer 1-65535', default: '443 (https), 80 (http)', description: 'The port of the main listener (classic: 80 or 8080 for HTTP, 443 for HTTPS).' },
  { key: 'frontend.domains', flag: '--domain <domain>', repeatable: true, question: 'domains', type: 'string[] (host names)', default: '[]', description: 'Host names the LB serves: DNS records, the managed certificate, and verify use them.' },
  { key: 'frontend.address.mode', flag: '--address <mode>', question: 'address', type: 'reserve | existing | ephemeral', default: 'reserve', description: 'Reserve a new static IP, use an existing reserved one by name, or take an ephemeral one.' },
  { key: 'frontend.address.name', flag: '--address-name <name>', question: 'addressName', type: 'string', default: 'generated (reserve)', description: 'Name of the existing address (existing) or of the new one (reserve).' },
  { key: 'frontend.address.ipVersion', flag: '--ip-version <version>', question: 'ipVersion', type: 'IPV4 | IPV6 | IPV4_IPV6', default: 'IPV4', description: 'IP version of the address; IPV4_IPV6 is dual stack: an IPv4 and an IPv6 address, each with its forwarding rules, and A and AAAA records (IPv6: global external and classic only).' },
  { key: 'frontend.address.networkTier', flag: '--network-tier <tier>', type: 'PREMIUM | STANDARD', default: 'PREMIUM', description: 'Network Service Tier of the external address.' },
  { key: 'frontend.network.network', flag: '--network <network>', question: 'network', type: 'string', default: 'default', description: 'VPC network of regional and internal LBs (forwarding rules, proxy-only subnets).' },
  { key: 'frontend.network.subnet', flag: '--subnet <subnet>', question: 'subnet', type: 'string', default: 'default', description: 'Regular subnet internal forwarding rules take their address from (same name in each region).' },
  { key: 'frontend.network.proxyOnlySubnet.mode', flag: '--proxy-only-subnet <mode>', question: 'proxyOnlySubnet', type: 'existing | create', default: 'existing', description: 'Use the ACTIVE proxy-only subnet that exists in each region, or create one.' },
  { key: 'frontend.network.proxyOnlySubnet.name', flag: '--proxy-only-subnet-name <name>', type: 'string', default: 'any ACTIVE one (existing), generated (create)', description: 'Name of the proxy-only subnet to use or create.' },
  { key: 'frontend.network.proxyOnlySubnet.ranges', flag: '--proxy-only-subnet-range <region=cidr>', repeatable: true, question: 'proxyOnlySubnetRange', type: 'map region -> IPv4 CIDR', description: 'Range of each created proxy-only subnet, per region (/26 at least, /23 recommended).' },

  { key: 'frontend.tls', type: 'object', description: 'TLS of the HTTPS listener: SSL policy, HTTP/3, early data.' },
  { key: 'frontend.tls.policy', type: 'object', description: 'An SSL policy serverless-lb creates (profile, minTlsVersion, customFeatures), or an existing one.' },
  { key: 'frontend.tls.policy.profile', flag: '--tls-profile <profile>', question: 'tlsProfile', type: 'COMPATIBLE | MODERN | RESTRICTED | FIPS_202205 | CUSTOM', default: 'COMPATIBLE', description: 'Which cipher suites the HTTPS proxy accepts (Google\'s pre-configured profiles, or CUSTOM).' },
  { key: 'frontend.tls.policy.minTlsVersion', flag: '--min-tls-version <version>', question: 'minTlsVersion', type: 'TLS_1_0 | TLS_1_1 | TLS_1_2', default: 'TLS_1_0', description: 'The oldest TLS version the HTTPS proxy accepts.' },
  { key: 'frontend.tls.policy.customFeatures', type: 'string[] (cipher suite names)', description: 'The cipher suites of a CUSTOM profile (config only).' },
  { key: 'frontend.tls.policy.existing', flag: '--ssl-policy <name>', type: 'string', description: 'Attach this existing SSL policy (never created or deleted by serverless-lb).' },
  { key: 'frontend.tls.http3', flag: '--http3', negatable: true, question: 'http3', type: 'boolean', default: 'Google decides (quicOverride NONE)', description: 'HTTP/3 (QUIC) on the HTTPS listener: on (ENABLE) or off (DISABLE); global-external and classic.' },
  { key: 'frontend.tls.mtls', type: 'object', description: 'Mutual TLS: clients must present a certificate your CAs issued (a trust config and a server TLS policy are made), or an existing server TLS policy.' },
  { key: 'frontend.tls.mtls.mode', flag: '--mtls-mode <mode>', type: 'REJECT_INVALID | ALLOW_INVALID_OR_MISSING_CLIENT_CERT', default: 'REJECT_INVALID', description: 'Refuse connections without a valid client certificate, or let them through with headers saying what was presented.' },
  { key: 'frontend.tls.mtls.trustAnchors', flag: '--mtls-trust-anchor <file>', repeatable: true, question: 'mtlsTrustAnchors', type: 'string[] (PEM files)', description: 'PEM files of the CA certificates that issue client certificates (relative to the config file).' },
  { key: 'frontend.tls.mtls.intermediates', type: 'string[] (PEM files)', description: 'PEM files of intermediate CA certificates (config only).' },
  { key: 'frontend.tls.mtls.existingServerTlsPolicy', type: 'string', description: 'Attach this existing Network Security server TLS policy instead (config only; never created or deleted by serverless-lb).' },
  { key: 'frontend.tls.earlyData', flag: '--tls-early-data <mode>', type: 'DISABLED | STRICT | PERMISSIVE | UNRESTRICTED', default: 'DISABLED', description: 'TLS 1.3 early data (0-RTT) on the global external load balancer.' },

  // Certificate
  { key: 'certificate', flag: '--certificate <kind>', type: 'object', description: 'The HTTPS certificate; required for https and https-redirect.' },
  { key: 'certificate.type', flag: '--certificate <kind>', question: 'certificate', type: 'managed | self-managed | existing | certificate-manager', description: 'Google-managed, self-managed from PEM files, existing compute SSL certificates, or Certificate Manager.' },
  { key: 'certificate.domains', type: 'string[] (1-100 host names; `*.` wildcards with Certificate Manager)', default: 'frontend.domains', description: 'Domains on the Google-managed certificate (config only).' },
  { key: 'certificate.service', flag: '--certificate-service <service>', question: 'certificate', type: 'compute | certificate-manager', default: 'compute where Compute Engine can hold the certificate, else certificate-manager', description: 'Managed and self-managed certificates: a Compute Engine SSL certificate, or a Certificate Manager certificate (DNS authorization for managed ones; a certificate map on the global types).' },
  { key: 'certificate.certificateFile', flag: '--certificate-file <file>', question: 'certificateFile', type: 'string (path)', description: 'PEM certificate chain, leaf first (path relative to the config file).' },
  { key: 'certificate.privateKeyFile', flag: '--private-key-file <file>', question: 'privateKeyFile', type: 'string (path)', description: 'PEM private key matching the certificate (read at apply time, never printed).' },
  { key: 'certificate.names', flag: '--existing-certificate <name>', repeatable: true, question: 'existingCertificate', type: 'string[] (1-15 names)', description: 'Existing compute SSL certificates by name (global, or regional for regional types).' },
  { key: 'certificate.certificates', flag: '--certificate-manager-certificate <name>', repeatable: true, question: 'certificateManagerCertificate', type: 'string[] (1-15 names)', description: 'Certificate Manager certificates referenced directly (regional and cross-region types).' },
  { key: 'certificate.certificateMap', flag: '--certificate-map <name>', question: 'certificateMap', type: 'string', description: 'A Certificate Manager certificate map (global external and classic only).' },

  // Options
  { key: 'options.cdn.enabled', flag: '--cdn', negatable: true, question: 'cdn', type: 'boolean', default: 'false', description: 'Cloud CDN on every backend (global external and classic only).' },
  { key: 'options.cdn.cacheMode', flag: '--cdn-cache-mode <mode>', type: 'CACHE_ALL_STATIC | USE_ORIGIN_HEADERS | FORCE_CACHE_ALL', default: 'CACHE_ALL_STATIC', description: 'Cloud CDN cache mode.' },
  { key: 'options.cdn.defaultTtl', type: 'integer seconds 0-31622400', description: 'Cloud CDN default TTL (config only).' },
  { key: 'options.cdn.maxTtl', type: 'integer seconds 0-31622400', description: 'Longest time a cached answer is served (CACHE_ALL_STATIC only; config only).' },
  { key: 'options.cdn.clientTtl', type: 'integer seconds 0-31622400', description: 'Longest max-age sent to clients (not with USE_ORIGIN_HEADERS; config only).' },
  { key: 'options.cdn.negativeCaching', type: 'boolean', default: 'Google: true', description: 'Cache 404, 410 and other negative answers for a short time (config only).' },
  { key: 'options.cdn.serveWhileStale', type: 'integer seconds 0-86400', description: 'Serve a stale answer this long while revalidating (config only).' },
  { key: 'options.cdn.cacheKey', type: 'object', description: 'What the cache key is made of (config only).' },
  { key: 'options.cdn.cacheKey.includeProtocol', type: 'boolean', default: 'true', description: 'The protocol is part of the key (config only).' },
  { key: 'options.cdn.cacheKey.includeHost', type: 'boolean', default: 'true', description: 'The host is part of the key (config only).' },
  { key: 'options.cdn.cacheKey.includeQueryString', type: 'boolean', default: 'true', description: 'The query string is part of the key (config only).' },
  { key: 'options.cdn.cacheKey.queryParameters', type: 'string[]', description: 'Only these query parameters are part of the key (config only).' },
  { key: 'options.cdn.bypassCacheOnRequestHeaders', type: 'string[] (1-5 header names)', description: 'Requests carrying one of these headers bypass the cache (config only).' },
  { key: 'options.iap.enabled', flag: '--iap', negatable: true, question: 'iap', type: 'boolean', default: 'false', description: 'Identity-Aware Proxy on every backend.' },
  { key: 'options.iap.oauth2ClientId', flag: '--iap-client-id <id>', question: 'iapClientId', type: 'string', description: 'OAuth client id for IAP (omit id and secret to use the Google-managed OAuth client).' },
  { key: 'options.iap.oauth2ClientSecretFile', flag: '--iap-client-secret-file <file>', question: 'iapClientSecretFile', type: 'string (path)', description: 'File holding the OAuth client secret (never put the secret itself in the config).' },
  { key: 'options.iap.oauth2ClientSecretEnv', flag: '--iap-client-secret-env <variable>', type: 'string (variable name)', description: 'Environment variable holding the OAuth client secret.' },
  { key: 'options.cloudArmor', type: 'object', description: 'Cloud Armor: attach an existing security policy, or create one from rules.' },
  { key: 'options.cloudArmor.existingPolicy', flag: '--security-policy <name>', question: 'securityPolicy', type: 'string', description: 'Attach this existing security policy (never created or deleted by serverless-lb).' },
  { key: 'options.cloudArmor.rules', flag: '--rate-limit <count/interval>', question: 'rateLimit', type: 'object[]', description: 'Rules of the policy serverless-lb creates; --rate-limit COUNT/INTERVALs adds a throttle rule.' },
  { key: 'options.cloudArmor.rules[].priority', flag: '--rate-limit <count/interval>', type: 'integer 0-2147483646 (unique)', description: 'Rule priority: lower is evaluated first.' },
  { key: 'options.cloudArmor.rules[].action', flag: '--rate-limit <count/interval>', type: ARMOR_ACTION_ENUM, description: 'What the rule does on a match.' },
  { key: 'options.cloudArmor.rules[].description', type: 'string (<= 64)', description: 'A note on the rule (config only).' },
  { key: 'options.cloudArmor.rules[].srcIpRanges', flag: '--rate-limit <count/interval>', type: 'string[] (1-10 CIDRs or *)', description: 'Match on source IP ranges (either this or expression).' },
  { key: 'options.cloudArmor.rules[].expression', type: 'string (CEL)', description: 'Match on a Cloud Armor CEL expression (config only; either this or srcIpRanges).' },
  { key: 'options.cloudArmor.rules[].preview', type: 'boolean', default: 'false', description: 'Log matches without enforcing (config only).' },
  { key: 'options.cloudArmor.rules[].rateLimit', flag: '--rate-limit <count/interval>', type: 'object', description: 'Rate limit of a throttle or rate_based_ban rule (required for those, forbidden otherwise).' },
  { key: 'options.cloudArmor.rules[].rateLimit.count', flag: '--rate-limit <count/interval>', type: 'integer >= 1', description: 'Requests allowed per interval.' },
  { key: 'options.cloudArmor.rules[].rateLimit.intervalSec', flag: '--rate-limit <count/interval>', type: '10 | 30 | 60 | 120 | 180 | 240 | 300 | 600 | 900 | 1200 | 1800 | 2700 | 3600', description: 'The interval the count applies to, in seconds.' },
  { key: 'options.cloudArmor.rules[].rateLimit.exceedAction', type: 'deny(403) | deny(404) | deny(429) | deny(502)', default: 'deny(429)', description: 'Response to requests over the limit (config only).' },
  { key: 'options.cloudArmor.rules[].rateLimit.enforceOnKey', type: 'ALL | IP | HTTP_HEADER | XFF_IP | HTTP_COOKIE | HTTP_PATH | SNI | REGION_CODE', default: 'IP', description: 'What the limit is counted per (config only).' },
  { key: 'options.cloudArmor.rules[].rateLimit.enforceOnKeyName', type: 'string', description: 'Header or cookie name, for HTTP_HEADER and HTTP_COOKIE keys only (config only).' },
  { key: 'options.cloudArmor.rules[].rateLimit.banDurationSec', type: 'integer seconds', description: 'How long a rate_based_ban bans a client (config only; rate_based_ban only).' },
  { key: 'options.cloudArmor.defaultAction', type: 'allow | deny(403) | deny(404) | deny(502)', default: 'allow', description: 'Action of the policy\'s default rule, priority 2147483647 (config only).' },
  { key: 'options.logging.enabled', flag: '--logging', negatable: true, question: 'logging', type: 'boolean', default: 'true', description: 'Request logging on the backend services.' },
  { key: 'options.logging.sampleRate', flag: '--log-sample-rate <rate>', type: 'number 0-1', default: '1', description: 'Fraction of requests logged.' },
  { key: 'options.outlierDetection', flag: '--outlier-detection', question: 'outlierDetection', type: 'object', description: 'Outlier detection with Google\'s defaults (the flag), or with the fields below (global external and cross-region internal only).' },
  { key: 'options.outlierDetection.consecutiveErrors', type: 'integer >= 1', default: '5', description: 'Consecutive 5xx errors that eject an endpoint (config only).' },
  { key: 'options.outlierDetection.consecutiveGatewayFailure', type: 'integer >= 1', default: '3', description: 'Consecutive 502/503/504 that eject an endpoint (config only).' },
  { key: 'options.outlierDetection.intervalSec', type: 'integer seconds >= 1', default: '1', description: 'Time between ejection sweeps (config only).' },
  { key: 'options.outlierDetection.baseEjectionTimeSec', type: 'integer seconds >= 1', default: '30', description: 'Base ejection time (config only).' },
  { key: 'options.outlierDetection.maxEjectionPercent', type: 'integer 0-100', default: '50', description: 'Most endpoints that may be ejected at once, in percent (config only).' },
  { key: 'options.outlierDetection.enforcingConsecutiveErrors', type: 'integer 0-100', default: '0', description: 'Chance in percent that consecutiveErrors ejects (config only).' },
  { key: 'options.outlierDetection.enforcingConsecutiveGatewayFailure', type: 'integer 0-100', default: '100', description: 'Chance in percent that consecutiveGatewayFailure ejects (config only).' },
  { key: 'options.outlierDetection.successRateMinimumHosts', type: 'integer', description: 'Refused: success-rate detection does not apply to serverless NEGs (config only).' },
  { key: 'options.outlierDetection.successRateRequestVolume', type: 'integer', description: 'Refused: success-rate detection does not apply to serverless NEGs (config only).' },
  { key: 'options.outlierDetection.successRateStdevFactor', type: 'integer', description: 'Refused: success-rate detection does not apply to serverless NEGs (config only).' },
  { key: 'options.outlierDetection.enforcingSuccessRate', type: 'integer', description: 'Refused: success-rate detection does not apply to serverless NEGs (config only).' },
  { key: 'options.headers', type: 'object', description: 'Custom headers on every request to a backend and every answer (on the backend services for classic, in the URL map for the other types).' },
  { key: 'options.headers.request', flag: '--request-header <name:value>', repeatable: true, type: 'map name -> value', description: 'Headers added to requests the load balancer sends the backends; values may use Google\'s variables such as {client_region} and {tls_version}.' },
  { key: 'options.headers.response', flag: '--response-header <name:value>', repeatable: true, question: 'responseHeaders', type: 'map name -> value', description: 'Headers added to every answer (Strict-Transport-Security, ...).' },
  { key: 'options.httpKeepAliveTimeoutSec', flag: '--keepalive-timeout <seconds>', type: 'integer seconds', default: '610 (global external), 600 (regional, cross-region)', description: 'Target proxy HTTP keepalive timeout (not for classic).' },
  { key: 'options.invoker', flag: '--invoker <who>', question: 'invoker', type: 'auto | public | public-no-iam-check | iap | unchanged', default: 'auto', description: 'Who may invoke the Cloud Run backends through the load balancer: public grants roles/run.invoker to allUsers, public-no-iam-check turns the invoker IAM check off (invokerIamDisabled: Google\'s recommended public setting, allowed under domain restricted sharing), iap the IAP service agent; auto: iap where IAP is on, else allUsers, or the IAM check off where an organisation policy refuses allUsers.' },
  { key: 'options.defaultUrl', flag: '--default-url <setting>', question: 'defaultUrl', type: 'unchanged | disabled', default: 'unchanged', description: 'The Cloud Run backends\' run.app URL: disabled turns it off (defaultUriDisabled), the strongest guard against bypassing the load balancer; turned back on by teardown.' },
  { key: 'options.ingress', flag: '--ingress <setting>', question: 'ingress', type: 'auto | internal-and-cloud-load-balancing | internal | unchanged', default: 'auto', description: 'The Cloud Run ingress setting applied to Cloud Run backends (auto: the narrowest that works).' },

  // DNS
  { key: 'dns', type: 'object', description: 'Create A/AAAA records for frontend.domains in a Cloud DNS managed zone.' },
  { key: 'migration', type: 'object', description: 'Classic to global external migration, as Google stages it (docs/changing.md); absent: none, or rolled back.' },
  { key: 'migration.trafficPercent', flag: '--migration-percent <percent>', question: 'migration', type: 'integer 0-100', description: 'Share of requests the global external infrastructure answers: 0 prepares, 1-99 tests that share, 100 tests all; with type global-external, 100 finishes the migration.' },
  { key: 'names', type: 'object', description: 'Names of the load balancer\'s resources that are not the ones serverless-lb gives (written by `serverless-lb import`); each kept as it is (config only).' },
  { key: 'names.address', type: 'string', default: 'NAME-ip', description: 'The reserved address (config only).' },
  { key: 'names.certificate', type: 'string', default: 'NAME-cert', description: 'The Google-managed or self-managed compute certificate (config only).' },
  { key: 'names.urlMap', type: 'string', default: 'NAME-urlmap', description: 'The URL map (config only).' },
  { key: 'names.redirectUrlMap', type: 'string', default: 'NAME-redirect-urlmap', description: 'The URL map that redirects HTTP to HTTPS (config only).' },
  { key: 'names.httpsProxy', type: 'string', default: 'NAME-https-proxy', description: 'The target HTTPS proxy (config only).' },
  { key: 'names.httpProxy', type: 'string', default: 'NAME-http-proxy', description: 'The target HTTP proxy (config only).' },
  { key: 'names.httpsForwardingRule', type: 'string', default: 'NAME-https-fr', description: 'The HTTPS forwarding rule (config only).' },
  { key: 'names.httpForwardingRule', type: 'string', default: 'NAME-http-fr', description: 'The HTTP forwarding rule (config only).' },
  { key: 'names.backendServices', type: 'map backend -> name', default: 'NAME-BACKEND-bs', description: 'The backend service of each backend (config only).' },
  { key: 'names.negs', type: 'map backend -> region -> name', default: 'NAME-BACKEND-neg-REGION', description: 'The serverless NEG of each backend in each region (config only).' },
  { key: 'dns.managedZone', flag: '--dns-zone <zone>', question: 'dnsZone', type: 'string', description: 'The Cloud DNS managed zone (by name) that holds frontend.domains.' },
  { key: 'dns.project', type: 'string (project ID)', default: 'project', description: 'Project of the managed zone, when it is not the LB\'s project (config only).' },
];

const BY_KEY = new Map(SPEC_FIELDS.map((field) => [field.key, field]));

/**
 * The registry key of a problem's path: numeric segments become `[]` on the segment before them
 * (`backends.1.cloudRun.service` -> `backends[].cloudRun.service`).
 */
export function normalizeKey(path: string): string {
  if (path === '') return '';
  const out: string[] = [];
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment) && out.length > 0) out[out.length - 1] += '[]';
    else out.push(segment);
  }
  return out.join('.');
}

/**
 * The registry entry for a config key or a problem's path (`backends.1.cloudRun.service`,
 * `frontend.network.proxyOnlySubnet.ranges.europe-west1`): the entry of the key itself, else of the
 * nearest enclosing key. Undefined when nothing encloses it.
 */
export function flagForKey(key: string): SpecField | undefined {
  let current = normalizeKey(key);
  while (current !== '') {
    const field = BY_KEY.get(current);
    if (field) return field;
    if (current.endsWith('[]')) current = current.slice(0, -2);
    else {
      const dot = current.lastIndexOf('.');
      current = dot < 0 ? '' : current.slice(0, dot);
    }
  }
  return undefined;
}

/** Same lookup as flagForKey, under the name that says what it returns. */
export const fieldForKey = flagForKey;

/** The long flag name (`--backend`) of a commander flag string (`--backend <backend>`). */
export function flagName(flag: string): string {
  const long = flag.split(/[ ,|]+/).find((part) => part.startsWith('--'));
  return long ?? flag.split(/\s+/)[0] ?? flag;
}

/** The property commander stores a flag under: `--default-backend <b>` -> `defaultBackend`. */
export function optionAttribute(flag: string): string {
  return flagName(flag)
    .replace(/^--(no-)?/, '')
    .replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** One CLI option per distinct flag, with the help text of the first field that has it. */
export interface SpecOption {
  flags: string;
  description: string;
  repeatable: boolean;
  negatable: boolean;
  /** The property of commander's parsed options that holds the value. */
  attribute: string;
}

export function specOptions(): SpecOption[] {
  const seen = new Map<string, SpecOption>();
  for (const field of SPEC_FIELDS) {
    if (!field.flag || seen.has(field.flag)) continue;
    seen.set(field.flag, {
      flags: field.flag,
      description: field.description,
      repeatable: field.repeatable === true,
      negatable: field.negatable === true,
      attribute: optionAttribute(field.flag),
    });
  }
  return [...seen.values()];
}

/** The part of commander's Command that registerSpecOptions uses. */
export interface OptionTarget {
  option(flags: string, description: string, parseArg: (value: string, previous: string[] | undefined) => string[]): unknown;
  option(flags: string, description?: string): unknown;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Adds every Spec flag to a commander command. Repeatable flags collect into an array (undefined
 * when not given, so config values survive a merge); negatable flags also get `--no-NAME`.
 * `exclude` lists long flag names the command already has (e.g. `--project` from the common flags).
 */
export function registerSpecOptions<T extends OptionTarget>(command: T, exclude: readonly string[] = []): T {
  for (const option of specOptions()) {
    const name = flagName(option.flags);
    if (exclude.includes(name)) continue;
    if (option.repeatable) command.option(option.flags, `${option.description} (repeatable)`, collect);
    else command.option(option.flags, option.description);
    if (option.negatable) command.option(`--no-${name.slice(2)}`, `turn off ${name}`);
  }
  return command;
}
