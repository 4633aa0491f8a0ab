/** Spec inputs for tests: a small valid base, and a way to change a copy of it. */
import { validateSpec, type Problem, type SpecIo } from '../../../src/spec/index.js';

// Loose on purpose: tests build invalid inputs too.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Input = Record<string, any>;

/** A valid global external HTTP load balancer with one Cloud Run backend. */
export function base(): Input {
  return {
    name: 'lb',
    project: 'demo-project',
    region: 'europe-west1',
    backends: [{ name: 'web', cloudRun: { service: 'web' } }],
    frontend: { protocol: 'http' },
  };
}

/** base() changed by `edit`. */
export function make(edit: (input: Input) => void = () => {}): Input {
  const input = base();
  edit(input);
  return input;
}

/** Every problem validateSpec reports (errors and warnings). */
export function problemsOf(input: unknown, io?: SpecIo): Problem[] {
  const result = validateSpec(input, io);
  return result.ok ? result.warnings : result.problems;
}
