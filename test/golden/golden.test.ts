/**
 * Golden outputs: what the built CLI prints and what it sends to Google, for every example in
 * docs/examples, held byte for byte against the files in test/golden/outputs/. A change to any of
 * them is a change of behaviour: review the diff, then accept it with
 * `npx vitest run test/golden -u` (in CI, vitest never writes them, so a missing file fails).
 *
 * Per example:
 *   - `plan --offline` in all four formats (table, json, gcloud, terraform);
 *   - against a freshly reset emulator, through the real SDKs: the online plan (JSON), the mutating
 *     API calls of `apply` (sorted: steps run concurrently), every resource the emulator holds
 *     afterwards (output-only fields Google makes up, such as ids and timestamps, removed), the
 *     plan after apply (all noop), and the mutating calls and plan of `teardown`.
 * And the `--help` of the program and of every command.
 */
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, mutating, ROOT, runCli as runCliIn, startHarness, type EmulatorHarness } from '../e2e/support/harness.js';

const OUTPUTS = resolve(import.meta.dirname, 'outputs');
const PROJECT = 'demo-project';
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
const env = { IAP_CLIENT_SECRET: 'iap-secret-value-never-printed' };

/** Fields the emulator (like Google) makes up per run: ids, times, fingerprints, etags. */
const VOLATILE = new Set(['id', 'creationTimestamp', 'fingerprint', 'labelFingerprint', 'selfLinkWithId', 'etag', 'uid', 'createTime', 'updateTime', 'generation', 'observedGeneration', 'latestReadyRevision', 'latestCreatedRevision', 'ipAddress', 'IPAddress', 'address', 'uri', 'urls']);

/** Times the emulator stamps (`creationTime`, `lastTransitionTime`, ...). */
const isVolatile = (key: string): boolean => VOLATILE.has(key) || /(Time|Timestamp)$/.test(key);

function stable(value: unknown): unknown {
  if (typeof value === 'string' && value.includes('-----BEGIN ')) return '<PEM made by the emulator>';
  // Addresses and revision names the emulator allocates (random, and in the order of the run).
  if (typeof value === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return '<IP>';
  if (typeof value === 'string' && /^[a-z][-a-z0-9]*-\d{5}-[a-z0-9]{3}$/.test(value)) return '<revision>';
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !isVolatile(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

/** The CLI, with the checkout's own path written as `<repo>` (configs name files by absolute path). */
async function runCli(...args: Parameters<typeof runCliIn>): ReturnType<typeof runCliIn> {
  const r = await runCliIn(...args);
  const repo = (text: string) => text.split(ROOT).join('<repo>');
  return { ...r, stdout: repo(r.stdout), stderr: repo(r.stderr) };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function calls(list: Array<{ method: string; path: string }>): string {
  return `${mutating(list)
    .map((c) => `${c.method} ${c.path.replace(/([?&]requestId=)[^&]+/, '$1…')}`)
    .sort()
    .join('\n')}\n`;
}

beforeAll(() => assertBuilt());

describe.each(examples)('golden outputs of docs/examples/%s', (file) => {
  const config = resolve(EXAMPLES, file);
  const stem = basename(file, '.yaml');
  const out = (name: string) => resolve(OUTPUTS, stem, name);

  it.each([
    ['table', 'plan.txt'],
    ['json', 'plan.json'],
    ['gcloud', 'plan.gcloud.sh'],
    ['terraform', 'plan.tf'],
  ])('plan --offline --format %s', async (format, name) => {
    const r = await runCli(['plan', '--offline', '-c', config, '--format', format], { env });
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(out(name));
    await expect(r.stderr).toMatchFileSnapshot(out(`${name}.stderr`));
  });
});

describe('golden outputs against the emulator', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness(10);
  });
  afterAll(async () => h?.close());

  it.each(examples)('%s: plan, apply, re-plan, teardown', async (file) => {
    const config = resolve(EXAMPLES, file);
    const out = (name: string) => resolve(OUTPUTS, basename(file, '.yaml'), name);
    const e = { ...h.env, ...env };
    await h.reset();

    const plan = await runCli(['plan', '-c', config, '--format', 'json'], { env: e });
    expect(plan.code, plan.stderr).toBe(0);
    await expect(plan.stdout).toMatchFileSnapshot(out('online-plan.json'));

    const mark = await h.mark();
    const apply = await runCli(['apply', '--yes', '--no-verify', '-c', config, '--format', 'json'], { env: e });
    expect(apply.code, apply.stderr).toBe(0);
    await expect(calls(await h.requestsSince(mark))).toMatchFileSnapshot(out('apply.calls.txt'));
    const store = (await h.resources(`projects/${PROJECT}`)).filter((r) => !/\/(operations|changes)\//.test(r.path));
    store.sort((a, b) => a.path.localeCompare(b.path));
    await expect(json(store.map((r) => ({ path: r.path, value: stable(r.value) }))).split(ROOT).join('<repo>')).toMatchFileSnapshot(out('store-after-apply.json'));

    const again = await runCli(['plan', '-c', config, '--format', 'json'], { env: e });
    expect(again.code, again.stderr).toBe(0);
    await expect(again.stdout).toMatchFileSnapshot(out('online-plan-after-apply.json'));

    const mark2 = await h.mark();
    const down = await runCli(['teardown', '--yes', '-c', config, '--format', 'json'], { env: e });
    expect(down.code, down.stderr).toBe(0);
    await expect(calls(await h.requestsSince(mark2))).toMatchFileSnapshot(out('teardown.calls.txt'));
    await expect(json((JSON.parse(down.stdout) as { plan: unknown }).plan)).toMatchFileSnapshot(out('teardown-plan.json'));
  }, 120_000);
});

describe('golden help', () => {
  it.each(['', 'init', 'plan', 'apply', 'verify', 'status', 'teardown', 'emulator', 'demo'])('%s --help', async (command) => {
    const r = await runCli([...(command ? [command] : []), '--help']);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(resolve(OUTPUTS, 'help', `${command || 'program'}.txt`));
  });
});
