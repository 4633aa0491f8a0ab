/**
 * The graph walker: carries out a Plan's steps through a Cloud, in dependency order.
 *
 * Contracts:
 *   - Cycles are checked before anything runs (PlanCycleError, nothing changed); a plan with
 *     blockers is refused (UsageError `plan.blocked`, nothing changed).
 *   - Each step has an explicit state: pending -> running -> done | failed, or skipped.
 *   - A step starts once every step it depends on is done; independent steps run at once, at most
 *     `concurrency` at a time. `dependsOn` ids that are not steps of the plan are ignored.
 *   - A failed step skips everything that depends on it (transitively); steps already running finish.
 *   - Transient failures (CloudError.retryable: 429, 5xx, connection resets, rate limits,
 *     resourceNotReady, fingerprint conflicts) are retried with exponential backoff and jitter;
 *     permanent ones fail the step at once.
 *   - Abort (signal): no new step starts, running steps finish (their calls are not cancelled),
 *     the report says what was and wasn't done.
 *   - Idempotent: noop steps make no call; a create that finds its resource owned by this load
 *     balancer adopts it (a name taken by a creation still in flight is retried until it can be
 *     read); a delete that finds nothing counts as done; every mutation carries a requestId
 *     derived from (runId, step, call, generation), the same for a retry of a transport failure
 *     (so Google does not repeat the change) and new after a failed operation.
 *   - Never prints: progress goes to `onEvent`.
 */
import { randomUUID } from 'node:crypto';
import { deterministicRequestId } from '../cloud/request-id.js';
import { InterruptedError, SlbError, StepsFailedError, UsageError } from '../errors.js';
import { assertAcyclic } from '../plan/diff.js';
import type { Plan, PlanStep } from '../model/resource-model.js';
import type { Cloud } from '../cloud/port.js';
import type { StepReport, StepState, WalkEvent, WalkReport } from './events.js';
import { createStepRunner, MUTATING } from './run-step.js';
import { scheduleSteps } from './schedule.js';
import { DEFAULT_CONCURRENCY, DEFAULT_RETRY, type RetryPolicy, type WalkOptions } from './walk-options.js';

export { DEFAULT_CONCURRENCY, DEFAULT_RETRY, type RetryPolicy, type WalkOptions };

export { deterministicRequestId };

/** Throws PlanCycleError if the steps' dependencies contain a cycle (the plan's own check). */
export const checkAcyclic = assertAcyclic;

/**
 * Walks the plan: checks it, schedules its steps (schedule.ts) and runs each one (run-step.ts),
 * then reports. Resolves with the report whatever happened to the steps (failures are in the
 * report, not thrown); throws only before anything ran (cycle, blockers).
 */
export async function walkPlan(plan: Plan, cloud: Cloud, options: WalkOptions = {}): Promise<WalkReport> {
  if (plan.blockers.length > 0) {
    throw new UsageError(`The plan cannot be applied: ${plan.blockers.length} problem(s) found.`, {
      code: 'plan.blocked',
      details: plan.blockers.map((b) => `${b.id}: ${b.message} (${b.hint})`),
      hint: 'Nothing was changed. Fix the problems listed, then run plan again.',
    });
  }
  checkAcyclic(plan.steps);

  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const runId = options.runId ?? randomUUID();
  const random = options.random ?? Math.random;
  const emit = (event: WalkEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the walk.
    }
  };
  const started = performance.now();
  const at = (): number => Math.round(performance.now() - started);

  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  const reports = new Map<string, StepReport>(
    plan.steps.map((s) => [s.id, { id: s.id, action: s.action, kind: s.kind, name: s.name, scope: s.scope, state: 'pending' as StepState, attempts: 0, elapsedMs: 0 }]),
  );
  const stepRef = (s: PlanStep) => ({ stepId: s.id, action: s.action, kind: s.kind, name: s.name, scope: s.scope, at: at() });

  emit({ type: 'walk-start', at: 0, total: plan.steps.length, concurrency, mutating: plan.steps.filter((s) => MUTATING.has(s.action)).length });

  const runner = createStepRunner({ plan, cloud, options, retry, runId, random, emit, stepRef });
  const { interrupted } = await scheduleSteps(plan, reports, {
    concurrency,
    signal: options.signal,
    run: runner.runStep,
    onSkipped: (step, blockedBy) => emit({ type: 'step-skipped', why: 'dependency-failed', blockedBy, ...stepRef(step) }),
    onInterrupted: (running) => emit({ type: 'walk-interrupted', at: at(), running }),
  });

  for (const r of reports.values()) {
    if (r.state === 'pending') {
      r.state = 'skipped';
      r.skippedBecause = 'interrupted';
      emit({ type: 'step-skipped', why: 'interrupted', ...stepRef(steps.get(r.id)!) });
    }
  }
  const counts: Record<StepState, number> = { pending: 0, running: 0, done: 0, failed: 0, skipped: 0 };
  for (const r of reports.values()) counts[r.state]++;
  const elapsedMs = at();
  const ok = counts.done === plan.steps.length;
  emit({ type: 'walk-done', at: elapsedMs, elapsedMs, ok, interrupted, counts });
  return { ok, interrupted, elapsedMs, steps: [...reports.values()], counts, mutatingCalls: runner.mutatingCalls() };
}

/** Applies a plan (create / update / replace / delete / noop steps). */
export function applyPlan(plan: Plan, cloud: Cloud, options: WalkOptions = {}): Promise<WalkReport> {
  return walkPlan(plan, cloud, options);
}

/**
 * Tears down: walks a teardown plan (delete steps with reversed edges, and any detaching
 * updates ordered before the deletes they free) built by src/plan's teardownPlan from the
 * observed, owned resources. Pass those resources as `observed` (DNS deletes need their zone).
 */
export function applyTeardown(plan: Plan, cloud: Cloud, options: WalkOptions = {}): Promise<WalkReport> {
  return walkPlan(plan, cloud, options);
}

/**
 * The error a command should end with for this report, or undefined when every step is done:
 * InterruptedError (exit 130) after an abort, StepsFailedError (exit 1) when a step failed.
 */
export function walkError(report: WalkReport, what: 'apply' | 'teardown' | 'import' = 'apply'): SlbError | undefined {
  if (report.ok) return undefined;
  const failed = report.steps.filter((s) => s.state === 'failed');
  const skipped = report.steps.filter((s) => s.state === 'skipped');
  const details = [
    ...failed.map((s) => `${s.id}: ${s.error?.message ?? 'failed'}${s.error?.hint ? ` (hint: ${s.error.hint})` : ''}`),
    ...(skipped.length > 0 ? [`${skipped.length} step(s) not started: ${skipped.map((s) => s.id).join(', ')}`] : []),
  ];
  if (report.interrupted) {
    return new InterruptedError(`Interrupted: ${report.counts.done} of ${report.steps.length} steps done.`, { details });
  }
  const hint =
    failed.length === 1 && failed[0]!.error?.hint
      ? `${failed[0]!.error.hint} Then re-run ${what}: finished steps are not repeated.`
      : `Fix the failures above, then re-run ${what}: finished steps are not repeated.`;
  return new StepsFailedError(`${what[0]!.toUpperCase()}${what.slice(1)} failed: ${failed.length} step(s) failed, ${skipped.length} skipped, ${report.counts.done} done.`, {
    details,
    hint,
  });
}
