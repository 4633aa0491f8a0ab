/**
 * `serverless-lb completion bash|zsh|fish`: prints a completion script for the shell (subcommands,
 * their flags, enum values, file names). The script is built from the same commander definitions
 * the CLI parses with, so it cannot drift from them.
 */
import { Argument, type Command, type Option } from 'commander';
import { COMPLETION_SHELLS, type CompletionFlag, type CompletionModel, type CompletionShell } from './completion-scripts.js';

/** Argument names that stand for a path (`<file>`, `<path>`, `<dir>`). */
const FILE_ARGUMENT = /<(file|path|dir)>|\[(file|path|dir)\]/;

function flagOf(option: Option, specValues: ReadonlyMap<string, readonly string[]>): CompletionFlag {
  const names = [option.short, option.long].filter((n): n is string => Boolean(n));
  const takesValue = option.required || option.optional;
  const values = option.argChoices ?? (option.long ? specValues.get(option.long) : undefined);
  return {
    names,
    description: option.description,
    takesValue,
    ...(takesValue && values ? { values: [...values] } : {}),
    ...(takesValue && !values && FILE_ARGUMENT.test(option.flags) ? { file: true } : {}),
  };
}

const HELP_FLAG: CompletionFlag = { names: ['-h', '--help'], description: 'show help', takesValue: false };

/** The completion model of a fully defined program. */
export function completionModel(program: Command, specValues: ReadonlyMap<string, readonly string[]>): CompletionModel {
  const flags = (command: Command) => [...command.options.map((o) => flagOf(o, specValues)), HELP_FLAG];
  return {
    program: program.name(),
    flags: flags(program),
    commands: program.commands.map((c) => ({ name: c.name(), description: c.description(), flags: flags(c) })),
  };
}

export function defineCompletion(command: Command): void {
  command
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS))
    .addHelpText('after', '\nExamples:\n  source <(serverless-lb completion bash)\n  serverless-lb completion zsh > "${fpath[1]}/_serverless-lb"\n  serverless-lb completion fish > ~/.config/fish/completions/serverless-lb.fish')
    // The program defines every command when this one runs (commands.ts `needsAllCommands`).
    .action(async (shell: CompletionShell, _options: unknown, self: Command) => {
      const [{ completionScript }, { flagEnumValues }] = await Promise.all([import('./completion-scripts.js'), import('../spec/json-schema.js')]);
      process.stdout.write(completionScript(shell, completionModel(self.parent!, flagEnumValues())));
    });
}
