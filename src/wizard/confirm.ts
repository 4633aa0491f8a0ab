/**
 * Confirmation before a change. Destructive confirmations default to no. In a session that may
 * not prompt (no TTY, CI, --yes absent), the caller must pass --yes: asking is impossible, and
 * guessing is not allowed.
 */
import { UsageError } from '../errors.js';

export interface ConfirmOptions {
  /** --yes was given: the answer is yes without asking. */
  yes: boolean;
  /** The session may prompt (see src/cli/common-options.ts isInteractive). */
  interactive: boolean;
  /** The command, for the error that names --yes. */
  command: string;
  /** The answer on Enter (default: no). Only a change nobody can regret (a throwaway emulator) defaults to yes. */
  default?: boolean;
}

export async function confirmOrFail(question: string, options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  if (!options.interactive) {
    throw new UsageError(`${options.command} needs a confirmation, and this session cannot prompt (no terminal, CI set, or --format json)`, {
      code: 'confirm.required',
      hint: `pass --yes to ${options.command} without a confirmation`,
    });
  }
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: question, default: options.default ?? false }, { output: process.stderr });
}
