/**
 * The layout contract of src/: no import cycle anywhere (relative imports of every form, type-only
 * and dynamic `import()` included); folders in layers, each importing only folders below it
 * (docs/architecture.md); the emulator importing nothing of the rest; and no product file outside
 * the emulator over 500 lines.
 * Imports are read with TypeScript's own pre-processor, not a pattern.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 500;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC);
const known = new Set(files);

/** Relative imports of a file, resolved to the .ts files they name. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')))
    .filter((path) => known.has(path));
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

/** The folders of src/, bottom first: a folder imports only folders before it (and src/errors.ts). */
const LAYERS = ['spec', 'model', 'kinds', 'plan', 'cloud', 'apply', 'verify', 'wizard', 'ui', 'cli'];

/** The folder of a file under src/ ('' for a file directly in src/). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0]! : '';
}

/** Imports that reach a folder at or above the importer's layer (the emulator: any folder but its own). */
function layerViolations(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    for (const target of imports) {
      const to = folderOf(target);
      if (to === from || to === '') continue;
      const allowed = from === 'emulator' ? false : to === 'emulator' ? from === 'cli' : LAYERS.indexOf(to) < LAYERS.indexOf(from) && LAYERS.indexOf(to) >= 0;
      if (!allowed) out.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
    }
  }
  return out.sort();
}

describe('layout of src/', () => {
  it('reads the imports it checks (the check can fail)', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    expect(graph.get(join(SRC, 'plan/diff.ts'))).toContain(join(SRC, 'kinds/registry.ts'));
    // A cycle made on purpose is found.
    expect(cycles(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toEqual([['a', 'b'].map((f) => relative(ROOT, f)).sort()]);
  });

  it('knows every folder of src/ and finds an upward import', () => {
    const folders = new Set(files.map(folderOf).filter((f) => f !== '' && f !== 'emulator'));
    expect([...folders].filter((f) => !LAYERS.includes(f))).toEqual([]);
    const upward = new Map([[join(SRC, 'kinds/a.ts'), [join(SRC, 'plan/b.ts'), join(SRC, 'model/c.ts')]]]);
    expect(layerViolations(upward)).toEqual(['src/kinds/a.ts -> src/plan/b.ts']);
  });

  it('imports only downward: each folder imports folders below it in LAYERS', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    expect(layerViolations(graph)).toEqual([]);
  });

  it('has no import cycle, type-only and dynamic imports included', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    expect(cycles(graph)).toEqual([]);
  });

  it(`has no product file outside src/emulator over ${MAX_LINES} lines`, () => {
    const big = files
      .filter((f) => !f.startsWith(join(SRC, 'emulator')))
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES);
    expect(big).toEqual([]);
  });
});
