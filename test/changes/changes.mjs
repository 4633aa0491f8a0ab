#!/usr/bin/env node
/**
 * `npm run changes` (after `npm run build`): the change-safety suite. Each transition of
 * transitions.mjs applies its "before" config to a fresh emulator, starts steady traffic through the
 * data plane, applies the "after" config, and counts the requests that failed (engine.mjs).
 *
 * Usage: node test/changes/changes.mjs [--transition TEXT] [--example FILE] [--cert-provisioning-ms N] [--list]
 *   --transition TEXT      only the transitions whose name contains TEXT (repeatable)
 *   --example FILE         only the transitions of this example (e.g. classic.yaml; repeatable)
 *   --cert-provisioning-ms how long a new managed certificate stays PROVISIONING (default 3000, longer than an apply)
 *   --list                 print the transitions' names and stop
 * Prints one line per transition (a failing one with its problems and the command that replays it
 * alone), then `changes: transitions N, requests R, failed F, disruptive-by-design D`. Exit code 1
 * when any transition failed.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { runTransition, summaryLine } from './engine.mjs';
import { TRANSITIONS } from './transitions.mjs';

let values;
try {
  ({ values } = parseArgs({
    options: {
      transition: { type: 'string', multiple: true },
      example: { type: 'string', multiple: true },
      'cert-provisioning-ms': { type: 'string', default: '3000' },
      list: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`changes: ${error.message}\nusage: npm run changes -- [--transition TEXT] [--example FILE] [--cert-provisioning-ms N] [--list]`);
  process.exit(2);
}
const certProvisioningMs = Number(values['cert-provisioning-ms']);
if (!Number.isInteger(certProvisioningMs) || certProvisioningMs < 0) {
  console.error(`changes: --cert-provisioning-ms must be a whole number, not "${values['cert-provisioning-ms']}"`);
  process.exit(2);
}
const chosen = TRANSITIONS.filter(
  (t) => (!values.transition?.length || values.transition.some((text) => t.name.includes(text))) && (!values.example?.length || values.example.some((f) => basename(f) === t.example)),
);
if (chosen.length === 0) {
  console.error('changes: no transition matches; --list shows them');
  process.exit(2);
}
if (values.list) {
  for (const t of chosen) console.log(t.name);
  process.exit(0);
}

const results = [];
for (const transition of chosen) {
  const started = Date.now();
  const result = await runTransition(transition, { certProvisioningMs });
  results.push(result);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${transition.name}: ${result.requests} requests, ${result.failed} failed${result.disruptive ? ', disruptive by design' : ''} (${seconds}s)`);
  if (!result.ok) {
    for (const problem of result.problems) console.log(`       ${problem}`);
    console.log(`       replay: npm run changes -- --transition ${JSON.stringify(transition.name)} --cert-provisioning-ms ${certProvisioningMs}`);
  }
}
console.log(summaryLine(results));
process.exit(results.every((r) => r.ok) ? 0 : 1);
