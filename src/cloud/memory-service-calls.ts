/**
 * The ServiceCalls of the in-memory Cloud: what kinds of other APIs (src/kinds, `service`) are
 * made of, over the Cloud Run services and IAM policies the memory cloud holds. IAM keeps Google's
 * etag rule: a policy set with a stale etag fails with reason `conflict`.
 */
import type { RunIngressUpdate } from '../kinds/cloud-run-ingress.js';
import { mergeAnnotations } from '../kinds/cloud-run-ingress.js';
import type { CertificateManagerCalls, CertManagerCollection, IamPolicy, NetworkSecurityCalls, ServiceCalls } from '../kinds/service-calls.js';
import { cloudError } from './normalise-error.js';
import type { RunServiceInfo } from './port.js';

export interface MemoryRunModel {
  project: string;
  /** By `region/name`. */
  services: Map<string, RunServiceInfo>;
  /** By `region/name`. */
  policies: Map<string, IamPolicy>;
  requireRun(region: string, name: string): RunServiceInfo;
  applyIngress(update: RunIngressUpdate): void;
  /** Certificate Manager resources by full name. */
  certificateManager: Map<string, Record<string, unknown>>;
}

/**
 * Certificate Manager over a map of resources by full name: Google's not-found and already-exists
 * answers; a DNS authorization gets its CNAME record, a managed certificate is ACTIVE at once.
 */
function memoryCertificateManager(resources: Map<string, Record<string, unknown>>): CertificateManagerCalls {
  const collectionOf = (name: string) => name.split('/').at(-2);
  return {
    get: async (_collection, name) => structuredClone(resources.get(name)),
    list: async (collection, parent) =>
      [...resources.entries()].filter(([name]) => name.startsWith(`${parent}/`) && collectionOf(name) === collection && name.split('/').length === parent.split('/').length + 2).map(([, r]) => structuredClone(r)),
    create: async (collection, parent, id, body, operation) => {
      const name = `${parent}/${collection}/${id}`;
      if (resources.has(name)) throw cloudError(operation, 'alreadyExists', `${collection} ${name} already exists`);
      const stored: Record<string, unknown> = { ...structuredClone(body), name };
      if (collection === 'dnsAuthorizations') {
        stored.dnsResourceRecord = { name: `_acme-challenge.${String(body.domain)}.`, type: 'CNAME', data: `${id}.memory.authorize.certificatemanager.goog.` };
      }
      if (collection === 'certificates' && body.managed) stored.managed = { ...(body.managed as object), state: 'ACTIVE' };
      resources.set(name, stored);
    },
    update: async (_collection, name, body, mask, operation) => {
      const current = resources.get(name);
      if (!current) throw cloudError(operation, 'notFound', `${name} not found`);
      for (const field of mask) current[field] = structuredClone(body[field]);
    },
    delete: async (_collection, name, operation) => {
      if (!resources.delete(name)) throw cloudError(operation, 'notFound', `${name} not found`);
    },
  };
}

/** Server TLS policies held by full name beside the Certificate Manager resources (their names never collide). */
function memoryNetworkSecurity(resources: Map<string, Record<string, unknown>>): NetworkSecurityCalls {
  const cm = memoryCertificateManager(resources);
  const collection = 'serverTlsPolicies' as unknown as CertManagerCollection;
  return {
    get: (name, operation) => cm.get(collection, name, operation),
    list: (parent, operation) => cm.list(collection, parent, operation),
    create: (parent, id, body, operation) => cm.create(collection, parent, id, body, operation),
    update: (name, body, mask, operation) => cm.update(collection, name, body, mask, operation),
    delete: (name, operation) => cm.delete(collection, name, operation),
  };
}

let etagCounter = 1;

export function memoryServiceCalls(model: MemoryRunModel, owner?: string): ServiceCalls {
  const key = (region: string, name: string) => `${region}/${name}`;
  return {
    project: model.project,
    fail: cloudError,
    ...(owner !== undefined ? { owner } : {}),
    dns: () => Promise.reject(cloudError('Cloud DNS', 'invalid', 'the memory cloud models record sets directly')),
    getRunService: async (region, name) => structuredClone(model.services.get(key(region, name))),
    listRunServices: async (region) => [...model.services.values()].filter((s) => s.region === region).map((s) => structuredClone(s)),
    updateRunService: async (update) => model.applyIngress(update),
    getRunIamPolicy: async (region, name) => {
      model.requireRun(region, name);
      return structuredClone(model.policies.get(key(region, name)) ?? {});
    },
    setRunIamPolicy: async (region, name, policy) => {
      model.requireRun(region, name);
      const current = model.policies.get(key(region, name));
      if (policy.etag !== undefined && current?.etag !== undefined && policy.etag !== current.etag) {
        throw cloudError(`set IAM policy of ${name}`, 'conflict', 'There were concurrent policy changes.');
      }
      model.policies.set(key(region, name), { ...structuredClone(policy), etag: `e${etagCounter++}` });
    },
    annotateRunService: async (region, name, annotations, _current, switches = {}) => {
      const s = model.requireRun(region, name);
      s.annotations = mergeAnnotations(s.annotations, annotations);
      for (const field of ['invokerIamDisabled', 'defaultUriDisabled'] as const) {
        if (switches[field] === true) s[field] = true;
        else if (switches[field] === false) delete s[field];
      }
    },
    projectNumber: async () => '123456789012',
    certificateManager: memoryCertificateManager(model.certificateManager),
    networkSecurity: memoryNetworkSecurity(model.certificateManager),
    resolve: async (body) => resolvePlaceholders(body),
  };
}

/** FileRef / SecretRef are not read in memory: they are stored as a marker, never as content. */
export function resolvePlaceholders(body: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof (v as { $file?: unknown }).$file === 'string') return `<file ${(v as { $file: string }).$file}>`;
      if (typeof (v as { $secret?: unknown }).$secret === 'object') return '<secret>';
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    if (Array.isArray(v)) return v.map(walk);
    return v;
  };
  return walk(structuredClone(body)) as Record<string, unknown>;
}
