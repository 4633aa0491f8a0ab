/**
 * The performance contract of the fast paths, checked by what they load (not by timing):
 * `--help`, `--version`, config errors and `plan --offline` (every format) load no Google SDK,
 * no google-auth-library and no emulator code.
 *
 * The CLI runs bundled (dist/bundle/, esbuild.config.mjs): a loaded bundle file stands for the
 * source modules esbuild's metafile says it holds, so "no emulator code" is still checked per module.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BUNDLE, CLI, EXAMPLES, ROOT } from './support/harness.js';

const TRACER = resolve(ROOT, 'test/e2e/support/trace-modules.mjs');
const dir = mkdtempSync(join(tmpdir(), 'slb-startup-'));

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}
let metafile: Metafile;

/** A loaded URL as source modules: a bundle file as the modules it holds (paths from the root). */
function sourceModules(url: string): string[] {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const output = metafile.outputs[relative(ROOT, path)];
  return output ? Object.keys(output.inputs) : [path];
}

function loadedModules(args: string[]): { status: number | null; modules: string[] } {
  const out = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACER, CLI, ...args], {
    cwd: dir,
    env: { ...process.env, SLB_TRACE_MODULES: out, NO_COLOR: '1', CI: '1' },
    encoding: 'utf8',
  });
  const urls = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  return { status: r.status, modules: urls.flatMap(sourceModules) };
}

const HEAVY = /node_modules\/(@google-cloud|google-gax|google-auth-library|gaxios|@grpc|protobufjs)\/|(^|\/)dist\/(emulator|cloud)\//;

beforeAll(() => {
  assertBuilt();
  metafile = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Metafile;
});

describe('the bundle', () => {
  it('holds the CLI and the packages it bundles, and no SDK (those stay in node_modules, loaded lazily)', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('dist/cli/main.js');
    expect(inputs.some((p) => p.startsWith('node_modules/zod/'))).toBe(true);
    expect(inputs.filter((p) => HEAVY.test(p) && p.startsWith('node_modules/'))).toEqual([]);
    expect(inputs.filter((p) => /node_modules\/(@inquirer|ora|@peculiar|dns-packet)\//.test(p))).toEqual([]);
  });
});

describe('fast paths load no SDK', () => {
  const biggest = resolve(EXAMPLES, 'multi-region.yaml');
  const cases: Array<[string, string[], number]> = [
    ['--help', ['--help'], 0],
    ['--version', ['--version'], 0],
    ['plan --help', ['plan', '--help'], 0],
    ['plan --offline (table)', ['plan', '--offline', '-c', biggest], 0],
    ['plan --offline --format json', ['plan', '--offline', '-c', biggest, '--format', 'json'], 0],
    ['plan --offline --format gcloud', ['plan', '--offline', '-c', biggest, '--format', 'gcloud'], 0],
    ['plan --offline --format terraform', ['plan', '--offline', '-c', biggest, '--format', 'terraform'], 0],
  ];
  it.each(cases)('%s', (_label, args, code) => {
    const { status, modules } = loadedModules(args);
    expect(status).toBe(code);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
    // The tracer sees the CLI itself, so an empty list would mean the check proves nothing.
    expect(modules).toContain('dist/cli/main.js');
    // commander's child_process (executable subcommands, unused) is loaded only on a spawn.
    expect(modules).not.toContain('node:child_process');
    expect(modules).toContain('node:path');
  });

  it('an invalid config (exit 2) loads no SDK either, even for apply', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: Bad_Name\nproject: demo-project\nbackends: []\n');
    const { status, modules } = loadedModules(['apply', '--yes', '-c', bad]);
    expect(status).toBe(2);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it('apply in plain and json output (CI, scripts) loads no spinner library: ora is for terminals', () => {
    for (const format of ['table', 'json']) {
      const { status, modules } = loadedModules(['apply', '--emulator', '--yes', '--no-verify', '--format', format, '-c', resolve(EXAMPLES, 'regional-internal.yaml')]);
      expect(status, format).toBe(0);
      expect(modules.filter((m) => /node_modules\/(ora|cli-spinners|string-width)\//.test(m)), format).toEqual([]);
      // The walk view did run (its source module is in a loaded bundle file).
      expect(modules, format).toContain('dist/ui/walk-view.js');
    }
  });

  it('the tracer does see the SDK when a command talks to Google (the check can fail)', () => {
    const { modules } = loadedModules(['status', '-c', resolve(EXAMPLES, 'global-external.yaml'), '--project', 'demo-project']);
    expect(modules.some((m) => /node_modules\/google-auth-library\//.test(m))).toBe(true);
    // ...and the bundled session code, seen through the metafile.
    expect(modules.some((m) => /^dist\/cloud\//.test(m))).toBe(true);
  });
});
