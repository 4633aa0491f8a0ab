/**
 * The plan as a gcloud script: the commands Google's own load-balancing guides would have you type
 * for this topology, in the graph's creation order.
 *
 * Contract:
 * - The script starts with `#!/usr/bin/env bash` and `set -euo pipefail`, passes `--project` to
 *   every command, and runs as is with `bash` (every value goes through `shellQuote`).
 * - Only managed resources are created; existing ones (managed=false) are named in a comment and
 *   referenced by name.
 * - Secrets never appear: an OAuth client secret or private key is read when the script runs, from
 *   the file (`"$(cat -- FILE)"`) or the environment variable (`"${VAR}"`) the plan names.
 * - The ownership mark travels in `--description` (and labels where a gcloud command can set them).
 *
 * Pure: no I/O.
 */
import { stringify as toYaml } from 'yaml';
import {
  isFileRef,
  isOutputRef,
  isSecretRef,
  type DesiredGraph,
  type DesiredResource,
  type SecretRef,
} from './resource-model.js';
import {
  KIND_WORDS,
  num,
  obj,
  objects,
  parseCertManagerRef,
  regionOfResource,
  resolveRef,
  str,
  stringMap,
  strings,
} from './render-export-refs.js';

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes `value` as one bash word: bare when it is plainly safe, single-quoted otherwise. */
export function shellQuote(value: string): string {
  if (value.length > 0 && SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEREDOC_END = 'SERVERLESS_LB_YAML';

/** gcloud's spelling of Cloud Run v2 ingress values. */
const RUN_INGRESS: Record<string, string> = {
  INGRESS_TRAFFIC_ALL: 'all',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'internal',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'internal-and-cloud-load-balancing',
};

/** A word of a command: `literal` values are quoted, `raw` ones are shell expressions already. */
type Word = { literal: string } | { raw: string };

interface Command {
  /** The command words before the flags (`gcloud compute addresses create NAME`). */
  head: Word[];
  flags: Word[];
  /** A YAML document fed on stdin through a quoted heredoc (nothing in it is expanded). */
  stdin?: string;
}

const lit = (literal: string): Word => ({ literal });
const raw = (value: string): Word => ({ raw: value });
const flag = (name: string, value: string | number): Word => ({ raw: `--${name}=${shellQuote(String(value))}` });
const bare = (name: string): Word => ({ raw: `--${name}` });

function wordText(word: Word): string {
  return 'literal' in word ? shellQuote(word.literal) : word.raw;
}

/** Collects the script's lines, and the run-time variables (secrets, addresses) it defines. */
class Script {
  readonly lines: string[] = [];
  private readonly vars = new Map<string, string>();
  private readonly usedNames = new Set<string>();

  constructor(readonly graph: DesiredGraph) {}

  comment(text: string): void {
    for (const line of text.split('\n')) this.lines.push(`# ${line}`.trimEnd());
  }

  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  command(project: string, cmd: Command): void {
    const head = cmd.head.map(wordText).join(' ');
    const flags = [...cmd.flags.map(wordText), `--project=${shellQuote(project)}`];
    const text = [head, ...flags.map((f) => `    ${f}`)].join(' \\\n');
    if (cmd.stdin === undefined) {
      this.lines.push(text);
      return;
    }
    if (cmd.stdin.split('\n').some((line) => line === HEREDOC_END)) {
      throw new Error(`a document fed to ${head} contains the heredoc delimiter ${HEREDOC_END}`);
    }
    this.lines.push(`${text} <<'${HEREDOC_END}'`, ...cmd.stdin.replace(/\n$/, '').split('\n'), HEREDOC_END);
  }

  /** A shell variable holding the value of `expression`, defined once (reused by key). */
  variable(key: string, stem: string, expression: string): string {
    const known = this.vars.get(key);
    if (known) return known;
    let name = stem.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
    for (let i = 2; this.usedNames.has(name); i++) name = `${stem}_${i}`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
    this.usedNames.add(name);
    this.vars.set(key, name);
    this.lines.push(`${name}="${expression}"`);
    return name;
  }

  /** A double-quoted shell expression giving the secret at run time; its value is never in the script. */
  secret(ref: SecretRef, stem: string): string {
    const { env, file, what } = ref.$secret;
    if (env !== undefined) {
      if (!ENV_NAME.test(env)) throw new Error(`${what}: ${JSON.stringify(env)} is not an environment variable name`);
      const message = `set ${env} to the ${what}`.replace(/[^A-Za-z0-9 _.,()-]/g, ' ');
      return `"\${${env}:?${message}}"`;
    }
    if (file !== undefined) {
      const name = this.variable(`secret:file:${file}`, stem, `$(cat -- ${shellQuote(file)})`);
      return `"\${${name}}"`;
    }
    throw new Error(`${what}: the secret names neither a file nor an environment variable`);
  }

  /** A file path usable as a command argument for a secret that gcloud reads from a file. */
  secretFile(ref: SecretRef): Word {
    const { env, file, what } = ref.$secret;
    if (file !== undefined) return lit(file);
    if (env !== undefined) {
      if (!ENV_NAME.test(env)) throw new Error(`${what}: ${JSON.stringify(env)} is not an environment variable name`);
      return raw(`<(printf '%s\\n' "\${${env}:?set ${env} to the ${what.replace(/[^A-Za-z0-9 _.,()-]/g, ' ')}}")`);
    }
    throw new Error(`${what}: the secret names neither a file nor an environment variable`);
  }
}

/** `--global` or `--region=R` for a resource of the graph. */
function scopeFlag(resource: DesiredResource): Word {
  const region = regionOfResource(resource);
  return region ? flag('region', region) : bare('global');
}

function descriptionFlag(body: Record<string, unknown>): Word[] {
  const description = str(body, 'description');
  return description ? [flag('description', description)] : [];
}

function labelsValue(labels: Record<string, string>): string | undefined {
  const entries = Object.entries(labels);
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** The name in a reference, checked to be one (a path or a bare name). */
function refName(graph: DesiredGraph, value: string): string {
  return resolveRef(graph, value)?.name ?? value.split('/').pop() ?? value;
}

/** Cloud Armor action in gcloud's spelling: `deny(403)` -> `deny-403`, `rate_based_ban` -> `rate-based-ban`. */
export function gcloudArmorAction(action: string): string {
  const deny = /^deny\((\d{3})\)$/.exec(action);
  if (deny) return `deny-${deny[1]}`;
  return action.replace(/_/g, '-');
}

/** Refuses to put a secret or file placeholder into a document the script inlines. */
function assertInlineable(value: unknown, where: string): void {
  if (isSecretRef(value)) throw new Error(`${where}: a secret cannot be written into the script`);
  if (isFileRef(value) || isOutputRef(value)) throw new Error(`${where}: a run-time value cannot be inlined`);
  if (Array.isArray(value)) value.forEach((v) => assertInlineable(v, where));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => assertInlineable(v, where));
}

function yamlDocument(body: Record<string, unknown>, where: string): string {
  assertInlineable(body, where);
  return toYaml(body, { lineWidth: 0 });
}

type Renderer = (s: Script, r: DesiredResource) => void;

const gcloud = (...words: string[]): Word[] => ['gcloud', ...words].map(lit);

const renderNetwork: Renderer = (s, r) => {
  const auto = r.body.autoCreateSubnetworks === true;
  s.command(r.project, {
    head: gcloud('compute', 'networks', 'create', r.name),
    flags: [flag('subnet-mode', auto ? 'auto' : 'custom'), ...descriptionFlag(r.body)],
  });
};

const renderSubnetwork: Renderer = (s, r) => {
  const b = r.body;
  const network = str(b, 'network');
  const flags: Word[] = [];
  if (network) flags.push(flag('network', refName(s.graph, network)));
  const region = regionOfResource(r);
  if (region) flags.push(flag('region', region));
  const range = str(b, 'ipCidrRange');
  if (range) flags.push(flag('range', range));
  const purpose = str(b, 'purpose');
  if (purpose) flags.push(flag('purpose', purpose));
  const role = str(b, 'role');
  if (role) flags.push(flag('role', role));
  flags.push(...descriptionFlag(b));
  s.command(r.project, { head: gcloud('compute', 'networks', 'subnets', 'create', r.name), flags });
};

const renderAddress: Renderer = (s, r) => {
  const b = r.body;
  const flags: Word[] = [scopeFlag(r)];
  const subnetwork = str(b, 'subnetwork');
  if (subnetwork) flags.push(flag('subnet', refName(s.graph, subnetwork)));
  else {
    const network = str(b, 'network');
    if (network) flags.push(flag('network', refName(s.graph, network)));
  }
  const address = str(b, 'address');
  if (address) flags.push(flag('addresses', address));
  else {
    const ipVersion = str(b, 'ipVersion');
    if (ipVersion) flags.push(flag('ip-version', ipVersion));
  }
  const tier = str(b, 'networkTier');
  if (tier && r.scope !== 'global') flags.push(flag('network-tier', tier));
  const purpose = str(b, 'purpose');
  if (purpose) flags.push(flag('purpose', purpose));
  flags.push(...descriptionFlag(b));
  s.command(r.project, { head: gcloud('compute', 'addresses', 'create', r.name), flags });
  const labels = labelsValue(stringMap(b, 'labels'));
  if (labels) {
    s.command(r.project, {
      head: gcloud('beta', 'compute', 'addresses', 'update', r.name),
      flags: [scopeFlag(r), flag('update-labels', labels)],
    });
  }
};

const renderSslCertificate: Renderer = (s, r) => {
  const b = r.body;
  const flags: Word[] = [];
  const managed = obj(b, 'managed');
  if (str(b, 'type') === 'MANAGED' || managed) {
    flags.push(flag('domains', strings(managed, 'domains').join(',')));
  } else {
    const certificate = b.certificate;
    const privateKey = b.privateKey;
    if (isFileRef(certificate)) flags.push(flag('certificate', certificate.$file));
    else if (typeof certificate === 'string') {
      throw new Error(`${r.id}: the certificate must be a file reference, not inline PEM`);
    }
    if (isSecretRef(privateKey)) flags.push(raw(`--private-key=${wordText(s.secretFile(privateKey))}`));
    else if (privateKey !== undefined) throw new Error(`${r.id}: the private key must be a secret reference`);
  }
  flags.push(scopeFlag(r), ...descriptionFlag(b));
  s.command(r.project, { head: gcloud('compute', 'ssl-certificates', 'create', r.name), flags });
};

const DEFAULT_RULE_PRIORITY = 2147483647;

function armorRuleFlags(rule: Record<string, unknown>): Word[] {
  const flags: Word[] = [];
  const match = obj(rule, 'match');
  const ranges = strings(obj(match, 'config'), 'srcIpRanges');
  const expression = str(obj(match, 'expr'), 'expression');
  if (expression) flags.push(flag('expression', expression));
  else if (ranges.length > 0) flags.push(flag('src-ip-ranges', ranges.join(',')));
  const description = str(rule, 'description');
  if (description) flags.push(flag('description', description));
  if (rule.preview === true) flags.push(bare('preview'));
  const rate = obj(rule, 'rateLimitOptions');
  if (rate) {
    const threshold = obj(rate, 'rateLimitThreshold');
    const count = num(threshold, 'count');
    const interval = num(threshold, 'intervalSec');
    if (count !== undefined) flags.push(flag('rate-limit-threshold-count', count));
    if (interval !== undefined) flags.push(flag('rate-limit-threshold-interval-sec', interval));
    const conform = str(rate, 'conformAction');
    if (conform) flags.push(flag('conform-action', conform));
    const exceed = str(rate, 'exceedAction');
    if (exceed) flags.push(flag('exceed-action', gcloudArmorAction(exceed)));
    const key = str(rate, 'enforceOnKey');
    if (key) flags.push(flag('enforce-on-key', key.toLowerCase().replace(/_/g, '-')));
    const keyName = str(rate, 'enforceOnKeyName');
    if (keyName) flags.push(flag('enforce-on-key-name', keyName));
    const ban = num(rate, 'banDurationSec');
    if (ban !== undefined) flags.push(flag('ban-duration-sec', ban));
    const banThreshold = obj(rate, 'banThreshold');
    const banCount = num(banThreshold, 'count');
    const banInterval = num(banThreshold, 'intervalSec');
    if (banCount !== undefined) flags.push(flag('ban-threshold-count', banCount));
    if (banInterval !== undefined) flags.push(flag('ban-threshold-interval-sec', banInterval));
  }
  return flags;
}

const renderSecurityPolicy: Renderer = (s, r) => {
  const b = r.body;
  const region = regionOfResource(r);
  const flags: Word[] = [];
  const type = str(b, 'type');
  if (type) flags.push(flag('type', type));
  flags.push(scopeFlag(r), ...descriptionFlag(b));
  s.command(r.project, { head: gcloud('compute', 'security-policies', 'create', r.name), flags });
  if (Object.keys(stringMap(b, 'labels')).length > 0) {
    s.comment('(gcloud sets no labels on security policies: the description carries the ownership mark)');
  }
  const regionFlags = region ? [flag('region', region)] : [];
  for (const rule of objects(b, 'rules')) {
    const priority = num(rule, 'priority');
    const action = str(rule, 'action');
    if (priority === undefined || !action) continue;
    if (priority === DEFAULT_RULE_PRIORITY) {
      // The policy is created with a default rule that allows everything; change it only if needed.
      if (action === 'allow') continue;
      s.command(r.project, {
        head: gcloud('compute', 'security-policies', 'rules', 'update', String(priority)),
        flags: [flag('security-policy', r.name), flag('action', gcloudArmorAction(action)), ...regionFlags],
      });
      continue;
    }
    s.command(r.project, {
      head: gcloud('compute', 'security-policies', 'rules', 'create', String(priority)),
      flags: [flag('security-policy', r.name), flag('action', gcloudArmorAction(action)), ...armorRuleFlags(rule), ...regionFlags],
    });
  }
};

const renderNeg: Renderer = (s, r) => {
  const b = r.body;
  const region = regionOfResource(r);
  const flags: Word[] = [];
  if (region) flags.push(flag('region', region));
  flags.push(flag('network-endpoint-type', String(str(b, 'networkEndpointType') ?? 'SERVERLESS').toLowerCase()));
  let beta = false;
  const run = obj(b, 'cloudRun');
  const appEngine = obj(b, 'appEngine');
  const fn = obj(b, 'cloudFunction');
  const deployment = obj(b, 'serverlessDeployment');
  if (run) {
    const service = str(run, 'service');
    const tag = str(run, 'tag');
    const mask = str(run, 'urlMask');
    if (service) flags.push(flag('cloud-run-service', service));
    if (tag) flags.push(flag('cloud-run-tag', tag));
    if (mask) flags.push(flag('cloud-run-url-mask', mask));
  } else if (appEngine) {
    const service = str(appEngine, 'service');
    const version = str(appEngine, 'version');
    const mask = str(appEngine, 'urlMask');
    if (!service && !version && !mask) flags.push(bare('app-engine-app'));
    if (service) flags.push(flag('app-engine-service', service));
    if (version) flags.push(flag('app-engine-version', version));
    if (mask) flags.push(flag('app-engine-url-mask', mask));
  } else if (fn) {
    const name = str(fn, 'function');
    const mask = str(fn, 'urlMask');
    if (name) flags.push(flag('cloud-function-name', name));
    if (mask) flags.push(flag('cloud-function-url-mask', mask));
  } else if (deployment) {
    // API Gateway NEGs are set up through gcloud's beta track (the GA command has no flags for them).
    beta = true;
    const platform = str(deployment, 'platform');
    const resource = str(deployment, 'resource');
    const version = str(deployment, 'version');
    const mask = str(deployment, 'urlMask');
    if (platform) flags.push(flag('serverless-deployment-platform', platform));
    if (resource) flags.push(flag('serverless-deployment-resource', resource));
    if (version) flags.push(flag('serverless-deployment-version', version));
    if (mask) flags.push(flag('serverless-deployment-url-mask', mask));
  }
  if (str(b, 'description')) {
    s.comment('(gcloud sets no description on network endpoint groups: its name ties it to the load balancer)');
  }
  const head = beta
    ? gcloud('beta', 'compute', 'network-endpoint-groups', 'create', r.name)
    : gcloud('compute', 'network-endpoint-groups', 'create', r.name);
  s.command(r.project, { head, flags });
};

const renderBackendService: Renderer = (s, r) => {
  const b = r.body;
  const cdn = obj(b, 'cdnPolicy');
  const iap = obj(b, 'iap');
  const securityPolicy = str(b, 'securityPolicy');

  if (obj(b, 'outlierDetection')) {
    // gcloud has no flags for outlier detection; Google's guide imports the backend service as YAML.
    const document: Record<string, unknown> = { ...b, name: r.name };
    delete document.iap;
    delete document.securityPolicy;
    s.command(r.project, {
      head: gcloud('compute', 'backend-services', 'import', r.name),
      flags: [scopeFlag(r), bare('quiet')],
      stdin: yamlDocument(document, r.id),
    });
  } else {
    const flags: Word[] = [scopeFlag(r)];
    const scheme = str(b, 'loadBalancingScheme');
    if (scheme) flags.push(flag('load-balancing-scheme', scheme));
    const protocol = str(b, 'protocol');
    if (protocol) flags.push(flag('protocol', protocol));
    const portName = str(b, 'portName');
    if (portName) flags.push(flag('port-name', portName));
    const log = obj(b, 'logConfig');
    if (log?.enable === true) {
      flags.push(bare('enable-logging'));
      const rate = num(log, 'sampleRate');
      if (rate !== undefined) flags.push(flag('logging-sample-rate', rate));
    }
    flags.push(...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'backend-services', 'create', r.name), flags });

    for (const backend of objects(b, 'backends')) {
      const group = str(backend, 'group');
      if (!group) continue;
      const ref = resolveRef(s.graph, group);
      const negFlags: Word[] = [flag('network-endpoint-group', ref?.name ?? group)];
      if (ref?.region) negFlags.push(flag('network-endpoint-group-region', ref.region));
      else negFlags.push(bare('global-network-endpoint-group'));
      s.command(r.project, {
        head: gcloud('compute', 'backend-services', 'add-backend', r.name),
        flags: [scopeFlag(r), ...negFlags],
      });
    }

    if (b.enableCDN === true) {
      const cdnFlags: Word[] = [scopeFlag(r), bare('enable-cdn')];
      const cacheMode = str(cdn, 'cacheMode');
      if (cacheMode) cdnFlags.push(flag('cache-mode', cacheMode));
      for (const [field, name] of [
        ['defaultTtl', 'default-ttl'],
        ['clientTtl', 'client-ttl'],
        ['maxTtl', 'max-ttl'],
      ] as const) {
        const value = num(cdn, field);
        if (value !== undefined) cdnFlags.push(flag(name, value));
      }
      s.command(r.project, { head: gcloud('compute', 'backend-services', 'update', r.name), flags: cdnFlags });
    }
  }

  if (iap?.enabled === true) {
    const clientId = str(iap, 'oauth2ClientId');
    const secret = iap.oauth2ClientSecret;
    let value: string;
    if (clientId && isSecretRef(secret)) {
      const expression = s.secret(secret, 'iap_client_secret');
      value = `--iap=${shellQuote(`enabled,oauth2-client-id=${clientId},oauth2-client-secret=`)}${expression}`;
    } else if (secret !== undefined && !isSecretRef(secret)) {
      throw new Error(`${r.id}: the IAP OAuth client secret must be a secret reference, never a value`);
    } else {
      value = '--iap=enabled';
    }
    s.command(r.project, { head: gcloud('compute', 'backend-services', 'update', r.name), flags: [scopeFlag(r), raw(value)] });
  }

  if (securityPolicy) {
    s.command(r.project, {
      head: gcloud('compute', 'backend-services', 'update', r.name),
      flags: [scopeFlag(r), flag('security-policy', refName(s.graph, securityPolicy))],
    });
  }
};

/** URL maps gcloud can build with create + add-path-matcher: default service, host rules, plain path rules. */
function isSimpleUrlMap(b: Record<string, unknown>): boolean {
  const allowedTop = new Set(['name', 'description', 'defaultService', 'hostRules', 'pathMatchers']);
  if (!str(b, 'defaultService')) return false;
  if (Object.keys(b).some((k) => !allowedTop.has(k))) return false;
  for (const rule of objects(b, 'hostRules')) {
    if (Object.keys(rule).some((k) => !['hosts', 'pathMatcher', 'description'].includes(k))) return false;
  }
  for (const matcher of objects(b, 'pathMatchers')) {
    if (Object.keys(matcher).some((k) => !['name', 'defaultService', 'pathRules', 'description'].includes(k))) return false;
    if (!str(matcher, 'defaultService')) return false;
    for (const rule of objects(matcher, 'pathRules')) {
      if (Object.keys(rule).some((k) => !['paths', 'service'].includes(k)) || !str(rule, 'service')) return false;
    }
  }
  return true;
}

const renderUrlMap: Renderer = (s, r) => {
  const b = r.body;
  if (!isSimpleUrlMap(b)) {
    // The HTTP-to-HTTPS redirect map (and anything richer than host and path rules) is imported
    // from YAML, as in Google's guide.
    s.command(r.project, {
      head: gcloud('compute', 'url-maps', 'import', r.name),
      flags: [scopeFlag(r), bare('quiet')],
      stdin: yamlDocument({ ...b, name: r.name }, r.id),
    });
    return;
  }
  const name = (value: string): string => refName(s.graph, value);
  s.command(r.project, {
    head: gcloud('compute', 'url-maps', 'create', r.name),
    flags: [flag('default-service', name(str(b, 'defaultService') as string)), scopeFlag(r), ...descriptionFlag(b)],
  });
  const hostRules = objects(b, 'hostRules');
  for (const matcher of objects(b, 'pathMatchers')) {
    const matcherName = str(matcher, 'name') as string;
    const rules = hostRules.filter((h) => str(h, 'pathMatcher') === matcherName);
    const flags: Word[] = [flag('path-matcher-name', matcherName), flag('default-service', name(str(matcher, 'defaultService') as string))];
    const [first, ...others] = rules;
    if (first) flags.push(flag('new-hosts', strings(first, 'hosts').join(',')));
    const pathRules = objects(matcher, 'pathRules').flatMap((rule) =>
      strings(rule, 'paths').map((path) => `${path}=${name(str(rule, 'service') as string)}`),
    );
    if (pathRules.length > 0) flags.push(flag('path-rules', pathRules.join(',')));
    flags.push(scopeFlag(r));
    s.command(r.project, { head: gcloud('compute', 'url-maps', 'add-path-matcher', r.name), flags });
    for (const rule of others) {
      s.command(r.project, {
        head: gcloud('compute', 'url-maps', 'add-host-rule', r.name),
        flags: [flag('hosts', strings(rule, 'hosts').join(',')), flag('path-matcher-name', matcherName), scopeFlag(r)],
      });
    }
  }
};

function proxyFlags(s: Script, r: DesiredResource): Word[] {
  const b = r.body;
  const flags: Word[] = [];
  const urlMap = str(b, 'urlMap');
  if (urlMap) flags.push(flag('url-map', refName(s.graph, urlMap)));
  return flags;
}

const renderTargetHttpProxy: Renderer = (s, r) => {
  const flags = proxyFlags(s, r);
  const keepAlive = num(r.body, 'httpKeepAliveTimeoutSec');
  if (keepAlive !== undefined) flags.push(flag('http-keep-alive-timeout-sec', keepAlive));
  flags.push(scopeFlag(r), ...descriptionFlag(r.body));
  s.command(r.project, { head: gcloud('compute', 'target-http-proxies', 'create', r.name), flags });
};

const renderTargetHttpsProxy: Renderer = (s, r) => {
  const b = r.body;
  const flags = proxyFlags(s, r);
  const compute: string[] = [];
  const certManager: string[] = [];
  for (const cert of strings(b, 'sslCertificates')) {
    const cm = parseCertManagerRef(cert);
    if (cm) certManager.push(cm.name);
    else compute.push(refName(s.graph, cert));
  }
  if (compute.length > 0) flags.push(flag('ssl-certificates', compute.join(',')));
  if (certManager.length > 0) flags.push(flag('certificate-manager-certificates', certManager.join(',')));
  const map = str(b, 'certificateMap');
  if (map) flags.push(flag('certificate-map', parseCertManagerRef(map)?.name ?? map));
  const keepAlive = num(b, 'httpKeepAliveTimeoutSec');
  if (keepAlive !== undefined) flags.push(flag('http-keep-alive-timeout-sec', keepAlive));
  flags.push(scopeFlag(r), ...descriptionFlag(b));
  s.command(r.project, { head: gcloud('compute', 'target-https-proxies', 'create', r.name), flags });
};

const renderForwardingRule: Renderer = (s, r) => {
  const b = r.body;
  const global = r.scope === 'global';
  const flags: Word[] = [scopeFlag(r)];
  const scheme = str(b, 'loadBalancingScheme');
  if (scheme) flags.push(flag('load-balancing-scheme', scheme));
  const tier = str(b, 'networkTier');
  if (tier) flags.push(flag('network-tier', tier));
  const network = str(b, 'network');
  if (network) flags.push(flag('network', refName(s.graph, network)));
  const subnetwork = str(b, 'subnetwork');
  if (subnetwork) {
    const ref = resolveRef(s.graph, subnetwork);
    flags.push(flag('subnet', ref?.name ?? subnetwork));
    if (global && ref?.region) flags.push(flag('subnet-region', ref.region));
  }
  const address = str(b, 'IPAddress');
  if (address) {
    const ref = resolveRef(s.graph, address);
    flags.push(flag('address', ref?.name ?? address));
    if (ref?.region && global) flags.push(flag('address-region', ref.region));
  } else {
    const ipVersion = str(b, 'ipVersion');
    if (ipVersion) flags.push(flag('ip-version', ipVersion));
  }
  const target = str(b, 'target');
  if (target) {
    const ref = resolveRef(s.graph, target);
    const kind = ref?.kind === 'targetHttpProxy' ? 'target-http-proxy' : 'target-https-proxy';
    flags.push(flag(kind, ref?.name ?? target));
    if (ref?.region) flags.push(flag(`${kind}-region`, ref.region));
  }
  const ports = strings(b, 'ports');
  const portRange = str(b, 'portRange') ?? (typeof b.portRange === 'number' ? String(b.portRange) : undefined);
  if (ports.length > 0) flags.push(flag('ports', ports.join(',')));
  else if (portRange) flags.push(flag('ports', /^(\d+)-\1$/.test(portRange) ? portRange.split('-')[0] as string : portRange));
  if (b.allowGlobalAccess === true) flags.push(bare('allow-global-access'));
  flags.push(...descriptionFlag(b));
  s.command(r.project, { head: gcloud('compute', 'forwarding-rules', 'create', r.name), flags });
  const labels = labelsValue(stringMap(b, 'labels'));
  if (labels) {
    s.command(r.project, {
      head: gcloud('compute', 'forwarding-rules', 'update', r.name),
      flags: [scopeFlag(r), flag('update-labels', labels)],
    });
  }
};

/** A shell expression for an OutputRef (the IP of an address or forwarding rule), read after creation. */
function outputExpression(s: Script, id: string, field: string): string {
  const target = s.graph.resources.find((res) => res.id === id);
  if (!target) throw new Error(`a DNS record refers to ${id}, which is not in the plan`);
  const collection = target.kind === 'address' ? 'addresses' : target.kind === 'forwardingRule' ? 'forwarding-rules' : undefined;
  if (!collection) throw new Error(`a DNS record refers to ${id}, which has no IP address`);
  const apiField = target.kind === 'address' ? 'address' : field === 'address' ? 'IPAddress' : field;
  const command = [
    'gcloud',
    'compute',
    collection,
    'describe',
    shellQuote(target.name),
    target.scope === 'global' ? '--global' : `--region=${shellQuote(regionOfResource(target) as string)}`,
    `--project=${shellQuote(target.project)}`,
    `--format=${shellQuote(`value(${apiField})`)}`,
  ].join(' ');
  const name = s.variable(`output:${id}:${apiField}`, `ip_${target.name}`, `$(${command})`);
  return `"\${${name}}"`;
}

const renderDnsRecordSet: Renderer = (s, r) => {
  const b = r.body;
  if (!r.zone) throw new Error(`${r.id}: a DNS record set needs a managed zone`);
  const values: string[] = [];
  const rrdatas = Array.isArray(b.rrdatas) ? b.rrdatas : [];
  for (const value of rrdatas) {
    if (typeof value === 'string') values.push(shellQuote(value));
    else if (isOutputRef(value)) values.push(outputExpression(s, value.$output.id, value.$output.field));
    else throw new Error(`${r.id}: unsupported record data`);
  }
  const recordName = str(b, 'name') ?? r.name;
  const flags: Word[] = [flag('zone', r.zone), flag('type', str(b, 'type') ?? 'A')];
  const ttl = num(b, 'ttl');
  if (ttl !== undefined) flags.push(flag('ttl', ttl));
  flags.push(raw(`--rrdatas=${values.join(',')}`));
  s.command(r.project, { head: gcloud('dns', 'record-sets', 'create', recordName), flags });
};

const renderCloudRunIngress: Renderer = (s, r) => {
  const ingress = str(r.body, 'ingress') ?? '';
  const value = RUN_INGRESS[ingress];
  if (!value) throw new Error(`${r.id}: unknown Cloud Run ingress ${JSON.stringify(ingress)}`);
  const region = regionOfResource(r);
  s.command(r.project, {
    head: gcloud('run', 'services', 'update', r.name),
    flags: [...(region ? [flag('region', region)] : []), flag('ingress', value)],
  });
};

const RENDERERS: Record<DesiredResource['kind'], Renderer> = {
  network: renderNetwork,
  subnetwork: renderSubnetwork,
  address: renderAddress,
  sslCertificate: renderSslCertificate,
  securityPolicy: renderSecurityPolicy,
  networkEndpointGroup: renderNeg,
  backendService: renderBackendService,
  urlMap: renderUrlMap,
  targetHttpProxy: renderTargetHttpProxy,
  targetHttpsProxy: renderTargetHttpsProxy,
  forwardingRule: renderForwardingRule,
  dnsRecordSet: renderDnsRecordSet,
  cloudRunIngress: renderCloudRunIngress,
};


function where(r: DesiredResource): string {
  const region = regionOfResource(r);
  return region ? `in ${region}` : r.kind === 'dnsRecordSet' ? `in zone ${r.zone ?? '?'}` : 'global';
}

/** Renders the graph as a bash script of gcloud commands (see the file comment for the contract). */
export function renderGcloudScript(graph: DesiredGraph): string {
  const s = new Script(graph);
  s.lines.push('#!/usr/bin/env bash');
  s.comment(
    [
      `serverless-lb: gcloud commands that create load balancer "${graph.lbName}" in project "${graph.project}".`,
      'Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).',
      'Commands run in creation order; a failed command stops the script.',
      'Secrets are read when the script runs, from the files and environment variables it names;',
      'relative file paths are read from the directory the script runs in.',
    ].join('\n'),
  );
  s.lines.push('set -euo pipefail');
  for (const r of graph.resources) {
    s.blank();
    const summary = `${KIND_WORDS[r.kind]} ${r.name} (${where(r)})`;
    if (!r.managed) {
      s.comment(`Existing ${summary}: referenced, not created.${r.purpose ? ` (${r.purpose})` : ''}`);
      continue;
    }
    s.comment(`${summary}${r.purpose ? `: ${r.purpose}` : ''}`);
    RENDERERS[r.kind](s, r);
  }
  s.blank();
  s.lines.push(`echo ${shellQuote(`Load balancer ${graph.lbName}: all commands completed.`)}`);
  return `${s.lines.join('\n')}\n`;
}
