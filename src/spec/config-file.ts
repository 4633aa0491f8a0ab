/**
 * Reading and writing the config file (serverless-lb.yaml, or JSON).
 *
 * - readConfigFile: YAML or JSON (by extension, else by content), errors name the file, line and
 *   column; file references inside (certificate files, the IAP secret file) are resolved relative to
 *   the config file's directory; `locate` maps a Problem's key to FILE:LINE:COLUMN.
 * - writeConfigFile: clean YAML with a comment on each section; refuses to write anything that looks
 *   like a secret (the schema holds only file and variable references for secrets).
 *
 * Error messages never quote the file's contents (a misplaced secret must not be echoed).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, extname, sep } from 'node:path';
import { Document, LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { SPEC_FIELDS, normalizeKey } from './fields.js';
import { makeProblem, type Problem } from './problem.js';
import type { SpecInputPatch } from './from-flags.js';

export const DEFAULT_CONFIG_FILE = 'serverless-lb.yaml';

/** The config's JSON Schema inside the package, relative to its root (spec/json-schema.ts makes it). */
export const CONFIG_SCHEMA_FILE = 'docs/serverless-lb.schema.json';

/** Config keys whose values are file paths, resolved relative to the config file. */
export const FILE_REFERENCE_KEYS = [
  'certificate.certificateFile',
  'certificate.privateKeyFile',
  'options.iap.oauth2ClientSecretFile',
  'frontend.tls.mtls.trustAnchors',
  'frontend.tls.mtls.intermediates',
] as const;

export type ReadConfigResult =
  | {
      ok: true;
      /** The parsed content (not yet validated), file references made absolute. */
      input: unknown;
      path: string;
      /** FILE:LINE:COLUMN of a key (`backends.1.cloudRun.service`) in the file, or of its nearest parent. */
      locate: (key: string) => string | undefined;
    }
  | { ok: false; problems: Problem[] };

function fileProblem(message: string, hint: string, location?: string): Problem {
  const problem = makeProblem('error', '', message, hint);
  if (location) problem.location = location;
  return problem;
}

function looksLikeJson(path: string, text: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return true;
  if (ext === '.yaml' || ext === '.yml') return false;
  return /^\s*[{[]/.test(text);
}

function lineColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return { line, col };
}

/** Parses config text; `name` is how errors name the file. */
export function parseConfigText(text: string, name: string): ReadConfigResult {
  const display = name;
  if (text.trim() === '') return { ok: false, problems: [fileProblem(`${display} is empty`, 'write the config (docs/examples/ has one per LB type), or run serverless-lb init')] };
  const json = looksLikeJson(name, text);
  let data: unknown;
  if (json) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message));
      const where = position ? lineColumn(text, Number(position[1])) : undefined;
      const location = where ? `${display}:${where.line}:${where.col}` : display;
      return { ok: false, problems: [fileProblem(`${location}: invalid JSON`, 'check the commas, quotes and brackets near that line', location)] };
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!json) {
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        const location = `${display}:${pos.line}:${pos.col}`;
        // The first sentence of the parser's message; it names the problem, not the text.
        const what = error.message.split(/[\n:]/)[0] ?? 'invalid YAML';
        return fileProblem(`${location}: ${what}`, 'fix the YAML syntax at that line (indentation, quotes, a missing ":")', location);
      });
      return { ok: false, problems };
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // yaml refuses documents whose aliases expand too far ("billion laughs").
      return { ok: false, problems: [fileProblem(`${display}: ${(error as Error).message}`, 'write the values out instead of expanding aliases (&anchor / *alias) into aliases', display)] };
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [fileProblem(`${display} must hold a mapping of keys (name:, project:, backends:, ...)`, 'see docs/config.md')] };
  }
  const positions = doc.errors.length === 0 ? doc : undefined;
  const locate = (key: string): string | undefined => {
    if (!positions) return undefined;
    const parts = key === '' ? [] : key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    while (parts.length > 0) {
      const offset = keyOffset(positions.contents, parts);
      if (offset !== undefined) {
        const pos = lineCounter.linePos(offset);
        return `${display}:${pos.line}:${pos.col}`;
      }
      parts.pop();
    }
    return undefined;
  };
  return { ok: true, input: data, path: name, locate };
}

/** Offset of the key node (or sequence item) at a path, if present. */
function keyOffset(root: unknown, path: (string | number)[]): number | undefined {
  let node: unknown = root;
  let offset: number | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) return undefined;
      offset = (pair.key as Node).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) return undefined;
      offset = item.range?.[0];
      node = item;
    } else return undefined;
  }
  return offset;
}

/**
 * Reads and parses a config file. File references in it become absolute, resolved against the
 * config file's directory. `readFile` defaults to fs.readFileSync (UTF-8).
 */
export function readConfigFile(path: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): ReadConfigResult {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    return {
      ok: false,
      problems: [fileProblem(`config file ${path} ${why}`, code === 'ENOENT' ? `run serverless-lb init -c ${path} to write it, or check the path` : 'check the path and its permissions')],
    };
  }
  const result = parseConfigText(text, path);
  if (!result.ok) return result;
  return { ...result, input: resolveFileReferences(result.input, dirname(resolve(path))) };
}

/** Adds FILE:LINE:COLUMN to problems whose key is in the config file. */
export function locateProblems(problems: readonly Problem[], locate: (key: string) => string | undefined): Problem[] {
  return problems.map((problem) => {
    if (problem.location || problem.key === '') return problem;
    const location = locate(problem.key);
    return location ? { ...problem, location } : problem;
  });
}

function getPath(value: unknown, key: string): unknown {
  let node = value;
  for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

function setPath(value: unknown, key: string, to: unknown): void {
  const parts = key.split('.');
  let node = value as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = to;
}

function mapFileReferences(input: unknown, map: (path: string) => string): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const copy = structuredClone(input);
  const mapOne = (value: unknown) => (typeof value === 'string' && value !== '' && !/[\r\n]|-----BEGIN/.test(value) ? map(value) : value);
  for (const key of FILE_REFERENCE_KEYS) {
    const value = getPath(copy, key);
    // A key holds one path or a list of them.
    if (Array.isArray(value)) setPath(copy, key, value.map(mapOne));
    else if (typeof value === 'string') setPath(copy, key, mapOne(value));
  }
  return copy;
}

/** A copy of the input whose relative file references are resolved against baseDir. */
export function resolveFileReferences(input: unknown, baseDir: string): unknown {
  return mapFileReferences(input, (p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
}

const SECRET_NAME = /secret|password|passphrase|token|privateKey|apiKey/i;
const ALLOWED_SECRET_REFERENCES = new Set(['privateKeyFile', 'oauth2ClientSecretFile', 'oauth2ClientSecretEnv']);

/** Throws when a value about to be written looks like a secret; the error never quotes the value. */
function assertNoSecrets(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(value) || /^GOCSPX-/.test(value)) {
      throw new Error(`refusing to write ${path || 'the config'}: it holds a key, certificate or secret; config files refer to them by file path`);
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertNoSecrets(v, path ? `${path}.${i}` : String(i)));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (SECRET_NAME.test(key) && !ALLOWED_SECRET_REFERENCES.has(key)) throw new Error(`refusing to write ${at}: secrets are never stored in the config`);
      assertNoSecrets(v, at);
    }
  }
}

const TOP_LEVEL_ORDER = ['name', 'project', 'type', 'region', 'regions', 'backends', 'routing', 'frontend', 'certificate', 'options', 'dns'];

/**
 * The config as YAML, with a header and a one-line comment above each section and each key of the
 * sections (from SPEC_FIELDS). File references under configDir are written relative to it.
 * Throws if the input holds anything that looks like a secret.
 */
/**
 * The config as YAML. `schema`: where the config's JSON Schema is, as seen from the config's folder
 * (a relative path or a URL); it goes on the first line, for editors' yaml-language-server.
 */
export function renderConfigYaml(input: SpecInputPatch, configDir?: string, schema?: string): string {
  assertNoSecrets(input);
  let data = input as Record<string, unknown>;
  if (configDir) {
    data = mapFileReferences(data, (p) => {
      if (!isAbsolute(p)) return p;
      const rel = relative(configDir, p);
      return rel.startsWith('..') || isAbsolute(rel) ? p : rel.split(sep).join('/');
    }) as Record<string, unknown>;
  }
  const ordered: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (data[key] !== undefined) ordered[key] = data[key];
  for (const [key, value] of Object.entries(data)) if (!(key in ordered) && value !== undefined) ordered[key] = value;

  const doc = new Document(ordered);
  doc.commentBefore = `${schema ? ` yaml-language-server: $schema=${schema}\n` : ''} serverless-lb configuration: every key, its flag and its default are in docs/config.md.\n Secrets are never stored here: only paths of files (or names of variables) that hold them.`;
  const describe = (key: string) => SPEC_FIELDS.find((f) => f.key === normalizeKey(key))?.description;
  // Comments on the top-level keys and on the keys of the top-level sections (not inside lists).
  const annotate = (node: unknown, path: string, depth: number) => {
    if (!isMap(node) || depth > 1) return;
    node.items.forEach((pair, index) => {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const key = path ? `${path}.${String(pair.key.value)}` : String(pair.key.value);
      const text = describe(key);
      if (text) pair.key.commentBefore = ` ${text}`;
      if (depth === 0 && index > 0) pair.key.spaceBefore = true;
      if (!isSeq(pair.value)) annotate(pair.value, key, depth + 1);
    });
  };
  annotate(doc.contents, '', 0);
  return doc.toString({ lineWidth: 0 });
}

/** Writes the config as commented YAML (see renderConfigYaml). */
/**
 * Writes the config. `schemaFile`: the absolute path of the JSON Schema; the file names it relative
 * to its own folder on its first line.
 */
export function writeConfigFile(
  path: string,
  input: SpecInputPatch,
  writeFile: (path: string, text: string) => void = (p, t) => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, t, { encoding: 'utf8', mode: 0o644 });
  },
  schemaFile?: string,
): void {
  const configDir = dirname(resolve(path));
  const schema = schemaFile ? relative(configDir, schemaFile).split(sep).join('/') : undefined;
  writeFile(path, renderConfigYaml(input, configDir, schema && !schema.startsWith('.') && !isAbsolute(schema) ? `./${schema}` : schema));
}
