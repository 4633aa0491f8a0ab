import { parse as parseHcl } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { hclString } from '../../src/model/hcl.js';
import { renderTerraform } from '../../src/plan/render-terraform.js';
import type { DesiredGraph } from '../../src/model/resource-model.js';
import { specSchema } from '../../src/spec/schema.js';
import {
  classicGraph,
  crossRegionInternalGraph,
  GraphBuilder,
  globalExternalGraph,
  regionalExternalGraph,
  regionalInternalGraph,
  SECRET_SENTINEL,
} from './render-export-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/** Parses HCL with HashiCorp's own parser (hcl2json, compiled to wasm); throws on a syntax error. */
async function hcl(text: string): Promise<Json> {
  return parseHcl('main.tf', text);
}

/** The single block `resource "type" "name"` (or data), as hcl2json gives it. */
function res(doc: Json, type: string, name: string, section: 'resource' | 'data' = 'resource'): Json {
  const blocks = doc[section]?.[type]?.[name];
  expect(blocks, `${section}.${type}.${name}`).toBeDefined();
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

function names(doc: Json, type: string, section: 'resource' | 'data' = 'resource'): string[] {
  return Object.keys(doc[section]?.[type] ?? {});
}

/**
 * Argument and block names of the google provider's schemas (provider 6.x, from `terraform providers
 * schema -json`), for the types the export writes. Meta-arguments are allowed everywhere.
 */
const SCHEMA: Record<string, string> = {
  google_compute_network: 'name description auto_create_subnetworks routing_mode mtu project',
  google_compute_subnetwork:
    'name network description ip_cidr_range purpose role region project private_ip_google_access stack_type secondary_ip_range{range_name ip_cidr_range} log_config{aggregation_interval flow_sampling metadata}',
  google_compute_global_address: 'name address address_type description ip_version labels network prefix_length project purpose',
  google_compute_address: 'name address address_type description ip_version ipv6_endpoint_type labels network network_tier prefix_length project purpose region subnetwork',
  google_compute_managed_ssl_certificate: 'name description project type certificate_id managed{domains}',
  google_compute_ssl_certificate: 'name name_prefix certificate private_key description project',
  google_compute_region_ssl_certificate: 'name name_prefix certificate private_key description project region',
  google_compute_security_policy:
    'name description labels project type rule{action priority description preview match{versioned_expr config{src_ip_ranges} expr{expression}} rate_limit_options{conform_action exceed_action ban_duration_sec enforce_on_key enforce_on_key_name ban_threshold{count interval_sec} rate_limit_threshold{count interval_sec}}}',
  google_compute_region_security_policy:
    'name description project region type rules{action priority description preview match{versioned_expr config{src_ip_ranges} expr{expression}} rate_limit_options{ban_duration_sec conform_action enforce_on_key enforce_on_key_name exceed_action ban_threshold{count interval_sec} rate_limit_threshold{count interval_sec}}}',
  google_compute_region_network_endpoint_group:
    'name region description network network_endpoint_type project psc_target_service subnetwork app_engine{service url_mask version} cloud_function{function url_mask} cloud_run{service tag url_mask} serverless_deployment{platform resource version url_mask}',
  google_compute_backend_service:
    'name affinity_cookie_ttl_sec compression_mode connection_draining_timeout_sec custom_request_headers custom_response_headers description edge_security_policy enable_cdn health_checks load_balancing_scheme locality_lb_policy port_name project protocol security_policy session_affinity timeout_sec backend{group balancing_mode capacity_scaler description} cdn_policy{cache_mode client_ttl default_ttl max_ttl negative_caching request_coalescing serve_while_stale signed_url_cache_max_age_sec cache_key_policy{include_host include_protocol include_query_string query_string_whitelist query_string_blacklist include_http_headers include_named_cookies} bypass_cache_on_request_headers{header_name} negative_caching_policy{code ttl}} iap{enabled oauth2_client_id oauth2_client_secret} log_config{enable optional_fields optional_mode sample_rate} outlier_detection{consecutive_errors consecutive_gateway_failure enforcing_consecutive_errors enforcing_consecutive_gateway_failure enforcing_success_rate max_ejection_percent success_rate_minimum_hosts success_rate_request_volume success_rate_stdev_factor base_ejection_time{seconds nanos} interval{seconds nanos}}',
  google_compute_region_backend_service:
    'name affinity_cookie_ttl_sec connection_draining_timeout_sec description enable_cdn health_checks load_balancing_scheme locality_lb_policy network port_name project protocol region security_policy session_affinity timeout_sec backend{group balancing_mode capacity_scaler description failover} cdn_policy{cache_mode client_ttl default_ttl max_ttl negative_caching serve_while_stale signed_url_cache_max_age_sec} iap{enabled oauth2_client_id oauth2_client_secret} log_config{enable optional_fields optional_mode sample_rate} outlier_detection{consecutive_errors consecutive_gateway_failure enforcing_consecutive_errors enforcing_consecutive_gateway_failure enforcing_success_rate max_ejection_percent success_rate_minimum_hosts success_rate_request_volume success_rate_stdev_factor base_ejection_time{seconds nanos} interval{seconds nanos}}',
  google_compute_url_map:
    'name default_service description project header_action{request_headers_to_add{header_name header_value replace} request_headers_to_remove response_headers_to_add{header_name header_value replace} response_headers_to_remove} default_url_redirect{strip_query host_redirect https_redirect path_redirect prefix_redirect redirect_response_code} host_rule{hosts path_matcher description} path_matcher{name default_service description path_rule{paths service} route_rules{priority service match_rules{prefix_match full_path_match regex_match ignore_case header_matches{header_name exact_match prefix_match suffix_match regex_match present_match invert_match} query_parameter_matches{name exact_match regex_match present_match}} route_action{weighted_backend_services{backend_service weight} url_rewrite{path_prefix_rewrite host_rewrite} timeout{seconds nanos} retry_policy{num_retries retry_conditions per_try_timeout{seconds nanos}} request_mirror_policy{backend_service} cors_policy{allow_credentials allow_headers allow_methods allow_origin_regexes allow_origins disabled expose_headers max_age}} header_action{request_headers_to_add{header_name header_value replace} request_headers_to_remove response_headers_to_add{header_name header_value replace} response_headers_to_remove} url_redirect{host_redirect https_redirect path_redirect prefix_redirect redirect_response_code strip_query}}}',
  google_compute_region_url_map:
    'name default_service description project header_action{request_headers_to_add{header_name header_value replace} request_headers_to_remove response_headers_to_add{header_name header_value replace} response_headers_to_remove} region default_url_redirect{strip_query host_redirect https_redirect path_redirect prefix_redirect redirect_response_code} host_rule{hosts path_matcher description} path_matcher{name default_service description path_rule{paths service} route_rules{priority service match_rules{prefix_match full_path_match regex_match ignore_case header_matches{header_name exact_match prefix_match suffix_match regex_match present_match invert_match} query_parameter_matches{name exact_match regex_match present_match}} route_action{weighted_backend_services{backend_service weight} url_rewrite{path_prefix_rewrite host_rewrite} timeout{seconds nanos} retry_policy{num_retries retry_conditions per_try_timeout{seconds nanos}} request_mirror_policy{backend_service} cors_policy{allow_credentials allow_headers allow_methods allow_origin_regexes allow_origins disabled expose_headers max_age}} header_action{request_headers_to_add{header_name header_value replace} request_headers_to_remove response_headers_to_add{header_name header_value replace} response_headers_to_remove} url_redirect{host_redirect https_redirect path_redirect prefix_redirect redirect_response_code strip_query}}}',
  google_compute_target_http_proxy: 'name url_map description http_keep_alive_timeout_sec project proxy_bind',
  google_compute_region_target_http_proxy: 'name url_map description http_keep_alive_timeout_sec project region',
  google_compute_target_https_proxy:
    'name url_map certificate_manager_certificates certificate_map description http_keep_alive_timeout_sec project proxy_bind quic_override server_tls_policy ssl_certificates ssl_policy tls_early_data',
  google_compute_region_target_https_proxy:
    'name url_map certificate_manager_certificates description http_keep_alive_timeout_sec project region server_tls_policy ssl_certificates ssl_policy',
  google_compute_global_forwarding_rule:
    'name target description ip_address ip_protocol ip_version labels load_balancing_scheme network network_tier no_automate_dns_zone port_range project source_ip_ranges subnetwork',
  google_compute_forwarding_rule:
    'name all_ports allow_global_access backend_service description ip_address ip_protocol ip_version labels load_balancing_scheme network network_tier port_range ports project region service_label source_ip_ranges subnetwork target',
  google_dns_record_set: 'managed_zone name type project rrdatas ttl routing_policy{geo{location rrdatas}}',
  google_certificate_manager_dns_authorization: 'name description labels domain type location project',
  google_certificate_manager_certificate: 'name description labels scope location project self_managed{pem_certificate pem_private_key certificate_pem private_key_pem} managed{domains dns_authorizations issuance_config}',
  google_certificate_manager_certificate_map: 'name description labels project',
  google_certificate_manager_certificate_map_entry: 'name description labels certificates hostname matcher map project',
  google_compute_ssl_policy: 'name description profile min_tls_version custom_features project',
  google_compute_region_ssl_policy: 'name description profile min_tls_version custom_features project region',
  google_certificate_manager_trust_config: 'name description labels location project trust_stores{trust_anchors{pem_certificate} intermediate_cas{pem_certificate}} allowlisted_certificates{pem_certificate}',
  google_network_security_server_tls_policy: 'name description labels location project allow_open server_certificate{certificate_provider_instance{plugin_instance} grpc_endpoint{target_uri}} mtls_policy{client_validation_mode client_validation_trust_config client_validation_ca{certificate_provider_instance{plugin_instance} grpc_endpoint{target_uri}}}',
  google_cloud_run_v2_service_iam_member: 'name location project role member condition{title description expression}',
};
const META = new Set(['provider', 'depends_on', 'count', 'for_each', 'lifecycle']);

interface SchemaNode {
  attrs: Set<string>;
  blocks: Map<string, SchemaNode>;
}
function parseSchema(text: string): SchemaNode {
  let i = 0;
  const node = (): SchemaNode => {
    const n: SchemaNode = { attrs: new Set(), blocks: new Map() };
    while (i < text.length) {
      const m = /^\s*([a-z0-9_-]+)?\s*([{}])?/.exec(text.slice(i)) as RegExpExecArray;
      i += m[0].length;
      if (m[1] && m[2] === '{') n.blocks.set(m[1], node());
      else if (m[1]) {
        n.attrs.add(m[1]);
        if (m[2] === '}') return n;
      } else if (m[2] === '}') return n;
      else if (m[0].length === 0) break;
    }
    return n;
  };
  return node();
}

/** Names in `body` that the schema node does not have (`path.to.name`). */
function unknownNames(body: Json, schema: SchemaNode, where: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const isBlock = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    if (isBlock && schema.blocks.has(key)) {
      for (const b of value as Json[]) out.push(...unknownNames(b, schema.blocks.get(key) as SchemaNode, `${where}.${key}`));
    } else if (!schema.attrs.has(key) && !META.has(key)) out.push(`${where}.${key}`);
  }
  return out;
}

/** Every `${type.name.attr}` / `${data.type.name.attr}` / `${var.x}` reference, checked against what is declared. */
function danglingReferences(doc: Json): string[] {
  const refs = new Set<string>();
  const walk = (v: Json): void => {
    if (typeof v === 'string') for (const m of v.matchAll(/\$\{([^}]*)\}/g)) for (const r of (m[1] as string).matchAll(/\b(data\.[a-z0-9_]+\.[A-Za-z0-9_]+|google_[a-z0-9_]+\.[A-Za-z0-9_]+|var\.[A-Za-z0-9_]+)/g)) refs.add(r[1] as string);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(doc.resource ?? {});
  walk(doc.data ?? {});
  walk(doc.provider ?? {});
  return [...refs].filter((r) => {
    const parts = r.split('.');
    if (parts[0] === 'var') return !(doc.variable ?? {})[parts[1] as string];
    if (parts[0] === 'data') return !doc.data?.[parts[1] as string]?.[parts[2] as string];
    return !doc.resource?.[parts[0] as string]?.[parts[1] as string];
  });
}

const fixtures: Record<string, () => DesiredGraph> = {
  'global-external': globalExternalGraph,
  'regional-external': regionalExternalGraph,
  'regional-internal': regionalInternalGraph,
  'cross-region-internal': crossRegionInternalGraph,
  'classic (IAP secret in a file)': () => classicGraph({ iapSecret: { file: 'secrets/iap.txt' } }),
  'classic (IAP secret in the environment)': () => classicGraph({ iapSecret: { env: 'IAP_SECRET' } }),
};

const EXAMPLES_DIR = join(import.meta.dirname, '../../docs/examples');
const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => ({ file, graph: buildDesiredGraph(specSchema.parse(parseYaml(readFileSync(join(EXAMPLES_DIR, file), 'utf8')))) }));

async function checkWellFormed(graph: DesiredGraph): Promise<Json> {
  const text = renderTerraform(graph);
  const doc = await hcl(text);
  expect(doc.terraform[0].required_providers[0].google).toEqual({ source: 'hashicorp/google' });
  expect(doc.provider.google[0].project).toBe('${var.project}');
  expect(doc.variable.project[0].default).toBe(graph.project);
  expect(danglingReferences(doc)).toEqual([]);
  const unknown: string[] = [];
  for (const [type, blocks] of Object.entries(doc.resource ?? {})) {
    const schema = SCHEMA[type];
    expect(schema, `schema of ${type}`).toBeDefined();
    for (const [name, [body]] of Object.entries(blocks as Record<string, Json[]>)) unknown.push(...unknownNames(body, parseSchema(schema as string), `${type}.${name}`));
  }
  expect(unknown).toEqual([]);
  // One resource per managed resource (the Cloud Run ingress change is not one).
  const count = Object.values(doc.resource ?? {}).reduce((n: number, b) => n + Object.keys(b as object).length, 0);
  expect(count).toBe(graph.resources.filter((r) => r.managed && r.kind !== 'cloudRunIngress' && r.kind !== 'cloudRunDefaultUrl' && !(r.kind === 'cloudRunInvoker' && (r.body.members as string[]).every((m) => m === 'no-invoker-iam-check'))).length);
  return doc;
}

describe('renderTerraform: structure of every configuration', () => {
  for (const [name, build] of Object.entries(fixtures)) {
    it(`${name}: parses, declares what it references, uses only the provider's argument names`, async () => {
      await checkWellFormed(build());
    });
  }
  for (const { file, graph } of examples) {
    it(`docs/examples/${file}: parses, declares what it references, uses only the provider's argument names`, async () => {
      await checkWellFormed(graph);
    });
  }

  it('the checks catch an unknown argument and a dangling reference', async () => {
    const doc = await hcl('resource "google_compute_url_map" "m" {\n  name = "m"\n  default_servce = google_compute_backend_service.nope.id\n}\n');
    expect(unknownNames(doc.resource.google_compute_url_map.m[0], parseSchema(SCHEMA.google_compute_url_map as string), 'm')).toEqual(['m.default_servce']);
    expect(danglingReferences(doc)).toEqual(['google_compute_backend_service.nope']);
    await expect(hcl('resource "x" "y" {\n  name = "unterminated\n}\n')).rejects.toThrow();
  });
});

describe('renderTerraform: global external', () => {
  const graph = globalExternalGraph();

  it('wires resources together by address, not by literal name', async () => {
    const doc = await hcl(renderTerraform(graph));
    const web = res(doc, 'google_compute_backend_service', 'shop_web');
    expect(web.load_balancing_scheme).toBe('EXTERNAL_MANAGED');
    expect(web.backend.map((b: Json) => b.group)).toEqual([
      '${google_compute_region_network_endpoint_group.shop_web_us_central1.id}',
      '${google_compute_region_network_endpoint_group.shop_web_europe_west1.id}',
    ]);
    expect(web.security_policy).toBe('${google_compute_security_policy.shop_armor.id}');
    const map = res(doc, 'google_compute_url_map', 'shop_map');
    expect(map.default_service).toBe('${google_compute_backend_service.shop_web.id}');
    expect(map.host_rule).toEqual([{ hosts: ['shop.example.com', 'www.shop.example.com'], path_matcher: 'shop' }]);
    expect(map.path_matcher[0].path_rule).toEqual([{ paths: ['/api', '/api/*'], service: '${google_compute_backend_service.shop_api.id}' }]);
    const proxy = res(doc, 'google_compute_target_https_proxy', 'shop_https');
    expect(proxy.url_map).toBe('${google_compute_url_map.shop_map.id}');
    expect(proxy.ssl_certificates).toEqual(['${google_compute_managed_ssl_certificate.shop_cert.id}']);
    expect(proxy.http_keep_alive_timeout_sec).toBe(610);
    const fr = res(doc, 'google_compute_global_forwarding_rule', 'shop_https');
    expect(fr).toMatchObject({
      ip_address: '${google_compute_global_address.shop_ip.id}',
      target: '${google_compute_target_https_proxy.shop_https.id}',
      port_range: '443',
      load_balancing_scheme: 'EXTERNAL_MANAGED',
      labels: { 'serverless-lb': 'shop' },
    });
    expect(res(doc, 'google_compute_global_forwarding_rule', 'shop_http').target).toBe('${google_compute_target_http_proxy.shop_http.id}');
    expect(res(doc, 'google_compute_managed_ssl_certificate', 'shop_cert').managed).toEqual([{ domains: ['shop.example.com', 'www.shop.example.com'] }]);
  });

  it('writes CDN, logging, outlier detection and the Cloud Armor rules', async () => {
    const doc = await hcl(renderTerraform(graph));
    const web = res(doc, 'google_compute_backend_service', 'shop_web');
    expect(web.enable_cdn).toBe(true);
    expect(web.cdn_policy).toEqual([{ cache_mode: 'CACHE_ALL_STATIC', default_ttl: 3600 }]);
    expect(web.log_config).toEqual([{ enable: true, sample_rate: 1 }]);
    const api = res(doc, 'google_compute_backend_service', 'shop_api');
    expect(api.outlier_detection).toEqual([{ consecutive_errors: 5, max_ejection_percent: 50, base_ejection_time: [{ seconds: 30 }], interval: [{ seconds: 10 }] }]);
    expect(api.cdn_policy).toBeUndefined();
    const policy = res(doc, 'google_compute_security_policy', 'shop_armor');
    expect(policy.rule).toHaveLength(3);
    const throttle = policy.rule.find((r: Json) => r.priority === 1000);
    expect(throttle).toMatchObject({
      action: 'throttle',
      match: [{ versioned_expr: 'SRC_IPS_V1', config: [{ src_ip_ranges: ['*'] }] }],
      rate_limit_options: [{ conform_action: 'allow', exceed_action: 'deny(429)', enforce_on_key: 'IP', rate_limit_threshold: [{ count: 100, interval_sec: 60 }] }],
    });
    expect(policy.rule.find((r: Json) => r.priority === 2000)).toMatchObject({ action: 'deny(403)', preview: true, match: [{ expr: [{ expression: "origin.region_code == 'XX'" }] }] });
  });

  it('writes the redirect URL map with default_url_redirect', async () => {
    const doc = await hcl(renderTerraform(graph));
    const redirect = res(doc, 'google_compute_url_map', 'shop_redirect');
    expect(redirect.default_url_redirect).toEqual([{ https_redirect: true, redirect_response_code: 'MOVED_PERMANENTLY_DEFAULT', strip_query: false }]);
    expect(redirect.default_service).toBeUndefined();
  });

  it('points DNS records at the address attribute, in the DNS project', async () => {
    const doc = await hcl(renderTerraform(graph));
    const records = Object.values(doc.resource.google_dns_record_set).map((b: Json) => b[0]);
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r).toMatchObject({ managed_zone: 'shop-zone', type: 'A', ttl: 300, project: 'dns-project-9', rrdatas: ['${google_compute_global_address.shop_ip.address}'] });
    }
  });

  it('leaves Cloud Run to a comment holding the gcloud command', () => {
    const text = renderTerraform(graph);
    expect(text).not.toMatch(/resource "google_cloud_run/);
    for (const region of ['us-central1', 'europe-west1']) {
      expect(text).toContain(`#   gcloud run services update web --region=${region} --ingress=internal-and-cloud-load-balancing --project=demo-project-1`);
    }
  });

  it('needs no google-beta provider without API Gateway', async () => {
    const doc = await hcl(renderTerraform(graph));
    expect(doc.terraform[0].required_providers[0]['google-beta']).toBeUndefined();
    expect(doc.provider['google-beta']).toBeUndefined();
  });
});

describe('renderTerraform: regional and internal types', () => {
  it('regional external: regional resource types, file() for the certificate and key, depends_on the proxy-only subnet', async () => {
    const doc = await hcl(renderTerraform(regionalExternalGraph()));
    expect(names(doc, 'google_compute_backend_service')).toEqual([]);
    expect(res(doc, 'google_compute_region_backend_service', 'eu_app_web')).toMatchObject({ region: 'europe-west1', load_balancing_scheme: 'EXTERNAL_MANAGED', log_config: [{ enable: false }] });
    expect(res(doc, 'google_compute_region_url_map', 'eu_app_map').default_service).toBe('${google_compute_region_backend_service.eu_app_web.id}');
    const cert = res(doc, 'google_compute_region_ssl_certificate', 'eu_app_cert');
    expect(cert.certificate).toBe('${file("certs/eu app.pem")}');
    expect(cert.private_key).toBe('${file("certs/eu-app.key")}');
    expect(res(doc, 'google_compute_region_target_https_proxy', 'eu_app_https').ssl_certificates).toEqual(['${google_compute_region_ssl_certificate.eu_app_cert.id}']);
    const subnet = res(doc, 'google_compute_subnetwork', 'eu_app_proxy_only');
    expect(subnet).toMatchObject({ purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', ip_cidr_range: '10.129.0.0/23', region: 'europe-west1', network: '${data.google_compute_network.default.id}' });
    const fr = res(doc, 'google_compute_forwarding_rule', 'eu_app_https');
    expect(fr).toMatchObject({
      region: 'europe-west1',
      network_tier: 'STANDARD',
      network: '${data.google_compute_network.default.id}',
      ip_address: '${google_compute_address.eu_app_ip.id}',
      target: '${google_compute_region_target_https_proxy.eu_app_https.id}',
      depends_on: ['${google_compute_subnetwork.eu_app_proxy_only}'],
    });
    expect(res(doc, 'google_compute_network', 'default', 'data')).toEqual({ name: 'default' });
    expect(res(doc, 'google_compute_address', 'eu_app_ip').network_tier).toBe('STANDARD');
  });

  it('regional internal: data sources for the existing subnets and network, Certificate Manager certificates', async () => {
    const doc = await hcl(renderTerraform(regionalInternalGraph()));
    expect(res(doc, 'google_compute_subnetwork', 'proxy_only_east', 'data')).toEqual({ name: 'proxy-only-east', region: 'us-east1' });
    expect(names(doc, 'google_compute_subnetwork')).toEqual([]);
    const address = res(doc, 'google_compute_address', 'intra_ip');
    expect(address).toMatchObject({ address_type: 'INTERNAL', purpose: 'SHARED_LOADBALANCER_VIP', subnetwork: '${data.google_compute_subnetwork.backend_subnet.id}' });
    const fr = res(doc, 'google_compute_forwarding_rule', 'intra_https');
    expect(fr).toMatchObject({ load_balancing_scheme: 'INTERNAL_MANAGED', network: '${data.google_compute_network.corp_vpc.id}', subnetwork: '${data.google_compute_subnetwork.backend_subnet.id}' });
    expect(fr.depends_on).toBeUndefined();
    const proxy = res(doc, 'google_compute_region_target_https_proxy', 'intra_https');
    expect(proxy.certificate_manager_certificates).toEqual(['//certificatemanager.googleapis.com/projects/demo-project-1/locations/us-east1/certificates/intra-cert']);
    expect(proxy.ssl_certificates).toBeUndefined();
    expect(renderTerraform(regionalInternalGraph())).toContain('--ingress=internal --project=demo-project-1');
  });

  it('cross-region internal DNS: a geo routing policy, one item per region with its address', async () => {
    const graph = examples.find((e) => e.file === 'cross-region-internal-https.yaml')!.graph;
    const record = res(await hcl(renderTerraform(graph)), 'google_dns_record_set', 'xr_api_example_com_');
    expect(record.rrdatas).toBeUndefined();
    expect(record.routing_policy).toEqual([
      {
        geo: [
          { location: 'europe-west1', rrdatas: ['${google_compute_address.xr_https_lb_ip_europe_west1.address}'] },
          { location: 'us-central1', rrdatas: ['${google_compute_address.xr_https_lb_ip_us_central1.address}'] },
        ],
      },
    ]);
  });

  it('cross-region internal: global forwarding rules with regional subnets and addresses', async () => {
    const doc = await hcl(renderTerraform(crossRegionInternalGraph()));
    for (const region of ['us-central1', 'europe-west4']) {
      const local = region.replace(/-/g, '_');
      expect(res(doc, 'google_compute_global_forwarding_rule', `mesh_http_${local}`)).toMatchObject({
        load_balancing_scheme: 'INTERNAL_MANAGED',
        ip_address: `\${google_compute_address.mesh_ip_${local}.id}`,
        subnetwork: `\${data.google_compute_subnetwork.apps_${local}.id}`,
        target: '${google_compute_target_http_proxy.mesh_http.id}',
        depends_on: [`\${google_compute_subnetwork.mesh_proxy_${local}}`],
      });
      expect(res(doc, 'google_compute_subnetwork', `mesh_proxy_${local}`).purpose).toBe('GLOBAL_MANAGED_PROXY');
      expect(res(doc, 'google_compute_region_network_endpoint_group', `mesh_svc_${local}`).region).toBe(region);
    }
    expect(res(doc, 'google_compute_backend_service', 'mesh_svc').backend).toHaveLength(2);
  });
});

describe('renderTerraform: classic, App Engine, functions, API Gateway, IAP', () => {
  it('writes each serverless target block, with google-beta for API Gateway only', async () => {
    const doc = await hcl(renderTerraform(classicGraph({ iapSecret: { file: 'secrets/iap.txt' } })));
    expect(res(doc, 'google_compute_region_network_endpoint_group', 'legacy_app').app_engine).toEqual([{}]);
    expect(res(doc, 'google_compute_region_network_endpoint_group', 'legacy_admin').app_engine).toEqual([{ service: 'admin', version: 'v2' }]);
    expect(res(doc, 'google_compute_region_network_endpoint_group', 'legacy_fn').cloud_function).toEqual([{ url_mask: '/fn/<function>' }]);
    expect(res(doc, 'google_compute_region_network_endpoint_group', 'legacy_hook').cloud_function).toEqual([{ function: 'hook' }]);
    const gw = res(doc, 'google_compute_region_network_endpoint_group', 'legacy_gw');
    expect(gw.serverless_deployment).toEqual([{ platform: 'apigateway.googleapis.com', resource: 'my-gateway' }]);
    expect(gw.provider).toBe('${google-beta}');
    expect(res(doc, 'google_compute_region_network_endpoint_group', 'legacy_app').provider).toBeUndefined();
    expect(doc.terraform[0].required_providers[0]['google-beta']).toEqual({ source: 'hashicorp/google-beta' });
    expect(doc.provider['google-beta'][0].project).toBe('${var.project}');
  });

  it('reads existing resources through data sources and uses the certificate map', async () => {
    const doc = await hcl(renderTerraform(classicGraph({ iapSecret: { file: 'secrets/iap.txt' } })));
    expect(names(doc, 'google_compute_global_address')).toEqual([]);
    expect(res(doc, 'google_compute_global_address', 'legacy_static_ip', 'data')).toEqual({ name: 'legacy-static-ip' });
    expect(res(doc, 'google_compute_global_forwarding_rule', 'legacy_https').ip_address).toBe('${data.google_compute_global_address.legacy_static_ip.id}');
    expect(res(doc, 'google_compute_backend_service', 'legacy_app').security_policy).toBe('${data.google_compute_security_policy.corp_edge_policy.id}');
    expect(res(doc, 'google_compute_target_https_proxy', 'legacy_https').certificate_map).toBe(
      '//certificatemanager.googleapis.com/projects/demo-project-1/locations/global/certificateMaps/legacy-certs',
    );
    expect(res(doc, 'google_compute_backend_service', 'legacy_fn')).toMatchObject({ load_balancing_scheme: 'EXTERNAL', enable_cdn: true, cdn_policy: [{ cache_mode: 'USE_ORIGIN_HEADERS' }] });
  });

  for (const source of [{ file: 'secrets/iap.txt' }, { env: 'IAP_SECRET' }] as const) {
    it(`keeps the IAP secret (${'file' in source ? 'file' : 'environment'}) in one sensitive variable`, async () => {
      const text = renderTerraform(classicGraph({ iapSecret: source }));
      const doc = await hcl(text);
      for (const bs of ['legacy_app', 'legacy_admin']) {
        expect(res(doc, 'google_compute_backend_service', bs).iap).toEqual([
          { enabled: true, oauth2_client_id: '1234-abc.apps.googleusercontent.com', oauth2_client_secret: '${var.iap_client_secret}' },
        ]);
      }
      expect(Object.keys(doc.variable).sort()).toEqual(['iap_client_secret', 'project']);
      expect(doc.variable.iap_client_secret[0]).toMatchObject({ type: '${string}', sensitive: true });
      expect(doc.variable.iap_client_secret[0].default).toBeUndefined();
      expect(doc.variable.iap_client_secret[0].description).toContain('file' in source ? 'TF_VAR_iap_client_secret="$(cat secrets/iap.txt)"' : 'TF_VAR_iap_client_secret="$IAP_SECRET"');
    });
  }
});

describe('renderTerraform: secrets and escaping', () => {
  it('never writes a secret value, even one that slipped into a body', () => {
    const g = new GraphBuilder('bad');
    g.add('backendService', 'global', 'bad-bs', { loadBalancingScheme: 'EXTERNAL_MANAGED', iap: { enabled: true, oauth2ClientId: 'id', oauth2ClientSecret: SECRET_SENTINEL } });
    expect(() => renderTerraform(g.build())).toThrow(/secret reference/);
    const k = new GraphBuilder('bad');
    k.add('sslCertificate', 'global', 'bad-cert', { type: 'SELF_MANAGED', certificate: { $file: 'c.pem' }, privateKey: SECRET_SENTINEL });
    expect(() => renderTerraform(k.build())).toThrow(/secret reference/);
  });

  it('keeps a private key held in the environment in a sensitive variable', async () => {
    const g = new GraphBuilder('envkey');
    g.add('sslCertificate', 'global', 'envkey-cert', { type: 'SELF_MANAGED', certificate: { $file: 'c.pem' }, privateKey: { $secret: { env: 'TLS_KEY', what: 'TLS private key' } } });
    const doc = await hcl(renderTerraform(g.build()));
    expect(res(doc, 'google_compute_ssl_certificate', 'envkey_cert').private_key).toBe('${var.tls_private_key}');
    expect(doc.variable.tls_private_key[0].sensitive).toBe(true);
  });

  it('escapes quotes, backslashes, newlines and template openers so values stay literal', async () => {
    const tricky = 'a "quoted" \\ path\nwith ${var.project} and %{ if true }x%{ endif } $${x}';
    expect(hclString('${x}')).toBe('"$${x}"');
    const g = new GraphBuilder('esc');
    g.add('urlMap', 'global', 'esc-map', { description: tricky, defaultUrlRedirect: { httpsRedirect: true } });
    const doc = await hcl(renderTerraform(g.build()));
    // hcl2json returns the template source; the literal text is what Terraform evaluates it to.
    const description: string = res(doc, 'google_compute_url_map', 'esc_map').description;
    expect(description.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')).toBe(tricky);
    expect(description).not.toMatch(/(^|[^$])\$\{var\.project\}/);
  });

  it('gives two resources of one type with the same name distinct local names', async () => {
    const g = new GraphBuilder('dup');
    g.add('address', 'regions/us-east1', 'dup-ip', { addressType: 'EXTERNAL' });
    g.add('address', 'regions/us-west1', 'dup-ip', { addressType: 'EXTERNAL' });
    const doc = await hcl(renderTerraform(g.build()));
    expect(names(doc, 'google_compute_address')).toEqual(['dup_ip', 'dup_ip_us_west1']);
  });

  it('no fixture or example output holds the secret sentinel', () => {
    for (const build of Object.values(fixtures)) expect(renderTerraform(build())).not.toContain(SECRET_SENTINEL);
  });
});
