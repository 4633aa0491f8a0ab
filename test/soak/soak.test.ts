/**
 * The soak's slice inside `npm test` (the full soak is `npm run soak`): its schedule is seeded and
 * complete, its checks catch what they are for (negative controls on a live emulator), and a few
 * runs of each kind on one example end with nothing duplicated, leaked or touched.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultPlan } from '../../src/emulator/index.js';
import { assertBuilt, EXAMPLES } from '../e2e/support/harness.js';
// @ts-expect-error plain ESM modules of the soak (run by node directly)
import { interruptionMatrix, randomFaultPlan, scenario, seededRandom } from './scenarios.mjs';
// @ts-expect-error idem
import { runSoak, summaryLine } from './engine.mjs';
// @ts-expect-error idem
import { startWorld } from './world.mjs';

const examples = [
  { file: 'a.yaml', mutatingCalls: 3 },
  { file: 'b.yaml', mutatingCalls: 2 },
];

describe('soak schedule', () => {
  it('is the same for the same seed and run number, and differs across seeds', () => {
    expect(scenario('s', 7, examples)).toEqual(scenario('s', 7, examples));
    const runs = (seed: string) => Array.from({ length: 20 }, (_, i) => JSON.stringify(scenario(seed, i, examples)));
    expect(runs('one')).not.toEqual(runs('two'));
  });

  it('covers every mutating call of every example with both signals', () => {
    const matrix = interruptionMatrix(examples);
    expect(matrix).toHaveLength(2 * (3 + 2));
    for (const e of examples) for (let k = 1; k <= e.mutatingCalls; k++) for (const signal of ['SIGKILL', 'SIGINT']) {
      expect(matrix).toContainEqual({ example: e.file, k, signal });
    }
    const only = Array.from({ length: matrix.length }, (_, i) => scenario('x', i, examples, 'interrupt'));
    expect(new Set(only.map((s) => `${s.example}:${s.k}:${s.signal}`)).size).toBe(matrix.length);
  });

  it('mixes interruptions, fault plans and concurrent applies, and its fault plans are valid plans', () => {
    const kinds = Array.from({ length: 10 }, (_, i) => scenario('m', i, examples).kind);
    expect(kinds.filter((k) => k === 'interrupt')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'faults')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'concurrent')).toHaveLength(1);
    const random = seededRandom('plans');
    for (let i = 0; i < 50; i++) {
      const plan = randomFaultPlan(random);
      expect(() => parseFaultPlan(plan)).not.toThrow();
      expect(plan.rules.length).toBeGreaterThanOrEqual(2);
      // Only transient faults: nothing a plain re-run could not get past.
      for (const rule of plan.rules) if (rule.status !== undefined) expect([429, 500, 503]).toContain(rule.status);
    }
  });
});

describe('soak checks (negative controls)', () => {
  let world: any;
  beforeAll(async () => {
    assertBuilt();
    world = await startWorld({ opLatencyMs: 0 });
  });
  afterAll(async () => world?.close());

  const planned = [
    { kind: 'address', scope: 'global', name: 'ctl-ip' },
    { kind: 'dnsRecordSet', scope: 'global', name: 'www.example.com.' },
  ];
  const base = '/compute/v1/projects/demo-project/global/addresses';
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://${world.host}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    await fetch(`http://${world.host}/_emulator/operations/settle`, { method: 'POST' });
  };

  it('finds a leaked resource, a resource created twice and a touched look-alike', async () => {
    await world.prepare(planned, 'ctl', []);
    expect(world.leaks()).toEqual([]);
    expect(world.unownedTouched()).toEqual([]);
    await call('POST', base, { name: 'ctl-ip' });
    await call('DELETE', `${base}/ctl-ip`);
    await call('POST', base, { name: 'ctl-ip' });
    expect(world.createdTwice()).toEqual(['projects/demo-project/global/addresses/ctl-ip created 2 times']);
    expect(world.leaks()).toEqual(['left after teardown: projects/demo-project/global/addresses/ctl-ip']);
    expect(world.ownedDiff(['projects/demo-project/global/addresses/ctl-ip'])).toEqual([]);
    expect(world.ownedDiff([])).toEqual(['unexpected projects/demo-project/global/addresses/ctl-ip']);
    await call('DELETE', `${base}/ctl-ip-lookalike`);
    expect(world.unownedTouched()).toEqual(['look-alike changed: projects/demo-project/global/addresses/ctl-ip-lookalike']);
  });

  it('finds a change to a seeded resource the example does not use, and an ingress not restored', async () => {
    await world.prepare(planned, 'ctl', ['projects/demo-project/locations/europe-west1/services/web']);
    await call('PATCH', '/v2/projects/demo-project/locations/europe-west1/services/admin?updateMask=ingress', { ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' });
    expect(world.unownedTouched().join('\n')).toMatch(/services\/admin changed a resource the example does not use/);
    expect(world.leaks().join('\n')).toMatch(/not restored: .*services\/admin/);
  });
});

describe('soak slice', () => {
  it('runs interruptions, fault plans and a concurrent apply on one example with no duplicate, leak or touched look-alike', async () => {
    assertBuilt();
    const runs: any[] = [];
    const summary = await runSoak({
      seed: 'npm-test',
      files: [resolve(EXAMPLES, 'regional-internal.yaml')],
      runIndexes: [0, 1, 2, 3, 5],
      workers: 2,
      opLatencyMs: 5,
      onRun: (r: unknown) => runs.push(r),
    });
    const problems = summary.failures.flatMap((f: any) => [...f.problems, f.replay]);
    expect(problems).toEqual([]);
    expect(summaryLine(summary)).toBe('soak: runs 5, converged 5, duplicates 0, leaked 0, unowned touched 0, interrupted 2');
    expect(runs.map((r) => r.scenario.kind).sort()).toEqual(['concurrent', 'faults', 'faults', 'interrupt', 'interrupt']);
    expect(summary.faultsFired).toBeGreaterThan(0);
  }, 300_000);
});
