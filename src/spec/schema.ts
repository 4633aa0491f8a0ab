/**
 * The Spec: one typed, validated description of the load balancer a user wants.
 *
 * The zod schema below is the single source of the type (`Spec` is inferred from it). It checks
 * shapes, enums and formats; rules that relate several fields (the rules in
 * ../../docs/constraints.md) live in validate.ts. Defaults are filled in by the schema, so a parsed
 * Spec is complete: downstream code never guesses a default.
 *
 * Pure: no I/O, no clock, no environment.
 */
import { z } from 'zod';

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
export const INVOKER_SETTINGS = ['auto', 'public', 'iap', 'unchanged'] as const;
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

/** Compute resource names and the LB name (from which every generated name derives). */
const resourceName = z
  .string()
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'must start with a lowercase letter, then lowercase letters, digits or hyphens, and not end with a hyphen',
  })
  .max(63, { message: 'must be at most 63 characters' });

const projectId = z
  .string()
  .regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, {
    message: 'must be a Google Cloud project ID: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter',
  });

const region = z.string().regex(/^[a-z]+-[a-z]+[0-9]+$/, {
  message: 'must be a Google Cloud region such as us-central1 or europe-west1 (a region, not a zone)',
});

const cidr = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, {
  message: 'must be an IPv4 CIDR range such as 10.129.0.0/23',
});

/** Where one backend's serverless NEGs point. Exactly one of the four. */
const cloudRunTarget = z.strictObject({
  service: resourceName.optional().describe('Cloud Run service (or Cloud Run function, 2nd gen) name'),
  urlMask: z.string().min(1).optional().describe('URL mask resolving to services, e.g. "<service>.example.com" or "example.com/<service>"'),
  tag: z.string().min(1).optional().describe('revision tag to route to'),
});
const cloudFunctionTarget = z.strictObject({
  function: z.string().min(1).optional().describe('Cloud Functions (1st gen) function name'),
  urlMask: z.string().min(1).optional().describe('URL mask with <function>'),
});
const appEngineTarget = z.strictObject({
  service: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  urlMask: z.string().min(1).optional().describe('URL mask with <service> and/or <version>'),
});
const apiGatewayTarget = z.strictObject({
  gateway: z.string().min(1).describe('API Gateway gateway id'),
});

const armorRule = z.strictObject({
  priority: z.number().int().min(0).max(2147483646),
  action: z.enum(ARMOR_ACTIONS),
  description: z.string().max(64).optional(),
  /** Either source IP ranges or a CEL expression. */
  srcIpRanges: z.array(z.string().min(1)).min(1).max(10).optional(),
  expression: z.string().min(1).optional(),
  preview: z.boolean().default(false),
  /** Required for throttle and rate_based_ban, forbidden otherwise. */
  rateLimit: z
    .strictObject({
      count: z.number().int().min(1),
      intervalSec: z.union([
        z.literal(10), z.literal(30), z.literal(60), z.literal(120), z.literal(180),
        z.literal(240), z.literal(300), z.literal(600), z.literal(900), z.literal(1200),
        z.literal(1800), z.literal(2700), z.literal(3600),
      ]),
      exceedAction: z.enum(['deny(403)', 'deny(404)', 'deny(429)', 'deny(502)']).default('deny(429)'),
      enforceOnKey: z.enum(['ALL', 'IP', 'HTTP_HEADER', 'XFF_IP', 'HTTP_COOKIE', 'HTTP_PATH', 'SNI', 'REGION_CODE']).default('IP'),
      enforceOnKeyName: z.string().min(1).optional(),
      banDurationSec: z.number().int().min(1).optional(),
    })
    .optional(),
});
export type ArmorRule = z.infer<typeof armorRule>;

const backend = z.strictObject({
  /** Logical name; used in generated resource names and in routing. */
  name: resourceName,
  cloudRun: cloudRunTarget.optional(),
  cloudFunction: cloudFunctionTarget.optional(),
  appEngine: appEngineTarget.optional(),
  apiGateway: apiGatewayTarget.optional(),
  /** One serverless NEG per region. Defaults to the Spec's region(s). */
  regions: z.array(region).min(1).optional(),
  /** Per-backend overrides of the LB-wide options. */
  cdn: z.boolean().optional(),
  iap: z.boolean().optional(),
  cloudArmor: z.boolean().optional(),
});
export type Backend = z.infer<typeof backend>;

const pathRule = z.strictObject({
  paths: z.array(z.string().min(1)).min(1),
  backend: resourceName,
});
const hostRule = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1),
  /** The backend for requests to these hosts that match no path rule (default: routing.defaultBackend). */
  defaultBackend: resourceName.optional(),
  paths: z.array(pathRule).default([]),
});
export type HostRule = z.infer<typeof hostRule>;

const certificateServiceEnum = z.enum(['compute', 'certificate-manager']);

const certificate = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('managed'),
    /** Domains on the certificate (default: frontend.domains); `*.` wildcards with Certificate Manager. */
    domains: z.array(z.string().min(1)).min(1).max(100).optional(),
    /** compute: a Compute Engine managed certificate; certificate-manager: one with DNS authorization. */
    service: certificateServiceEnum.optional(),
  }),
  z.strictObject({
    type: z.literal('self-managed'),
    certificateFile: z.string().min(1),
    privateKeyFile: z.string().min(1),
    /** compute: a Compute Engine SSL certificate; certificate-manager: a Certificate Manager certificate. */
    service: certificateServiceEnum.optional(),
  }),
  z.strictObject({
    type: z.literal('existing'),
    /** Existing compute SSL certificates (global, or regional for regional types), by name. */
    names: z.array(resourceName).min(1).max(15),
  }),
  z.strictObject({
    type: z.literal('certificate-manager'),
    /** Certificate Manager certificates by name (regional and cross-region LBs reference these directly). */
    certificates: z.array(z.string().min(1)).min(1).max(15).optional(),
    /** A Certificate Manager certificate map by name (global external and classic only). */
    certificateMap: z.string().min(1).optional(),
  }),
]);
export type CertificateSpec = z.infer<typeof certificate>;

const address = z
  .strictObject({
    /** reserve: a new static address; existing: a reserved address by name; ephemeral: none reserved. */
    mode: z.enum(['reserve', 'existing', 'ephemeral']).default('reserve'),
    name: resourceName.optional(),
    ipVersion: z.enum(['IPV4', 'IPV6']).default('IPV4'),
    networkTier: z.enum(['PREMIUM', 'STANDARD']).default('PREMIUM'),
  })
  .default({ mode: 'reserve', ipVersion: 'IPV4', networkTier: 'PREMIUM' });

const network = z.strictObject({
  network: resourceName.default('default'),
  /** The regular subnet internal forwarding rules take their address from (per region for cross-region). */
  subnet: resourceName.default('default'),
  proxyOnlySubnet: z
    .strictObject({
      mode: z.enum(['existing', 'create']).default('existing'),
      name: resourceName.optional(),
      /** Range for a created proxy-only subnet, one per region (/26 at least, /23 recommended). */
      ranges: z.record(z.string(), cidr).optional(),
    })
    .default({ mode: 'existing' }),
});

export const specSchema = z.strictObject({
  /** The load balancer's name: the stem of every resource name and the ownership mark. */
  name: resourceName.max(40, { message: 'must be at most 40 characters (generated resource names add suffixes)' }),
  project: projectId,
  type: z.enum(LB_TYPES).default('global-external'),
  /** The LB's region (regional types) and the default region of backends. */
  region: region.optional(),
  /** Cross-region internal: the regions that get a forwarding rule. Multi-region backends: their regions. */
  regions: z.array(region).min(1).optional(),
  backends: z.array(backend).min(1),
  routing: z
    .strictObject({
      defaultBackend: resourceName.optional(),
      hosts: z.array(hostRule).default([]),
    })
    .default({ hosts: [] }),
  frontend: z
    .strictObject({
      protocol: z.enum(PROTOCOLS).default('https'),
      port: z.number().int().min(1).max(65535).optional(),
      /** Host names the LB serves: for DNS records, the managed certificate and verify. */
      domains: z.array(z.string().min(1)).default([]),
      address,
      network: network.optional(),
    })
    .default({ protocol: 'https', domains: [], address: { mode: 'reserve', ipVersion: 'IPV4', networkTier: 'PREMIUM' } }),
  certificate: certificate.optional(),
  options: z
    .strictObject({
      cdn: z
        .strictObject({
          enabled: z.boolean().default(false),
          cacheMode: z.enum(CDN_CACHE_MODES).default('CACHE_ALL_STATIC'),
          defaultTtl: z.number().int().min(0).max(31622400).optional(),
        })
        .default({ enabled: false, cacheMode: 'CACHE_ALL_STATIC' }),
      iap: z
        .strictObject({
          enabled: z.boolean().default(false),
          oauth2ClientId: z.string().min(1).optional(),
          /** The OAuth client secret is read from this file or environment variable, never from the config. */
          oauth2ClientSecretFile: z.string().min(1).optional(),
          oauth2ClientSecretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
        })
        .default({ enabled: false }),
      cloudArmor: z
        .strictObject({
          /** Attach this existing security policy (not created or deleted by serverless-lb). */
          existingPolicy: resourceName.optional(),
          /** Create a policy with these rules (the default rule, priority 2147483647, is added). */
          rules: z.array(armorRule).optional(),
          defaultAction: z.enum(['allow', 'deny(403)', 'deny(404)', 'deny(502)']).default('allow'),
        })
        .optional(),
      logging: z
        .strictObject({
          enabled: z.boolean().default(true),
          sampleRate: z.number().min(0).max(1).default(1),
        })
        .default({ enabled: true, sampleRate: 1 }),
      outlierDetection: z
        .strictObject({
          consecutiveErrors: z.number().int().min(1).optional(),
          consecutiveGatewayFailure: z.number().int().min(1).optional(),
          intervalSec: z.number().int().min(1).optional(),
          baseEjectionTimeSec: z.number().int().min(1).optional(),
          maxEjectionPercent: z.number().int().min(0).max(100).optional(),
          enforcingConsecutiveErrors: z.number().int().min(0).max(100).optional(),
          enforcingConsecutiveGatewayFailure: z.number().int().min(0).max(100).optional(),
          /** Accepted by the schema only so validation can say why they are refused for serverless NEGs. */
          successRateMinimumHosts: z.number().int().optional(),
          successRateRequestVolume: z.number().int().optional(),
          successRateStdevFactor: z.number().int().optional(),
          enforcingSuccessRate: z.number().int().optional(),
        })
        .optional(),
      httpKeepAliveTimeoutSec: z.number().int().optional(),
      ingress: z.enum(INGRESS_SETTINGS).default('auto'),
      invoker: z.enum(INVOKER_SETTINGS).default('auto'),
    })
    .default({
      cdn: { enabled: false, cacheMode: 'CACHE_ALL_STATIC' },
      iap: { enabled: false },
      logging: { enabled: true, sampleRate: 1 },
      ingress: 'auto',
      invoker: 'auto',
    }),
  dns: z
    .strictObject({
      /** A Cloud DNS managed zone in which apply creates the A/AAAA records for frontend.domains. */
      managedZone: z.string().min(1),
      project: projectId.optional(),
    })
    .optional(),
});

/** A complete, shape-checked Spec (defaults filled). Cross-field rules: see validate.ts. */
export type Spec = z.infer<typeof specSchema>;
/** What a config file or flags may hold before defaults are applied. */
export type SpecInput = z.input<typeof specSchema>;
