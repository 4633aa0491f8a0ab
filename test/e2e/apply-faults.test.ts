/**
 * Apply under failure, through the built CLI and the emulator's fault plan: transient errors are
 * retried, a permanent one stops apply with Google's reason and a re-run completes the job, and an
 * apply killed or interrupted half-way is finished by the next run with no duplicates.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, mutating, runCli, startHarness, type EmulatorHarness } from './support/harness.js';

const CONFIG = resolve(EXAMPLES, 'global-external.yaml');
let h: EmulatorHarness;

beforeAll(async () => {
  assertBuilt();
  h = await startHarness(10);
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.reset();
  await h.setFaults({ rules: [] });
});

async function ownedCompute(): Promise<string[]> {
  const all = await h.resources('projects/demo-project');
  return all
    .filter((r) => !/\/(operations|changes)\//.test(r.path))
    .filter((r) => String(r.value.description ?? '').includes('[serverless-lb:'))
    .map((r) => r.path)
    .sort();
}

async function applyCleanly(): Promise<string[]> {
  const result = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
  expect(result.code, result.stderr).toBe(0);
  return ownedCompute();
}

describe('apply under faults', () => {
  it('survives transient errors (503 on an insert, a rate-limited operation)', async () => {
    await h.setFaults({
      rules: [
        { method: 'POST', path: '/compute/v1/projects/*/global/backendServices', nth: 1, status: 503 },
        { method: 'POST', path: '/compute/v1/projects/*/global/urlMaps', nth: 1, status: 429, reason: 'rateLimitExceeded' },
      ],
    });
    const result = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/retrying/);
  }, 60_000);

  it('stops on a permanent error with Google\'s reason, and a re-run finishes the job', async () => {
    await h.setFaults({
      rules: [{ method: 'POST', path: '/compute/v1/projects/*/global/urlMaps', status: 403, reason: 'forbidden', message: 'Required \'compute.urlMaps.create\' permission' }],
    });
    const failed = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/urlMap/);
    expect(failed.stderr).toMatch(/compute\.urlMaps\.create/);
    expect(failed.stderr).toMatch(/Hint:/);
    // What depends on the URL map was skipped, independent steps were done.
    expect(failed.stderr).toMatch(/skipped/);

    await h.setFaults({ rules: [] });
    const reference = await (async () => {
      const mark = await h.mark();
      const owned = await applyCleanly();
      // The re-run creates only what is missing: no insert repeats a resource that exists.
      const inserts = mutating(await h.requestsSince(mark)).filter((c) => c.method === 'POST' && !/\/(wait|set\w+)$/.test(c.path));
      expect(inserts.some((c) => /backendServices$/.test(c.path))).toBe(false);
      return owned;
    })();
    await h.reset();
    expect(await applyCleanly()).toEqual(reference);
  }, 90_000);

  it('resumes a killed apply with no duplicates', async () => {
    // Reference: what a clean apply owns.
    const reference = await applyCleanly();
    await h.reset();

    await h.setFaults({ rules: [{ latencyMs: 300, method: 'POST' }] });
    const killed = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env, killWhen: /created/ });
    expect(killed.code).not.toBe(0);
    const partial = await ownedCompute();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(reference.length);

    await h.setFaults({ rules: [] });
    expect(await applyCleanly()).toEqual(reference);
  }, 90_000);

  it('Ctrl-C lets running steps finish, exits 130, and a re-run completes', async () => {
    const reference = await applyCleanly();
    await h.reset();
    await h.setFaults({ rules: [{ latencyMs: 300, method: 'POST' }] });
    const interrupted = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env, killWhen: /created/, signal: 'SIGINT' });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/Interrupted/);
    expect(interrupted.stderr).not.toMatch(/\n\s+at /); // no stack trace
    await h.setFaults({ rules: [] });
    expect(await applyCleanly()).toEqual(reference);
  }, 90_000);
});
