/**
 * A Problem: one thing wrong (error) or doubtful (warning) with a Spec, a config file or a flag.
 *
 * Contract: `message` and `hint` never contain a secret (a private key, an OAuth client secret) nor
 * the contents of any file; they may name a file path or an environment variable.
 */
import { flagForKey, flagName } from './fields.js';

export { flagName };

export type Severity = 'error' | 'warning';

export interface Problem {
  /** Dotted config key with array indexes (`backends.1.cloudRun.service`); '' for the whole config. */
  key: string;
  /** The flag that sets this key (`--backend`), when there is one. */
  flag?: string;
  message: string;
  /** How to fix it, in one sentence. */
  hint: string;
  severity: Severity;
  /** Stable id of the rule that found it (docs/constraints.md lists them); absent for shape errors. */
  rule?: string;
  /** Where in a config file the key is, `FILE:LINE:COLUMN`, when known. */
  location?: string;
}

/** Builds a Problem, filling `flag` from the field registry. */
export function makeProblem(
  severity: Severity,
  key: string,
  message: string,
  hint: string,
  rule?: string,
): Problem {
  const field = flagForKey(key);
  const problem: Problem = { key, message, hint, severity };
  if (field?.flag) problem.flag = flagName(field.flag);
  if (rule) problem.rule = rule;
  return problem;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** One line per problem: `error backends.0.cloudRun.service (--backend): message. Hint: hint`. */
export function formatProblem(problem: Problem): string {
  const where = problem.key === '' ? 'config' : problem.key;
  const flag = problem.flag ? ` (${problem.flag})` : '';
  const location = problem.location ? ` at ${problem.location}` : '';
  return `${problem.severity} ${where}${flag}${location}: ${problem.message}${problem.hint ? `. Hint: ${problem.hint}` : ''}`;
}
