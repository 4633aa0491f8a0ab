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
import { CloudError, InterruptedError, SlbError, StepsFailedError, UsageError } from '../errors.js';
import { assertAcyclic, comparableBody, comparedReferences } from '../plan/diff.js';
import type { DesiredResource, ObservedResource, ObservedState, Plan, PlanStep, ResourceKind } from '../plan/resource-model.js';
import { containsOutputRef, refOfId, resolveOutputRefs } from './output-refs.js';
import { cloudError, normaliseError } from '../cloud/normalise-error.js';
import { adoptable, ownerOf } from '../plan/ownership.js';
import { compareBodies, isImmutableChange } from '../plan/compare.js';
import { refOf, type Cloud, type ResourceRef } from '../cloud/port.js';
import type { StepError, StepOutcome, StepReport, StepState, WalkEvent, WalkEventListener, WalkReport } from './events.js';

export const DEFAULT_CONCURRENCY = 8;

export interface RetryPolicy {
  /** Attempts per step, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface WalkOptions {
  concurrency?: number;
  signal?: AbortSignal;
  onEvent?: WalkEventListener;
  retry?: Partial<RetryPolicy>;
  /** Seed of the requestIds; random per run unless given. */
  runId?: string;
  /** What was read before planning: the observed body for update steps, the zone of DNS deletes. */
  observed?: ObservedState;
  /**
   * Who owns an existing resource (the ownership mark), to adopt a resource a create step finds
   * already there (default: src/plan/ownership.ts ownerOf).
   */
  ownerOf?: (kind: ResourceKind, body: Record<string, unknown>) => string | undefined;
  /** Deadline of each call, including its operation. */
  callTimeoutMs?: number;
  /** For tests: random in [0, 1) for jitter. */
  random?: () => number;
}

export { deterministicRequestId };

/** Throws PlanCycleError if the steps' dependencies contain a cycle (the plan's own check). */
export const checkAcyclic = assertAcyclic;

function toStepError(error: unknown): StepError {
  if (error instanceof CloudError) {
    return { code: error.code, message: error.message, hint: error.hint, reason: error.reason, status: error.status, retryable: error.retryable };
  }
  if (error instanceof SlbError) return { code: error.code, message: error.message, hint: error.hint, retryable: false };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), retryable: false };
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const MUTATING: ReadonlySet<string> = new Set(['create', 'update', 'replace', 'delete']);

/**
 * Walks the plan. Resolves with the report whatever happened to the steps (failures are in the
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
  const waitingOn = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const s of plan.steps) {
    const deps = new Set(s.dependsOn.filter((d) => steps.has(d) && d !== s.id));
    waitingOn.set(s.id, deps);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), s.id]);
  }
  const ready: string[] = plan.steps.filter((s) => waitingOn.get(s.id)!.size === 0).map((s) => s.id);
  let running = 0;
  let mutatingCalls = 0;
  let interrupted = false;

  const stepRef = (s: PlanStep) => ({ stepId: s.id, action: s.action, kind: s.kind, name: s.name, scope: s.scope, at: at() });

  emit({ type: 'walk-start', at: 0, total: plan.steps.length, concurrency, mutating: plan.steps.filter((s) => MUTATING.has(s.action)).length });

  // ---- one step ----
  const generation = new Map<string, number>();
  const requestId = (stepId: string, call: string): string =>
    deterministicRequestId(runId, stepId, call, String(generation.get(`${stepId}|${call}`) ?? 0));
  const bumpGeneration = (stepId: string, call: string): void => {
    const key = `${stepId}|${call}`;
    generation.set(key, (generation.get(key) ?? 0) + 1);
  };
  const callOpts = { owner: plan.lbName, ...(options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs }) };

  const refForStep = (step: PlanStep): ResourceRef => {
    if (step.resource) return refOf(step.resource);
    const ref: ResourceRef = { kind: step.kind, scope: step.scope, name: step.name };
    const observed = options.observed?.get(step.id) as (ObservedResource & { zone?: string; project?: string }) | undefined;
    if (observed?.zone) ref.zone = observed.zone;
    if (observed?.project) ref.project = observed.project;
    if (step.kind === 'dnsRecordSet' && typeof observed?.body.type === 'string') ref.recordType = observed.body.type;
    return ref;
  };

  /** One call, counted; failures normalised; a failed operation gets a fresh requestId next time. */
  const mutate = async (step: PlanStep, call: string, fn: (rid: string) => Promise<void>): Promise<void> => {
    mutatingCalls++;
    try {
      await fn(requestId(step.id, call));
    } catch (error) {
      const e = normaliseError(error, `${call} ${step.kind} ${step.name}`);
      if (e.fromOperation) bumpGeneration(step.id, call);
      throw e;
    }
  };

  // Outputs of other resources ($output), read once each, after the step that makes them is done.
  const outputs = new Map<string, Promise<ObservedResource | undefined>>();
  const lookupOutput = (id: string): Promise<ObservedResource | undefined> => {
    let p = outputs.get(id);
    if (!p) {
      const ref = refOfId(id);
      p = ref ? cloud.get(ref, callOpts) : Promise.resolve(undefined);
      outputs.set(id, p);
      p.then((o) => o ?? outputs.delete(id), () => outputs.delete(id));
    }
    return p;
  };
  const resolved = async (step: PlanStep): Promise<DesiredResource> => {
    const resource = step.resource!;
    if (!containsOutputRef(resource.body)) return resource;
    return { ...resource, body: await resolveOutputRefs(resource.body, lookupOutput, `${step.action} ${step.kind} ${step.name}`) };
  };

  const create = async (step: PlanStep): Promise<StepOutcome> => {
    const resource = await resolved(step);
    try {
      await mutate(step, 'insert', (rid) => cloud.insert(resource, rid, callOpts));
      return 'created';
    } catch (error) {
      if (!(error instanceof CloudError) || error.reason !== 'alreadyExists') throw error;
      const existing = await cloud.get(refOf(resource), callOpts).catch(() => undefined);
      if (existing && adoptable(existing, resource, plan.lbName, options.ownerOf ?? ownerOf)) return 'adopted';
      if (!existing && error.status === 409) {
        // The name is taken but nothing can be read under it: another request (often another run
        // of this config) is creating it right now. Retried like any transient failure, so once
        // that creation is done the next attempt adopts it when it is this load balancer's.
        throw cloudError(error.operation, 'resourceNotReady', `${error.googleMessage} (being created by another request: nothing can be read under the name yet)`, {
          status: 409,
          hint: 'Another request is creating it; if another serverless-lb run of this config is under way, it is adopted once that creation is done.',
        });
      }
      throw error;
    }
  };

  const execute = async (step: PlanStep): Promise<StepOutcome> => {
    switch (step.action) {
      case 'noop':
        return 'noop';
      case 'create':
        return create(step);
      case 'update': {
        const resource = await resolved(step);
        const observed = options.observed?.get(step.id) ?? (await cloud.get(refOf(resource), callOpts));
        if (!observed) return create(step);
        await mutate(step, 'update', (rid) => cloud.update(resource, observed, step.changes, rid, callOpts));
        return 'updated';
      }
      case 'replace': {
        // A replace planned because a reference could not be resolved when the plan was made
        // (its producer was being created) may have no reason left: another run of this config
        // made both, with the values this one now resolves. Then deleting would only churn a
        // working resource; it is adopted (or updated in place) instead.
        // The comparison reads what the body names as it is now (a forwarding rule's address
        // compares as that address' IP), as planning does.
        const resource = await resolved(step);
        const current = await cloud.get(refOf(resource), callOpts).catch(() => undefined);
        if (current && adoptable(current, resource, plan.lbName, options.ownerOf ?? ownerOf)) {
          const named = new Map<string, ObservedResource | undefined>();
          for (const id of comparedReferences(resource)) named.set(id, await lookupOutput(id).catch(() => undefined));
          const changes = compareBodies(resource.kind, comparableBody(resource, (id) => named.get(id)), current.body);
          if (!changes.some((c) => isImmutableChange(resource.kind, resource.scope, c.field))) {
            if (changes.length === 0) return 'adopted';
            await mutate(step, 'update', (rid) => cloud.update(resource, current, changes, rid, callOpts));
            return 'updated';
          }
        }
        try {
          await mutate(step, 'delete', (rid) => cloud.delete(refForStep(step), rid, callOpts));
        } catch (error) {
          if (!(error instanceof CloudError) || error.reason !== 'notFound') throw error;
        }
        await create(step);
        return 'replaced';
      }
      case 'delete':
        try {
          await mutate(step, 'delete', (rid) => cloud.delete(refForStep(step), rid, callOpts));
          return 'deleted';
        } catch (error) {
          if (error instanceof CloudError && error.reason === 'notFound') return 'absent';
          throw error;
        }
    }
  };

  const runStep = async (step: PlanStep): Promise<void> => {
    const report = reports.get(step.id)!;
    report.state = 'running';
    const t0 = performance.now();
    for (;;) {
      report.attempts++;
      emit({ type: 'step-start', attempt: report.attempts, ...stepRef(step) });
      try {
        if (MUTATING.has(step.action) && step.action !== 'delete' && !step.resource) {
          throw new UsageError(`Step ${step.id} (${step.action}) has no resource to apply.`, { code: 'plan.invalid-step' });
        }
        report.outcome = await execute(step);
        report.state = 'done';
        report.elapsedMs = Math.round(performance.now() - t0);
        emit({ type: 'step-done', outcome: report.outcome, attempts: report.attempts, elapsedMs: report.elapsedMs, ...stepRef(step) });
        return;
      } catch (error) {
        const stepError = toStepError(error);
        const canRetry = stepError.retryable && report.attempts < retry.maxAttempts && !interrupted;
        if (canRetry) {
          const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (report.attempts - 1));
          const delayMs = Math.round(exp / 2 + (random() * exp) / 2);
          emit({ type: 'step-retry', attempt: report.attempts, delayMs, error: stepError, ...stepRef(step) });
          if (await sleep(delayMs, options.signal)) continue;
        }
        report.state = 'failed';
        report.error = stepError;
        report.elapsedMs = Math.round(performance.now() - t0);
        emit({ type: 'step-failed', attempts: report.attempts, elapsedMs: report.elapsedMs, error: stepError, ...stepRef(step) });
        return;
      }
    }
  };

  const skipDependents = (failedId: string): void => {
    const queue = [...(dependents.get(failedId) ?? [])];
    while (queue.length > 0) {
      const id = queue.shift()!;
      const r = reports.get(id)!;
      if (r.state !== 'pending') continue;
      r.state = 'skipped';
      r.skippedBecause = failedId;
      emit({ type: 'step-skipped', why: 'dependency-failed', blockedBy: failedId, ...stepRef(steps.get(id)!) });
      queue.push(...(dependents.get(id) ?? []));
    }
  };

  await new Promise<void>((resolveWalk) => {
    const onAbort = (): void => {
      if (interrupted) return;
      interrupted = true;
      emit({ type: 'walk-interrupted', at: at(), running: [...reports.values()].filter((r) => r.state === 'running').map((r) => r.id) });
      pump();
    };
    const pump = (): void => {
      while (!interrupted && running < concurrency && ready.length > 0) {
        const id = ready.shift()!;
        if (reports.get(id)!.state !== 'pending') continue;
        running++;
        void runStep(steps.get(id)!).then(() => {
          running--;
          const r = reports.get(id)!;
          if (r.state === 'done') {
            for (const dep of dependents.get(id) ?? []) {
              const waiting = waitingOn.get(dep)!;
              waiting.delete(id);
              if (waiting.size === 0 && reports.get(dep)!.state === 'pending') ready.push(dep);
            }
          } else {
            skipDependents(id);
          }
          pump();
        });
      }
      if (running === 0 && (interrupted || ready.length === 0)) {
        options.signal?.removeEventListener('abort', onAbort);
        resolveWalk();
      }
    };
    if (options.signal?.aborted) interrupted = true;
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    pump();
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
  return { ok, interrupted, elapsedMs, steps: [...reports.values()], counts, mutatingCalls };
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
export function walkError(report: WalkReport, what: 'apply' | 'teardown' = 'apply'): SlbError | undefined {
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
  return new StepsFailedError(`${what === 'apply' ? 'Apply' : 'Teardown'} failed: ${failed.length} step(s) failed, ${skipped.length} skipped, ${report.counts.done} done.`, {
    details,
    hint,
  });
}
