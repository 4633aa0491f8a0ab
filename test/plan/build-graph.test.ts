import { describe, expect, it } from 'vitest';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { isOwnedBy } from '../../src/plan/ownership.js';
import { isValidName } from '../../src/model/naming.js';
import type { DesiredGraph } from '../../src/model/resource-model.js';
import { byId, spec } from './fixtures.js';

const P = 'projects/my-project';

function ids(graph: DesiredGraph): string[] {
  return graph.resources.map((r) => r.id);
}

/** Every dependsOn points to an earlier resource; ids are unique; compute names are valid; owned ones are marked. */
function expectWellFormed(graph: DesiredGraph): void {
  const seen = new Set<string>();
  for (const r of graph.resources) {
    for (const d of r.dependsOn) expect(seen.has(d), `${r.id} depends on ${d}, which must come first`).toBe(true);
    expect(seen.has(r.id)).toBe(false);
    seen.add(r.id);
    if (r.kind !== 'dnsRecordSet' && r.kind !== 'cloudRunIngress' && r.kind !== 'cloudRunInvoker') expect(isValidName(r.name), r.name).toBe(true);
    if (r.managed && r.kind !== 'dnsRecordSet' && r.kind !== 'cloudRunIngress' && r.kind !== 'cloudRunInvoker') {
      expect(isOwnedBy(r.kind, r.body, graph.lbName), `${r.id} carries the mark`).toBe(true);
    }
    if (!r.managed) expect(r.body).toEqual({ name: r.name });
  }
}

describe('global external', () => {
  const graph = buildDesiredGraph(
    spec({
      backends: [{ name: 'web', cloudRun: { service: 'web-svc' }, regions: ['europe-west1', 'us-central1'] }],
      frontend: { protocol: 'https-redirect', domains: ['shop.example.com'] },
      certificate: { type: 'managed' },
    }),
  );

  it('creates exactly what a careful engineer would, in creation order', () => {
    expectWellFormed(graph);
    expect(ids(graph)).toEqual([
      'address:global:shop-ip',
      'sslCertificate:global:shop-cert',
      'networkEndpointGroup:regions/europe-west1:shop-web-neg-europe-west1',
      'networkEndpointGroup:regions/us-central1:shop-web-neg-us-central1',
      'backendService:global:shop-web-bs',
      'urlMap:global:shop-urlmap',
      'urlMap:global:shop-redirect-urlmap',
      'targetHttpsProxy:global:shop-https-proxy',
      'targetHttpProxy:global:shop-http-proxy',
      'forwardingRule:global:shop-https-fr',
      'forwardingRule:global:shop-http-fr',
      'cloudRunIngress:regions/europe-west1:web-svc',
      'cloudRunIngress:regions/us-central1:web-svc',
      'cloudRunInvoker:regions/europe-west1:web-svc',
      'cloudRunInvoker:regions/us-central1:web-svc',
    ]);
    expect(graph.resources.every((r) => r.managed)).toBe(true);
  });

  it('reserves a global external address', () => {
    const a = byId(graph, 'address:global:shop-ip');
    expect(a.body).toMatchObject({ name: 'shop-ip', addressType: 'EXTERNAL', ipVersion: 'IPV4', labels: { 'serverless-lb': 'shop' } });
    expect(a.body.purpose).toBeUndefined();
  });

  it('makes one serverless NEG per region pointing at the Cloud Run service', () => {
    const neg = byId(graph, 'networkEndpointGroup:regions/us-central1:shop-web-neg-us-central1');
    expect(neg.body).toMatchObject({ networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web-svc' } });
    expect(neg.body.cloudRun).toEqual({ service: 'web-svc' });
  });

  it('builds a backend service with the NEGs and none of the settings serverless NEGs refuse', () => {
    const bs = byId(graph, 'backendService:global:shop-web-bs');
    expect(bs.body).toMatchObject({
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTP',
      backends: [
        { group: `${P}/regions/europe-west1/networkEndpointGroups/shop-web-neg-europe-west1` },
        { group: `${P}/regions/us-central1/networkEndpointGroups/shop-web-neg-us-central1` },
      ],
      enableCDN: false,
      logConfig: { enable: true, sampleRate: 1 },
    });
    for (const key of ['timeoutSec', 'healthChecks', 'portName', 'sessionAffinity', 'localityLbPolicy', 'iap', 'securityPolicy']) {
      expect(bs.body[key], key).toBeUndefined();
    }
    for (const b of bs.body.backends as Record<string, unknown>[]) expect(Object.keys(b)).toEqual(['group']);
    expect(bs.dependsOn.sort()).toEqual([
      'networkEndpointGroup:regions/europe-west1:shop-web-neg-europe-west1',
      'networkEndpointGroup:regions/us-central1:shop-web-neg-us-central1',
    ]);
  });

  it('routes HTTPS through the URL map and redirects HTTP on the same address', () => {
    expect(byId(graph, 'urlMap:global:shop-urlmap').body.defaultService).toBe(`${P}/global/backendServices/shop-web-bs`);
    expect(byId(graph, 'urlMap:global:shop-redirect-urlmap').body.defaultUrlRedirect).toEqual({
      httpsRedirect: true,
      redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT',
      stripQuery: false,
    });
    const https = byId(graph, 'targetHttpsProxy:global:shop-https-proxy');
    expect(https.body).toMatchObject({ urlMap: `${P}/global/urlMaps/shop-urlmap`, sslCertificates: [`${P}/global/sslCertificates/shop-cert`] });
    expect(https.dependsOn).toEqual(['urlMap:global:shop-urlmap', 'sslCertificate:global:shop-cert']);
    expect(byId(graph, 'targetHttpProxy:global:shop-http-proxy').body.urlMap).toBe(`${P}/global/urlMaps/shop-redirect-urlmap`);
    const fr443 = byId(graph, 'forwardingRule:global:shop-https-fr');
    const fr80 = byId(graph, 'forwardingRule:global:shop-http-fr');
    expect(fr443.body).toMatchObject({
      IPProtocol: 'TCP',
      portRange: '443',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      networkTier: 'PREMIUM',
      IPAddress: `${P}/global/addresses/shop-ip`,
      target: `${P}/global/targetHttpsProxies/shop-https-proxy`,
      labels: { 'serverless-lb': 'shop' },
    });
    expect(fr80.body).toMatchObject({ portRange: '80', IPAddress: `${P}/global/addresses/shop-ip`, target: `${P}/global/targetHttpProxies/shop-http-proxy` });
    expect(fr443.body.network).toBeUndefined();
    expect(fr443.body.subnetwork).toBeUndefined();
    expect(fr443.dependsOn).toEqual(['targetHttpsProxy:global:shop-https-proxy', 'address:global:shop-ip']);
  });

  it('uses a Google-managed certificate for the domains', () => {
    expect(byId(graph, 'sslCertificate:global:shop-cert').body).toMatchObject({ type: 'MANAGED', managed: { domains: ['shop.example.com'] } });
  });

  it('restricts Cloud Run ingress after the forwarding rules exist', () => {
    const ingress = byId(graph, 'cloudRunIngress:regions/europe-west1:web-svc');
    expect(ingress.body).toEqual({ ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' });
    expect(ingress.dependsOn.sort()).toEqual(['forwardingRule:global:shop-http-fr', 'forwardingRule:global:shop-https-fr']);
  });
});

describe('Cloud Run invoker access', () => {
  const backends = [
    { name: 'web', cloudRun: { service: 'web-svc' } },
    { name: 'admin', cloudRun: { service: 'admin-svc' }, iap: true },
    { name: 'legacy', cloudFunction: { function: 'fn' } },
  ];
  const iap = { oauth2ClientId: '1-a.apps.googleusercontent.com', oauth2ClientSecretEnv: 'IAP_SECRET' };
  const members = (graph: DesiredGraph) =>
    Object.fromEntries(graph.resources.filter((r) => r.kind === 'cloudRunInvoker').map((r) => [r.name, r.body.members]));

  it('auto: allUsers, or the IAP service agent behind IAP; nothing for other platforms; after the ingress change', () => {
    const graph = buildDesiredGraph(spec({ backends, frontend: { protocol: 'http' }, options: { iap } }));
    expect(members(graph)).toEqual({ 'web-svc': ['allUsers'], 'admin-svc': ['serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com'] });
    const web = byId(graph, 'cloudRunInvoker:regions/europe-west1:web-svc');
    expect(web.dependsOn).toContain('cloudRunIngress:regions/europe-west1:web-svc');
    expect(web.body.role).toBe('roles/run.invoker');
  });

  it('public, iap and unchanged as asked; one resource per service with the members of every backend on it', () => {
    expect(members(buildDesiredGraph(spec({ backends, frontend: { protocol: 'http' }, options: { iap, invoker: 'public' } })))).toEqual({ 'web-svc': ['allUsers'], 'admin-svc': ['allUsers'] });
    expect(members(buildDesiredGraph(spec({ backends, frontend: { protocol: 'http' }, options: { iap, invoker: 'unchanged' } })))).toEqual({});
    const shared = buildDesiredGraph(
      spec({ backends: [{ name: 'a', cloudRun: { service: 'svc' } }, { name: 'b', cloudRun: { service: 'svc' }, iap: true }], frontend: { protocol: 'http' }, options: { iap } }),
    );
    expect(members(shared)).toEqual({ svc: ['allUsers', 'serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com'] });
  });
});

describe('classic', () => {
  it('uses the EXTERNAL scheme everywhere and no keepalive', () => {
    const graph = buildDesiredGraph(
      spec({
        type: 'classic',
        backends: [{ name: 'fn', cloudFunction: { function: 'hello' } }],
        frontend: { protocol: 'http' },
        options: { httpKeepAliveTimeoutSec: 300 } as never,
      }),
    );
    expectWellFormed(graph);
    expect(ids(graph)).toEqual([
      'address:global:shop-ip',
      'networkEndpointGroup:regions/europe-west1:shop-fn-neg-europe-west1',
      'backendService:global:shop-fn-bs',
      'urlMap:global:shop-urlmap',
      'targetHttpProxy:global:shop-http-proxy',
      'forwardingRule:global:shop-http-fr',
    ]);
    expect(byId(graph, 'backendService:global:shop-fn-bs').body.loadBalancingScheme).toBe('EXTERNAL');
    expect(byId(graph, 'forwardingRule:global:shop-http-fr').body).toMatchObject({ loadBalancingScheme: 'EXTERNAL', portRange: '80' });
    expect(byId(graph, 'networkEndpointGroup:regions/europe-west1:shop-fn-neg-europe-west1').body.cloudFunction).toEqual({ function: 'hello' });
    expect(byId(graph, 'targetHttpProxy:global:shop-http-proxy').body.httpKeepAliveTimeoutSec).toBeUndefined();
  });

  it('points App Engine and API Gateway NEGs at their targets', () => {
    const graph = buildDesiredGraph(
      spec({
        type: 'classic',
        backends: [
          { name: 'app', appEngine: { service: 'default', version: 'v2' } },
          { name: 'api', apiGateway: { gateway: 'gw-1' } },
        ],
        frontend: { protocol: 'http' },
      }),
    );
    expect(byId(graph, 'networkEndpointGroup:regions/europe-west1:shop-app-neg-europe-west1').body.appEngine).toEqual({ service: 'default', version: 'v2' });
    expect(byId(graph, 'networkEndpointGroup:regions/europe-west1:shop-api-neg-europe-west1').body.serverlessDeployment).toEqual({
      platform: 'apigateway.googleapis.com',
      resource: 'gw-1',
    });
    // No Cloud Run service: no ingress step.
    expect(graph.resources.some((r) => r.kind === 'cloudRunIngress')).toBe(false);
  });
});

describe('regional external', () => {
  const graph = buildDesiredGraph(
    spec({
      type: 'regional-external',
      backends: [{ name: 'web', cloudRun: { service: 'web' } }],
      frontend: {
        protocol: 'https',
        address: { mode: 'reserve', networkTier: 'STANDARD' },
        network: { network: 'vpc', proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.129.0.0/23' } } },
      } as never,
      certificate: { type: 'self-managed', certificateFile: 'cert.pem', privateKeyFile: 'key.pem' },
      options: { httpKeepAliveTimeoutSec: 120 } as never,
    }),
  );
  const R = 'regions/europe-west1';

  it('puts everything in the region, with a proxy-only subnet first', () => {
    expectWellFormed(graph);
    expect(ids(graph)).toEqual([
      'network:global:vpc',
      `subnetwork:${R}:shop-proxy-only-europe-west1`,
      `address:${R}:shop-ip`,
      `sslCertificate:${R}:shop-cert`,
      `networkEndpointGroup:${R}:shop-web-neg-europe-west1`,
      `backendService:${R}:shop-web-bs`,
      `urlMap:${R}:shop-urlmap`,
      `targetHttpsProxy:${R}:shop-https-proxy`,
      `forwardingRule:${R}:shop-https-fr`,
      `cloudRunIngress:${R}:web`,
      `cloudRunInvoker:${R}:web`,
    ]);
    expect(byId(graph, 'network:global:vpc').managed).toBe(false);
  });

  it('creates a REGIONAL_MANAGED_PROXY subnet in the VPC', () => {
    expect(byId(graph, `subnetwork:${R}:shop-proxy-only-europe-west1`).body).toMatchObject({
      network: `${P}/global/networks/vpc`,
      purpose: 'REGIONAL_MANAGED_PROXY',
      role: 'ACTIVE',
      ipCidrRange: '10.129.0.0/23',
    });
  });

  it('reserves a regional external address on the chosen tier and puts the network on the forwarding rule', () => {
    expect(byId(graph, `address:${R}:shop-ip`).body).toMatchObject({ addressType: 'EXTERNAL', networkTier: 'STANDARD' });
    const fr = byId(graph, `forwardingRule:${R}:shop-https-fr`);
    expect(fr.body).toMatchObject({
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      networkTier: 'STANDARD',
      network: `${P}/global/networks/vpc`,
      IPAddress: `${P}/${R}/addresses/shop-ip`,
      target: `${P}/${R}/targetHttpsProxies/shop-https-proxy`,
    });
    expect(fr.body.subnetwork).toBeUndefined();
    expect(fr.dependsOn).toContain(`subnetwork:${R}:shop-proxy-only-europe-west1`);
  });

  it('uploads a regional self-managed certificate with the key as a placeholder', () => {
    const cert = byId(graph, `sslCertificate:${R}:shop-cert`);
    expect(cert.body.certificate).toEqual({ $file: 'cert.pem' });
    expect(cert.body.privateKey).toEqual({ $secret: { file: 'key.pem', what: 'private key of certificate shop-cert' } });
    expect(byId(graph, `targetHttpsProxy:${R}:shop-https-proxy`).body).toMatchObject({
      sslCertificates: [`${P}/${R}/sslCertificates/shop-cert`],
      httpKeepAliveTimeoutSec: 120,
    });
  });

  it('makes no CDN setting on regional backend services', () => {
    const bs = byId(graph, `backendService:${R}:shop-web-bs`);
    expect(bs.body.enableCDN).toBeUndefined();
    expect(bs.body.loadBalancingScheme).toBe('EXTERNAL_MANAGED');
  });
});

describe('regional internal', () => {
  const graph = buildDesiredGraph(
    spec({
      type: 'regional-internal',
      backends: [{ name: 'api', cloudRun: { service: 'api' } }],
      frontend: {
        protocol: 'https-redirect',
        network: { network: 'vpc', subnet: 'apps', proxyOnlySubnet: { mode: 'existing', name: 'proxy-only' } },
      } as never,
      certificate: { type: 'certificate-manager', certificates: ['api-cert'] },
      options: { cloudArmor: { existingPolicy: 'corp-policy' } } as never,
    }),
  );
  const R = 'regions/europe-west1';

  it('uses the existing network, subnets and policy without managing them', () => {
    expectWellFormed(graph);
    expect(graph.resources.filter((r) => !r.managed).map((r) => r.id)).toEqual([
      'network:global:vpc',
      `subnetwork:${R}:proxy-only`,
      `subnetwork:${R}:apps`,
      `securityPolicy:${R}:corp-policy`,
    ]);
    expect(byId(graph, `backendService:${R}:shop-api-bs`).body.securityPolicy).toBe(`${P}/${R}/securityPolicies/corp-policy`);
  });

  it('takes a shared internal address from the regular subnet for both listeners', () => {
    const a = byId(graph, `address:${R}:shop-ip`);
    expect(a.body).toMatchObject({ addressType: 'INTERNAL', subnetwork: `${P}/${R}/subnetworks/apps`, purpose: 'SHARED_LOADBALANCER_VIP' });
    expect(a.dependsOn).toEqual([`subnetwork:${R}:apps`]);
    for (const name of ['shop-https-fr', 'shop-http-fr']) {
      const fr = byId(graph, `forwardingRule:${R}:${name}`);
      expect(fr.body).toMatchObject({
        loadBalancingScheme: 'INTERNAL_MANAGED',
        network: `${P}/global/networks/vpc`,
        subnetwork: `${P}/${R}/subnetworks/apps`,
        IPAddress: `${P}/${R}/addresses/shop-ip`,
      });
      expect(fr.body.networkTier).toBeUndefined();
      expect(fr.dependsOn).toContain(`subnetwork:${R}:proxy-only`);
    }
  });

  it('references Certificate Manager certificates in the region', () => {
    expect(byId(graph, `targetHttpsProxy:${R}:shop-https-proxy`).body.sslCertificates).toEqual([
      '//certificatemanager.googleapis.com/projects/my-project/locations/europe-west1/certificates/api-cert',
    ]);
    expect(graph.resources.some((r) => r.kind === 'sslCertificate')).toBe(false);
  });

  it('restricts ingress to internal traffic', () => {
    expect(byId(graph, `cloudRunIngress:${R}:api`).body).toEqual({ ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
  });
});

describe('cross-region internal', () => {
  const graph = buildDesiredGraph(
    spec({
      type: 'cross-region-internal',
      regions: ['europe-west1', 'us-east1'],
      backends: [{ name: 'api', cloudRun: { service: 'api' } }],
      frontend: {
        protocol: 'https',
        domains: ['api.internal.example'],
        network: { network: 'vpc', subnet: 'apps', proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.1.0.0/23', 'us-east1': '10.2.0.0/23' } } },
      } as never,
      certificate: { type: 'certificate-manager', certificates: ['api-cert'] },
      options: { outlierDetection: { consecutiveErrors: 5, intervalSec: 10 } } as never,
      dns: { managedZone: 'internal-zone' },
    }),
  );

  it('has global backend service, URL map, proxy, and one global forwarding rule per region', () => {
    expectWellFormed(graph);
    expect(ids(graph)).toEqual([
      'network:global:vpc',
      'subnetwork:regions/europe-west1:shop-proxy-only-europe-west1',
      'subnetwork:regions/us-east1:shop-proxy-only-us-east1',
      'subnetwork:regions/europe-west1:apps',
      'subnetwork:regions/us-east1:apps',
      'address:regions/europe-west1:shop-ip-europe-west1',
      'address:regions/us-east1:shop-ip-us-east1',
      'networkEndpointGroup:regions/europe-west1:shop-api-neg-europe-west1',
      'networkEndpointGroup:regions/us-east1:shop-api-neg-us-east1',
      'backendService:global:shop-api-bs',
      'urlMap:global:shop-urlmap',
      'targetHttpsProxy:global:shop-https-proxy',
      'forwardingRule:global:shop-https-fr-europe-west1',
      'forwardingRule:global:shop-https-fr-us-east1',
      'dnsRecordSet:global:api.internal.example.',
      'cloudRunIngress:regions/europe-west1:api',
      'cloudRunIngress:regions/us-east1:api',
      'cloudRunInvoker:regions/europe-west1:api',
      'cloudRunInvoker:regions/us-east1:api',
    ]);
  });

  it('creates GLOBAL_MANAGED_PROXY subnets and takes each address from the subnet of its region', () => {
    expect(byId(graph, 'subnetwork:regions/us-east1:shop-proxy-only-us-east1').body).toMatchObject({ purpose: 'GLOBAL_MANAGED_PROXY', ipCidrRange: '10.2.0.0/23' });
    expect(byId(graph, 'address:regions/us-east1:shop-ip-us-east1').body).toMatchObject({
      addressType: 'INTERNAL',
      subnetwork: `${P}/regions/us-east1/subnetworks/apps`,
    });
    const fr = byId(graph, 'forwardingRule:global:shop-https-fr-us-east1');
    expect(fr.body).toMatchObject({
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: `${P}/global/networks/vpc`,
      subnetwork: `${P}/regions/us-east1/subnetworks/apps`,
      IPAddress: `${P}/regions/us-east1/addresses/shop-ip-us-east1`,
      target: `${P}/global/targetHttpsProxies/shop-https-proxy`,
    });
    expect(fr.dependsOn).toContain('subnetwork:regions/us-east1:shop-proxy-only-us-east1');
  });

  it('uses global Certificate Manager certificates and outlier detection', () => {
    expect(byId(graph, 'targetHttpsProxy:global:shop-https-proxy').body.sslCertificates).toEqual([
      '//certificatemanager.googleapis.com/projects/my-project/locations/global/certificates/api-cert',
    ]);
    const bs = byId(graph, 'backendService:global:shop-api-bs');
    expect(bs.body).toMatchObject({ loadBalancingScheme: 'INTERNAL_MANAGED', outlierDetection: { consecutiveErrors: 5, interval: { seconds: 10 } } });
    expect(bs.body.enableCDN).toBeUndefined();
  });

  it('answers DNS per region with a geo routing policy of the regional addresses', () => {
    const dns = byId(graph, 'dnsRecordSet:global:api.internal.example.');
    expect(dns.zone).toBe('internal-zone');
    expect(dns.body).toMatchObject({ name: 'api.internal.example.', type: 'A', ttl: 300 });
    expect(dns.body.routingPolicy).toEqual({
      geo: {
        items: [
          { location: 'europe-west1', rrdatas: [{ $output: { id: 'address:regions/europe-west1:shop-ip-europe-west1', field: 'address' } }] },
          { location: 'us-east1', rrdatas: [{ $output: { id: 'address:regions/us-east1:shop-ip-us-east1', field: 'address' } }] },
        ],
      },
    });
  });
});

describe('features', () => {
  it('creates a Cloud Armor policy with rate limits and the default rule, and attaches it', () => {
    const graph = buildDesiredGraph(
      spec({
        backends: [{ name: 'web', cloudRun: { service: 'web' } }],
        frontend: { protocol: 'http' },
        options: {
          cloudArmor: {
            defaultAction: 'deny(403)',
            rules: [
              { priority: 2000, action: 'allow', srcIpRanges: ['10.0.0.0/8'] },
              { priority: 1000, action: 'throttle', expression: "origin.region_code == 'FR'", rateLimit: { count: 100, intervalSec: 60 } },
              { priority: 1500, action: 'rate_based_ban', srcIpRanges: ['*'], rateLimit: { count: 10, intervalSec: 10, banDurationSec: 600 } },
            ],
          },
        } as never,
      }),
    );
    const policy = byId(graph, 'securityPolicy:global:shop-armor');
    expect(policy.body.type).toBe('CLOUD_ARMOR');
    const rules = policy.body.rules as Record<string, unknown>[];
    expect(rules.map((r) => r.priority)).toEqual([1000, 1500, 2000, 2147483647]);
    expect(rules[0]).toMatchObject({
      action: 'throttle',
      match: { expr: { expression: "origin.region_code == 'FR'" } },
      rateLimitOptions: { conformAction: 'allow', exceedAction: 'deny(429)', rateLimitThreshold: { count: 100, intervalSec: 60 }, enforceOnKey: 'IP' },
    });
    expect((rules[0]!.rateLimitOptions as Record<string, unknown>).banDurationSec).toBeUndefined();
    expect((rules[1]!.rateLimitOptions as Record<string, unknown>).banDurationSec).toBe(600);
    expect(rules[2]!.rateLimitOptions).toBeUndefined();
    expect(rules[3]).toMatchObject({ action: 'deny(403)', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } });
    const bs = byId(graph, 'backendService:global:shop-web-bs');
    expect(bs.body.securityPolicy).toBe(`${P}/global/securityPolicies/shop-armor`);
    expect(bs.dependsOn).toContain('securityPolicy:global:shop-armor');
    expect(policy.body.labels).toEqual({ 'serverless-lb': 'shop' });
  });

  it('sets CDN, IAP (secret as placeholder) and logging per backend', () => {
    const graph = buildDesiredGraph(
      spec({
        backends: [
          { name: 'static', cloudRun: { service: 'static' } },
          { name: 'admin', cloudRun: { service: 'admin' }, cdn: false, iap: true },
        ],
        routing: { defaultBackend: 'static', hosts: [{ hosts: ['admin.example.com'], defaultBackend: 'admin', paths: [{ paths: ['/assets/*'], backend: 'static' }] }] },
        frontend: { protocol: 'http' },
        options: {
          cdn: { enabled: true, cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600 },
          iap: { enabled: false, oauth2ClientId: 'client-id', oauth2ClientSecretEnv: 'IAP_SECRET' },
          logging: { enabled: false },
        } as never,
      }),
    );
    const stat = byId(graph, 'backendService:global:shop-static-bs');
    expect(stat.body).toMatchObject({ enableCDN: true, cdnPolicy: { cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600 }, logConfig: { enable: false } });
    expect(stat.body.iap).toBeUndefined();
    const admin = byId(graph, 'backendService:global:shop-admin-bs');
    expect(admin.body.enableCDN).toBe(false);
    expect(admin.body.cdnPolicy).toBeUndefined();
    expect(admin.body.iap).toEqual({ enabled: true, oauth2ClientId: 'client-id', oauth2ClientSecret: { $secret: { env: 'IAP_SECRET', what: 'IAP OAuth client secret' } } });

    const map = byId(graph, 'urlMap:global:shop-urlmap');
    expect(map.body).toMatchObject({
      defaultService: `${P}/global/backendServices/shop-static-bs`,
      hostRules: [{ hosts: ['admin.example.com'], pathMatcher: 'hosts-1' }],
      pathMatchers: [
        {
          name: 'hosts-1',
          defaultService: `${P}/global/backendServices/shop-admin-bs`,
          pathRules: [{ paths: ['/assets/*'], service: `${P}/global/backendServices/shop-static-bs` }],
        },
      ],
    });
    expect(map.dependsOn.sort()).toEqual(['backendService:global:shop-admin-bs', 'backendService:global:shop-static-bs']);
  });

  it('names existing certificates, addresses and a certificate map without managing them', () => {
    const graph = buildDesiredGraph(
      spec({
        backends: [{ name: 'web', cloudRun: { urlMask: '<service>.example.com' } }],
        frontend: { protocol: 'https', address: { mode: 'existing', name: 'my-ip' } } as never,
        certificate: { type: 'existing', names: ['cert-a', 'cert-b'] },
      }),
    );
    expect(byId(graph, 'address:global:my-ip').managed).toBe(false);
    expect(byId(graph, 'sslCertificate:global:cert-a').managed).toBe(false);
    expect(byId(graph, 'targetHttpsProxy:global:shop-https-proxy').body.sslCertificates).toEqual([
      `${P}/global/sslCertificates/cert-a`,
      `${P}/global/sslCertificates/cert-b`,
    ]);
    expect(byId(graph, 'forwardingRule:global:shop-https-fr').body.IPAddress).toBe(`${P}/global/addresses/my-ip`);
    // A URL mask: no service to restrict.
    expect(graph.resources.some((r) => r.kind === 'cloudRunIngress')).toBe(false);

    const mapped = buildDesiredGraph(
      spec({ backends: [{ name: 'web', cloudRun: { service: 'web' } }], certificate: { type: 'certificate-manager', certificateMap: 'my-map' } }),
    );
    const proxy = byId(mapped, 'targetHttpsProxy:global:shop-https-proxy');
    expect(proxy.body.certificateMap).toBe('//certificatemanager.googleapis.com/projects/my-project/locations/global/certificateMaps/my-map');
    expect(proxy.body.sslCertificates).toBeUndefined();
  });

  it('leaves out the address with an ephemeral IP, and DNS then follows the forwarding rule', () => {
    const graph = buildDesiredGraph(
      spec({
        backends: [{ name: 'web', cloudRun: { service: 'web' } }],
        frontend: { protocol: 'http', domains: ['a.example.com'], address: { mode: 'ephemeral', ipVersion: 'IPV6' } } as never,
        options: { ingress: 'unchanged' } as never,
        dns: { managedZone: 'zone', project: 'dns-project' },
      }),
    );
    expect(graph.resources.some((r) => r.kind === 'address')).toBe(false);
    expect(byId(graph, 'forwardingRule:global:shop-http-fr').body.IPAddress).toBeUndefined();
    expect(byId(graph, 'forwardingRule:global:shop-http-fr').body.ipVersion).toBe('IPV6');
    const dns = byId(graph, 'dnsRecordSet:global:a.example.com./AAAA');
    expect(dns.project).toBe('dns-project');
    expect(dns.body).toMatchObject({ name: 'a.example.com.', type: 'AAAA', rrdatas: [{ $output: { id: 'forwardingRule:global:shop-http-fr', field: 'IPAddress' } }] });
    expect(graph.resources.some((r) => r.kind === 'cloudRunIngress')).toBe(false);
  });

  it('sets one ingress step per Cloud Run service and region even when backends share a service', () => {
    const graph = buildDesiredGraph(
      spec({
        backends: [
          { name: 'a', cloudRun: { service: 'svc' } },
          { name: 'b', cloudRun: { service: 'svc', tag: 'green' } },
        ],
        frontend: { protocol: 'http' },
        options: { ingress: 'internal' } as never,
      }),
    );
    const steps = graph.resources.filter((r) => r.kind === 'cloudRunIngress');
    expect(steps.map((s) => s.id)).toEqual(['cloudRunIngress:regions/europe-west1:svc']);
    expect(steps[0]!.body.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(byId(graph, 'networkEndpointGroup:regions/europe-west1:shop-b-neg-europe-west1').body.cloudRun).toEqual({ service: 'svc', tag: 'green' });
  });
});

describe('Google\'s URL map size limit', () => {
  const hosts = (n: number) => Array.from({ length: n }, (_, i) => ({ hosts: [`host-${i}.example.com`], defaultBackend: 'web', paths: [{ paths: ['/api/*', '/static/*'], backend: 'web' }] }));
  it('refuses a classic routing over 64 KB, naming the routing; the same routing fits the global external type (1 MB)', async () => {
    const { spec } = await import('./fixtures.js');
    const { UsageError } = await import('../../src/errors.js');
    const big = { backends: [{ name: 'web', cloudRun: { service: 'web' } }], routing: { defaultBackend: 'web', hosts: hosts(400) }, frontend: { protocol: 'http' } };
    let error: unknown;
    try {
      buildDesiredGraph(spec({ ...big, type: 'classic' } as never));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'config.url-map-size', exitCode: 2 });
    expect((error as Error).message).toMatch(/Google takes at most 64 KB for the classic Application Load Balancer/);
    expect(() => buildDesiredGraph(spec({ ...big, type: 'global-external' } as never))).not.toThrow();
  });
});
