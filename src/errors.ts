/**
 * The error classes every layer throws, each with a stable `code`, the process `exitCode`
 * (docs/cli.md: 2 usage / invalid config, nothing changed; 1 an API call, step or check failed;
 * 130 interrupted) and a `hint` that says what to do. The one top-level handler
 * (src/cli/handle-error.ts) prints `message`, `details` and `hint` and exits with `exitCode`.
 * docs/errors.md lists every code.
 */

export interface SlbErrorOptions {
  hint?: string;
  /** One line per problem, for errors that collect several (validation, preflight). */
  details?: string[];
  cause?: unknown;
}

export abstract class SlbError extends Error {
  abstract readonly exitCode: 1 | 2 | 130;
  readonly code: string;
  readonly hint?: string;
  readonly details?: string[];

  constructor(code: string, message: string, options: SlbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** Bad usage, an invalid config, or a plan that cannot be applied as asked: nothing was changed. */
export class UsageError extends SlbError {
  readonly exitCode = 2 as const;
  constructor(message: string, options: SlbErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'usage', message, options);
  }
}

/**
 * A Google API call failed. `reason` is Google's reason (`alreadyExists`, `notFound`,
 * `resourceInUseByAnotherResource`, `quotaExceeded`, ...; see src/cloud/normalise-error.ts for the
 * full list), `status` the HTTP status (0 when no response arrived), `message` Google's own text
 * prefixed by the operation, `retryable` whether trying the same call again may succeed.
 */
export class CloudError extends SlbError {
  readonly exitCode = 1 as const;
  /** What was attempted, e.g. `insert backendService shop-web-bs`. */
  readonly operation: string;
  readonly status: number;
  readonly reason: string;
  /** Google's message, without the operation prefix. */
  readonly googleMessage: string;
  readonly retryable: boolean;
  /** true when the failure came from a finished long-running operation (not the HTTP call). */
  readonly fromOperation: boolean;

  constructor(fields: {
    operation: string;
    status: number;
    reason: string;
    message: string;
    hint?: string;
    retryable: boolean;
    fromOperation?: boolean;
    cause?: unknown;
  }) {
    super(`cloud.${fields.reason}`, `${fields.operation}: ${fields.message}`, { hint: fields.hint, cause: fields.cause });
    this.operation = fields.operation;
    this.status = fields.status;
    this.reason = fields.reason;
    this.googleMessage = fields.message;
    this.retryable = fields.retryable;
    this.fromOperation = fields.fromOperation ?? false;
  }

  /** A plain object for JSON output and events (no stack, no cause). */
  toJSON(): { code: string; operation: string; status: number; reason: string; message: string; hint?: string; retryable: boolean } {
    return {
      code: this.code,
      operation: this.operation,
      status: this.status,
      reason: this.reason,
      message: this.googleMessage,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      retryable: this.retryable,
    };
  }
}

/** Apply or teardown finished with failed steps (each detailed in `details`). */
export class StepsFailedError extends SlbError {
  readonly exitCode = 1 as const;
  constructor(message: string, options: SlbErrorOptions = {}) {
    super('apply.steps-failed', message, options);
  }
}

/** The plan's dependency graph has a cycle: a bug in plan building, nothing was changed. */
export class PlanCycleError extends SlbError {
  readonly exitCode = 1 as const;
  readonly cycle: string[];
  constructor(cycle: string[]) {
    super('plan.cycle', `The plan's steps depend on each other in a cycle: ${cycle.join(' -> ')}`, {
      hint: 'Nothing was changed. This is a bug in serverless-lb: re-run `plan --format json` and report it.',
    });
    this.cycle = cycle;
  }
}

/** Ctrl-C (or another abort): running steps finished, nothing new was started. */
export class InterruptedError extends SlbError {
  readonly exitCode = 130 as const;
  constructor(message = 'Interrupted.', options: SlbErrorOptions = {}) {
    super('interrupted', message, { hint: 'Re-run the same command: it picks up where it stopped.', ...options });
  }
}

/** The exit code for any thrown value (1 for errors that carry none). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof SlbError) return error.exitCode;
  if (error && typeof error === 'object' && typeof (error as { exitCode?: unknown }).exitCode === 'number') {
    return (error as { exitCode: number }).exitCode;
  }
  return 1;
}
