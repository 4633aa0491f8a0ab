/** `serverless-lb teardown`: deletes what serverless-lb created for this load balancer, and nothing else. */
import type { Command } from 'commander';
import { addCommonOptions, parsePositiveInt, isInteractive, type CommonOptions } from './common-options.js';

export type TeardownOptions = CommonOptions & {
  name?: string;
  region?: string;
  regions?: string;
  dnsZone?: string;
  concurrency: number;
};

export function defineTeardown(command: Command): void {
  command
    .option('--name <lb>', 'the load balancer to tear down, without a config file (found by its ownership mark)')
    .option('--region <region>', 'with --name: a region to search for regional resources')
    .option('--regions <regions>', 'with --name: regions to search, comma-separated')
    .option('--dns-zone <zone>', 'with --name: the Cloud DNS managed zone holding its records')
    .option('--concurrency <n>', 'deletes run at once at most', parsePositiveInt('--concurrency'), 8);
  addCommonOptions(command);
  command.action(async (options: TeardownOptions, cmd: Command) => {
    const { createOutput } = await import('../ui/output.js');
    const output = createOutput({ format: options.format, color: options.color });
    const { resolveTarget } = await import('./lb-target.js');
    const target = await resolveTarget(cmd, options);
    const { runTeardown } = await import('./run-teardown.js');
    await runTeardown(target, options, output, { interactive: isInteractive(options) });
  });
}
