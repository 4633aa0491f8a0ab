/**
 * Google's classic -> global external migration, driven by the config (migration.trafficPercent,
 * then type global-external), under steady traffic through the emulator's data plane: no request
 * fails, the tested share is answered by the global external infrastructure, the IP stays, and the
 * rollback works the same way.
 */
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../e2e/support/harness.js';
// @ts-expect-error plain ESM module of the suite
import { runMigration } from './engine.mjs';

type Result = {
  ok: boolean;
  problems: string[];
  records: Array<{ sent: number; failures: unknown[] }>;
  shares: Array<{ percent: number; share: number }>;
  ipsBefore: string[];
  ipsAfter: string[];
  state: Array<{ path: string; scheme: string; migration?: string }>;
  mutating: unknown[];
};

describe('classic -> global external migration', () => {
  it('0 -> 50 -> 100 -> type global-external: no failed request, about half at 50 %, same IP, every resource EXTERNAL_MANAGED, then stable', async () => {
    assertBuilt();
    const result = (await runMigration({ stages: [0, 50, 100], end: 'finish' })) as Result;
    expect(result.problems).toEqual([]);
    const sent = result.records.reduce((n, r) => n + r.sent, 0);
    expect(sent).toBeGreaterThan(100);
    expect(result.records.flatMap((r) => r.failures)).toEqual([]);
    const share = (p: number) => result.shares.find((s) => s.percent === p)!.share;
    expect(share(0)).toBe(0);
    expect(share(50)).toBeGreaterThan(0.35);
    expect(share(50)).toBeLessThan(0.65);
    expect(share(100)).toBe(1);
    expect(result.ipsAfter).toEqual(result.ipsBefore);
    expect(result.state.length).toBeGreaterThan(0);
    for (const r of result.state) expect(r, r.path).toMatchObject({ scheme: 'EXTERNAL_MANAGED' });
    expect(result.state.every((r) => r.migration === undefined)).toBe(true);
    expect(result.mutating).toEqual([]);
  }, 180_000);

  it('0 -> 50 -> migration removed: back to classic in reverse order, no failed request, then stable', async () => {
    assertBuilt();
    const result = (await runMigration({ stages: [0, 50], end: 'rollback' })) as Result;
    expect(result.problems).toEqual([]);
    expect(result.records.flatMap((r) => r.failures)).toEqual([]);
    expect(result.ipsAfter).toEqual(result.ipsBefore);
    for (const r of result.state) expect(r, r.path).toMatchObject({ scheme: 'EXTERNAL' });
    expect(result.state.every((r) => r.migration === undefined)).toBe(true);
    expect(result.mutating).toEqual([]);
  }, 180_000);
});
