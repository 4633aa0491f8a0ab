/** `serverless-lb init`: the wizard. The flow itself is in run-init.ts, loaded when the command runs. */
import type { Command } from 'commander';
import { addCommonOptions, type CommonOptions } from './common-options.js';
import { registerSpecOptions } from '../spec/fields.js';
import { addApplyOptions } from './apply.js';

export type InitOptions = CommonOptions & {
  apply: boolean;
  verify: boolean;
  concurrency: number;
  wait?: string;
  dnsServer?: string;
} & Record<string, unknown>;

export function registerInit(program: Command): void {
  const command = program
    .command('init')
    .description('the wizard: asks (or takes from flags and the config) everything, writes the config, shows the plan, applies it on confirmation, then verifies')
    .option('--no-apply', 'write the config and show the plan (offline), without applying');
  addApplyOptions(command);
  addCommonOptions(command);
  registerSpecOptions(command, ['--project']);
  command.action(async (options: InitOptions, cmd: Command) => {
    const { runInit } = await import('./run-init.js');
    await runInit(cmd, options);
  });
}
