/** The teardown flow: find what this load balancer owns, show it, confirm (default no), delete in reverse order. */
import { teardownPlan } from '../plan/diff.js';
import { planToJson } from '../plan/render-json.js';
import { renderSummaryLine } from '../plan/render-table.js';
import { findOwnedResources } from '../cloud/read-state.js';
import { walkError } from '../apply/walker.js';
import { walkWithProgress } from './walk-with-progress.js';
import { UsageError } from '../errors.js';
import { confirmOrFail } from '../wizard/confirm.js';
import type { Output } from '../ui/output.js';
import { walkReportJson } from '../ui/walk-view.js';
import { renderPlanForHumans } from '../ui/plan-view.js';
import { openCloudSession, type CloudSession } from './cloud-session.js';
import { regionsToSearch, type LbTarget } from './lb-target.js';
import type { WalkReport } from '../apply/events.js';

export async function runTeardown(
  target: LbTarget,
  options: { yes: boolean; emulator: boolean; format: string; concurrency: number },
  output: Output,
  context: { interactive: boolean; session?: CloudSession; emitJson?: boolean },
): Promise<WalkReport | undefined> {
  const session = context.session ?? (await openCloudSession({ project: target.project, embeddedEmulator: options.emulator }));
  try {
    const { cloud } = session;
    const { regions, fromProject } = await regionsToSearch(target, cloud);
    const where = fromProject ? `global and every region of the project (${regions.length})` : `global${regions.length ? `, ${regions.join(', ')}` : ''}`;
    output.info(`Looking for resources owned by load balancer ${target.lbName} in ${target.project} (${cloud.target}; ${where})...`);
    const owned = await findOwnedResources(cloud, target.lbName, regions, { regionsFromProject: fromProject, withUsers: true, ...(target.dnsZone ? { dnsZone: target.dnsZone } : {}) });
    const plan = teardownPlan(owned, target.lbName, { project: target.project });
    if (plan.steps.length === 0) {
      output.info(output.color.green(`Nothing to delete: no resource owned by ${target.lbName} exists.`));
      if (context.emitJson !== false && options.format === 'json') output.json({ ok: true, plan: planToJson(plan) });
      return undefined;
    }
    if (options.format !== 'json') output.result(renderPlanForHumans(plan, output, process.stdout.columns));
    if (plan.blockers.length > 0) {
      throw new UsageError(`teardown cannot proceed: ${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}; nothing was deleted`, {
        code: 'teardown.blocked',
        details: plan.blockers.map((b) => `${b.id}: ${b.message} (${b.hint})`),
        hint: 'resolve the blockers above, then re-run teardown',
      });
    }
    const go = await confirmOrFail(`Delete these resources from project ${target.project}? (${renderSummaryLine(plan)})`, {
      yes: options.yes,
      interactive: context.interactive,
      command: 'teardown',
    });
    if (!go) {
      output.info('Nothing was deleted.');
      return undefined;
    }
    const report = await walkWithProgress(plan, cloud, output, { title: 'Tearing down', concurrency: options.concurrency, observed: owned });
    if (context.emitJson !== false && options.format === 'json') output.json({ ok: report.ok, plan: planToJson(plan), teardown: walkReportJson(report) });
    const failure = walkError(report, 'teardown');
    if (failure) throw failure;
    return report;
  } finally {
    if (!context.session) await session.close();
  }
}
