/**
 * Typed events the walker emits while it applies or tears down a plan. The walker never prints:
 * the UI layer (src/ui) draws these, and `--format json` can stream them as they are.
 * Times are milliseconds since the walk started (`at`) and step durations (`elapsedMs`).
 */
import type { PlanAction, ResourceKind, Scope } from '../model/resource-model.js';

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** How a done step ended. */
export type StepOutcome =
  | 'created'
  | 'updated'
  | 'replaced'
  | 'deleted'
  | 'noop'
  /** create found the resource already there, owned by this load balancer (e.g. an interrupted run). */
  | 'adopted'
  /** delete found nothing to delete (404). */
  | 'absent';

/** A failure, as events and reports carry it: no stack, no secrets. */
export interface StepError {
  code: string;
  message: string;
  hint?: string;
  reason?: string;
  status?: number;
  retryable: boolean;
}

interface StepRef {
  stepId: string;
  action: PlanAction;
  kind: ResourceKind;
  name: string;
  scope: Scope;
  /** ms since the walk started. */
  at: number;
}

export type WalkEvent =
  | { type: 'walk-start'; at: number; total: number; concurrency: number; mutating: number }
  | ({ type: 'step-start'; attempt: number } & StepRef)
  | ({ type: 'step-retry'; attempt: number; delayMs: number; error: StepError } & StepRef)
  | ({ type: 'step-done'; outcome: StepOutcome; attempts: number; elapsedMs: number } & StepRef)
  | ({ type: 'step-failed'; attempts: number; elapsedMs: number; error: StepError } & StepRef)
  | ({ type: 'step-skipped'; why: 'dependency-failed' | 'interrupted'; blockedBy?: string } & StepRef)
  | { type: 'walk-interrupted'; at: number; running: string[] }
  | { type: 'walk-done'; at: number; elapsedMs: number; ok: boolean; interrupted: boolean; counts: Record<StepState, number> };

export type WalkEventListener = (event: WalkEvent) => void;

/** What happened to one step. */
export interface StepReport {
  id: string;
  action: PlanAction;
  kind: ResourceKind;
  name: string;
  scope: Scope;
  state: StepState;
  outcome?: StepOutcome;
  attempts: number;
  /** ms from the step's first start to its end (0 if it never started). */
  elapsedMs: number;
  error?: StepError;
  /** For skipped steps: the failed step that caused it, or `interrupted`. */
  skippedBecause?: string;
}

/** Exactly what was and wasn't done. `ok`: every step is done. */
export interface WalkReport {
  ok: boolean;
  interrupted: boolean;
  elapsedMs: number;
  steps: StepReport[];
  counts: Record<StepState, number>;
  /** Calls that changed something (insert, update, delete), counted by the walker. */
  mutatingCalls: number;
}
