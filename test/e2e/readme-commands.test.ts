/**
 * The README's "Without prompts (CI)" commands, run as printed (the project and zone names swapped
 * for the emulator's seed ones) against the emulator: each exits 0 on a first run, in order, and the
 * last one proves the load balancer works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startHarness, type EmulatorHarness } from './support/harness.js';
import { ROOT, assertBuilt, tempDir } from './cli-helpers.js';

let harness: EmulatorHarness;
beforeAll(async () => {
  assertBuilt();
  harness = await startHarness(5);
});
afterAll(() => harness?.close());

/** The commands of the README's CI block, one per command (continued lines joined, comments dropped). */
function readmeCiCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /### Without prompts \(CI\)[\s\S]*?```bash\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe("README's CI commands", () => {
  it('run as printed on a first run: init, plan, apply, verify all exit 0', async () => {
    const commands = readmeCiCommands();
    expect(commands.map((c) => c.split(' ')[2])).toEqual(['init', 'plan', 'apply', 'verify']);
    const dir = tempDir('slb-readme-');
    for (const command of commands) {
      const args = command
        .replace(/^npx serverless-lb /, '')
        .replace('--project my-project', '--project demo-project')
        .replace('--dns-zone my-zone', '--dns-zone example-com')
        .split(/\s+/);
      const run = await runCli(args, { cwd: dir, env: { ...harness.env, CI: '1' }, timeoutMs: 120_000 });
      expect(run.code, `${command}\n${run.stderr}`).toBe(0);
      if (args.includes('json')) expect(() => JSON.parse(run.stdout), command).not.toThrow();
      if (args[0] === 'verify') expect(JSON.parse(run.stdout).ok).toBe(true);
    }
  }, 180_000);
});
