/**
 * Shell completion scripts (bash, zsh, fish) from a description of the command line: subcommands,
 * their flags, and the values a flag takes (an enum's values, or files). Pure: text from data.
 *
 * Contract: each script completes subcommand names at the first word, the flags of the subcommand
 * being typed (and the top-level ones before it), and after a flag that takes a value, that flag's
 * values (or file names for a file flag). Nothing in a script runs serverless-lb: completing is
 * instant and needs no credentials.
 */

export interface CompletionFlag {
  /** Every spelling: `-c`, `--config`. */
  names: string[];
  description: string;
  /** The flag takes a value. */
  takesValue: boolean;
  /** The values it takes, when they are a fixed list. */
  values?: string[];
  /** Its value is a file path. */
  file?: boolean;
}

export interface CompletionCommand {
  name: string;
  description: string;
  flags: CompletionFlag[];
}

export interface CompletionModel {
  /** The program's name as typed (`serverless-lb`). */
  program: string;
  /** Flags of the program itself (`--help`, `--version`). */
  flags: CompletionFlag[];
  commands: CompletionCommand[];
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** A shell-safe identifier from the program name (`serverless-lb` -> `serverless_lb`). */
function ident(program: string): string {
  return program.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Single-quoted for sh-like shells. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function completionScript(shell: CompletionShell, model: CompletionModel): string {
  switch (shell) {
    case 'bash':
      return bashScript(model);
    case 'zsh':
      return zshScript(model);
    case 'fish':
      return fishScript(model);
  }
}

function bashScript(model: CompletionModel): string {
  const fn = `_${ident(model.program)}`;
  const flagWords = (flags: CompletionFlag[]) => flags.flatMap((f) => f.names).join(' ');
  const valueCases = (flags: CompletionFlag[]) =>
    flags
      .filter((f) => f.takesValue)
      .map((f) => {
        const action = f.values ? `COMPREPLY=($(compgen -W ${quote(f.values.join(' '))} -- "$cur"))` : f.file ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=()';
        return `        ${f.names.join('|')}) ${action}; return 0 ;;`;
      })
      .join('\n');
  const commandCases = model.commands
    .map(
      (c) => `    ${c.name})
      case "$prev" in
${valueCases(c.flags) || '        __none) ;;'}
      esac
      COMPREPLY=($(compgen -W ${quote(flagWords(c.flags))} -- "$cur"))
      ;;`,
    )
    .join('\n');
  return `# bash completion for ${model.program}
# Load it in this shell:   source <(${model.program} completion bash)
# Or for every new shell:  ${model.program} completion bash > ~/.local/share/bash-completion/completions/${model.program}
${fn}() {
  local cur prev sub i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  sub=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) sub="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  if [[ -z "$sub" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=($(compgen -W ${quote(flagWords(model.flags))} -- "$cur"))
    else
      COMPREPLY=($(compgen -W ${quote(model.commands.map((c) => c.name).join(' '))} -- "$cur"))
    fi
    return 0
  fi
  case "$sub" in
${commandCases}
  esac
  return 0
}
complete -o default -F ${fn} ${model.program}
`;
}

/** One `_arguments` spec for a flag (`'(-c --config)'{-c,--config}'[config file]:file:_files'`). */
function zshFlagSpecs(flag: CompletionFlag): string[] {
  const description = oneLine(flag.description).replace(/[[\]:\\]/g, (ch) => `\\${ch}`).replace(/'/g, `'\\''`);
  const action = !flag.takesValue ? '' : flag.values ? `:value:(${flag.values.join(' ')})` : flag.file ? ':file:_files' : ':value: ';
  const exclusive = flag.names.length > 1 ? `(${flag.names.join(' ')})` : '';
  return flag.names.map((name) => `'${exclusive}${name}[${description}]${action}'`);
}

function zshScript(model: CompletionModel): string {
  const fn = `_${ident(model.program)}`;
  const commands = model.commands.map((c) => `    ${quote(`${c.name}:${oneLine(c.description).replace(/:/g, '\\:')}`)}`).join('\n');
  const commandCases = model.commands
    .map((c) => `      (${c.name})\n        _arguments -s \\\n          ${c.flags.flatMap(zshFlagSpecs).join(' \\\n          ')}\n        ;;`)
    .join('\n');
  return `#compdef ${model.program}
# zsh completion for ${model.program}
# Load it in this shell:   source <(${model.program} completion zsh)
# Or for every new shell:  ${model.program} completion zsh > "\${fpath[1]}/_${model.program}"
${fn}() {
  local line state
  local -a subcommands
  subcommands=(
${commands}
  )
  _arguments -C \\
    ${model.flags.flatMap(zshFlagSpecs).join(' \\\n    ')} \\
    '1: :->command' \\
    '*:: :->args'
  case $state in
    (command)
      _describe -t commands 'command' subcommands
      ;;
    (args)
      case $line[1] in
${commandCases}
      esac
      ;;
  esac
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${model.program}
fi
`;
}

function fishScript(model: CompletionModel): string {
  const p = model.program;
  const flagLine = (flag: CompletionFlag, condition: string) => {
    const parts = [`complete -c ${p} -n ${quote(condition)}`];
    for (const name of flag.names) parts.push(name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`);
    if (flag.takesValue) parts.push(flag.values ? `-x -a ${quote(flag.values.join(' '))}` : flag.file ? '-r -F' : '-x');
    parts.push(`-d ${quote(oneLine(flag.description, 80))}`);
    return parts.join(' ');
  };
  const lines = [
    `# fish completion for ${p}`,
    `# Load it in this shell:   ${p} completion fish | source`,
    `# Or for every new shell:  ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    `complete -c ${p} -f`,
    ...model.flags.map((f) => flagLine(f, '__fish_use_subcommand')),
    ...model.commands.map((c) => `complete -c ${p} -n '__fish_use_subcommand' -a ${c.name} -d ${quote(oneLine(c.description, 80))}`),
    ...model.commands.flatMap((c) => c.flags.map((f) => flagLine(f, `__fish_seen_subcommand_from ${c.name}`))),
  ];
  return `${lines.join('\n')}\n`;
}
