import { createRequire } from 'node:module';

/** The package version, read from package.json (one small synchronous read, no import cost). */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
