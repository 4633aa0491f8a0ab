/**
 * The docs stand alone and stay true: every relative link (and #anchor) resolves inside the
 * repository, every docs page is listed in the README, the emulator docs name every API it serves and
 * every gcloud override it needs, and the CI pipeline in docs/ci.md is valid YAML whose serverless-lb
 * commands use flags the CLI has.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gcloudSetup, SERVED_APIS } from '../../src/emulator/served-apis.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/serverless-lb.js');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const DOCS = [join(ROOT, 'README.md'), join(ROOT, 'DEVELOPERS.md'), ...markdownFiles(join(ROOT, 'docs'))];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/** Markdown links outside code blocks: [text](target). */
function links(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

describe('docs', () => {
  it('every relative link resolves to a file in the repository, and every #anchor to a heading', () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const target of links(file)) {
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const full = path === '' ? file : resolve(dirname(file), path);
        const where = `${relative(ROOT, file)} -> ${target}`;
        if (!full.startsWith(ROOT + '/') && full !== ROOT) broken.push(`${where} (outside the repository)`);
        else if (!existsSync(full)) broken.push(`${where} (no such file)`);
        else if (anchor && full.endsWith('.md') && !anchors(full).has(anchor)) broken.push(`${where} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('no doc or source names a file that is not in the repository (the contract lives in docs/cli.md)', () => {
    const offenders: string[] = [];
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? sources(join(dir, n)) : /\.(ts|mjs|md)$/.test(n) ? [join(dir, n)] : []));
    for (const file of [...DOCS, ...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'test'))]) {
      if (file === import.meta.filename) continue;
      const text = readFileSync(file, 'utf8');
      if (/CONTRACT\.md|\.\.\/shared\//.test(text)) offenders.push(relative(ROOT, file));
    }
    expect(offenders).toEqual([]);
  });

  it('the README lists every docs page', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const pages = readdirSync(join(ROOT, 'docs')).filter((n) => n.endsWith('.md') || n.endsWith('.json'));
    expect(pages.filter((page) => !readme.includes(`(docs/${page})`))).toEqual([]);
  });

  it('docs/emulator.md names every API the emulator serves and every gcloud override it needs', () => {
    const text = readFileSync(join(ROOT, 'docs/emulator.md'), 'utf8');
    for (const { api } of SERVED_APIS) expect(text, api).toContain(api);
    for (const line of gcloudSetup('http://127.0.0.1:8089')) expect(text, line).toContain(line);
  });
});

describe('docs/ci.md', () => {
  const text = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
  const block = /## The workflow[\s\S]*?```yaml\n([\s\S]*?)\n```\n/.exec(text)?.[1];
  const workflow = parse(block ?? '') as {
    on: { pull_request?: unknown; push?: { branches?: string[] } };
    permissions: Record<string, string>;
    jobs: Record<string, { if?: string; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
  };

  it('is a GitHub Actions workflow: plan on pull requests, apply on main, through Workload Identity Federation', () => {
    expect(block).toBeTruthy();
    expect(workflow.on.pull_request).toBeDefined();
    expect(workflow.on.push?.branches).toEqual(['main']);
    expect(workflow.permissions['id-token']).toBe('write');
    expect(Object.keys(workflow.jobs)).toEqual(['plan', 'apply']);
    expect(workflow.jobs.plan!.if).toMatch(/pull_request/);
    expect(workflow.jobs.apply!.if).toMatch(/refs\/heads\/main/);
    for (const job of Object.values(workflow.jobs)) {
      const auth = job.steps.find((s) => s.uses?.startsWith('google-github-actions/auth@'));
      expect(auth?.with).toHaveProperty('workload_identity_provider');
      expect(JSON.stringify(job.steps)).not.toMatch(/credentials_json|GOOGLE_CREDENTIALS/);
      // Credentials come before the first serverless-lb command.
      const first = job.steps.findIndex((s) => s.run?.includes('serverless-lb'));
      expect(job.steps.indexOf(auth!)).toBeLessThan(first);
    }
    expect(JSON.stringify(workflow.jobs.plan)).toMatch(/plan --yes --format json/);
    expect(JSON.stringify(workflow.jobs.apply)).toMatch(/apply --yes --no-verify --format json/);
  });

  it('every serverless-lb command in it uses a command and flags the CLI has', () => {
    const commands = Object.values(workflow.jobs)
      .flatMap((job) => job.steps.map((s) => s.run ?? ''))
      .flatMap((run) => run.split('\n'))
      .map((line) => /npx serverless-lb (.*?)(?:\s*>.*)?$/.exec(line.trim())?.[1])
      .filter((c): c is string => Boolean(c));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      const [name, ...args] = command.split(/\s+/);
      const help = spawnSync(process.execPath, [BIN, name!, '--help'], { encoding: 'utf8' });
      expect(help.status, command).toBe(0);
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(help.stdout, `${command}: ${flag}`).toContain(flag);
    }
  });
});
