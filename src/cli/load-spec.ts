/**
 * Config file + flags -> a validated Spec, or a UsageError (exit 2) listing every problem at once.
 * Reads only local files (the config, certificate files named in it); never the network.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { readConfigFile, locateProblems } from '../spec/config-file.js';
import { specInputFromFlags, mergeSpecInput, type SpecInputPatch } from '../spec/from-flags.js';
import { validateSpec } from '../spec/validate.js';
import { nodeSpecIo } from '../spec/node-io.js';
import { formatProblem, hasErrors, type Problem } from '../spec/problem.js';
import type { Spec } from '../spec/schema.js';

export interface LoadedSpec {
  spec: Spec;
  /** The merged input (config then flags), before defaults: what `init` writes back. */
  input: SpecInputPatch;
  /** The config file read, if any. */
  configPath?: string;
  warnings: Problem[];
}

export interface LoadSpecOptions {
  /**
   * Check that secrets named by the config can be read (the IAP client secret's environment
   * variable is set). Commands that send secrets to Google (apply, init) need this; plan does not.
   */
  secrets?: boolean;
}

/** true when the user typed `--config` (as opposed to the default file name). */
export function configWasGiven(command: Command): boolean {
  return command.getOptionValueSource('config') === 'cli';
}

/** Reads the config file (if any) and the flags and merges them; problems in either are thrown. */
export function readSpecInput(command: Command, options: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): { input: SpecInputPatch; configPath?: string; locate?: (key: string) => string | undefined } {
  const configPath = String(options.config ?? 'serverless-lb.yaml');
  const problems: Problem[] = [];
  let fromConfig: unknown = {};
  let locate: ((key: string) => string | undefined) | undefined;
  let usedConfig: string | undefined;
  if (configWasGiven(command) || existsSync(configPath)) {
    const read = readConfigFile(configPath);
    if (read.ok) {
      fromConfig = read.input;
      locate = read.locate;
      usedConfig = configPath;
    } else {
      problems.push(...read.problems);
    }
  }
  const flags = specInputFromFlags(options);
  problems.push(...flags.problems);
  if (hasErrors(problems)) throw invalid(problems);
  const input = mergeSpecInput(fromConfig, flags.input);
  if (input.project === undefined) {
    const project = env.CLOUDSDK_CORE_PROJECT || env.GOOGLE_CLOUD_PROJECT;
    if (project) input.project = project;
  }
  return { input, ...(usedConfig ? { configPath: usedConfig } : {}), ...(locate ? { locate } : {}) };
}

export function invalid(problems: readonly Problem[]): UsageError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new UsageError(`the configuration is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}); nothing was changed`, {
    code: 'config.invalid',
    details: errors.map(formatProblem),
    hint: 'fix the keys (or flags) named above; docs/config.md lists every key and flag',
  });
}

/** Validates a merged input; throws the UsageError with every problem. */
export function validateInput(
  input: SpecInputPatch,
  locate?: (key: string) => string | undefined,
  options: LoadSpecOptions = {},
): { spec: Spec; warnings: Problem[] } {
  const { env, ...withoutEnv } = nodeSpecIo();
  const result = validateSpec(input, options.secrets === false ? withoutEnv : { ...withoutEnv, env });
  if (!result.ok) throw invalid(locate ? locateProblems(result.problems, locate) : result.problems);
  return { spec: result.spec, warnings: result.warnings };
}

export function loadSpec(command: Command, options: Record<string, unknown>, loadOptions: LoadSpecOptions = {}): LoadedSpec {
  const { input, configPath, locate } = readSpecInput(command, options);
  const { spec, warnings } = validateInput(input, locate, loadOptions);
  return { spec, input, warnings, ...(configPath ? { configPath } : {}) };
}
