/**
 * The conventions a platform engineer looks for, through the built CLI: the config's JSON Schema
 * (checked by an independent validator, ajv), the schema line in the configs `init` writes, and
 * shell completion scripts that parse and complete (bash here; zsh and fish where installed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { ROOT, assertBuilt, runCli, tempDir } from './cli-helpers.js';

const EXAMPLES = join(ROOT, 'docs/examples');
const SCHEMA_COPY = join(ROOT, 'docs/serverless-lb.schema.json');

function hasShell(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

beforeAll(() => assertBuilt());

describe('serverless-lb schema', () => {
  let schema: Record<string, unknown>;
  let validate: ReturnType<Ajv2020['compile']>;

  beforeAll(async () => {
    const run = await runCli(['schema'], { cwd: ROOT });
    expect(run.code).toBe(0);
    schema = JSON.parse(run.stdout);
    validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  });

  it('prints what docs/serverless-lb.schema.json holds (run `serverless-lb schema > docs/serverless-lb.schema.json` after changing the schema)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_COPY, 'utf8'))).toEqual(schema);
  });

  it('accepts every docs/examples config', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const ok = validate(parse(readFileSync(join(EXAMPLES, file), 'utf8')));
      expect({ file, errors: ok ? [] : validate.errors }).toEqual({ file, errors: [] });
    }
  });

  it('refuses an unknown key, at the top and inside a section', () => {
    const base = parse(readFileSync(join(EXAMPLES, 'global-external.yaml'), 'utf8'));
    expect(validate({ ...base, colour: 'blue' })).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'colour')).toBe(true);
    expect(validate({ ...base, frontend: { ...base.frontend, protocl: 'https' } })).toBe(false);
    expect(validate.errors?.some((e) => e.params.additionalProperty === 'protocl')).toBe(true);
  });

  it('refuses a value outside an enum, and a missing required key', () => {
    const base = parse(readFileSync(join(EXAMPLES, 'global-external.yaml'), 'utf8'));
    expect(validate({ ...base, type: 'global-externl' })).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/type' && e.keyword === 'enum')).toBe(true);
    const { name: _name, ...withoutName } = base;
    expect(validate(withoutName)).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'required' && e.params.missingProperty === 'name')).toBe(true);
  });

  it('describes keys for editors, with their flags', () => {
    const properties = schema.properties as Record<string, { description?: string }>;
    expect(properties.type?.description).toMatch(/Which Application Load Balancer.*--type/);
  });
});

describe('the config init writes', () => {
  it('names the schema on its first line, as a path from the config that resolves to the shipped schema', async () => {
    const dir = tempDir();
    // A folder that does not exist yet is made: `init -c infra/lb.yaml` in a fresh repository.
    const ok = await runCli(['init', '--yes', '--no-apply', '-c', 'infra/new.yaml', '--project', 'my-project', '--name', 'shop', '--backend', 'web', '--region', 'europe-west1', '--protocol', 'http'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const first = readFileSync(join(dir, 'infra/new.yaml'), 'utf8').split('\n')[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match, first).not.toBeNull();
    expect(readFileSync(resolve(dir, 'infra', match![1]!), 'utf8')).toBe(readFileSync(SCHEMA_COPY, 'utf8'));
  });
});

describe('serverless-lb completion', () => {
  let bash: string;
  beforeAll(async () => {
    const run = await runCli(['completion', 'bash'], { cwd: ROOT });
    expect(run.code).toBe(0);
    bash = run.stdout;
  });

  /** What the bash script offers for a command line, the word being completed last. */
  function complete(words: string[]): string[] {
    const dir = tempDir();
    const script = join(dir, 'completion.bash');
    writeFileSync(script, bash);
    const program = `source ${JSON.stringify(script)}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})
COMP_CWORD=${words.length - 1}
_serverless_lb
printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', program], { encoding: 'utf8', cwd: dirname(script) }).split('\n').filter(Boolean);
  }

  it('bash: completes subcommands, their flags and enum values', () => {
    expect(complete(['serverless-lb', 'pl'])).toEqual(['plan']);
    expect(complete(['serverless-lb', 't'])).toEqual(['teardown']);
    expect(complete(['serverless-lb', ''])).toEqual(expect.arrayContaining(['init', 'plan', 'apply', 'verify', 'status', 'teardown', 'emulator', 'demo', 'schema', 'completion']));
    expect(complete(['serverless-lb', 'plan', '--off'])).toEqual(['--offline']);
    expect(complete(['serverless-lb', 'plan', '--format', ''])).toEqual(['table', 'json', 'gcloud', 'terraform']);
    expect(complete(['serverless-lb', 'init', '--type', 'cr'])).toEqual(['cross-region-internal']);
    expect(complete(['serverless-lb', 'init', '--protocol', 'https-'])).toEqual(['https-redirect']);
    expect(complete(['serverless-lb', 'completion', '--he'])).toEqual(['--help']);
  });

  for (const [shell, file] of [['bash', 'serverless-lb.bash'], ['zsh', '_serverless-lb'], ['fish', 'serverless-lb.fish']] as const) {
    it(`${shell}: the script parses (${shell} -n)`, async (context) => {
      if (!hasShell(shell)) return context.skip(`${shell} is not installed: the ${shell} script is not parsed here`);
      const run = await runCli(['completion', shell], { cwd: ROOT });
      const path = join(tempDir(), file);
      writeFileSync(path, run.stdout);
      expect(spawnSync(shell, ['-n', path]).status).toBe(0);
    });
  }

  it('zsh and fish scripts name every subcommand and the --format values', async () => {
    for (const shell of ['zsh', 'fish']) {
      const run = await runCli(['completion', shell], { cwd: ROOT });
      expect(run.code).toBe(0);
      for (const name of ['init', 'plan', 'apply', 'verify', 'status', 'teardown', 'emulator', 'demo', 'schema', 'completion']) expect(run.stdout).toContain(name);
      expect(run.stdout).toMatch(/gcloud terraform/);
    }
  });

  it('refuses an unknown shell with exit 2, naming the choices', async () => {
    const run = await runCli(['completion', 'powershell'], { cwd: ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bash, zsh, fish/);
  });
});
