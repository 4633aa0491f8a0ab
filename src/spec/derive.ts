/**
 * Facts derived from a validated Spec that several stages need (plan, apply, verify, wizard), so
 * each computes them the same way. Pure functions of the Spec.
 *
 * Region rules (docs/config.md "Regions"):
 * - Regional types: everything is in `region`.
 * - Global types: a backend's NEGs go to `backends[].regions`, else the Spec's `regions`, else `[region]`
 *   (App Engine backends prefer `[region]`: an App Engine app lives in one region).
 * - Cross-region internal: forwarding rules (and GLOBAL_MANAGED_PROXY subnets) in `regions`, else `[region]`.
 */
import { LB_TYPE_INFO, type Backend, type LbType, type Spec } from './schema.js';

export type TargetKind = 'cloudRun' | 'cloudFunction' | 'appEngine' | 'apiGateway';
export const TARGET_KINDS: readonly TargetKind[] = ['cloudRun', 'cloudFunction', 'appEngine', 'apiGateway'];

/** The target kinds a backend sets (a valid backend sets exactly one). */
export function targetKinds(backend: Backend): TargetKind[] {
  return TARGET_KINDS.filter((kind) => backend[kind] !== undefined);
}

/** The backend's target kind (the first one set; validation guarantees exactly one). */
export function targetKind(backend: Backend): TargetKind {
  const kind = targetKinds(backend)[0];
  if (!kind) throw new Error(`backend ${backend.name} has no target`);
  return kind;
}

/** The URL mask a backend's NEGs use, when it uses one. */
export function urlMaskOf(backend: Backend): string | undefined {
  return backend.cloudRun?.urlMask ?? backend.cloudFunction?.urlMask ?? backend.appEngine?.urlMask;
}

export function isRegionalType(type: LbType): boolean {
  return LB_TYPE_INFO[type].scope === 'regional';
}
export function isInternalType(type: LbType): boolean {
  return LB_TYPE_INFO[type].internal;
}
/** Types whose forwarding rules live in a VPC network and need proxy-only subnets. */
export function usesNetwork(type: LbType): boolean {
  return type === 'regional-external' || type === 'regional-internal' || type === 'cross-region-internal';
}

/** The regions a backend's NEGs default to when `backends[].regions` is not set. */
export function defaultBackendRegions(spec: Pick<Spec, 'type' | 'region' | 'regions'>, kind?: TargetKind): string[] {
  if (isRegionalType(spec.type)) return spec.region ? [spec.region] : [];
  if (kind === 'appEngine' && spec.region) return [spec.region];
  return spec.regions ?? (spec.region ? [spec.region] : []);
}

/** The regions of a backend's serverless NEGs: one NEG in each. */
export function negRegions(spec: Pick<Spec, 'type' | 'region' | 'regions'>, backend: Backend): string[] {
  return backend.regions ?? defaultBackendRegions(spec, targetKinds(backend)[0]);
}

/**
 * The regions that hold a forwarding rule (and an address). Empty: one global forwarding rule.
 * Regional types: [region]; cross-region internal: regions, else [region]; classic on the Standard
 * tier: [region] (Standard-tier external addresses are regional); other global types: [].
 */
export function forwardingRuleRegions(spec: Spec): string[] {
  if (isRegionalType(spec.type)) return spec.region ? [spec.region] : [];
  if (spec.type === 'cross-region-internal') return spec.regions ?? (spec.region ? [spec.region] : []);
  if (spec.type === 'classic' && spec.frontend.address.networkTier === 'STANDARD') return spec.region ? [spec.region] : [];
  return [];
}

/** Purpose of the proxy-only subnets the LB needs, if any. */
export function proxyOnlySubnetPurpose(type: LbType): 'REGIONAL_MANAGED_PROXY' | 'GLOBAL_MANAGED_PROXY' | undefined {
  if (type === 'regional-external' || type === 'regional-internal') return 'REGIONAL_MANAGED_PROXY';
  if (type === 'cross-region-internal') return 'GLOBAL_MANAGED_PROXY';
  return undefined;
}

/** The regions that need an ACTIVE proxy-only subnet (of proxyOnlySubnetPurpose) in the LB's network. */
export function proxyOnlySubnetRegions(spec: Spec): string[] {
  return proxyOnlySubnetPurpose(spec.type) ? forwardingRuleRegions(spec) : [];
}

export interface ResolvedRegions {
  /** Regions with a forwarding rule; empty for a global forwarding rule. */
  forwardingRules: string[];
  /** Regions that need a proxy-only subnet. */
  proxyOnlySubnets: string[];
  /** NEG regions per backend name. */
  backends: Record<string, string[]>;
  /** Every region the LB touches, sorted, without repeats. */
  all: string[];
}

/** Every region the Spec places something in. */
export function resolvedRegions(spec: Spec): ResolvedRegions {
  const backends: Record<string, string[]> = {};
  for (const backend of spec.backends) backends[backend.name] = negRegions(spec, backend);
  const forwardingRules = forwardingRuleRegions(spec);
  const proxyOnlySubnets = proxyOnlySubnetRegions(spec);
  const all = [...new Set([...forwardingRules, ...proxyOnlySubnets, ...Object.values(backends).flat()])].sort();
  return { forwardingRules, proxyOnlySubnets, backends, all };
}

export interface BackendFeatures {
  cdn: boolean;
  iap: boolean;
  cloudArmor: boolean;
}

/** What a backend service gets: per-backend overrides, else the LB-wide options. */
export function backendFeatures(spec: Spec, backend: Backend): BackendFeatures {
  return {
    cdn: backend.cdn ?? spec.options.cdn.enabled,
    iap: backend.iap ?? spec.options.iap.enabled,
    cloudArmor: backend.cloudArmor ?? spec.options.cloudArmor !== undefined,
  };
}

/** The port of the main listener: frontend.port, else 80 for http and 443 for https. */
export function defaultPort(protocol: Spec['frontend']['protocol']): number {
  return protocol === 'http' ? 80 : 443;
}

export interface Listener {
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  /** An HTTP listener whose URL map only redirects to HTTPS. */
  redirectToHttps: boolean;
}

/** The listeners (target proxy + forwarding rule pairs) the frontend needs. */
export function listeners(spec: Spec): Listener[] {
  const port = spec.frontend.port ?? defaultPort(spec.frontend.protocol);
  switch (spec.frontend.protocol) {
    case 'http':
      return [{ protocol: 'HTTP', port, redirectToHttps: false }];
    case 'https':
      return [{ protocol: 'HTTPS', port, redirectToHttps: false }];
    case 'https-redirect':
      return [
        { protocol: 'HTTPS', port, redirectToHttps: false },
        { protocol: 'HTTP', port: 80, redirectToHttps: true },
      ];
  }
}

/** Allowed target proxy keepalive range, or undefined where the setting is not supported (classic). */
export function keepAliveRange(type: LbType): { min: number; max: number; default: number } | undefined {
  if (type === 'classic') return undefined;
  if (type === 'global-external') return { min: 5, max: 1200, default: 610 };
  return { min: 5, max: 600, default: 600 };
}

export type CloudRunIngress = 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' | 'INGRESS_TRAFFIC_INTERNAL_ONLY';

/**
 * The Cloud Run ingress to set on the Cloud Run backends, or undefined to leave it (`unchanged`).
 * auto: "internal and Cloud Load Balancing" for external types, "internal" for internal types.
 */
export function cloudRunIngress(spec: Spec): CloudRunIngress | undefined {
  switch (spec.options.ingress) {
    case 'unchanged':
      return undefined;
    case 'internal':
      return 'INGRESS_TRAFFIC_INTERNAL_ONLY';
    case 'internal-and-cloud-load-balancing':
      return 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER';
    case 'auto':
      return isInternalType(spec.type) ? 'INGRESS_TRAFFIC_INTERNAL_ONLY' : 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER';
  }
}

/** The Cloud Run services (named, not masked) whose ingress apply sets: one entry per service and region. */
export function cloudRunServices(spec: Spec): { backend: string; service: string; region: string }[] {
  const out: { backend: string; service: string; region: string }[] = [];
  for (const backend of spec.backends) {
    const service = backend.cloudRun?.service;
    if (!service) continue;
    for (const region of negRegions(spec, backend)) out.push({ backend: backend.name, service, region });
  }
  return out;
}

/** The IAP service agent of a project, with `{PROJECT_NUMBER}` resolved when the call is made. */
export const IAP_SERVICE_AGENT = 'serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com';

/**
 * Who gets roles/run.invoker on each named Cloud Run backend, per service and region: the load
 * balancer forwards requests without an identity, so Cloud Run answers 403 unless allUsers may
 * invoke the service, or (behind IAP, which signs in as its service agent) the IAP service agent.
 * `auto`: the IAP service agent on backends with IAP, allUsers on the others; `unchanged`: none.
 */
/**
 * The invoker "member" that stands for the service's invoker IAM check being off
 * (`invokerIamDisabled`): Google's recommended way to make a Cloud Run service public, and the one
 * domain restricted sharing allows.
 */
export const NO_IAM_CHECK = 'no-invoker-iam-check';

/**
 * Who must be able to invoke each Cloud Run backend for the load balancer's requests to get in:
 * the IAP service agent behind IAP, everyone otherwise: allUsers (`public`), or the IAM check off
 * (`public-no-iam-check`). `auto` grants allUsers and, where an organisation policy refuses
 * allUsers (domain restricted sharing), turns the IAM check off instead (`fallback`).
 */
export function cloudRunInvokers(spec: Spec): { backend: string; service: string; region: string; member: string; fallback?: string }[] {
  const setting = spec.options.invoker;
  if (setting === 'unchanged') return [];
  return cloudRunServices(spec).map((s) => {
    const backend = spec.backends.find((b) => b.name === s.backend)!;
    const iap = setting === 'iap' || (setting === 'auto' && backendFeatures(spec, backend).iap);
    if (iap) return { ...s, member: IAP_SERVICE_AGENT };
    if (setting === 'public-no-iam-check') return { ...s, member: NO_IAM_CHECK };
    return setting === 'auto' ? { ...s, member: 'allUsers', fallback: NO_IAM_CHECK } : { ...s, member: 'allUsers' };
  });
}

/** Domains on a Google-managed certificate: certificate.domains, else frontend.domains. */
export function managedCertificateDomains(spec: Pick<Spec, 'certificate' | 'frontend'>): string[] {
  if (spec.certificate?.type !== 'managed') return [];
  return spec.certificate.domains ?? spec.frontend.domains;
}

export type CertificateService = 'compute' | 'certificate-manager';

/**
 * Where a Google-managed or self-managed certificate is made: the config's `certificate.service`,
 * else Compute Engine where it can hold it (managed: the global external types; self-managed:
 * every type but cross-region internal), else Certificate Manager. undefined for the other kinds.
 */
export function certificateService(spec: Pick<Spec, 'type' | 'certificate'>): CertificateService | undefined {
  const cert = spec.certificate;
  if (cert?.type !== 'managed' && cert?.type !== 'self-managed') return undefined;
  if (cert.service) return cert.service;
  if (cert.type === 'managed') return LB_TYPE_INFO[spec.type].scope === 'global' && !isInternalType(spec.type) ? 'compute' : 'certificate-manager';
  return spec.type === 'cross-region-internal' ? 'certificate-manager' : 'compute';
}

/**
 * Where the load balancer's Certificate Manager resources live: the region for the regional types,
 * `global` otherwise (cross-region internal takes global certificates of scope ALL_REGIONS).
 */
export function certManagerLocation(spec: Pick<Spec, 'type' | 'region' | 'regions'>): string {
  return isRegionalType(spec.type) ? (spec.region ?? spec.regions?.[0])! : 'global';
}

/** The domains DNS authorizations are made for: each certificate domain, a wildcard as its base domain, once. */
export function dnsAuthorizationDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map((d) => d.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '')))];
}

/** The backend a host rule sends unmatched paths to. */
export function hostRuleDefault(spec: Spec, rule: Spec['routing']['hosts'][number]): string | undefined {
  return rule.defaultBackend ?? spec.routing.defaultBackend;
}
