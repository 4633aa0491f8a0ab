/**
 * Files shipped in the serverless-lb package (docs/, the JSON Schema), found from the running code.
 * Contract: the compiled module sits two folders below the package root (dist/cli/ from tsc,
 * dist/bundle/ in the bundle), so `../../` is the root from either.
 */
import { fileURLToPath } from 'node:url';

/** The absolute path of a file given relative to the package root (`docs/serverless-lb.schema.json`). */
export function packageFile(relativePath: string): string {
  return fileURLToPath(new URL(`../../${relativePath}`, import.meta.url));
}
