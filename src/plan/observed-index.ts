/**
 * An index of the observed state for the diff and teardown: who references whom (references in
 * bodies, plus the IPs resources hold or point at: the kinds' `ipOf` and `ownership.pointsAt`), and
 * whether a resource belongs to a load balancer. Pure.
 */
import { kindModule } from '../kinds/registry.js';
import { isOwnedBy, ownerOf } from './ownership.js';
import { parseResourcePath } from './paths.js';
import type { ObservedResource, ObservedState } from '../model/resource-model.js';

/** Keys of observed bodies that point back at users or at the resource itself, not at dependencies. */
const BACK_REFERENCE_KEYS = new Set(['selfLink', 'selfLinkWithId', 'users', 'usedBy', 'region', 'zone', 'kind', 'id']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The IP literal an observed resource holds (an address' `address`, a forwarding rule's `IPAddress`). */
function ipOf(resource: ObservedResource): string | undefined {
  return kindModule(resource.kind).ipOf?.(resource.body);
}

/** Index of the observed state: who references whom, and which IPs belong to which resource. */
export class ObservedIndex {
  /** IP literal -> ids of the addresses (preferred) or forwarding rules holding it. */
  private readonly ipHolders = new Map<string, string[]>();
  constructor(private readonly observed: ObservedState) {
    for (const r of observed.values()) {
      const ip = ipOf(r);
      if (!ip) continue;
      const list = this.ipHolders.get(ip) ?? [];
      if (r.kind === 'address') list.unshift(r.id);
      else list.push(r.id);
      this.ipHolders.set(ip, list);
    }
  }

  /** Ids of the resources whose IP is `ip` (the address first when there is one). */
  holdersOf(ip: string): string[] {
    return this.ipHolders.get(ip) ?? [];
  }

  /** Ids of the resources an observed resource references (its dependencies), itself excluded. */
  referencesOf(resource: ObservedResource): Set<string> {
    const out = new Set<string>();
    const walk = (value: unknown, key: string): void => {
      if (BACK_REFERENCE_KEYS.has(key)) return;
      if (typeof value === 'string') {
        const parsed = parseResourcePath(value);
        if (parsed) out.add(parsed.id);
        return;
      }
      if (Array.isArray(value)) for (const v of value) walk(v, key);
      else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk(resource.body, '');
    // A resource on an IP that a reserved address holds (a forwarding rule) depends on the address.
    const ip = ipOf(resource);
    const holder = ip ? this.holdersOf(ip).find((id) => id !== resource.id && this.observed.get(id)?.kind === 'address') : undefined;
    if (holder) out.add(holder);
    // What it uses without a reference (a proxy's forwarding rule: the region's proxy-only subnet).
    for (const id of kindModule(resource.kind).implicitUses?.(resource.body, resource.scope, this.observed) ?? []) out.add(id);
    // A resource that points at IPs (a DNS record) depends on what holds them.
    for (const target of kindModule(resource.kind).ownership.pointsAt?.(resource.body) ?? []) {
      const first = this.holdersOf(target)[0];
      if (first) out.add(first);
    }
    out.delete(resource.id);
    return out;
  }

  /** Ids of observed resources that reference `id`. */
  referrersOf(id: string): ObservedResource[] {
    return [...this.observed.values()].filter((r) => r.id !== id && this.referencesOf(r).has(id));
  }
}

/**
 * Whether an observed resource belongs to `lbName`: its mark; or (kinds without one) it points only
 * at IPs of owned resources; or (kinds `heldBy` others, carrying no mark at all) a resource the load
 * balancer owns references it: a forwarding rule holds its proxy, which holds its URL map, which
 * holds its backend services, which hold their NEGs.
 */
export function ownedBy(resource: ObservedResource, lbName: string, observed: ObservedState, index: ObservedIndex): boolean {
  return markedBy(resource, lbName, observed, index) || heldByOwned(resource, lbName, observed, index);
}

/** Owned through what holds it (ownership.heldBy), not through a mark of its own. */
export function heldByOwned(resource: ObservedResource, lbName: string, observed: ObservedState, index: ObservedIndex, seen: Set<string> = new Set()): boolean {
  const holders = kindModule(resource.kind).ownership.heldBy;
  if (!holders || ownerOf(resource.kind, resource.body) !== undefined || seen.has(resource.id)) return false;
  seen.add(resource.id);
  return index
    .referrersOf(resource.id)
    .some((r) => holders.includes(r.kind) && (markedBy(r, lbName, observed, index) || heldByOwned(r, lbName, observed, index, seen)));
}

function markedBy(resource: ObservedResource, lbName: string, observed: ObservedState, index: ObservedIndex): boolean {
  const pointsAt = kindModule(resource.kind).ownership.pointsAt;
  if (pointsAt) {
    const data = pointsAt(resource.body);
    if (data.length === 0) return false;
    return data.every((ip) =>
      index.holdersOf(ip).some((id) => {
        const holder = observed.get(id);
        return holder !== undefined && isOwnedBy(holder.kind, holder.body, lbName);
      }),
    );
  }
  return isOwnedBy(resource.kind, resource.body, lbName);
}

