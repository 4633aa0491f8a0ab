/**
 * What the rule groups of validateSpec share (check-*.ts): the problem collector and the tables of
 * which backends and features each load balancer type takes.
 */
import { makeProblem, type Problem, type Severity } from './problem.js';
import { type LbType } from './schema.js';
import { type TargetKind } from './derive.js';
import type { SpecRuleId } from './rules.js';

export const GLOBAL_EXTERNAL_TYPES: readonly LbType[] = ['global-external', 'classic'];

export const KIND_LABEL: Record<TargetKind, string> = {
  cloudRun: 'Cloud Run',
  cloudFunction: 'Cloud Functions (1st gen)',
  appEngine: 'App Engine',
  apiGateway: 'API Gateway',
};

/** Backend kinds each LB type takes (docs/constraints.md "Backends per LB type"). */
export const BACKEND_KINDS_BY_TYPE: Record<LbType, readonly TargetKind[]> = {
  'global-external': ['cloudRun', 'cloudFunction', 'appEngine', 'apiGateway'],
  classic: ['cloudRun', 'cloudFunction', 'appEngine', 'apiGateway'],
  'regional-external': ['cloudRun'],
  'regional-internal': ['cloudRun'],
  'cross-region-internal': ['cloudRun'],
};

export class Collector {
  readonly problems: Problem[] = [];
  error(key: string, message: string, hint: string, rule: SpecRuleId): void {
    this.add('error', key, message, hint, rule);
  }
  warn(key: string, message: string, hint: string, rule: SpecRuleId): void {
    this.add('warning', key, message, hint, rule);
  }
  add(severity: Severity, key: string, message: string, hint: string, rule: SpecRuleId): void {
    this.problems.push(makeProblem(severity, key, message, hint, rule));
  }
}

export interface SpecIo {
  /** Reads a file as UTF-8 text (throws like fs.readFileSync). Paths are used as given. */
  readFile?: (path: string) => string;
  /** The current time, for certificate expiry. Without it, expiry is not checked. */
  now?: () => Date;
  /** Looks up an environment variable (the IAP secret variable must be set). */
  env?: (name: string) => string | undefined;
}

export function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
