#!/usr/bin/env node
// Launcher: everything lives in the bundled CLI (dist/bundle/, built by `npm install` through
// `prepare`). Node's compile cache (in the OS temp directory) keeps the compiled code of the CLI and
// its dependencies between runs, so start-up does not compile them again each time. With --verbose,
// stack traces go through the bundle's source maps to src/*.ts (loading them costs start-up time, so
// only then).
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
if (process.argv.includes('--verbose') || process.argv.includes('-v')) process.setSourceMapsEnabled(true);
await import('../dist/bundle/main.js');
