/**
 * Changing the config of an applied load balancer, end to end: what the config no longer wants is
 * deleted (and a Cloud Run service that left gets its ingress back), a resource that cannot change
 * in place moves to its alternate name and the next runs are stable, verify and status follow it,
 * and teardown leaves nothing owned.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, mutating, runCli, startHarness, type EmulatorHarness } from './support/harness.js';

let h: EmulatorHarness;
const dir = mkdtempSync(join(tmpdir(), 'slb-changes-'));
const base = parse(readFileSync(resolve(EXAMPLES, 'global-external.yaml'), 'utf8')) as Record<string, any>;

beforeAll(async () => {
  assertBuilt();
  h = await startHarness(10);
});
afterAll(async () => h?.close());

function config(name: string, change: (c: Record<string, any>) => void): string {
  const c = structuredClone(base);
  change(c);
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(c));
  return path;
}

async function ownedPaths(): Promise<string[]> {
  return (await h.resources('projects/demo-project'))
    .filter((r) => !/\/(operations|changes)\//.test(r.path))
    .filter((r) => String(r.value.description ?? '').includes('[serverless-lb:global-lb]'))
    .map((r) => r.path.split('/').slice(-2).join('/'))
    .sort();
}

async function planSummary(path: string): Promise<Record<string, number>> {
  const r = await runCli(['plan', '-c', path, '--format', 'json'], { env: h.env });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { summary: Record<string, number> }).summary;
}

async function apply(path: string, ...extra: string[]): Promise<void> {
  const r = await runCli(['apply', '--yes', '--no-verify', '-c', path, ...extra], { env: h.env });
  expect(r.code, r.stderr).toBe(0);
}

async function ingressOf(service: string): Promise<string> {
  const all = await h.resources(`projects/demo-project/locations/europe-west1/services/${service}`);
  return String(all[0]?.value.ingress);
}

describe('changing an applied config', () => {
  it('deletes what a removed backend had, and restores its Cloud Run ingress', async () => {
    await h.reset();
    const both = config('both', () => undefined);
    const webOnly = config('web-only', (c) => {
      c.backends = c.backends.filter((b: { name: string }) => b.name === 'web');
      c.routing = { defaultBackend: 'web' };
      c.frontend.domains = ['www.example.com'];
    });
    await apply(both);
    expect(await ingressOf('api')).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');

    const summary = await planSummary(webOnly);
    expect(summary.delete).toBeGreaterThanOrEqual(3); // api's backend service, NEG, ingress, DNS record
    // The api domain's record is deleted: disruptive by design, so --yes needs consent.
    expect(summary.disruptive).toBe(1);
    await apply(webOnly, '--allow-disruption', '--wait-certificates', '30s');
    expect(await ownedPaths()).not.toContain('backendServices/global-lb-api-bs');
    expect((await ownedPaths()).some((p) => p.includes('api-neg'))).toBe(false);
    expect(await ingressOf('api')).toBe('INGRESS_TRAFFIC_ALL');
    expect(await ingressOf('web')).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    const records = (await h.resources('projects/demo-project/managedZones/example-com/rrsets')).map((r) => String(r.value.name));
    expect(records.some((n) => n.startsWith('api.example.com'))).toBe(false);

    // Stable: nothing left to do, no mutating call.
    const mark = await h.mark();
    expect(await planSummary(webOnly)).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    await apply(webOnly);
    expect(mutating(await h.requestsSince(mark))).toEqual([]);
  }, 120_000);

  it('moves a managed certificate to its alternate name for a new domain, stays stable, and verify and status follow it', async () => {
    await h.reset();
    const before = config('cert-before', () => undefined);
    const after = config('cert-after', (c) => c.frontend.domains.push('shop.example.com'));
    await apply(before, '--wait-certificates', '30s');
    // The new certificate is held beside the old one until it is ACTIVE, then the old one goes.
    await apply(after, '--wait-certificates', '30s');
    const certs = (await ownedPaths()).filter((p) => p.startsWith('sslCertificates/'));
    expect(certs).toEqual(['sslCertificates/global-lb-cert-b']);

    const mark = await h.mark();
    expect(await planSummary(after)).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    await apply(after);
    expect(mutating(await h.requestsSince(mark))).toEqual([]);

    const status = await runCli(['status', '-c', after, '--format', 'json'], { env: h.env });
    expect(status.code, status.stderr).toBe(0);
    const resources = (JSON.parse(status.stdout) as { resources: Array<{ kind: string; name: string; exists: boolean }> }).resources;
    expect(resources.every((r) => r.exists)).toBe(true);
    expect(resources.find((r) => r.kind === 'sslCertificate')?.name).toBe('global-lb-cert-b');

    const verify = await runCli(['verify', '-c', after, '--wait', '20s', '--format', 'json'], { env: h.env });
    const report = JSON.parse(verify.stdout) as { ok: boolean; checks: Array<{ id: string; ok: boolean; detail: string }> };
    expect(report.checks.find((c) => c.id === 'certificate'), JSON.stringify(report.checks)).toMatchObject({ ok: true });
    expect(verify.code, JSON.stringify(report.checks)).toBe(0);

    // Back to the first domains: the certificate moves back, and the alternate is deleted.
    await apply(before, '--wait-certificates', '30s', '--allow-disruption');
    expect((await ownedPaths()).filter((p) => p.startsWith('sslCertificates/'))).toEqual(['sslCertificates/global-lb-cert']);
    expect(await planSummary(before)).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });

    const down = await runCli(['teardown', '--yes', '-c', before], { env: h.env });
    expect(down.code, down.stderr).toBe(0);
    expect(await ownedPaths()).toEqual([]);
  }, 180_000);

  it('asks for consent to a disruptive change: --yes alone refuses it (exit 2, nothing changed), --allow-disruption applies it', async () => {
    await h.reset();
    const redirect = config('redirect', () => undefined);
    const httpOnly = config('http-only', (c) => {
      c.frontend.protocol = 'http';
      delete c.certificate;
    });
    await apply(redirect);
    const plan = await runCli(['plan', '-c', httpOnly, '--format', 'json'], { env: h.env });
    expect(plan.code, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as { steps: Array<{ id: string; disruption?: string }>; summary: { disruptive: number } };
    expect(json.summary.disruptive).toBeGreaterThan(0);
    expect(json.steps.find((s) => s.id === 'forwardingRule:global:global-lb-https-fr')?.disruption).toMatch(/listener global-lb-https-fr is removed/);
    const table = await runCli(['plan', '-c', httpOnly], { env: h.env });
    expect(table.stdout).toMatch(/^-!\s+delete\s+forwardingRule\s+global-lb-https-fr/m);

    const mark = await h.mark();
    const refused = await runCli(['apply', '--yes', '-c', httpOnly], { env: h.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the plan interrupts traffic .* --yes does not consent/);
    expect(refused.stderr).toMatch(/--allow-disruption/);
    expect(mutating(await h.requestsSince(mark))).toEqual([]);

    await apply(httpOnly, '--allow-disruption');
    expect((await ownedPaths()).some((p) => p === 'forwardingRules/global-lb-https-fr')).toBe(false);
  }, 120_000);
});
