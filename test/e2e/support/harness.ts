/**
 * End-to-end harness: an emulator started in the test process (the emulator shares no code with the
 * tool, so using it here tests nothing of ours twice) and the BUILT CLI (`bin/serverless-lb.js` ->
 * `dist/`) run as a child process with SERVERLESS_LB_EMULATOR_HOST pointing at it. The CLI talks to
 * the emulator through the real Google SDKs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
// @ts-expect-error plain ESM helper shared with the soak, the corpus and the benchmark
import { isMutating } from '../../support/api-calls.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = resolve(ROOT, 'bin/serverless-lb.js');
export const EXAMPLES = resolve(ROOT, 'docs/examples');

/** The shipped CLI that bin/serverless-lb.js runs (esbuild.config.mjs bundles it from tsc's dist/). */
export const BUNDLE = resolve(ROOT, 'dist/bundle');

export function assertBuilt(): void {
  if (!existsSync(resolve(BUNDLE, 'main.js'))) {
    throw new Error('dist/bundle/ is missing: run `npm run build` (npm test builds first)');
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Send `signal` (default SIGKILL) to the process when its stderr first matches this. */
  killWhen?: RegExp;
  signal?: NodeJS.Signals;
  timeoutMs?: number;
}

/** Runs the built CLI; never rejects for a non-zero exit. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', CI: '1', ...options.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (options.killWhen && options.killWhen.test(stderr)) {
        options.killWhen = undefined;
        child.kill(options.signal ?? 'SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 137 : 1), stdout, stderr });
    });
  });
}

export interface EmulatorHarness {
  emulator: RunningEmulator;
  host: string;
  env: Record<string, string>;
  url(path: string): string;
  /** API calls logged since `since` (a sequence number from `mark()`), as method + path. */
  requestsSince(since: number): Promise<Array<{ method: string; path: string; status: number }>>;
  mark(): Promise<number>;
  reset(): Promise<void>;
  setFaults(plan: unknown): Promise<void>;
  resources(prefix?: string): Promise<Array<{ path: string; value: Record<string, unknown> }>>;
  close(): Promise<void>;
}

interface LogEntry {
  seq?: number;
  method: string;
  path: string;
  status: number;
}

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export async function startHarness(opLatencyMs = 20): Promise<EmulatorHarness> {
  const emulator = await startEmulator({ port: 0, opLatencyMs });
  const host = `127.0.0.1:${emulator.port}`;
  const base = `http://${host}`;
  const log = async (): Promise<LogEntry[]> => {
    const body = (await json(`${base}/_emulator/requests`)) as LogEntry[] | { requests: LogEntry[] };
    return Array.isArray(body) ? body : body.requests;
  };
  return {
    emulator,
    host,
    env: { SERVERLESS_LB_EMULATOR_HOST: host },
    url: (path) => `${base}${path}`,
    async mark() {
      return (await log()).length;
    },
    async requestsSince(since) {
      return (await log()).slice(since).map((e) => ({ method: e.method, path: e.path, status: e.status }));
    },
    async reset() {
      await json(`${base}/_emulator/reset`, { method: 'POST' });
    },
    async setFaults(plan) {
      await json(`${base}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
    },
    async resources(prefix) {
      const body = (await json(`${base}/_emulator/resources${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`)) as
        | Array<{ path: string; value: Record<string, unknown> }>
        | Record<string, Record<string, unknown>>
        | { resources: Array<{ path: string; value: Record<string, unknown> }> };
      if (Array.isArray(body)) return body;
      if ('resources' in body && Array.isArray(body.resources)) return body.resources as Array<{ path: string; value: Record<string, unknown> }>;
      return Object.entries(body as Record<string, Record<string, unknown>>).map(([path, value]) => ({ path, value }));
    },
    close: () => emulator.close(),
  };
}

/** Mutating API calls (anything but GET and the operation waits). */
export function mutating(calls: Array<{ method: string; path: string }>): Array<{ method: string; path: string }> {
  return calls.filter(isMutating);
}
