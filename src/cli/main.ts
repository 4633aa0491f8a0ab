/**
 * serverless-lb's entry point: builds the commander program, runs it, and maps every error to an
 * exit code through the one top-level handler.
 *
 * Performance contract: importing this module, `--help`, `--version`, argument and config errors and
 * `plan --offline` load no Google SDK code. Each command file registers its options synchronously
 * and loads what talks to Google (src/cloud, src/emulator) with `await import()` inside its action.
 */
import { Command } from 'commander';
import { reportError } from './handle-error.js';
import { VERSION } from './version.js';
import { registerInit } from './init.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerVerify } from './verify.js';
import { registerStatus } from './status.js';
import { registerTeardown } from './teardown.js';
import { registerEmulator } from './emulator.js';
import { registerDemo } from './demo.js';

export function buildProgram(): Command {
  const program = new Command('serverless-lb')
    .description('Put serverless apps (Cloud Run, functions, App Engine, API Gateway) behind a Google Cloud Application Load Balancer: plan, apply, verify, tear down.')
    .version(VERSION, '-V, --version')
    // Usage errors are reported once, by the top-level handler (with the exit code and hint).
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  registerInit(program);
  registerPlan(program);
  registerApply(program);
  registerVerify(program);
  registerStatus(program);
  registerTeardown(program);
  registerEmulator(program);
  registerDemo(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

function wantsJson(argv: string[]): boolean {
  const i = argv.indexOf('--format');
  return argv.includes('--format=json') || (i >= 0 && argv[i + 1] === 'json');
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, { json: wantsJson(argv), verbose: argv.includes('--verbose') || argv.includes('-v') });
  }
}

const exitCode = await main();
process.exitCode = exitCode;
// Google's clients can hold sockets open after their work is done; never let them keep a finished
// command alive. The timer is unref'd, so it fires only when something else still holds the loop.
setTimeout(() => process.exit(exitCode), 200).unref();
