/**
 * Hand-built desired graphs for the export renderers' tests: Compute Engine v1 request bodies as
 * the graph builder writes them (camelCase, project-relative references, FileRef / SecretRef /
 * OutputRef placeholders), one graph per load balancer type plus feature variants.
 */
import { resourceId, type DesiredGraph, type DesiredResource, type ResourceKind, type Scope } from '../../src/model/resource-model.js';

export const PROJECT = 'demo-project-1';
/** A value that must never appear in any export: tests write it into the secret's file or variable. */
export const SECRET_SENTINEL = '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';

const COLLECTION: Partial<Record<ResourceKind, string>> = {
  network: 'networks',
  subnetwork: 'subnetworks',
  address: 'addresses',
  sslCertificate: 'sslCertificates',
  securityPolicy: 'securityPolicies',
  networkEndpointGroup: 'networkEndpointGroups',
  backendService: 'backendServices',
  urlMap: 'urlMaps',
  targetHttpProxy: 'targetHttpProxies',
  targetHttpsProxy: 'targetHttpsProxies',
  forwardingRule: 'forwardingRules',
};

export function path(kind: ResourceKind, scope: Scope, name: string, project = PROJECT): string {
  return `projects/${project}/${scope}/${COLLECTION[kind] as string}/${name}`;
}

const mark = (lb: string, purpose: string): string => `[serverless-lb:${lb}] ${purpose}`;

export class GraphBuilder {
  readonly resources: DesiredResource[] = [];
  constructor(readonly lbName: string, readonly project = PROJECT) {}

  add(
    kind: ResourceKind,
    scope: Scope,
    name: string,
    body: Record<string, unknown>,
    opts: { dependsOn?: string[]; managed?: boolean; zone?: string; project?: string; purpose?: string } = {},
  ): string {
    const purpose = opts.purpose ?? `${kind} for ${this.lbName}`;
    const managed = opts.managed ?? true;
    const withMark = managed && kind !== 'dnsRecordSet' && kind !== 'cloudRunIngress' && kind !== 'network' ? { description: mark(this.lbName, purpose), ...body } : body;
    const id = resourceId(kind, scope, name);
    this.resources.push({
      id,
      kind,
      name,
      scope,
      project: opts.project ?? this.project,
      body: { ...(kind === 'cloudRunIngress' || kind === 'dnsRecordSet' ? {} : { name }), ...withMark },
      dependsOn: opts.dependsOn ?? [],
      managed,
      ...(opts.zone ? { zone: opts.zone } : {}),
      purpose,
    });
    return id;
  }

  build(): DesiredGraph {
    return { lbName: this.lbName, project: this.project, resources: this.resources };
  }
}

const labels = (lb: string) => ({ 'serverless-lb': lb });

/** Global external ALB: two regions, CDN, Cloud Armor rate limiting, managed cert, redirect, DNS, ingress. */
export function globalExternalGraph(): DesiredGraph {
  const lb = 'shop';
  const g = new GraphBuilder(lb);
  const addr = g.add('address', 'global', 'shop-ip', { ipVersion: 'IPV4', addressType: 'EXTERNAL', labels: labels(lb) });
  const cert = g.add('sslCertificate', 'global', 'shop-cert', { type: 'MANAGED', managed: { domains: ['shop.example.com', 'www.shop.example.com'] } });
  const policy = g.add('securityPolicy', 'global', 'shop-armor', {
    type: 'CLOUD_ARMOR',
    labels: labels(lb),
    rules: [
      {
        priority: 1000,
        action: 'throttle',
        description: 'rate limit per IP',
        match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
        rateLimitOptions: {
          rateLimitThreshold: { count: 100, intervalSec: 60 },
          conformAction: 'allow',
          exceedAction: 'deny(429)',
          enforceOnKey: 'IP',
        },
      },
      { priority: 2000, action: 'deny(403)', match: { expr: { expression: "origin.region_code == 'XX'" } }, preview: true },
      { priority: 2147483647, action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } }, description: 'default rule' },
    ],
  });
  const negs = ['us-central1', 'europe-west1'].map((region) =>
    g.add('networkEndpointGroup', `regions/${region}`, `shop-web-${region}`, { networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } }),
  );
  const negApi = g.add('networkEndpointGroup', 'regions/us-central1', 'shop-api-us-central1', {
    networkEndpointType: 'SERVERLESS',
    cloudRun: { urlMask: 'example.com/<service>', tag: 'blue' },
  });
  const bsWeb = g.add(
    'backendService',
    'global',
    'shop-web',
    {
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      backends: negs.map((id) => ({ group: path('networkEndpointGroup', id.split(':')[1] as Scope, id.split(':')[2] as string) })),
      enableCDN: true,
      cdnPolicy: { cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600 },
      logConfig: { enable: true, sampleRate: 1 },
      securityPolicy: path('securityPolicy', 'global', 'shop-armor'),
    },
    { dependsOn: [...negs, policy] },
  );
  const bsApi = g.add(
    'backendService',
    'global',
    'shop-api',
    {
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      backends: [{ group: path('networkEndpointGroup', 'regions/us-central1', 'shop-api-us-central1') }],
      logConfig: { enable: true, sampleRate: 0.5 },
      outlierDetection: { consecutiveErrors: 5, interval: { seconds: 10 }, baseEjectionTime: { seconds: 30 }, maxEjectionPercent: 50 },
    },
    { dependsOn: [negApi] },
  );
  const urlMap = g.add(
    'urlMap',
    'global',
    'shop-map',
    {
      defaultService: path('backendService', 'global', 'shop-web'),
      hostRules: [{ hosts: ['shop.example.com', 'www.shop.example.com'], pathMatcher: 'shop' }],
      pathMatchers: [
        {
          name: 'shop',
          defaultService: path('backendService', 'global', 'shop-web'),
          pathRules: [{ paths: ['/api', '/api/*'], service: path('backendService', 'global', 'shop-api') }],
        },
      ],
    },
    { dependsOn: [bsWeb, bsApi] },
  );
  const https = g.add(
    'targetHttpsProxy',
    'global',
    'shop-https',
    { urlMap: path('urlMap', 'global', 'shop-map'), sslCertificates: [path('sslCertificate', 'global', 'shop-cert')], httpKeepAliveTimeoutSec: 610 },
    { dependsOn: [urlMap, cert] },
  );
  const fr = g.add(
    'forwardingRule',
    'global',
    'shop-https',
    {
      IPAddress: path('address', 'global', 'shop-ip'),
      IPProtocol: 'TCP',
      portRange: '443',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      networkTier: 'PREMIUM',
      target: path('targetHttpsProxy', 'global', 'shop-https'),
      labels: labels(lb),
    },
    { dependsOn: [addr, https] },
  );
  const redirect = g.add('urlMap', 'global', 'shop-redirect', {
    defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
  });
  const http = g.add('targetHttpProxy', 'global', 'shop-http', { urlMap: path('urlMap', 'global', 'shop-redirect') }, { dependsOn: [redirect] });
  g.add(
    'forwardingRule',
    'global',
    'shop-http',
    {
      IPAddress: path('address', 'global', 'shop-ip'),
      IPProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      networkTier: 'PREMIUM',
      target: path('targetHttpProxy', 'global', 'shop-http'),
      labels: labels(lb),
    },
    { dependsOn: [addr, http] },
  );
  for (const host of ['shop.example.com.', 'www.shop.example.com.']) {
    g.add(
      'dnsRecordSet',
      'global',
      `${host}A`,
      { name: host, type: 'A', ttl: 300, rrdatas: [{ $output: { id: addr, field: 'address' } }] },
      { dependsOn: [addr, fr], zone: 'shop-zone', project: 'dns-project-9' },
    );
  }
  for (const region of ['us-central1', 'europe-west1']) {
    g.add('cloudRunIngress', `regions/${region}`, 'web', { ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' }, { dependsOn: [fr] });
  }
  return g.build();
}

/** Regional external ALB: created proxy-only subnet, Standard tier, self-managed regional certificate. */
export function regionalExternalGraph(): DesiredGraph {
  const lb = 'eu-app';
  const region = 'europe-west1';
  const scope: Scope = `regions/${region}`;
  const g = new GraphBuilder(lb);
  g.add('network', 'global', 'default', {}, { managed: false, purpose: 'the VPC network' });
  const subnet = g.add('subnetwork', scope, 'eu-app-proxy-only', {
    network: path('network', 'global', 'default'),
    ipCidrRange: '10.129.0.0/23',
    purpose: 'REGIONAL_MANAGED_PROXY',
    role: 'ACTIVE',
    region,
  });
  const addr = g.add('address', scope, 'eu-app-ip', { addressType: 'EXTERNAL', networkTier: 'STANDARD', labels: labels(lb) });
  const cert = g.add('sslCertificate', scope, 'eu-app-cert', {
    type: 'SELF_MANAGED',
    certificate: { $file: 'certs/eu app.pem' },
    privateKey: { $secret: { file: 'certs/eu-app.key', what: 'TLS private key' } },
  });
  const neg = g.add('networkEndpointGroup', scope, 'eu-app-web', { networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } });
  const bs = g.add(
    'backendService',
    scope,
    'eu-app-web',
    { loadBalancingScheme: 'EXTERNAL_MANAGED', protocol: 'HTTPS', backends: [{ group: path('networkEndpointGroup', scope, 'eu-app-web') }], logConfig: { enable: false } },
    { dependsOn: [neg] },
  );
  const map = g.add('urlMap', scope, 'eu-app-map', { defaultService: path('backendService', scope, 'eu-app-web') }, { dependsOn: [bs] });
  const proxy = g.add(
    'targetHttpsProxy',
    scope,
    'eu-app-https',
    { urlMap: path('urlMap', scope, 'eu-app-map'), sslCertificates: [path('sslCertificate', scope, 'eu-app-cert')] },
    { dependsOn: [map, cert] },
  );
  g.add(
    'forwardingRule',
    scope,
    'eu-app-https',
    {
      IPAddress: path('address', scope, 'eu-app-ip'),
      IPProtocol: 'TCP',
      portRange: '443',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      networkTier: 'STANDARD',
      network: path('network', 'global', 'default'),
      target: path('targetHttpsProxy', scope, 'eu-app-https'),
      labels: labels(lb),
    },
    { dependsOn: [addr, proxy, subnet] },
  );
  g.add('cloudRunIngress', scope, 'web', { ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' });
  return g.build();
}

/** Regional internal ALB: existing proxy-only subnet, internal address from a subnet, Certificate Manager cert. */
export function regionalInternalGraph(): DesiredGraph {
  const lb = 'intra';
  const region = 'us-east1';
  const scope: Scope = `regions/${region}`;
  const g = new GraphBuilder(lb);
  g.add('subnetwork', scope, 'proxy-only-east', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' }, { managed: false, purpose: 'the proxy-only subnet' });
  const addr = g.add('address', scope, 'intra-ip', {
    addressType: 'INTERNAL',
    subnetwork: path('subnetwork', scope, 'backend-subnet'),
    purpose: 'SHARED_LOADBALANCER_VIP',
    labels: labels(lb),
  });
  const neg = g.add('networkEndpointGroup', scope, 'intra-web', { networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } });
  const bs = g.add(
    'backendService',
    scope,
    'intra-web',
    { loadBalancingScheme: 'INTERNAL_MANAGED', protocol: 'HTTPS', backends: [{ group: path('networkEndpointGroup', scope, 'intra-web') }] },
    { dependsOn: [neg] },
  );
  const map = g.add('urlMap', scope, 'intra-map', { defaultService: path('backendService', scope, 'intra-web') }, { dependsOn: [bs] });
  const proxy = g.add(
    'targetHttpsProxy',
    scope,
    'intra-https',
    {
      urlMap: path('urlMap', scope, 'intra-map'),
      sslCertificates: [`//certificatemanager.googleapis.com/projects/${PROJECT}/locations/${region}/certificates/intra-cert`],
      httpKeepAliveTimeoutSec: 600,
    },
    { dependsOn: [map] },
  );
  g.add(
    'forwardingRule',
    scope,
    'intra-https',
    {
      IPAddress: path('address', scope, 'intra-ip'),
      IPProtocol: 'TCP',
      portRange: '443',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      network: path('network', 'global', 'corp-vpc'),
      subnetwork: path('subnetwork', scope, 'backend-subnet'),
      target: path('targetHttpsProxy', scope, 'intra-https'),
      labels: labels(lb),
    },
    { dependsOn: [addr, proxy, resourceId('subnetwork', scope, 'proxy-only-east')] },
  );
  g.add('cloudRunIngress', scope, 'web', { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
  return g.build();
}

/** Cross-region internal ALB: created global proxy-only subnets, a forwarding rule per region, HTTP. */
export function crossRegionInternalGraph(): DesiredGraph {
  const lb = 'mesh';
  const regions = ['us-central1', 'europe-west4'];
  const g = new GraphBuilder(lb);
  const subnets = regions.map((region, i) =>
    g.add('subnetwork', `regions/${region}`, `mesh-proxy-${region}`, {
      network: path('network', 'global', 'corp-vpc'),
      ipCidrRange: `10.${130 + i}.0.0/23`,
      purpose: 'GLOBAL_MANAGED_PROXY',
      role: 'ACTIVE',
    }),
  );
  const addrs = regions.map((region) =>
    g.add('address', `regions/${region}`, `mesh-ip-${region}`, {
      addressType: 'INTERNAL',
      subnetwork: path('subnetwork', `regions/${region}`, `apps-${region}`),
      labels: labels(lb),
    }),
  );
  const negs = regions.map((region) =>
    g.add('networkEndpointGroup', `regions/${region}`, `mesh-svc-${region}`, { networkEndpointType: 'SERVERLESS', cloudRun: { service: 'svc' } }),
  );
  const bs = g.add(
    'backendService',
    'global',
    'mesh-svc',
    {
      loadBalancingScheme: 'INTERNAL_MANAGED',
      protocol: 'HTTPS',
      backends: regions.map((region) => ({ group: path('networkEndpointGroup', `regions/${region}`, `mesh-svc-${region}`) })),
    },
    { dependsOn: negs },
  );
  const map = g.add('urlMap', 'global', 'mesh-map', { defaultService: path('backendService', 'global', 'mesh-svc') }, { dependsOn: [bs] });
  const proxy = g.add('targetHttpProxy', 'global', 'mesh-http', { urlMap: path('urlMap', 'global', 'mesh-map'), httpKeepAliveTimeoutSec: 300 }, { dependsOn: [map] });
  regions.forEach((region, i) => {
    g.add(
      'forwardingRule',
      'global',
      `mesh-http-${region}`,
      {
        IPAddress: path('address', `regions/${region}`, `mesh-ip-${region}`),
        IPProtocol: 'TCP',
        portRange: '80',
        loadBalancingScheme: 'INTERNAL_MANAGED',
        network: path('network', 'global', 'corp-vpc'),
        subnetwork: path('subnetwork', `regions/${region}`, `apps-${region}`),
        target: path('targetHttpProxy', 'global', 'mesh-http'),
        labels: labels(lb),
      },
      { dependsOn: [addrs[i] as string, proxy, subnets[i] as string] },
    );
  });
  for (const region of regions) g.add('cloudRunIngress', `regions/${region}`, 'svc', { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
  return g.build();
}

export interface ClassicOptions {
  /** Where the IAP OAuth client secret is read from. */
  iapSecret: { file: string } | { env: string };
}

/** Classic ALB: App Engine, Cloud Functions (mask), API Gateway backends, IAP, existing address, certificate map. */
export function classicGraph(opts: ClassicOptions): DesiredGraph {
  const lb = 'legacy';
  const region = 'us-central1';
  const scope: Scope = `regions/${region}`;
  const g = new GraphBuilder(lb);
  g.add('address', 'global', 'legacy-static-ip', {}, { managed: false, purpose: 'the reserved address' });
  g.add('securityPolicy', 'global', 'corp-edge-policy', {}, { managed: false, purpose: 'the existing Cloud Armor policy' });
  const negApp = g.add('networkEndpointGroup', scope, 'legacy-app', { networkEndpointType: 'SERVERLESS', appEngine: {} });
  const negAppV = g.add('networkEndpointGroup', scope, 'legacy-admin', {
    networkEndpointType: 'SERVERLESS',
    appEngine: { service: 'admin', version: 'v2' },
  });
  const negFn = g.add('networkEndpointGroup', scope, 'legacy-fn', {
    networkEndpointType: 'SERVERLESS',
    cloudFunction: { urlMask: '/fn/<function>' },
  });
  const negFnNamed = g.add('networkEndpointGroup', scope, 'legacy-hook', { networkEndpointType: 'SERVERLESS', cloudFunction: { function: 'hook' } });
  const negGw = g.add('networkEndpointGroup', scope, 'legacy-gw', {
    networkEndpointType: 'SERVERLESS',
    serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'my-gateway' },
  });
  const secret = 'file' in opts.iapSecret ? { file: opts.iapSecret.file } : { env: opts.iapSecret.env };
  const bs = (name: string, neg: string, negName: string, extra: Record<string, unknown> = {}) =>
    g.add(
      'backendService',
      'global',
      name,
      { loadBalancingScheme: 'EXTERNAL', protocol: 'HTTPS', backends: [{ group: path('networkEndpointGroup', scope, negName) }], ...extra },
      { dependsOn: [neg] },
    );
  const bsApp = bs('legacy-app', negApp, 'legacy-app', {
    iap: { enabled: true, oauth2ClientId: '1234-abc.apps.googleusercontent.com', oauth2ClientSecret: { $secret: { ...secret, what: 'IAP OAuth client secret' } } },
    securityPolicy: path('securityPolicy', 'global', 'corp-edge-policy'),
  });
  const bsAdmin = bs('legacy-admin', negAppV, 'legacy-admin', {
    iap: { enabled: true, oauth2ClientId: '1234-abc.apps.googleusercontent.com', oauth2ClientSecret: { $secret: { ...secret, what: 'IAP OAuth client secret' } } },
  });
  const bsFn = bs('legacy-fn', negFn, 'legacy-fn', { enableCDN: true, cdnPolicy: { cacheMode: 'USE_ORIGIN_HEADERS' } });
  const bsHook = bs('legacy-hook', negFnNamed, 'legacy-hook');
  const bsGw = bs('legacy-gw', negGw, 'legacy-gw');
  const svc = (n: string) => path('backendService', 'global', n);
  const map = g.add(
    'urlMap',
    'global',
    'legacy-map',
    {
      defaultService: svc('legacy-app'),
      hostRules: [
        { hosts: ['app.example.org'], pathMatcher: 'app' },
        { hosts: ['api.example.org', 'api2.example.org'], pathMatcher: 'api' },
        { hosts: ['legacy-api.example.org'], pathMatcher: 'api' },
      ],
      pathMatchers: [
        { name: 'app', defaultService: svc('legacy-app'), pathRules: [{ paths: ['/admin', '/admin/*'], service: svc('legacy-admin') }] },
        {
          name: 'api',
          defaultService: svc('legacy-gw'),
          pathRules: [
            { paths: ['/fn/*'], service: svc('legacy-fn') },
            { paths: ['/hook'], service: svc('legacy-hook') },
          ],
        },
      ],
    },
    { dependsOn: [bsApp, bsAdmin, bsFn, bsHook, bsGw] },
  );
  const proxy = g.add(
    'targetHttpsProxy',
    'global',
    'legacy-https',
    {
      urlMap: path('urlMap', 'global', 'legacy-map'),
      certificateMap: `//certificatemanager.googleapis.com/projects/${PROJECT}/locations/global/certificateMaps/legacy-certs`,
    },
    { dependsOn: [map] },
  );
  g.add(
    'forwardingRule',
    'global',
    'legacy-https',
    {
      IPAddress: path('address', 'global', 'legacy-static-ip'),
      IPProtocol: 'TCP',
      portRange: '443',
      loadBalancingScheme: 'EXTERNAL',
      target: path('targetHttpsProxy', 'global', 'legacy-https'),
      labels: labels(lb),
    },
    { dependsOn: [resourceId('address', 'global', 'legacy-static-ip'), proxy] },
  );
  return g.build();
}
