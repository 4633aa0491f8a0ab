/**
 * What each soak run does: the schedule of runs and the random fault plans, both pure and seeded,
 * so that (seed, run number, examples, --only) always gives the same run and a failure can be
 * replayed alone.
 *
 * Kinds of run:
 *   faults     a random fault plan (transient errors, operation errors, connection resets before
 *              and after a call ran, slow operations, latency spikes) on apply and on teardown
 *   interrupt  the apply process killed (SIGKILL) or interrupted (SIGINT) right after its k-th
 *              mutating call, for every k from 1 to the example's number of mutating calls
 *   concurrent two applies of the same config started at once
 */
import { seededRandom } from '../../dist/emulator/core/ids.js';

/** The emulator's seeded generator: the same seed, the same sequence. */
export { seededRandom };

const pick = (random, list) => list[Math.floor(random() * list.length)];
const between = (random, low, high) => low + Math.floor(random() * (high - low + 1));

/** Paths of the calls that change something, per API (globs of the emulator's fault rules). */
const MUTATING_PATHS = [
  { method: ['POST', 'PATCH', 'DELETE'], pathRegex: '^/compute/v1/projects/[^/]+/(global|regions/[^/]+)/[a-zA-Z]+(/[^/]+)?(/set[A-Za-z]+)?$' },
  { method: ['POST', 'DELETE'], pathRegex: '^/compute/beta/projects/' },
  { method: ['PATCH', 'POST'], pathRegex: '^/v2/projects/[^/]+/locations/[^/]+/services/[^/:]+(:setIamPolicy)?$' },
  { method: 'POST', pathRegex: '^/dns/v1/projects/[^/]+/managedZones/[^/]+/changes$' },
  { method: ['POST', 'PATCH', 'DELETE'], pathRegex: '^/v1/projects/[^/]+/locations/[^/]+/(dnsAuthorizations|certificates|certificateMaps)' },
];
const READ_PATHS = { method: 'GET', pathRegex: '^/(compute|v2|dns|v1)/' };

/**
 * A random plan of transient faults, the kind a real project sees: nothing in it is permanent,
 * so a plain re-run after it must always finish the job.
 */
export function randomFaultPlan(random) {
  const rules = [];
  const count = between(random, 2, 5);
  for (let i = 0; i < count; i++) {
    const target = pick(random, MUTATING_PATHS);
    const nth = between(random, 1, 4);
    switch (pick(random, ['status', 'status', 'spread', 'operationError', 'resetBefore', 'resetAfter', 'slowOperation', 'readSpike'])) {
      case 'status': {
        const [status, reason] = pick(random, [[503, 'backendError'], [500, 'internalError'], [429, 'rateLimitExceeded']]);
        rules.push({ ...target, nth, status, reason });
        break;
      }
      case 'spread':
        rules.push({ ...target, probability: 0.15, times: 3, status: pick(random, [503, 429]) });
        break;
      case 'operationError':
        rules.push({
          ...MUTATING_PATHS[0],
          nth,
          operationError: pick(random, [
            { code: 'RESOURCE_NOT_READY', message: 'The resource is not ready', httpErrorStatusCode: 400 },
            { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate Limit Exceeded', httpErrorStatusCode: 403 },
          ]),
        });
        break;
      case 'resetBefore':
        rules.push({ ...target, nth, reset: 'before' });
        break;
      case 'resetAfter':
        rules.push({ ...target, nth, reset: 'after' });
        break;
      case 'slowOperation':
        rules.push({ ...MUTATING_PATHS[0], probability: 0.3, operationLatencyMs: between(random, 300, 1500) });
        break;
      case 'readSpike':
        rules.push({ ...READ_PATHS, probability: 0.1, times: 4, latencyMs: between(random, 100, 600) });
        break;
    }
  }
  return { seed: Math.floor(random() * 1e9), rules };
}

/**
 * Every (example, k, signal) of the interruption matrix, examples interleaved so that any stretch
 * of it spreads over all of them; each k gets both signals.
 */
export function interruptionMatrix(examples) {
  const perExample = examples.map((e) => {
    const cases = [];
    for (let k = 1; k <= e.mutatingCalls; k++) for (const signal of ['SIGKILL', 'SIGINT']) cases.push({ example: e.file, k, signal });
    return cases;
  });
  const out = [];
  for (let i = 0; perExample.some((c) => i < c.length); i++) for (const cases of perExample) if (i < cases.length) out.push(cases[i]);
  return out;
}

/** The kinds of run of the default mix, one per run number: half interruptions, 4 in 10 fault plans, 1 in 10 concurrent. */
const MIX = ['interrupt', 'faults', 'interrupt', 'faults', 'interrupt', 'concurrent', 'interrupt', 'faults', 'interrupt', 'faults'];

/**
 * The run with number `index` (0-based). `examples`: [{file, mutatingCalls}] in a stable order;
 * `only`: a kind of run, or undefined for the mix. Interruption runs walk the matrix from a
 * seed-chosen offset, so the default 200 runs cover a different part of it for each seed and
 * `--only interrupt` with runs = matrix size covers all of it.
 */
export function scenario(seed, index, examples, only) {
  const random = seededRandom(`${seed}:${index}`);
  const kind = only ?? MIX[index % MIX.length];
  const runSeed = `${seed}:${index}`;
  if (kind === 'interrupt') {
    const matrix = interruptionMatrix(examples);
    const offset = Math.floor(seededRandom(`${seed}:offset`)() * matrix.length);
    const ordinal = only ? index : MIX.slice(0, index % MIX.length).filter((k) => k === 'interrupt').length + Math.floor(index / MIX.length) * MIX.filter((k) => k === 'interrupt').length;
    return { kind, runSeed, index, ...matrix[(offset + ordinal) % matrix.length] };
  }
  const example = pick(random, examples).file;
  if (kind === 'faults') return { kind, runSeed, index, example, applyFaults: randomFaultPlan(random), teardownFaults: randomFaultPlan(random) };
  return { kind: 'concurrent', runSeed, index, example };
}
