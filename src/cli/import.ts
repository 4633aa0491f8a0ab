/** `serverless-lb import`: take over a load balancer made outside serverless-lb, from one of its forwarding rules. */
import type { Command } from 'commander';
import { addCommonOptions, isInteractive } from './common-options.js';
import type { ImportOptions } from './run-import.js';

export function defineImport(command: Command): void {
  command
    .requiredOption('--forwarding-rule <name>', 'a forwarding rule of the load balancer to import (the HTTPS one, or either of an HTTP redirect pair)')
    .option('--region <region>', 'the forwarding rule\'s region (regional load balancers); global without it')
    .requiredOption('--name <lb>', 'the name the load balancer gets in serverless-lb (its ownership mark; names of its resources that differ from the ones serverless-lb gives are kept in the config)')
    .option('--dns-zone <zone>', 'a Cloud DNS managed zone whose A records point at the load balancer: they become its domains and records');
  addCommonOptions(command);
  command.action(async (options: ImportOptions, cmd: Command) => {
    const { createOutput } = await import('../ui/output.js');
    const output = createOutput({ format: options.format, color: options.color });
    const { runImport } = await import('./run-import.js');
    await runImport(options, output, { interactive: isInteractive(options), configGiven: cmd.getOptionValueSource('config') === 'cli' });
  });
}
