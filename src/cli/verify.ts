/** `serverless-lb verify`: DNS, HTTP(S) through the load balancer, certificate, Cloud Run ingress. */
import type { Command } from 'commander';
import { addCommonOptions, type CommonOptions } from './common-options.js';

export type VerifyOptions = CommonOptions & { wait?: string; dnsServer?: string; clientCert?: string; clientKey?: string } & Record<string, unknown>;

export function defineVerify(command: Command): void {
  command
    .option('--wait <duration>', 'how long to wait for DNS, certificates and HTTP(S) to settle (e.g. 0, 30s, 10m; default 0: check once)')
    .option('--dns-server <host:port>', 'DNS server to ask (default: the system resolver; the emulator\'s with an emulator)')
    .option('--client-cert <file>', 'PEM client certificate HTTPS requests present where the listener asks for one (mutual TLS); with --client-key')
    .option('--client-key <file>', 'PEM private key of --client-cert (read, never printed)');
  addCommonOptions(command);
  command.action(async (options: VerifyOptions, cmd: Command) => {
    const [{ loadSpec }, { createOutput }, { formatProblem }] = await Promise.all([
      import('./load-spec.js'),
      import('../ui/output.js'),
      import('../spec/problem.js'),
    ]);
    const output = createOutput({ format: options.format, color: options.color });
    // verify reads no secret: an unset IAP secret variable must not stop it.
    const { spec, warnings } = loadSpec(cmd, options, { secrets: false });
    for (const warning of warnings) output.warn(formatProblem(warning));
    const { runVerifyCommand } = await import('./run-verify.js');
    await runVerifyCommand(spec, options, output);
  });
}
