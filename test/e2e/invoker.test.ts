/**
 * Cloud Run invoker access through the built CLI, the real Run SDK and the emulator: apply grants
 * roles/run.invoker only where it is missing (a service that already lets allUsers in gets no IAM
 * call), re-apply makes no mutating call, teardown leaves every policy exactly as it was before,
 * and under domain restricted sharing the step stops with a clear message, exit 1, nothing half
 * done; switching the backend to IAP then converges.
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

  it('under domain restricted sharing: stops at the IAM step (exit 1, what to do), leaves nothing half done; with IAP it converges', async () => {
    const { env, base } = await start(seed({ domainRestrictedSharing: ['demo-project'] }));
    const config = join(dir, 'admin.yaml');
    const text = (iap: boolean) => `name: drs-lb
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: admin
    cloudRun: { service: admin }
    iap: ${iap}
frontend: { protocol: http }
${iap ? 'options:\n  iap: { oauth2ClientId: 123456789012-abc.apps.googleusercontent.com, oauth2ClientSecretEnv: IAP_CLIENT_SECRET }\n' : ''}`;
    writeFileSync(config, text(false));

    const failed = await runCli(['apply', '--yes', '--no-verify', '-c', config], { env });
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/refused to let allUsers invoke Cloud Run service admin/);
    expect(failed.stderr).toMatch(/domain restricted sharing/);
    expect(failed.stderr).toMatch(/IAP/);
    // Nothing half done on the service: no binding, no record of one.
    expect(await policy(base, 'admin')).toEqual([]);
    const s = await service(base, 'admin');
    expect(Object.keys(s.annotations ?? {}).filter((k) => k.startsWith('serverless-lb/invoker'))).toEqual([]);

    writeFileSync(config, text(true));
    const fixed = await runCli(['apply', '--yes', '--no-verify', '-c', config], { env: { ...env, IAP_CLIENT_SECRET: 'never-printed' } });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await policy(base, 'admin')).toEqual([{ role: 'roles/run.invoker', members: ['serviceAccount:service-123456789012@gcp-sa-iap.iam.gserviceaccount.com'] }]);
    const plan = await runCli(['plan', '-c', config, '--format', 'json'], { env: { ...env, IAP_CLIENT_SECRET: 'never-printed' } });
    expect((JSON.parse(plan.stdout) as { summary: Record<string, number> }).summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
  }, 120_000);
});
