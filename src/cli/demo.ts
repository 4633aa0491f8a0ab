/** `serverless-lb demo`: the whole lifecycle against an embedded emulator. The flow is in run-demo.ts. */
import { Command, Option } from 'commander';
import type { DemoOptions } from './run-demo.js';


export function defineDemo(command: Command): void {
  command
    .option('--keep', 'keep the emulator and the load balancer running until Ctrl-C instead of tearing down', false)
    .option('-y, --yes', 'ask nothing: take the recommended answers', false)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colors (also: the NO_COLOR environment variable)')
    .option('-v, --verbose', 'more detail, and stack traces for errors', false)
    .action(async (options: DemoOptions) => {
      const { runDemo } = await import('./run-demo.js');
      await runDemo(options);
    });
}
