/** The plan flow: config -> Spec -> desired graph -> (observed state) -> plan, rendered. */
import type { CommonOptions } from './common-options.js';
import type { Command } from 'commander';
import { loadSpec } from './load-spec.js';
import { createOutput } from '../ui/output.js';
import { formatProblem } from '../spec/problem.js';
import { buildDesiredGraph } from '../plan/build-graph.js';
import { diffPlan } from '../plan/diff.js';
import { UsageError } from '../errors.js';
import type { Plan } from '../model/resource-model.js';

export type PlanOptions = CommonOptions & { offline: boolean } & Record<string, unknown>;

export async function runPlan(cmd: Command, options: PlanOptions): Promise<void> {
  const output = createOutput({ format: options.format, color: options.color });
  const { spec, warnings } = loadSpec(cmd, options, { secrets: false });
  for (const warning of warnings) output.warn(formatProblem(warning));
  const graph = buildDesiredGraph(spec);

  // Exports describe the whole desired topology; they need no observed state. Each renderer is
  // loaded only for its own format.
  if (options.format === 'gcloud') return output.result((await import('../plan/render-gcloud.js')).renderGcloudScript(graph));
  if (options.format === 'terraform') return output.result((await import('../plan/render-terraform.js')).renderTerraform(graph));

  let plan: Plan;
  if (options.offline) {
    plan = diffPlan(graph, new Map(), { offline: true });
  } else {
    const { openCloudSession } = await import('./cloud-session.js');
    const { readCurrentState } = await import('../cloud/read-state.js');
    const session = await openCloudSession({ project: spec.project, embeddedEmulator: options.emulator });
    try {
      output.info(`Reading what exists in ${spec.project} (${session.cloud.target})...`);
      // Certificate files are compared by content with what exists (a renewed chain, a rotated CA).
      const current = (await import('../cloud/file-digests.js')).withFileDigests(graph);
      plan = diffPlan(current, await readCurrentState(current, session.cloud));
      // What Google would refuse (preflight) blocks the plan as apply would block it, before anything is made.
      await (await import('../cloud/preflight.js')).addPreflightBlockers(plan, graph, session.cloud);
    } finally {
      await session.close();
    }
  }
  if (options.format === 'json') output.json((await import('../plan/render-json.js')).planToJson(plan));
  else output.result((await import('../ui/plan-view.js')).renderPlanForHumans(plan, output, process.stdout.columns));
  if (plan.blockers.length > 0) {
    throw new UsageError(`the plan cannot be applied: ${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}`, {
      code: 'plan.blocked',
      details: plan.blockers.map((b) => `${b.id}: ${b.message} (${b.hint})`),
      hint: 'resolve the blockers above (or name the resources as existing ones in the config), then re-run',
    });
  }
}
