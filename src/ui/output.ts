/**
 * How a command draws: the one place that decides between a live terminal (ora spinners, chalk
 * colors), plain lines (CI, pipes, --no-color) and JSON. Results go to stdout; progress, prompts'
 * echoes and errors go to stderr (docs/cli.md).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { stdoutJsonDocument } from './json-document.js';

export type OutputMode = 'tty' | 'plain' | 'json';

export interface Output {
  mode: OutputMode;
  /** Colors for stderr/stdout text (level 0 when colors are off). */
  color: ChalkInstance;
  /** A line of progress or information on stderr (suppressed in json mode unless `force`). */
  info(line: string, force?: boolean): void;
  /** A line of warning on stderr (also in json mode). */
  warn(line: string): void;
  /** A result on stdout. */
  result(text: string): void;
  /** A JSON result on stdout (one document). */
  json(value: unknown): void;
  /** A JSON progress event on stderr (one line), in json mode only. */
  event(value: unknown): void;
  stderr: NodeJS.WriteStream;
}

export interface OutputOptions {
  format?: string;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function createOutput(options: OutputOptions = {}): Output {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const noColor = options.color === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  const mode: OutputMode = options.format === 'json' ? 'json' : stderr.isTTY && !env.CI ? 'tty' : 'plain';
  const colorLevel = noColor || !stderr.isTTY ? 0 : 1;
  const color = new Chalk({ level: colorLevel });
  return {
    mode,
    color,
    stderr,
    info(line, force = false) {
      if (mode !== 'json' || force) stderr.write(line + '\n');
    },
    warn(line) {
      stderr.write(color.yellow(line) + '\n');
    },
    result(text) {
      stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
    json(value) {
      stdout.write(JSON.stringify(value, null, 2) + '\n');
      stdoutJsonDocument.written = true;
    },
    event(value) {
      if (mode === 'json') stderr.write(JSON.stringify(value) + '\n');
    },
  };
}

/** `1.2s`, `350ms`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
