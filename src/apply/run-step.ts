/**
 * One step of a walk (walker.ts): what a create, update, replace or delete does through the Cloud
 * port, with the idempotency and retry rules of the walker's contract. `runStep` drives a step to
 * done or failed, retrying transient failures with backoff (not after an abort), and reports its
 * progress through `emit`; it never rejects.
 */
import { deterministicRequestId } from '../cloud/request-id.js';
import { CloudError, SlbError, UsageError } from '../errors.js';
import { comparableBody, comparedReferences } from '../plan/diff.js';
import type { DesiredResource, ObservedResource, Plan, PlanStep } from '../model/resource-model.js';
import { containsOutputRef, refOfId, resolveOutputRefs } from './output-refs.js';
import { cloudError, normaliseError } from '../cloud/normalise-error.js';
import { adoptable } from '../plan/ownership.js';
import { compareBodies, isImmutableChange } from '../plan/compare.js';
import { refOf, type Cloud, type ResourceRef } from '../cloud/port.js';
import type { StepError, StepOutcome, StepReport, WalkEvent } from './events.js';
import type { RetryPolicy, WalkOptions } from './walk-options.js';

export const MUTATING: ReadonlySet<string> = new Set(['create', 'update', 'replace', 'delete']);

export interface StepRunnerContext {
  plan: Plan;
  cloud: Cloud;
  options: WalkOptions;
  retry: RetryPolicy;
  /** Seed of the requestIds. */
  runId: string;
  random: () => number;
  emit(event: WalkEvent): void;
  /** The step's identity in events, stamped with the walk's clock. */
  stepRef(step: PlanStep): { stepId: string; action: PlanStep['action']; kind: PlanStep['kind']; name: string; scope: PlanStep['scope']; at: number };
}

export interface StepRunner {
  runStep(step: PlanStep, report: StepReport): Promise<void>;
  /** Mutating calls made so far. */
  mutatingCalls(): number;
}

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



export function createStepRunner(context: StepRunnerContext): StepRunner {
  const { plan, cloud, options, retry, runId, random, emit, stepRef } = context;
  let mutatingCalls = 0;
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
      if (existing && adoptable(existing, resource, plan.lbName)) return 'adopted';
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
        if (current && adoptable(current, resource, plan.lbName)) {
          const named = new Map<string, ObservedResource | undefined>();
          for (const id of comparedReferences(resource)) named.set(id, await lookupOutput(id).catch(() => undefined));
          const desired = comparableBody(resource, (id) => named.get(id));
          const changes = compareBodies(resource.kind, desired, current.body);
          if (!changes.some((c) => isImmutableChange(resource.kind, resource.scope, c.field, { desired, observed: current.body }))) {
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

  const runStep = async (step: PlanStep, report: StepReport): Promise<void> => {
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
        const canRetry = stepError.retryable && report.attempts < retry.maxAttempts && !options.signal?.aborted;
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

  return { runStep, mutatingCalls: () => mutatingCalls };
}
