/**
 * The apply flow shared by `apply`, `init` and `demo`: read state, plan, preflight, confirm, walk
 * the plan with progress, then verify. Loaded lazily (it pulls in the Cloud port's SDK implementation).
 */
import type { CommonOptions } from './common-options.js';
import { buildDesiredGraph } from '../plan/build-graph.js';
import { withFileDigests } from '../cloud/file-digests.js';
import { diffPlan } from '../plan/diff.js';
import { planToJson } from '../plan/render-json.js';
import type { Plan } from '../model/resource-model.js';
import type { Spec } from '../spec/schema.js';
import { readCurrentState } from '../cloud/read-state.js';
import { addPreflightBlockers } from '../cloud/preflight.js';
import { walkError } from '../apply/walker.js';
import { walkWithProgress } from './walk-with-progress.js';
import type { WalkReport } from '../apply/events.js';
import { UsageError } from '../errors.js';
import { confirmOrFail } from '../wizard/confirm.js';
import type { Output } from '../ui/output.js';
import { walkReportJson } from '../ui/walk-view.js';
import { renderPlanForHumans } from '../ui/plan-view.js';
import { renderSummaryLine } from '../plan/render-table.js';
import { openCloudSession, type CloudSession } from './cloud-session.js';
import { checkVerifyFlags } from './verify-flags.js';

export type ApplyOptions = CommonOptions & { verify: boolean; concurrency: number; wait?: string; dnsServer?: string; clientCert?: string; clientKey?: string; waitCertificates?: string; allowDisruption?: boolean } & Record<string, unknown>;

export interface ApplyFlowResult {
  plan: Plan;
  report?: WalkReport;
  verify?: { ok: boolean; checks: unknown[] };
}

export interface ApplyFlowContext {
  interactive: boolean;
  /** An already open session (init and demo keep one for the whole flow). */
  session?: CloudSession;
  /** Print the plan before confirming (init has already shown it). */
  showPlan?: boolean;
  /** Emit the JSON result document (init and demo compose their own). */
  emitJson?: boolean;
  /** The confirmation's answer on Enter: no, unless the changes go to a throwaway emulator (the demo). */
  confirmDefault?: boolean;
}

type ApplyFlowOptions = Pick<ApplyOptions, 'yes' | 'emulator' | 'format' | 'verify' | 'concurrency' | 'wait' | 'dnsServer' | 'clientCert' | 'clientKey' | 'waitCertificates' | 'allowDisruption'>;

export async function runApply(spec: Spec, options: ApplyFlowOptions, output: Output, context: ApplyFlowContext): Promise<ApplyFlowResult> {
  if (options.verify || options.waitCertificates !== undefined) checkVerifyFlags(options);
  const session = context.session ?? (await openCloudSession({ project: spec.project, embeddedEmulator: options.emulator }));
  try {
    const { cloud } = session;
    output.info(`Reading what exists in ${spec.project} (${cloud.target})...`);
    const graph = withFileDigests(buildDesiredGraph(spec));
    const observed = await readCurrentState(graph, cloud);
    const plan = diffPlan(graph, observed);
    await addPreflightBlockers(plan, graph, cloud);
    if (plan.blockers.length > 0) {
      if (options.format === 'json') output.json({ ok: false, plan: planToJson(plan) });
      else output.result(renderPlanForHumans(plan, output, process.stdout.columns));
      throw new UsageError(`the plan cannot be applied: ${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}; nothing was changed`, {
        code: 'plan.blocked',
        details: plan.blockers.map((b) => `${b.id}: ${b.message} (${b.hint})`),
        hint: 'resolve the blockers above (or name the resources as existing ones in the config), then re-run',
      });
    }
    const changes = plan.steps.filter((s) => s.action !== 'noop').length;
    if (context.showPlan !== false && options.format !== 'json') output.result(renderPlanForHumans(plan, output, process.stdout.columns));

    let walk: WalkReport | undefined;
    if (changes === 0) {
      output.info(output.color.green('Nothing to change: everything exists as planned.'));
    } else {
      const disruptive = plan.steps.filter((s) => s.disruption);
      if (disruptive.length > 0 && options.yes && !options.allowDisruption) {
        if (context.emitJson !== false && options.format === 'json') output.json({ ok: false, plan: planToJson(plan) });
        throw new UsageError(`the plan interrupts traffic (${disruptive.length} disruptive step${disruptive.length === 1 ? '' : 's'}) and --yes does not consent to that; nothing was changed`, {
          code: 'plan.disruptive',
          details: disruptive.map((s) => `${s.kind} ${s.name}: ${s.disruption}`),
          hint: 'review the steps marked ! in `serverless-lb plan`; to apply them anyway add --allow-disruption',
        });
      }
      const warning = disruptive.length > 0 ? ` ${disruptive.length} step${disruptive.length === 1 ? '' : 's'} marked ! interrupt traffic.` : '';
      const go = await confirmOrFail(`Apply these changes to project ${spec.project}? (${renderSummaryLine(plan)})${warning}`, {
        yes: options.yes,
        interactive: context.interactive,
        command: 'apply',
        ...(context.confirmDefault && disruptive.length === 0 ? { default: true } : {}),
      });
      if (!go) {
        output.info('Nothing was changed.');
        if (context.emitJson !== false && options.format === 'json') output.json({ ok: false, cancelled: true, plan: planToJson(plan) });
        return { plan };
      }
      walk = await walkWithProgress(plan, cloud, output, { title: 'Applying', concurrency: options.concurrency, observed });
      const failure = walkError(walk, 'apply');
      if (failure) {
        if (context.emitJson !== false && options.format === 'json') output.json({ ok: false, plan: planToJson(plan), apply: walkReportJson(walk) });
        throw failure;
      }
    }
    if (plan.steps.some((s) => s.pending)) {
      // An old certificate kept serving while its replacement provisions: finish now, or say how.
      const { finishPending } = await import('./finish-pending.js');
      const { parseDuration } = await import('../verify/poll.js');
      const followUps = await finishPending(plan, spec, cloud, output, {
        waitMs: options.waitCertificates !== undefined ? parseDuration(options.waitCertificates) : 0,
        emulator: session.emulatorHost !== undefined,
        walk: (next, nextObserved) => walkWithProgress(next, cloud, output, { title: 'Finishing', concurrency: options.concurrency, observed: nextObserved }),
      });
      for (const report of followUps) {
        const failure = walkError(report, 'apply');
        if (failure) throw failure;
      }
    }
    const result: ApplyFlowResult = { plan, ...(walk ? { report: walk } : {}) };
    if (options.verify !== false) {
      // Verify unless --no-verify; a failed check makes the command exit 1 (docs/cli.md).
      const { runVerifyFlow, showVerifyReport, verifyFlowOptions } = await import('./run-verify.js');
      const { reportJson } = await import('../verify/report.js');
      const checked = await runVerifyFlow(spec, session, { afterApply: true, ...verifyFlowOptions(options) }, output);
      result.verify = reportJson(checked);
      if (options.format !== 'json') showVerifyReport(checked, output);
      if (!checked.ok) process.exitCode = 1;
    }
    if (context.emitJson !== false && options.format === 'json') {
      output.json({ ok: result.verify?.ok ?? true, plan: planToJson(plan), ...(walk ? { apply: walkReportJson(walk) } : {}), ...(result.verify ? { verify: result.verify } : {}) });
    }
    return result;
  } finally {
    if (!context.session) await session.close();
  }
}
