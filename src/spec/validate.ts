/**
 * validateSpec: shape (the zod schema), defaults that depend on other fields, then every rule of
 * docs/constraints.md that can be checked offline. Every problem is collected and reported at once.
 *
 * Pure except through the injected io: files (the self-managed certificate, the IAP secret file) are
 * read only with io.readFile, the clock only through io.now, the environment only through io.env.
 * Without io.readFile the file checks are skipped; without io.env the secret variable is not looked up.
 * No Problem ever carries a secret or a file's contents.
 */
import type { ZodError } from 'zod';
import { SPEC_FIELDS, normalizeKey } from './fields.js';
import { makeProblem, hasErrors, type Problem, type Severity } from './problem.js';
import { specSchema, LB_TYPE_INFO, type Spec, type LbType, type Backend } from './schema.js';
import {
  backendFeatures,
  defaultPort,
  forwardingRuleRegions,
  isInternalType,
  isRegionalType,
  keepAliveRange,
  negRegions,
  proxyOnlySubnetPurpose,
  proxyOnlySubnetRegions,
  targetKinds,
  usesNetwork,
  type TargetKind,
} from './derive.js';
import {
  appEngineIdReason,
  certificateNameCovers,
  cidrsOverlap,
  domainReason,
  functionNameReason,
  hostReason,
  lowerIdReason,
  parseCidr,
  pathReason,
  srcIpRangeReason,
  urlMaskReasons,
  type Cidr,
} from './syntax.js';
import { checkCertificateFiles, checkSecretFile, looksLikeInlineContent } from './certificate-files.js';
import type { SpecRuleId } from './rules.js';

export interface SpecIo {
  /** Reads a file as UTF-8 text (throws like fs.readFileSync). Paths are used as given. */
  readFile?: (path: string) => string;
  /** The current time, for certificate expiry. Without it, expiry is not checked. */
  now?: () => Date;
  /** Looks up an environment variable (the IAP secret variable must be set). */
  env?: (name: string) => string | undefined;
}

export type ValidateResult =
  | { ok: true; spec: Spec; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

const GLOBAL_EXTERNAL_TYPES: readonly LbType[] = ['global-external', 'classic'];

const KIND_LABEL: Record<TargetKind, string> = {
  cloudRun: 'Cloud Run',
  cloudFunction: 'Cloud Functions (1st gen)',
  appEngine: 'App Engine',
  apiGateway: 'API Gateway',
};

/** Backend kinds each LB type takes (docs/constraints.md "Backends per LB type"). */
export const BACKEND_KINDS_BY_TYPE: Record<LbType, readonly TargetKind[]> = {
  'global-external': ['cloudRun', 'cloudFunction', 'appEngine', 'apiGateway'],
  classic: ['cloudRun', 'cloudFunction', 'appEngine', 'apiGateway'],
  'regional-external': ['cloudRun'],
  'regional-internal': ['cloudRun'],
  'cross-region-internal': ['cloudRun'],
};

class Collector {
  readonly problems: Problem[] = [];
  error(key: string, message: string, hint: string, rule: SpecRuleId): void {
    this.add('error', key, message, hint, rule);
  }
  warn(key: string, message: string, hint: string, rule: SpecRuleId): void {
    this.add('warning', key, message, hint, rule);
  }
  add(severity: Severity, key: string, message: string, hint: string, rule: SpecRuleId): void {
    this.problems.push(makeProblem(severity, key, message, hint, rule));
  }
}

/** Validates a SpecInput (from a config file, flags, or both merged). */
export function validateSpec(input: unknown, io: SpecIo = {}): ValidateResult {
  const parsed = specSchema.safeParse(input);
  if (parsed.success) {
    // zod hands out its default values by reference: copy, so completing or changing a Spec never
    // leaks into the next parse.
    const spec = structuredClone(parsed.data);
    const problems = checkSpec(spec, io);
    return hasErrors(problems) ? { ok: false, problems } : { ok: true, spec, warnings: problems };
  }
  const shapeProblems = zodProblems(parsed.error);
  // Report the cross-field rules too where the rest of the input still parses without the bad values.
  const removed = issuePaths(parsed.error);
  const pruned = prune(input, removed);
  const retry = pruned === undefined ? undefined : specSchema.safeParse(pruned);
  const ruleProblems = retry?.success
    ? checkSpec(structuredClone(retry.data), io).filter((p) => !removed.some((path) => related(path, p.key)))
    : [];
  return { ok: false, problems: [...shapeProblems, ...ruleProblems] };
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

const SECRET_KEY = /secret|password|passphrase|token|^privateKey$|^key$|^certificate(Pem)?$/i;

function zodProblems(error: ZodError): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const name of issue.keys) {
        const key = path === '' ? name : `${path}.${name}`;
        if (SECRET_KEY.test(name)) {
          const isKey = /key|certificate/i.test(name);
          out.push(
            makeProblem(
              'error',
              key,
              'secrets and file contents are never taken inline in the config',
              isKey
                ? 'use certificate.certificateFile and certificate.privateKeyFile (paths to PEM files)'
                : 'use options.iap.oauth2ClientSecretFile (a file path) or options.iap.oauth2ClientSecretEnv (a variable name)',
              'secret-inline',
            ),
          );
        } else {
          const known = childKeys(path);
          out.push(makeProblem('error', key, `unknown key "${name}"`, known.length ? `keys allowed here: ${known.join(', ')}` : 'remove it (docs/config.md lists every key)'));
        }
      }
      continue;
    }
    const field = SPEC_FIELDS.find((f) => f.key === normalizeKey(path));
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) message = 'is required';
    const hint = field ? `expected ${field.type}` : 'see docs/config.md';
    out.push(makeProblem('error', path, message, hint));
  }
  return out;
}

function childKeys(path: string): string[] {
  const parent = normalizeKey(path);
  const prefix = parent === '' ? '' : `${parent}.`;
  const names = new Set<string>();
  for (const field of SPEC_FIELDS) {
    if (!field.key.startsWith(prefix)) continue;
    const rest = field.key.slice(prefix.length);
    const name = rest.split('.')[0]?.replace(/\[\]$/, '');
    if (name) names.add(name);
  }
  return [...names];
}

function issuePaths(error: ZodError): string[] {
  const paths: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) paths.push(path === '' ? k : `${path}.${k}`);
    else paths.push(path);
  }
  return paths;
}

/**
 * A deep copy of the input without the object properties at the given dotted paths; undefined when a
 * path is the whole input or an array element (removing one would shift the indexes problems name).
 */
function prune(input: unknown, paths: string[]): unknown {
  let copy: unknown;
  try {
    copy = structuredClone(input);
  } catch {
    return undefined;
  }
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.at(-1)!;
    if (path === '' || /^\d+$/.test(last)) return undefined;
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (node && typeof node === 'object' && !Array.isArray(node)) delete (node as Record<string, unknown>)[last];
  }
  return copy;
}

/**
 * Fills the defaults that depend on other fields, in place: frontend.port, routing.defaultBackend,
 * each host rule's defaultBackend, and frontend.network for the types that live in a VPC.
 */
function complete(spec: Spec): void {
  spec.frontend.port ??= defaultPort(spec.frontend.protocol);
  if (spec.routing.defaultBackend === undefined && spec.backends[0]) spec.routing.defaultBackend = spec.backends[0].name;
  for (const rule of spec.routing.hosts) rule.defaultBackend ??= spec.routing.defaultBackend;
  if (usesNetwork(spec.type)) spec.frontend.network ??= { network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'existing' } };
}

/** Runs every rule on a shape-valid Spec (completing its defaults) and returns errors and warnings. */
function checkSpec(spec: Spec, io: SpecIo): Problem[] {
  const c = new Collector();
  const original = {
    defaultBackend: spec.routing.defaultBackend,
    network: spec.frontend.network,
  };
  complete(spec);
  checkBackends(spec, c);
  checkRegions(spec, c);
  checkRouting(spec, c, original.defaultBackend === undefined);
  checkDomains(spec, c);
  checkFrontend(spec, c, original.network !== undefined);
  checkCertificate(spec, c, io);
  checkCdnIap(spec, c, io);
  checkCloudArmor(spec, c);
  checkOutlierDetection(spec, c);
  checkKeepAlive(spec, c);
  checkIngress(spec, c);
  checkDns(spec, c);
  return c.problems;
}

// ---------------------------------------------------------------------------------------- backends

function checkBackends(spec: Spec, c: Collector): void {
  const seen = new Map<string, number>();
  spec.backends.forEach((backend, i) => {
    const at = `backends.${i}`;
    const first = seen.get(backend.name);
    if (first !== undefined) c.error(`${at}.name`, `backend name "${backend.name}" is also used by backends.${first}`, 'give every backend its own name', 'backend-names-unique');
    else seen.set(backend.name, i);

    const kinds = targetKinds(backend);
    if (kinds.length === 0) {
      c.error(at, `backend "${backend.name}" has no target`, 'set exactly one of cloudRun, cloudFunction, appEngine, apiGateway (--backend NAME=run:SERVICE)', 'backend-target');
      return;
    }
    if (kinds.length > 1) {
      c.error(at, `backend "${backend.name}" sets ${kinds.join(' and ')}`, 'a serverless NEG points at exactly one kind of target: keep one, or split it into two backends', 'backend-target');
    }
    for (const kind of kinds) checkTarget(spec, backend, kind, at, c);
  });
}

function checkTarget(spec: Spec, backend: Backend, kind: TargetKind, at: string, c: Collector): void {
  const key = `${at}.${kind}`;
  if (!BACKEND_KINDS_BY_TYPE[spec.type].includes(kind)) {
    c.error(
      key,
      `${KIND_LABEL[kind]} backends are not supported by the ${LB_TYPE_INFO[spec.type].title}`,
      kind === 'cloudRun' ? 'choose another LB type' : 'use type global-external or classic, or serve it from Cloud Run',
      'backend-type',
    );
  }
  const checkName = (sub: string, value: string | undefined, reason: (v: string) => string | undefined) => {
    if (value === undefined) return;
    const why = reason(value);
    if (why) c.error(`${key}.${sub}`, `"${value}" ${why}`, 'use the name exactly as Google shows it', 'target-name');
  };
  const checkMask = (mask: string | undefined, maskKind: Exclude<TargetKind, 'apiGateway'>) => {
    if (mask === undefined) return;
    for (const why of urlMaskReasons(mask, maskKind)) c.error(`${key}.urlMask`, `URL mask "${mask}" ${why}`, 'a mask looks like "<service>.example.com" or "example.com/<service>"', 'url-mask');
  };
  switch (kind) {
    case 'cloudRun': {
      const target = backend.cloudRun!;
      if ((target.service === undefined) === (target.urlMask === undefined)) {
        c.error(key, target.service ? 'sets both service and urlMask' : 'needs service or urlMask', 'set exactly one of cloudRun.service and cloudRun.urlMask', 'backend-target');
      }
      if (target.tag !== undefined && target.urlMask !== undefined) {
        c.error(`${key}.tag`, 'tag goes with service, not with urlMask', 'put <tag> in the URL mask instead', 'backend-target');
      }
      checkName('tag', target.tag, (v) => lowerIdReason(v, 46));
      checkMask(target.urlMask, 'cloudRun');
      break;
    }
    case 'cloudFunction': {
      const target = backend.cloudFunction!;
      if ((target.function === undefined) === (target.urlMask === undefined)) {
        c.error(key, target.function ? 'sets both function and urlMask' : 'needs function or urlMask', 'set exactly one of cloudFunction.function and cloudFunction.urlMask', 'backend-target');
      }
      checkName('function', target.function, functionNameReason);
      checkMask(target.urlMask, 'cloudFunction');
      break;
    }
    case 'appEngine': {
      const target = backend.appEngine!;
      if (target.urlMask !== undefined && (target.service !== undefined || target.version !== undefined)) {
        c.error(key, 'sets urlMask together with service or version', 'use either the mask or service/version', 'backend-target');
      }
      checkName('service', target.service, appEngineIdReason);
      checkName('version', target.version, appEngineIdReason);
      checkMask(target.urlMask, 'appEngine');
      break;
    }
    case 'apiGateway':
      checkName('gateway', backend.apiGateway!.gateway, (v) => lowerIdReason(v));
      break;
  }
}

// ----------------------------------------------------------------------------------------- regions

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

function checkRegions(spec: Spec, c: Collector): void {
  const regional = isRegionalType(spec.type);
  if (spec.regions) {
    const dup = duplicates(spec.regions);
    if (dup.length) c.error('regions', `lists ${dup.join(', ')} more than once`, 'list each region once', 'neg-per-region');
  }
  if (regional) {
    if (!spec.region) c.error('region', `the ${LB_TYPE_INFO[spec.type].title} needs a region`, 'set region (--region europe-west1)', 'region-required');
    if (spec.regions && !(spec.regions.length === 1 && spec.regions[0] === spec.region)) {
      c.error('regions', `a ${spec.type} load balancer lives in one region`, 'remove regions and set region', 'regional-single-region');
    }
  }
  if (spec.type === 'cross-region-internal' && forwardingRuleRegions(spec).length === 0) {
    c.error('regions', 'a cross-region internal load balancer needs the regions of its forwarding rules', 'set regions (--regions europe-west1,us-central1)', 'region-required');
  }

  const appEngineRegions = new Map<string, number>();
  spec.backends.forEach((backend, i) => {
    const at = `backends.${i}`;
    const regions = negRegions(spec, backend);
    const kind = targetKinds(backend)[0];
    if (regions.length === 0) {
      c.error(`${at}.regions`, `backend "${backend.name}" has no region for its serverless NEG`, 'set region (or regions, or backends[].regions)', 'region-required');
      return;
    }
    const dup = duplicates(regions);
    if (dup.length) c.error(`${at}.regions`, `lists ${dup.join(', ')} more than once`, 'a backend has at most one serverless NEG per region', 'neg-per-region');
    if (regional && spec.region && (regions.length !== 1 || regions[0] !== spec.region)) {
      c.error(`${at}.regions`, `backend "${backend.name}" must be in ${spec.region}, the load balancer's region (a regional backend service takes exactly one NEG)`, 'remove backends[].regions or set it to the LB region', 'regional-single-region');
    }
    if (kind === 'appEngine') {
      if (regions.length > 1) {
        c.error(`${at}.regions`, 'App Engine exists in one region per project', 'give this backend a single region (the App Engine app\'s region)', 'app-engine-single-region');
      } else {
        for (const [region, j] of appEngineRegions) {
          if (region !== regions[0]) c.error(`${at}.regions`, `App Engine backends are in ${region} (backends.${j}) and ${regions[0]}`, 'a project has one App Engine app, in one region: use the same region', 'app-engine-single-region');
        }
        appEngineRegions.set(regions[0]!, i);
      }
    }
  });
}

// ----------------------------------------------------------------------------------------- routing

function checkRouting(spec: Spec, c: Collector, defaultWasFilled: boolean): void {
  const names = new Set(spec.backends.map((b) => b.name));
  const used = new Set<string>();
  const known = [...names].join(', ');
  const ref = (key: string, name: string | undefined) => {
    if (name === undefined) return;
    used.add(name);
    if (!names.has(name)) c.error(key, `no backend is named "${name}"`, `use one of: ${known}`, 'routing-backend-exists');
  };
  if (defaultWasFilled && spec.backends.length > 1) {
    c.warn('routing.defaultBackend', `not set: requests that match no rule go to the first backend, "${spec.backends[0]!.name}"`, 'set routing.defaultBackend (--default-backend NAME)', 'routing-default');
  }
  ref('routing.defaultBackend', spec.routing.defaultBackend);

  const hostOwner = new Map<string, number>();
  spec.routing.hosts.forEach((rule, i) => {
    const at = `routing.hosts.${i}`;
    rule.hosts.forEach((host, j) => {
      const why = hostReason(host);
      if (why) c.error(`${at}.hosts.${j}`, `host "${host}" ${why}`, 'write a host such as api.example.com or *.example.com', 'routing-host-syntax');
      const owner = hostOwner.get(host);
      if (owner !== undefined) {
        c.error(`${at}.hosts.${j}`, owner === i ? `host "${host}" is listed twice in this rule` : `host "${host}" is already in routing.hosts.${owner}`, 'a host may appear in one host rule only: merge the rules', 'routing-host-unique');
      } else hostOwner.set(host, i);
    });
    ref(`${at}.defaultBackend`, rule.defaultBackend);
    const pathOwner = new Set<string>();
    rule.paths.forEach((pathRule, k) => {
      ref(`${at}.paths.${k}.backend`, pathRule.backend);
      pathRule.paths.forEach((path, m) => {
        const why = pathReason(path);
        if (why) c.error(`${at}.paths.${k}.paths.${m}`, `path "${path}" ${why}`, 'write paths such as /api or /static/*', 'routing-path-syntax');
        if (pathOwner.has(path)) c.error(`${at}.paths.${k}.paths.${m}`, `path "${path}" appears twice for these hosts`, 'each path may appear once per host rule', 'routing-path-unique');
        pathOwner.add(path);
      });
    });
    if (spec.frontend.domains.length > 0) {
      for (const host of rule.hosts) {
        const name = host.replace(/:\d+$/, '');
        if (name === '*') continue;
        if (!spec.frontend.domains.some((d) => d === name || certificateNameCovers(d, name))) {
          c.warn(`${at}.hosts`, `host "${host}" is not among frontend.domains`, 'add it to frontend.domains (--domain) so DNS and the certificate cover it', 'routing-host-domain');
        }
      }
    }
  });
  spec.backends.forEach((backend, i) => {
    if (!used.has(backend.name)) c.warn(`backends.${i}`, `backend "${backend.name}" receives no traffic: no route or default points at it`, 'add a route to it (--route HOST[/PATH]=NAME) or remove it', 'routing-unused-backend');
  });
}

// ----------------------------------------------------------------------------------------- domains

function checkDomains(spec: Spec, c: Collector): void {
  const seen = new Set<string>();
  spec.frontend.domains.forEach((domain, i) => {
    const why = domainReason(domain);
    if (why) c.error(`frontend.domains.${i}`, `domain "${domain}" ${why}`, 'write a domain such as app.example.com', 'domain-syntax');
    if (seen.has(domain)) c.warn(`frontend.domains.${i}`, `domain "${domain}" is listed twice`, 'list each domain once', 'domain-syntax');
    seen.add(domain);
  });
}

// ---------------------------------------------------------------------------------------- frontend

function checkFrontend(spec: Spec, c: Collector, networkWasSet: boolean): void {
  const { frontend, type } = spec;
  const port = frontend.port!;
  if (type === 'classic') {
    const allowed = frontend.protocol === 'http' ? [80, 8080] : [443];
    if (!allowed.includes(port)) {
      c.error('frontend.port', `the classic load balancer's ${frontend.protocol === 'http' ? 'HTTP' : 'HTTPS'} listener takes port ${allowed.join(' or ')}, not ${port}`, `remove frontend.port or set ${allowed.join(' or ')}`, 'port');
    }
  }
  if (frontend.protocol === 'https-redirect' && port === 80) {
    c.error('frontend.port', 'https-redirect puts the HTTP redirect on port 80, so HTTPS cannot use port 80 too', 'use port 443 (the default)', 'port');
  }

  // Address
  const address = frontend.address;
  if (address.mode === 'existing' && !address.name) {
    c.error('frontend.address.name', 'an existing address needs its name', 'set frontend.address.name (--address-name NAME)', 'address');
  }
  if (address.mode === 'ephemeral' && address.name) {
    c.warn('frontend.address.name', 'is ignored with an ephemeral address', 'remove it, or use --address reserve to name a new static address', 'address');
  }
  if (address.ipVersion === 'IPV6' && !GLOBAL_EXTERNAL_TYPES.includes(type)) {
    c.error('frontend.address.ipVersion', `IPv6 frontends are supported here only for the global external and classic types, not ${type}`, 'use IPV4', 'address');
  }

  // Network tier
  if (address.networkTier === 'STANDARD') {
    if (type === 'global-external' || type === 'cross-region-internal' || type === 'regional-internal') {
      c.error(
        'frontend.address.networkTier',
        isInternalType(type) ? 'internal load balancers have no Standard tier' : 'the global external load balancer runs on the Premium tier only',
        type === 'global-external' ? 'use PREMIUM, or type classic or regional-external for the Standard tier' : 'use PREMIUM (the default)',
        'network-tier',
      );
    }
    if (type === 'classic') {
      if (!spec.region) c.error('region', 'a classic load balancer on the Standard tier has a regional address and forwarding rule', 'set region (the region of every backend)', 'network-tier');
      if (address.ipVersion === 'IPV6') c.error('frontend.address.ipVersion', 'Standard-tier addresses are IPv4 only', 'use IPV4 or the Premium tier', 'network-tier');
      spec.backends.forEach((backend, i) => {
        const regions = negRegions(spec, backend);
        if (spec.region && regions.some((r) => r !== spec.region)) {
          c.error(`backends.${i}.regions`, `on the Standard tier every backend must be in the forwarding rule's region ${spec.region} (backend "${backend.name}" is in ${regions.join(', ')})`, 'use the Premium tier for multi-region backends, or keep the backend in that region', 'network-tier');
        }
      });
    }
  }

  // Network and proxy-only subnets
  if (!usesNetwork(type)) {
    if (networkWasSet) c.warn('frontend.network', `is ignored by the ${LB_TYPE_INFO[type].title}`, 'remove frontend.network', 'network');
    return;
  }
  const network = frontend.network!;
  const proxy = network.proxyOnlySubnet;
  const needed = proxyOnlySubnetRegions(spec);
  const purpose = proxyOnlySubnetPurpose(type);
  const ranges = proxy.ranges ?? {};
  if (proxy.mode === 'existing' && proxy.ranges) {
    c.warn('frontend.network.proxyOnlySubnet.ranges', 'is ignored when the proxy-only subnet already exists (mode existing)', 'remove the ranges, or set mode create', 'proxy-only-subnet');
  }
  if (proxy.mode === 'create') {
    for (const region of needed) {
      if (ranges[region] === undefined) {
        c.error('frontend.network.proxyOnlySubnet.ranges', `creating a ${purpose} proxy-only subnet in ${region} needs its range`, `set frontend.network.proxyOnlySubnet.ranges.${region} (--proxy-only-subnet-range ${region}=10.129.0.0/23)`, 'proxy-only-subnet');
      }
    }
  }
  const parsed: [string, Cidr][] = [];
  for (const [region, range] of Object.entries(ranges)) {
    const key = `frontend.network.proxyOnlySubnet.ranges.${region}`;
    if (!/^[a-z]+-[a-z]+[0-9]+$/.test(region)) c.error(key, `"${region}" is not a region`, 'key the ranges by region, e.g. europe-west1: 10.129.0.0/23', 'proxy-only-subnet');
    else if (proxy.mode === 'create' && !needed.includes(region)) c.warn(key, `no forwarding rule is in ${region}, so no proxy-only subnet is created there`, `remove it, or add ${region} to regions`, 'proxy-only-subnet');
    const result = parseCidr(range);
    if ('reason' in result) {
      c.error(key, `"${range}" ${result.reason}`, 'use a private IPv4 range such as 10.129.0.0/23', 'cidr');
      continue;
    }
    const { prefix } = result.cidr;
    if (prefix > 26) c.error(key, `/${prefix} is too small for a proxy-only subnet`, 'use /26 or larger (/23 recommended)', 'cidr');
    else if (prefix > 23) c.warn(key, `/${prefix} leaves few proxy addresses; Google recommends /23`, 'use a /23 range if you can', 'cidr');
    for (const [other, otherCidr] of parsed) {
      if (cidrsOverlap(result.cidr, otherCidr)) c.error(key, `"${range}" overlaps the range of ${other}`, 'subnets of one VPC must not overlap, even in different regions', 'cidr');
    }
    parsed.push([region, result.cidr]);
  }
}

// ------------------------------------------------------------------------------------- certificate

const CERT_NAME_PATH = /^projects\/[^/]+\/locations\/[^/]+\/certificate(s|Maps)\/[^/]+$/;

function checkCertificate(spec: Spec, c: Collector, io: SpecIo): void {
  const { certificate, type, frontend } = spec;
  const https = frontend.protocol !== 'http';
  if (!certificate) {
    if (https) c.error('certificate', `${frontend.protocol} needs a certificate`, type === 'global-external' || type === 'classic' ? 'set certificate (--certificate managed --domain app.example.com)' : 'set certificate (--certificate self-managed or certificate-manager)', 'protocol-certificate');
    return;
  }
  if (!https) {
    c.warn('certificate', 'is ignored with protocol http', 'use protocol https or https-redirect, or remove certificate', 'protocol-certificate');
    return;
  }
  const globalExternal = GLOBAL_EXTERNAL_TYPES.includes(type);
  switch (certificate.type) {
    case 'managed': {
      if (!globalExternal) {
        c.error('certificate.type', `Google-managed compute certificates are global and work only with the global external and classic types, not ${type}`, isRegionalType(type) ? 'use self-managed, existing (regional) or certificate-manager certificates' : 'use certificate-manager certificates', 'certificate-type');
      }
      const key = certificate.domains ? 'certificate.domains' : 'frontend.domains';
      const domains = certificate.domains ?? frontend.domains;
      if (domains.length === 0) c.error(key, 'a Google-managed certificate needs at least one domain', 'set frontend.domains (--domain app.example.com)', 'managed-certificate');
      if (domains.length > 100) c.error(key, `a Google-managed certificate holds at most 100 domains, not ${domains.length}`, 'split the domains over several certificates (certificate-manager) or remove some', 'managed-certificate');
      domains.forEach((domain, i) => {
        if (domain.includes('*')) c.error(`${key}.${i}`, `Google-managed compute certificates cannot hold wildcard domains ("${domain}")`, 'list the host names, or use a Certificate Manager certificate with DNS authorization', 'managed-certificate');
        else if (certificate.domains) {
          const why = domainReason(domain);
          if (why) c.error(`${key}.${i}`, `domain "${domain}" ${why}`, 'write a domain such as app.example.com', 'domain-syntax');
        }
      });
      if (certificate.domains) {
        for (const domain of frontend.domains) {
          if (!certificate.domains.includes(domain)) c.warn('certificate.domains', `frontend domain "${domain}" is not on the managed certificate`, 'add it to certificate.domains, or remove certificate.domains to use frontend.domains', 'certificate-domains');
        }
        for (const domain of certificate.domains) {
          if (!frontend.domains.includes(domain)) c.warn('certificate.domains', `"${domain}" is on the certificate but not in frontend.domains: it becomes ACTIVE only once its DNS points at the load balancer`, 'add it to frontend.domains so its DNS record is managed and verified', 'certificate-domains');
        }
      }
      break;
    }
    case 'self-managed': {
      if (type === 'cross-region-internal') {
        c.error('certificate.type', 'the cross-region internal load balancer takes only Certificate Manager certificates', 'upload it to Certificate Manager and use certificate-manager', 'certificate-type');
      }
      if (frontend.domains.length === 0) c.warn('frontend.domains', 'no domains: nothing checks that the certificate covers the names clients use', 'set frontend.domains (--domain)', 'certificate-domains');
      if (io.readFile) {
        const findings = checkCertificateFiles(certificate.certificateFile, certificate.privateKeyFile, frontend.domains, {
          readFile: io.readFile,
          ...(io.now ? { now: io.now } : {}),
        });
        for (const f of findings) c.add(f.severity, `certificate.${f.on}`, f.message, f.hint, 'certificate-files');
      } else {
        for (const on of ['certificateFile', 'privateKeyFile'] as const) {
          if (looksLikeInlineContent(certificate[on])) c.error(`certificate.${on}`, 'must be the path of a PEM file, not its contents', 'save it to a file and give its path', 'certificate-files');
        }
      }
      break;
    }
    case 'existing': {
      if (type === 'cross-region-internal') {
        c.error('certificate.type', 'the cross-region internal load balancer takes only Certificate Manager certificates', 'use certificate-manager', 'certificate-type');
      }
      const dup = duplicates(certificate.names);
      if (dup.length) c.error('certificate.names', `lists ${dup.join(', ')} twice`, 'list each certificate once', 'certificate-type');
      break;
    }
    case 'certificate-manager': {
      const hasCerts = certificate.certificates !== undefined;
      const hasMap = certificate.certificateMap !== undefined;
      if (hasCerts === hasMap) {
        c.error('certificate', hasCerts ? 'sets both certificates and certificateMap' : 'needs certificates or certificateMap', globalExternal ? 'set certificateMap (--certificate-map NAME)' : 'set certificates (--certificate-manager-certificate NAME)', 'certificate-manager');
      }
      if (hasMap && !globalExternal) {
        c.error('certificate.certificateMap', `certificate maps work only with the global external and classic types, not ${type}`, 'reference the certificates directly with certificate.certificates', 'certificate-manager');
      }
      if (hasCerts && globalExternal) {
        c.error('certificate.certificates', `the ${LB_TYPE_INFO[type].title} cannot reference Certificate Manager certificates directly`, 'put them in a certificate map and set certificate.certificateMap', 'certificate-manager');
      }
      certificate.certificates?.forEach((name, i) => {
        if (!CERT_NAME_PATH.test(name) && lowerIdReason(name)) c.error(`certificate.certificates.${i}`, `"${name}" is not a Certificate Manager certificate name`, 'use its name, or projects/P/locations/L/certificates/NAME', 'certificate-manager');
      });
      if (certificate.certificateMap !== undefined && !CERT_NAME_PATH.test(certificate.certificateMap) && lowerIdReason(certificate.certificateMap)) {
        c.error('certificate.certificateMap', `"${certificate.certificateMap}" is not a certificate map name`, 'use its name, or projects/P/locations/global/certificateMaps/NAME', 'certificate-manager');
      }
      break;
    }
  }
}

// --------------------------------------------------------------------------------------- CDN, IAP

function checkCdnIap(spec: Spec, c: Collector, io: SpecIo): void {
  const globalExternal = GLOBAL_EXTERNAL_TYPES.includes(spec.type);
  if (spec.options.cdn.enabled && !globalExternal) {
    c.error('options.cdn.enabled', `Cloud CDN works only with the global external and classic types, not ${spec.type}`, 'turn CDN off (--no-cdn) or use type global-external', 'cdn');
  }
  let anyIap = false;
  spec.backends.forEach((backend, i) => {
    const features = backendFeatures(spec, backend);
    anyIap ||= features.iap;
    if (backend.cdn && !globalExternal) {
      c.error(`backends.${i}.cdn`, `Cloud CDN works only with the global external and classic types, not ${spec.type}`, 'remove cdn from this backend', 'cdn');
    }
    if (features.cdn && features.iap) {
      c.error(backend.cdn !== undefined ? `backends.${i}.cdn` : backend.iap !== undefined ? `backends.${i}.iap` : 'options.cdn.enabled', `backend "${backend.name}" has both Cloud CDN and IAP`, 'Cloud CDN cannot serve a backend behind IAP: turn one of them off for this backend', 'cdn-iap');
    }
    if (features.iap && spec.type === 'cross-region-internal' && negRegions(spec, backend).length > 1) {
      c.error(`backends.${i}.regions`, `with IAP, a cross-region internal backend service takes exactly one NEG; "${backend.name}" has ${negRegions(spec, backend).length}`, 'give this backend one region, or turn IAP off for it', 'iap');
    }
  });

  const iap = spec.options.iap;
  const secretSet = iap.oauth2ClientSecretFile !== undefined || iap.oauth2ClientSecretEnv !== undefined;
  if (!anyIap) {
    if (iap.oauth2ClientId !== undefined || secretSet) c.warn('options.iap', 'an OAuth client is set but no backend uses IAP', 'turn IAP on (--iap) or remove the OAuth client', 'iap');
    return;
  }
  if (iap.oauth2ClientSecretFile !== undefined && iap.oauth2ClientSecretEnv !== undefined) {
    c.error('options.iap.oauth2ClientSecretFile', 'sets both a secret file and a secret variable', 'keep one of oauth2ClientSecretFile and oauth2ClientSecretEnv', 'iap');
  }
  if (iap.oauth2ClientId !== undefined && !secretSet) {
    c.error('options.iap.oauth2ClientSecretFile', 'an OAuth client id needs its secret', 'set oauth2ClientSecretFile (--iap-client-secret-file) or oauth2ClientSecretEnv (--iap-client-secret-env)', 'iap');
  }
  if (iap.oauth2ClientId === undefined && secretSet) {
    c.error('options.iap.oauth2ClientId', 'an OAuth client secret needs its client id', 'set oauth2ClientId (--iap-client-id)', 'iap');
  }
  if (iap.oauth2ClientId === undefined && !secretSet) {
    c.warn('options.iap', 'no OAuth client: IAP uses the Google-managed OAuth client, which admits only users of your organization', 'set oauth2ClientId and a secret file or variable for your own OAuth client', 'iap');
  }
  if (iap.oauth2ClientId !== undefined && !/\.apps\.googleusercontent\.com$/.test(iap.oauth2ClientId)) {
    c.warn('options.iap.oauth2ClientId', 'does not look like an OAuth client id (NUMBER-ID.apps.googleusercontent.com)', 'copy the client id from the Google Auth Platform page', 'iap');
  }
  const file = iap.oauth2ClientSecretFile;
  if (file !== undefined) {
    if (looksLikeInlineContent(file) || /^GOCSPX-/.test(file)) {
      c.error('options.iap.oauth2ClientSecretFile', 'must be the path of a file that holds the secret, not the secret itself', 'save the secret to a file and give its path, or use oauth2ClientSecretEnv', 'secret-inline');
    } else if (io.readFile) {
      const problem = checkSecretFile(file, { readFile: io.readFile });
      if (problem) c.error('options.iap.oauth2ClientSecretFile', problem.message, problem.hint, 'iap');
    }
  }
  const variable = iap.oauth2ClientSecretEnv;
  if (variable !== undefined && io.env && !io.env(variable)) {
    c.error('options.iap.oauth2ClientSecretEnv', `the environment variable ${variable} is not set`, `export ${variable} with the OAuth client secret before running`, 'iap');
  }
}

// ------------------------------------------------------------------------------------- Cloud Armor

const RATE_LIMIT_ACTIONS = ['throttle', 'rate_based_ban'];
const ARMOR_TYPES: readonly LbType[] = ['global-external', 'classic', 'regional-external', 'regional-internal'];

function checkCloudArmor(spec: Spec, c: Collector): void {
  const armor = spec.options.cloudArmor;
  if (!armor) {
    spec.backends.forEach((backend, i) => {
      if (backend.cloudArmor) c.error(`backends.${i}.cloudArmor`, `backend "${backend.name}" asks for Cloud Armor but no policy is configured`, 'set options.cloudArmor (--security-policy NAME or --rate-limit COUNT/INTERVAL)', 'cloud-armor');
    });
    return;
  }
  if (!ARMOR_TYPES.includes(spec.type)) {
    c.error('options.cloudArmor', `Cloud Armor policies cannot be attached to the ${LB_TYPE_INFO[spec.type].title}`, 'remove options.cloudArmor, or use another LB type', 'cloud-armor');
  }
  if (armor.existingPolicy !== undefined && armor.rules !== undefined) {
    c.error('options.cloudArmor', 'sets both existingPolicy and rules', 'attach an existing policy (--security-policy) or create one from rules, not both', 'cloud-armor');
  }
  if (spec.backends.every((b) => !backendFeatures(spec, b).cloudArmor)) {
    c.warn('options.cloudArmor', 'every backend opts out of Cloud Armor', 'remove options.cloudArmor, or set cloudArmor on a backend', 'cloud-armor');
  }
  const priorities = new Map<number, number>();
  armor.rules?.forEach((rule, i) => {
    const at = `options.cloudArmor.rules.${i}`;
    const other = priorities.get(rule.priority);
    if (other !== undefined) c.error(`${at}.priority`, `priority ${rule.priority} is also used by rules.${other}`, 'give every rule its own priority', 'armor-priority-unique');
    else priorities.set(rule.priority, i);
    const rateLimited = RATE_LIMIT_ACTIONS.includes(rule.action);
    if (rateLimited && !rule.rateLimit) c.error(`${at}.rateLimit`, `action ${rule.action} needs rateLimit`, 'set rateLimit.count and rateLimit.intervalSec', 'armor-rate-limit');
    if (!rateLimited && rule.rateLimit) c.error(`${at}.rateLimit`, `action ${rule.action} takes no rateLimit`, 'remove rateLimit, or use action throttle or rate_based_ban', 'armor-rate-limit');
    if (rule.rateLimit?.banDurationSec !== undefined && rule.action !== 'rate_based_ban') {
      c.error(`${at}.rateLimit.banDurationSec`, `banDurationSec applies only to rate_based_ban, not ${rule.action}`, 'remove banDurationSec, or use action rate_based_ban', 'armor-ban-duration');
    }
    if (rule.rateLimit) {
      const needsName = rule.rateLimit.enforceOnKey === 'HTTP_HEADER' || rule.rateLimit.enforceOnKey === 'HTTP_COOKIE';
      if (needsName && !rule.rateLimit.enforceOnKeyName) c.error(`${at}.rateLimit.enforceOnKeyName`, `enforceOnKey ${rule.rateLimit.enforceOnKey} needs the header or cookie name`, 'set rateLimit.enforceOnKeyName', 'armor-enforce-key');
      if (!needsName && rule.rateLimit.enforceOnKeyName) c.error(`${at}.rateLimit.enforceOnKeyName`, `is used only with HTTP_HEADER and HTTP_COOKIE, not ${rule.rateLimit.enforceOnKey}`, 'remove enforceOnKeyName', 'armor-enforce-key');
    }
    const hasRanges = rule.srcIpRanges !== undefined;
    const hasExpr = rule.expression !== undefined;
    if (hasRanges === hasExpr) c.error(at, hasRanges ? 'sets both srcIpRanges and expression' : 'needs srcIpRanges or expression', 'match on source ranges (["*"] for every client) or on a CEL expression, one of the two', 'armor-match');
    rule.srcIpRanges?.forEach((range, j) => {
      const why = srcIpRangeReason(range);
      if (why) c.error(`${at}.srcIpRanges.${j}`, `"${range}" ${why}`, 'use CIDR ranges such as 203.0.113.0/24, or "*"', 'armor-match');
    });
  });
}

// --------------------------------------------------------------------------- outlier, keepalive

const OUTLIER_TYPES: readonly LbType[] = ['global-external', 'cross-region-internal'];
const SUCCESS_RATE_FIELDS = ['successRateMinimumHosts', 'successRateRequestVolume', 'successRateStdevFactor', 'enforcingSuccessRate'] as const;

function checkOutlierDetection(spec: Spec, c: Collector): void {
  const outlier = spec.options.outlierDetection;
  if (!outlier) return;
  if (!OUTLIER_TYPES.includes(spec.type)) {
    c.error('options.outlierDetection', `outlier detection with serverless NEGs works only with the global external and cross-region internal types, not ${spec.type}`, 'remove options.outlierDetection', 'outlier-detection');
  }
  if (spec.backends.some((b) => backendFeatures(spec, b).iap)) {
    c.error('options.outlierDetection', 'outlier detection cannot be used with IAP', 'turn IAP off, or remove options.outlierDetection', 'outlier-detection');
  }
  for (const field of SUCCESS_RATE_FIELDS) {
    if (outlier[field] !== undefined) c.error(`options.outlierDetection.${field}`, 'success-rate outlier detection does not work with serverless NEGs', `remove ${field}`, 'outlier-detection');
  }
}

function checkKeepAlive(spec: Spec, c: Collector): void {
  const value = spec.options.httpKeepAliveTimeoutSec;
  if (value === undefined) return;
  const range = keepAliveRange(spec.type);
  if (!range) {
    c.error('options.httpKeepAliveTimeoutSec', 'the classic load balancer has a fixed keepalive timeout', 'remove options.httpKeepAliveTimeoutSec', 'keepalive');
  } else if (value < range.min || value > range.max) {
    c.error('options.httpKeepAliveTimeoutSec', `must be ${range.min}-${range.max} seconds for ${spec.type}, not ${value}`, `use a value in range (default ${range.default})`, 'keepalive');
  }
}

// ------------------------------------------------------------------------------------ ingress, DNS

function checkIngress(spec: Spec, c: Collector): void {
  const ingress = spec.options.ingress;
  const external = !isInternalType(spec.type);
  const namedCloudRun = spec.backends.some((b) => b.cloudRun?.service !== undefined);
  if (ingress === 'internal' && external) {
    c.error('options.ingress', 'Cloud Run ingress "internal" refuses traffic from external load balancers: the LB would answer 404 for every request', 'use auto or internal-and-cloud-load-balancing', 'ingress');
  }
  if (ingress === 'unchanged' && external && namedCloudRun) {
    c.warn('options.ingress', 'Cloud Run ingress stays as it is: if it allows all traffic, the run.app URL bypasses the load balancer, Cloud Armor and IAP', 'use auto to restrict ingress to the load balancer', 'ingress');
  }
  if (ingress !== 'unchanged') {
    spec.backends.forEach((backend, i) => {
      if (backend.cloudRun?.urlMask !== undefined) {
        c.warn(`backends.${i}.cloudRun.urlMask`, `the services behind URL mask "${backend.cloudRun.urlMask}" are not known in advance, so their ingress is not set`, 'set the ingress of each of those services yourself (gcloud run services update --ingress)', 'ingress');
      }
    });
  }
}

function checkDns(spec: Spec, c: Collector): void {
  if (!spec.dns) return;
  const why = lowerIdReason(spec.dns.managedZone);
  if (why) c.error('dns.managedZone', `"${spec.dns.managedZone}" ${why}`, 'use the managed zone\'s name (gcloud dns managed-zones list), not its DNS name', 'dns');
  if (spec.frontend.domains.length === 0) {
    c.warn('dns.managedZone', 'no frontend.domains, so no DNS record is created', 'set frontend.domains (--domain) or remove dns', 'dns');
  }
}
