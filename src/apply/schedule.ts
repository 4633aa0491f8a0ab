/**
 * The walker's scheduler (walker.ts): a step starts once every step it depends on is done, at most
 * `concurrency` at a time; a step that does not end done skips everything that depends on it,
 * transitively; after an abort no new step starts and the running ones finish. It knows nothing of
 * what a step does: `run` drives one to its end state in its report.
 */
import type { Plan, PlanStep } from '../model/resource-model.js';
import type { StepReport } from './events.js';

export interface ScheduleOptions {
  concurrency: number;
  signal?: AbortSignal | undefined;
  /** Drives one step to done or failed (its report's state); never rejects. */
  run(step: PlanStep, report: StepReport): Promise<void>;
  /** A pending step skipped because `blockedBy` did not end done. */
  onSkipped(step: PlanStep, blockedBy: string): void;
  /** The walk was interrupted (abort) while these steps ran. */
  onInterrupted(running: string[]): void;
}

/** Resolves once no step runs and none can start; says whether an abort stopped it. */
export async function scheduleSteps(plan: Plan, reports: Map<string, StepReport>, options: ScheduleOptions): Promise<{ interrupted: boolean }> {
  const { concurrency } = options;
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  const waitingOn = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const s of plan.steps) {
    const deps = new Set(s.dependsOn.filter((d) => steps.has(d) && d !== s.id));
    waitingOn.set(s.id, deps);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), s.id]);
  }
  const ready: string[] = plan.steps.filter((s) => waitingOn.get(s.id)!.size === 0).map((s) => s.id);
  let running = 0;
  let interrupted = false;

  const skipDependents = (failedId: string): void => {
    const queue = [...(dependents.get(failedId) ?? [])];
    while (queue.length > 0) {
      const id = queue.shift()!;
      const r = reports.get(id)!;
      if (r.state !== 'pending') continue;
      r.state = 'skipped';
      r.skippedBecause = failedId;
      options.onSkipped(steps.get(id)!, failedId);
      queue.push(...(dependents.get(id) ?? []));
    }
  };

  await new Promise<void>((resolveWalk) => {
    const onAbort = (): void => {
      if (interrupted) return;
      interrupted = true;
      options.onInterrupted([...reports.values()].filter((r) => r.state === 'running').map((r) => r.id));
      pump();
    };
    const pump = (): void => {
      while (!interrupted && running < concurrency && ready.length > 0) {
        const id = ready.shift()!;
        if (reports.get(id)!.state !== 'pending') continue;
        running++;
        void options.run(steps.get(id)!, reports.get(id)!).then(() => {
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

  return { interrupted };
}
