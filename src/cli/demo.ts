/** `serverless-lb demo`: the whole lifecycle against an embedded emulator. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole lifecycle (init answers, plan, apply, verify, teardown) against an embedded emulator')
    .option('--keep', 'keep the emulator and the load balancer running until Ctrl-C', false)
    .action(async () => {
      throw new UsageError('demo is not available in this version yet', { code: 'demo.unavailable' });
    });
}
