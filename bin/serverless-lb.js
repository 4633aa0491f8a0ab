#!/usr/bin/env node
// Launcher: everything lives in the bundled CLI (dist/bundle/, built by `npm install` through
// `prepare`).
//
// Contract: on a Node.js older than MINIMUM_NODE_MAJOR this file prints one line (the version found,
// the version needed, how to get it) and exits 2, before loading anything that needs a newer Node.
// Keep it to syntax and APIs every Node since 16 understands: nothing here may fail to parse or link
// on the old Node it is meant to turn away (so no named import of a newer API).
//
// Node's compile cache (in the OS temp directory) keeps the compiled code of the CLI and its
// dependencies between runs, so start-up does not compile them again each time. With --verbose,
// stack traces go through the bundle's source maps to src/*.ts (loading them costs start-up time, so
// only then).
import nodeModule from 'node:module';

/** The oldest Node.js major the CLI and the Google SDKs it loads support (package.json `engines`). */
const MINIMUM_NODE_MAJOR = 22;

const found = process.versions.node;
if (Number(found.split('.')[0]) < MINIMUM_NODE_MAJOR) {
  process.stderr.write(
    `serverless-lb needs Node.js ${MINIMUM_NODE_MAJOR} or newer and found Node.js ${found}: ` +
      `install Node.js 24 LTS (https://nodejs.org/en/download, or \`nvm install 24\`) and run it again.\n`,
  );
  process.exit(2);
}

if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();
if (process.argv.includes('--verbose') || process.argv.includes('-v')) process.setSourceMapsEnabled(true);
await import('../dist/bundle/main.js');
