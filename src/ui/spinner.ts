/**
 * A spinner around one piece of waiting (listing what exists, waiting for a certificate): an ora
 * spinner on terminals, one plain line otherwise, nothing in json mode. The spinner always stops,
 * whether the work succeeds or fails.
 */
import ora from 'ora';
import type { Output } from './output.js';

export async function withSpinner<T>(output: Output, text: string, work: () => Promise<T>): Promise<T> {
  if (output.mode !== 'tty') {
    output.info(`${text}...`);
    return work();
  }
  const spinner = ora({ text, stream: output.stderr, discardStdin: false }).start();
  try {
    const result = await work();
    spinner.stop();
    return result;
  } catch (error) {
    spinner.stop();
    throw error;
  }
}
