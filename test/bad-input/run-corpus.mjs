/**
 * Runs the bad-input corpus (corpus.mjs) through the built CLI against an in-process emulator.
 * A case passes when the CLI exits 2, its error names one of the case's keys, flags, files or
 * variables and says how to fix it (a `Hint:` line), no secret appears in stdout or stderr, and
 * the emulator logged no mutating API call while it ran.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMutating } from '../support/api-calls.mjs';
import { makeCorpus } from './corpus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(ROOT, 'bin/serverless-lb.js');

function run(args, { cwd, env }) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Checks one case's run; returns the reasons it fails (empty: it passes). */
export function judge(testCase, result, secrets) {
  const reasons = [];
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 2) reasons.push(`exit ${result.code}, expected 2`);
  if (!testCase.names.some((n) => result.stderr.includes(n))) reasons.push(`the error names none of ${testCase.names.join(', ')}`);
  if (!/Hint:/.test(result.stderr)) reasons.push('no "Hint:" says how to fix it');
  if (/bug in serverless-lb|\n\s+at .+:\d+:\d+\)?\n/.test(result.stderr)) reasons.push('a bug report or stack trace');
  const leaked = secrets.find((s) => s.length >= 8 && output.includes(s));
  if (leaked) reasons.push(`a secret was printed (${leaked.slice(0, 6)}...)`);
  if (result.mutations.length) reasons.push(`${result.mutations.length} mutating call(s): ${result.mutations.join(', ')}`);
  return reasons;
}

/**
 * options: { concurrency = 3, only?: case ids, onCase?(outcome) }. Returns
 * { cases, exit2, named, mutations, outcomes: [{id, what, code, reasons, stderr}] }.
 */
export async function runCorpus(options = {}) {
  const { startEmulator } = await import(resolve(ROOT, 'dist/emulator/index.js'));
  // One emulator per worker, so each case's mutating calls are its own.
  const concurrency = options.concurrency ?? 3;
  const emulators = await Promise.all(Array.from({ length: concurrency }, () => startEmulator({ port: 0, opLatencyMs: 0 })));
  // "Some other HTTP server": answers every request with an HTML 404, as a web server would.
  const other = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>'));
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'slb-bad-input-'));
  const sinks = emulators.map(() => undefined);
  emulators.forEach((emulator, i) =>
    emulator.ctx.onRequest((entry) => {
      if (isMutating(entry)) sinks[i]?.push(`${entry.method} ${entry.path}`);
    }),
  );
  try {
    const { cases, secrets, iapSecretEnv } = await makeCorpus(dir);
    const selected = options.only ? cases.filter((c) => options.only.includes(c.id)) : cases;
    const outcomes = [];
    const queue = [...selected];
    const worker = async (w) => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const env = { ...process.env, SERVERLESS_LB_EMULATOR_HOST: `127.0.0.1:${emulators[w].port}`, CI: '1', NO_COLOR: '1', ...iapSecretEnv, ...c.env };
        if (env.SERVERLESS_LB_EMULATOR_HOST === 'WRONG_HOST') env.SERVERLESS_LB_EMULATOR_HOST = `127.0.0.1:${other.address().port}`;
        delete env.CLOUDSDK_CORE_PROJECT;
        delete env.GOOGLE_CLOUD_PROJECT;
        const mutations = [];
        sinks[w] = mutations;
        const result = await run(c.args, { cwd: c.cwd, env });
        sinks[w] = undefined;
        const full = { ...result, mutations };
        const outcome = { id: c.id, what: c.what, code: result.code, reasons: judge(c, full, secrets), stderr: result.stderr, named: c.names.some((n) => result.stderr.includes(n)), mutations: mutations.length };
        outcomes.push(outcome);
        options.onCase?.(outcome);
      }
    };
    await Promise.all(emulators.map((_, w) => worker(w)));
    outcomes.sort((a, b) => selected.findIndex((c) => c.id === a.id) - selected.findIndex((c) => c.id === b.id));
    return {
      cases: outcomes.length,
      exit2: outcomes.filter((o) => o.code === 2).length,
      named: outcomes.filter((o) => o.named).length,
      mutations: outcomes.reduce((n, o) => n + o.mutations, 0),
      outcomes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    other.close();
    await Promise.all(emulators.map((e) => e.close()));
  }
}

export const summaryLine = (s) => `bad input: cases ${s.cases}, exit 2 ${s.exit2}, named ${s.named}, mutations ${s.mutations}`;
