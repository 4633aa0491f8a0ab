/**
 * One change-safety transition against the emulator, the way a team changes a live load balancer:
 *   1. a fresh emulator (managed certificates take `certProvisioningMs` to turn ACTIVE, longer than
 *      an apply), the "before" config applied and verified (certificates ACTIVE);
 *   2. steady traffic to every host and listener that both "before" and "after" serve (traffic.mjs);
 *   3. `apply --yes` of the "after" config (with --allow-disruption when the transition removes what
 *      it asked to remove), then `apply --yes --wait-certificates` until nothing is left pending,
 *      then `verify --wait`; traffic keeps running throughout;
 *   4. traffic stopped; its failures counted; a further apply must make zero mutating calls.
 *
 * A transition passes when no request failed, every command exited 0, the change made at least
 * one mutating call and the last apply changed nothing. Runs the built CLI (bin/serverless-lb.js -> dist/) against an in-process emulator.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { isMutating } from '../support/api-calls.mjs';
import { startTraffic } from './traffic.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES_DIR = resolve(ROOT, 'docs/examples');
const CLI = resolve(ROOT, 'bin/serverless-lb.js');

/** The example's config with its file references made absolute (the temp config lives elsewhere). */
export function loadExample(file) {
  const config = parse(readFileSync(resolve(EXAMPLES_DIR, file), 'utf8'));
  for (const key of ['certificateFile', 'privateKeyFile']) {
    if (config.certificate?.[key]) config.certificate[key] = resolve(EXAMPLES_DIR, config.certificate[key]);
  }
  // Clients reach the domains through DNS, and Google provisions a managed certificate only once
  // they resolve to the load balancer: the records go in the emulator's example.com zone.
  if (config.frontend?.domains?.length && !config.dns) config.dns = { managedZone: 'example-com' };
  return config;
}

function runCli(args, env, timeoutMs = 120_000) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ args, code: code ?? 1, stdout, stderr });
    });
  });
}

/** The listeners (protocol, port) a config serves. */
function listenersOf(config) {
  const protocol = config.frontend?.protocol ?? 'https';
  const port = config.frontend?.port;
  if (protocol === 'http') return [{ protocol: 'HTTP', port: port ?? 80 }];
  const https = { protocol: 'HTTPS', port: port ?? 443 };
  return protocol === 'https-redirect' ? [https, { protocol: 'HTTP', port: 80 }] : [https];
}

/** Hosts on listeners that both configs serve: the traffic a change must not break. */
export function sharedTargets(before, after) {
  const hosts = (c) => (c.frontend?.domains ?? []).filter((d) => !d.startsWith('*.'));
  const afterListeners = listenersOf(after);
  const listeners = listenersOf(before).filter((l) => afterListeners.some((a) => a.protocol === l.protocol && a.port === l.port));
  const both = hosts(before).filter((h) => hosts(after).includes(h));
  // No domain in common: the bare address (HTTP only: HTTPS without SNI names no host).
  return listeners.flatMap((l) => (both.length ? both.map((host) => ({ host, ...l })) : l.protocol === 'HTTP' ? [{ host: 'ADDRESS', ...l }] : []));
}

/**
 * A fresh in-process emulator for one run: the environment that points the CLI at it, the CLI run
 * against it (each run kept in `commands`), configs written to a temp folder, and the mutating
 * calls a piece of work makes (a further apply must make none).
 */
async function startWorld(prefix, emulatorOptions) {
  const { startEmulator } = await import(resolve(ROOT, 'dist/emulator/index.js'));
  const emulator = await startEmulator({ port: 0, ...emulatorOptions });
  const env = { SERVERLESS_LB_EMULATOR_HOST: `127.0.0.1:${emulator.port}` };
  const calls = [];
  emulator.ctx.onRequest((entry) => calls.push(entry));
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const commands = [];
  return {
    emulator,
    commands,
    dir,
    async cli(args) {
      const run = await runCli(args, env);
      commands.push(run);
      return run;
    },
    write(name, config) {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, stringify(config));
      return file;
    },
    async mutatingCallsOf(work) {
      const mark = calls.length;
      const run = await work();
      return { run, mutating: calls.slice(mark).filter((c) => isMutating(c)) };
    },
  };
}

/** A further apply of `file` must exit 0 and change nothing: its problems. */
async function furtherApplyProblems(world, file) {
  const { run, mutating } = await world.mutatingCallsOf(() => world.cli(['apply', '--yes', '--no-verify', '-c', file]));
  const problems = [];
  if (run.code !== 0) problems.push(`a further apply exited ${run.code}: ${lastLines(run.stderr)}`);
  if (mutating.length > 0) problems.push(`a further apply made ${mutating.length} mutating call(s): ${mutating.map((c) => `${c.method} ${c.path}`).join(', ')}`);
  return { problems, mutating };
}

/**
 * Runs one transition. `transition`: { name, example, before?(config, dir), after(config, dir),
 * allowDisruption?, files?(config) }. `files` (async) gives certificate files by name:
 * `{before, after, trust?}`; `before` is written to `dir` before the first apply, `after` over it
 * once traffic runs (a certificate renewed, a CA rotated, under the same file names); the clients
 * trust every certificate in them and the PEMs in `trust`.
 * `everythingBefore`: send traffic to all "before" serves, also what "after" removes (a control
 * that must count failures).
 * Resolves with { name, ok, requests, failed, problems, commands, calls }.
 */
export async function runTransition(transition, { certProvisioningMs = 3000, opLatencyMs = 20, everythingBefore = false } = {}) {
  const world = await startWorld('slb-changes-', { opLatencyMs, certificateProvisioningMs: certProvisioningMs });
  const { emulator, commands, cli } = world;
  const problems = [];
  let traffic;
  let records = [];
  try {
    const base = loadExample(transition.example);
    const files = transition.files ? await transition.files(base) : undefined;
    for (const [name, content] of Object.entries(files?.before ?? {})) writeFileSync(join(world.dir, name), content);
    const before = transition.before ? transition.before(structuredClone(base), world.dir) : base;
    const after = transition.after(structuredClone(before), world.dir);
    const beforeFile = world.write('before', before);
    const afterFile = world.write('after', after);

    const settle = `${Math.ceil(certProvisioningMs / 1000) + 30}s`;
    const first = await cli(['apply', '--yes', '-c', beforeFile, '--wait', settle]);
    if (first.code !== 0) {
      problems.push(`the "before" apply exited ${first.code}: ${lastLines(first.stderr)}`);
      return result();
    }
    const address = (await emulatorAddresses(emulator.url, before.name))[0];
    // `everythingBefore` (a negative control): also what "after" no longer serves.
    const targets = sharedTargets(before, everythingBefore ? before : after).map((t) => (t.host === 'ADDRESS' ? { ...t, host: address } : t));
    // Clients trust the emulator CA (managed certificates) and the examples' self-signed certificate.
    const trust = [readFileSync(resolve(EXAMPLES_DIR, 'certs/example.com.crt'), 'utf8'), ...(files?.trust ?? []), ...Object.values({ ...files?.before, ...files?.after }).filter((c) => c.includes('BEGIN CERTIFICATE'))];
    traffic = await startTraffic({ emulatorUrl: emulator.url, lbName: before.name, targets, trust });
    await new Promise((r) => setTimeout(r, 300));
    for (const [name, content] of Object.entries(files?.after ?? {})) writeFileSync(join(world.dir, name), content);

    const { run: change, mutating: changed } = await world.mutatingCallsOf(() => cli(['apply', '--yes', '--no-verify', '-c', afterFile, ...(transition.allowDisruption ? ['--allow-disruption'] : [])]));
    if (change.code !== 0) problems.push(`the change exited ${change.code}: ${lastLines(change.stderr)}`);
    // A transition whose change calls nothing proves nothing (a renewed file not seen, say).
    else if (changed.length === 0) problems.push('the change made no mutating call: the plan saw no difference');
    else {
      const finish = await cli(['apply', '--yes', '--no-verify', '-c', afterFile, '--wait-certificates', settle, ...(transition.allowDisruption ? ['--allow-disruption'] : [])]);
      if (finish.code !== 0) problems.push(`finishing the change exited ${finish.code}: ${lastLines(finish.stderr)}`);
      const verify = await cli(['verify', '-c', afterFile, '--wait', settle]);
      if (verify.code !== 0) problems.push(`verify after the change exited ${verify.code}: ${lastLines(verify.stderr + verify.stdout)}`);
    }
    records = await traffic.stop();
    traffic = undefined;
    problems.push(...(await furtherApplyProblems(world, afterFile)).problems);
    return result();
  } catch (error) {
    problems.push(`crashed: ${error?.stack ?? error}`);
    return result();
  } finally {
    if (traffic) records = await traffic.stop();
    await emulator.close();
  }

  function result() {
    const failures = records.flatMap((r) => r.failures.map((f) => ({ target: `${r.target.protocol} ${r.target.host}:${r.target.port}`, ...f })));
    const requests = records.reduce((n, r) => n + r.sent, 0);
    if (failures.length > 0) problems.push(`${failures.length} of ${requests} requests failed, first: ${JSON.stringify(failures[0])}`);
    return { name: transition.name, ok: problems.length === 0, requests, failed: failures.length, failures, problems, commands, disruptive: Boolean(transition.allowDisruption) };
  }
}

async function emulatorAddresses(url, lbName) {
  const map = await (await fetch(`${url}/_emulator/dataplane`)).json();
  return [...new Set(map.listeners.filter((l) => l.forwardingRule?.startsWith(`${lbName}-`)).map((l) => l.address))];
}

function lastLines(text, n = 6) {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/** The suite's last line. */
export function summaryLine(results) {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const disruptive = results.filter((r) => r.disruptive).length;
  return `changes: transitions ${results.length}, requests ${requests}, failed ${failed}, disruptive-by-design ${disruptive}`;
}

/**
 * Google's classic -> global external migration of docs/examples/classic.yaml under steady traffic:
 * `stages` are the migration.trafficPercent values applied one after another (each apply waits
 * `stageMs` with traffic flowing); `finish` then sets type global-external (at 100), or `rollback`
 * removes the migration. Resolves with the traffic records, the share answered by the global
 * external infrastructure during each stage, the load balancer's IPs before and after, the schemes
 * and migration states stored at the end, the problems found and the mutating calls of a further apply.
 */
export async function runMigration({ stages, end, stageMs = 3000, opLatencyMs = 20 }) {
  const world = await startWorld('slb-migration-', { opLatencyMs });
  const { emulator, write, cli } = world;
  const problems = [];
  const shares = [];
  let traffic;
  let records = [];
  const apply = async (file) => {
    const run = await cli(['apply', '--yes', '--no-verify', '-c', file]);
    if (run.code !== 0) problems.push(`apply ${file} exited ${run.code}: ${lastLines(run.stderr)}`);
    return run;
  };
  try {
    const base = loadExample('classic.yaml');
    const first = await cli(['apply', '--yes', '-c', write('before', base), '--wait', '30s']);
    if (first.code !== 0) throw new Error(`the classic apply exited ${first.code}: ${lastLines(first.stderr)}`);
    const ipsBefore = await emulatorAddresses(emulator.url, base.name);
    traffic = await startTraffic({ emulatorUrl: emulator.url, lbName: base.name, targets: sharedTargets(base, base), intervalMs: 10 });
    for (const percent of stages) {
      const stageFile = write(`stage-${percent}`, { ...base, migration: { trafficPercent: percent } });
      await apply(stageFile);
      // verify checks the load balancer at each stage.
      const verify = await cli(['verify', '-c', stageFile, '--wait', '20s']);
      if (verify.code !== 0) problems.push(`verify at ${percent} % exited ${verify.code}: ${lastLines(verify.stderr + verify.stdout)}`);
      const from = Date.now();
      await new Promise((r) => setTimeout(r, stageMs));
      shares.push({ percent, share: shareBetween(traffic, from, Date.now()) });
    }
    const last = end === 'finish' ? { ...base, type: 'global-external', migration: { trafficPercent: 100 } } : base;
    const lastFile = write('end', last);
    await apply(lastFile);
    await new Promise((r) => setTimeout(r, stageMs / 2));
    records = await traffic.stop();
    traffic = undefined;
    const further = await furtherApplyProblems(world, lastFile);
    problems.push(...further.problems);
    const mutating = further.mutating;
    const store = [...emulator.ctx.store.entries()].filter(([path]) => /\/(backendServices|forwardingRules)\//.test(path));
    const state = store.map(([path, v]) => ({ path, scheme: v.loadBalancingScheme, migration: v.externalManagedMigrationState }));
    return { ok: problems.length === 0, problems, records, shares, ipsBefore, ipsAfter: await emulatorAddresses(emulator.url, base.name), state, mutating };
  } finally {
    if (traffic) await traffic.stop();
    await emulator.close();
  }
}

/** The share (0-1) of the requests answered between two instants that the global external infrastructure answered. */
function shareBetween(traffic, from, to) {
  const answers = traffic.records().flatMap((r) => r.answeredBy.filter((a) => a.at >= from && a.at <= to));
  return answers.length === 0 ? 0 : answers.filter((a) => a.scheme === 'EXTERNAL_MANAGED').length / answers.length;
}
