/**
 * Resolves FileRef (`{$file}`: a certificate chain) and SecretRef (`{$secret: {file | env, what}}`:
 * a private key, an OAuth client secret) in a request body, at call time, just before the call.
 * The resolved body lives only in memory for that call; errors name the file or variable and
 * what it is for, never its content.
 */
import { readFile } from 'node:fs/promises';
import { isFileRef, isSecretRef } from '../model/resource-model.js';
import { cloudError } from './normalise-error.js';

export function containsPlaceholder(value: unknown): boolean {
  if (isFileRef(value) || isSecretRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsPlaceholder);
  if (value && typeof value === 'object') return Object.values(value).some(containsPlaceholder);
  return false;
}

export async function resolvePlaceholders(
  body: Record<string, unknown>,
  operation: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown>> {
  if (!containsPlaceholder(body)) return body;
  const walk = async (value: unknown): Promise<unknown> => {
    if (isFileRef(value)) {
      try {
        return await readFile(value.$file, 'utf8');
      } catch (error) {
        throw cloudError(operation, 'secretUnreadable', `cannot read ${value.$file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }
    if (isSecretRef(value)) {
      const { file, env: variable, what } = value.$secret;
      if (file) {
        try {
          return (await readFile(file, 'utf8')).replace(/\s+$/, '');
        } catch (error) {
          throw cloudError(operation, 'secretUnreadable', `cannot read ${what} from ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
        }
      }
      if (variable) {
        const v = env[variable];
        if (v === undefined || v === '') throw cloudError(operation, 'secretUnreadable', `${what}: environment variable ${variable} is not set`);
        return v;
      }
      throw cloudError(operation, 'secretUnreadable', `${what}: no file or environment variable given`);
    }
    if (Array.isArray(value)) return Promise.all(value.map(walk));
    if (value && typeof value === 'object') {
      return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await walk(v)] as const)));
    }
    return value;
  };
  return (await walk(body)) as Record<string, unknown>;
}
