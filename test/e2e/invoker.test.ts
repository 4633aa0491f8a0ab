/**
 * Cloud Run invoker access through the built CLI, the real Run SDK and the emulator: apply grants
 * roles/run.invoker only where it is missing (a service that already lets allUsers in gets no IAM
 * call), re-apply makes no mutating call, teardown leaves every policy exactly as it was before,
 * under domain restricted sharing invoker public stops with a clear message, exit 1, nothing half
 * done, and invoker auto turns the invoker IAM check off instead; public-no-iam-check and
 * defaultUrl disabled are shared by two load balancers and restored by the last teardown; IAP on
 * both the service and the load balancer is refused before anything changes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assertBuilt, EXAMPLES, mutating, runCli } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'slb-invoker-'));
let emulator: RunningEmulator | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(seed: unknown): Promise<{ env: Record<string, string>; base: string }> {
  emulator = await startEmulator({ port: 0, opLatencyMs: 5, seed: seed as never });
  return { env: { SERVERLESS_LB_EMULATOR_HOST: `127.0.0.1:${emulator.port}` }, base: `http://127.0.0.1:${emulator.port}` };
}

async function policy(base: string, service: string): Promise<unknown> {
  const body = (await (await fetch(`${base}/v2/projects/demo-project/locations/europe-west1/services/${service}:getIamPolicy`)).json()) as { bindings?: unknown };
  return body.bindings ?? [];
}

async function service(base: string, name: string): Promise<{ annotations?: Record<string, string>; ingress?: string }> {
  return (await fetch(`${base}/v2/projects/demo-project/locations/europe-west1/services/${name}`)).json() as never;
}

async function calls(base: string): Promise<Array<{ method: string; path: string }>> {
  return ((await (await fetch(`${base}/_emulator/requests`)).json()) as { requests: Array<{ method: string; path: string }> }).requests;
}

const seed = (extra: Record<string, unknown> = {}) => ({
  project: 'demo-project',
  projectNumbers: { 'demo-project': '123456789012' },
  runServices: [
    { region: 'europe-west1', name: 'web', invokers: ['user:owner@example.com'] },
    { region: 'europe-west1', name: 'api', invokers: ['allUsers'] },
    { region: 'europe-west1', name: 'admin', invokers: [] },
  ],
  dnsZones: [{ name: 'example-com', dnsName: 'example.com.', visibility: 'public' }],
  ...extra,
});

describe('Cloud Run invoker access', () => {
  it('grants what is missing, makes no call when present, and teardown restores every policy exactly', async () => {
    const { env, base } = await start(seed());
    const config = resolve(EXAMPLES, 'global-external.yaml');
    const before = { web: await policy(base, 'web'), api: await policy(base, 'api') };

    const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { plan: { steps: Array<{ kind: string; name: string; action: string }> }; verify: { ok: boolean } };
    const invokerSteps = report.plan.steps.filter((s) => s.kind === 'cloudRunInvoker');
    // web lacked allUsers: granted; api had it already: no step that changes anything.
    expect(invokerSteps.map((s) => `${s.name}:${s.action}`).sort()).toEqual(['api:noop', 'web:create']);
    expect(report.verify.ok).toBe(true);
    expect(await policy(base, 'web')).toEqual([{ role: 'roles/run.invoker', members: ['user:owner@example.com', 'allUsers'] }]);
    const setCalls = (await calls(base)).filter((c) => c.path.endsWith(':setIamPolicy'));
    expect(setCalls.map((c) => c.path)).toEqual(['/v2/projects/demo-project/locations/europe-west1/services/web:setIamPolicy']);

    const mark = (await calls(base)).length;
    const again = await runCli(['apply', '--yes', '--no-verify', '-c', config], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(mutating((await calls(base)).slice(mark))).toEqual([]);

    const down = await runCli(['teardown', '--yes', '-c', config], { env });
    expect(down.code, down.stderr).toBe(0);
    expect({ web: await policy(base, 'web'), api: await policy(base, 'api') }).toEqual(before);
    for (const name of ['web', 'api']) {
      const s = await service(base, name);
      expect(Object.keys(s.annotations ?? {}).filter((k) => k.startsWith('serverless-lb/'))).toEqual([]);
      expect(s.ingress).toBe('INGRESS_TRAFFIC_ALL');
    }
    // Nothing is shown as still managed.
    const status = await runCli(['status', '-c', config, '--format', 'json'], { env });
    const rows = (JSON.parse(status.stdout) as { resources: Array<{ kind: string; managed: boolean; exists: boolean }> }).resources;
    expect(rows.filter((r) => r.exists && r.managed)).toEqual([]);
    expect(rows.filter((r) => r.kind.startsWith('cloudRun') && r.managed)).toEqual([]);
  }, 120_000);

  it('under domain restricted sharing: invoker public stops at the IAM step (exit 1, what to do), nothing half done; auto turns the IAM check off instead, and teardown turns it back on', async () => {
    const { env, base } = await start(seed({ domainRestrictedSharing: ['demo-project'] }));
    const config = join(dir, 'admin.yaml');
    const text = (invoker: string) => `name: drs-lb
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: admin
    cloudRun: { service: admin }
frontend: { protocol: http }
options: { invoker: ${invoker} }
`;
    writeFileSync(config, text('public'));
    const failed = await runCli(['apply', '--yes', '--no-verify', '-c', config], { env });
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/refused to let allUsers invoke Cloud Run service admin/);
    expect(failed.stderr).toMatch(/domain restricted sharing/);
    expect(failed.stderr).toMatch(/public-no-iam-check/);
    // Nothing half done on the service: no binding, no record of one, the IAM check on.
    expect(await policy(base, 'admin')).toEqual([]);
    let s = await service(base, 'admin');
    expect(Object.keys(s.annotations ?? {}).filter((k) => k.startsWith('serverless-lb/invoker'))).toEqual([]);
    expect((s as { invokerIamDisabled?: boolean }).invokerIamDisabled ?? false).toBe(false);

    writeFileSync(config, text('auto'));
    const fixed = await runCli(['apply', '--yes', '-c', config, '--format', 'json'], { env });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((JSON.parse(fixed.stdout) as { verify: { ok: boolean } }).verify.ok).toBe(true);
    expect(await policy(base, 'admin')).toEqual([]);
    s = await service(base, 'admin');
    expect((s as { invokerIamDisabled?: boolean }).invokerIamDisabled).toBe(true);
    const plan = await runCli(['plan', '-c', config, '--format', 'json'], { env });
    const planned = JSON.parse(plan.stdout) as { summary: Record<string, number>; steps: Array<{ kind: string; reason: string }> };
    expect(planned.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
    expect(planned.steps.find((st) => st.kind === 'cloudRunInvoker')?.reason).toMatch(/invoker IAM check off \(allUsers is refused/);

    const down = await runCli(['teardown', '--yes', '-c', config], { env });
    expect(down.code, down.stderr).toBe(0);
    s = await service(base, 'admin');
    expect((s as { invokerIamDisabled?: boolean }).invokerIamDisabled ?? false).toBe(false);
    expect(Object.keys(s.annotations ?? {}).filter((k) => k.startsWith('serverless-lb/'))).toEqual([]);
  }, 120_000);

  it('public-no-iam-check and defaultUrl disabled: set, verified, shared by two load balancers, restored by the last teardown', async () => {
    const { env, base } = await start(seed());
    const text = (name: string) => `name: ${name}
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: admin
    cloudRun: { service: admin }
frontend: { protocol: http }
options: { invoker: public-no-iam-check, defaultUrl: disabled }
`;
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, text('lb-a'));
    writeFileSync(b, text('lb-b'));
    const first = await runCli(['apply', '--yes', '-c', a, '--format', 'json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { verify: { ok: boolean; checks: Array<{ id: string; items?: Array<{ detail: string }> }> } };
    expect(report.verify.ok).toBe(true);
    expect(report.verify.checks.find((c) => c.id === 'ingress')?.items?.[0]?.detail).toMatch(/run\.app URL off \(defaultUriDisabled\): \S+ answered 404/);
    let s = (await service(base, 'admin')) as { invokerIamDisabled?: boolean; defaultUriDisabled?: boolean };
    expect([s.invokerIamDisabled, s.defaultUriDisabled]).toEqual([true, true]);
    expect(await policy(base, 'admin')).toEqual([]);

    expect((await runCli(['apply', '--yes', '--no-verify', '-c', b], { env })).code).toBe(0);
    const mark = (await calls(base)).length;
    expect((await runCli(['apply', '--yes', '--no-verify', '-c', a], { env })).code).toBe(0);
    expect(mutating((await calls(base)).slice(mark))).toEqual([]);

    // One leaves: the other still needs both.
    expect((await runCli(['teardown', '--yes', '-c', a], { env })).code).toBe(0);
    s = (await service(base, 'admin')) as never;
    expect([s.invokerIamDisabled, s.defaultUriDisabled]).toEqual([true, true]);
    const still = await runCli(['verify', '-c', b, '--format', 'json'], { env });
    expect((JSON.parse(still.stdout) as { ok: boolean }).ok).toBe(true);
    // The last one leaves: the service is as it was.
    expect((await runCli(['teardown', '--yes', '-c', b], { env })).code).toBe(0);
    s = (await service(base, 'admin')) as never;
    expect([s.invokerIamDisabled ?? false, s.defaultUriDisabled ?? false]).toEqual([false, false]);
    expect(Object.keys((s as { annotations?: Record<string, string> }).annotations ?? {}).filter((k) => k.startsWith('serverless-lb/'))).toEqual([]);
  }, 120_000);

  it('refuses IAP on the load balancer in front of a service that has IAP on itself (exit 2, both fixes, nothing changed)', async () => {
    const { env, base } = await start(seed({ runServices: [{ region: 'europe-west1', name: 'admin', iapEnabled: true, invokers: [] }] }));
    const config = join(dir, 'iap-twice.yaml');
    writeFileSync(config, `name: iap-lb
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: admin
    cloudRun: { service: admin }
    iap: true
frontend: { protocol: http }
`);
    const mark = (await calls(base)).length;
    const refused = await runCli(['apply', '--yes', '-c', config], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Cloud Run service admin \(europe-west1\) has Identity-Aware Proxy turned on itself/);
    expect(refused.stderr).toMatch(/--no-iap/);
    expect(refused.stderr).toMatch(/iap=false/);
    expect(mutating((await calls(base)).slice(mark))).toEqual([]);
  }, 60_000);
});
