/**
 * The plan in the machine-readable shape of docs/cli.md (`plan --format json`):
 *   {"steps": [{"action", "kind", "name", "scope", "dependsOn", "id"}],
 *    "summary": {"create", "update", "delete", "noop"}}
 * plus, as additional properties, `lbName`, `project`, `blockers` ([{id, message, hint}]),
 * per-step `reason`, `changes` (field, path, from, to: one per changed leaf; placeholders
 * redacted) and `pending` (a change left for a later run), and a `replace`
 * count in the summary (a replace step deletes and re-creates a resource under the same name).
 *
 * Contract: no secret ever appears: SecretRef values are never resolved and print as
 * placeholders; request bodies are not included. Pure.
 */
import { changePaths } from './render-value.js';
import type { Plan, PlanAction } from '../model/resource-model.js';

export interface PlanJsonStep {
  action: PlanAction;
  kind: string;
  name: string;
  scope: string;
  dependsOn: string[];
  id: string;
  reason: string;
  /** One entry per changed leaf: `path` inside the field (`pathMatchers[hosts-1].defaultService`). */
  changes: { field: string; path: string; from: unknown; to: unknown }[];
  /** A change left for a later run, and what it waits for. */
  pending?: { waitsFor: string; reason: string };
  /** What the step interrupts, for whom, for how long. */
  disruption?: string;
}

export interface PlanJson {
  steps: PlanJsonStep[];
  summary: { create: number; update: number; delete: number; noop: number; replace: number; disruptive: number };
  lbName: string;
  project: string;
  blockers: { id: string; message: string; hint: string }[];
}

export function planToJson(plan: Plan): PlanJson {
  return {
    steps: plan.steps.map((s) => ({
      action: s.action,
      kind: s.kind,
      name: s.name,
      scope: s.scope,
      dependsOn: [...s.dependsOn],
      id: s.id,
      reason: s.reason,
      changes: s.changes.flatMap((c) => changePaths(c.field, c.from, c.to).map((leaf) => ({ field: c.field, ...leaf }))),
      ...(s.pending ? { pending: { ...s.pending } } : {}),
      ...(s.disruption ? { disruption: s.disruption } : {}),
    })),
    summary: {
      create: plan.summary.create,
      update: plan.summary.update,
      delete: plan.summary.delete,
      noop: plan.summary.noop,
      replace: plan.summary.replace,
      disruptive: plan.steps.filter((s) => s.disruption).length,
    },
    lbName: plan.lbName,
    project: plan.project,
    blockers: plan.blockers.map((b) => ({ id: b.id, message: b.message, hint: b.hint })),
  };
}

/** The JSON text (two-space indented, trailing newline). */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(planToJson(plan), null, 2) + '\n';
}
