/** `serverless-lb demo` end to end, without a terminal: the recommended answers, apply, verify, URLs, teardown. */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, runCli, tempDir } from './cli-helpers.js';

beforeAll(assertBuilt);

describe('demo', () => {
  it('runs the whole lifecycle and exits 0, printing curl-able URLs', async () => {
    const run = await runCli(['demo'], { cwd: tempDir(), timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/curl --cacert \S+emulator-ca\.pem --connect-to www\.example\.com:443:127\.0\.0\.1:\d+ https:\/\/www\.example\.com\//);
    expect(run.stdout).toMatch(/✔ https:\/\/api\.example\.com\/\s+200 from Cloud Run service api/);
    expect(run.stdout).toMatch(/✔ http:\/\/www\.example\.com\/\s+301 to https:\/\/www\.example\.com\//);
    expect(run.stdout + run.stderr).toMatch(/All checks passed/);
    expect(run.stderr).toMatch(/Tearing down: 16 changes/);
    expect(run.stderr).toMatch(/Demo complete in/);
  }, 90_000);

  it('prints one JSON document with --format json', async () => {
    const run = await runCli(['demo', '--format', 'json'], { cwd: tempDir(), timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.tries.length).toBe(4);
    expect(result.tries.every((t: { ok: boolean }) => t.ok)).toBe(true);
    expect(result.teardown.ok).toBe(true);
    expect(Object.keys(result.timings)).toEqual(['emulator', 'init', 'try', 'teardown', 'total']);
  }, 90_000);

  it('keeps the emulator running with --keep until Ctrl-C, then exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--keep'], { cwd: tempDir(), stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Press Ctrl-C to stop it.')) child.kill('SIGINT');
      });
      child.stderr.resume();
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toMatch(/export SERVERLESS_LB_EMULATOR_HOST=127\.0\.0\.1:\d+/);
    expect(code).toBe(0);
  }, 90_000);
});
