/**
 * Optional outside tools the suite uses when the machine has them. A test that needs one runs here
 * and skips, with a message saying why, where the tool is absent.
 */
import { spawnSync } from 'node:child_process';

const found = new Map<string, boolean>();

/** Whether `command versionArgs...` runs and exits 0 (checked once per test file). */
export function hasTool(command: string, versionArgs: readonly string[]): boolean {
  let present = found.get(command);
  if (present === undefined) {
    present = spawnSync(command, [...versionArgs], { stdio: 'ignore', timeout: 60_000 }).status === 0;
    found.set(command, present);
  }
  return present;
}

export const hasGcloud = (): boolean => hasTool('gcloud', ['--version']);
export const hasTmux = (): boolean => hasTool('tmux', ['-V']);
