/**
 * With --format json, stdout holds exactly one JSON document, whatever happens: success, invalid
 * config (exit 2), a blocked plan (exit 2), a failed apply (exit 1). Progress goes to stderr.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, runCli, startHarness, type EmulatorHarness } from './support/harness.js';

const CONFIG = resolve(EXAMPLES, 'global-external.yaml');
const dir = mkdtempSync(join(tmpdir(), 'slb-json-'));
let h: EmulatorHarness;

beforeAll(async () => {
  assertBuilt();
  h = await startHarness(10);
});
afterAll(async () => h?.close());

/** Parses stdout as one JSON value; throws when it holds none or more than one. */
function oneDocument(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('--format json prints one document', () => {
  it('for an invalid config (exit 2): the error, with every problem', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: Bad_Name\nproject: demo-project\nbackends: []\n');
    const r = await runCli(['plan', '--offline', '-c', bad, '--format', 'json']);
    expect(r.code).toBe(2);
    const doc = oneDocument(r.stdout);
    expect(doc.ok).toBe(false);
    expect((doc.error as { details: string[] }).details.length).toBeGreaterThanOrEqual(2);
  });

  it('for a plan blocked by a missing existing address (exit 2): the plan with its blockers', async () => {
    await h.reset();
    const missing = join(dir, 'missing-address.yaml');
    writeFileSync(missing, `${readFileSync(CONFIG, 'utf8')}\n`.replace('frontend:\n', 'frontend:\n  address:\n    mode: existing\n    name: no-such-address\n'));
    for (const args of [['plan'], ['apply', '--yes', '--no-verify']]) {
      const r = await runCli([...args, '-c', missing, '--format', 'json'], { env: h.env });
      expect(r.code, r.stderr).toBe(2);
      const doc = oneDocument(r.stdout);
      const plan = (doc.plan ?? doc) as { blockers: Array<{ id: string }> };
      expect(plan.blockers.map((b) => b.id)).toContain('address:global:no-such-address');
      expect(r.stderr).toMatch(/no-such-address/);
    }
  }, 60_000);

  it('for a failed apply (exit 1): the report with the failed step', async () => {
    await h.reset();
    await h.setFaults({ rules: [{ method: 'POST', path: '/compute/v1/projects/*/global/urlMaps', status: 403, reason: 'forbidden' }] });
    try {
      const r = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG, '--format', 'json'], { env: h.env });
      expect(r.code).toBe(1);
      const doc = oneDocument(r.stdout);
      expect(doc.ok).toBe(false);
      const steps = (doc.apply as { steps: Array<{ kind: string; state: string }> }).steps;
      expect(steps.filter((s) => s.state === 'failed').map((s) => s.kind)).toContain('urlMap');
    } finally {
      await h.setFaults({ rules: [] });
    }
  }, 60_000);
});
