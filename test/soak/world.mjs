/**
 * One soak worker's world: an emulator started in this process (so every API call the CLI makes is
 * seen as it is logged, and its store can be read directly), the unowned look-alikes seeded into
 * it, and the checks the soak makes on its own state and request log.
 *
 * Contract of the checks (each returns a list of problems, empty when it holds):
 * - `createdTwice`: no resource path was created more than once while applying (no duplicate,
 *   no delete-and-recreate churn).
 * - `ownedDiff`: the resources that exist beyond the baseline are exactly the reference's
 *   (what a clean apply of the example leaves).
 * - `leaks`: after teardown nothing exists beyond the baseline, and the Cloud Run services'
 *   ingress and IAM policies are as they were before the first apply.
 * - `unownedTouched`: no look-alike changed at all, and no API call changed a seeded resource the
 *   example does not use.
 */
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMutating } from '../support/api-calls.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(ROOT, 'bin/serverless-lb.js');
const PROJECT = 'demo-project';

/** Store paths that are bookkeeping, not resources. */
const BOOKKEEPING = /\/(operations|changes)\/|^emulator\//;

/** The store path a mutating call acts on (`projects/p/global/urlMaps/x`), or undefined. */
function targetOf(entry) {
  const path = entry.path.replace(/^\/(compute\/(v1|beta)|v2|v1|dns\/v1)\//, '').replace(/:[a-zA-Z]+$/, '').replace(/\/set[A-Za-z]+$/, '');
  return path.startsWith('projects/') ? path : undefined;
}

export async function startWorld({ opLatencyMs }) {
  const { startEmulator } = await import(resolve(ROOT, 'dist/emulator/index.js'));
  const emulator = await startEmulator({ port: 0, opLatencyMs });
  const ctx = emulator.ctx;
  const host = `127.0.0.1:${emulator.port}`;
  const api = async (method, path, body) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };

  /** Resource paths -> JSON text, bookkeeping left out. */
  const snapshot = () => {
    const out = new Map();
    for (const [path, value] of ctx.store.entries()) if (!BOOKKEEPING.test(path)) out.set(path, JSON.stringify(value));
    return out;
  };

  // Every store write and every API call of the current run, for the checks.
  let creations = new Map();
  let writes = new Map();
  let present = new Set();
  ctx.store.onChange((path, value) => {
    if (BOOKKEEPING.test(path)) return;
    writes.set(path, (writes.get(path) ?? 0) + 1);
    if (value === undefined) present.delete(path);
    else if (!present.has(path)) {
      present.add(path);
      creations.set(path, (creations.get(path) ?? 0) + 1);
    }
  });
  let calls = [];
  // Every CLI run of the current soak run: args, exit code, output (for a failing run's log).
  let invocations = [];
  const callListeners = new Set();
  ctx.onRequest((entry) => {
    calls.push(entry);
    for (const listener of callListeners) listener(entry);
  });

  let baseline = new Map();
  let lookAlikes = new Map();
  let untouchable = new Set();

  const world = {
    host,
    env: { SERVERLESS_LB_EMULATOR_HOST: host, CI: '1', NO_COLOR: '1', IAP_CLIENT_SECRET: 'soak-client-secret' },

    /** Empty emulator (its demo seed), then the look-alikes of `planned`; the baseline recorded. */
    async prepare(planned, lbName, usedServices) {
      await ctx.reset();
      await api('DELETE', '/_emulator/faults');
      await seedLookAlikes(api, planned, lbName);
      await api('POST', '/_emulator/operations/settle');
      baseline = snapshot();
      lookAlikes = new Map([...baseline].filter(([path]) => LOOK_ALIKE.test(path)));
      // Seeded resources the example does not use: no call may change them.
      untouchable = new Set([...baseline.keys()].filter((p) => !LOOK_ALIKE.test(p) && !usedServices.some((s) => p.startsWith(s))));
      world.resetCounters();
    },

    resetCounters() {
      present = new Set(snapshot().keys());
      creations = new Map();
      writes = new Map();
      calls = [];
      invocations = [];
    },

    setFaults: (plan) => api('POST', '/_emulator/faults', plan),
    /** How many times the current plan's rules fired. */
    faultsFired: () => ctx.faults.status().reduce((n, rule) => n + rule.fired, 0),
    clearFaults: () => api('DELETE', '/_emulator/faults'),
    settle: () => api('POST', '/_emulator/operations/settle'),
    calls: () => calls,
    invocations: () => invocations,
    mutatingCalls: () => calls.filter(isMutating),

    /** Runs the CLI; `killAfter: {k, signal}` sends the signal right after the k-th mutating call is logged. */
    cli(args, { killAfter, timeoutMs = 120_000 } = {}) {
      return new Promise((done) => {
        const started = Date.now();
        const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...world.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let seen = 0;
        let killed = false;
        const listener = (entry) => {
          if (!killAfter || killed || !isMutating(entry)) return;
          if (++seen === killAfter.k) {
            killed = true;
            child.kill(killAfter.signal);
          }
        };
        callListeners.add(listener);
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          callListeners.delete(listener);
          const result = { code: code ?? (signal === 'SIGKILL' ? 137 : 1), signal, stdout, stderr, killed, ms: Date.now() - started };
          invocations.push({ args, ...result });
          done(result);
        });
      });
    },

    createdTwice() {
      return [...creations].filter(([, n]) => n > 1).map(([path, n]) => `${path} created ${n} times`);
    },

    /** Resources beyond the baseline, by path. */
    owned() {
      return [...snapshot().keys()].filter((p) => !baseline.has(p)).sort();
    },

    ownedDiff(reference) {
      const now = world.owned();
      const extra = now.filter((p) => !reference.includes(p)).map((p) => `unexpected ${p}`);
      const missing = reference.filter((p) => !now.includes(p)).map((p) => `missing ${p}`);
      return [...extra, ...missing];
    },

    leaks() {
      const now = snapshot();
      const problems = world.owned().map((p) => `left after teardown: ${p}`);
      for (const [path, before] of baseline) {
        if (!/\/services\/[^/]+(\/iamPolicy)?$/.test(path) || !path.includes('/locations/')) continue;
        const after = now.get(path);
        if (after === undefined) problems.push(`deleted: ${path}`);
        else if (path.endsWith('/iamPolicy') ? bindings(after) !== bindings(before) : ingress(after) !== ingress(before)) {
          problems.push(`not restored: ${path} (${path.endsWith('/iamPolicy') ? `${bindings(before)} -> ${bindings(after)}` : `${ingress(before)} -> ${ingress(after)}`})`);
        }
      }
      return problems;
    },

    unownedTouched() {
      const now = snapshot();
      const problems = [];
      for (const [path, before] of lookAlikes) {
        if (now.get(path) !== before || writes.has(path)) problems.push(`look-alike changed: ${path}`);
      }
      for (const entry of calls.filter(isMutating)) {
        const target = targetOf(entry);
        if (target && untouchable.has(target)) problems.push(`${entry.method} ${entry.path} changed a resource the example does not use`);
      }
      return problems;
    },

    close: () => emulator.close(),
  };
  return world;
}

const ingress = (json) => JSON.parse(json).ingress ?? 'unset';
const bindings = (json) => JSON.stringify((JSON.parse(json).bindings ?? []).map((b) => `${b.role}=${[...(b.members ?? [])].sort()}`).sort());

/** Look-alikes are named `<planned name>-lookalike` (DNS: `lookalike.<planned name>` A records and TXT records at planned names). */
const LOOK_ALIKE = /-lookalike$|\/rrsets\/lookalike\.[^/]*$|\/rrsets\/[^/]+:TXT$/;

/**
 * Resources of the same kinds as the plan's, with similar names, that serverless-lb does not own:
 * some with no mark, some marked for another load balancer whose name starts like this one's, and
 * an unowned TXT record at each planned DNS name. The tool must never change or delete them.
 */
async function seedLookAlikes(api, planned, lbName) {
  const base = `/compute/v1/projects/${PROJECT}`;
  const otherMark = (i) => (i % 2 ? `[serverless-lb:${lbName}-old] look-alike of another load balancer` : 'hand-made, not serverless-lb');
  let i = 0;
  const scopePath = (step) => (step.scope === 'global' ? 'global' : step.scope);
  const made = new Set();
  for (const step of planned) {
    const name = `${step.name}-lookalike`.slice(0, 63);
    const where = scopePath(step);
    const key = `${step.kind}:${where}:${name}`;
    if (made.has(key)) continue;
    made.add(key);
    const description = otherMark(i++);
    switch (step.kind) {
      case 'address':
        await api('POST', `${base}/${where}/addresses`, { name, description });
        break;
      case 'backendService':
        await api('POST', `${base}/${where}/backendServices`, {
          name,
          description,
          loadBalancingScheme: where === 'global' ? 'EXTERNAL_MANAGED' : 'INTERNAL_MANAGED',
          protocol: 'HTTPS',
        });
        break;
      case 'networkEndpointGroup':
        if (where !== 'global') {
          await api('POST', `${base}/${where}/networkEndpointGroups`, { name, description, networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } });
        }
        break;
      case 'securityPolicy':
        await api('POST', `${base}/global/securityPolicies`, { name, description });
        break;
      case 'dnsRecordSet': {
        // An AAAA record set (`NAME./AAAA`, dual stack) shares its name with the A one, which seeds the look-alikes.
        if (/\/[A-Z]+$/.test(step.name)) break;
        const zone = `/dns/v1/projects/${PROJECT}/managedZones/example-com`;
        const dnsName = step.name.endsWith('.') ? step.name : `${step.name}.`;
        await api('POST', `${zone}/changes`, {
          additions: [
            // No other record may share a name with the CNAME of a DNS authorization.
            ...(dnsName.startsWith('_acme-challenge.') ? [] : [{ name: dnsName, type: 'TXT', ttl: 300, rrdatas: ['"owned by someone else"'] }]),
            { name: `lookalike.${dnsName}`, type: 'A', ttl: 300, rrdatas: ['203.0.113.7'] },
          ],
        });
        break;
      }
      default:
        break;
    }
  }
}
