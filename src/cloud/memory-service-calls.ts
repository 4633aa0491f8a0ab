/**
 * The ServiceCalls of the in-memory Cloud: what kinds of other APIs (src/kinds, `service`) are
 * made of, over the Cloud Run services and IAM policies the memory cloud holds. IAM keeps Google's
 * etag rule: a policy set with a stale etag fails with reason `conflict`.
 */
import type { RunIngressUpdate } from '../kinds/cloud-run-ingress.js';
import { mergeAnnotations } from '../kinds/cloud-run-ingress.js';
import type { IamPolicy, ServiceCalls } from '../kinds/kind.js';
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
    annotateRunService: async (region, name, annotations) => {
      const s = model.requireRun(region, name);
      s.annotations = mergeAnnotations(s.annotations, annotations);
    },
    projectNumber: async () => '123456789012',
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
