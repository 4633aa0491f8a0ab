/**
 * serverless-lb's entry point: builds the commander program, runs it, and maps every error to an
 * exit code through the one top-level handler.
 *
 * Performance contract: importing this module, `--help`, `--version`, argument and config errors and
 * `plan --offline` load no Google SDK code. Only the invoked command's module is loaded (commands.ts);
 * it registers its options and loads what talks to Google (src/cloud, src/emulator) with
 * `await import()` inside its action.
 */
import { reportError } from './handle-error.js';
import { SUBCOMMANDS } from './commands.js';
import { buildProgram } from './program.js';

/** The subcommand argv names (`serverless-lb apply ...`, also `help apply`), if any. */
function invoked(argv: string[]): string | undefined {
  const args = argv.slice(2);
  const first = args.findIndex((a) => !a.startsWith('-'));
  if (first < 0) return undefined;
  return args[first] === 'help' ? args[first + 1] : args[first];
}

function wantsJson(argv: string[]): boolean {
  const i = argv.indexOf('--format');
  return argv.includes('--format=json') || (i >= 0 && argv[i + 1] === 'json');
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const name = invoked(argv);
  // An unknown command name defines them all, so commander's "did you mean" sees every option.
  const entry = SUBCOMMANDS.find((c) => c.name === name);
  const program = await buildProgram((n) => (!entry ? name !== undefined : entry.needsAllCommands === true || n === name));
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
