import { describe, expect, it } from 'vitest';
import { parseDuration, pollUntil, POLL_FIRST_INTERVAL_MS, POLL_MAX_INTERVAL_MS, type Clock } from '../../src/verify/poll.js';

function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
}

describe('pollUntil', () => {
  it('stops at the first success', async () => {
    const clock = fakeClock();
    let n = 0;
    const v = await pollUntil(async () => ++n, (x) => x === 3, { clock, deadline: 60_000 });
    expect(v).toBe(3);
    expect(clock.slept.length).toBe(2);
    expect(clock.slept[0]).toBe(POLL_FIRST_INTERVAL_MS);
    expect(clock.slept[1]).toBeGreaterThan(POLL_FIRST_INTERVAL_MS);
  });

  it('attempts once when the deadline has passed, and never sleeps past the deadline', async () => {
    const clock = fakeClock();
    let n = 0;
    await pollUntil(async () => ++n, () => false, { clock, deadline: 0 });
    expect(n).toBe(1);
    const clock2 = fakeClock();
    await pollUntil(async () => 0, () => false, { clock: clock2, deadline: 25_000 });
    expect(clock2.now()).toBe(25_000);
    expect(Math.max(...clock2.slept)).toBeLessThanOrEqual(POLL_MAX_INTERVAL_MS);
  });

  it('reports each attempt and whether it will retry', async () => {
    const clock = fakeClock();
    const seen: Array<[number, boolean]> = [];
    await pollUntil(async () => 0, () => false, { clock, deadline: 1500, onAttempt: (_v, n, again) => seen.push([n, again]) });
    expect(seen).toEqual([[1, true], [2, true], [3, false]]);
  });
});

describe('parseDuration', () => {
  it('reads the usual forms', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });
  it('refuses anything else', () => {
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(() => parseDuration('10x')).toThrow(/not a duration/);
    expect(() => parseDuration('')).toThrow(/not a duration/);
  });
});
