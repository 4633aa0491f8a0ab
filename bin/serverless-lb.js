#!/usr/bin/env node
// Launcher: everything lives in the compiled CLI (dist/, built by `npm install` through `prepare`).
import '../dist/cli/main.js';
