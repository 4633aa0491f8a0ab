#!/usr/bin/env node
// Launcher: everything lives in the compiled CLI (dist/, built by `npm install` through `prepare`).
// Node's compile cache (in the OS temp directory) keeps the compiled code of the CLI and its
// dependencies between runs, so start-up does not compile them again each time.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('../dist/bundle/main.js');
