#!/usr/bin/env node
/**
 * `npm run bench` (after `npm run build`): serverless-lb side by side with the guide it replaces.
 *
 * For each config (default: docs/examples/global-external.yaml and regional-internal.yaml), against
 * one in-process emulator at one operation latency (default 200 ms):
 *   - this tool's apply and teardown: whole-command wall time, walk time (first step to last), the
 *     sum of the steps' times (running them one after another: what a step-by-step guide costs in
 *     waiting alone), the critical path (longest chain of dependent steps, each weighted by its
 *     measured time), API calls and mutating calls from the emulator's request log;
 *   - the exported `plan --format gcloud` script run by the real gcloud CLI against the emulator
 *     (skipped, with a message, when gcloud is not installed).
 * Ratios: applyOverCriticalPath = walk time / critical path (1.0: nothing waits that need not; the
 * target is <= 1.15), apply / gcloud script (whole commands), API calls per mutating call.
 * Cold start: medians over --runs runs of `node -e 0`, `serverless-lb --help`, `--version` and
 * `plan --offline`, their ratios to `node -e 0`, and peak RSS (from /usr/bin/time when present).
 *
 * Then it runs test/bench/large-project.mjs: `plan` in an empty project and with 2,000 unrelated
 * load balancers beside it (the ratio, the calls, the emulator's insert and list times).
 *
 * Usage: node test/bench/bench.mjs [--config FILE]... [--op-latency-ms N] [--concurrency N] [--runs N] [--format table|json]
 * `--format json` prints one JSON object on stdout (the figures), with `applyOverCriticalPath` the
 * worst over the configs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMutating } from '../support/api-calls.mjs';
import { parseArgs } from 'node:util';
import { gcloudEmulatorEnv } from '../support/gcloud-emulator-env.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(root, 'bin/serverless-lb.js');
const { values } = parseArgs({
  options: {
    config: { type: 'string', multiple: true },
    'op-latency-ms': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    runs: { type: 'string', default: '15' },
    format: { type: 'string', default: 'table' },
  },
});
const configs = (values.config?.length ? values.config : ['docs/examples/global-external.yaml', 'docs/examples/regional-internal.yaml']).map((f) => resolve(process.cwd(), f));
const opLatencyMs = Number(values['op-latency-ms']);
const json = values.format === 'json';
const say = (line = '') => (json ? process.stderr.write(`${line}\n`) : console.log(line));

const { startEmulator } = await import(resolve(root, 'dist/emulator/index.js'));
const emulator = await startEmulator({ port: 0, opLatencyMs });
const host = `127.0.0.1:${emulator.port}`;
const env = { ...process.env, SERVERLESS_LB_EMULATOR_HOST: host, NO_COLOR: '1', CI: '1', IAP_CLIENT_SECRET: 'bench' };

function run(command, args, options = {}) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: options.env ?? env, cwd: options.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

const log = () => emulator.ctx.requests;
/** Longest path through the steps' dependencies, weighted by each step's measured time. */
function criticalPath(steps) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map();
  const longest = (id) => {
    if (memo.has(id)) return memo.get(id);
    const step = byId.get(id);
    const total = Math.max(0, ...(step.dependsOn ?? []).filter((d) => byId.has(d)).map(longest)) + (step.elapsedMs ?? 0);
    memo.set(id, total);
    return total;
  };
  return Math.max(0, ...steps.map((s) => longest(s.id)));
}

async function measureTool(verb, config) {
  const since = log().length;
  const args = verb === 'apply' ? ['apply', '--no-verify'] : ['teardown'];
  const r = await run(process.execPath, [CLI, ...args, '--yes', '-c', config, '--format', 'json', '--concurrency', values.concurrency]);
  if (r.code !== 0) throw new Error(`${verb} of ${config} failed (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  const result = JSON.parse(r.stdout);
  const walk = result.apply ?? result.teardown;
  const deps = new Map(result.plan.steps.map((s) => [s.id, s.dependsOn]));
  const steps = walk.steps.map((s) => ({ ...s, dependsOn: deps.get(s.id) ?? [] }));
  const calls = log().slice(since);
  return {
    wallMs: Math.round(r.wallMs),
    walkMs: walk.elapsedMs,
    sumOfStepsMs: steps.reduce((t, s) => t + (s.elapsedMs ?? 0), 0),
    criticalPathMs: criticalPath(steps),
    steps: steps.length,
    apiCalls: calls.length,
    mutatingCalls: calls.filter(isMutating).length,
  };
}

function hasGcloud() {
  try {
    execFileSync('gcloud', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function measureGcloud(config) {
  const script = await run(process.execPath, [CLI, 'plan', '--offline', '-c', config, '--format', 'gcloud']);
  if (script.code !== 0) throw new Error(`plan --format gcloud of ${config} failed: ${script.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'slb-bench-gcloud-'));
  if (existsSync(join(dirname(config), 'certs'))) cpSync(join(dirname(config), 'certs'), join(dir, 'certs'), { recursive: true });
  writeFileSync(join(dir, 'lb.sh'), script.stdout);
  const since = log().length;
  const r = await run('bash', ['lb.sh'], {
    cwd: dir,
    env: gcloudEmulatorEnv({ url: emulator.url, port: emulator.port }, join(dir, 'gcloud')),
  });
  if (r.code !== 0) throw new Error(`the gcloud script of ${config} failed (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  const calls = log().slice(since);
  return { wallMs: Math.round(r.wallMs), commands: (script.stdout.match(/^\s*gcloud /gm) ?? []).length, apiCalls: calls.length, mutatingCalls: calls.filter(isMutating).length };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Median wall time and peak RSS of a command over `runs` runs (after one warm-up run). */
async function coldStart(args, runs) {
  const walls = [];
  const rss = [];
  for (let i = 0; i <= runs; i++) {
    const r = timeTool ? await run(timeTool, ['-f', 'SLB_RSS_KB=%M', ...args], { env }) : await run(args[0], args.slice(1), { env });
    if (i === 0) continue;
    walls.push(r.wallMs);
    const kb = /SLB_RSS_KB=(\d+)/.exec(r.stderr)?.[1];
    if (kb) rss.push(Number(kb));
  }
  return { medianMs: Number(median(walls).toFixed(1)), peakRssMb: rss.length ? Math.round(Math.max(...rss) / 1024) : null };
}

const figures = { opLatencyMs, concurrency: Number(values.concurrency), configs: [], coldStart: {} };
try {
  const gcloud = hasGcloud();
  if (!gcloud) say('gcloud is not installed: the gcloud-script column is skipped (install the Google Cloud CLI to measure it).');
  for (const config of configs) {
    await emulator.ctx.reset();
    const apply = await measureTool('apply', config);
    const teardown = await measureTool('teardown', config);
    await emulator.ctx.reset();
    const script = gcloud ? await measureGcloud(config) : undefined;
    await emulator.ctx.reset();
    figures.configs.push({
      config: relative(root, config),
      apply,
      teardown,
      gcloudScript: script ?? null,
      ratios: {
        applyOverCriticalPath: Number((apply.walkMs / apply.criticalPathMs).toFixed(3)),
        applyOverGcloudScript: script ? Number((apply.wallMs / script.wallMs).toFixed(3)) : null,
        sumOfStepsOverApplyWalk: Number((apply.sumOfStepsMs / apply.walkMs).toFixed(2)),
        apiCallsPerMutation: Number((apply.apiCalls / apply.mutatingCalls).toFixed(2)),
      },
    });
  }
  const runs = Number(values.runs);
  const base = await coldStart([process.execPath, '-e', '0'], runs);
  const cases = {
    help: [process.execPath, CLI, '--help'],
    version: [process.execPath, CLI, '--version'],
    planOffline: [process.execPath, CLI, 'plan', '--offline', '-c', configs[0]],
  };
  figures.coldStart.nodeBaseline = base;
  for (const [name, args] of Object.entries(cases)) {
    const m = await coldStart(args, runs);
    figures.coldStart[name] = { ...m, overNode: Number((m.medianMs / base.medianMs).toFixed(2)) };
  }
  figures.applyOverCriticalPath = Math.max(...figures.configs.map((c) => c.ratios.applyOverCriticalPath));
} finally {
  await emulator.close();
}

// Part two: the same plan in a project full of unrelated load balancers (test/bench/large-project.mjs).
const large = await run(process.execPath, [resolve(root, 'test/bench/large-project.mjs'), '--format', 'json'], { env: process.env });
figures.largeProject = large.stdout.trim() ? JSON.parse(large.stdout) : { error: `exit ${large.code}` };
process.exitCode = large.code ?? 1;

if (json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  say(`op latency ${opLatencyMs} ms, concurrency ${values.concurrency}`);
  for (const c of figures.configs) {
    say(`\n${c.config}`);
    say(`  ${''.padEnd(30)} ${'serverless-lb'.padStart(14)} ${'gcloud script'.padStart(14)}`);
    say(`  ${'apply, whole command'.padEnd(30)} ${s(c.apply.wallMs).padStart(14)} ${(c.gcloudScript ? s(c.gcloudScript.wallMs) : 'skipped').padStart(14)}`);
    say(`  ${'apply, first step to last'.padEnd(30)} ${s(c.apply.walkMs).padStart(14)}`);
    say(`  ${'critical path (measured)'.padEnd(30)} ${s(c.apply.criticalPathMs).padStart(14)}`);
    say(`  ${'sum of step times (a guide)'.padEnd(30)} ${s(c.apply.sumOfStepsMs).padStart(14)}`);
    say(`  ${'API calls / mutating'.padEnd(30)} ${`${c.apply.apiCalls} / ${c.apply.mutatingCalls}`.padStart(14)} ${(c.gcloudScript ? `${c.gcloudScript.apiCalls} / ${c.gcloudScript.mutatingCalls}` : '').padStart(14)}`);
    say(`  ${'teardown, whole command'.padEnd(30)} ${s(c.teardown.wallMs).padStart(14)}   (${c.teardown.steps} steps, critical path ${s(c.teardown.criticalPathMs)})`);
    say(`  ratios: apply/critical path ${c.ratios.applyOverCriticalPath} (target <= 1.15), apply/gcloud script ${c.ratios.applyOverGcloudScript ?? 'n/a'}, API calls per mutation ${c.ratios.apiCallsPerMutation}`);
  }
  say('\ncold start (median, peak RSS)');
  for (const [name, m] of Object.entries(figures.coldStart)) say(`  ${name.padEnd(14)} ${`${m.medianMs} ms`.padStart(10)} ${m.peakRssMb ?? '?'} MB${m.overNode ? `   ${m.overNode}x node -e 0` : ''}`);
  say(`\napplyOverCriticalPath (worst) ${figures.applyOverCriticalPath}`);
  say(`\n${large.stderr.trimEnd()}`);
}

