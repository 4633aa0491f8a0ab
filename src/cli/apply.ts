/** `serverless-lb apply`: reads what exists, plans, confirms, applies step by step, then verifies. */
import type { Command } from 'commander';
import { addCommonOptions, parsePositiveInt, isInteractive } from './common-options.js';
import { registerSpecOptions } from '../spec/fields.js';
import type { ApplyOptions } from './run-apply.js';


/** The options of commands that apply and then verify (apply, init). */
export function addApplyOptions(command: Command): Command {
  return command
    .option('--no-verify', 'skip the checks after applying')
    .option('--concurrency <n>', 'steps run at once at most', parsePositiveInt('--concurrency'), 8)
    .option('--wait <duration>', 'how long verify waits for DNS and certificates to settle (e.g. 0, 30s, 10m)')
    .option('--dns-server <host:port>', 'DNS server verify asks (default: the system resolver; the emulator\'s with --emulator)')
    .option('--client-cert <file>', 'PEM client certificate verify presents where the listener asks for one (mutual TLS); with --client-key')
    .option('--client-key <file>', 'PEM private key of --client-cert (read, never printed)')
    .option('--allow-disruption', 'with --yes: apply a plan that interrupts traffic (steps marked ! in the plan); without it such a plan is refused, nothing changed', false)
    .option('--wait-certificates <duration>', 'wait this long for a new Google-managed certificate to be ACTIVE, then detach and delete the one it replaces in the same run (default: leave that to a later apply)');
}

export function defineApply(command: Command): void {
  addApplyOptions(command);
  addCommonOptions(command);
  registerSpecOptions(command, ['--project']);
  command.action(async (options: ApplyOptions, cmd: Command) => {
    const [{ loadSpec }, { createOutput }, { formatProblem }] = await Promise.all([
      import('./load-spec.js'),
      import('../ui/output.js'),
      import('../spec/problem.js'),
    ]);
    const output = createOutput({ format: options.format, color: options.color });
    const { spec, warnings } = loadSpec(cmd, options);
    for (const warning of warnings) output.warn(formatProblem(warning));
    const { runApply } = await import('./run-apply.js');
    await runApply(spec, options, output, { interactive: isInteractive(options) });
  });
}
