/** `serverless-lb init` without a human: flags, config, missing and conflicting answers, the emulator. */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertBuilt, runCli, tempDir } from './cli-helpers.js';

beforeAll(assertBuilt);

const DEMO_FLAGS = [
  '--project', 'demo-project', '--name', 'ci-lb', '--region', 'europe-west1', '--backend', 'web', '--backend', 'api',
  '--route', 'api.example.com=api', '--domain', 'www.example.com,api.example.com', '--dns-zone', 'example-com',
];

describe('init --yes (the CI path)', () => {
  it('writes the config from flags alone, and shows the offline plan with --no-apply', async () => {
    const dir = tempDir();
    const run = await runCli(['init', '--yes', '--no-apply', ...DEMO_FLAGS], { cwd: dir });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const config = parse(readFileSync(join(dir, 'serverless-lb.yaml'), 'utf8'));
    expect(config).toMatchObject({
      name: 'ci-lb', project: 'demo-project', type: 'global-external', region: 'europe-west1',
      backends: [{ name: 'web', cloudRun: { service: 'web' } }, { name: 'api', cloudRun: { service: 'api' } }],
      routing: { defaultBackend: 'web', hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }] },
      frontend: { protocol: 'https-redirect', domains: ['www.example.com', 'api.example.com'] },
      certificate: { type: 'managed' },
      dns: { managedZone: 'example-com' },
    });
    expect(run.stderr).toContain('✔ Backends: web, api (from --backend)');
    expect(run.stderr).toMatch(/Protocol\s+https-redirect\s+\(default\)/);
    expect(run.stdout).toMatch(/\+\s+create\s+forwardingRule\s+ci-lb-https-fr/);
    // Plain output when not a terminal: no escape sequences, no spinner frames.
    expect(run.stderr + run.stdout).not.toMatch(/\u001b\[/);
  });

  it('reports every missing answer at once with its flag, writes nothing, exits 2', async () => {
    const dir = tempDir();
    const run = await runCli(['init', '--yes', '--type', 'regional-external'], { cwd: dir });
    expect(run.code).toBe(2);
    // A regional type's certificate defaults to a Google-managed Certificate Manager one, which needs domains.
    expect(run.stderr).toMatch(/4 answers are missing and 1 invalid/);
    for (const flag of ['--project', '--region', '--backend', '--name', '--domain']) expect(run.stderr).toContain(`(${flag})`);
    expect(existsSync(join(dir, 'serverless-lb.yaml'))).toBe(false);
  });

  it('takes the project from the environment when no flag or config gives it, and says so', async () => {
    const dir = tempDir();
    const flags = DEMO_FLAGS.slice(2);
    const run = await runCli(['init', '--yes', '--no-apply', ...flags], { cwd: dir, env: { CLOUDSDK_CORE_PROJECT: 'env-project' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Project\s+env-project\s+\(from CLOUDSDK_CORE_PROJECT\)/);
    expect(parse(readFileSync(join(dir, 'serverless-lb.yaml'), 'utf8')).project).toBe('env-project');
  });

  it('never asks without a terminal, even without --yes, and CI set behaves the same', async () => {
    const dir = tempDir();
    for (const env of [{}, { CI: 'true' }]) {
      const run = await runCli(['init', '--project', 'demo-project'], { cwd: dir, env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/answers are missing.*cannot ask/);
    }
  });

  it('refuses conflicting answers with exit 2', async () => {
    const dir = tempDir();
    const certificate = await runCli(['init', '--yes', ...DEMO_FLAGS, '--certificate', 'managed', '--certificate-file', 'x.pem'], { cwd: dir });
    expect(certificate.code).toBe(2);
    expect(certificate.stderr).toMatch(/ask for different kinds of certificate/);
    const cdn = await runCli(['init', '--yes', '--project', 'demo-project', '--name', 'x', '--type', 'regional-internal', '--region', 'europe-west1', '--backend', 'web', '--protocol', 'http', '--cdn'], { cwd: dir });
    expect(cdn.code).toBe(2);
    expect(cdn.stderr).toMatch(/options\.cdn\.enabled \(--cdn\): Cloud CDN works only/);
    expect(existsSync(join(dir, 'serverless-lb.yaml'))).toBe(false);
  });

  it('takes its answers from a config file, echoed, and keeps them', async () => {
    const dir = tempDir();
    const path = join(dir, 'lb.yaml');
    writeFileSync(path, 'name: from-file\nproject: demo-project\nregion: us-central1\nbackends:\n  - name: api\n    cloudRun:\n      service: api\nfrontend:\n  protocol: http\n');
    const run = await runCli(['init', '--yes', '--no-apply', '-c', 'lb.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('✔ Name: from-file (from lb.yaml)');
    expect(run.stderr).toContain('Wrote the equivalent config to lb.yaml');
    expect(parse(readFileSync(path, 'utf8'))).toMatchObject({ name: 'from-file', region: 'us-central1', frontend: { protocol: 'http', address: { mode: 'reserve' } }, options: { ingress: 'auto' } });
  });

  it('without --yes, stops at the confirmation it cannot ask (after writing the config), exit 2', async () => {
    const dir = tempDir();
    const run = await runCli(['init', '--emulator', ...DEMO_FLAGS], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/needs a confirmation.*cannot prompt/);
    expect(existsSync(join(dir, 'serverless-lb.yaml'))).toBe(true);
  });

  it('applies and verifies against the embedded emulator, with a JSON result', async () => {
    const dir = tempDir();
    const run = await runCli(['init', '--yes', '--emulator', '--format', 'json', ...DEMO_FLAGS], { cwd: dir, timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: true, config: 'serverless-lb.yaml', urls: ['https://www.example.com/', 'https://api.example.com/'], dnsZone: 'example-com', verify: { ok: true } });
    expect(result.addresses[0].address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(result.plan.summary.create).toBeGreaterThan(10);
    expect(result.apply.ok).toBe(true);
    // The embedded emulator stops with init: no follow-up command could reach it, so none is offered.
    expect(result.commands).toBeUndefined();
    expect(result.answers.find((a: { id: string }) => a.id === 'backends')).toMatchObject({ source: 'flag', from: '--backend' });
    // No spinner or progress text on stdout.
    expect(run.stdout.trim().startsWith('{')).toBe(true);
  }, 90_000);
});
