/**
 * Config file + flags -> a validated Spec, or a UsageError (exit 2) listing every problem at once.
 * Reads only local files (the config, certificate files named in it); never the network.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
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

export interface SpecInputRead {
  input: SpecInputPatch;
  /** The config file read, if any. */
  configPath?: string;
  /** FILE:LINE:COLUMN of a key the config file set; undefined for keys a flag set (flags win). */
  locate?: (key: string) => string | undefined;
  /** No config file was read: the default one is not there and none was named (`init` writes one). */
  configMissing?: string;
  /** The flags set at least one config key. */
  flagsGiven: boolean;
}

/** Is a dotted key (`backends.1.cloudRun.service`), or a key above it, set in a patch? */
function setIn(patch: unknown, key: string): boolean {
  let node = patch;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[part];
    if (node !== undefined && (typeof node !== 'object' || Array.isArray(node))) return true;
  }
  return node !== undefined;
}

/**
 * Reads the config file (if any) and the flags and merges them (flags win); problems in either are
 * thrown. `mayCreate`: a named config file that does not exist is one to write (`init -c new.yaml`),
 * not an error.
 */
export function readSpecInput(command: Command, options: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env, readOptions: { mayCreate?: boolean } = {}): SpecInputRead {
  const configPath = String(options.config ?? 'serverless-lb.yaml');
  const problems: Problem[] = [];
  let fromConfig: unknown = {};
  let locate: ((key: string) => string | undefined) | undefined;
  let usedConfig: string | undefined;
  const exists = existsSync(configPath);
  if (exists || (configWasGiven(command) && !readOptions.mayCreate)) {
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
  // A value a flag gave is reported with the flag, never at a line of the config file.
  const fromFile = locate;
  const locateInFile = fromFile ? (key: string) => (setIn(flags.input, key) ? undefined : fromFile(key)) : undefined;
  return {
    input,
    flagsGiven: Object.keys(flags.input).length > 0,
    ...(usedConfig ? { configPath: usedConfig } : { configMissing: configPath }),
    ...(locateInFile ? { locate: locateInFile } : {}),
  };
}

/** The error for a command that needs a config when there is none (and the flags do not make one). */
export function missingConfigError(configPath: string, problems: readonly Problem[] = []): UsageError {
  return new UsageError(`no ${basename(configPath)} in ${dirname(resolve(configPath))} (run \`serverless-lb init\`, or pass -c FILE); nothing was changed`, {
    code: 'config.missing',
    details: problems.filter((p) => p.severity === 'error').map(formatProblem),
    hint: problems.length
      ? 'or give the flags named above: every config key has one (docs/config.md)'
      : '`serverless-lb init` asks the questions and writes the file; docs/examples/ has a config for each load balancer type',
  });
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
  const { input, configPath, locate, configMissing, flagsGiven } = readSpecInput(command, options);
  try {
    const { spec, warnings } = validateInput(input, locate, loadOptions);
    return { spec, input, warnings, ...(configPath ? { configPath } : {}) };
  } catch (error) {
    // No config file and flags that do not describe a load balancer: say that, not "name is required".
    if (configMissing !== undefined && error instanceof UsageError) {
      const { env, ...withoutEnv } = nodeSpecIo();
      const result = validateSpec(input, loadOptions.secrets === false ? withoutEnv : { ...withoutEnv, env });
      throw missingConfigError(configMissing, flagsGiven && !result.ok ? result.problems : []);
    }
    throw error;
  }
}
