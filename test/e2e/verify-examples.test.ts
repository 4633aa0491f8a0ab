/**
 * Every example config, applied through the built CLI against the emulator, then verified: apply's
 * own verification passes where the config names a Cloud DNS zone (apply creates the records) or
 * has no domains; elsewhere it fails honestly on DNS (and the managed certificate and HTTPS that
 * wait for DNS), printing the records to create. Once those records exist, `verify` passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, EXAMPLES, runCli, startHarness, type EmulatorHarness } from './support/harness.js';
import { check, createListedRecords, expectOnlyFailing, parseJson, verify, type VerifyJson } from './verify-support.js';

/** What apply's verification finds right after apply, per example (checks expected to fail). */
const AFTER_APPLY: Record<string, string[]> = {
  'global-external.yaml': [],
  'multi-region.yaml': [],
  'regional-internal.yaml': [],
  'cross-region-internal.yaml': [],
  'regional-internal-managed-cert.yaml': [],
  'cross-region-internal-https.yaml': [],
  'global-external-cert-map.yaml': [],
  'regional-external.yaml': ['dns'],
  'api-gateway.yaml': ['dns', 'certificate', 'https'],
  'app-engine.yaml': ['dns', 'certificate', 'https'],
  'classic.yaml': ['dns', 'certificate', 'https'],
  'cloud-armor.yaml': ['dns', 'certificate', 'https'],
  'cloud-functions.yaml': ['dns', 'certificate', 'https'],
  'iap.yaml': ['dns', 'certificate', 'https'],
  'url-mask.yaml': ['dns', 'certificate', 'https'],
  'canary-split.yaml': [],
  'header-routing.yaml': [],
  'tls-policy-mtls.yaml': [],
  'dual-stack.yaml': [],
};

let h: EmulatorHarness;
beforeAll(async () => {
  assertBuilt();
  h = await startHarness(0);
});
afterAll(async () => h?.close());

describe('verify after apply, every example', () => {
  it('covers every example in docs/examples', () => {
    expect(Object.keys(AFTER_APPLY).sort()).toEqual(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort());
  });

  for (const [file, failing] of Object.entries(AFTER_APPLY)) {
    it(`${file}: ${failing.length ? `fails ${failing.join(', ')} until the printed DNS records exist, then passes` : 'passes'}`, async () => {
      await h.reset();
      const config = resolve(EXAMPLES, file);
      // Examples whose DNS is not managed cannot pass before records exist: check once.
      const wait = failing.length ? '0' : '5s';
      const applied = await runCli(['apply', '--yes', '-c', config, '--format', 'json', '--wait', wait], { env: { ...h.env, IAP_CLIENT_SECRET: 'test-client-secret' } });
      const doc = parseJson<{ ok: boolean; verify?: VerifyJson; error?: unknown }>(applied);
      expect(doc.error, applied.stderr).toBeUndefined();
      expect(doc.verify, 'apply runs verify').toBeDefined();
      const report = doc.verify!;
      expectOnlyFailing(report, failing);
      expect(applied.code).toBe(failing.length ? 1 : 0);
      expect(doc.ok).toBe(failing.length === 0);
      expect(applied.stdout).not.toContain('test-client-secret');
      // Certificate Manager certificates are read and ACTIVE (their DNS authorization records are in the zone).
      if (/certificate:\s*\n\s*type: managed/.test(readFileSync(config, 'utf8')) && /managed-cert|https|cert-map/.test(file)) {
        expect(JSON.stringify(check(report, 'certificate'))).toMatch(/"name":"Certificate Manager certificate [a-z0-9-]+","ok":true,"detail":"ACTIVE for/);
      }
      if (failing.length === 0) return;

      const dns = check(report, 'dns');
      expect(dns.records!.length).toBeGreaterThan(0);
      expect(dns.hint).toMatch(/create these records/);
      if (failing.includes('certificate')) expect(check(report, 'certificate').detail + JSON.stringify(check(report, 'certificate').items)).toMatch(/DNS does not point here yet/);

      await createListedRecords(h, dns.records!);
      const after = await verify(h, config, ['--wait', '20s']);
      expectOnlyFailing(after.report, []);
      expect(after.result.code).toBe(0);
    });
  }
});
