/**
 * The real-world SpecIo: the file system, the clock and process.env. The CLI passes this to
 * validateSpec; tests pass their own.
 */
import { readFileSync } from 'node:fs';
import type { SpecIo } from './validate.js';

export function nodeSpecIo(env: NodeJS.ProcessEnv = process.env): Required<SpecIo> {
  return {
    readFile: (path) => readFileSync(path, 'utf8'),
    now: () => new Date(),
    env: (name) => env[name],
  };
}
