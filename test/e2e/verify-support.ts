/**
 * Helpers for the verify end-to-end tests: run apply/verify through the built CLI and read the
 * verify JSON document; change things behind the tool's back through the emulator's REST APIs
 * (Cloud Run v2, Cloud DNS v1, Compute v1), as a person with gcloud would.
 */
import { expect } from 'vitest';
import { runCli, type CliResult, type EmulatorHarness } from './support/harness.js';

export interface CheckJson {
  id: string;
  ok: boolean;
  status: string;
  detail: string;
  hint?: string;
  records?: string[];
  items?: Array<{ name: string; ok: boolean; detail: string; hint?: string }>;
}
export interface VerifyJson {
  ok: boolean;
  checks: CheckJson[];
  elapsedMs: number;
}

export const PROJECT = 'demo-project';

export function parseJson<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
}

export async function verify(h: EmulatorHarness, config: string, extra: string[] = []): Promise<{ result: CliResult; report: VerifyJson }> {
  // The config's IAP client secret must be set for the config to validate (verify itself never reads it).
  const result = await runCli(['verify', '-c', config, '--format', 'json', ...extra], { env: { ...h.env, IAP_CLIENT_SECRET: 'test-client-secret' } });
  return { result, report: parseJson<VerifyJson>(result) };
}

export function check(report: VerifyJson, id: string): CheckJson {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} check in ${JSON.stringify(report.checks.map((x) => x.id))}`);
  return c;
}

/** Every check passes except those named, which fail. */
export function expectOnlyFailing(report: VerifyJson, failing: string[]): void {
  const summary = report.checks.map((c) => `${c.id}:${c.ok ? 'ok' : 'fail'}`);
  expect(summary).toEqual(report.checks.map((c) => `${c.id}:${failing.includes(c.id) ? 'fail' : 'ok'}`));
  for (const id of failing) expect(report.checks.some((c) => c.id === id)).toBe(true);
}

async function call(h: EmulatorHarness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(h.url(path), { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Waits until `read()` satisfies `ok` (mutations finish asynchronously: what an insert makes may
 * answer 404 for a moment, so a failed read is tried again until the deadline).
 */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    let failure: unknown;
    try {
      const v = await read();
      if (ok(v)) return v;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${failure ? `: ${String(failure)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function setRunIngress(h: EmulatorHarness, region: string, service: string, ingress: string): Promise<void> {
  const path = `/v2/projects/${PROJECT}/locations/${region}/services/${service}`;
  await call(h, 'PATCH', `${path}?updateMask=ingress`, { ingress });
  await until(() => call(h, 'GET', path), (s) => s.ingress === ingress, `ingress ${ingress}`);
}

export async function upsertRecord(h: EmulatorHarness, zone: string, name: string, type: string, rrdatas: string[]): Promise<void> {
  const base = `/dns/v1/projects/${PROJECT}/managedZones/${zone}/rrsets`;
  const fqdn = name.endsWith('.') ? name : `${name}.`;
  const exists = await fetch(h.url(`${base}/${fqdn}/${type}`)).then((r) => r.ok);
  if (exists) await call(h, 'PATCH', `${base}/${fqdn}/${type}`, { name: fqdn, type, ttl: 300, rrdatas });
  else await call(h, 'POST', base, { name: fqdn, type, ttl: 300, rrdatas });
}

/** Creates the records a failed dns check lists (`name. TTL IN TYPE DATA`), in the example.com zone. */
export async function createListedRecords(h: EmulatorHarness, records: string[]): Promise<void> {
  const byKey = new Map<string, string[]>();
  for (const line of records) {
    const [name, , , type, data] = line.split(/\s+/);
    byKey.set(`${name} ${type}`, [...(byKey.get(`${name} ${type}`) ?? []), data!]);
  }
  for (const [key, datas] of byKey) {
    const [name, type] = key.split(' ');
    await upsertRecord(h, 'example-com', name!, type!, datas);
  }
}

export async function compute(h: EmulatorHarness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  return call(h, method, `/compute/v1/projects/${PROJECT}/${path}`, body);
}

/** Applies a compute change and waits until `ok(resource)` holds. */
export async function computeChange(h: EmulatorHarness, method: string, path: string, body: unknown, readPath: string, ok: (r: Record<string, unknown>) => boolean): Promise<void> {
  await compute(h, method, path, body);
  await until(() => compute(h, 'GET', readPath), ok, `${method} ${path}`);
}
