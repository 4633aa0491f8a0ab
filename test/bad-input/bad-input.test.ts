/**
 * The bad-input corpus (corpus.mjs) through the built CLI against the emulator: every case exits 2,
 * names its key, flag, file or variable with a hint, echoes no secret and changes nothing. Also
 * `npm run bad-input`.
 */
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../e2e/support/harness.js';
// @ts-expect-error plain ESM module (also run by node directly)
import { judge, runCorpus, summaryLine } from './run-corpus.mjs';

describe('bad-input corpus', () => {
  it('refuses every case with exit 2, a named field and a hint, no secret and no mutating call', async () => {
    assertBuilt();
    const summary = await runCorpus();
    const failures = summary.outcomes.filter((o: { reasons: string[] }) => o.reasons.length).map((o: { id: string; reasons: string[]; stderr: string }) => `${o.id}: ${o.reasons.join('; ')}\n${o.stderr.slice(-600)}`);
    expect(failures).toEqual([]);
    expect(summary.cases).toBeGreaterThanOrEqual(60);
    expect(summaryLine(summary)).toBe(`bad input: cases ${summary.cases}, exit 2 ${summary.cases}, named ${summary.cases}, mutations 0`);
  }, 240_000);

  it('judges a run that exits 1, names nothing, prints a secret or changes something as failing', () => {
    const testCase = { names: ['frontend.port', '--port'] };
    const fine = { code: 2, stdout: '', stderr: 'Error: frontend.port (--port) is not a port\nHint: give 1-65535', mutations: [] };
    expect(judge(testCase, fine, ['s3cr3t-value'])).toEqual([]);
    expect(judge(testCase, { ...fine, code: 1 }, [])).toEqual(['exit 1, expected 2']);
    expect(judge(testCase, { ...fine, stderr: 'Error: something\nHint: x' }, [])).toEqual(['the error names none of frontend.port, --port']);
    expect(judge(testCase, { ...fine, stdout: 'key: s3cr3t-value' }, ['s3cr3t-value'])[0]).toMatch(/secret was printed/);
    expect(judge(testCase, { ...fine, mutations: ['POST /compute/v1/projects/p/global/addresses'] }, [])[0]).toMatch(/1 mutating call/);
    expect(judge(testCase, { ...fine, stderr: 'Error: frontend.port' }, [])).toEqual(['no "Hint:" says how to fix it']);
  });
});
