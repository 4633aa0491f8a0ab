/**
 * The commander program: every subcommand listed (name and description, for the top-level help),
 * only the ones asked for defined (their options and action, which load their modules).
 * Loading this module loads no subcommand.
 */
import { Command, Help } from 'commander';
import { VERSION } from './version.js';
import { SUBCOMMANDS } from './commands.js';

/**
 * The program. Every subcommand is listed (name and description, for the top-level help); only
 * the ones in `define` (default: all) get their options and action, which loads their modules.
 */
export async function buildProgram(define: (name: string) => boolean = () => true): Promise<Command> {
  const program = new Command('serverless-lb')
    .description('Put serverless apps (Cloud Run, functions, App Engine, API Gateway) behind a Google Cloud Application Load Balancer: plan, apply, verify, tear down.')
    .version(VERSION, '-V, --version')
    // Usage errors are reported once, by the top-level handler (with the exit code and hint).
    .configureOutput({ outputError: () => undefined })
    // Every command takes options, also the ones listed but not defined in this run.
    .configureHelp({ subcommandTerm: (command) => (SUBCOMMANDS.some((c) => c.name === command.name()) ? `${command.name()} [options]` : new Help().subcommandTerm(command)) })
    .exitOverride();
  for (const entry of SUBCOMMANDS) {
    const command = program.command(entry.name).description(entry.description);
    if (define(entry.name)) (await entry.load())(command);
    command.exitOverride();
  }
  return program;
}

