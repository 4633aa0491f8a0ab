/**
 * Polling under one deadline: a phase repeats its attempt until it succeeds or the shared deadline
 * passes, waiting POLL_FIRST_INTERVAL_MS, then POLL_BACKOFF times longer each round, at most
 * POLL_MAX_INTERVAL_MS (never past the deadline). Every phase makes at least one attempt, even when
 * an earlier phase used up the time. The clock is injected (tests use a fake one).
 */

export const POLL_FIRST_INTERVAL_MS = 1000;
export const POLL_MAX_INTERVAL_MS = 10_000;
export const POLL_BACKOFF = 1.5;

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface PollOptions<T> {
  clock: Clock;
  /** Absolute time (clock.now() units) after which no new attempt starts. */
  deadline: number;
  signal?: AbortSignal;
  /** Called after every attempt with its number (1-based). */
  onAttempt?: (value: T, attempt: number, willRetry: boolean) => void;
}

/** Runs `attempt` until `done(value)` or the deadline; returns the last value. */
export async function pollUntil<T>(attempt: () => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>): Promise<T> {
  const { clock, deadline, signal } = options;
  let interval = POLL_FIRST_INTERVAL_MS;
  for (let n = 1; ; n++) {
    const value = await attempt();
    const finished = done(value) || signal?.aborted === true;
    const remaining = deadline - clock.now();
    const willRetry = !finished && remaining > 0;
    options.onAttempt?.(value, n, willRetry);
    if (!willRetry) return value;
    await clock.sleep(Math.min(interval, remaining), signal);
    interval = Math.min(POLL_MAX_INTERVAL_MS, Math.round(interval * POLL_BACKOFF));
  }
}

/** Parses `0`, `500ms`, `30s`, `10m`, `1h`, `1m30s` (a bare number is seconds). */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    total += Number(m[1]) * unit;
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== t.length) throw new Error(`"${text}" is not a duration: use e.g. 0, 30s, 2m, 1m30s, 1h`);
  return Math.round(total);
}
