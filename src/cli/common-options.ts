/**
 * The flags every command shares (docs/cli.md "Common flags") and the session facts derived from
 * them: whether a human can be asked, and how output is drawn.
 */
import { Command, InvalidArgumentError, Option } from 'commander';

export type OutputFormat = 'table' | 'json' | 'gcloud' | 'terraform';

export interface CommonOptions {
  config: string;
  project?: string;
  yes: boolean;
  format: OutputFormat;
  emulator: boolean;
  color: boolean;
  verbose: boolean;
}

/** Adds the common flags to a command. `formats` lists the --format values it accepts. */
export function addCommonOptions(command: Command, formats: OutputFormat[] = ['table', 'json']): Command {
  return command
    .option('-c, --config <file>', 'config file (YAML or JSON)', 'serverless-lb.yaml')
    .option('--project <id>', 'Google Cloud project ID (default: the config, then CLOUDSDK_CORE_PROJECT / GOOGLE_CLOUD_PROJECT, then gcloud\'s)')
    .option('-y, --yes', 'no confirmations and no prompts: every answer comes from flags or the config', false)
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('table'))
    .option('--emulator', 'start an embedded Google Cloud emulator for this one command', false)
    .option('--no-color', 'no colors (also: the NO_COLOR environment variable)')
    .option('-v, --verbose', 'more detail, and stack traces for errors', false);
}

/**
 * Whether this session may prompt: stdin and stdout are terminals, CI is not set, --yes was not given,
 * and the output is not machine-readable JSON.
 */
export function isInteractive(options: Pick<CommonOptions, 'yes' | 'format'>, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !options.yes && !env.CI && options.format !== 'json';
}

/** A commander parser for a flag that takes a number of things at once (1 or more). */
export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${flag} takes a whole number of at least 1, got "${value}".`);
    return Number(value);
  };
}

/** A commander parser for a whole-number flag, naming the flag when the value is not one. */
export function parseNonNegativeInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}".`);
    return Number(value);
  };
}
