/**
 * What apply does about pending steps (an old certificate kept serving while its replacement
 * provisions, diff.ts). Plans again at once: what already serves (a self-managed certificate serves
 * once it exists) lets the rest be applied (detach and delete the old ones) in the same run.
 * What still waits: without `--wait-certificates`, says what is left and how it is finished; with
 * it, plans again every poll interval until nothing is pending or the time is up.
 */
import { buildDesiredGraph } from '../plan/build-graph.js';
import { withFileDigests } from '../cloud/file-digests.js';
import { diffPlan } from '../plan/diff.js';
import type { ObservedState, Plan } from '../model/resource-model.js';
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
/** Follow-up applies one run makes at most (each finishes what the one before made possible). */
const MAX_FOLLOW_UPS = 5;

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
  const reports: WalkReport[] = [];
  const deadline = Date.now() + options.waitMs;
  const interval = options.emulator ? POLL_INTERVAL_EMULATOR_MS : POLL_INTERVAL_MS;
  let current = plan;
  let announced = false;
  // Each round plans again and applies what has become possible; a plan that never settles stops here.
  for (let round = 0; round < MAX_FOLLOW_UPS; ) {
    if (!current.steps.some((s) => s.pending)) return reports;
    // The plan's own rule says what serves now: a self-managed certificate as soon as it exists,
    // a managed one once ACTIVE, a certificate map once its entries' certificates are.
    const graph = withFileDigests(buildDesiredGraph(spec));
    const observed = await readCurrentState(graph, cloud);
    const next = diffPlan(graph, observed);
    if (next.steps.some((s) => s.action !== 'noop')) {
      const report = await options.walk(next, observed);
      reports.push(report);
      current = next;
      round++;
      if (!report.ok) return reports;
      continue;
    }
    current = next;
    if (!next.steps.some((s) => s.pending)) return reports;
    if (options.waitMs <= 0 || Date.now() >= deadline) {
      output.info('Left for a later run (the load balancer keeps serving with what it has):');
      for (const line of pendingLines(next)) output.info(`  … ${line}`);
      output.info(
        options.waitMs <= 0
          ? 'Run `serverless-lb apply` again once it is ACTIVE (`serverless-lb verify --wait 60m` waits for it), or apply with --wait-certificates 60m to wait and finish in one run.'
          : `Still not ACTIVE after ${formatDuration(options.waitMs)}: run \`serverless-lb apply\` again later to finish.`,
      );
      return reports;
    }
    if (!announced) {
      const awaited = [...new Set(next.steps.filter((s) => s.pending).map((s) => s.pending!.waitsFor))];
      output.info(`Waiting up to ${formatDuration(deadline - Date.now())} for ${awaited.map((id) => refOfId(id)?.name ?? id).join(', ')} to be ACTIVE before detaching what it replaces...`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
  return reports;
}
