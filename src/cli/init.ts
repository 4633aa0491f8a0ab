/** `serverless-lb init`: the wizard. */
import type { Command } from 'commander';
import { addCommonOptions } from './common-options.js';
import { registerSpecOptions } from '../spec/fields.js';
import { UsageError } from '../errors.js';

export function registerInit(program: Command): void {
  const command = program.command('init').description('the wizard: asks (or takes from flags) everything, writes the config, shows the plan, applies it on confirmation, then verifies');
  addCommonOptions(command);
  registerSpecOptions(command, ['--project']);
  command.action(async () => {
    throw new UsageError('init is not available in this version yet', { code: 'init.unavailable', hint: 'write a config (docs/examples/) and run `serverless-lb apply`' });
  });
}
