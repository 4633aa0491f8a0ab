/** `serverless-lb demo` end to end, without a terminal: the recommended answers, apply, verify, URLs, teardown. */
import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, runCli, tempDir } from './cli-helpers.js';

beforeAll(assertBuilt);

describe('demo', () => {
  it('runs the whole lifecycle and exits 0, printing no command that stops working when it ends', async () => {
    const run = await runCli(['demo'], { cwd: tempDir(), timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    // The emulator stops with the demo: no curl line, no address to --resolve; the way to keep it is named.
    expect(run.stdout + run.stderr).not.toMatch(/^\s*curl /m);
    expect(run.stdout).toMatch(/npm run demo -- --keep/);
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

  it('with --keep, the commands and curl lines it prints work as printed, until Ctrl-C; then exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--keep'], { cwd: tempDir(), stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    let out = '';
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Press Ctrl-C to stop it.')) resolve();
      });
    });
    child.stderr.resume();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    try {
      await ready;
      // Every line after "In another terminal" is run as printed, by a shell, in a fresh environment.
      const block = out.slice(out.indexOf('In another terminal'));
      const commands = block.split('\n').slice(1).map((l) => l.trim()).filter((l) => l && !l.startsWith('Press'));
      expect(commands[0]).toMatch(/^cd \//);
      expect(commands.some((c) => /^SERVERLESS_LB_EMULATOR_HOST=127\.0\.0\.1:\d+ npx serverless-lb verify -c /.test(c))).toBe(true);
      const env = { PATH: process.env.PATH, HOME: process.env.HOME };
      const curls = [...out.matchAll(/^\s+(curl .+)$/gm)].map((m) => m[1]!);
      expect(curls.length).toBe(4);
      const hasCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;
      for (const curl of hasCurl ? curls : []) {
        const r = spawnSync('sh', ['-c', `${curl} -s -o /dev/null -w '%{http_code}'`], { encoding: 'utf8', env });
        expect(r.stdout, curl).toMatch(/^(200|301)$/);
      }
      const script = commands.filter((c) => !/ teardown /.test(c)).join(' && ');
      const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env, timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr + r.stdout).toMatch(/All checks passed/);
      const teardown = [commands[0], commands.find((c) => / teardown /.test(c))].join(' && ');
      const t = spawnSync('sh', ['-c', teardown], { encoding: 'utf8', env, timeout: 60_000 });
      expect(t.status, t.stderr).toBe(0);
    } finally {
      child.kill('SIGINT');
    }
    const code = await closed;
    clearTimeout(timer);
    expect(code).toBe(0);
  }, 90_000);
});
