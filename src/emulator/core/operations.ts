/**
 * Timing of long-running operations, for every API (Compute operations, Cloud Run LROs, ...).
 *
 * A module stores its operation resource itself (e.g. a Compute Operation with status RUNNING, or
 * a Run Operation with done: false), then calls `start(path, complete)`. After the latency
 * (default: options.opLatencyMs) the tracker calls `complete()`, which applies the mutation's
 * effect if any and writes the finished operation to the store. `wait(path)` lets a `.../wait`
 * endpoint block until that has happened.
 *
 * Contract:
 * - `complete` runs exactly once per started operation (or never, after `cancelAll`).
 * - Operations complete in the order their timers fire; equal latencies complete in start order.
 * - `wait` resolves true once the operation has completed (immediately if it is not pending),
 *   or false after `timeoutMs`.
 */

export interface StartOptions {
  /** How long the operation stays pending; default options.opLatencyMs. 0 completes on the next turn of the event loop. */
  latencyMs?: number;
}

/** Start options for the operation a call starts: a slow-operation fault's latency, if any. */
export function operationStartOptions(req: { operationLatencyMs?: number }): StartOptions {
  return req.operationLatencyMs !== undefined ? { latencyMs: req.operationLatencyMs } : {};
}

export interface OperationTracker {
  start(path: string, complete: () => void | Promise<void>, options?: StartOptions): void;
  isPending(path: string): boolean;
  wait(path: string, timeoutMs: number): Promise<boolean>;
  /** Completes every pending operation now but those in `except` (used on close, and by tests that don't want to wait). */
  settleAll(except?: ReadonlySet<string>): Promise<void>;
  /** Drops every pending operation without completing it (used by reset). */
  cancelAll(): void;
  /** Paths of the pending operations. */
  pending(): string[];
}

interface Pending {
  timer: NodeJS.Timeout;
  complete: () => void | Promise<void>;
  waiters: Array<(done: boolean) => void>;
}

export function normaliseOpPath(path: string): string {
  return path.replace(/^\/+/, '');
}

export class OperationTimer implements OperationTracker {
  private readonly ops = new Map<string, Pending>();

  constructor(private readonly defaultLatencyMs: () => number) {}

  start(path: string, complete: () => void | Promise<void>, options: StartOptions = {}): void {
    const key = normaliseOpPath(path);
    const latency = Math.max(0, options.latencyMs ?? this.defaultLatencyMs());
    const pending: Pending = {
      complete,
      waiters: [],
      timer: setTimeout(() => void this.finish(key), latency),
    };
    this.ops.set(key, pending);
  }

  isPending(path: string): boolean {
    return this.ops.has(normaliseOpPath(path));
  }

  pending(): string[] {
    return [...this.ops.keys()];
  }

  wait(path: string, timeoutMs: number): Promise<boolean> {
    const pending = this.ops.get(normaliseOpPath(path));
    if (!pending) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
      pending.waiters.push((done) => {
        clearTimeout(timer);
        resolve(done);
      });
    });
  }

  async settleAll(except: ReadonlySet<string> = new Set()): Promise<void> {
    for (const key of [...this.ops.keys()]) if (!except.has(key)) await this.finish(key);
  }

  cancelAll(): void {
    for (const pending of this.ops.values()) {
      clearTimeout(pending.timer);
      for (const w of pending.waiters) w(false);
    }
    this.ops.clear();
  }

  private async finish(key: string): Promise<void> {
    const pending = this.ops.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.ops.delete(key);
    try {
      await pending.complete();
    } finally {
      for (const w of pending.waiters) w(true);
    }
  }
}
