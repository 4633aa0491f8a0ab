#!/usr/bin/env node
/**
 * Benchmark of apply and teardown against the emulator (`npm run bench`, after `npm run build`).
 *
 * Starts the emulator with --op-latency-ms (default 200), runs the built CLI's apply and then its
 * teardown on a config (default docs/examples/multi-region.yaml, global external, several regions,
 * HTTPS + redirect) and prints, for each:
 *   - wall time of the command (whole process, including SDK loading),
 *   - walk time (from the first step to the last),
 *   - the sum of the steps' times: what running them one after another would cost,
 *   - the critical path: the longest chain of dependent steps, each weighted by its measured time,
 *   - the API calls by method and collection, from the emulator's request log.
 * Usage: node test/bench/apply-bench.mjs [--config FILE] [--op-latency-ms N] [--concurrency N]
 */
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    config: { type: 'string', default: resolve(root, 'docs/examples/multi-region.yaml') },
    'op-latency-ms': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
  },
});
const { startEmulator } = await import(resolve(root, 'dist/emulator/index.js'));
const emulator = await startEmulator({ port: 0, opLatencyMs: Number(values['op-latency-ms']) });
const host = `127.0.0.1:${emulator.port}`;

function cli(args) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [resolve(root, 'bin/serverless-lb.js'), ...args], {
      env: { ...process.env, SERVERLESS_LB_EMULATOR_HOST: host, NO_COLOR: '1', CI: '1', IAP_CLIENT_SECRET: 'bench' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

async function requestLog() {
  const body = await (await fetch(`http://${host}/_emulator/requests`)).json();
  return Array.isArray(body) ? body : body.requests;
}

/** `POST backendServices`, `POST operations/wait`, `GET rrsets`... */
function callKind(entry) {
  const parts = entry.path.split('?')[0].split('/').filter(Boolean);
  const collections = ['addresses', 'sslCertificates', 'securityPolicies', 'networkEndpointGroups', 'backendServices', 'urlMaps', 'targetHttpProxies', 'targetHttpsProxies', 'forwardingRules', 'subnetworks', 'operations', 'rrsets', 'changes', 'services', 'regions', 'projects'];
  let kind = 'other';
  for (let i = parts.length - 1; i >= 0; i--) if (collections.includes(parts[i])) { kind = parts[i]; break; }
  if (kind === 'projects' && parts.length > 4) kind = 'other';
  const last = parts.at(-1);
  const verb = /^(wait|set\w+|addRule|patchRule|removeRule)$/.test(last) ? `/${last}` : '';
  return `${entry.method} ${kind}${verb}`;
}

/** Longest path through the steps' dependencies, weighted by each step's measured time. */
function criticalPath(steps) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map();
  const longest = (id) => {
    if (memo.has(id)) return memo.get(id);
    const step = byId.get(id);
    const before = Math.max(0, ...(step.dependsOn ?? []).filter((d) => byId.has(d)).map(longest));
    const total = before + (step.elapsedMs ?? 0);
    memo.set(id, total);
    return total;
  };
  return Math.max(0, ...steps.map((s) => longest(s.id)));
}

async function measure(label, args) {
  const since = (await requestLog()).length;
  const run = await cli([...args, '--yes', '-c', values.config, '--format', 'json', '--concurrency', values.concurrency]);
  if (run.code !== 0) {
    console.error(run.stderr);
    throw new Error(`${label} failed with exit code ${run.code}`);
  }
  const result = JSON.parse(run.stdout);
  const walk = result.apply ?? result.teardown;
  const deps = new Map(result.plan.steps.map((s) => [s.id, s.dependsOn]));
  const steps = walk.steps.map((s) => ({ ...s, dependsOn: deps.get(s.id) ?? [] }));
  const calls = (await requestLog()).slice(since);
  const byKind = {};
  for (const c of calls) byKind[callKind(c)] = (byKind[callKind(c)] ?? 0) + 1;
  const sum = steps.reduce((t, s) => t + s.elapsedMs, 0);
  console.log(`\n${label}: ${steps.length} steps, ${walk.mutatingCalls} mutating calls`);
  console.log(`  wall time (whole command)      ${(run.wallMs / 1000).toFixed(2)} s`);
  console.log(`  walk time (first to last step) ${(walk.elapsedMs / 1000).toFixed(2)} s`);
  console.log(`  sum of step times (sequential) ${(sum / 1000).toFixed(2)} s`);
  console.log(`  critical path (measured)       ${(criticalPath(steps) / 1000).toFixed(2)} s`);
  console.log(`  API calls: ${calls.length}`);
  for (const [kind, n] of Object.entries(byKind).sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(4)}  ${kind}`);
}

try {
  console.log(`config ${values.config}, op latency ${values['op-latency-ms']} ms, concurrency ${values.concurrency}`);
  await measure('apply', ['apply', '--no-verify']);
  await measure('teardown', ['teardown']);
} finally {
  await emulator.close();
}
