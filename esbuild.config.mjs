/**
 * The shipped CLI: bundles the compiled CLI (dist/cli/main.js, from tsc) into dist/bundle/, which is
 * what bin/serverless-lb.js runs. Run by `npm run build` after tsc.
 *
 * Why: start-up is dominated by resolving and loading ES modules, not by running them. Unbundled,
 * `plan --offline` loads about 260 modules (the CLI's own, zod, yaml); bundled, about 20.
 *
 * Contract:
 * - The CLI's own code and the small libraries every command needs (BUNDLED below) go into the
 *   bundle. Every other package (the Google SDKs, google-auth-library, @inquirer/prompts, ora,
 *   @peculiar/x509, dns-packet, ...) stays external: Node loads it from node_modules, and only when
 *   a command imports it, because those packages read their own files (protos, descriptors)
 *   relative to themselves and are loaded lazily on purpose.
 * - Each dynamic import (each subcommand, each renderer, the SDK session) stays its own chunk, so
 *   laziness survives bundling.
 * - Every output file sits directly in dist/bundle/ (no subfolders): code that finds the package
 *   root from its own location (cli/version.ts: `../../package.json`) works from any chunk.
 * - dist/bundle/meta.json is esbuild's metafile: which source modules each output file holds (the
 *   start-up test reads it to tell which modules a command loaded).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const OUT_DIR = 'dist/bundle';
const BUNDLED = new Set(['zod', 'yaml', 'commander', 'chalk']);

/** The package name of a bare import specifier (`zod/mini` -> `zod`, `@scope/pkg/x` -> `@scope/pkg`). */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Marks every package outside BUNDLED (and every Node built-in) external. */
const onlyBundled = {
  name: 'only-bundled-packages',
  setup(builder) {
    // Bare specifiers only: relative and absolute paths are the CLI's own or a package's own files,
    // `#...` are a package's private imports (chalk's), resolved inside that package.
    builder.onResolve({ filter: /^[^./#]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      return BUNDLED.has(packageName(args.path)) ? undefined : { external: true };
    });
  },
};

/**
 * commander imports node:child_process at load for executable subcommands, which serverless-lb does
 * not use; loading it is about a tenth of `--help`'s start-up. In the bundle it is required on first
 * spawn instead. The exact import line is required: a commander that no longer has it fails the build.
 */
const COMMANDER_CHILD_PROCESS = "import childProcess from 'node:child_process';";
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(builder) {
    builder.onLoad({ filter: /node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(COMMANDER_CHILD_PROCESS)) throw new Error(`${args.path}: "${COMMANDER_CHILD_PROCESS}" not found; update esbuild.config.mjs`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: source.replace(COMMANDER_CHILD_PROCESS, lazy), loader: 'js' };
    });
  },
};

rmSync(OUT_DIR, { recursive: true, force: true });
const result = await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // tsc's source maps are followed, so stack traces map back to src/*.ts.
  sourcemap: 'linked',
  metafile: true,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  // yaml is CommonJS: the bundled copy's require() of Node built-ins needs a module-local require
  // (so does commander's lazy child_process, below).
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  plugins: [onlyBundled, lazyChildProcess],
  logLevel: 'warning',
});
writeFileSync(`${OUT_DIR}/meta.json`, JSON.stringify(result.metafile));
