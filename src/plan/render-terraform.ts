/**
 * The plan as Terraform configuration for the google provider.
 *
 * Contract:
 * - One `resource` per managed resource of the graph, with references between them written as
 *   resource addresses (`google_compute_backend_service.web.id`), never as literal names; existing
 *   resources (managed=false) become `data` sources (or a literal path where the provider has no
 *   data source for that kind).
 * - A `terraform { required_providers }` block, `variable "project"` (defaulting to the graph's
 *   project) and `provider "google" { project = var.project }`; `google-beta` is added only for
 *   API Gateway NEGs (`serverless_deployment` exists only in that provider).
 * - Secrets never appear: the IAP OAuth client secret is a `sensitive` variable, a private key is
 *   read with `file("...")` from the path the plan names (or a sensitive variable for one kept in
 *   the environment).
 * - The Cloud Run ingress change is not a Terraform resource here (the service is not managed by
 *   this configuration): it is written as a comment holding the gcloud command.
 * - Dependencies that no reference expresses (the proxy-only subnet a forwarding rule needs) are
 *   written as `depends_on`.
 *
 * Pure: no I/O.
 */
import { regionOf } from './paths.js';
import { shellQuote } from './render-gcloud.js';
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
  type ResolvedRef,
} from './render-export-refs.js';
import { attr, block, expr, Expr, hclString, nested, renderHcl, type Block, type BlockItem, type HclValue } from './render-terraform-hcl.js';
import { isFileRef, isOutputRef, isSecretRef, type DesiredGraph, type DesiredResource, type ResourceKind, type SecretRef } from './resource-model.js';

const RUN_INGRESS: Record<string, string> = {
  INGRESS_TRAFFIC_ALL: 'all',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'internal',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'internal-and-cloud-load-balancing',
};

const DEFAULT_RULE_PRIORITY = 2147483647;

/** The Terraform resource type of a managed resource. */
function resourceType(r: DesiredResource): string | undefined {
  const global = r.scope === 'global';
  switch (r.kind) {
    case 'network':
      return 'google_compute_network';
    case 'subnetwork':
      return 'google_compute_subnetwork';
    case 'address':
      return global ? 'google_compute_global_address' : 'google_compute_address';
    case 'sslCertificate':
      if (str(r.body, 'type') === 'MANAGED' || obj(r.body, 'managed')) return 'google_compute_managed_ssl_certificate';
      return global ? 'google_compute_ssl_certificate' : 'google_compute_region_ssl_certificate';
    case 'securityPolicy':
      return global ? 'google_compute_security_policy' : 'google_compute_region_security_policy';
    case 'networkEndpointGroup':
      return global ? 'google_compute_global_network_endpoint_group' : 'google_compute_region_network_endpoint_group';
    case 'backendService':
      return global ? 'google_compute_backend_service' : 'google_compute_region_backend_service';
    case 'urlMap':
      return global ? 'google_compute_url_map' : 'google_compute_region_url_map';
    case 'targetHttpProxy':
      return global ? 'google_compute_target_http_proxy' : 'google_compute_region_target_http_proxy';
    case 'targetHttpsProxy':
      return global ? 'google_compute_target_https_proxy' : 'google_compute_region_target_https_proxy';
    case 'forwardingRule':
      return global ? 'google_compute_global_forwarding_rule' : 'google_compute_forwarding_rule';
    case 'dnsRecordSet':
      return 'google_dns_record_set';
    case 'cloudRunIngress':
      return undefined;
  }
}

/** The data source that reads an existing resource of this kind and scope, where the provider has one. */
function dataSourceType(kind: ResourceKind, global: boolean): string | undefined {
  switch (kind) {
    case 'network':
      return 'google_compute_network';
    case 'subnetwork':
      return global ? undefined : 'google_compute_subnetwork';
    case 'address':
      return global ? 'google_compute_global_address' : 'google_compute_address';
    case 'sslCertificate':
      return global ? 'google_compute_ssl_certificate' : 'google_compute_region_ssl_certificate';
    case 'securityPolicy':
      return global ? 'google_compute_security_policy' : undefined;
    case 'backendService':
      return global ? 'google_compute_backend_service' : 'google_compute_region_backend_service';
    default:
      return undefined;
  }
}

/** A local name: the resource name with `-` as `_` (valid identifier), unique per type. */
function localNameFor(taken: Set<string>, type: string, name: string, region?: string): string {
  let base = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `r_${base}`;
  let candidate = base;
  if (taken.has(`${type}.${candidate}`) && region) candidate = `${base}_${region.replace(/-/g, '_')}`;
  for (let i = 2; taken.has(`${type}.${candidate}`); i++) candidate = `${base}_${i}`;
  taken.add(`${type}.${candidate}`);
  return candidate;
}

interface Address {
  /** `google_compute_x.name` or `data.google_compute_x.name`. */
  address: string;
  kind: ResourceKind;
}

class Context {
  readonly taken = new Set<string>();
  /** Graph id (or reference key) to the Terraform address of its resource or data source. */
  readonly addresses = new Map<string, Address>();
  readonly dataBlocks: Block[] = [];
  readonly variables: Block[] = [];
  private readonly secretVars = new Map<string, string>();
  needsBeta = false;
  /** Graph ids referenced while converting the current resource. */
  referenced = new Set<string>();

  constructor(readonly graph: DesiredGraph) {}

  /** The value of a reference field: an expression when the target is known, a literal path otherwise. */
  ref(value: string, attribute: 'id' | 'self_link' = 'id'): HclValue {
    const resolved = resolveRef(this.graph, value);
    if (!resolved) return value;
    const known = this.addresses.get(resolved.id) ?? this.dataFor(resolved);
    if (known) {
      this.referenced.add(resolved.id);
      return expr(`${known.address}.${attribute}`);
    }
    return this.projectPath(value, resolved);
  }

  /** A data source for an existing network or subnetwork outside the graph, created once. */
  private dataFor(ref: ResolvedRef): Address | undefined {
    if (ref.resource || (ref.kind !== 'network' && ref.kind !== 'subnetwork')) return undefined;
    const type = dataSourceType(ref.kind, ref.scope === 'global');
    if (!type) return undefined;
    const local = localNameFor(this.taken, `data.${type}`, ref.name, ref.region);
    const body: BlockItem[] = [...attr('name', ref.name), ...attr('region', ref.region)];
    if (ref.project !== this.graph.project) body.push(...attr('project', ref.project));
    this.dataBlocks.push(block('data', [type, local], body));
    const address = { address: `data.${type}.${local}`, kind: ref.kind };
    this.addresses.set(ref.id, address);
    return address;
  }

  /** A literal path, with the graph's project written as `var.project`. */
  projectPath(value: string, ref: ResolvedRef): HclValue {
    const relative = `projects/${ref.project}/${ref.scope}/${value.split('/').slice(-2).join('/')}`;
    if (ref.project !== this.graph.project) return relative;
    const rest = relative.slice(`projects/${ref.project}/`.length);
    return expr(`"projects/\${var.project}/${hclString(rest).slice(1, -1)}"`);
  }

  /** A sensitive variable holding a secret, declared once per source. */
  secretVariable(ref: SecretRef, stem: string): Expr {
    const { env, file, what } = ref.$secret;
    const key = env !== undefined ? `env:${env}` : `file:${file ?? ''}`;
    let name = this.secretVars.get(key);
    if (!name) {
      name = stem;
      for (let i = 2; [...this.secretVars.values()].includes(name); i++) name = `${stem}_${i}`;
      this.secretVars.set(key, name);
      const from =
        env !== undefined
          ? `export TF_VAR_${name}="$${env}"`
          : file !== undefined
            ? `export TF_VAR_${name}="$(cat ${shellQuote(file)})"`
            : `export TF_VAR_${name}=...`;
      this.variables.push(
        block('variable', [name], [
          ...attr('description', `${what[0]?.toUpperCase() ?? ''}${what.slice(1)}. Set it without writing it down: ${from}`),
          ...attr('type', expr('string')),
          ...attr('sensitive', true),
        ]),
      );
    }
    return expr(`var.${name}`);
  }
}

const sub = (type: string, items: BlockItem[]): BlockItem => nested(block(type, [], items));

function common(ctx: Context, r: DesiredResource): BlockItem[] {
  const items: BlockItem[] = [...attr('name', r.name)];
  const region = regionOfResource(r);
  if (region) items.push(...attr('region', region));
  if (r.project !== ctx.graph.project) items.push(...attr('project', r.project));
  const description = str(r.body, 'description');
  if (description) items.push(...attr('description', description));
  return items;
}

function labelsItems(r: DesiredResource): BlockItem[] {
  const labels = stringMap(r.body, 'labels');
  return Object.keys(labels).length > 0 ? attr('labels', labels) : [];
}

function durationBlock(type: string, value: Record<string, unknown> | undefined): BlockItem[] {
  if (!value) return [];
  const seconds = num(value, 'seconds') ?? (typeof value.seconds === 'string' ? Number(value.seconds) : undefined);
  if (seconds === undefined) return [];
  return [sub(type, [...attr('seconds', seconds), ...attr('nanos', num(value, 'nanos'))])];
}

type Converter = (ctx: Context, r: DesiredResource) => BlockItem[];

const convertNetwork: Converter = (ctx, r) => [
  ...common(ctx, r),
  ...attr('auto_create_subnetworks', r.body.autoCreateSubnetworks === true),
];

const convertSubnetwork: Converter = (ctx, r) => {
  const b = r.body;
  const network = str(b, 'network');
  return [
    ...common(ctx, r),
    ...attr('network', network ? ctx.ref(network) : undefined),
    ...attr('ip_cidr_range', str(b, 'ipCidrRange')),
    ...attr('purpose', str(b, 'purpose')),
    ...attr('role', str(b, 'role')),
  ];
};

const convertAddress: Converter = (ctx, r) => {
  const b = r.body;
  const subnetwork = str(b, 'subnetwork');
  const network = str(b, 'network');
  return [
    ...common(ctx, r),
    ...attr('address', str(b, 'address')),
    ...attr('address_type', str(b, 'addressType')),
    ...attr('ip_version', str(b, 'ipVersion')),
    ...(r.scope === 'global' ? [] : attr('network_tier', str(b, 'networkTier'))),
    ...attr('purpose', str(b, 'purpose')),
    ...attr('subnetwork', subnetwork ? ctx.ref(subnetwork) : undefined),
    ...attr('network', network && !subnetwork ? ctx.ref(network) : undefined),
    ...labelsItems(r),
  ];
};

const convertSslCertificate: Converter = (ctx, r) => {
  const b = r.body;
  const managed = obj(b, 'managed');
  if (str(b, 'type') === 'MANAGED' || managed) {
    return [...common(ctx, r), sub('managed', attr('domains', strings(managed, 'domains')))];
  }
  const items = common(ctx, r);
  const certificate = b.certificate;
  if (isFileRef(certificate)) items.push(...attr('certificate', expr(`file(${hclString(certificate.$file)})`)));
  else if (certificate !== undefined) throw new Error(`${r.id}: the certificate must be a file reference, not inline PEM`);
  const privateKey = b.privateKey;
  if (isSecretRef(privateKey)) {
    const { file, env } = privateKey.$secret;
    if (file !== undefined && env === undefined) items.push(...attr('private_key', expr(`file(${hclString(file)})`)));
    else items.push(...attr('private_key', ctx.secretVariable(privateKey, 'tls_private_key')));
  } else if (privateKey !== undefined) {
    throw new Error(`${r.id}: the private key must be a secret reference`);
  }
  return items;
};

function armorRule(rule: Record<string, unknown>, blockName: 'rule' | 'rules'): BlockItem {
  const match = obj(rule, 'match');
  const expression = str(obj(match, 'expr'), 'expression');
  const ranges = strings(obj(match, 'config'), 'srcIpRanges');
  const matchItems: BlockItem[] = expression
    ? [sub('expr', attr('expression', expression))]
    : [...attr('versioned_expr', str(match, 'versionedExpr') ?? 'SRC_IPS_V1'), sub('config', attr('src_ip_ranges', ranges.length > 0 ? ranges : ['*']))];
  const items: BlockItem[] = [
    ...attr('action', str(rule, 'action')),
    ...attr('priority', num(rule, 'priority')),
    ...attr('description', str(rule, 'description')),
    ...(rule.preview === true ? attr('preview', true) : []),
    sub('match', matchItems),
  ];
  const rate = obj(rule, 'rateLimitOptions');
  if (rate) {
    const threshold = obj(rate, 'rateLimitThreshold');
    const ban = obj(rate, 'banThreshold');
    items.push(
      sub('rate_limit_options', [
        ...attr('conform_action', str(rate, 'conformAction')),
        ...attr('exceed_action', str(rate, 'exceedAction')),
        ...attr('enforce_on_key', str(rate, 'enforceOnKey')),
        ...attr('enforce_on_key_name', str(rate, 'enforceOnKeyName')),
        ...attr('ban_duration_sec', num(rate, 'banDurationSec')),
        sub('rate_limit_threshold', [...attr('count', num(threshold, 'count')), ...attr('interval_sec', num(threshold, 'intervalSec'))]),
        ...(ban ? [sub('ban_threshold', [...attr('count', num(ban, 'count')), ...attr('interval_sec', num(ban, 'intervalSec'))])] : []),
      ]),
    );
  }
  return sub(blockName, items);
}

const convertSecurityPolicy: Converter = (ctx, r) => {
  const b = r.body;
  const global = r.scope === 'global';
  const blockName = global ? 'rule' : 'rules';
  const rules = objects(b, 'rules');
  const items: BlockItem[] = [...common(ctx, r), ...attr('type', str(b, 'type'))];
  if (global) items.push(...labelsItems(r));
  for (const rule of rules) items.push(armorRule(rule, blockName));
  if (!rules.some((rule) => num(rule, 'priority') === DEFAULT_RULE_PRIORITY)) {
    // The API adds this rule itself; writing it keeps Terraform's view equal to the API's.
    items.push(
      armorRule(
        { action: 'allow', priority: DEFAULT_RULE_PRIORITY, description: 'default rule', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
        blockName,
      ),
    );
  }
  return items;
};

const convertNeg: Converter = (ctx, r) => {
  const b = r.body;
  const items: BlockItem[] = [...common(ctx, r), ...attr('network_endpoint_type', str(b, 'networkEndpointType') ?? 'SERVERLESS')];
  const run = obj(b, 'cloudRun');
  const appEngine = obj(b, 'appEngine');
  const fn = obj(b, 'cloudFunction');
  const deployment = obj(b, 'serverlessDeployment');
  if (run) {
    items.push(sub('cloud_run', [...attr('service', str(run, 'service')), ...attr('tag', str(run, 'tag')), ...attr('url_mask', str(run, 'urlMask'))]));
  } else if (appEngine) {
    items.push(
      sub('app_engine', [
        ...attr('service', str(appEngine, 'service')),
        ...attr('version', str(appEngine, 'version')),
        ...attr('url_mask', str(appEngine, 'urlMask')),
      ]),
    );
  } else if (fn) {
    items.push(sub('cloud_function', [...attr('function', str(fn, 'function')), ...attr('url_mask', str(fn, 'urlMask'))]));
  } else if (deployment) {
    ctx.needsBeta = true;
    items.unshift(...attr('provider', expr('google-beta')));
    items.push(
      sub('serverless_deployment', [
        ...attr('platform', str(deployment, 'platform')),
        ...attr('resource', str(deployment, 'resource')),
        ...attr('version', str(deployment, 'version')),
        ...attr('url_mask', str(deployment, 'urlMask')),
      ]),
    );
  }
  return items;
};

const OUTLIER_NUMBERS = [
  ['consecutiveErrors', 'consecutive_errors'],
  ['consecutiveGatewayFailure', 'consecutive_gateway_failure'],
  ['enforcingConsecutiveErrors', 'enforcing_consecutive_errors'],
  ['enforcingConsecutiveGatewayFailure', 'enforcing_consecutive_gateway_failure'],
  ['maxEjectionPercent', 'max_ejection_percent'],
  ['enforcingSuccessRate', 'enforcing_success_rate'],
  ['successRateMinimumHosts', 'success_rate_minimum_hosts'],
  ['successRateRequestVolume', 'success_rate_request_volume'],
  ['successRateStdevFactor', 'success_rate_stdev_factor'],
] as const;

const convertBackendService: Converter = (ctx, r) => {
  const b = r.body;
  const items: BlockItem[] = [
    ...common(ctx, r),
    ...attr('load_balancing_scheme', str(b, 'loadBalancingScheme')),
    ...attr('protocol', str(b, 'protocol')),
    ...attr('port_name', str(b, 'portName')),
  ];
  if (typeof b.enableCDN === 'boolean') items.push(...attr('enable_cdn', b.enableCDN));
  const policy = str(b, 'securityPolicy');
  if (policy) items.push(...attr('security_policy', ctx.ref(policy)));
  for (const backend of objects(b, 'backends')) {
    const group = str(backend, 'group');
    if (group) items.push(sub('backend', attr('group', ctx.ref(group))));
  }
  const cdn = obj(b, 'cdnPolicy');
  if (cdn && b.enableCDN === true) {
    items.push(
      sub('cdn_policy', [
        ...attr('cache_mode', str(cdn, 'cacheMode')),
        ...attr('default_ttl', num(cdn, 'defaultTtl')),
        ...attr('client_ttl', num(cdn, 'clientTtl')),
        ...attr('max_ttl', num(cdn, 'maxTtl')),
        ...(typeof cdn.negativeCaching === 'boolean' ? attr('negative_caching', cdn.negativeCaching) : []),
        ...attr('serve_while_stale', num(cdn, 'serveWhileStale')),
      ]),
    );
  }
  const iap = obj(b, 'iap');
  if (iap) {
    const secret = iap.oauth2ClientSecret;
    if (secret !== undefined && !isSecretRef(secret)) {
      throw new Error(`${r.id}: the IAP OAuth client secret must be a secret reference, never a value`);
    }
    items.push(
      sub('iap', [
        ...attr('enabled', iap.enabled === true),
        ...attr('oauth2_client_id', str(iap, 'oauth2ClientId')),
        ...(isSecretRef(secret) ? attr('oauth2_client_secret', ctx.secretVariable(secret, 'iap_client_secret')) : []),
      ]),
    );
  }
  const log = obj(b, 'logConfig');
  if (log) {
    items.push(sub('log_config', [...(typeof log.enable === 'boolean' ? attr('enable', log.enable) : []), ...attr('sample_rate', num(log, 'sampleRate'))]));
  }
  const outlier = obj(b, 'outlierDetection');
  if (outlier) {
    items.push(
      sub('outlier_detection', [
        ...OUTLIER_NUMBERS.flatMap(([from, to]) => attr(to, num(outlier, from))),
        ...durationBlock('base_ejection_time', obj(outlier, 'baseEjectionTime')),
        ...durationBlock('interval', obj(outlier, 'interval')),
      ]),
    );
  }
  return items;
};

function redirectBlock(type: string, redirect: Record<string, unknown>): BlockItem {
  return sub(type, [
    ...(typeof redirect.httpsRedirect === 'boolean' ? attr('https_redirect', redirect.httpsRedirect) : []),
    ...attr('host_redirect', str(redirect, 'hostRedirect')),
    ...attr('path_redirect', str(redirect, 'pathRedirect')),
    ...attr('prefix_redirect', str(redirect, 'prefixRedirect')),
    ...attr('redirect_response_code', str(redirect, 'redirectResponseCode')),
    ...attr('strip_query', redirect.stripQuery === true),
  ]);
}

const convertUrlMap: Converter = (ctx, r) => {
  const b = r.body;
  const service = (value: string | undefined): HclValue | undefined => (value ? ctx.ref(value) : undefined);
  const items: BlockItem[] = [...common(ctx, r), ...attr('default_service', service(str(b, 'defaultService')))];
  const redirect = obj(b, 'defaultUrlRedirect');
  if (redirect) items.push(redirectBlock('default_url_redirect', redirect));
  for (const rule of objects(b, 'hostRules')) {
    items.push(sub('host_rule', [...attr('hosts', strings(rule, 'hosts')), ...attr('path_matcher', str(rule, 'pathMatcher'))]));
  }
  for (const matcher of objects(b, 'pathMatchers')) {
    const matcherItems: BlockItem[] = [...attr('name', str(matcher, 'name')), ...attr('default_service', service(str(matcher, 'defaultService')))];
    for (const rule of objects(matcher, 'pathRules')) {
      matcherItems.push(sub('path_rule', [...attr('paths', strings(rule, 'paths')), ...attr('service', service(str(rule, 'service')))]));
    }
    items.push(sub('path_matcher', matcherItems));
  }
  return items;
};

const convertTargetHttpProxy: Converter = (ctx, r) => {
  const urlMap = str(r.body, 'urlMap');
  return [
    ...common(ctx, r),
    ...attr('url_map', urlMap ? ctx.ref(urlMap) : undefined),
    ...attr('http_keep_alive_timeout_sec', num(r.body, 'httpKeepAliveTimeoutSec')),
  ];
};

const convertTargetHttpsProxy: Converter = (ctx, r) => {
  const b = r.body;
  const urlMap = str(b, 'urlMap');
  const compute: HclValue[] = [];
  const certManager: string[] = [];
  for (const cert of strings(b, 'sslCertificates')) {
    if (parseCertManagerRef(cert)) certManager.push(cert);
    else compute.push(ctx.ref(cert));
  }
  return [
    ...common(ctx, r),
    ...attr('url_map', urlMap ? ctx.ref(urlMap) : undefined),
    ...(compute.length > 0 ? attr('ssl_certificates', compute) : []),
    ...(certManager.length > 0 ? attr('certificate_manager_certificates', certManager) : []),
    ...attr('certificate_map', str(b, 'certificateMap')),
    ...attr('http_keep_alive_timeout_sec', num(b, 'httpKeepAliveTimeoutSec')),
  ];
};

const convertForwardingRule: Converter = (ctx, r) => {
  const b = r.body;
  const address = str(b, 'IPAddress');
  const target = str(b, 'target');
  const network = str(b, 'network');
  const subnetwork = str(b, 'subnetwork');
  const ports = strings(b, 'ports');
  const portRange = str(b, 'portRange') ?? (typeof b.portRange === 'number' ? String(b.portRange) : undefined);
  return [
    ...common(ctx, r),
    ...attr('load_balancing_scheme', str(b, 'loadBalancingScheme')),
    ...attr('ip_protocol', str(b, 'IPProtocol')),
    ...attr('port_range', ports.length > 0 ? undefined : portRange),
    ...(ports.length > 0 && r.scope !== 'global' ? attr('ports', ports) : []),
    ...attr('ip_address', address ? (resolveRef(ctx.graph, address) ? ctx.ref(address) : address) : undefined),
    ...attr('ip_version', address ? undefined : str(b, 'ipVersion')),
    ...attr('target', target ? ctx.ref(target) : undefined),
    ...attr('network', network ? ctx.ref(network) : undefined),
    ...attr('subnetwork', subnetwork ? ctx.ref(subnetwork) : undefined),
    ...attr('network_tier', str(b, 'networkTier')),
    ...(b.allowGlobalAccess === true && r.scope !== 'global' ? attr('allow_global_access', true) : []),
    ...labelsItems(r),
  ];
};

const convertDnsRecordSet: Converter = (ctx, r) => {
  const b = r.body;
  const rrdatas: HclValue[] = [];
  for (const value of Array.isArray(b.rrdatas) ? b.rrdatas : []) {
    if (typeof value === 'string') rrdatas.push(value);
    else if (isOutputRef(value)) {
      const target = ctx.addresses.get(value.$output.id);
      if (!target) throw new Error(`${r.id}: refers to ${value.$output.id}, which is not in the plan`);
      const attribute = target.kind === 'address' ? 'address' : 'ip_address';
      ctx.referenced.add(value.$output.id);
      rrdatas.push(expr(`${target.address}.${attribute}`));
    } else throw new Error(`${r.id}: unsupported record data`);
  }
  const items: BlockItem[] = [...attr('name', str(b, 'name') ?? r.name)];
  if (r.project !== ctx.graph.project) items.push(...attr('project', r.project));
  items.push(...attr('managed_zone', r.zone), ...attr('type', str(b, 'type') ?? 'A'), ...attr('ttl', num(b, 'ttl')), ...attr('rrdatas', rrdatas));
  return items;
};

const CONVERTERS: Record<Exclude<ResourceKind, 'cloudRunIngress'>, Converter> = {
  network: convertNetwork,
  subnetwork: convertSubnetwork,
  address: convertAddress,
  sslCertificate: convertSslCertificate,
  securityPolicy: convertSecurityPolicy,
  networkEndpointGroup: convertNeg,
  backendService: convertBackendService,
  urlMap: convertUrlMap,
  targetHttpProxy: convertTargetHttpProxy,
  targetHttpsProxy: convertTargetHttpsProxy,
  forwardingRule: convertForwardingRule,
  dnsRecordSet: convertDnsRecordSet,
};

function runIngressComment(r: DesiredResource): string[] {
  const ingress = str(r.body, 'ingress') ?? '';
  const value = RUN_INGRESS[ingress];
  if (!value) throw new Error(`${r.id}: unknown Cloud Run ingress ${JSON.stringify(ingress)}`);
  const region = regionOf(r.scope);
  const command = [
    'gcloud run services update',
    shellQuote(r.name),
    ...(region ? [`--region=${shellQuote(region)}`] : []),
    `--ingress=${value}`,
    `--project=${shellQuote(r.project)}`,
  ].join(' ');
  return [
    `Cloud Run service ${r.name}${region ? ` (${region})` : ''}: not managed by this configuration.`,
    `${r.purpose ? `${r.purpose}. ` : ''}Restrict its ingress so the run.app URL cannot bypass the load balancer:`,
    `  ${command}`,
  ];
}

/** Renders the graph as Terraform configuration (see the file comment for the contract). */
export function renderTerraform(graph: DesiredGraph): string {
  const ctx = new Context(graph);
  const resources: Block[] = [];
  const comments: string[][] = [];

  // Existing resources first: data sources (or nothing, where a literal path must do).
  for (const r of graph.resources) {
    if (r.managed || r.kind === 'cloudRunIngress') continue;
    const type = dataSourceType(r.kind, r.scope === 'global');
    if (!type) continue;
    const region = regionOfResource(r);
    const local = localNameFor(ctx.taken, `data.${type}`, r.name, region);
    const body: BlockItem[] = [...attr('name', r.name), ...attr('region', region)];
    if (r.project !== graph.project) body.push(...attr('project', r.project));
    ctx.dataBlocks.push(block('data', [type, local], body, [`Existing ${KIND_WORDS[r.kind]} ${r.name}: read, never changed.${r.purpose ? ` (${r.purpose})` : ''}`]));
    ctx.addresses.set(r.id, { address: `data.${type}.${local}`, kind: r.kind });
  }

  // Every managed resource gets its address before any is converted, so references resolve
  // whatever the order.
  const locals = new Map<string, { type: string; local: string }>();
  for (const r of graph.resources) {
    if (!r.managed || r.kind === 'cloudRunIngress') continue;
    const type = resourceType(r) as string;
    const local = localNameFor(ctx.taken, type, r.name, regionOfResource(r));
    locals.set(r.id, { type, local });
    ctx.addresses.set(r.id, { address: `${type}.${local}`, kind: r.kind });
  }

  for (const r of graph.resources) {
    if (r.kind === 'cloudRunIngress') {
      comments.push(runIngressComment(r));
      continue;
    }
    if (!r.managed) continue;
    const { type, local } = locals.get(r.id) as { type: string; local: string };
    ctx.referenced = new Set();
    const items = CONVERTERS[r.kind](ctx, r);
    const extra = r.dependsOn.filter((id) => !ctx.referenced.has(id) && ctx.addresses.has(id) && !ctx.addresses.get(id)?.address.startsWith('data.'));
    if (extra.length > 0) {
      items.push(...attr('depends_on', extra.map((id) => expr((ctx.addresses.get(id) as Address).address))));
    }
    resources.push(block('resource', [type, local], items, r.purpose ? [r.purpose] : undefined));
  }

  const providers: BlockItem[] = [
    ...attr('google', { source: 'hashicorp/google' }),
    ...(ctx.needsBeta ? attr('google-beta', { source: 'hashicorp/google-beta' }) : []),
  ];
  const head: Block[] = [
    block('terraform', [], [sub('required_providers', providers)]),
    block('variable', ['project'], [
      ...attr('description', 'Google Cloud project that holds the load balancer'),
      ...attr('type', expr('string')),
      ...attr('default', graph.project),
    ]),
    ...ctx.variables,
    block('provider', ['google'], attr('project', expr('var.project'))),
    ...(ctx.needsBeta ? [block('provider', ['google-beta'], attr('project', expr('var.project')))] : []),
  ];
  const text = renderHcl(
    [...head, ...ctx.dataBlocks, ...resources],
    [
      `serverless-lb: Terraform configuration for load balancer "${graph.lbName}" in project "${graph.project}".`,
      'Secrets are not in this file: set the sensitive variables below from their files or environment.',
    ],
  );
  if (comments.length === 0) return text;
  return `${text}\n${comments.map((lines) => lines.map((l) => `# ${l}`.trimEnd()).join('\n')).join('\n\n')}\n`;
}
