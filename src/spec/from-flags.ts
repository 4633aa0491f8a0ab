/**
 * Flags -> a partial SpecInput, and the merge of that with a config file's SpecInput.
 *
 * specInputFromFlags takes the object commander's `opts()` returns for options registered with
 * registerSpecOptions (fields.ts): only flags that were given appear in the result, so a merge keeps
 * every config value no flag overrides. Bad flag syntax becomes a Problem naming the flag; values are
 * otherwise passed on as given and checked by validateSpec. The syntaxes are in docs/config.md.
 * Pure.
 */
import { makeProblem, type Problem } from './problem.js';
import type { SpecInput } from './schema.js';

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A SpecInput with any part missing: what flags give, and what a config file may hold. */
export type SpecInputPatch = DeepPartial<SpecInput>;

type BackendInput = SpecInput['backends'][number];
type HostRuleInput = NonNullable<NonNullable<SpecInput['routing']>['hosts']>[number];
type ArmorRuleInput = NonNullable<NonNullable<NonNullable<SpecInput['options']>['cloudArmor']>['rules']>[number];

export interface FlagsResult {
  input: SpecInputPatch;
  problems: Problem[];
}

/** `--backend` kinds: `NAME=KIND:TARGET`. */
export const BACKEND_KINDS = ['run', 'run-mask', 'function', 'function-mask', 'appengine', 'appengine-mask', 'apigateway'] as const;
const BACKEND_PARAMS = ['tag', 'regions', 'cdn', 'iap', 'armor'] as const;

function flagProblem(key: string, flag: string, message: string, hint: string): Problem {
  const problem = makeProblem('error', key, message, hint);
  problem.flag = flag;
  return problem;
}

/** Values of a repeatable or comma-separated flag: `a,b` and `['a', 'b,c']` both give a list. */
function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function repeated(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value.at(-1)) : String(value);
}

function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['true', 'yes', '1', 'on', ''].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  return undefined;
}

/**
 * Parses one `--backend` value: `NAME=KIND:TARGET[?tag=T&regions=R1,R2&cdn=BOOL&iap=BOOL&armor=BOOL]`,
 * or a bare `NAME` (a Cloud Run service of that name). Returns the backend or a reason.
 */
export function parseBackendFlag(value: string): { backend: BackendInput } | { reason: string } {
  const q = value.indexOf('?');
  const head = q < 0 ? value : value.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : value.slice(q + 1));
  const eq = head.indexOf('=');
  const name = (eq < 0 ? head : head.slice(0, eq)).trim();
  if (name === '') return { reason: 'has no backend name before "="' };
  let kind = 'run';
  let target = name;
  if (eq >= 0) {
    const spec = head.slice(eq + 1);
    const colon = spec.indexOf(':');
    if (colon < 0) return { reason: `"${spec}" is not KIND:TARGET (kinds: ${BACKEND_KINDS.join(', ')})` };
    kind = spec.slice(0, colon);
    target = spec.slice(colon + 1);
  }
  const backend: BackendInput = { name };
  switch (kind) {
    case 'run':
      if (!target) return { reason: 'run: needs a Cloud Run service name' };
      backend.cloudRun = { service: target };
      break;
    case 'run-mask':
      if (!target) return { reason: 'run-mask: needs a URL mask' };
      backend.cloudRun = { urlMask: target };
      break;
    case 'function':
      if (!target) return { reason: 'function: needs a function name' };
      backend.cloudFunction = { function: target };
      break;
    case 'function-mask':
      if (!target) return { reason: 'function-mask: needs a URL mask' };
      backend.cloudFunction = { urlMask: target };
      break;
    case 'appengine': {
      const [service, version, extra] = target.split('/');
      if (extra !== undefined) return { reason: 'appengine: takes SERVICE or SERVICE/VERSION' };
      backend.appEngine = {};
      if (service) backend.appEngine.service = service;
      if (version) backend.appEngine.version = version;
      break;
    }
    case 'appengine-mask':
      if (!target) return { reason: 'appengine-mask: needs a URL mask' };
      backend.appEngine = { urlMask: target };
      break;
    case 'apigateway':
      if (!target) return { reason: 'apigateway: needs a gateway id' };
      backend.apiGateway = { gateway: target };
      break;
    default:
      return { reason: `unknown kind "${kind}" (kinds: ${BACKEND_KINDS.join(', ')})` };
  }
  for (const [param, raw] of params) {
    if (!(BACKEND_PARAMS as readonly string[]).includes(param)) return { reason: `unknown option "${param}" (options: ${BACKEND_PARAMS.join(', ')})` };
    if (param === 'tag') {
      if (!backend.cloudRun?.service) return { reason: 'tag= applies only to run:SERVICE backends' };
      backend.cloudRun.tag = raw;
    } else if (param === 'regions') {
      backend.regions = list(raw) ?? [];
    } else {
      const flag = parseBoolean(raw);
      if (flag === undefined) return { reason: `${param}= takes true or false, not "${raw}"` };
      if (param === 'cdn') backend.cdn = flag;
      else if (param === 'iap') backend.iap = flag;
      else backend.cloudArmor = flag;
    }
  }
  return { backend };
}

export interface Route {
  host: string;
  /** Absent: the host's default backend. */
  path?: string;
  backend: string;
}

/** Parses one `--route` value: `HOST[/PATH]=BACKEND`, or `/PATH=BACKEND` for every host (`*`). */
export function parseRouteFlag(value: string): { route: Route } | { reason: string } {
  const eq = value.lastIndexOf('=');
  if (eq < 0) return { reason: 'is not HOST[/PATH]=BACKEND' };
  const left = value.slice(0, eq).trim();
  const backend = value.slice(eq + 1).trim();
  if (backend === '') return { reason: 'has no backend after "="' };
  if (left === '') return { reason: 'has no host or path before "="' };
  const slash = left.indexOf('/');
  const host = slash < 0 ? left : slash === 0 ? '*' : left.slice(0, slash);
  const path = slash < 0 ? undefined : left.slice(slash);
  return { route: path === undefined ? { host, backend } : { host, path, backend } };
}

/**
 * Groups routes into host rules: one rule per host, in the order hosts first appear; a route without
 * a path sets the host's default backend; paths to the same backend share one path rule.
 */
export function routesToHostRules(routes: readonly Route[]): { hosts: HostRuleInput[]; conflicts: string[] } {
  const rules = new Map<string, { defaultBackend?: string; paths: Map<string, string[]> }>();
  const conflicts: string[] = [];
  for (const route of routes) {
    let rule = rules.get(route.host);
    if (!rule) rules.set(route.host, (rule = { paths: new Map() }));
    if (route.path === undefined) {
      if (rule.defaultBackend !== undefined && rule.defaultBackend !== route.backend) {
        conflicts.push(`${route.host} goes to both ${rule.defaultBackend} and ${route.backend}`);
      }
      rule.defaultBackend = route.backend;
    } else {
      const paths = rule.paths.get(route.backend) ?? [];
      paths.push(route.path);
      rule.paths.set(route.backend, paths);
    }
  }
  const hosts: HostRuleInput[] = [];
  for (const [host, rule] of rules) {
    const hostRule: HostRuleInput = { hosts: [host] };
    if (rule.defaultBackend !== undefined) hostRule.defaultBackend = rule.defaultBackend;
    if (rule.paths.size > 0) hostRule.paths = [...rule.paths].map(([backend, paths]) => ({ paths, backend }));
    hosts.push(hostRule);
  }
  return { hosts, conflicts };
}

const INTERVALS = [10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600];
/** The priority of the throttle rule --rate-limit creates. */
export const RATE_LIMIT_RULE_PRIORITY = 1000;

/** Parses `--rate-limit COUNT/INTERVAL` (`100/60s`, `600/10m`, `1000/1h`, `100/60`) into a throttle rule. */
export function parseRateLimitFlag(value: string): { rule: ArmorRuleInput } | { reason: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*(s|m|h)?\s*$/.exec(value);
  if (!match) return { reason: 'is not COUNT/INTERVAL, e.g. 100/60s' };
  const count = Number(match[1]);
  const interval = Number(match[2]) * (match[3] === 'h' ? 3600 : match[3] === 'm' ? 60 : 1);
  if (count < 1) return { reason: 'needs a count of at least 1' };
  if (!INTERVALS.includes(interval)) return { reason: `interval ${interval}s is not one Cloud Armor takes (${INTERVALS.join(', ')} seconds)` };
  return {
    rule: {
      priority: RATE_LIMIT_RULE_PRIORITY,
      action: 'throttle',
      description: `at most ${count} requests per ${interval}s per client IP`,
      srcIpRanges: ['*'],
      rateLimit: {
        count,
        intervalSec: interval as 60,
        exceedAction: 'deny(429)',
        enforceOnKey: 'IP',
      },
    },
  };
}

/** commander's parsed options -> a partial SpecInput (only what the flags set) and flag problems. */
export function specInputFromFlags(opts: Record<string, unknown>): FlagsResult {
  const problems: Problem[] = [];
  const input: SpecInputPatch = {};
  const frontend = (): NonNullable<SpecInputPatch['frontend']> => (input.frontend ??= {});
  const address = () => (frontend().address ??= {});
  const network = () => (frontend().network ??= {});
  const proxyOnly = () => (network().proxyOnlySubnet ??= {});
  const options = (): NonNullable<SpecInputPatch['options']> => (input.options ??= {});
  const armor = () => (options().cloudArmor ??= {});

  const name = str(opts.name);
  if (name !== undefined) input.name = name;
  const project = str(opts.project);
  if (project !== undefined) input.project = project;
  const type = str(opts.type);
  if (type !== undefined) input.type = type as SpecInput['type'];
  const region = str(opts.region);
  if (region !== undefined) input.region = region;
  const regions = list(opts.regions);
  if (regions !== undefined) input.regions = regions;

  const backends = repeated(opts.backend);
  if (backends !== undefined) {
    input.backends = [];
    for (const value of backends) {
      const parsed = parseBackendFlag(value);
      if ('reason' in parsed) problems.push(flagProblem('backends', '--backend', `"${value}" ${parsed.reason}`, 'write NAME=KIND:TARGET[?OPTIONS], e.g. api=run:api?tag=canary&regions=europe-west1,us-central1'));
      else input.backends.push(parsed.backend);
    }
  }

  const defaultBackend = str(opts.defaultBackend);
  if (defaultBackend !== undefined) (input.routing ??= {}).defaultBackend = defaultBackend;
  const routeValues = repeated(opts.route);
  if (routeValues !== undefined) {
    const routes: Route[] = [];
    for (const value of routeValues) {
      const parsed = parseRouteFlag(value);
      if ('reason' in parsed) problems.push(flagProblem('routing.hosts', '--route', `"${value}" ${parsed.reason}`, 'write HOST[/PATH]=BACKEND, e.g. api.example.com=api or example.com/static/*=static'));
      else routes.push(parsed.route);
    }
    const { hosts, conflicts } = routesToHostRules(routes);
    for (const conflict of conflicts) problems.push(flagProblem('routing.hosts', '--route', conflict, 'give each host one default backend; route paths with HOST/PATH=BACKEND'));
    (input.routing ??= {}).hosts = hosts;
  }

  const protocol = str(opts.protocol);
  if (protocol !== undefined) frontend().protocol = protocol as 'https';
  if (opts.port !== undefined) {
    const raw = str(opts.port)!;
    const port = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65535) problems.push(flagProblem('frontend.port', '--port', `"${raw}" is not a port number`, 'give a number from 1 to 65535'));
    else frontend().port = port;
  }
  const domains = list(opts.domain);
  if (domains !== undefined) frontend().domains = domains;

  const mode = str(opts.address);
  if (mode !== undefined) address().mode = mode as 'reserve';
  const addressName = str(opts.addressName);
  if (addressName !== undefined) address().name = addressName;
  const ipVersion = str(opts.ipVersion);
  if (ipVersion !== undefined) address().ipVersion = ipVersion.toUpperCase() as 'IPV4';
  const tier = str(opts.networkTier);
  if (tier !== undefined) address().networkTier = tier.toUpperCase() as 'PREMIUM';

  const networkName = str(opts.network);
  if (networkName !== undefined) network().network = networkName;
  const subnet = str(opts.subnet);
  if (subnet !== undefined) network().subnet = subnet;
  const proxyMode = str(opts.proxyOnlySubnet);
  if (proxyMode !== undefined) proxyOnly().mode = proxyMode as 'existing';
  const proxyName = str(opts.proxyOnlySubnetName);
  if (proxyName !== undefined) proxyOnly().name = proxyName;
  const rangeValues = repeated(opts.proxyOnlySubnetRange);
  if (rangeValues !== undefined) {
    const ranges: Record<string, string> = {};
    for (const value of rangeValues) {
      const [regionPart, cidr, extra] = value.split('=');
      if (!regionPart || !cidr || extra !== undefined) problems.push(flagProblem('frontend.network.proxyOnlySubnet.ranges', '--proxy-only-subnet-range', `"${value}" is not REGION=CIDR`, 'write e.g. europe-west1=10.129.0.0/23'));
      else ranges[regionPart.trim()] = cidr.trim();
    }
    proxyOnly().ranges = ranges;
  }

  certificateFromFlags(opts, input, problems);

  const canaryFlag = str(opts.canary);
  if (canaryFlag !== undefined) {
    const parsed = parseCanaryFlag(canaryFlag);
    if (!parsed) problems.push(flagProblem('routing.canary', '--canary', `"${canaryFlag}" is not BACKEND=PERCENT (1-99)`, 'write e.g. --canary web-v2=10 (10 % of the requests to backend web-v2)'));
    else (input.routing ??= {}).canary = parsed;
  }

  const tls = () => (frontend().tls ??= {});
  const tlsPolicy = () => (tls().policy ??= {});
  const tlsProfile = str(opts.tlsProfile);
  if (tlsProfile !== undefined) tlsPolicy().profile = tlsProfile.toUpperCase().replace(/-/g, '_') as 'MODERN';
  const minTls = str(opts.minTlsVersion);
  if (minTls !== undefined) tlsPolicy().minTlsVersion = (/^\d\.\d$/.test(minTls) ? `TLS_${minTls.replace('.', '_')}` : minTls.toUpperCase()) as 'TLS_1_2';
  const sslPolicyName = str(opts.sslPolicy);
  if (sslPolicyName !== undefined) tlsPolicy().existing = sslPolicyName;
  if (typeof opts.http3 === 'boolean') tls().http3 = opts.http3;
  const mtlsMode = str(opts.mtlsMode);
  if (mtlsMode !== undefined) (tls().mtls ??= {}).mode = mtlsMode.toUpperCase().replace(/-/g, '_') as 'REJECT_INVALID';
  const anchors = Array.isArray(opts.mtlsTrustAnchor) ? opts.mtlsTrustAnchor.map(String) : typeof opts.mtlsTrustAnchor === 'string' ? [opts.mtlsTrustAnchor] : [];
  if (anchors.length > 0) (tls().mtls ??= {}).trustAnchors = anchors;
  const earlyData = str(opts.tlsEarlyData);
  if (earlyData !== undefined) tls().earlyData = earlyData.toUpperCase() as 'STRICT';

  if (typeof opts.cdn === 'boolean') (options().cdn ??= {}).enabled = opts.cdn;
  const cacheMode = str(opts.cdnCacheMode);
  if (cacheMode !== undefined) (options().cdn ??= {}).cacheMode = cacheMode.toUpperCase().replace(/-/g, '_') as 'CACHE_ALL_STATIC';
  if (typeof opts.iap === 'boolean') (options().iap ??= {}).enabled = opts.iap;
  const clientId = str(opts.iapClientId);
  if (clientId !== undefined) (options().iap ??= {}).oauth2ClientId = clientId;
  const secretFile = str(opts.iapClientSecretFile);
  if (secretFile !== undefined) (options().iap ??= {}).oauth2ClientSecretFile = secretFile;
  const secretEnv = str(opts.iapClientSecretEnv);
  if (secretEnv !== undefined) (options().iap ??= {}).oauth2ClientSecretEnv = secretEnv;

  const policy = str(opts.securityPolicy);
  if (policy !== undefined) armor().existingPolicy = policy;
  const rateLimit = str(opts.rateLimit);
  if (rateLimit !== undefined) {
    const parsed = parseRateLimitFlag(rateLimit);
    if ('reason' in parsed) problems.push(flagProblem('options.cloudArmor.rules', '--rate-limit', `"${rateLimit}" ${parsed.reason}`, 'write COUNT/INTERVAL, e.g. 100/60s or 1000/10m'));
    else armor().rules = [parsed.rule];
  }

  for (const [which, flagName, values] of [['request', '--request-header', opts.requestHeader], ['response', '--response-header', opts.responseHeader]] as const) {
    const list = Array.isArray(values) ? values.map(String) : typeof values === 'string' ? [values] : [];
    if (list.length === 0) continue;
    const map: Record<string, string> = {};
    for (const entry of list) {
      const colon = entry.indexOf(':');
      if (colon <= 0) problems.push(flagProblem(`options.headers.${which}`, flagName, `"${entry}" is not NAME:VALUE`, `write e.g. ${flagName} 'X-Frame-Options: DENY'`));
      else map[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
    }
    ((options().headers ??= {})[which] = map);
  }
  if (typeof opts.logging === 'boolean') (options().logging ??= {}).enabled = opts.logging;
  if (opts.logSampleRate !== undefined) {
    const raw = str(opts.logSampleRate)!;
    const rate = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) problems.push(flagProblem('options.logging.sampleRate', '--log-sample-rate', `"${raw}" is not a number from 0 to 1`, 'e.g. --log-sample-rate 0.5'));
    else (options().logging ??= {}).sampleRate = rate;
  }
  if (opts.outlierDetection === true) options().outlierDetection = {};
  if (opts.keepaliveTimeout !== undefined) {
    const raw = str(opts.keepaliveTimeout)!;
    if (!/^\d+$/.test(raw.trim())) problems.push(flagProblem('options.httpKeepAliveTimeoutSec', '--keepalive-timeout', `"${raw}" is not a whole number of seconds`, 'e.g. --keepalive-timeout 610'));
    else options().httpKeepAliveTimeoutSec = Number(raw);
  }
  const ingress = str(opts.ingress);
  if (ingress !== undefined) options().ingress = ingress as 'auto';
  const invoker = str(opts.invoker);
  if (invoker !== undefined) options().invoker = invoker as 'auto';
  const defaultUrl = str(opts.defaultUrl);
  if (defaultUrl !== undefined) options().defaultUrl = defaultUrl as 'disabled';
  const zone = str(opts.dnsZone);
  if (zone !== undefined) input.dns = { managedZone: zone };
  const migration = str(opts.migrationPercent);
  if (migration !== undefined) {
    if (/^\d+$/.test(migration)) input.migration = { trafficPercent: Number(migration) };
    else problems.push(makeProblem('error', 'migration.trafficPercent', `"${migration}" is not a whole number`, 'give a percentage from 0 to 100'));
  }

  return { input, problems };
}

const CERTIFICATE_KINDS = ['managed', 'self-managed', 'existing', 'certificate-manager'] as const;
type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

/** --certificate and the flags that imply a kind (files, names, map). */
function certificateFromFlags(opts: Record<string, unknown>, input: SpecInputPatch, problems: Problem[]): void {
  const explicit = str(opts.certificate);
  const certificateFile = str(opts.certificateFile);
  const privateKeyFile = str(opts.privateKeyFile);
  const names = list(opts.existingCertificate);
  const map = str(opts.certificateMap);
  const managerCerts = list(opts.certificateManagerCertificate);
  const service = str(opts.certificateService);
  if (service !== undefined && service !== 'compute' && service !== 'certificate-manager') {
    problems.push(flagProblem('certificate.service', '--certificate-service', `"${service}" is not a certificate service`, 'use compute or certificate-manager'));
    return;
  }

  const implied = new Map<CertificateKind, string>();
  if (certificateFile !== undefined) implied.set('self-managed', '--certificate-file');
  if (privateKeyFile !== undefined) implied.set('self-managed', '--private-key-file');
  if (names !== undefined) implied.set('existing', '--existing-certificate');
  if (map !== undefined) implied.set('certificate-manager', '--certificate-map');
  if (managerCerts !== undefined) implied.set('certificate-manager', '--certificate-manager-certificate');

  if (explicit !== undefined && !(CERTIFICATE_KINDS as readonly string[]).includes(explicit)) {
    problems.push(flagProblem('certificate.type', '--certificate', `"${explicit}" is not a certificate kind`, `use one of ${CERTIFICATE_KINDS.join(', ')}`));
    return;
  }
  const kinds = new Set<CertificateKind>(implied.keys());
  if (explicit !== undefined) kinds.add(explicit as CertificateKind);
  if (kinds.size === 0) {
    if (service !== undefined) problems.push(flagProblem('certificate.service', '--certificate-service', 'says where a managed or self-managed certificate is made, but no certificate is given', 'add --certificate managed (or --certificate-file and --private-key-file)'));
    return;
  }
  if (kinds.size > 1) {
    const flags = [...implied.values()];
    if (explicit !== undefined) flags.unshift(`--certificate ${explicit}`);
    problems.push(flagProblem('certificate', '--certificate', `${flags.join(', ')} ask for different kinds of certificate`, 'choose one kind of certificate'));
    return;
  }
  const kind = [...kinds][0]!;
  if (service !== undefined && kind !== 'managed' && kind !== 'self-managed') {
    problems.push(flagProblem('certificate.service', '--certificate-service', `applies to managed and self-managed certificates, not ${kind}`, 'remove --certificate-service'));
    return;
  }
  switch (kind) {
    case 'managed':
      input.certificate = { type: 'managed' };
      if (service !== undefined) input.certificate.service = service;
      break;
    case 'self-managed':
      input.certificate = { type: 'self-managed' };
      if (service !== undefined) input.certificate.service = service;
      if (certificateFile !== undefined) input.certificate.certificateFile = certificateFile;
      if (privateKeyFile !== undefined) input.certificate.privateKeyFile = privateKeyFile;
      break;
    case 'existing':
      input.certificate = { type: 'existing' };
      if (names !== undefined) input.certificate.names = names;
      break;
    case 'certificate-manager':
      input.certificate = { type: 'certificate-manager' };
      if (map !== undefined) input.certificate.certificateMap = map;
      if (managerCerts !== undefined) input.certificate.certificates = managerCerts;
      break;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

/**
 * Config values overlaid with flag values: flags win, objects merge key by key, arrays from flags
 * replace the config's (e.g. --backend replaces every configured backend). A certificate of another
 * kind from the flags replaces the configured certificate whole. Neither input is modified.
 */
export function mergeSpecInput(fromConfig: unknown, fromFlags: SpecInputPatch): SpecInputPatch {
  const merged = deepMerge(fromConfig ?? {}, fromFlags) as Record<string, unknown>;
  const configCert = isPlainObject(fromConfig) ? fromConfig.certificate : undefined;
  const flagCert = fromFlags.certificate;
  if (isPlainObject(configCert) && flagCert?.type !== undefined && configCert.type !== flagCert.type) {
    merged.certificate = structuredClone(flagCert);
  }
  return merged as SpecInputPatch;
}

/** `--canary BACKEND=PERCENT` (`web-v2=10`, `web-v2=10%`): the backend and its share, 1-99; undefined when it is not one. */
export function parseCanaryFlag(text: string): { backend: string; percent: number } | undefined {
  const m = /^\s*([a-z][-a-z0-9]*)\s*=\s*(\d{1,2})\s*%?\s*$/.exec(text);
  return m && Number(m[2]) >= 1 ? { backend: m[1]!, percent: Number(m[2]) } : undefined;
}
