/**
 * The wizard's questions: one per Spec field (src/spec/fields.ts names each one's id), in the order a
 * person thinks: project, load balancer type, region(s), backends, routing, name, (the migration of
 * an existing classic one), protocol, port,
 * domains, certificate, DNS zone, address, network, options, ingress. Each group of questions has
 * its module in questions/ (the contract of a question is in questions/kit.ts).
 *
 * Each question knows: when it is relevant (the LB type and earlier answers decide), how to read its
 * answer from a SpecInputPatch (so a flag or config value is echoed instead of asked), how to write
 * an answer back, its default (used without a human too) or its suggestion (offered to a human only),
 * and how to ask it, with discovery through the Cloud port where listing beats typing.
 * Validation is the engine's (ask.ts): the same rules as the config, on the keys the question sets.
 */
import type { Question } from './questions/kit.js';
import { project, type, region, regions, name } from './questions/type-and-regions.js';
import { backends, defaultBackend } from './questions/backends.js';
import { routes } from './questions/routing.js';
import { protocol, port, domains, certificate, certificateFile, privateKeyFile, existingCertificate, certificateMap, certificateManagerCertificate, dnsZone } from './questions/protocol-and-certificate.js';
import { address, addressName, network, subnet, proxyOnlySubnet, proxyOnlySubnetRange } from './questions/address-and-network.js';
import { migration } from './questions/migration.js';
import { cdn, iap, iapClientId, iapClientSecretFile, securityPolicy, rateLimit, logging, outlierDetection, ingress, invoker } from './questions/options.js';
import { tlsProfile, minTlsVersion, http3, mtlsTrustAnchors, ipVersion, canary, responseHeaders, defaultUrl } from './questions/advanced.js';

export type { AskKit, DiscoveryAccess, Question, WizardHints, WizardState } from './questions/kit.js';
export { formatBackend, formatRoutes, parseBackends, parseRoutes, regionsOf, splitList, typeOf } from './questions/kit.js';

/** Every question, in the order asked. */
export const QUESTIONS: readonly Question<any>[] = [
  project,
  type,
  region,
  regions,
  backends,
  defaultBackend,
  routes,
  canary,
  name,
  migration,
  protocol,
  port,
  domains,
  certificate,
  certificateFile,
  privateKeyFile,
  existingCertificate,
  certificateMap,
  certificateManagerCertificate,
  tlsProfile,
  minTlsVersion,
  http3,
  mtlsTrustAnchors,
  dnsZone,
  address,
  addressName,
  ipVersion,
  network,
  subnet,
  proxyOnlySubnet,
  proxyOnlySubnetRange,
  cdn,
  iap,
  iapClientId,
  iapClientSecretFile,
  securityPolicy,
  rateLimit,
  logging,
  outlierDetection,
  ingress,
  invoker,
  defaultUrl,
  responseHeaders,
];

/** The base question id of a prompt id (`backends.other` -> `backends`). */
export function baseQuestionId(id: string): string {
  return id.split('.')[0]!;
}
