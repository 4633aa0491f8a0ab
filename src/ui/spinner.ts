/**
 * A spinner around one piece of waiting (listing what exists, starting the emulator): an ora
 * spinner on terminals, one plain line otherwise, nothing in json mode. The spinner always stops,
 * whether the work succeeds or fails.
 *
 * On terminals the spinner appears only when the work outlasts SPINNER_DELAY_MS: quick work draws
 * nothing, and a prompt that has just been answered has finished drawing before the spinner starts.
 *
 * The one place that loads ora, and only for a terminal: it costs ~60 ms to load, which json and
 * plain output (CI, scripts) never pay.
 */
import type { Ora } from 'ora';
import type { Output } from './output.js';

export const SPINNER_DELAY_MS = 120;

let ora: Promise<typeof import('ora').default> | undefined;

/** Starts a spinner with this text on the output's terminal. */
export type StartSpinner = (text: string) => Ora;

/** How to start spinners on this output: undefined unless it is a terminal (then ora is loaded). */
export async function spinnerStarter(output: Output): Promise<StartSpinner | undefined> {
  if (output.mode !== 'tty') return undefined;
  const create = await (ora ??= import('ora').then((module) => module.default));
  return (text) => create({ text, stream: output.stderr, discardStdin: false }).start();
}

export async function withSpinner<T>(output: Output, text: string, work: () => Promise<T>): Promise<T> {
  const startSpinner = await spinnerStarter(output);
  if (!startSpinner) {
    output.info(`${text}...`);
    return work();
  }
  let spinner: Ora | undefined;
  const timer = setTimeout(() => {
    spinner = startSpinner(text);
  }, SPINNER_DELAY_MS);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    spinner?.stop();
  }
}
