#!/usr/bin/env node
/**
 * `npm run soak` (after `npm run build`): faults, interruptions, look-alikes and concurrent applies
 * against the emulator, over every example in docs/examples; see engine.mjs.
 *
 * Usage: node test/soak/soak.mjs [--runs N] [--seed S] [--example FILE] [--only faults|interrupt|concurrent]
 *                                [--run I] [--workers N] [--op-latency-ms N] [--logs DIR]
 *   --runs N      runs to make (default 200; with --only interrupt: the whole interruption matrix)
 *   --seed S      seed of the schedule and the fault plans (default: a new one, printed)
 *   --example F   only this example (repeatable)
 *   --only KIND   only runs of this kind
 *   --run I       replay run number I alone (what a failing run prints)
 *   --logs DIR    write each failing run's CLI output and API calls to DIR/run-I.json
 * Prints one line per run and, last, `soak: runs N, converged N, duplicates D, leaked L, unowned
 * touched U, interrupted K`. Exit code 1 when any run found a problem.
 */
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLES_DIR, runSoak, summaryLine } from './engine.mjs';
import { ROOT } from './world.mjs';

function usage(message) {
  console.error(`soak: ${message}\nusage: npm run soak -- [--runs N] [--seed S] [--example FILE] [--only faults|interrupt|concurrent] [--run I] [--logs DIR]`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      example: { type: 'string', multiple: true },
      only: { type: 'string' },
      run: { type: 'string', multiple: true },
      workers: { type: 'string' },
      'op-latency-ms': { type: 'string', default: '5' },
      logs: { type: 'string' },
    },
  }));
} catch (error) {
  usage(error.message);
}
const int = (flag, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) usage(`${flag} must be a whole number, not "${text}"`);
  return n;
};
if (values.only && !['faults', 'interrupt', 'concurrent'].includes(values.only)) usage(`--only must be faults, interrupt or concurrent, not "${values.only}"`);
const files = values.example?.length
  ? values.example.map((f) => resolve(process.cwd(), f))
  : readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => resolve(EXAMPLES_DIR, f));
const seed = values.seed ?? String(Math.floor(Math.random() * 1e6));
const options = {
  seed,
  files,
  exampleFlag: Boolean(values.example?.length),
  ...(values.only ? { only: values.only } : {}),
  ...(values.runs !== undefined ? { runs: int('--runs', values.runs) } : {}),
  ...(values.run?.length ? { runIndexes: values.run.map((r) => int('--run', r)) } : {}),
  workers: values.workers ? int('--workers', values.workers) : Math.max(1, Math.min(4, cpus().length)),
  opLatencyMs: int('--op-latency-ms', values['op-latency-ms']),
  ...(values.logs ? { logsDir: resolve(process.cwd(), values.logs) } : {}),
};

const started = Date.now();
console.log(`soak: seed ${seed}, ${files.length} example(s), ${options.workers} worker(s), op latency ${options.opLatencyMs} ms`);
const describe = (sc) =>
  `${sc.kind.padEnd(10)} ${relative(EXAMPLES_DIR, sc.example).padEnd(36)}${sc.kind === 'interrupt' ? ` k=${sc.k} ${sc.signal}` : ''}`;
const summary = await runSoak({
  ...options,
  onReference: (ref) => console.log(`reference  ${relative(EXAMPLES_DIR, ref.file).padEnd(36)} ${ref.owned.length} resources, ${ref.mutatingCalls} mutating calls, apply ${ref.applyMs} ms`),
  onRun: (r) => {
    console.log(`run ${String(r.scenario.index).padStart(4)} ${describe(r.scenario)} ${r.problems.length ? 'FAILED' : 'ok'} ${(r.ms / 1000).toFixed(1)} s`);
    if (r.problems.length) {
      for (const p of r.problems) console.log(`    - ${p}`);
      console.log(`    seed ${r.scenario.runSeed}; replay: ${r.replay}`);
      if (r.log) console.log(`    log: ${relative(process.cwd(), r.log)}`);
    }
  },
});
console.log(`soak: ${summary.faultsFired} faults injected; ${summary.faultRunsFailedFirst} fault run(s) where the first apply gave up and the re-run finished`);
console.log(`soak: concurrent applies: both succeeded ${summary.concurrentBothOk}, one refused with a conflict ${summary.concurrentOneRefused}`);
console.log(`soak: ${summary.failures.length} failed run(s) in ${((Date.now() - started) / 1000).toFixed(0)} s; interruption matrix: ${summary.interruptCases} cases (${relative(ROOT, EXAMPLES_DIR)})`);
for (const f of summary.failures) console.log(`  failed: run ${f.scenario.index} (${f.scenario.kind}): ${f.replay}`);
console.log(summaryLine(summary));
process.exitCode = summary.failures.length ? 1 : 0;
