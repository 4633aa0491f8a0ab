#!/usr/bin/env node
/**
 * `npm run bench` (part two, after `npm run build`): does serverless-lb's cost stay flat as the
 * project fills with load balancers it has nothing to do with?
 *
 * Against one in-process emulator (no operation latency):
 *   1. `plan` of the config (default docs/examples/global-external.yaml) in an empty project:
 *      median wall time over --runs runs, and its API calls;
 *   2. --lbs unrelated load balancers (default 2,000; six resources each: address, serverless NEG,
 *      backend service, URL map, target HTTP proxy, forwarding rule) inserted through the Compute
 *      REST API, 32 at a time: their wall time (the emulator's target: 12,000 inserts in under a minute);
 *   3. one 500-item list page of backend services: median time (target: under 50 ms);
 *   4. `plan` again: median wall time and API calls;
 *   5. `plan --offline` of a large config (100 Cloud Run backends, 200 host rules with a path rule
 *      each, 100 domains on one Google-managed certificate): median wall time (target: under 2 s).
 * Prints the ratio full / empty (target: at most 1.3) and whether the calls are the same; exits 1
 * when a target is missed. `--format json` prints the figures as one JSON object.
 *
 * Usage: node test/bench/large-project.mjs [--config FILE] [--lbs N] [--runs N] [--format table|json]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(root, 'bin/serverless-lb.js');
const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'docs/examples/global-external.yaml' },
    lbs: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '5' },
    format: { type: 'string', default: 'table' },
  },
});
const config = resolve(process.cwd(), values.config);
const lbs = Number(values.lbs);
const runs = Number(values.runs);
const json = values.format === 'json';
const say = (line = '') => (json ? process.stderr.write(`${line}\n`) : console.log(line));

const { startEmulator } = await import(resolve(root, 'dist/emulator/index.js'));
const emulator = await startEmulator({ port: 0, opLatencyMs: 0 });
const base = `http://127.0.0.1:${emulator.port}`;
const env = { ...process.env, SERVERLESS_LB_EMULATOR_HOST: `127.0.0.1:${emulator.port}`, NO_COLOR: '1', CI: '1' };
const PROJECT = 'demo-project';
const REGION = 'europe-west1';

/** A config at the size of a large real one: 100 backends, 200 host rules, 100 domains. */
function largeConfig() {
  const lines = ['name: big', `project: ${PROJECT}`, 'type: global-external', `region: ${REGION}`, 'backends:'];
  for (let i = 0; i < 100; i++) lines.push(`  - name: svc${i}`, '    cloudRun:', `      service: svc${i}`);
  lines.push('routing:', '  defaultBackend: svc0', '  hosts:');
  for (let i = 0; i < 200; i++) lines.push(`    - hosts: [h${i}.example.com]`, `      defaultBackend: svc${i % 100}`, '      paths:', '        - paths: [/api/*]', `          backend: svc${(i + 1) % 100}`);
  const domains = Array.from({ length: 100 }, (_, i) => `h${i}.example.com`);
  lines.push('frontend:', '  protocol: https-redirect', `  domains: [${domains.join(', ')}]`, 'certificate:', '  type: managed');
  const file = join(mkdtempSync(join(tmpdir(), 'slb-large-')), 'large.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function run(args) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('close', (code) => done({ code, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

/** The request log keeps the newest entries only: count calls by their sequence numbers. */
const lastSeq = () => emulator.ctx.requests.at(-1)?.seq ?? 0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `plan` of a config, --runs times: median wall time and the API calls of one run. */
async function measurePlan(file = config, extra = []) {
  const times = [];
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    const since = lastSeq();
    const r = await run(['plan', '-c', file, ...extra]);
    if (r.code !== 0) throw new Error(`plan failed (exit ${r.code}):\n${r.stderr}`);
    times.push(r.wallMs);
    calls = lastSeq() - since;
  }
  return { ms: median(times), calls };
}

async function post(path, body) {
  const res = await fetch(`${base}/compute/v1/projects/${PROJECT}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

/** One unrelated load balancer, made the way a person with gcloud would (in dependency order). */
async function unrelatedLb(i) {
  const n = `other-${String(i).padStart(5, '0')}`;
  const g = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global`;
  await post('global/addresses', { name: `${n}-ip` });
  await post(`regions/${REGION}/networkEndpointGroups`, { name: `${n}-neg`, networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } });
  await post('global/backendServices', {
    name: `${n}-bs`,
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    protocol: 'HTTPS',
    backends: [{ group: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/regions/${REGION}/networkEndpointGroups/${n}-neg` }],
  });
  await post('global/urlMaps', { name: `${n}-urlmap`, defaultService: `${g}/backendServices/${n}-bs` });
  await post('global/targetHttpProxies', { name: `${n}-proxy`, urlMap: `${g}/urlMaps/${n}-urlmap` });
  await post('global/forwardingRules', { name: `${n}-fr`, loadBalancingScheme: 'EXTERNAL_MANAGED', portRange: '80', IPProtocol: 'TCP', target: `${g}/targetHttpProxies/${n}-proxy`, IPAddress: `${g}/addresses/${n}-ip` });
}

async function seed() {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < lbs) await unrelatedLb(next++);
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return Date.now() - started;
}

async function listPageMs() {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}/compute/v1/projects/${PROJECT}/global/backendServices?maxResults=500`);
    const body = await res.json();
    if ((body.items ?? []).length !== Math.min(500, lbs)) throw new Error(`list page: ${(body.items ?? []).length} items`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

try {
  say(`Large project: plan of ${values.config}, empty project vs ${lbs} unrelated load balancers`);
  const empty = await measurePlan();
  say(`  plan, empty project:        ${empty.ms.toFixed(0)} ms, ${empty.calls} API calls`);
  const seedMs = await seed();
  say(`  ${lbs * 6} inserts (${lbs} load balancers): ${(seedMs / 1000).toFixed(1)} s`);
  const pageMs = await listPageMs();
  say(`  one 500-item list page:     ${pageMs.toFixed(1)} ms`);
  const full = await measurePlan();
  say(`  plan, ${lbs} unrelated LBs:  ${full.ms.toFixed(0)} ms, ${full.calls} API calls`);
  const large = await measurePlan(largeConfig(), ['--offline']);
  say(`  plan --offline, 100 backends / 200 host rules / 100 domains: ${large.ms.toFixed(0)} ms`);
  const ratio = full.ms / empty.ms;
  const figures = { emptyMs: Math.round(empty.ms), fullMs: Math.round(full.ms), ratio: Number(ratio.toFixed(2)), emptyCalls: empty.calls, fullCalls: full.calls, inserts: lbs * 6, insertMs: seedMs, listPageMs: Number(pageMs.toFixed(1)), largeConfigOfflineMs: Math.round(large.ms) };
  const missed = [
    ratio > 1.3 && `plan ratio ${ratio.toFixed(2)} > 1.3`,
    full.calls !== empty.calls && `calls ${full.calls} != ${empty.calls}`,
    pageMs > 50 && `list page ${pageMs.toFixed(1)} ms > 50 ms`,
    large.ms > 2000 && `large config plan --offline ${large.ms.toFixed(0)} ms > 2 s`,
    lbs >= 2000 && seedMs > 60_000 && `${lbs * 6} inserts took ${(seedMs / 1000).toFixed(1)} s > 60 s`,
  ].filter(Boolean);
  say(`  ratio full/empty: ${ratio.toFixed(2)} (target <= 1.3); calls ${full.calls === empty.calls ? 'the same' : 'differ'}${missed.length ? `; MISSED: ${missed.join('; ')}` : ''}`);
  if (json) console.log(JSON.stringify({ ...figures, missed }));
  process.exitCode = missed.length ? 1 : 0;
} finally {
  await emulator.close();
}
