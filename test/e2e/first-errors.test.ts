/**
 * The errors a new user meets first name the real cause: no config file here, a mistyped flag value
 * (echoed, with the flag, never a config-file line), and `init -c FILE` writing a file that does not
 * exist yet. Every one exits 2 and changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runCli, tempDir } from './cli-helpers.js';

const EXAMPLE = join(ROOT, 'docs/examples/global-external.yaml');

beforeAll(() => assertBuilt());

describe('first errors', () => {
  it('plan in a folder with no config: "no serverless-lb.yaml in DIR", exit 2', async () => {
    const dir = tempDir();
    for (const command of [['plan', '--offline'], ['plan'], ['apply', '--yes'], ['verify']]) {
      const run = await runCli(command, { cwd: dir });
      expect(run.code, `${command.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`no serverless-lb.yaml in ${dir} (run \`serverless-lb init\`, or pass -c FILE)`);
      expect(run.stderr).not.toMatch(/name .*is required/);
    }
  });

  it('with some flags but no config: the same headline, then what the flags lack', async () => {
    const run = await runCli(['plan', '--offline', '--name', 'shop'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no serverless-lb.yaml in');
    expect(run.stderr).toMatch(/project \(--project\): is required/);
  });

  it('a mistyped flag value names the flag, echoes the value, suggests the near one, and points at no config line', async () => {
    const run = await runCli(['plan', '--offline', '-c', EXAMPLE, '--type', 'global-externl'], { cwd: ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('type (--type): "global-externl" is not one of global-external, classic, regional-external, regional-internal, cross-region-internal (did you mean global-external?)');
    expect(run.stderr).not.toContain('global-external.yaml:');
  });

  it('the same mistake in the config file is reported at its line', async () => {
    const dir = tempDir();
    const config = join(dir, 'serverless-lb.yaml');
    await import('node:fs').then((fs) => fs.writeFileSync(config, readFileSync(EXAMPLE, 'utf8').replace(/^type: .*$/m, 'type: classik')));
    const run = await runCli(['plan', '--offline'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/type \(--type\) at serverless-lb\.yaml:\d+:\d+: "classik" is not one of .* \(did you mean classic\?\)/);
  });

  it('a named config that does not exist: says so and how to write it', async () => {
    const run = await runCli(['plan', '--offline', '-c', 'nope.yaml'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('config file nope.yaml does not exist');
    expect(run.stderr).toContain('serverless-lb init -c nope.yaml');
  });

  it('init -c FILE writes FILE when it does not exist', async () => {
    const dir = tempDir();
    const run = await runCli(['init', '--yes', '--no-apply', '-c', 'new.yaml', '--project', 'my-project', '--name', 'shop', '--backend', 'web', '--region', 'europe-west1', '--protocol', 'http'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'new.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'new.yaml'), 'utf8')).toMatch(/^name: shop$/m);
  });
});
