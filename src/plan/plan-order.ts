/**
 * Step order: the cycle check the walker runs and the topological order plans are written in.
 * Pure.
 */
import { PlanCycleError } from '../errors.js';
import type { PlanStep } from '../model/resource-model.js';

/**
 * Throws PlanCycleError when the steps' dependsOn edges form a cycle, and Error when a step
 * depends on an id that is not a step of the plan.
 */
export function assertAcyclic(steps: readonly Pick<PlanStep, 'id' | 'dependsOn'>[]): void {
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    for (const d of s.dependsOn) if (!byId.has(d)) throw new Error(`step ${s.id} depends on ${d}, which is not a step of the plan`);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const st = state.get(id);
    if (st === 'done') return;
    if (st === 'visiting') {
      throw new PlanCycleError([...stack.slice(stack.indexOf(id)), id]);
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of byId.get(id)!.dependsOn) visit(d);
    stack.pop();
    state.set(id, 'done');
  };
  for (const s of steps) visit(s.id);
}

/** Orders steps so each comes after its dependencies, keeping the given order where free. */
export function topoOrder(steps: PlanStep[]): PlanStep[] {
  assertAcyclic(steps);
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const remaining = new Map(steps.map((s) => [s.id, new Set(s.dependsOn)]));
  const dependents = new Map<string, string[]>();
  for (const s of steps) for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s.id]);
  const ready = steps.filter((s) => s.dependsOn.length === 0).map((s) => s.id);
  const out: PlanStep[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => index.get(a)! - index.get(b)!);
    const id = ready.shift()!;
    out.push(steps[index.get(id)!]!);
    for (const dep of dependents.get(id) ?? []) {
      const rest = remaining.get(dep)!;
      rest.delete(id);
      if (rest.size === 0) ready.push(dep);
    }
  }
  return out;
}

