/**
 * What apply does about pending steps (an old certificate kept serving while its replacement
 * provisions, diff.ts): without `--wait-certificates`, says what is left and how it is finished;
 * with it, waits for each awaited resource to serve (polling one GET each), then plans again and
 * applies the rest (detach and delete the old ones) in the same run.
 */
import { buildDesiredGraph } from '../plan/build-graph.js';
import { diffPlan } from '../plan/diff.js';
import type { ObservedState, Plan } from '../model/resource-model.js';
import { kindModule } from '../kinds/registry.js';
import { readCurrentState } from '../cloud/read-state.js';
import type { Cloud } from '../cloud/port.js';
import { refOfId } from '../apply/output-refs.js';
import type { Spec } from '../spec/schema.js';
import type { WalkReport } from '../apply/events.js';
import type { Output } from '../ui/output.js';
import { formatDuration } from '../ui/output.js';

/** Pause between two reads of an awaited certificate: Google's provisioning takes minutes. */
const POLL_INTERVAL_MS = 10_000;
const POLL_INTERVAL_EMULATOR_MS = 250;

/** The pending steps of a plan as lines for people. */
function pendingLines(plan: Plan): string[] {
  return plan.steps.filter((s) => s.pending).map((s) => `${s.kind} ${s.name}: ${s.pending!.reason}`);
}

export interface FinishPendingOptions {
  /** How long to wait, in ms; 0: do not wait, only say what is left. */
  waitMs: number;
  emulator: boolean;
  /** Walks a follow-up plan made from `observed` (the caller's walk with progress). */
  walk(plan: Plan, observed: ObservedState): Promise<WalkReport>;
}

/**
 * Finishes a plan's pending steps when `waitMs` allows, returning the follow-up plans' walk
 * reports; says what stays pending otherwise.
 */
export async function finishPending(plan: Plan, spec: Spec, cloud: Cloud, output: Output, options: FinishPendingOptions): Promise<WalkReport[]> {
  let current = plan;
  const reports: WalkReport[] = [];
  const deadline = Date.now() + options.waitMs;
  const interval = options.emulator ? POLL_INTERVAL_EMULATOR_MS : POLL_INTERVAL_MS;
  for (;;) {
    const pending = current.steps.filter((s) => s.pending);
    if (pending.length === 0) return reports;
    if (options.waitMs <= 0 || Date.now() >= deadline) {
      output.info('Left for a later run (the load balancer keeps serving with what it has):');
      for (const line of pendingLines(current)) output.info(`  … ${line}`);
      output.info(
        options.waitMs <= 0
          ? 'Run `serverless-lb apply` again once it is ACTIVE (`serverless-lb verify --wait 60m` waits for it), or apply with --wait-certificates 60m to wait and finish in one run.'
          : `Still not ACTIVE after ${formatDuration(options.waitMs)}: run \`serverless-lb apply\` again later to finish.`,
      );
      return reports;
    }
    const awaited = [...new Set(pending.map((s) => s.pending!.waitsFor))];
    output.info(`Waiting up to ${formatDuration(deadline - Date.now())} for ${awaited.map((id) => refOfId(id)?.name ?? id).join(', ')} to be ACTIVE before detaching what it replaces...`);
    for (;;) {
      const states = await Promise.all(
        awaited.map(async (id) => {
          const ref = refOfId(id);
          if (!ref) return true;
          const observed = await cloud.get(ref);
          return observed !== undefined && (kindModule(ref.kind).compare.serving?.(observed.body) ?? true);
        }),
      );
      if (states.every(Boolean) || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
    }
    const graph = buildDesiredGraph(spec);
    const observed = await readCurrentState(graph, cloud);
    const next = diffPlan(graph, observed);
    if (next.steps.some((s) => s.action !== 'noop')) reports.push(await options.walk(next, observed));
    current = next;
    if (reports.at(-1) && !reports.at(-1)!.ok) return reports;
  }
}
