/**
 * The launcher on a Node.js older than the tool supports: one line (the version found, the version
 * needed, how to get it), exit 2, no stack trace, whatever the command. Runs with an older `node`
 * found on the machine's PATH (outside node_modules: npm scripts put the project's own Node first);
 * skips, saying so, where the machine has none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli-helpers.js';
import packageJson from '../../package.json' with { type: 'json' };

const NEEDED = Number(/(\d+)/.exec(packageJson.engines.node)![1]);

/** A `node` older than `engines` on PATH, outside any node_modules. */
function olderNode(): { path: string; version: string } | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const path = join(dir, 'node');
    if (!existsSync(path)) continue;
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
    if (version && Number(version.split('.')[0]) < NEEDED) return { path, version };
  }
  return undefined;
}

describe('bin/serverless-lb.js on an older Node', () => {
  it('engines and the launcher agree on the oldest Node', async () => {
    const launcher = await import('node:fs').then((fs) => fs.readFileSync(BIN, 'utf8'));
    expect(launcher).toContain(`const MINIMUM_NODE_MAJOR = ${NEEDED};`);
  });

  for (const args of [['--version'], ['demo'], ['plan', '--offline', '-c', 'docs/examples/global-external.yaml']]) {
    it(`\`serverless-lb ${args.join(' ')}\` prints one line and exits 2`, (context) => {
      const old = olderNode();
      if (!old) return context.skip(`no node older than ${NEEDED} on PATH outside node_modules: the version check is not exercised here`);
      const run = spawnSync(old.path, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`found Node.js ${old.version}`);
      expect(lines[0]).toContain(`Node.js ${NEEDED} or newer`);
      expect(lines[0]).toMatch(/nodejs\.org/);
    });
  }
});
