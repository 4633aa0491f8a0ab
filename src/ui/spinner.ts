/**
 * A spinner around one piece of waiting (listing what exists, starting the emulator): an ora
 * spinner on terminals, one plain line otherwise, nothing in json mode. The spinner always stops,
 * whether the work succeeds or fails.
 *
 * On terminals the spinner appears only when the work outlasts SPINNER_DELAY_MS: quick work draws
 * nothing, and a prompt that has just been answered has finished drawing before the spinner starts.
 */
import ora, { type Ora } from 'ora';
import type { Output } from './output.js';

export const SPINNER_DELAY_MS = 120;

export async function withSpinner<T>(output: Output, text: string, work: () => Promise<T>): Promise<T> {
  if (output.mode !== 'tty') {
    output.info(`${text}...`);
    return work();
  }
  let spinner: Ora | undefined;
  const timer = setTimeout(() => {
    spinner = ora({ text, stream: output.stderr, discardStdin: false }).start();
  }, SPINNER_DELAY_MS);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    spinner?.stop();
  }
}
