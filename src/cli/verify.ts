/** `serverless-lb verify`: DNS, HTTP(S) through the load balancer, certificate, Cloud Run ingress. */
import type { Command } from 'commander';
import { addCommonOptions, type CommonOptions } from './common-options.js';
import { loadSpec } from './load-spec.js';
import { createOutput } from '../ui/output.js';
import { UsageError } from '../errors.js';

export type VerifyOptions = CommonOptions & { wait?: string; dnsServer?: string } & Record<string, unknown>;

export function registerVerify(program: Command): void {
  const command = program
    .command('verify')
    .description('check the load balancer works: DNS records, HTTP(S) through it, certificate state, Cloud Run ingress restriction')
    .option('--wait <duration>', 'how long to wait for DNS and certificates to settle (e.g. 0, 30s, 10m)', '0')
    .option('--dns-server <host:port>', 'DNS server to ask (default: the system resolver; the emulator\'s with an emulator)');
  addCommonOptions(command);
  command.action(async (options: VerifyOptions, cmd: Command) => {
    createOutput({ format: options.format, color: options.color });
    loadSpec(cmd, options);
    throw new UsageError('verify is not available in this version yet', { code: 'verify.unavailable', hint: 'use `serverless-lb status` to see what exists' });
  });
}
