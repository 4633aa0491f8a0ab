/**
 * Deletes: the edges that make each delete safe (addDeleteEdges, for diffPlan and teardownPlan),
 * and teardownPlan, which deletes everything a load balancer owns. Pure: no I/O.
 */
import { KIND_ORDER, kindModule } from '../kinds/registry.js';
import { ObservedIndex, ownedBy } from './observed-index.js';
import { ownerOf } from './ownership.js';
import { topoOrder } from './plan-order.js';
import { resourceId, type ObservedResource, type ObservedState, type Plan, type PlanBlocker, type PlanStep, type ResourceKind } from '../model/resource-model.js';

/** A plan's counts per action. */
export function summarize(steps: readonly PlanStep[]): Plan['summary'] {
  const summary: Plan['summary'] = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const s of steps) summary[s.action]++;
  return summary;
}

/** "kind name" or "kind name in region", for messages. */
export function describe(kind: ResourceKind, name: string, scope: string): string {
  return `${kind} ${name}${scope === 'global' ? '' : ` in ${scope.slice('regions/'.length)}`}`;
}

/**
 * Gives each delete step the edges that make it safe: after every step of a resource whose
 * observed body references (or implicitly uses) it, and after the deletes its kind names in
 * `plan.deleteAfter` (forwarding rules after DNS records and Cloud Run ingress; proxy-only subnets
 * last). A resource something this load balancer does not own still uses (another load
 * balancer's backend service on its Cloud Armor policy, another's proxies in its proxy-only
 * subnet) is kept, and so is what it references: the step becomes a noop that says why, and
 * `teardown --name` removes it once nothing uses it.
 */
export function addDeleteEdges(steps: PlanStep[], observed: ObservedState, index: ObservedIndex, lb: string): void {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const deletes = steps.filter((s) => s.action === 'delete');
  const kept = new Map<string, string>();
  for (const step of steps) {
    if (step.action !== 'delete') continue;
    for (const referrer of index.referrersOf(step.id)) {
      const referrerStep = byId.get(referrer.id);
      if (referrerStep) {
        step.dependsOn.push(referrer.id);
      } else if (!ownedBy(referrer, lb, observed, index) && !kept.has(step.id)) {
        const owner = ownerOf(referrer.kind, referrer.body);
        kept.set(step.id, `kept: ${describe(referrer.kind, referrer.name, referrer.scope)}${owner ? ` (load balancer ${owner})` : ', which this load balancer does not own,'} still uses it; \`serverless-lb teardown --name ${lb}\` removes it once nothing does`);
      }
    }
    // A map entry serves through its map: it goes only after what uses the map has let go of it.
    if (step.kind === 'certificateMapEntry') {
      const mapId = resourceId('certificateMap', step.scope, step.name.split('/')[0]!);
      for (const referrer of index.referrersOf(mapId)) if (byId.has(referrer.id)) step.dependsOn.push(referrer.id);
    }
    // What uses this resource without a reference (the kind's plan.deleteAfter).
    const after = kindModule(step.kind).plan?.deleteAfter;
    if (after === 'all') step.dependsOn.push(...deletes.filter((s) => s.kind !== step.kind).map((s) => s.id));
    else if (after) step.dependsOn.push(...deletes.filter((s) => after.includes(s.kind)).map((s) => s.id));
  }
  // What a kept resource references stays with it (a kept URL map keeps its backend services).
  for (let grew = true; grew; ) {
    grew = false;
    for (const id of [...kept.keys()]) {
      const resource = observed.get(id);
      for (const ref of resource ? index.referencesOf(resource) : []) {
        if (kept.has(ref) || byId.get(ref)?.action !== 'delete') continue;
        kept.set(ref, `kept: ${describe(resource!.kind, resource!.name, resource!.scope)} is kept and uses it`);
        grew = true;
      }
    }
  }
  for (const [id, reason] of kept) Object.assign(byId.get(id)!, { action: 'noop', reason, dependsOn: [] });
}

/** Why teardown deletes (or, for a shared setting, gives up its share of) an observed resource. */
function teardownReason(r: ObservedResource, lbName: string): string {
  const reason = kindModule(r.kind).plan?.teardownReason;
  return typeof reason === 'function' ? reason(r.body, lbName) : reason ?? 'owned by this load balancer';
}

/**
 * Deletes every resource of `observed` that this load balancer owns (ownership mark; DNS records
 * pointing only at its addresses; Cloud Run ingress it set), in reverse dependency order. Never an
 * unowned resource.
 */
export function teardownPlan(observed: ObservedState, lbName: string, options: { project?: string } = {}): Plan {
  const index = new ObservedIndex(observed);
  const owned = [...observed.values()].filter((r) => ownedBy(r, lbName, observed, index));
  owned.sort((a, b) => KIND_ORDER.indexOf(b.kind) - KIND_ORDER.indexOf(a.kind) || a.id.localeCompare(b.id));
  const steps: PlanStep[] = owned.map((r) => ({
    id: r.id,
    action: 'delete',
    kind: r.kind,
    name: r.name,
    scope: r.scope,
    dependsOn: [],
    changes: [],
    reason: teardownReason(r, lbName),
  }));
  const blockers: PlanBlocker[] = [];
  addDeleteEdges(steps, observed, index, lbName);
  const present = new Set(steps.map((s) => s.id));
  for (const s of steps) s.dependsOn = [...new Set(s.dependsOn.filter((d) => present.has(d) && d !== s.id))];
  const ordered = topoOrder(steps);
  return { lbName, project: options.project ?? '', steps: ordered, blockers, summary: summarize(ordered) };
}
