/**
 * The Spec: one typed, validated description of the load balancer a user wants.
 *
 * The zod schema below is the single source of the type (`Spec` is inferred from it). It checks
 * shapes, enums and formats; rules that relate several fields (the rules in
 * ../../docs/constraints.md) live in validate.ts. Defaults are filled in by the schema, so a parsed
 * Spec is complete: downstream code never guesses a default.
 *
 * Written with zod/mini (functional checks, tree-shakable) so that `plan --offline` and config errors
 * load a small part of zod; the error messages are zod's English ones, as with the full zod.
 *
 * Pure: no I/O, no clock, no environment.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { canary, routeRules } from './route-schema.js';
import { tlsSchema } from './tls-schema.js';

z.config(en());

export const LB_TYPES = [
  'global-external',
  'classic',
  'regional-external',
  'regional-internal',
  'cross-region-internal',
] as const;
export type LbType = (typeof LB_TYPES)[number];

/** The load-balancing scheme and scope each LB type maps to. */
export const LB_TYPE_INFO: Record<
  LbType,
  { scheme: 'EXTERNAL_MANAGED' | 'EXTERNAL' | 'INTERNAL_MANAGED'; scope: 'global' | 'regional'; internal: boolean; title: string; summary: string }
> = {
  'global-external': {
    scheme: 'EXTERNAL_MANAGED',
    scope: 'global',
    internal: false,
    title: 'Global external Application Load Balancer',
    summary: 'Internet-facing, anycast IP, Envoy-based, every feature (recommended).',
  },
  classic: {
    scheme: 'EXTERNAL',
    scope: 'global',
    internal: false,
    title: 'Classic Application Load Balancer',
    summary: 'Internet-facing, the older global LB; no outlier detection or keepalive settings.',
  },
  'regional-external': {
    scheme: 'EXTERNAL_MANAGED',
    scope: 'regional',
    internal: false,
    title: 'Regional external Application Load Balancer',
    summary: 'Internet-facing in one region (data residency); Cloud Run backends only.',
  },
  'regional-internal': {
    scheme: 'INTERNAL_MANAGED',
    scope: 'regional',
    internal: true,
    title: 'Regional internal Application Load Balancer',
    summary: 'Private IP in one VPC region; Cloud Run backends only.',
  },
  'cross-region-internal': {
    scheme: 'INTERNAL_MANAGED',
    scope: 'global',
    internal: true,
    title: 'Cross-region internal Application Load Balancer',
    summary: 'Private IPs in several regions of one VPC, global backends; Cloud Run only.',
  },
};

export const PROTOCOLS = ['http', 'https', 'https-redirect'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const INGRESS_SETTINGS = ['auto', 'internal-and-cloud-load-balancing', 'internal', 'unchanged'] as const;
export type IngressSetting = (typeof INGRESS_SETTINGS)[number];

/** Who may invoke the Cloud Run backends (roles/run.invoker): see derive.ts cloudRunInvokers. */
export const INVOKER_SETTINGS = ['auto', 'public', 'public-no-iam-check', 'iap', 'unchanged'] as const;
export type InvokerSetting = (typeof INVOKER_SETTINGS)[number];

export const CDN_CACHE_MODES = ['CACHE_ALL_STATIC', 'USE_ORIGIN_HEADERS', 'FORCE_CACHE_ALL'] as const;

/**
 * Security policy rule actions. `deny(STATUS)` takes 403, 404 or 502 only; 429 is a rate-limit
 * `exceedAction` (rateLimit.exceedAction), not a rule action (Google's SecurityPolicyRule.action).
 */
export const ARMOR_ACTIONS = [
  'allow',
  'deny(403)',
  'deny(404)',
  'deny(502)',
  'throttle',
  'rate_based_ban',
] as const;

/** A non-empty string (most free-form names and values). */
const text = () => z.string().check(z.minLength(1));
/** An integer, optionally bounded (inclusive). */
const integer = (min?: number, max?: number) =>
  z.number().check(z.int(), ...(min === undefined ? [] : [z.gte(min)]), ...(max === undefined ? [] : [z.lte(max)]));

/** Compute resource names and the LB name (from which every generated name derives). */
const resourceName = z.string().check(
  z.regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'must start with a lowercase letter, then lowercase letters, digits or hyphens, and not end with a hyphen',
  }),
  z.maxLength(63, { message: 'must be at most 63 characters' }),
);

/** Why `name` cannot be a load balancer's name, or undefined when it can (the schema's own rule). */
export function lbNameProblem(name: string): string | undefined {
  const result = resourceName.safeParse(name);
  return result.success ? undefined : result.error.issues[0]?.message;
}

const projectId = z.string().check(
  z.regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, {
    message: 'must be a Google Cloud project ID: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter',
  }),
);

/** A Google Cloud region (the wizard checks answers with it too). */
export const regionSchema = z.string().check(
  z.regex(/^[a-z]+-[a-z]+[0-9]+$/, {
    message: 'must be a Google Cloud region such as us-central1 or europe-west1 (a region, not a zone)',
  }),
);

const cidr = z.string().check(
  z.regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, {
    message: 'must be an IPv4 CIDR range such as 10.129.0.0/23',
  }),
);

/** Where one backend's serverless NEGs point. Exactly one of the four. */
const cloudRunTarget = z.strictObject({
  /** Cloud Run service (or Cloud Run function, 2nd gen) name. */
  service: z.optional(resourceName),
  /** URL mask resolving to services, e.g. "<service>.example.com" or "example.com/<service>". */
  urlMask: z.optional(text()),
  /** Revision tag to route to. */
  tag: z.optional(text()),
});
const cloudFunctionTarget = z.strictObject({
  /** Cloud Functions (1st gen) function name. */
  function: z.optional(text()),
  /** URL mask with <function>. */
  urlMask: z.optional(text()),
});
const appEngineTarget = z.strictObject({
  service: z.optional(text()),
  version: z.optional(text()),
  /** URL mask with <service> and/or <version>. */
  urlMask: z.optional(text()),
});
const apiGatewayTarget = z.strictObject({
  /** API Gateway gateway id. */
  gateway: text(),
});

const armorRule = z.strictObject({
  priority: integer(0, 2147483646),
  action: z.enum(ARMOR_ACTIONS),
  description: z.optional(z.string().check(z.maxLength(64))),
  /** Either source IP ranges or a CEL expression. */
  srcIpRanges: z.optional(z.array(text()).check(z.minLength(1), z.maxLength(10))),
  expression: z.optional(text()),
  preview: z._default(z.boolean(), false),
  /** Required for throttle and rate_based_ban, forbidden otherwise. */
  rateLimit: z.optional(
    z.strictObject({
      count: integer(1),
      intervalSec: z.union([
        z.literal(10), z.literal(30), z.literal(60), z.literal(120), z.literal(180),
        z.literal(240), z.literal(300), z.literal(600), z.literal(900), z.literal(1200),
        z.literal(1800), z.literal(2700), z.literal(3600),
      ]),
      exceedAction: z._default(z.enum(['deny(403)', 'deny(404)', 'deny(429)', 'deny(502)']), 'deny(429)'),
      enforceOnKey: z._default(z.enum(['ALL', 'IP', 'HTTP_HEADER', 'XFF_IP', 'HTTP_COOKIE', 'HTTP_PATH', 'SNI', 'REGION_CODE']), 'IP'),
      enforceOnKeyName: z.optional(text()),
      banDurationSec: z.optional(integer(1)),
    }),
  ),
});
export type ArmorRule = z.infer<typeof armorRule>;

const backend = z.strictObject({
  /** Logical name; used in generated resource names and in routing. */
  name: resourceName,
  cloudRun: z.optional(cloudRunTarget),
  cloudFunction: z.optional(cloudFunctionTarget),
  appEngine: z.optional(appEngineTarget),
  apiGateway: z.optional(apiGatewayTarget),
  /** One serverless NEG per region. Defaults to the Spec's region(s). */
  regions: z.optional(z.array(regionSchema).check(z.minLength(1))),
  /** Per-backend overrides of the LB-wide options. */
  cdn: z.optional(z.boolean()),
  iap: z.optional(z.boolean()),
  cloudArmor: z.optional(z.boolean()),
});
export type Backend = z.infer<typeof backend>;

const pathRule = z.strictObject({
  paths: z.array(text()).check(z.minLength(1)),
  backend: resourceName,
});
const hostRule = z.strictObject({
  hosts: z.array(text()).check(z.minLength(1)),
  /** The backend for requests to these hosts that match no path rule (default: routing.defaultBackend). */
  defaultBackend: z.optional(resourceName),
  paths: z._default(z.array(pathRule), []),
  /** Route rules for these hosts (advanced; instead of paths). */
  routes: routeRules(),
});
export type HostRule = z.infer<typeof hostRule>;

const certificateServiceEnum = z.enum(['compute', 'certificate-manager']);

const certificate = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('managed'),
    /** Domains on the certificate (default: frontend.domains); `*.` wildcards with Certificate Manager. */
    domains: z.optional(z.array(text()).check(z.minLength(1), z.maxLength(100))),
    /** compute: a Compute Engine managed certificate; certificate-manager: one with DNS authorization. */
    service: z.optional(certificateServiceEnum),
  }),
  z.strictObject({
    type: z.literal('self-managed'),
    certificateFile: text(),
    privateKeyFile: text(),
    /** compute: a Compute Engine SSL certificate; certificate-manager: a Certificate Manager certificate. */
    service: z.optional(certificateServiceEnum),
  }),
  z.strictObject({
    type: z.literal('existing'),
    /** Existing compute SSL certificates (global, or regional for regional types), by name. */
    names: z.array(resourceName).check(z.minLength(1), z.maxLength(15)),
  }),
  z.strictObject({
    type: z.literal('certificate-manager'),
    /** Certificate Manager certificates by name (regional and cross-region LBs reference these directly). */
    certificates: z.optional(z.array(text()).check(z.minLength(1), z.maxLength(15))),
    /** A Certificate Manager certificate map by name (global external and classic only). */
    certificateMap: z.optional(text()),
  }),
]);
export type CertificateSpec = z.infer<typeof certificate>;

const address = z._default(
  z.strictObject({
    /** reserve: a new static address; existing: a reserved address by name; ephemeral: none reserved. */
    mode: z._default(z.enum(['reserve', 'existing', 'ephemeral']), 'reserve'),
    name: z.optional(resourceName),
    /** IPV4_IPV6: dual stack, an IPv4 and an IPv6 address, each with its forwarding rules (global external types). */
    ipVersion: z._default(z.enum(['IPV4', 'IPV6', 'IPV4_IPV6']), 'IPV4'),
    networkTier: z._default(z.enum(['PREMIUM', 'STANDARD']), 'PREMIUM'),
  }),
  { mode: 'reserve', ipVersion: 'IPV4', networkTier: 'PREMIUM' },
);

const network = z.strictObject({
  network: z._default(resourceName, 'default'),
  /** The regular subnet internal forwarding rules take their address from (per region for cross-region). */
  subnet: z._default(resourceName, 'default'),
  proxyOnlySubnet: z._default(
    z.strictObject({
      mode: z._default(z.enum(['existing', 'create']), 'existing'),
      name: z.optional(resourceName),
      /** Range for a created proxy-only subnet, one per region (/26 at least, /23 recommended). */
      ranges: z.optional(z.record(z.string(), cidr)),
    }),
    { mode: 'existing' },
  ),
});

export const specSchema = z.strictObject({
  /** The load balancer's name: the stem of every resource name and the ownership mark. */
  name: resourceName.check(
    z.maxLength(40, { message: 'must be at most 40 characters (generated resource names add suffixes)' }),
  ),
  project: projectId,
  type: z._default(z.enum(LB_TYPES), 'global-external'),
  /** The LB's region (regional types) and the default region of backends. */
  region: z.optional(regionSchema),
  /** Cross-region internal: the regions that get a forwarding rule. Multi-region backends: their regions. */
  regions: z.optional(z.array(regionSchema).check(z.minLength(1))),
  backends: z.array(backend).check(z.minLength(1)),
  routing: z._default(
    z.strictObject({
      defaultBackend: z.optional(resourceName),
      hosts: z._default(z.array(hostRule), []),
      /** Route rules for every host no host rule names (advanced). */
      routes: routeRules(),
      /** Or simply: a share of the requests to a canary backend (a weighted split in the URL map). */
      canary: canary(),
    }),
    { hosts: [] },
  ),
  frontend: z._default(
    z.strictObject({
      protocol: z._default(z.enum(PROTOCOLS), 'https'),
      port: z.optional(integer(1, 65535)),
      /** Host names the LB serves: for DNS records, the managed certificate and verify. */
      domains: z._default(z.array(text()), []),
      address,
      network: z.optional(network),
      /** The HTTPS listener's TLS: SSL policy, HTTP/3, early data. */
      tls: z.optional(tlsSchema),
    }),
    { protocol: 'https', domains: [], address: { mode: 'reserve', ipVersion: 'IPV4', networkTier: 'PREMIUM' } },
  ),
  certificate: z.optional(certificate),
  options: z._default(
    z.strictObject({
      cdn: z._default(
        z.strictObject({
          enabled: z._default(z.boolean(), false),
          cacheMode: z._default(z.enum(CDN_CACHE_MODES), 'CACHE_ALL_STATIC'),
          defaultTtl: z.optional(integer(0, 31622400)),
          /** Longest time a cached answer is served (not with USE_ORIGIN_HEADERS or FORCE_CACHE_ALL). */
          maxTtl: z.optional(integer(0, 31622400)),
          /** Longest max-age sent to clients (not with USE_ORIGIN_HEADERS). */
          clientTtl: z.optional(integer(0, 31622400)),
          /** Cache 404, 410 and other negative answers for a short time. */
          negativeCaching: z.optional(z.boolean()),
          /** Serve a stale answer this long while revalidating, in seconds. */
          serveWhileStale: z.optional(integer(0, 86400)),
          /** What the cache key is made of (default: protocol, host, whole query string). */
          cacheKey: z.optional(
            z.strictObject({
              includeProtocol: z.optional(z.boolean()),
              includeHost: z.optional(z.boolean()),
              includeQueryString: z.optional(z.boolean()),
              /** Only these query parameters (implies includeQueryString). */
              queryParameters: z.optional(z.array(text()).check(z.minLength(1))),
            }),
          ),
          /** Requests carrying one of these headers bypass the cache (at most 5). */
          bypassCacheOnRequestHeaders: z.optional(z.array(text()).check(z.minLength(1), z.maxLength(5))),
        }),
        { enabled: false, cacheMode: 'CACHE_ALL_STATIC' },
      ),
      iap: z._default(
        z.strictObject({
          enabled: z._default(z.boolean(), false),
          oauth2ClientId: z.optional(text()),
          /** The OAuth client secret is read from this file or environment variable, never from the config. */
          oauth2ClientSecretFile: z.optional(text()),
          oauth2ClientSecretEnv: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/))),
        }),
        { enabled: false },
      ),
      cloudArmor: z.optional(
        z.strictObject({
          /** Attach this existing security policy (not created or deleted by serverless-lb). */
          existingPolicy: z.optional(resourceName),
          /** Create a policy with these rules (the default rule, priority 2147483647, is added). */
          rules: z.optional(z.array(armorRule)),
          defaultAction: z._default(z.enum(['allow', 'deny(403)', 'deny(404)', 'deny(502)']), 'allow'),
        }),
      ),
      logging: z._default(
        z.strictObject({
          enabled: z._default(z.boolean(), true),
          sampleRate: z._default(z.number().check(z.gte(0), z.lte(1)), 1),
        }),
        { enabled: true, sampleRate: 1 },
      ),
      outlierDetection: z.optional(
        z.strictObject({
          consecutiveErrors: z.optional(integer(1)),
          consecutiveGatewayFailure: z.optional(integer(1)),
          intervalSec: z.optional(integer(1)),
          baseEjectionTimeSec: z.optional(integer(1)),
          maxEjectionPercent: z.optional(integer(0, 100)),
          enforcingConsecutiveErrors: z.optional(integer(0, 100)),
          enforcingConsecutiveGatewayFailure: z.optional(integer(0, 100)),
          /** Accepted by the schema only so validation can say why they are refused for serverless NEGs. */
          successRateMinimumHosts: z.optional(integer()),
          successRateRequestVolume: z.optional(integer()),
          successRateStdevFactor: z.optional(integer()),
          enforcingSuccessRate: z.optional(integer()),
        }),
      ),
      httpKeepAliveTimeoutSec: z.optional(integer()),
      /**
       * Headers the load balancer adds to every request it sends a backend and every answer it
       * returns ("Name": "value", with Google's variables such as {client_region}).
       */
      headers: z.optional(
        z.strictObject({
          request: z.optional(z.record(z.string(), z.string())),
          response: z.optional(z.record(z.string(), z.string())),
        }),
      ),
      ingress: z._default(z.enum(INGRESS_SETTINGS), 'auto'),
      invoker: z._default(z.enum(INVOKER_SETTINGS), 'auto'),
      /** The Cloud Run backends' run.app URL: `disabled` turns it off (defaultUriDisabled), restored on teardown. */
      defaultUrl: z._default(z.enum(['unchanged', 'disabled']), 'unchanged'),
    }),
    {
      cdn: { enabled: false, cacheMode: 'CACHE_ALL_STATIC' },
      iap: { enabled: false },
      logging: { enabled: true, sampleRate: 1 },
      ingress: 'auto',
      invoker: 'auto',
      defaultUrl: 'unchanged',
    },
  ),
  dns: z.optional(
    z.strictObject({
      /** A Cloud DNS managed zone in which apply creates the A/AAAA records for frontend.domains. */
      managedZone: text(),
      project: z.optional(projectId),
    }),
  ),
  /**
   * Google's classic -> global external migration (docs/changing.md): on a classic load balancer,
   * the share of requests the global external infrastructure answers (0 PREPARE, 1-99
   * TEST_BY_PERCENTAGE, 100 TEST_ALL_TRAFFIC); with type global-external and 100, the migration is
   * finished in place (same names, same IP).
   */
  migration: z.optional(
    z.strictObject({
      trafficPercent: z.number().check(z.int(), z.minimum(0), z.maximum(100)),
    }),
  ),
  /**
   * Names of the load balancer's resources where they are not the ones serverless-lb would give
   * (written by `serverless-lb import` for a load balancer made elsewhere): kept as they are.
   */
  names: z.optional(
    z.strictObject({
      address: z.optional(resourceName),
      certificate: z.optional(resourceName),
      urlMap: z.optional(resourceName),
      redirectUrlMap: z.optional(resourceName),
      httpsProxy: z.optional(resourceName),
      httpProxy: z.optional(resourceName),
      httpsForwardingRule: z.optional(resourceName),
      httpForwardingRule: z.optional(resourceName),
      /** Backend service name by backend name. */
      backendServices: z.optional(z.record(z.string(), resourceName)),
      /** Serverless NEG name by backend name, then region. */
      negs: z.optional(z.record(z.string(), z.record(z.string(), resourceName))),
    }),
  ),
});

/** A complete, shape-checked Spec (defaults filled). Cross-field rules: see validate.ts. */
export type Spec = z.infer<typeof specSchema>;
/** What a config file or flags may hold before defaults are applied. */
export type SpecInput = z.input<typeof specSchema>;
