/**
 * Fault plans: which API calls fail, slow down, or start an operation that ends in error.
 *
 * A plan is `{ "seed"?: number|string, "rules": [Rule...] }` (or just the array of rules), read from
 * JSON or YAML. A rule:
 *   method?       "POST" or ["POST","PATCH"]; any method when absent
 *   path?         glob over the URL path: `*` = any run of characters except `/`, `**` = anything
 *   pathRegex?    JavaScript regular expression over the URL path (instead of / besides `path`)
 *   body?         object that must be a deep subset of the JSON request body
 *   bodyContains? substring of the raw request body
 *   nth?          1-based call number(s) among the calls this rule matches: fire only on those
 *   probability?  0..1 chance of firing on each matching call (deterministic with the plan's seed)
 *   times?        fire at most this many times
 *   latencyMs?    extra delay before the call is answered
 *   status?       answer at once with this HTTP status (the handler does not run), with
 *   reason?       Compute error reason (default from the status, e.g. 503 -> backendError)
 *   message?      error message (default "Injected fault")
 *   operationError? the call succeeds but the operation it starts ends DONE with this error:
 *                 { code?: "RESOURCE_NOT_READY", message?, httpErrorStatusCode?: 400, httpErrorMessage? }
 *   operationLatencyMs? the operation the call starts stays pending this long (a slow operation)
 *   reset?        "before": the connection is reset and the call never runs; "after": the call runs
 *                 (its change is made) and the connection is reset instead of answering
 * A rule with none of status/operationError/operationLatencyMs/reset/latencyMs is a no-op. Every
 * firing rule applies its latency; the first firing rule with a status or a reset answers; otherwise the first with operationError marks the operation, the first with
 * operationLatencyMs slows it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { OperationFault } from './http.js';
import { seededRandom } from './ids.js';

export interface FaultRule {
  method?: string | string[];
  path?: string;
  pathRegex?: string;
  body?: unknown;
  bodyContains?: string;
  nth?: number | number[];
  probability?: number;
  times?: number;
  latencyMs?: number;
  status?: number;
  reason?: string;
  message?: string;
  operationError?: {
    code?: string;
    message?: string;
    httpErrorStatusCode?: number;
    httpErrorMessage?: string;
  };
  operationLatencyMs?: number;
  reset?: 'before' | 'after';
}

export interface FaultPlan {
  seed?: number | string;
  rules: FaultRule[];
}

export interface FaultDecision {
  latencyMs: number;
  /** Answer with this error instead of running the handler. */
  error?: { status: number; reason?: string; message: string };
  operationFault?: OperationFault;
  /** How long the operation the call starts stays pending, instead of the emulator's latency. */
  operationLatencyMs?: number;
  /** Reset the connection: before the call runs, or after it ran instead of answering. */
  reset?: 'before' | 'after';
  /** Indexes of the rules that fired. */
  fired: number[];
}

export class FaultPlanError extends Error {
  override name = 'FaultPlanError';
}

/** Parses and checks a plan from an object, a JSON/YAML text, or (when `fromFile`) a file path. */
export function parseFaultPlan(input: unknown): FaultPlan {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = parseYaml(value);
    } catch (e) {
      throw new FaultPlanError(`fault plan is not valid JSON or YAML: ${(e as Error).message}`);
    }
  }
  if (value === null || value === undefined) return { rules: [] };
  if (Array.isArray(value)) value = { rules: value };
  if (typeof value !== 'object') throw new FaultPlanError('fault plan must be an object with "rules" or an array of rules');
  const plan = value as { seed?: unknown; rules?: unknown };
  const rules = plan.rules ?? [];
  if (!Array.isArray(rules)) throw new FaultPlanError('"rules" must be an array');
  if (plan.seed !== undefined && typeof plan.seed !== 'number' && typeof plan.seed !== 'string') {
    throw new FaultPlanError('"seed" must be a number or a string');
  }
  rules.forEach((r, i) => checkRule(r, i));
  return { ...(plan.seed !== undefined ? { seed: plan.seed as number | string } : {}), rules: rules as FaultRule[] };
}

export function readFaultPlanFile(file: string): FaultPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FaultPlanError(`cannot read fault plan ${file}: ${(e as Error).message}`);
  }
  return parseFaultPlan(text);
}

function checkRule(rule: unknown, i: number): void {
  const where = `rules[${i}]`;
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new FaultPlanError(`${where} must be an object`);
  const r = rule as Record<string, unknown>;
  const known = new Set(['method', 'path', 'pathRegex', 'body', 'bodyContains', 'nth', 'probability', 'times', 'latencyMs', 'status', 'reason', 'message', 'operationError', 'operationLatencyMs', 'reset', 'name', 'description']);
  for (const k of Object.keys(r)) if (!known.has(k)) throw new FaultPlanError(`${where}: unknown key "${k}"`);
  if (r.path !== undefined && typeof r.path !== 'string') throw new FaultPlanError(`${where}.path must be a string`);
  if (r.pathRegex !== undefined) {
    if (typeof r.pathRegex !== 'string') throw new FaultPlanError(`${where}.pathRegex must be a string`);
    try {
      new RegExp(r.pathRegex);
    } catch {
      throw new FaultPlanError(`${where}.pathRegex is not a valid regular expression`);
    }
  }
  if (r.probability !== undefined && (typeof r.probability !== 'number' || r.probability < 0 || r.probability > 1)) {
    throw new FaultPlanError(`${where}.probability must be a number from 0 to 1`);
  }
  if (r.status !== undefined && (typeof r.status !== 'number' || r.status < 400 || r.status > 599)) {
    throw new FaultPlanError(`${where}.status must be an HTTP error status (400-599)`);
  }
  if (r.reset !== undefined && r.reset !== 'before' && r.reset !== 'after') throw new FaultPlanError(`${where}.reset must be "before" or "after"`);
  for (const k of ['times', 'latencyMs', 'operationLatencyMs'] as const) {
    if (r[k] !== undefined && (typeof r[k] !== 'number' || (r[k] as number) < 0)) throw new FaultPlanError(`${where}.${k} must be a number >= 0`);
  }
  const nth = r.nth;
  if (nth !== undefined && !(typeof nth === 'number' || (Array.isArray(nth) && nth.every((n) => typeof n === 'number')))) {
    throw new FaultPlanError(`${where}.nth must be a number or an array of numbers`);
  }
  if (r.operationError !== undefined && (typeof r.operationError !== 'object' || r.operationError === null)) {
    throw new FaultPlanError(`${where}.operationError must be an object`);
  }
}

/** Glob over a URL path: `**` any characters, `*` any characters but `/`, `?` one character but `/`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isSubset(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.every((e, i) => isSubset(e, actual[i]));
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(expected as Record<string, unknown>).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]));
}


interface RuleState {
  rule: FaultRule;
  pathRe?: RegExp;
  regex?: RegExp;
  matched: number;
  fired: number;
}

/** Holds the current plan and its counters; decides per call. */
export class FaultEngine {
  private plan: FaultPlan = { rules: [] };
  private states: RuleState[] = [];
  private random: () => number = Math.random;

  constructor(plan?: FaultPlan) {
    if (plan) this.setPlan(plan);
  }

  setPlan(plan: FaultPlan): void {
    this.plan = plan;
    this.resetCounters();
  }

  getPlan(): FaultPlan {
    return this.plan;
  }

  /** Counters start again from zero (and the random sequence from the seed). */
  resetCounters(): void {
    this.states = this.plan.rules.map((rule) => ({
      rule,
      ...(rule.path !== undefined ? { pathRe: globToRegExp(rule.path) } : {}),
      ...(rule.pathRegex !== undefined ? { regex: new RegExp(rule.pathRegex) } : {}),
      matched: 0,
      fired: 0,
    }));
    this.random = this.plan.seed !== undefined ? seededRandom(this.plan.seed) : Math.random;
  }

  /** Rule counters, for `/_emulator/faults`. */
  status(): Array<{ rule: FaultRule; matched: number; fired: number }> {
    return this.states.map((s) => ({ rule: s.rule, matched: s.matched, fired: s.fired }));
  }

  decide(method: string, path: string, body: unknown, rawBody: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, fired: [] };
    this.states.forEach((s, index) => {
      const r = s.rule;
      if (r.method !== undefined) {
        const methods = (Array.isArray(r.method) ? r.method : [r.method]).map((m) => m.toUpperCase());
        if (!methods.includes(method.toUpperCase())) return;
      }
      if (s.pathRe && !s.pathRe.test(path)) return;
      if (s.regex && !s.regex.test(path)) return;
      if (r.body !== undefined && !isSubset(r.body, body)) return;
      if (r.bodyContains !== undefined && !rawBody.includes(r.bodyContains)) return;
      s.matched++;
      if (r.times !== undefined && s.fired >= r.times) return;
      if (r.nth !== undefined) {
        const list = Array.isArray(r.nth) ? r.nth : [r.nth];
        if (!list.includes(s.matched)) return;
      }
      if (r.probability !== undefined && !(this.random() < r.probability)) return;
      s.fired++;
      decision.fired.push(index);
      decision.latencyMs += r.latencyMs ?? 0;
      if (r.operationLatencyMs !== undefined && decision.operationLatencyMs === undefined) decision.operationLatencyMs = r.operationLatencyMs;
      if (r.reset !== undefined && !decision.error && !decision.reset) {
        decision.reset = r.reset;
      } else if (r.status !== undefined && !decision.error && !decision.reset) {
        decision.error = {
          status: r.status,
          ...(r.reason !== undefined ? { reason: r.reason } : {}),
          message: r.message ?? 'Injected fault',
        };
      } else if (r.operationError && !decision.operationFault) {
        const oe = r.operationError;
        const statusCode = oe.httpErrorStatusCode ?? 400;
        decision.operationFault = {
          httpErrorStatusCode: statusCode,
          httpErrorMessage: oe.httpErrorMessage ?? httpStatusText(statusCode),
          errors: [{ code: oe.code ?? 'RESOURCE_OPERATION_FAILED', message: oe.message ?? 'Injected operation fault' }],
        };
      }
    });
    return decision;
  }
}

export function httpStatusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'BAD REQUEST',
    403: 'FORBIDDEN',
    404: 'NOT FOUND',
    409: 'CONFLICT',
    412: 'PRECONDITION FAILED',
    429: 'TOO MANY REQUESTS',
    500: 'INTERNAL SERVER ERROR',
    503: 'SERVICE UNAVAILABLE',
  };
  return texts[status] ?? 'ERROR';
}
