/**
 * Test helpers for rendered gcloud scripts: split a script into its commands, name the gcloud
 * command each one runs, list its flags, and ask the installed gcloud what flags it knows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScriptCommand {
  /** The command as written, continuation lines joined, without a heredoc body. */
  text: string;
  /** `compute addresses create` (with `beta` first for the beta track). */
  key: string;
  /** Flag names without `--`. */
  flags: string[];
  /** The heredoc body fed on stdin, if any. */
  stdin?: string;
}

const VERBS = new Set(['add-iam-policy-binding', 'create', 'update', 'add-backend', 'add-path-matcher', 'add-host-rule', 'import', 'describe']);

/** The gcloud commands of a script, in order (including those inside `$(...)`). */
export function scriptCommands(script: string): ScriptCommand[] {
  const lines = script.replace(/\\\n/g, '').split('\n');
  const out: ScriptCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const start = line.indexOf('gcloud ');
    if (start < 0 || line.trimStart().startsWith('#') || line.startsWith('echo ')) continue;
    let text = line.slice(start);
    if (text.includes(')"')) text = text.slice(0, text.lastIndexOf(')"'));
    let stdin: string | undefined;
    const heredoc = /<<'([A-Z_]+)'$/.exec(text);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[1]; i++) body.push(lines[i] as string);
      stdin = `${body.join('\n')}\n`;
      text = text.slice(0, heredoc.index).trimEnd();
    }
    const words = text.split(/\s+/);
    const verbAt = words.findIndex((w) => VERBS.has(w));
    const key = words.slice(1, verbAt + 1).join(' ');
    const flags = [...text.matchAll(/(?:^|\s)--([a-z0-9-]+)/g)].map((m) => m[1] as string);
    out.push({ text, key, flags, ...(stdin !== undefined ? { stdin } : {}) });
  }
  return out;
}

export { hasGcloud } from '../support/tools.js';

let config: string | undefined;
/** An environment for gcloud with a throwaway configuration directory and no prompts. */
export function gcloudEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  config ??= mkdtempSync(join(tmpdir(), 'slb-gcloud-'));
  return {
    ...process.env,
    CLOUDSDK_CONFIG: config,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    PAGER: 'cat',
    ...extra,
  };
}

const helpCache = new Map<string, Promise<string>>();

/** The `--help` text of a gcloud command (ANSI stripped), fetched once. */
export function gcloudHelp(key: string): Promise<string> {
  let cached = helpCache.get(key);
  if (!cached) {
    cached = new Promise<string>((resolve, reject) => {
      execFile('gcloud', [...key.split(' '), '--help'], { env: gcloudEnv(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
        if (error) reject(error);
        else resolve(stdout.replace(/\x1b\[[0-9;]*m/g, ''));
      });
    });
    helpCache.set(key, cached);
  }
  return cached;
}

/** The flags a help text documents (`--name`, `--[no-]name` counted as both). */
export function documentedFlags(help: string): Set<string> {
  const flags = new Set<string>();
  for (const m of help.matchAll(/--(\[no-\])?([a-z0-9][a-z0-9-]*)/g)) {
    flags.add(m[2] as string);
    if (m[1]) flags.add(`no-${m[2] as string}`);
  }
  return flags;
}
