/**
 * The soak: every run drives the built CLI against an in-process emulator (through the real SDKs)
 * and checks the emulator's own state and request log afterwards (see world.mjs for the checks and
 * scenarios.mjs for what the runs are).
 *
 * Every run, whatever its kind, ends with: a plain apply that must succeed (after two concurrent
 * applies, none: the state must already be whole), the state equal to the example's reference
 * (what a clean apply leaves), a further apply that makes zero mutating calls,
 * a teardown, and nothing left beyond the baseline, Cloud Run ingress and IAM as before, and no
 * look-alike or unused seeded resource touched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { scenario } from './scenarios.mjs';
import { ROOT, startWorld } from './world.mjs';

const APPLY = ['apply', '--yes', '--no-verify', '--format', 'json'];
const TEARDOWN = ['teardown', '--yes', '--format', 'json'];
const BUG = /bug in serverless-lb|\n\s+at .+\(.+:\d+:\d+\)/;

/** What a clean apply of the example leaves, its number of mutating calls and the services it changes. */
async function reference(world, file) {
  const planned = await world.cli(['plan', '--offline', '-c', file, '--format', 'json']);
  if (planned.code !== 0) throw new Error(`plan --offline of ${file} failed: ${planned.stderr}`);
  const plan = JSON.parse(planned.stdout);
  await world.prepare(plan.steps, plan.lbName, []);
  const applied = await world.cli([...APPLY, '-c', file]);
  if (applied.code !== 0) throw new Error(`clean apply of ${file} failed (exit ${applied.code}): ${applied.stderr.slice(-2000)}`);
  const mutatingCalls = world.mutatingCalls().length;
  const usedServices = [...new Set(world.mutatingCalls().map((c) => /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/services\/[^/:]+)/.exec(c.path)?.[1]).filter(Boolean))];
  const owned = world.owned();
  world.resetCounters();
  const again = await world.cli([...APPLY, '-c', file]);
  if (again.code !== 0 || world.mutatingCalls().length !== 0) throw new Error(`re-apply of ${file} is not a no-op: ${world.mutatingCalls().map((c) => `${c.method} ${c.path}`).join(', ')}`);
  const down = await world.cli([...TEARDOWN, '-c', file]);
  if (down.code !== 0) throw new Error(`teardown of ${file} failed: ${down.stderr.slice(-2000)}`);
  const leaks = world.leaks();
  if (leaks.length) throw new Error(`teardown of ${file} leaves: ${leaks.join('; ')}`);
  return { file, steps: plan.steps, lbName: plan.lbName, owned, mutatingCalls, usedServices, applyMs: applied.ms };
}

function expectExit(problems, what, run, allowed) {
  if (!allowed.includes(run.code)) problems.push(`${what} exited ${run.code} (expected ${allowed.join(' or ')}): ${lastLines(run.stderr)}`);
  if (BUG.test(run.stderr)) problems.push(`${what} printed a bug report or a stack trace: ${lastLines(run.stderr)}`);
}

const lastLines = (text) => text.trim().split('\n').slice(-4).join(' | ').slice(0, 600);

/** Runs one scenario in `world`; returns its tallies and problems. */
async function runOne(world, sc, ref) {
  const problems = [];
  const tally = { duplicates: 0, leaked: 0, unownedTouched: 0, interrupted: 0, faultsFired: 0, converged: false };
  const file = ref.file;
  await world.prepare(ref.steps, ref.lbName, ref.usedServices);

  if (sc.kind === 'faults') {
    await world.setFaults(sc.applyFaults);
    const first = await world.cli([...APPLY, '-c', file]);
    expectExit(problems, 'apply under faults', first, [0, 1]);
    tally.faultsFired += world.faultsFired();
    tally.firstApplyFailed = first.code !== 0;
    await world.clearFaults();
    await world.settle();
  } else if (sc.kind === 'interrupt') {
    const first = await world.cli([...APPLY, '-c', file], { killAfter: { k: sc.k, signal: sc.signal } });
    if (first.killed) tally.interrupted = 1;
    else problems.push(`apply finished before its mutating call ${sc.k} (exit ${first.code})`);
    if (sc.signal === 'SIGINT' && first.killed) expectExit(problems, 'interrupted apply', first, [130, 0]);
    await world.settle();
  } else {
    const [a, b] = await Promise.all([world.cli([...APPLY, '-c', file]), world.cli([...APPLY, '-c', file])]);
    for (const [what, run] of [['first concurrent apply', a], ['second concurrent apply', b]]) {
      // 2: its plan found something the other run had just created and refused, changing nothing.
      expectExit(problems, what, run, [0, 1, 2]);
      if (run.code !== 0 && !/already exists|conflict|being (modified|used)|in use|was changed|another serverless-lb run|re-run/i.test(run.stderr)) {
        problems.push(`${what} failed without a clear conflict message: ${lastLines(run.stderr)}`);
      }
    }
    tally.concurrentBothOk = a.code === 0 && b.code === 0;
    if (a.code !== 0 && b.code !== 0) problems.push(`both concurrent applies failed: ${lastLines(a.stderr)} || ${lastLines(b.stderr)}`);
  }

  // After two applies at once the state must already be whole: the further apply below checks it.
  if (sc.kind !== 'concurrent') expectExit(problems, 'plain re-run of apply', await world.cli([...APPLY, '-c', file]), [0]);
  const twice = world.createdTwice();
  const diff = world.ownedDiff(ref.owned);
  tally.duplicates = twice.length + diff.filter((d) => d.startsWith('unexpected')).length;
  problems.push(...twice, ...diff);

  const before = world.mutatingCalls().length;
  const check = await world.cli([...APPLY, '-c', file]);
  expectExit(problems, 'further apply', check, [0]);
  const extra = world.mutatingCalls().slice(before);
  if (extra.length) problems.push(`further apply made ${extra.length} mutating calls: ${extra.map((c) => `${c.method} ${c.path}`).join(', ')}`);
  tally.converged = problems.length === 0;

  if (sc.kind === 'faults') {
    await world.setFaults(sc.teardownFaults);
    const down = await world.cli([...TEARDOWN, '-c', file]);
    expectExit(problems, 'teardown under faults', down, [0, 1]);
    tally.faultsFired += world.faultsFired();
    await world.clearFaults();
    await world.settle();
    if (down.code !== 0) expectExit(problems, 'plain re-run of teardown', await world.cli([...TEARDOWN, '-c', file]), [0]);
  } else {
    expectExit(problems, 'teardown', await world.cli([...TEARDOWN, '-c', file]), [0]);
  }
  await world.settle();
  const leaks = world.leaks();
  tally.leaked = leaks.length;
  const touched = world.unownedTouched();
  tally.unownedTouched = touched.length;
  problems.push(...leaks, ...touched);
  return { ...tally, problems };
}

/**
 * Writes what a failing run did (every CLI run with its output, every API call) to DIR/run-I.json,
 * for runs a replay may not reproduce (two applies at once depend on timing). Returns the path.
 */
function writeRunLog(dir, sc, problems, world) {
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, `run-${sc.index}.json`);
  writeFileSync(path, JSON.stringify({ scenario: sc, problems, cli: world.invocations(), apiCalls: world.calls() }, null, 1));
  return path;
}

/** The one-line command that replays run `index` of a soak. */
export function replayCommand(options, index, example) {
  const parts = ['npm run soak --', '--seed', String(options.seed), '--run', String(index)];
  if (options.only) parts.push('--only', options.only);
  if (options.exampleFlag) parts.push('--example', relative(ROOT, example));
  return parts.join(' ');
}

/**
 * options: { seed, runs, only?, files: [example paths], exampleFlag?, runIndexes?, workers,
 * opLatencyMs, logsDir?, onReference?(ref), onRun?(result) }. With logsDir, each failing run's
 * log is written there (its path in the result's `log`). Returns the summary and every failed run.
 */
export async function runSoak(options) {
  const worlds = await Promise.all(Array.from({ length: options.workers }, () => startWorld({ opLatencyMs: options.opLatencyMs })));
  try {
    // References, spread over the workers.
    const refs = new Map();
    const files = [...options.files];
    await Promise.all(
      worlds.map(async (world) => {
        for (let file = files.shift(); file; file = files.shift()) {
          const ref = await reference(world, file);
          refs.set(file, ref);
          options.onReference?.(ref);
        }
      }),
    );
    const examples = options.files.map((file) => ({ file, mutatingCalls: refs.get(file).mutatingCalls }));
    const interruptCases = examples.reduce((n, e) => n + 2 * e.mutatingCalls, 0);
    const runs = options.runs ?? (options.only === 'interrupt' ? interruptCases : 200);
    const indexes = options.runIndexes ?? Array.from({ length: runs }, (_, i) => i);
    const queue = indexes.map((i) => scenario(options.seed, i, examples, options.only));

    const summary = { runs: 0, converged: 0, duplicates: 0, leaked: 0, unownedTouched: 0, interrupted: 0, faultsFired: 0, faultRunsFailedFirst: 0, concurrentBothOk: 0, concurrentOneRefused: 0, interruptCases, failures: [] };
    await Promise.all(
      worlds.map(async (world) => {
        for (let sc = queue.shift(); sc; sc = queue.shift()) {
          const started = Date.now();
          let result;
          try {
            result = await runOne(world, sc, refs.get(sc.example));
          } catch (error) {
            result = { duplicates: 0, leaked: 0, unownedTouched: 0, interrupted: 0, faultsFired: 0, converged: false, problems: [`the soak itself failed: ${error.stack ?? error}`] };
          }
          summary.runs++;
          if (result.converged) summary.converged++;
          summary.duplicates += result.duplicates;
          summary.leaked += result.leaked;
          summary.unownedTouched += result.unownedTouched;
          summary.interrupted += result.interrupted;
          summary.faultsFired += result.faultsFired ?? 0;
          if (result.firstApplyFailed) summary.faultRunsFailedFirst++;
          if (sc.kind === 'concurrent') summary[result.concurrentBothOk ? 'concurrentBothOk' : 'concurrentOneRefused']++;
          const done = { scenario: sc, ms: Date.now() - started, ...result, replay: replayCommand(options, sc.index, sc.example) };
          if (result.problems.length) {
            summary.failures.push(done);
            if (options.logsDir) done.log = writeRunLog(options.logsDir, sc, result.problems, world);
          }
          options.onRun?.(done);
        }
      }),
    );
    return summary;
  } finally {
    await Promise.all(worlds.map((w) => w.close()));
  }
}

export function summaryLine(s) {
  return `soak: runs ${s.runs}, converged ${s.converged}, duplicates ${s.duplicates}, leaked ${s.leaked}, unowned touched ${s.unownedTouched}, interrupted ${s.interrupted}`;
}

export const EXAMPLES_DIR = resolve(ROOT, 'docs/examples');
