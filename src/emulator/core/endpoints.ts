/**
 * The emulator-only endpoints under `/_emulator/` (never logged, never affected by faults):
 *   GET    /_emulator/                 index of these endpoints (JSON)
 *   GET    /_emulator/requests         request log; `?since=SEQ` returns entries after SEQ
 *   DELETE /_emulator/requests         clears the request log
 *   POST   /_emulator/reset            clears every resource, operation, log entry and fault counter; reloads the seed
 *   GET    /_emulator/faults           current fault plan and per-rule counters
 *   POST   /_emulator/faults           replaces the fault plan (body: plan as JSON, or YAML text)
 *   DELETE /_emulator/faults           removes every fault rule
 *   GET    /_emulator/resources        every stored resource; `?prefix=projects/P/global` narrows
 *                                      (values of `privateKey` fields are redacted)
 *   POST   /_emulator/operations/settle completes every pending operation now
 * Other modules add theirs (e.g. `/_emulator/dataplane`) with a `description` route option.
 */
import type { EmulatorContext } from './context.js';
import { FaultPlanError, parseFaultPlan } from './faults.js';
import { rpcError } from './http.js';
import type { Json, JsonObject } from './store.js';

export function installEmulatorEndpoints(ctx: EmulatorContext): void {
  const r = ctx.router;
  const index = () => ({
    status: 200,
    body: {
      endpoints: r
        .list()
        .filter((route) => route.pattern.startsWith('/_emulator/'))
        .map((route) => ({ method: route.method, path: route.pattern, description: route.options.description ?? '' })),
      hosts: ctx.hosts,
      options: {
        opLatencyMs: ctx.options.opLatencyMs,
        seed: typeof ctx.options.seed === 'string' ? ctx.options.seed : ctx.options.seed === false ? false : ctx.options.seed === undefined ? 'built-in' : 'inline',
      },
    },
  });
  r.add('GET', '/_emulator/', index, { description: 'this index', errorStyle: 'rpc' });
  r.add('GET', '/_emulator', index, { errorStyle: 'rpc' });

  r.add(
    'GET',
    '/_emulator/requests',
    (req) => {
      const since = Number(req.query.get('since') ?? '0');
      return { status: 200, body: { requests: ctx.requests.filter((e) => e.seq > since) } };
    },
    { description: 'log of every API call: method, path, query, status, time (?since=SEQ)', errorStyle: 'rpc' },
  );
  r.add(
    'DELETE',
    '/_emulator/requests',
    () => {
      ctx.requests.length = 0;
      return { status: 200, body: {} };
    },
    { description: 'clear the request log', errorStyle: 'rpc' },
  );
  r.add(
    'POST',
    '/_emulator/reset',
    async () => {
      await ctx.reset();
      return { status: 200, body: { reset: true, resources: ctx.store.size } };
    },
    { description: 'clear all state and reload the seed', errorStyle: 'rpc' },
  );
  r.add(
    'GET',
    '/_emulator/faults',
    () => ({ status: 200, body: { plan: ctx.faults.getPlan(), rules: ctx.faults.status() } }),
    { description: 'current fault plan and per-rule counters', errorStyle: 'rpc' },
  );
  r.add(
    'POST',
    '/_emulator/faults',
    (req) => {
      try {
        ctx.faults.setPlan(parseFaultPlan(req.body ?? { rules: [] }));
      } catch (e) {
        if (e instanceof FaultPlanError) return rpcError(400, e.message);
        throw e;
      }
      return { status: 200, body: { plan: ctx.faults.getPlan() } };
    },
    { description: 'replace the fault plan (JSON or YAML body)', errorStyle: 'rpc' },
  );
  r.add(
    'DELETE',
    '/_emulator/faults',
    () => {
      ctx.faults.setPlan({ rules: [] });
      return { status: 200, body: { plan: ctx.faults.getPlan() } };
    },
    { description: 'remove every fault rule', errorStyle: 'rpc' },
  );
  r.add(
    'GET',
    '/_emulator/resources',
    (req) => {
      const prefix = req.query.get('prefix') ?? '';
      const resources = ctx.store
        .entries()
        .filter(([k]) => k.startsWith(prefix))
        .map(([path, value]) => ({ path, value: redactSecrets(value) }));
      return { status: 200, body: { resources } };
    },
    { description: 'every stored resource (?prefix=projects/P/...)', errorStyle: 'rpc' },
  );
  r.add(
    'POST',
    '/_emulator/operations/settle',
    async () => {
      const pending = ctx.operations.pending();
      await ctx.operations.settleAll();
      return { status: 200, body: { settled: pending } };
    },
    { description: 'complete every pending operation now', errorStyle: 'rpc' },
  );
}

/** A copy of a JSON value with every `privateKey` field's value replaced. */
export function redactSecrets(value: Json): Json {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'privateKey' ? '[redacted]' : redactSecrets(v);
    return out;
  }
  return value;
}
