/**
 * The rules that keep a live load balancer serving while diffPlan (diff.ts) changes it:
 *   - promoteEphemeralAddresses: an address to reserve where the load balancer's forwarding rules
 *     already answer on one ephemeral IP is made with that IP, so nothing else moves;
 *   - keptWhileHeld: what a body held until something serves (kind `compare.hold`) still uses is
 *     kept, not deleted, with the reason (a pending step);
 *   - refKey / pathKey / references: comparing references whatever form they take.
 * Pure.
 */
import { CERT_MANAGER_PREFIX } from '../kinds/cert-manager-ref.js';
import { kindModule } from '../kinds/registry.js';
import { alternateName } from '../model/naming.js';
import { isOwnedBy } from './ownership.js';
import { normalizeRef, resourcePath } from './paths.js';
import { resourceId, type DesiredResource, type ObservedResource, type ObservedState, type ResourceKind, type Scope } from '../model/resource-model.js';

/**
 * An address to reserve where this load balancer's forwarding rules already answer on one ephemeral
 * IP: the address is made with that IP (Google turns an ephemeral IP into a static one that way), so
 * the rules keep their IP and DNS does not move. Sets the address's `address` in `resources` and
 * returns, by id, the address as it will be, for comparing the rules with it.
 */
export function promoteEphemeralAddresses(resources: DesiredResource[], observed: ObservedState, lb: string): Map<string, ObservedResource> {
  const promoted = new Map<string, ObservedResource>();
  const heldIps = new Set([...observed.values()].filter((o) => o.kind === 'address').map((o) => String(o.body.address ?? '')));
  resources.forEach((r, i) => {
    if (r.kind !== 'address' || !r.managed || observed.has(r.id) || observed.has(resourceId(r.kind, r.scope, alternateName(r.name)))) return;
    const key = refKey(resourcePath(r.project, r.kind, r.scope, r.name));
    const users = resources.filter((x) => x.kind === 'forwardingRule' && typeof x.body.IPAddress === 'string' && refKey(x.body.IPAddress) === key);
    const ips = users.map((fr) => {
      const o = observed.get(fr.id);
      const ip = o?.body.IPAddress;
      return o && isOwnedBy(o.kind, o.body, lb) && typeof ip === 'string' && !ip.includes('/') && !heldIps.has(ip) ? ip : undefined;
    });
    const ip = ips[0];
    if (users.length === 0 || ip === undefined || ips.some((x) => x !== ip)) return;
    const body = { ...r.body, address: ip };
    resources[i] = { ...r, body };
    promoted.set(r.id, { id: r.id, kind: r.kind, name: r.name, scope: r.scope, body });
  });
  return promoted;
}

/**
 * What must not be deleted yet because a held body (a proxy, a map entry waiting for a certificate
 * to serve) still uses it: what the body names, and what those need to serve (a map's entries, the
 * certificates and authorizations the entries name), transitively. Each is kept with the reason.
 */
export function keptWhileHeld(deletes: readonly ObservedResource[], holding: ReadonlyMap<string, string[]>, resources: readonly DesiredResource[], project: string): Map<string, { waitsFor: string; reason: string }> {
  const kept = new Map<string, { waitsFor: string; reason: string }>();
  const keyed = deletes.map((o) => ({ o, key: pathKey(project, o.kind, o.scope, o.name) }));
  for (const [holderId, waitsFor] of holding) {
    const holder = resources.find((r) => r.id === holderId);
    if (!holder) continue;
    const names = waitsFor.map((w) => w.split(':').pop()).join(', ');
    // A self-managed certificate serves as soon as it exists: apply finishes the swap in the same run.
    const servesOnceMade = waitsFor.every((id) => {
      const awaited = resources.find((r) => r.id === id);
      return awaited !== undefined && (kindModule(awaited.kind).compare.serving?.(awaited.body) ?? true);
    });
    const reason = servesOnceMade
      ? `still serves HTTPS through ${holder.name} until ${names} ${waitsFor.length === 1 ? 'is' : 'are'} in place beside it; apply then detaches and deletes it in the same run`
      : `still serves HTTPS through ${holder.name} until ${names} ${waitsFor.length === 1 ? 'is' : 'are'} ACTIVE; a later apply (or --wait-certificates) detaches and deletes it`;
    const queue: unknown[] = [holder.body];
    while (queue.length > 0) {
      const body = queue.shift();
      for (const { o, key } of keyed) {
        if (kept.has(o.id) || key === undefined || !references(body, key)) continue;
        kept.set(o.id, { waitsFor: waitsFor[0]!, reason });
        queue.push(o.body);
        // A map serves through its entries, which name it only by their place under it.
        if (o.kind === 'certificateMap') {
          for (const entry of deletes.filter((e) => e.kind === 'certificateMapEntry' && e.name.startsWith(`${o.name}/`))) {
            if (kept.has(entry.id)) continue;
            kept.set(entry.id, { waitsFor: waitsFor[0]!, reason });
            queue.push(entry.body);
          }
        }
      }
    }
  }
  return kept;
}

/** The reference key of a resource, or undefined for kinds that are not referenced by path (DNS records). */
export function pathKey(project: string, kind: ResourceKind, scope: Scope, name: string): string | undefined {
  if (!kindModule(kind).compute && !kindModule(kind).certManager) return undefined;
  return refKey(resourcePath(project, kind, scope, name));
}

/** Whether a body names, anywhere, the resource whose reference key is `key`. */
export function references(value: unknown, key: string): boolean {
  if (typeof value === 'string') return refKey(value) === key;
  if (Array.isArray(value)) return value.some((v) => references(v, key));
  if (isPlainObject(value)) return Object.values(value).some((v) => references(v, key));
  return false;
}


/** A reference as a comparable key: project-relative path, without the Certificate Manager prefix. */
export function refKey(ref: string): string {
  const path = normalizeRef(ref);
  return path.startsWith(CERT_MANAGER_PREFIX) ? path.slice(CERT_MANAGER_PREFIX.length) : path;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
