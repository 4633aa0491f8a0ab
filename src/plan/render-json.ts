/**
 * The plan in the machine-readable shape of docs/cli.md (`plan --format json`):
 *   {"steps": [{"action", "kind", "name", "scope", "dependsOn", "id"}],
 *    "summary": {"create", "update", "delete", "noop"}}
 * plus, as additional properties, `lbName`, `project`, `blockers` ([{id, message, hint}]),
 * per-step `reason` and `changes` (field, from, to; placeholders redacted), and a `replace`
 * count in the summary (a replace step deletes and re-creates a resource under the same name).
 *
 * Contract: no secret ever appears: SecretRef values are never resolved and print as
 * placeholders; request bodies are not included. Pure.
 */
import { redactValue } from './render-value.js';
import type { Plan, PlanAction } from './resource-model.js';

export interface PlanJsonStep {
  action: PlanAction;
  kind: string;
  name: string;
  scope: string;
  dependsOn: string[];
  id: string;
  reason: string;
  changes: { field: string; from: unknown; to: unknown }[];
}

export interface PlanJson {
  steps: PlanJsonStep[];
  summary: { create: number; update: number; delete: number; noop: number; replace: number };
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
      changes: s.changes.map((c) => ({ field: c.field, from: redactValue(c.from), to: redactValue(c.to) })),
    })),
    summary: {
      create: plan.summary.create,
      update: plan.summary.update,
      delete: plan.summary.delete,
      noop: plan.summary.noop,
      replace: plan.summary.replace,
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
