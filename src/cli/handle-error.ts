/**
 * The one top-level error handler: maps any error to a message on stderr (and a JSON twin on
 * stdout with --format json) and to the exit code docs/cli.md defines:
 *   2   bad usage or invalid config (nothing changed)
 *   1   an API call, a step or a check failed
 *   130 interrupted
 * With --format json the JSON twin is printed only when the command printed no document itself.
 * Errors carry their own `exitCode`, `code` and `hint` (see src/errors.ts); anything else is an
 * internal error (exit 1) whose stack is shown only with --verbose.
 */
import { CommanderError } from 'commander';
import { stdoutJsonDocument } from '../ui/json-document.js';

export interface ErrorOutputOptions {
  json: boolean;
  verbose: boolean;
}

interface DescribedError {
  exitCode: number;
  code: string;
  message: string;
  hint?: string;
  details?: string[];
}

function describe(error: unknown): DescribedError {
  if (error instanceof CommanderError) {
    return {
      exitCode: error.exitCode === 0 ? 0 : 2,
      code: error.code,
      message: error.message.replace(/^error: /, ''),
      hint: 'run the command with --help for its usage',
    };
  }
  if (error && typeof error === 'object') {
    const e = error as { exitCode?: unknown; code?: unknown; message?: unknown; hint?: unknown; details?: unknown; name?: unknown };
    if (e.name === 'ExitPromptError' || e.name === 'AbortPromptError') {
      return { exitCode: 130, code: 'interrupted', message: 'Interrupted: nothing was changed.' };
    }
    if (typeof e.exitCode === 'number') {
      return {
        exitCode: e.exitCode,
        code: typeof e.code === 'string' ? e.code : 'error',
        message: String(e.message ?? 'error'),
        hint: typeof e.hint === 'string' ? e.hint : undefined,
        details: Array.isArray(e.details) ? e.details.map(String) : undefined,
      };
    }
    if (typeof e.message === 'string') {
      return { exitCode: 1, code: 'internal', message: e.message, hint: 'This looks like a bug in serverless-lb; re-run with --verbose and report it.' };
    }
  }
  return { exitCode: 1, code: 'internal', message: String(error) };
}

/** Prints the error and returns the exit code to use. */
export function reportError(error: unknown, options: ErrorOutputOptions): number {
  const described = describe(error);
  if (described.exitCode === 0) return 0;
  const lines = [`Error: ${described.message}`];
  for (const detail of described.details ?? []) lines.push(`  - ${detail}`);
  if (described.hint) lines.push(`Hint: ${described.hint}`);
  if (options.verbose && error instanceof Error && error.stack) lines.push('', error.stack);
  process.stderr.write(lines.join('\n') + '\n');
  // One JSON document per run: when the command already printed its result (with `ok: false`), the
  // error is told on stderr only.
  if (options.json && !stdoutJsonDocument.written) {
    const { exitCode, code, message, hint, details } = described;
    process.stdout.write(JSON.stringify({ ok: false, error: { code, message, hint, details, exitCode } }) + '\n');
  }
  return described.exitCode;
}
