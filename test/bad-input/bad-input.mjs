#!/usr/bin/env node
/**
 * `npm run bad-input` (after `npm run build`): runs the bad-input corpus and prints one line per
 * case, the failing cases' errors, and last `bad input: cases N, exit 2 N, named N, mutations 0`.
 * Usage: node test/bad-input/bad-input.mjs [--case ID]...   Exit code 1 when a case fails.
 */
import { parseArgs } from 'node:util';
import { runCorpus, summaryLine } from './run-corpus.mjs';

const { values } = parseArgs({ options: { case: { type: 'string', multiple: true } } });
const summary = await runCorpus({
  ...(values.case?.length ? { only: values.case } : {}),
  onCase: (o) => {
    console.log(`${o.reasons.length ? 'FAIL' : 'ok  '} ${o.id.padEnd(30)} ${o.what}`);
    if (o.reasons.length) {
      for (const r of o.reasons) console.log(`       - ${r}`);
      for (const line of o.stderr.trim().split('\n').slice(-6)) console.log(`       | ${line.slice(0, 200)}`);
    }
  },
});
console.log(summaryLine(summary));
process.exitCode = summary.outcomes.some((o) => o.reasons.length) ? 1 : 0;
