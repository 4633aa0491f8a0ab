/**
 * `npm run conformance -- DIR [FILE...]`: replays every recording in DIR (`*.log` and go-vcr
 * `*.yaml`) against a fresh emulator each, prints one line per exchange that differs, then
 * `N passed, N failed`. Exit code 1 when any exchange differs, 2 on bad usage.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRecording } from './recording.js';
import { describeFailure, replayRecording, summarise, type ExchangeResult } from './runner.js';

export async function runConformance(dir: string, only: string[] = [], out: (line: string) => void = (l) => console.log(l)): Promise<{ passed: number; failed: number; skipped: number; results: ExchangeResult[] }> {
  const files = readdirSync(dir)
    .filter((f) => /\.(log|ya?ml)$/.test(f))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const all: ExchangeResult[] = [];
  for (const f of files) {
    const rec = loadRecording(join(dir, f));
    const results = await replayRecording(rec);
    for (const r of results) if (r.outcome === 'failed') out(`FAIL ${describeFailure(r)}`);
    all.push(...results);
  }
  const s = summarise(all);
  out(`${s.skipped} skipped (prerequisites outside the emulator's model), in ${files.length} recordings`);
  out(`${s.passed} passed, ${s.failed} failed`);
  return s;
}

async function main(argv: string[]): Promise<number> {
  const [dir, ...only] = argv;
  if (!dir || dir === '--help' || dir === '-h') {
    console.error('usage: npm run conformance -- DIR [NAME-FILTER...]');
    return 2;
  }
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch {
    console.error(`conformance: ${dir} is not a directory`);
    return 2;
  }
  const s = await runConformance(dir, only);
  return s.failed > 0 ? 1 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
