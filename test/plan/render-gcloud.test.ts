import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { gcloudArmorAction, renderGcloudScript, shellQuote } from '../../src/plan/render-gcloud.js';
import { specSchema } from '../../src/spec/schema.js';
import type { DesiredGraph } from '../../src/model/resource-model.js';
import {
  classicGraph,
  crossRegionInternalGraph,
  GraphBuilder,
  globalExternalGraph,
  path,
  regionalExternalGraph,
  regionalInternalGraph,
  SECRET_SENTINEL,
} from './render-export-fixtures.js';
import { documentedFlags, gcloudHelp, hasGcloud, scriptCommands, type ScriptCommand } from './render-export-shell.js';

const EXAMPLES_DIR = join(import.meta.dirname, '../../docs/examples');

function find(script: string, key: string, name?: string): ScriptCommand[] {
  return scriptCommands(script).filter((c) => c.key === key && (name === undefined || c.text.split(/\s+/).includes(name)));
}
function one(script: string, key: string, name?: string): ScriptCommand {
  const found = find(script, key, name);
  expect(found, `${key} ${name ?? ''}`).toHaveLength(1);
  return found[0] as ScriptCommand;
}
function indexOf(script: string, key: string, name: string): number {
  return scriptCommands(script).findIndex((c) => c.key === key && c.text.split(/\s+/).includes(name));
}
function bashSyntaxOk(script: string): { ok: boolean; stderr: string } {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}

const fixtures: Record<string, () => DesiredGraph> = {
  'global-external': globalExternalGraph,
  'regional-external': regionalExternalGraph,
  'regional-internal': regionalInternalGraph,
  'cross-region-internal': crossRegionInternalGraph,
  'classic (IAP secret in a file)': () => classicGraph({ iapSecret: { file: 'secrets/iap client.txt' } }),
  'classic (IAP secret in the environment)': () => classicGraph({ iapSecret: { env: 'IAP_SECRET' } }),
};

describe('shellQuote', () => {
  const nasty = ["it's", 'a b', '$(rm -rf /)', '`x`', '"q"', '*', '~', 'a\nb', '', '--flag=v,w', '!x', '\\'];
  it('leaves plainly safe words bare and quotes anything else', () => {
    expect(shellQuote('shop-web')).toBe('shop-web');
    expect(shellQuote('--ports=443')).toBe('--ports=443');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('*')).toBe("'*'");
  });
  it('round-trips every value through bash unchanged', () => {
    const script = nasty.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(nasty);
  });
});

describe('gcloudArmorAction', () => {
  it('spells Cloud Armor actions as gcloud does', () => {
    expect(gcloudArmorAction('deny(403)')).toBe('deny-403');
    expect(gcloudArmorAction('deny(429)')).toBe('deny-429');
    expect(gcloudArmorAction('rate_based_ban')).toBe('rate-based-ban');
    expect(gcloudArmorAction('throttle')).toBe('throttle');
  });
});

describe('renderGcloudScript: every script', () => {
  for (const [name, build] of Object.entries(fixtures)) {
    it(`${name}: bash header, --project on every command, valid bash`, () => {
      const graph = build();
      const script = renderGcloudScript(graph);
      const lines = script.split('\n');
      expect(lines[0]).toBe('#!/usr/bin/env bash');
      expect(lines.filter((l) => !l.startsWith('#'))[0]).toBe('set -euo pipefail');
      const commands = scriptCommands(script);
      expect(commands.length).toBeGreaterThan(5);
      for (const c of commands) expect(c.text, c.text).toMatch(/ --project=[a-z][-a-z0-9]+( |$)/);
      expect(bashSyntaxOk(script)).toEqual({ ok: true, stderr: '' });
    });

    it(`${name}: creates each managed resource once, in the graph's order, and no existing one`, () => {
      const graph = build();
      const script = renderGcloudScript(graph);
      let last = -1;
      for (const r of graph.resources) {
        if (r.kind === 'dnsRecordSet') continue;
        const key = {
          network: 'compute networks create',
          subnetwork: 'compute networks subnets create',
          address: 'compute addresses create',
          sslCertificate: 'compute ssl-certificates create',
          securityPolicy: 'compute security-policies create',
          networkEndpointGroup: r.body.serverlessDeployment ? 'beta compute network-endpoint-groups create' : 'compute network-endpoint-groups create',
          backendService: r.body.outlierDetection ? 'compute backend-services import' : 'compute backend-services create',
          urlMap: r.body.defaultUrlRedirect ? 'compute url-maps import' : 'compute url-maps create',
          targetHttpProxy: 'compute target-http-proxies create',
          targetHttpsProxy: 'compute target-https-proxies create',
          forwardingRule: 'compute forwarding-rules create',
          cloudRunIngress: 'run services update',
        }[r.kind];
        const at = scriptCommands(script).findIndex(
          (c) => c.key === key && c.text.split(/\s+/)[key.split(' ').length + 1] === r.name && (r.kind !== 'cloudRunIngress' || c.text.includes(`--region=${r.scope.slice(8)}`)),
        );
        if (!r.managed) {
          expect(at, `${r.id} must not be created`).toBe(-1);
          expect(script).toContain(`referenced, not created`);
          continue;
        }
        expect(at, `${r.id} is created`).toBeGreaterThan(last);
        last = at;
      }
    });
  }
});

describe('renderGcloudScript: global external', () => {
  const script = renderGcloudScript(globalExternalGraph());

  it('reserves a global address and uses it on both forwarding rules', () => {
    expect(one(script, 'compute addresses create').text).toContain('--global');
    for (const fr of ['shop-https', 'shop-http']) {
      const c = one(script, 'compute forwarding-rules create', fr);
      expect(c.text).toContain('--global');
      expect(c.text).toContain('--address=shop-ip');
      expect(c.text).toContain('--load-balancing-scheme=EXTERNAL_MANAGED');
      expect(c.text).toContain('--network-tier=PREMIUM');
      expect(c.text).not.toContain('--address-region');
    }
    expect(one(script, 'compute forwarding-rules create', 'shop-https').text).toMatch(/--target-https-proxy=shop-https .*--ports=443/s);
    expect(one(script, 'compute forwarding-rules create', 'shop-http').text).toMatch(/--target-http-proxy=shop-http .*--ports=80/s);
  });

  it('creates one serverless NEG per region and adds each to the global backend service', () => {
    for (const region of ['us-central1', 'europe-west1']) {
      const neg = one(script, 'compute network-endpoint-groups create', `shop-web-${region}`);
      expect(neg.text).toContain(`--region=${region}`);
      expect(neg.text).toContain('--network-endpoint-type=serverless');
      expect(neg.text).toContain('--cloud-run-service=web');
    }
    const adds = find(script, 'compute backend-services add-backend', 'shop-web');
    expect(adds.map((a) => /--network-endpoint-group-region=(\S+)/.exec(a.text)?.[1])).toEqual(['us-central1', 'europe-west1']);
    expect(adds.every((a) => a.text.includes('--global'))).toBe(true);
    expect(indexOf(script, 'compute backend-services create', 'shop-web')).toBeLessThan(indexOf(script, 'compute backend-services add-backend', 'shop-web'));
  });

  it('sets up a URL mask NEG with a tag', () => {
    const neg = one(script, 'compute network-endpoint-groups create', 'shop-api-us-central1');
    expect(neg.text).toContain(`--cloud-run-url-mask='example.com/<service>'`);
    expect(neg.text).toContain('--cloud-run-tag=blue');
    expect(neg.text).not.toContain('--cloud-run-service');
  });

  it('enables Cloud CDN with the cache mode and TTL, and logging on create', () => {
    const create = one(script, 'compute backend-services create', 'shop-web');
    expect(create.text).toMatch(/--enable-logging .*--logging-sample-rate=1 /s);
    const cdn = find(script, 'compute backend-services update', 'shop-web').find((c) => c.flags.includes('enable-cdn'));
    expect(cdn?.text).toContain('--cache-mode=CACHE_ALL_STATIC');
    expect(cdn?.text).toContain('--default-ttl=3600');
    expect(find(script, 'compute backend-services update', 'shop-api').some((c) => c.flags.includes('enable-cdn'))).toBe(false);
  });

  it('creates the Cloud Armor policy, a throttle rule and an expression rule, then attaches it', () => {
    expect(one(script, 'compute security-policies create', 'shop-armor').text).toContain('--type=CLOUD_ARMOR');
    const rules = find(script, 'compute security-policies rules create');
    expect(rules).toHaveLength(2);
    const throttle = rules.find((r) => r.text.includes(' 1000 '))?.text ?? '';
    for (const f of [
      '--security-policy=shop-armor',
      '--action=throttle',
      `--src-ip-ranges='*'`,
      '--rate-limit-threshold-count=100',
      '--rate-limit-threshold-interval-sec=60',
      '--conform-action=allow',
      '--exceed-action=deny-429',
      '--enforce-on-key=ip',
    ]) {
      expect(throttle).toContain(f);
    }
    const deny = rules.find((r) => r.text.includes(' 2000 '))?.text ?? '';
    expect(deny).toContain('--action=deny-403');
    expect(deny).toContain('--preview');
    expect(deny).toContain(`--expression='origin.region_code == '\\''XX'\\'''`);
    expect(deny).not.toContain('rate-limit');
    // The default rule is created by the API with action allow: nothing to do for it.
    expect(script).not.toContain('rules update 2147483647');
    const attach = find(script, 'compute backend-services update', 'shop-web').find((c) => c.flags.includes('security-policy'));
    expect(attach?.text).toContain('--security-policy=shop-armor');
    expect(indexOf(script, 'compute security-policies create', 'shop-armor')).toBeLessThan(indexOf(script, 'compute backend-services create', 'shop-web'));
  });

  it('imports a backend service with outlier detection from YAML (gcloud has no flags for it)', () => {
    const c = one(script, 'compute backend-services import', 'shop-api');
    expect(c.text).toContain('--global');
    const doc = parseYaml(c.stdin ?? '') as Record<string, unknown>;
    expect(doc).toMatchObject({
      name: 'shop-api',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      outlierDetection: { consecutiveErrors: 5, interval: { seconds: 10 } },
      backends: [{ group: path('networkEndpointGroup', 'regions/us-central1', 'shop-api-us-central1') }],
    });
  });

  it('builds the URL map with create and add-path-matcher', () => {
    expect(one(script, 'compute url-maps create', 'shop-map').text).toContain('--default-service=shop-web');
    const pm = one(script, 'compute url-maps add-path-matcher', 'shop-map');
    expect(pm.text).toContain('--path-matcher-name=shop');
    expect(pm.text).toContain('--new-hosts=shop.example.com,www.shop.example.com');
    expect(pm.text).toContain(`--path-rules='/api=shop-api,/api/*=shop-api'`);
  });

  it('imports the HTTP-to-HTTPS redirect URL map from a quoted heredoc', () => {
    const c = one(script, 'compute url-maps import', 'shop-redirect');
    expect(c.text).toContain('--global');
    expect(parseYaml(c.stdin ?? '')).toMatchObject({ name: 'shop-redirect', defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' } });
    expect(script).toContain(`<<'SERVERLESS_LB_YAML'`);
    expect(one(script, 'compute target-http-proxies create', 'shop-http').text).toContain('--url-map=shop-redirect');
  });

  it('creates the managed certificate and the HTTPS proxy with keep-alive', () => {
    expect(one(script, 'compute ssl-certificates create', 'shop-cert').text).toMatch(/--domains=shop\.example\.com,www\.shop\.example\.com .*--global/s);
    const proxy = one(script, 'compute target-https-proxies create', 'shop-https');
    expect(proxy.text).toContain('--ssl-certificates=shop-cert');
    expect(proxy.text).toContain('--http-keep-alive-timeout-sec=610');
  });

  it('marks ownership with descriptions and forwarding-rule labels', () => {
    expect(one(script, 'compute backend-services create', 'shop-web').text).toContain(`--description='[serverless-lb:shop] `);
    const labels = find(script, 'compute forwarding-rules update');
    expect(labels.map((l) => l.text.includes('--update-labels=serverless-lb=shop'))).toEqual([true, true]);
  });

  it('creates DNS records in the DNS project from the address read back after creation', () => {
    const records = find(script, 'dns record-sets create');
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.text).toContain('--zone=shop-zone');
      expect(r.text).toContain('--type=A');
      expect(r.text).toContain('--ttl=300');
      expect(r.text).toContain('--project=dns-project-9');
      expect(r.text).toContain('--rrdatas="${ip_shop_ip}"');
    }
    expect(script).toContain(`ip_shop_ip="$(gcloud compute addresses describe shop-ip --global --project=demo-project-1 --format='value(address)')"`);
  });

  it('restricts Cloud Run ingress in every region', () => {
    const runs = find(script, 'run services update');
    expect(runs.map((r) => /--region=(\S+)/.exec(r.text)?.[1])).toEqual(['us-central1', 'europe-west1']);
    expect(runs.every((r) => r.text.includes('--ingress=internal-and-cloud-load-balancing'))).toBe(true);
  });
});

describe('renderGcloudScript: regional external', () => {
  const script = renderGcloudScript(regionalExternalGraph());

  it('uses --region everywhere and never --global', () => {
    for (const key of ['compute backend-services create', 'compute url-maps create', 'compute target-https-proxies create', 'compute forwarding-rules create', 'compute addresses create']) {
      expect(one(script, key).text).toContain('--region=europe-west1');
    }
    expect(scriptCommands(script).some((c) => c.flags.includes('global'))).toBe(false);
  });

  it('creates the proxy-only subnet before the forwarding rule', () => {
    const subnet = one(script, 'compute networks subnets create', 'eu-app-proxy-only');
    for (const f of ['--purpose=REGIONAL_MANAGED_PROXY', '--role=ACTIVE', '--region=europe-west1', '--network=default', '--range=10.129.0.0/23']) {
      expect(subnet.text).toContain(f);
    }
    expect(indexOf(script, 'compute networks subnets create', 'eu-app-proxy-only')).toBeLessThan(indexOf(script, 'compute forwarding-rules create', 'eu-app-https'));
    expect(script).toContain('Existing VPC network default');
    expect(find(script, 'compute networks create')).toHaveLength(0);
  });

  it('puts a Standard-tier forwarding rule on the regional proxy', () => {
    const fr = one(script, 'compute forwarding-rules create');
    for (const f of ['--load-balancing-scheme=EXTERNAL_MANAGED', '--network-tier=STANDARD', '--network=default', '--address=eu-app-ip', '--target-https-proxy=eu-app-https', '--target-https-proxy-region=europe-west1']) {
      expect(fr.text).toContain(f);
    }
    expect(one(script, 'compute addresses create').text).toContain('--network-tier=STANDARD');
  });

  it('uploads the self-managed certificate from its files', () => {
    const cert = one(script, 'compute ssl-certificates create');
    expect(cert.text).toContain(`--certificate='certs/eu app.pem'`);
    expect(cert.text).toContain('--private-key=certs/eu-app.key');
    expect(cert.text).toContain('--region=europe-west1');
  });
});

describe('renderGcloudScript: internal types', () => {
  it('regional internal: address from the subnet, network and subnet on the rule, existing proxy-only subnet', () => {
    const script = renderGcloudScript(regionalInternalGraph());
    const address = one(script, 'compute addresses create', 'intra-ip');
    expect(address.text).toContain('--region=us-east1');
    expect(address.text).toContain('--subnet=backend-subnet');
    expect(address.text).toContain('--purpose=SHARED_LOADBALANCER_VIP');
    const fr = one(script, 'compute forwarding-rules create');
    for (const f of ['--region=us-east1', '--load-balancing-scheme=INTERNAL_MANAGED', '--network=corp-vpc', '--subnet=backend-subnet', '--address=intra-ip']) {
      expect(fr.text).toContain(f);
    }
    expect(fr.text).not.toContain('--subnet-region');
    expect(find(script, 'compute networks subnets create')).toHaveLength(0);
    expect(script).toContain('Existing subnetwork proxy-only-east (in us-east1): referenced, not created.');
    expect(one(script, 'compute backend-services create').text).toContain('--load-balancing-scheme=INTERNAL_MANAGED');
    expect(one(script, 'compute target-https-proxies create').text).toContain('--certificate-manager-certificates=intra-cert');
    expect(one(script, 'run services update').text).toContain('--ingress=internal');
    expect(one(script, 'run services update').text).not.toContain('load-balancing');
  });

  it('cross-region internal DNS: one geo-routed record set, each region answered with its own address, in one shell word', () => {
    const graph = exampleGraphs().find((e) => e.file === 'cross-region-internal-https.yaml')!.graph;
    const record = one(renderGcloudScript(graph), 'dns record-sets create', 'xr-api.example.com.');
    expect(record.text).toContain('--routing-policy-type=GEO');
    expect(record.text).toContain('--routing-policy-data="europe-west1=${ip_xr_https_lb_ip_europe_west1};us-central1=${ip_xr_https_lb_ip_us_central1}"');
    expect(record.text).not.toContain('--rrdatas');
  });

  it('cross-region internal: global proxy-only subnets, one global forwarding rule per region', () => {
    const script = renderGcloudScript(crossRegionInternalGraph());
    const subnets = find(script, 'compute networks subnets create');
    expect(subnets).toHaveLength(2);
    expect(subnets.every((s) => s.text.includes('--purpose=GLOBAL_MANAGED_PROXY'))).toBe(true);
    for (const region of ['us-central1', 'europe-west4']) {
      const fr = one(script, 'compute forwarding-rules create', `mesh-http-${region}`);
      for (const f of [
        '--global',
        '--load-balancing-scheme=INTERNAL_MANAGED',
        '--network=corp-vpc',
        `--subnet=apps-${region}`,
        `--subnet-region=${region}`,
        `--address=mesh-ip-${region}`,
        `--address-region=${region}`,
        '--target-http-proxy=mesh-http',
        '--ports=80',
      ]) {
        expect(fr.text).toContain(f);
      }
      expect(fr.text).not.toContain('--target-http-proxy-region');
    }
    expect(one(script, 'compute backend-services create').text).toMatch(/--global .*--load-balancing-scheme=INTERNAL_MANAGED/s);
    expect(one(script, 'compute target-http-proxies create').text).toContain('--http-keep-alive-timeout-sec=300');
  });
});

describe('renderGcloudScript: classic with App Engine, functions, API Gateway and IAP', () => {
  const script = renderGcloudScript(classicGraph({ iapSecret: { file: 'secrets/iap client.txt' } }));

  it('sets up App Engine, Cloud Functions and API Gateway NEGs with their own flags', () => {
    expect(one(script, 'compute network-endpoint-groups create', 'legacy-app').text).toContain('--app-engine-app');
    const admin = one(script, 'compute network-endpoint-groups create', 'legacy-admin').text;
    expect(admin).toContain('--app-engine-service=admin');
    expect(admin).toContain('--app-engine-version=v2');
    expect(admin).not.toContain('--app-engine-app');
    expect(one(script, 'compute network-endpoint-groups create', 'legacy-fn').text).toContain(`--cloud-function-url-mask='/fn/<function>'`);
    expect(one(script, 'compute network-endpoint-groups create', 'legacy-hook').text).toContain('--cloud-function-name=hook');
    const gw = one(script, 'beta compute network-endpoint-groups create', 'legacy-gw').text;
    expect(gw).toContain('--serverless-deployment-platform=apigateway.googleapis.com');
    expect(gw).toContain('--serverless-deployment-resource=my-gateway');
  });

  it('uses the EXTERNAL scheme, the existing address and policy, and the certificate map', () => {
    expect(find(script, 'compute backend-services create').every((c) => c.text.includes('--load-balancing-scheme=EXTERNAL '))).toBe(true);
    expect(find(script, 'compute addresses create')).toHaveLength(0);
    expect(find(script, 'compute security-policies create')).toHaveLength(0);
    expect(one(script, 'compute forwarding-rules create').text).toContain('--address=legacy-static-ip');
    expect(find(script, 'compute backend-services update', 'legacy-app').some((c) => c.text.includes('--security-policy=corp-edge-policy'))).toBe(true);
    expect(one(script, 'compute target-https-proxies create').text).toContain('--certificate-map=legacy-certs');
  });

  it('routes hosts sharing a path matcher with add-host-rule', () => {
    const matchers = find(script, 'compute url-maps add-path-matcher');
    expect(matchers.map((m) => /--path-matcher-name=(\S+)/.exec(m.text)?.[1])).toEqual(['app', 'api']);
    expect(matchers[1]?.text).toContain(`--path-rules='/fn/*=legacy-fn,/hook=legacy-hook'`);
    const hostRule = one(script, 'compute url-maps add-host-rule');
    expect(hostRule.text).toContain('--hosts=legacy-api.example.org');
    expect(hostRule.text).toContain('--path-matcher-name=api');
  });

  it('reads the IAP secret from its file when the script runs, once', () => {
    expect(script.match(/\$\(cat -- /g)).toHaveLength(1);
    expect(script).toContain(`iap_client_secret="$(cat -- 'secrets/iap client.txt')"`);
    const iaps = scriptCommands(script).filter((c) => c.flags.includes('iap'));
    expect(iaps).toHaveLength(2);
    for (const c of iaps) {
      expect(c.text).toContain(`--iap=enabled,oauth2-client-id=1234-abc.apps.googleusercontent.com,oauth2-client-secret="\${iap_client_secret}"`);
    }
  });

  it('reads the IAP secret from the environment variable, failing clearly when unset', () => {
    const envScript = renderGcloudScript(classicGraph({ iapSecret: { env: 'IAP_SECRET' } }));
    expect(envScript).toContain('oauth2-client-secret="${IAP_SECRET:?set IAP_SECRET to the IAP OAuth client secret}"');
    expect(envScript).not.toContain('$(cat');
  });
});

describe('renderGcloudScript: refusals', () => {
  it('refuses a secret given as a value instead of a reference', () => {
    const g = new GraphBuilder('bad');
    g.add('backendService', 'global', 'bad-bs', { loadBalancingScheme: 'EXTERNAL_MANAGED', iap: { enabled: true, oauth2ClientId: 'id', oauth2ClientSecret: SECRET_SENTINEL } });
    expect(() => renderGcloudScript(g.build())).toThrow(/secret reference/);
  });

  it('refuses an environment variable name that is not one', () => {
    const g = new GraphBuilder('bad');
    g.add('backendService', 'global', 'bad-bs', {
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      iap: { enabled: true, oauth2ClientId: 'id', oauth2ClientSecret: { $secret: { env: 'X}; rm -rf ~; #', what: 'IAP OAuth client secret' } } },
    });
    expect(() => renderGcloudScript(g.build())).toThrow(/environment variable/);
  });

  it('refuses to inline a secret into an imported YAML document', () => {
    const g = new GraphBuilder('bad');
    g.add('urlMap', 'global', 'bad-map', { defaultUrlRedirect: { httpsRedirect: true }, headerAction: { $secret: { env: 'X', what: 'x' } } });
    expect(() => renderGcloudScript(g.build())).toThrow(/secret/);
  });

  it('changes the default Cloud Armor rule only when it is not allow', () => {
    const g = new GraphBuilder('deny');
    g.add('securityPolicy', 'regions/us-east1', 'deny-policy', {
      type: 'CLOUD_ARMOR',
      rules: [
        { priority: 10, action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['10.0.0.0/8'] } } },
        { priority: 2147483647, action: 'deny(404)', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
      ],
    });
    const script = renderGcloudScript(g.build());
    const update = one(script, 'compute security-policies rules update');
    expect(update.text).toMatch(/update 2147483647 .*--security-policy=deny-policy .*--action=deny-404 .*--region=us-east1/s);
    expect(one(script, 'compute security-policies rules create').text).toContain('--src-ip-ranges=10.0.0.0/8');
    expect(one(script, 'compute security-policies create').text).toContain('--region=us-east1');
  });
});

/** A stand-in `gcloud` that records each call (arguments NUL-separated) and answers `describe` with an IP. */
function fakeGcloud(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const fake = join(bin, 'gcloud');
  writeFileSync(
    fake,
    [
      '#!/usr/bin/env bash',
      '{ printf "%s\\0" "$@"; printf "\\n"; } >> "$FAKE_GCLOUD_LOG"',
      'if [[ " $* " == *" import "* ]]; then cat > /dev/null; fi',
      'if [[ " $* " == *" describe "* ]]; then echo 203.0.113.10; fi',
      'exit 0',
    ].join('\n'),
  );
  chmodSync(fake, 0o755);
  return bin;
}

function runScript(script: string, env: Record<string, string>, setup?: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'slb-script-'));
  const bin = fakeGcloud(dir);
  setup?.(dir);
  const log = join(dir, 'calls.log');
  writeFileSync(join(dir, 'lb.sh'), script);
  const r = spawnSync('bash', ['lb.sh'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_GCLOUD_LOG: log, HOME: dir, ...env },
  });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => l.split('\0').slice(0, -1))
    : [];
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, calls };
}

describe('renderGcloudScript: running the script (with a stand-in gcloud)', () => {
  it('passes the secret from the file to gcloud at run time, and it is nowhere in the script', () => {
    const script = renderGcloudScript(classicGraph({ iapSecret: { file: 'secrets/iap client.txt' } }));
    expect(script).not.toContain(SECRET_SENTINEL);
    const r = runScript(script, {}, (dir) => {
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets/iap client.txt'), `${SECRET_SENTINEL}\n`);
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const iap = r.calls.filter((c) => c.some((a) => a.startsWith('--iap=')));
    expect(iap).toHaveLength(2);
    for (const c of iap) {
      expect(c).toContain(`--iap=enabled,oauth2-client-id=1234-abc.apps.googleusercontent.com,oauth2-client-secret=${SECRET_SENTINEL}`);
    }
    expect(r.stdout).not.toContain(SECRET_SENTINEL);
  });

  it('passes the secret from the environment, and stops before any IAP change when it is unset', () => {
    const script = renderGcloudScript(classicGraph({ iapSecret: { env: 'IAP_SECRET' } }));
    expect(script).not.toContain(SECRET_SENTINEL);
    const ok = runScript(script, { IAP_SECRET: SECRET_SENTINEL });
    expect(ok.status).toBe(0);
    expect(ok.calls.some((c) => c.includes(`--iap=enabled,oauth2-client-id=1234-abc.apps.googleusercontent.com,oauth2-client-secret=${SECRET_SENTINEL}`))).toBe(true);

    const missing = runScript(script, {});
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set IAP_SECRET to the IAP OAuth client secret');
    expect(missing.calls.some((c) => c.some((a) => a.startsWith('--iap=')))).toBe(false);
  });

  it('stops at the first failing step: a missing secret file', () => {
    const script = renderGcloudScript(classicGraph({ iapSecret: { file: 'secrets/absent.txt' } }));
    const r = runScript(script, {});
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.some((a) => a.startsWith('--iap=')))).toBe(false);
  });

  it('runs every command in order, with the address read back for DNS', () => {
    const graph = globalExternalGraph();
    const script = renderGcloudScript(graph);
    const r = runScript(script, {});
    expect(r.status).toBe(0);
    const expected = scriptCommands(script).map((c) => c.key);
    expect(r.calls.map((c) => c.slice(0, c.findIndex((a) => a === 'create' || a === 'update' || a === 'describe' || a.startsWith('add-') || a === 'import') + 1).join(' '))).toEqual(expected);
    const dns = r.calls.filter((c) => c[0] === 'dns');
    expect(dns.map((c) => c.find((a) => a.startsWith('--rrdatas=')))).toEqual(['--rrdatas=203.0.113.10', '--rrdatas=203.0.113.10']);
  });
});

/** The graph of every docs/examples/*.yaml (the Spec parsed by the schema, nothing else resolved). */
function exampleGraphs(): { file: string; graph: DesiredGraph }[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, graph: buildDesiredGraph(specSchema.parse(parseYaml(readFileSync(join(EXAMPLES_DIR, file), 'utf8')))) }));
}

describe('renderGcloudScript: docs/examples', () => {
  const examples = exampleGraphs();
  it('has examples to render', () => expect(examples.length).toBeGreaterThan(5));
  for (const { file, graph } of examples) {
    it(`${file}: valid bash, --project everywhere, one create per managed compute resource`, () => {
      const script = renderGcloudScript(graph);
      expect(bashSyntaxOk(script)).toEqual({ ok: true, stderr: '' });
      const commands = scriptCommands(script);
      for (const c of commands) expect(c.text).toContain(`--project=`);
      const creates = commands.filter((c) => /(?:^| )(create|import)$/.test(c.key) && c.key !== 'compute security-policies rules create' && c.key !== 'dns record-sets create');
      const managed = graph.resources.filter((r) => r.managed && r.kind !== 'cloudRunIngress' && r.kind !== 'dnsRecordSet' && r.kind !== 'cloudRunInvoker');
      expect(creates).toHaveLength(managed.length);
      expect(find(script, 'run services update')).toHaveLength(graph.resources.filter((r) => r.kind === 'cloudRunIngress').length);
      const members = graph.resources.filter((r) => r.kind === 'cloudRunInvoker').flatMap((r) => r.body.members as string[]);
      expect(find(script, 'run services add-iam-policy-binding')).toHaveLength(members.length);
    });
  }
});

describe.skipIf(!hasGcloud())('renderGcloudScript: every flag exists in the installed gcloud', () => {
  it('fixtures and docs/examples: each --flag of each command appears in that command’s --help', async () => {
    const graphs = [...Object.values(fixtures).map((build) => build()), ...exampleGraphs().map((e) => e.graph)];
    await checkFlags(graphs.flatMap((g) => scriptCommands(renderGcloudScript(g))));
  }, 180_000);

  it('the check itself catches a flag gcloud does not have', async () => {
    await expect(checkFlags([{ text: 'gcloud compute url-maps create m --default-service=x --no-such-flag=1', key: 'compute url-maps create', flags: ['default-service', 'no-such-flag'] }])).rejects.toThrow();
  }, 60_000);
});

/** Checks every flag of every command against `gcloud <command> --help`. */
async function checkFlags(commands: ScriptCommand[]): Promise<void> {
  const byKey = new Map<string, Set<string>>();
  for (const c of commands) {
    const flags = byKey.get(c.key) ?? new Set<string>();
    c.flags.forEach((f) => flags.add(f));
    byKey.set(c.key, flags);
  }
  const missing: string[] = [];
  const queue = [...byKey];
  // A few gcloud processes at a time: each one is CPU-heavy for about a second.
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, flags] = next;
      const documented = documentedFlags(await gcloudHelp(key));
      for (const f of flags) if (!documented.has(f)) missing.push(`gcloud ${key} --${f}`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  expect(missing).toEqual([]);
}
