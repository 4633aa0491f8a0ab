/**
 * Ownership, end to end: a resource serverless-lb did not create is never modified or deleted (a
 * same-named one in the way stops plan and apply with nothing changed), teardown finds what a load
 * balancer owns by its mark alone (`--name`), and a teardown that cannot ask changes nothing.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, mutating, runCli, startHarness, type EmulatorHarness } from './support/harness.js';

const CONFIG = resolve(EXAMPLES, 'global-external.yaml');
const COMPUTE = '/compute/v1/projects/demo-project';
let h: EmulatorHarness;

beforeAll(async () => {
  assertBuilt();
  h = await startHarness(10);
});
afterAll(async () => h?.close());
beforeEach(async () => h.reset());

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(h.url(`${COMPUTE}${path}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  await fetch(h.url('/_emulator/operations/settle'), { method: 'POST' });
}

async function owned(): Promise<string[]> {
  return (await h.resources('projects/demo-project'))
    .filter((r) => String(r.value.description ?? '').includes('[serverless-lb:global-lb]'))
    .map((r) => r.path);
}

describe('ownership', () => {
  it('a same-named resource it does not own stops plan and apply, and nothing is changed', async () => {
    // Someone else's backend service happens to have the name serverless-lb would use.
    await post('/global/backendServices', { name: 'global-lb-web-bs', loadBalancingScheme: 'EXTERNAL_MANAGED', description: 'made by hand' });
    const mark = await h.mark();

    const plan = await runCli(['plan', '-c', CONFIG], { env: h.env });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/global-lb-web-bs/);
    expect(plan.stderr).toMatch(/not owned|owned by/i);

    const apply = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
    expect(apply.code).toBe(2);
    expect(apply.stderr).toMatch(/nothing was changed/);
    expect(mutating(await h.requestsSince(mark))).toEqual([]);

    const theirs = await fetch(h.url(`${COMPUTE}/global/backendServices/global-lb-web-bs`)).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(theirs.description).toBe('made by hand');
  }, 60_000);

  it('teardown --name finds everything by its ownership mark, without the config', async () => {
    const applied = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
    expect(applied.code, applied.stderr).toBe(0);
    expect((await owned()).length).toBeGreaterThan(0);

    const down = await runCli(['teardown', '--yes', '--name', 'global-lb', '--project', 'demo-project', '--regions', 'europe-west1', '--dns-zone', 'example-com'], {
      env: h.env,
      cwd: '/',
    });
    expect(down.code, down.stderr).toBe(0);
    expect(await owned()).toEqual([]);
    const services = (await h.resources('projects/demo-project/locations/europe-west1/services')).filter((r) => ['web', 'api'].includes(String(r.value.name).split('/').pop()));
    for (const s of services) expect(s.value.ingress, `${String(s.value.name)} ingress restored`).toBe('INGRESS_TRAFFIC_ALL');
  }, 60_000);

  it('status and teardown --name without regions look in every region of the project, so nothing regional is left', async () => {
    const applied = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
    expect(applied.code, applied.stderr).toBe(0);
    const regional = (await owned()).filter((p) => p.includes('/regions/'));
    expect(regional.length).toBeGreaterThan(0);

    const status = await runCli(['status', '--name', 'global-lb', '--project', 'demo-project', '--format', 'json'], { env: h.env, cwd: '/' });
    expect(status.code, status.stderr).toBe(0);
    const found = (JSON.parse(status.stdout) as { resources: Array<{ scope: string }> }).resources;
    expect(found.some((r) => r.scope === 'regions/europe-west1')).toBe(true);

    const down = await runCli(['teardown', '--yes', '--name', 'global-lb', '--project', 'demo-project', '--dns-zone', 'example-com'], { env: h.env, cwd: '/' });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/global and every region of the project/);
    expect(await owned()).toEqual([]);
  }, 60_000);

  it('teardown that cannot ask (no terminal, no --yes) stops with exit 2 and deletes nothing', async () => {
    const applied = await runCli(['apply', '--yes', '--no-verify', '-c', CONFIG], { env: h.env });
    expect(applied.code, applied.stderr).toBe(0);
    const before = await owned();
    const mark = await h.mark();
    const down = await runCli(['teardown', '-c', CONFIG], { env: h.env });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/--yes/);
    expect(mutating(await h.requestsSince(mark))).toEqual([]);
    expect(await owned()).toEqual(before);
  }, 60_000);
});
