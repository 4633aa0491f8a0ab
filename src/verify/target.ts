/**
 * What verify checks, gathered from the Spec and the observed state: the listeners (address, port,
 * protocol of each forwarding rule), the domains and DNS zone, the certificates on the HTTPS proxy,
 * the routing probes, the Cloud Run services and their intended ingress, the IAP backends.
 * Pure: the observed state is read by the caller (src/cloud/read-state.ts).
 */
import { kindModule } from '../kinds/registry.js';
import { resourceId, type DesiredGraph, type ObservedState, type Scope } from '../model/resource-model.js';
import type { ResourceRef } from '../cloud/port.js';
import { parseResourcePath } from '../plan/paths.js';
import type { Spec } from '../spec/schema.js';
import { backendFeatures, cloudRunIngress, cloudRunServices, isInternalType, managedCertificateDomains, targetKind, urlMaskOf } from '../spec/derive.js';
import { alternateName, lbNames } from '../model/naming.js';
import { observedFor } from '../plan/diff.js';
import { routeProbes, routeRuleProbes, type RouteProbe } from './probes.js';

export interface ListenerTarget {
  forwardingRule: string;
  scope: Scope;
  /** The forwarding rule's IP address. */
  address: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** An HTTP listener that only redirects to HTTPS. */
  redirectToHttps: boolean;
}

/** `address:port` of a listener, an IPv6 address in brackets (`[2600:1901::1]:443`). */
export function listenerAddress(l: Pick<ListenerTarget, 'address' | 'port'>): string {
  return `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
}

export interface CertificateTarget {
  ref: ResourceRef;
  /** Whether the HTTPS proxy references it. */
  attached: boolean;
}

export interface RunServiceTarget {
  backend: string;
  service: string;
  region: string;
  /** The ingress apply sets (Google's enum), undefined when left unchanged. */
  expectedIngress?: string;
  /** apply turns the run.app URL off (options.defaultUrl: disabled). */
  expectDefaultUrlDisabled?: boolean;
}

export interface VerifyTarget {
  lbName: string;
  project: string;
  internal: boolean;
  /** VPC network of an internal load balancer. */
  network?: string;
  domains: string[];
  /** The Cloud DNS zone apply keeps the records in, if any. */
  dnsZone?: { zone: string; project: string };
  listeners: ListenerTarget[];
  /** Every address clients should reach (each forwarding rule's IP), without repeats. */
  addresses: string[];
  /** Compute SSL certificates and Certificate Manager certificates on (or meant for) the HTTPS proxy, directly or through the load balancer's map. */
  certificates: CertificateTarget[];
  /** Certificate Manager certificates or a map the user named, by reference (not read by serverless-lb). */
  certificateManager: string[];
  /** Domains the Google-managed certificate should cover. */
  managedDomains: string[];
  hasHttps: boolean;
  probes: RouteProbe[];
  /** What the HTTPS listener's TLS should be: the SSL policy's minimum version (a policy the config sets) and HTTP/3. */
  tls: { minTlsVersion?: 'TLS_1_0' | 'TLS_1_1' | 'TLS_1_2'; http3?: boolean };
  /** Mutual TLS of the HTTPS listener, where the config makes its server TLS policy. */
  mtls?: { mode: string };
  /** Route rules: a request per rule to one backend, a sample per weighted split, and the rules left out. */
  routeRules: ReturnType<typeof routeRuleProbes>;
  runServices: RunServiceTarget[];
  /** Backends whose ingress serverless-lb does not set, and why (URL masks, other platforms). */
  ingressNotes: string[];
  iapBackends: Array<{ backend: string; backendService: ResourceRef }>;
  /** Desired resources of the data path that do not exist (forwarding rules, proxies). */
  missing: string[];
}

function portOf(body: Record<string, unknown>, https: boolean): number {
  const range = typeof body.portRange === 'string' ? body.portRange : Array.isArray(body.ports) ? String(body.ports[0]) : '';
  const first = Number(range.split('-')[0]);
  return Number.isFinite(first) && first > 0 ? first : https ? 443 : 80;
}

export function buildVerifyTarget(spec: Spec, graph: DesiredGraph, observed: ObservedState): VerifyTarget {
  const listeners: ListenerTarget[] = [];
  const missing: string[] = [];
  const certificates: CertificateTarget[] = [];
  const attachedKeys = new Set<string>();
  const certificateManager: string[] = [];

  for (const r of graph.resources) {
    if (kindModule(r.kind).verify?.dataPath && !observedFor(observed, r)) missing.push(`${r.kind} ${r.name}`);
    if (r.kind === 'forwardingRule') {
      const o = observedFor(observed, r);
      if (!o) continue;
      const target = String(o.body.target ?? r.body.target ?? '');
      const https = /targetHttpsProxies/.test(target);
      listeners.push({
        forwardingRule: r.name,
        scope: r.scope,
        address: String(o.body.IPAddress ?? ''),
        port: portOf(o.body, https),
        protocol: https ? 'HTTPS' : 'HTTP',
        redirectToHttps: !https && spec.frontend.protocol === 'https-redirect',
      });
    }
    if (r.kind === 'targetHttpsProxy') {
      const o = observedFor(observed, r);
      const refs = ((o?.body.sslCertificates ?? []) as string[]).map(String);
      for (const ref of refs) {
        const parsed = parseResourcePath(ref);
        if (parsed?.kind === 'sslCertificate' || parsed?.kind === 'certManagerCertificate') {
          attachedKeys.add(`${parsed.kind}:${parsed.scope}/${parsed.name}`);
          certificates.push({ ref: { kind: parsed.kind, scope: parsed.scope, name: parsed.name, ...(parsed.project !== graph.project ? { project: parsed.project } : {}) }, attached: true });
        } else {
          certificateManager.push(ref);
        }
      }
      const map = typeof o?.body.certificateMap === 'string' ? o.body.certificateMap : undefined;
      const mapParsed = map ? parseResourcePath(map) : undefined;
      const ownMap = mapParsed?.kind === 'certificateMap' && graph.resources.some((x) => x.id === mapParsed.id);
      // The load balancer's own map serves its Certificate Manager certificate (read below); a map the user named is not read.
      if (map && !ownMap) certificateManager.push(map);
      if (ownMap) {
        for (const c of graph.resources.filter((x) => x.kind === 'certManagerCertificate')) {
          for (const n of [c.name, alternateName(c.name)]) attachedKeys.add(`certManagerCertificate:${c.scope}/${n}`);
        }
      }
      if (!o) {
        for (const ref of (r.body.sslCertificates ?? []) as unknown[]) if (typeof ref === 'string' && !parseResourcePath(ref)) certificateManager.push(ref);
      }
    }
  }
  for (const r of graph.resources) {
    if (r.kind !== 'certManagerCertificate') continue;
    const own = [r.name, alternateName(r.name)].find((n) => attachedKeys.has(`certManagerCertificate:${r.scope}/${n}`) && observed.has(resourceId(r.kind, r.scope, n)));
    if (!certificates.some((c) => c.ref.kind === 'certManagerCertificate' && c.ref.scope === r.scope && (c.ref.name === r.name || c.ref.name === alternateName(r.name)))) {
      certificates.push({ ref: { kind: 'certManagerCertificate', scope: r.scope, name: own ?? r.name }, attached: own !== undefined });
    }
  }
  for (const r of graph.resources) {
    if (r.kind === 'sslCertificate' && !attachedKeys.has(`sslCertificate:${r.scope}/${r.name}`) && !attachedKeys.has(`sslCertificate:${r.scope}/${alternateName(r.name)}`)) {
      certificates.push({ ref: { kind: 'sslCertificate', scope: r.scope, name: r.name }, attached: false });
    }
  }

  const ingress = cloudRunIngress(spec);
  const runServices: RunServiceTarget[] = cloudRunServices(spec).map((s) => ({ ...s, ...(ingress ? { expectedIngress: ingress } : {}), ...(spec.options.defaultUrl === 'disabled' ? { expectDefaultUrlDisabled: true } : {}) }));
  const ingressNotes: string[] = [];
  for (const b of spec.backends) {
    const kind = targetKind(b);
    if (kind === 'cloudRun' && urlMaskOf(b)) ingressNotes.push(`${b.name}: the Cloud Run services behind URL mask ${urlMaskOf(b)} are not known in advance; set their ingress yourself`);
    else if (kind === 'cloudFunction') ingressNotes.push(`${b.name}: Cloud Functions ingress settings are not managed by serverless-lb`);
    else if (kind === 'appEngine') ingressNotes.push(`${b.name}: App Engine ingress (firewall and ingress settings) is not managed by serverless-lb`);
    else if (kind === 'apiGateway') ingressNotes.push(`${b.name}: an API Gateway gateway is public by design; its backend API decides who gets in`);
  }

  const iapBackends: VerifyTarget['iapBackends'] = [];
  for (const b of spec.backends) {
    if (!backendFeatures(spec, b).iap) continue;
    const name = lbNames(spec.name, spec.names).backendService(b.name);
    const bs = graph.resources.find((r) => r.kind === 'backendService' && r.name === name);
    if (bs) iapBackends.push({ backend: b.name, backendService: { kind: 'backendService', scope: bs.scope, name: observedFor(observed, bs)?.name ?? bs.name } });
  }

  return {
    lbName: spec.name,
    project: spec.project,
    internal: isInternalType(spec.type),
    ...(spec.frontend.network ? { network: spec.frontend.network.network } : isInternalType(spec.type) ? { network: 'default' } : {}),
    domains: spec.frontend.domains,
    ...(spec.dns ? { dnsZone: { zone: spec.dns.managedZone, project: spec.dns.project ?? spec.project } } : {}),
    listeners,
    addresses: [...new Set(listeners.map((l) => l.address).filter((a) => a !== ''))],
    certificates,
    certificateManager,
    managedDomains: managedCertificateDomains(spec),
    hasHttps: spec.frontend.protocol !== 'http',
    probes: routeProbes(spec),
    routeRules: routeRuleProbes(spec),
    tls: {
      ...(spec.frontend.tls?.policy && spec.frontend.tls.policy.existing === undefined ? { minTlsVersion: spec.frontend.tls.policy.minTlsVersion ?? 'TLS_1_0' } : {}),
      ...(spec.frontend.tls?.http3 !== undefined ? { http3: spec.frontend.tls.http3 } : {}),
    },
    ...(spec.frontend.tls?.mtls?.trustAnchors && spec.frontend.protocol !== 'http' ? { mtls: { mode: spec.frontend.tls.mtls.mode } } : {}),
    runServices,
    ingressNotes,
    iapBackends,
    missing,
  };
}
