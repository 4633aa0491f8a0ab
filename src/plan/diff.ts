/**
 * diffPlan: what apply must do to turn the observed state into the desired graph. teardownPlan:
 * how to delete everything this load balancer owns. assertAcyclic: the check the walker runs.
 *
 * Contract (diffPlan):
 *   - For each desired resource: absent -> create; present, owned (ownership.ts) and matching
 *     (compare.ts) -> noop; differing only in fields that change in place -> update (with the
 *     field changes); differing in a field that cannot change in place -> a new resource under the
 *     alternate name (naming.ts alternateName), the resources using it updated to point at it,
 *     then the old one deleted; where nothing references the resource (forwarding rules,
 *     subnetworks) -> replace (delete and create again under the same name).
 *   - Present but not owned (no mark, or another load balancer's) -> a PlanBlocker, unless the
 *     user named it as existing (managed=false): then it must exist, else a blocker "not found".
 *   - Observed resources owned by this load balancer that are no longer desired -> delete.
 *   - A delete waits for every step of a resource whose observed body still references the
 *     resource being deleted (it must let go first); forwarding rules are deleted after DNS
 *     records and Cloud Run ingress are handled. Create/update/replace steps wait for the steps
 *     of the resources they reference. dependsOn lists only steps present in the plan.
 *   - Steps are in a valid execution order; the graph is acyclic (checked).
 *   - Secrets stay SecretRef placeholders: nothing is resolved here.
 *
 * Pure: no I/O, no clock, no environment.
 */
import { KIND_ORDER, kindModule } from '../kinds/registry.js';
import { compareBodies, isImmutableChange } from './compare.js';
import { PlanCycleError } from '../errors.js';
import { alternateName } from '../model/naming.js';
import { ObservedIndex, ownedBy } from './observed-index.js';
import { ownerOf } from './ownership.js';
import { normalizeRef, parseResourcePath, resourcePath } from './paths.js';
import { CERT_MANAGER_PREFIX } from '../kinds/cert-manager-ref.js';
import { assertAcyclic, topoOrder } from './plan-order.js';
import { addDeleteEdges, describe, summarize } from './delete-edges.js';

export { teardownPlan } from './delete-edges.js';
import { keptWhileHeld, pathKey, promoteEphemeralAddresses, refKey } from './live-change.js';
import {
  isOutputRef,
  outputValue,
  resourceId,
  type DesiredGraph,
  type DesiredResource,
  type FieldChange,
  type ObservedResource,
  type ObservedState,
  type Plan,
  type PlanAction,
  type PlanBlocker,
  type PlanStep,
  type ResourceKind,
} from '../model/resource-model.js';

export interface DiffOptions {
  /**
   * Plan without reading the API: the observed state is taken as empty and the existing
   * resources the user named are assumed to exist (no "not found" blocker).
   */
  offline?: boolean;
  /**
   * Plan as if this load balancer owned every resource that exists under a desired name (import:
   * what differs besides the ownership mark, which compareBodies never compares, is what the
   * config does not describe).
   */
  adopt?: boolean;
}

/**
 * The observed resource standing for a desired one: under its own name, else under its alternate
 * name (where a resource moves when a field cannot change in place; see diffPlan).
 */
export function observedFor(observed: ObservedState, resource: Pick<DesiredResource, 'id' | 'kind' | 'scope' | 'name'>): ObservedResource | undefined {
  return observed.get(resource.id) ?? observed.get(resourceId(resource.kind, resource.scope, alternateName(resource.name)));
}

/** Creation order of kinds (the registry's); deletes run in the reverse order where no reference says otherwise. */
export { KIND_ORDER };

export { PlanCycleError, assertAcyclic };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of a body with every string equal to `from` (after normalisation) replaced by `to`, and OutputRef ids moved. */
function rewriteRefs(value: unknown, from: string, to: string, fromId: string, toId: string): unknown {
  if (typeof value === 'string') {
    if (normalizeRef(value) === from) return to;
    // Certificate Manager resources reference each other without the service prefix proxies use.
    if (from.startsWith(CERT_MANAGER_PREFIX) && value === from.slice(CERT_MANAGER_PREFIX.length)) return to.slice(CERT_MANAGER_PREFIX.length);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, from, to, fromId, toId));
  if (isOutputRef(value)) return value.$output.id === fromId ? { $output: { ...value.$output, id: toId } } : value;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteRefs(v, from, to, fromId, toId);
    return out;
  }
  return value;
}

function notOwnedBlocker(resource: DesiredResource, owner: string | undefined): PlanBlocker {
  return {
    id: resource.id,
    message:
      owner !== undefined
        ? `${describe(resource.kind, resource.name, resource.scope)} exists and belongs to load balancer ${owner}, not this one`
        : `${describe(resource.kind, resource.name, resource.scope)} exists and is not owned by this load balancer`,
    // Reads are not one snapshot: a run of the same config creating it right now looks the same.
    hint: `${unownedHint(resource.kind, owner)}${owner === undefined ? '; if another serverless-lb run of this config is under way, let it finish and re-run' : ''}`,
  };
}

/** What to do about a resource in the way that this load balancer does not own. */
function unownedHint(kind: ResourceKind, owner: string | undefined): string {
  const own = kindModule(kind).ownership.unownedHint;
  if (own) return own;
  const rename = 'choose another load balancer name (`name`), which changes every generated name';
  const remove = owner !== undefined ? `or tear down load balancer ${owner} first` : 'or delete it if it is left over';
  const key = kindModule(kind).existingKey;
  return key ? `name it as existing in the config with ${key}, ${rename}, ${remove}` : `${rename}, ${remove}`;
}

/**
 * Resolves OutputRef values from the observed state. Unresolvable (the producer does not exist
 * yet, or its step changes it): returns undefined.
 */
function resolveOutputs(value: unknown, observed: ObservedState, changing: ReadonlySet<string>): { value: unknown; ok: boolean } {
  let ok = true;
  const walk = (v: unknown): unknown => {
    if (isOutputRef(v)) {
      const producer = observed.get(v.$output.id);
      const field = outputValue(producer?.body, v.$output.field);
      if (!producer || changing.has(v.$output.id) || typeof field !== 'string') {
        ok = false;
        return v;
      }
      return field;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return { value: walk(value), ok };
}

/**
 * The desired body as it compares with the API's (the kind's `compare.withObservedValues`), with the
 * resources it names read from `observedById` (observed state by resource id). Apply uses it too,
 * to decide whether a planned replace is still needed once the resources it names exist.
 */
export function comparableBody(resource: DesiredResource, observedById: (id: string) => ObservedResource | undefined): Record<string, unknown> {
  const withObserved = kindModule(resource.kind).compare.withObservedValues;
  if (!withObserved) return resource.body;
  return withObserved(resource.body, (path) => {
    const parsed = parseResourcePath(path);
    return parsed ? observedById(parsed.id)?.body : undefined;
  });
}

/** The ids of the resources `comparableBody` reads for this resource (to read them first). */
export function comparedReferences(resource: DesiredResource): string[] {
  const ids: string[] = [];
  comparableBody(resource, (id) => void ids.push(id));
  return ids;
}

function changeSummary(changes: readonly FieldChange[]): string {
  return [...new Set(changes.map((c) => c.field))].join(', ');
}

interface Decision {
  action: PlanAction;
  changes: FieldChange[];
  reason: string;
}

export function diffPlan(desired: DesiredGraph, observedState: ObservedState, options: DiffOptions = {}): Plan {
  const observed: ObservedState = options.offline ? new Map() : observedState;
  const lb = desired.lbName;
  const index = new ObservedIndex(observed);
  const blockers: PlanBlocker[] = [];
  const blocked = new Set<string>();
  /** Resolved desired resources (renamed where moved to the alternate name), in creation order. */
  const resources: DesiredResource[] = desired.resources.map((r) => ({ ...r, body: r.body, dependsOn: [...r.dependsOn] }));
  const decisions = new Map<string, Decision>();
  /** Ids whose step creates or re-creates the resource (its outputs, such as an IP, are new). */
  const changing = new Set<string>();
  /** Old id -> new id for resources moved to their alternate name. */
  const movedFrom = new Map<string, string>();
  /** Resources whose body is held until what it names serves (kind `hold`): id -> ids waited for. */
  const holding = new Map<string, string[]>();

  /** The desired resource (as resolved so far) a reference names, if any. */
  const named = (ref: string, upTo: number): DesiredResource | undefined => {
    const key = refKey(ref);
    return resources.slice(0, upTo).find((r) => pathKey(r.project, r.kind, r.scope, r.name) === key);
  };
  /** Whether a desired resource serves now: it exists and its kind says it serves; a map through its entries. */
  const serves = (r: DesiredResource, upTo: number): boolean => {
    if (!r.managed) return true;
    const o = observed.get(r.id);
    if (!o || !(kindModule(r.kind).compare.serving?.(o.body) ?? true)) return false;
    if (r.kind !== 'certificateMap') return true;
    return resources.slice(0, upTo).filter((e) => e.kind === 'certificateMapEntry' && e.name.startsWith(`${r.name}/`)).every((e) => {
      const entry = observed.get(e.id);
      return entry !== undefined && ((e.body.certificates ?? []) as string[]).every((c) => servesRef(c, upTo));
    });
  };
  /**
   * Whether what a reference names serves now: a resource this plan makes, by `serves`; another one
   * this load balancer has (an old certificate), by its kind's rule; anything else (the user's own) does.
   */
  const servesRef = (ref: string, upTo: number): boolean => {
    const r = named(ref, upTo);
    if (r) return serves(r, upTo);
    const key = refKey(ref);
    const o = [...observed.values()].find((x) => pathKey(desired.project, x.kind, x.scope, x.name) === key);
    return o === undefined || (kindModule(o.kind).compare.serving?.(o.body) ?? true);
  };

  const classify = (resource: DesiredResource, body: Record<string, unknown>, obs: ObservedResource | undefined) => {
    if (!obs) return { state: 'absent' as const, changes: [] as FieldChange[], immutable: false };
    // Held: no mark of its own, recognised by what owns it (a NEG the gcloud script made, by its backend service).
    const owned = ownedBy(obs, lb, observed, index);
    if (!owned && !options.adopt) return { state: 'foreign' as const, owner: ownerOf(obs.kind, obs.body), changes: [] as FieldChange[], immutable: false };
    const changes = compareBodies(resource.kind, body, obs.body);
    const rules = kindModule(resource.kind).compare;
    const immutable = changes.filter((c) => isImmutableChange(resource.kind, resource.scope, c.field, { desired: body, observed: obs.body }));
    const refusal = immutable.map((c) => rules.refuseChange?.(c.field, body, obs.body)).find(Boolean);
    return { state: 'owned' as const, changes, immutable: immutable.length > 0, ...(refusal ? { refusal } : {}) };
  };

  const promoted = promoteEphemeralAddresses(resources, observed, lb);

  for (let i = 0; i < resources.length; i++) {
    let resource = resources[i]!;
    const obs = observed.get(resource.id);

    if (!resource.managed) {
      if (obs || options.offline) {
        decisions.set(resource.id, {
          action: 'noop',
          changes: [],
          reason: obs ? 'exists; named in the config, used as it is' : 'named in the config as existing; not checked offline',
        });
      } else {
        blockers.push({
          id: resource.id,
          message: `${describe(resource.kind, resource.name, resource.scope)} was named in the config but was not found`,
          hint: `create it first, or correct the name in the config`,
        });
        decisions.set(resource.id, { action: 'noop', changes: [], reason: 'named in the config as existing: not found' });
      }
      continue;
    }

    const decide = kindModule(resource.kind).plan?.decide;
    if (decide) {
      const decision = decide({
        resource,
        lbName: lb,
        observed: obs,
        offline: options.offline === true,
        resolveOutputs: () => {
          const { value, ok } = resolveOutputs(resource.body, observed, changing);
          return { body: value as Record<string, unknown>, ok };
        },
        compare: (d, o) => compareBodies(resource.kind, d, o),
        owned: () => obs !== undefined && ownedBy(obs, lb, observed, index),
        block: (message, hint) => blockers.push({ id: resource.id, message, hint }),
        notOwned: () => {
          blockers.push(notOwnedBlocker(resource, undefined));
          blocked.add(resource.id);
        },
      });
      if (decision) decisions.set(resource.id, decision);
      continue;
    }

    const holdRule = kindModule(resource.kind).compare.hold;
    if (holdRule) {
      const held = holdRule(resource.body, obs?.body, (ref) => servesRef(ref, i));
      if (held.waitsFor.length > 0) {
        resources[i] = resource = { ...resource, body: held.body };
        holding.set(resource.id, held.waitsFor.map((ref) => named(ref, i)?.id ?? ref));
      }
    }
    const body = comparableBody(resource, (id) => observed.get(id) ?? promoted.get(id));
    const base = classify(resource, body, obs);
    if ('refusal' in base && base.refusal) {
      blockers.push({ id: resource.id, ...base.refusal });
      blocked.add(resource.id);
      continue;
    }
    if (base.state === 'foreign') {
      blockers.push(notOwnedBlocker(resource, base.owner));
      blocked.add(resource.id);
      continue;
    }
    let useAlternate = false;
    let decision: Decision;
    if (base.state === 'owned' && !base.immutable) {
      decision = base.changes.length === 0
        ? { action: 'noop', changes: [], reason: 'exists, owned, matches' }
        : { action: 'update', changes: base.changes, reason: `differs: ${changeSummary(base.changes)}` };
    } else if (base.state === 'absent' && !kindModule(resource.kind).compare.rotatable) {
      decision = { action: 'create', changes: [], reason: 'does not exist' };
    } else if (base.state === 'owned' && !kindModule(resource.kind).compare.rotatable) {
      decision = { action: 'replace', changes: base.changes, reason: `${changeSummary(base.changes.filter((c) => isImmutableChange(resource.kind, resource.scope, c.field)))} cannot change in place: deleted and created again` };
    } else {
      // Rotatable: look at the alternate name too.
      const altName = alternateName(resource.name);
      const altId = resourceId(resource.kind, resource.scope, altName);
      const altBody = { ...body, name: altName };
      const alt = classify({ ...resource, id: altId, name: altName }, altBody, observed.get(altId));
      if (alt.state === 'owned' && !alt.immutable) {
        useAlternate = true;
        decision = alt.changes.length === 0
          ? { action: 'noop', changes: [], reason: 'exists (alternate name), owned, matches' }
          : { action: 'update', changes: alt.changes, reason: `differs: ${changeSummary(alt.changes)}` };
      } else if (base.state === 'absent') {
        decision = { action: 'create', changes: [], reason: alt.state === 'owned' ? `replaces ${altName}` : 'does not exist' };
      } else if (alt.state === 'absent') {
        useAlternate = true;
        const fields = changeSummary(base.changes.filter((c) => isImmutableChange(resource.kind, resource.scope, c.field)));
        decision = { action: 'create', changes: base.changes, reason: `replaces ${resource.name} (${fields} cannot change in place)` };
      } else {
        decision = { action: 'replace', changes: base.changes, reason: `${changeSummary(base.changes)} cannot change in place: deleted and created again` };
      }
    }

    if (useAlternate) {
      const basePath = resourcePath(resource.project, resource.kind, resource.scope, resource.name);
      const oldId = resource.id;
      const name = alternateName(resource.name);
      const id = resourceId(resource.kind, resource.scope, name);
      const newPath = resourcePath(resource.project, resource.kind, resource.scope, name);
      resources[i] = { ...resource, id, name, body: { ...resource.body, name } };
      movedFrom.set(oldId, id);
      for (let j = i + 1; j < resources.length; j++) {
        const later = resources[j]!;
        resources[j] = {
          ...later,
          body: rewriteRefs(later.body, basePath, newPath, oldId, id) as Record<string, unknown>,
          dependsOn: later.dependsOn.map((d) => (d === oldId ? id : d)),
        };
      }
    }
    const final = resources[i]!;
    decisions.set(final.id, decision);
    if (decision.action === 'create' || decision.action === 'replace') changing.add(final.id);
  }

  // Steps for the desired resources.
  const steps: PlanStep[] = [];
  const desiredIds = new Set<string>();
  for (const resource of resources) {
    desiredIds.add(resource.id);
    const decision = decisions.get(resource.id);
    if (!decision) continue;
    steps.push({
      id: resource.id,
      action: decision.action,
      kind: resource.kind,
      name: resource.name,
      scope: resource.scope,
      dependsOn: [...resource.dependsOn],
      resource,
      changes: decision.changes,
      reason: decision.reason,
    });
  }

  // Deletes: owned observed resources no longer desired.
  const replacedBy = new Map([...movedFrom.entries()]);
  const deletes: ObservedResource[] = [];
  for (const obs of observed.values()) {
    if (desiredIds.has(obs.id) || blocked.has(obs.id)) continue;
    if (desired.resources.some((r) => r.id === obs.id && !r.managed)) continue;
    if (!ownedBy(obs, lb, observed, index)) continue;
    deletes.push(obs);
  }
  deletes.sort((a, b) => KIND_ORDER.indexOf(b.kind) - KIND_ORDER.indexOf(a.kind) || a.id.localeCompare(b.id));
  const kept = keptWhileHeld(deletes, holding, resources, desired.project);
  for (const obs of deletes) {
    const keep = kept.get(obs.id);
    if (keep) {
      steps.push({ id: obs.id, action: 'noop', kind: obs.kind, name: obs.name, scope: obs.scope, dependsOn: [], changes: [], reason: keep.reason, pending: keep });
      continue;
    }
    const next = replacedBy.get(obs.id);
    steps.push({
      id: obs.id,
      action: 'delete',
      kind: obs.kind,
      name: obs.name,
      scope: obs.scope,
      dependsOn: [],
      changes: [],
      reason: next ? `replaced by ${next.split(':').slice(2).join(':')}` : 'owned by this load balancer and no longer needed',
    });
  }

  addDeleteEdges(steps, observed, index, lb);
  const present = new Set(steps.map((s) => s.id));
  for (const s of steps) {
    s.dependsOn = [...new Set(s.dependsOn.filter((d) => present.has(d) && d !== s.id))];
    const disruption = kindModule(s.kind).plan?.disruption?.(s);
    if (disruption) s.disruption = disruption;
  }
  const ordered = topoOrder(steps);
  return { lbName: lb, project: desired.project, steps: ordered, blockers, summary: summarize(ordered) };
}
