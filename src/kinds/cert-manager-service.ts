/**
 * The Certificate Manager kinds' get/list/insert/update/delete, over the Cloud port's
 * `certificateManager` calls (kind.ts CertificateManagerCalls). What every one of them shares:
 *
 *   - a resource is named by its full path (`projects/P/locations/L/<collection>/N`; a map entry
 *     `.../certificateMaps/M/certificateMapEntries/E`, its graph name `M/E`); the observed body's
 *     `name` is the graph name;
 *   - insert sends the body with FileRef / SecretRef resolved (a self-managed certificate's PEM);
 *   - update changes in place only what Certificate Manager lets change (the kind's `mutable`
 *     fields, labels and description), with an update mask;
 *   - with the Certificate Manager API not enabled in the project nothing of it can exist: lists
 *     are empty (so status and teardown of a load balancer that uses none of it still work).
 */
import { regionOf, resourceId, type ObservedResource, type ResourceKind, type Scope } from '../model/resource-model.js';
import type { ServiceApi } from './kind.js';
import type { CertManagerCollection, ServiceCalls } from './service-calls.js';

/** The scope of a Certificate Manager location (`global`, or a region). */
export function scopeOfLocation(location: string): Scope {
  return location === 'global' ? 'global' : `regions/${location}`;
}

/** `projects/P/locations/L` of a scope. */
export function certManagerParent(project: string, scope: Scope): string {
  return `projects/${project}/locations/${regionOf(scope) ?? 'global'}`;
}

/** The full resource name of a graph name (`MAP/ENTRY` for a map entry). */
export function certManagerResourceName(project: string, collection: CertManagerCollection, scope: Scope, name: string): string {
  const parent = certManagerParent(project, scope);
  if (collection !== 'certificateMapEntries') return `${parent}/${collection}/${name}`;
  const [map, entry] = name.split('/');
  return `${parent}/certificateMaps/${map}/certificateMapEntries/${entry}`;
}

/** The graph name of a full resource name (`M/E` for a map entry). */
function graphName(fullName: string): string {
  const parts = fullName.split('/');
  return parts.includes('certificateMapEntries') ? `${parts.at(-3)}/${parts.at(-1)}` : parts.at(-1)!;
}

function observedOf(kind: ResourceKind, scope: Scope, body: Record<string, unknown>): ObservedResource {
  const name = graphName(String(body.name));
  return { id: resourceId(kind, scope, name), kind, name, scope, body: { ...body, name } };
}

const isApiOff = (error: unknown): boolean => (error as { reason?: unknown }).reason === 'accessNotConfigured';

export function certManagerService(kind: ResourceKind, collection: CertManagerCollection, mutable: readonly string[]): ServiceApi {
  const fullName = (calls: ServiceCalls, scope: Scope, name: string) => certManagerResourceName(calls.project, collection, scope, name);
  const listIn = async (calls: ServiceCalls, scope: Scope, operation: string): Promise<Record<string, unknown>[]> => {
    const cm = calls.certificateManager;
    const parent = certManagerParent(calls.project, scope);
    if (collection !== 'certificateMapEntries') return cm.list(collection, parent, operation);
    const maps = await cm.list('certificateMaps', parent, operation);
    return (await Promise.all(maps.map((m) => cm.list('certificateMapEntries', String(m.name), operation)))).flat();
  };
  return {
    async get(calls, ref, operation) {
      const body = await calls.certificateManager.get(collection, fullName(calls, ref.scope, ref.name), operation);
      return body ? observedOf(kind, ref.scope, body) : undefined;
    },
    async list(calls, scope, operation) {
      try {
        return (await listIn(calls, scope, operation)).map((b) => observedOf(kind, scope, b));
      } catch (error) {
        if (isApiOff(error)) return [];
        throw error;
      }
    },
    async insert(calls, resource, operation) {
      const { name: _name, ...body } = await calls.resolve(resource.body, operation);
      const id = resource.name.split('/').at(-1)!;
      const full = fullName(calls, resource.scope, resource.name);
      await calls.certificateManager.create(collection, full.slice(0, -`/${collection}/${id}`.length), id, body, operation);
    },
    async update(calls, resource, operation) {
      const { name: _name, ...body } = await calls.resolve(resource.body, operation);
      const mask = ['labels', 'description', ...mutable].filter((f) => f in body);
      await calls.certificateManager.update(collection, fullName(calls, resource.scope, resource.name), body, mask, operation);
    },
    async delete(calls, ref, operation) {
      await calls.certificateManager.delete(collection, fullName(calls, ref.scope, ref.name), operation);
    },
  };
}
