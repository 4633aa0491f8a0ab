/** `serverless-lb status`: which of this load balancer's resources exist now, and its addresses. */
import type { Command } from 'commander';
import { addCommonOptions, type CommonOptions } from './common-options.js';

export type StatusOptions = CommonOptions & { name?: string; region?: string; regions?: string };

export function defineStatus(command: Command): void {
  command
    .option('--name <lb>', 'the load balancer, without a config file (found by its ownership mark)')
    .option('--region <region>', 'with --name: a region to search')
    .option('--regions <regions>', 'with --name: regions to search, comma-separated');
  addCommonOptions(command);
  command.action(async (options: StatusOptions, cmd: Command) => {
    const { createOutput } = await import('../ui/output.js');
    const output = createOutput({ format: options.format, color: options.color });
    const { resolveTarget } = await import('./lb-target.js');
    const target = await resolveTarget(cmd, options);
    const { runStatus } = await import('./run-status.js');
    await runStatus(target, options, output);
  });
}
