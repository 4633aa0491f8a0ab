/**
 * The gcloud export of an example run with the real gcloud against the emulator, as a user runs the
 * script the docs show: how the import tests build a load balancer serverless-lb did not make; and
 * the setup those test files share.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { hasGcloud } from '../../support/tools.js';
// @ts-expect-error plain ESM helper shared with the benchmark
import { gcloudEmulatorEnv } from '../../support/gcloud-emulator-env.mjs';
import { assertBuilt, EXAMPLES, runCli, startHarness, type EmulatorHarness } from './harness.js';

/** The example's exported gcloud script; `byHand` strips every serverless-lb mark from it. */
export async function exportedScript(example: string, byHand = false): Promise<string> {
  const out = await runCli(['plan', '--offline', '--format', 'gcloud', '-c', join(EXAMPLES, example)]);
  expect(out.code, out.stderr).toBe(0);
  if (!byHand) return out.stdout;
  return out.stdout
    // A description is one single-quoted word, an apostrophe in it written '\'' as the shell wants.
    .replace(/ \\\n {4}--description='(?:[^']|'\\'')*'/g, '')
    .replace(/description: "\[serverless-lb[^\n]*\n/g, '')
    .replace(/gcloud (beta )?compute (addresses|forwarding-rules) update [^\n]*\\\n( {4}[^\n]*\\\n)* {4}[^\n]*\n/g, '');
}

/** Runs a script with bash in `dir`, gcloud pointed at the harness's emulator. */
export function runGcloudScript(h: EmulatorHarness, dir: string, text: string): Promise<{ code: number | null; stderr: string }> {
  writeFileSync(join(dir, 'lb.sh'), text);
  return new Promise((resolve) => {
    const child = spawn('bash', ['lb.sh'], { cwd: dir, env: gcloudEmulatorEnv({ url: h.emulator.url, port: h.emulator.port }, join(dir, 'gcloud')) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** What the import test files share: the emulator, a fresh directory per test, the CLI run there. */
export interface ImportSuite {
  /** gcloud is installed (else the file's tests skip; said once). */
  readonly gcloud: boolean;
  readonly h: EmulatorHarness;
  readonly dir: string;
  /** Runs the CLI in `dir` against the emulator; expects exit code `expected`; stdout and stderr. */
  cli(args: string[], expected?: number): Promise<string>;
}

/** Registers the hooks of an import test file (`file`: its path, for the skip message). */
export function importSuite(file: string): ImportSuite {
  const gcloud = hasGcloud();
  if (!gcloud) console.warn(`${file}: gcloud is not installed; the import tests are skipped (they build the load balancer with the real gcloud)`);
  let h: EmulatorHarness | undefined;
  let dir = '';
  beforeAll(async () => {
    if (!gcloud) return;
    assertBuilt();
    h = await startHarness(5);
  });
  afterAll(async () => h?.close());
  beforeEach(async () => {
    await h?.reset();
    dir = mkdtempSync(join(tmpdir(), 'slb-import-'));
  });
  return {
    gcloud,
    get h() {
      return h!;
    },
    get dir() {
      return dir;
    },
    async cli(args, expected = 0) {
      const r = await runCli(args, { env: h!.env, cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(expected);
      return r.stdout + r.stderr;
    },
  };
}
