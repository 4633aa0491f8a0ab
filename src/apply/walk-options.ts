/**
 * What a walk of a plan takes (walker.ts): how many steps at once, how to retry, how to stop, who
 * hears its events, and what was read before planning.
 */
import type { ObservedState } from '../model/resource-model.js';
import type { WalkEventListener } from './events.js';

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
  /** Deadline of each call, including its operation. */
  callTimeoutMs?: number;
  /** For tests: random in [0, 1) for jitter. */
  random?: () => number;
}
