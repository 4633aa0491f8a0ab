/**
 * The plan as a plain-text table for terminals: one line per step (action, kind, name, scope,
 * reason), the changed fields under updates and replaces, what the user must do by hand (the
 * kinds' `plan.byHand`), then blockers and a summary line.
 *
 * Contract: plain strings only (no colour codes: the UI layer may colour them); no secret ever
 * appears (values go through render-value.ts). Lines are cut to `width` when given. Pure.
 */
import { changePaths, formatChange } from './render-value.js';
import { kindModule } from '../kinds/registry.js';
import type { Plan, PlanAction, PlanStep } from '../model/resource-model.js';

export interface TableOptions {
  /** Maximum line length; longer lines are cut with `…`. */
  width?: number;
}

/** The symbol in the first column of each action. */
export const ACTION_SYMBOLS: Record<PlanAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  noop: '=',
};

function scopeLabel(step: PlanStep): string {
  return step.scope === 'global' ? 'global' : step.scope.slice('regions/'.length);
}

function cut(line: string, width: number | undefined): string {
  if (width === undefined || line.length <= width) return line;
  return width <= 1 ? line.slice(0, width) : `${line.slice(0, width - 1)}…`;
}

/** `3 to create, 1 to update, 0 to replace, 2 to delete, 5 unchanged`. */
export function renderSummaryLine(plan: Plan): string {
  const s = plan.summary;
  const pending = plan.steps.filter((step) => step.pending).length;
  const disruptive = plan.steps.filter((step) => step.disruption).length;
  return `${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.noop} unchanged${pending ? `, ${pending} pending` : ''}${disruptive ? `, ${disruptive} disruptive` : ''}`;
}

export function renderPlanTable(plan: Plan, options: TableOptions = {}): string {
  const { width } = options;
  const rows = plan.steps.map((step) => [`${ACTION_SYMBOLS[step.action]}${step.disruption ? '!' : ''}`, step.action, step.kind, step.name, scopeLabel(step), step.reason]);
  const header = ['', 'ACTION', 'KIND', 'NAME', 'SCOPE', 'WHY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines: string[] = [];
  lines.push(cut(`Plan for load balancer ${plan.lbName}${plan.project ? ` in project ${plan.project}` : ''}`, width));
  if (plan.steps.length === 0) {
    lines.push('Nothing to do.');
  } else {
    lines.push(cut(format(header), width));
    plan.steps.forEach((step, i) => {
      lines.push(cut(format(rows[i]!), width));
      if (step.action === 'update' || step.action === 'replace') {
        for (const change of step.changes) {
          for (const leaf of changePaths(change.field, change.from, change.to)) {
            const [from, to] = formatChange(leaf.from, leaf.to, 70);
            lines.push(cut(`      ${leaf.path}: ${from} -> ${to}`, width));
          }
        }
      }
    });
  }
  const disruptive = plan.steps.filter((step) => step.disruption);
  if (disruptive.length > 0) {
    lines.push('');
    lines.push('Disruptive (marked !): these steps interrupt traffic the load balancer serves now:');
    for (const step of disruptive) lines.push(cut(`  ! ${step.kind} ${step.name}: ${step.disruption}`, width));
  }
  const pending = plan.steps.filter((step) => step.pending);
  if (pending.length > 0) {
    lines.push('');
    lines.push('Pending (a later apply finishes these, once what they wait for is ready):');
    for (const step of pending) lines.push(cut(`  … ${step.kind} ${step.name}: ${step.pending!.reason}`, width));
  }
  const byHand = plan.steps.flatMap((step) => kindModule(step.kind).plan?.byHand?.(step, plan) ?? []);
  if (byHand.length > 0) {
    lines.push('');
    lines.push('To do by hand:');
    for (const line of byHand) lines.push(cut(`  * ${line}`, width));
  }
  if (plan.blockers.length > 0) {
    lines.push('');
    lines.push(`Blocked (${plan.blockers.length}): nothing will be changed until these are resolved`);
    for (const b of plan.blockers) {
      lines.push(cut(`  ! ${b.message}`, width));
      lines.push(cut(`    ${b.hint}`, width));
    }
  }
  lines.push('');
  lines.push(cut(renderSummaryLine(plan), width));
  return lines.join('\n') + '\n';
}
