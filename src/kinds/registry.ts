/**
 * The registry of resource kinds: one module per kind (src/kinds/<kind>.ts, contract in kind.ts),
 * in creation order. A kind references only kinds before it; the graph is built in this order and
 * deletes run in the reverse order where no reference says otherwise.
 *
 * Adding a kind: write its module, add its name to ResourceKind (src/model/resource-model.ts) and
 * one line here. Everything generic (graph, diff, Cloud port, state reads, teardown, memory cloud,
 * preflight, verify, exports) picks it up from here.
 */
import type { ResourceKind } from '../model/resource-model.js';
import { address } from './address.js';
import { backendService } from './backend-service.js';
import { certManagerCertificate } from './cert-manager-certificate.js';
import { certificateMap } from './certificate-map.js';
import { certificateMapEntry } from './certificate-map-entry.js';
import { dnsAuthorization } from './dns-authorization.js';
import { cloudRunIngress } from './cloud-run-ingress.js';
import { cloudRunInvoker } from './cloud-run-invoker.js';
import { cloudRunDefaultUrl } from './cloud-run-default-url.js';
import { dnsRecordSet } from './dns-record-set.js';
import { forwardingRule } from './forwarding-rule.js';
import type { ResourceKindModule } from './kind.js';
import { network } from './network.js';
import { networkEndpointGroup } from './network-endpoint-group.js';
import { securityPolicy } from './security-policy.js';
import { sslCertificate } from './ssl-certificate.js';
import { sslPolicy } from './ssl-policy.js';
import { trustConfig } from './trust-config.js';
import { serverTlsPolicy } from './server-tls-policy.js';
import { subnetwork } from './subnetwork.js';
import { targetHttpProxy } from './target-http-proxy.js';
import { targetHttpsProxy } from './target-https-proxy.js';
import { urlMap } from './url-map.js';

export const KINDS = [
  network,
  subnetwork,
  address,
  sslCertificate,
  sslPolicy,
  dnsAuthorization,
  certManagerCertificate,
  certificateMap,
  certificateMapEntry,
  trustConfig,
  serverTlsPolicy,
  securityPolicy,
  networkEndpointGroup,
  backendService,
  urlMap,
  targetHttpsProxy,
  targetHttpProxy,
  forwardingRule,
  dnsRecordSet,
  cloudRunIngress,
  cloudRunInvoker,
  cloudRunDefaultUrl,
] as const satisfies readonly ResourceKindModule[];

// Every ResourceKind has a module (a compile error names the one missing).
type Missing = Exclude<ResourceKind, (typeof KINDS)[number]['kind']>;
const everyKindHasAModule: [Missing] extends [never] ? true : Missing = true;
void everyKindHasAModule;

const BY_KIND = new Map<ResourceKind, ResourceKindModule>(KINDS.map((k) => [k.kind, k]));

/** The module of a kind. */
export function kindModule(kind: ResourceKind): ResourceKindModule {
  const found = BY_KIND.get(kind);
  if (!found) throw new Error(`no module for resource kind ${kind}`);
  return found;
}

/** Kind names in creation order. */
export const KIND_ORDER: readonly ResourceKind[] = KINDS.map((k) => k.kind);

const KIND_OF_COLLECTION = new Map<string, ResourceKind>();
for (const k of KINDS as readonly ResourceKindModule[]) if (k.compute) KIND_OF_COLLECTION.set(k.compute.collection, k.kind);

const KIND_OF_CERT_MANAGER_COLLECTION = new Map<string, ResourceKind>();
for (const k of KINDS as readonly ResourceKindModule[]) if (k.certManager) KIND_OF_CERT_MANAGER_COLLECTION.set(k.certManager.collection, k.kind);

/** The kind whose Certificate Manager collection is `collection`, if any. */
export function kindOfCertManagerCollection(collection: string): ResourceKind | undefined {
  return KIND_OF_CERT_MANAGER_COLLECTION.get(collection);
}

/** The kind whose Compute Engine collection is `collection`, if any. */
export function kindOfCollection(collection: string): ResourceKind | undefined {
  return KIND_OF_COLLECTION.get(collection);
}
