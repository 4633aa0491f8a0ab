/**
 * The performance contract of the fast paths, checked by what they load (not by timing):
 * `--help`, `--version`, config errors and `plan --offline` (every format) load no Google SDK,
 * no google-auth-library and no emulator code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, EXAMPLES, ROOT } from './support/harness.js';

const TRACER = resolve(ROOT, 'test/e2e/support/trace-modules.mjs');
const dir = mkdtempSync(join(tmpdir(), 'slb-startup-'));

function loadedModules(args: string[]): { status: number | null; modules: string[] } {
  const out = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACER, CLI, ...args], {
    cwd: dir,
    env: { ...process.env, SLB_TRACE_MODULES: out, NO_COLOR: '1', CI: '1' },
    encoding: 'utf8',
  });
  return { status: r.status, modules: readFileSync(out, 'utf8').split('\n').filter(Boolean) };
}

const HEAVY = /node_modules\/(@google-cloud|google-gax|google-auth-library|gaxios|@grpc|protobufjs)\/|\/dist\/(emulator|cloud)\//;

beforeAll(() => assertBuilt());

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
    expect(modules.some((m) => m.includes('/dist/cli/main.js'))).toBe(true);
  });

  it('an invalid config (exit 2) loads no SDK either, even for apply', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: Bad_Name\nproject: demo-project\nbackends: []\n');
    const { status, modules } = loadedModules(['apply', '--yes', '-c', bad]);
    expect(status).toBe(2);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it('the tracer does see the SDK when a command talks to Google (the check can fail)', () => {
    const { modules } = loadedModules(['status', '-c', resolve(EXAMPLES, 'global-external.yaml'), '--project', 'demo-project']);
    expect(modules.some((m) => HEAVY.test(m))).toBe(true);
  });
});
