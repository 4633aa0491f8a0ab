/** `serverless-lb init`: the wizard. The flow itself is in run-init.ts, loaded when the command runs. */
import type { Command } from 'commander';
import { addCommonOptions } from './common-options.js';
import { registerSpecOptions } from '../spec/fields.js';
import { addApplyOptions } from './apply.js';
import type { InitOptions } from './run-init.js';


export function defineInit(command: Command): void {
  command
    .option('--no-apply', 'write the config and show the plan (offline), without applying')
    .option('--advanced', 'ask the advanced questions too: SSL policy, HTTP/3, response headers, the Cloud Run run.app URL');
  addApplyOptions(command);
  addCommonOptions(command);
  registerSpecOptions(command, ['--project']);
  command.action(async (options: InitOptions, cmd: Command) => {
    const { runInit } = await import('./run-init.js');
    await runInit(cmd, options);
  });
}
