/** The HTTP server, `/_emulator/` endpoints, operation latency, faults over HTTP, and the foreground runner. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runEmulatorForeground } from '../../../src/emulator/foreground.js';
import { C, computeEmulator, type Client } from '../compute/compute-helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('emulator server', () => {
  it('keeps an operation RUNNING for opLatencyMs, applies the effect when DONE, and wait returns it', async () => {
    c = await computeEmulator({ opLatencyMs: 150 });
    const insert = await c.call('POST', `${C}/global/addresses`, { name: 'a1' });
    expect(insert.status).toBe(200);
    expect(insert.body.status).toBe('RUNNING');
    const early = await c.call('GET', `${C}/global/addresses/a1`);
    expect(early.status).toBe(404);
    const dup = await c.call('POST', `${C}/global/addresses`, { name: 'a1' });
    expect(dup.status).toBe(409);
    const op = new URL(insert.body.selfLink).pathname;
    expect((await c.call('GET', op)).body.status).toBe('RUNNING');
    const waited = await c.call('POST', `${op}/wait`);
    expect(waited.body.status).toBe('DONE');
    expect(waited.body.progress).toBe(100);
    expect((await c.call('GET', `${C}/global/addresses/a1`)).status).toBe(200);
  });

  it('logs API calls (not its own endpoints), resets, and lists its endpoints', async () => {
    c = await computeEmulator();
    await c.mutate('POST', `${C}/global/addresses`, { name: 'a1' });
    await c.call('GET', `${C}/global/addresses/nope`);
    const log = (await c.call('GET', '/_emulator/requests')).body.requests as Array<{ method: string; path: string; status: number; seq: number }>;
    expect(log.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 200', 'POST 200', 'GET 404']);
    const since = (await c.call('GET', `/_emulator/requests?since=${log[1]!.seq}`)).body.requests;
    expect(since).toHaveLength(1);
    const index = (await c.call('GET', '/_emulator/')).body;
    expect(index.endpoints.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/_emulator/requests', '/_emulator/reset', '/_emulator/faults']));
    expect((await c.call('POST', '/_emulator/reset')).status).toBe(200);
    expect((await c.call('GET', `${C}/global/addresses/a1`)).status).toBe(404);
    expect((await c.call('GET', '/_emulator/requests')).body.requests).toHaveLength(1);
    expect((await c.call('GET', '/nowhere')).status).toBe(404);
  });

  it('applies a fault plan set at runtime: errors, nth calls and failed operations', async () => {
    c = await computeEmulator();
    const plan = {
      rules: [
        { method: 'POST', path: '/compute/v1/projects/*/global/addresses', nth: 1, status: 503, message: 'try again' },
        { method: 'POST', path: '/compute/v1/projects/*/global/urlMaps', operationError: { code: 'RESOURCE_NOT_READY', message: 'not ready', httpErrorStatusCode: 400 } },
      ],
    };
    expect((await c.call('POST', '/_emulator/faults', plan)).status).toBe(200);
    const first = await c.call('POST', `${C}/global/addresses`, { name: 'a1' });
    expect(first.status).toBe(503);
    expect(first.body.error.errors[0].reason).toBe('backendError');
    expect(first.body.error.message).toBe('try again');
    expect((await c.call('POST', `${C}/global/addresses`, { name: 'a1' })).status).toBe(200);
    const op = await c.mutate('POST', `${C}/global/urlMaps`, { name: 'm', defaultUrlRedirect: { httpsRedirect: true } });
    expect(op.status).toBe('DONE');
    expect(op.error.errors[0]).toEqual({ code: 'RESOURCE_NOT_READY', message: 'not ready' });
    expect(op.httpErrorStatusCode).toBe(400);
    expect((await c.call('GET', `${C}/global/urlMaps/m`)).status).toBe(404);
    const counters = (await c.call('GET', '/_emulator/faults')).body.rules;
    expect(counters[0].fired).toBe(1);
    expect((await c.call('POST', '/_emulator/faults', { rules: [{ status: 99 }] })).status).toBe(400);
    expect((await c.call('DELETE', '/_emulator/faults')).body.plan.rules).toEqual([]);
  });

  it('resets connections before or after a call runs, slows operations, and tells listeners of each call', async () => {
    c = await computeEmulator({ opLatencyMs: 5 });
    const seen: string[] = [];
    const stop = c.em.ctx.onRequest((e) => seen.push(`${e.method} ${e.path.split('/').at(-1)} ${e.connectionReset ? 'reset' : e.status}`));
    await c.call('POST', '/_emulator/faults', {
      rules: [
        { method: 'POST', path: '/compute/v1/projects/*/global/addresses', nth: 1, reset: 'before' },
        { method: 'POST', path: '/compute/v1/projects/*/global/addresses', nth: 2, reset: 'after' },
        { method: 'POST', path: '/compute/v1/projects/*/global/addresses', nth: 3, operationLatencyMs: 300 },
      ],
    });
    await expect(c.call('POST', `${C}/global/addresses`, { name: 'before' })).rejects.toThrow();
    expect((await c.call('GET', `${C}/global/addresses/before`)).status).toBe(404);
    await expect(c.call('POST', `${C}/global/addresses`, { name: 'after' })).rejects.toThrow();
    await c.call('POST', '/_emulator/operations/settle');
    // The call that was reset after it ran made its change.
    expect((await c.call('GET', `${C}/global/addresses/after`)).status).toBe(200);
    const started = Date.now();
    const slow = await c.mutate('POST', `${C}/global/addresses`, { name: 'slow' });
    expect(slow.status).toBe('DONE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    stop();
    await c.call('GET', `${C}/global/addresses/slow`);
    expect(seen.slice(0, 4)).toEqual(['POST addresses reset', 'GET before 404', 'POST addresses reset', 'GET after 200']);
    expect(seen.at(-1)).toMatch(/^POST wait 200$/);
    expect(seen.some((s) => s.startsWith('GET slow'))).toBe(false);
  });

  it('reads a YAML fault plan file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const file = join(dir, 'faults.yaml');
    writeFileSync(file, 'rules:\n  - method: GET\n    path: /compute/**\n    status: 429\n    reason: rateLimitExceeded\n');
    c = await computeEmulator({ faults: file });
    const r = await c.call('GET', `${C}/global/addresses`);
    expect(r.status).toBe(429);
    expect(r.body.error.errors[0].reason).toBe('rateLimitExceeded');
  });

  it('redacts private keys from /_emulator/resources', async () => {
    c = await computeEmulator();
    c.em.ctx.store.put('projects/p/global/sslCertificates/x', { name: 'x', privateKey: 'SECRET' });
    const text = JSON.stringify((await c.call('GET', '/_emulator/resources?prefix=projects/p/')).body);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('SECRET');
  });
});

describe('runEmulatorForeground', () => {
  it('prints how to point the tool, gcloud and curl at it, and stops cleanly', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    let url = '';
    const done = runEmulatorForeground({ port: 0, seed: false, dns: false, dataplane: false, out, stopWhen: stopped, onStarted: (em) => (url = em.url) });
    while (!url) await new Promise((r) => setTimeout(r, 10));
    expect((await fetch(`${url}/_emulator/`)).status).toBe(200);
    stop();
    await done;
    expect(text).toMatch(/SERVERLESS_LB_EMULATOR_HOST=127\.0\.0\.1:\d+/);
    expect(text).toContain('gcloud config set api_endpoint_overrides/compute http://127.0.0.1:');
    expect(text).toContain('auth/disable_credentials true');
    await expect(fetch(`${url}/_emulator/`)).rejects.toThrow();
  });
});

describe('connections', () => {
  it('keeps an idle keep-alive connection open across a pause (Google does; Node\'s default 5 s would reset it)', async () => {
    const { request, Agent } = await import('node:http');
    const { startEmulator } = await import('../../../src/emulator/server.js');
    const emulator = await startEmulator({ port: 0, dns: false, dataplane: false });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: emulator.port, path: '/compute/v1/projects/demo-project/regions', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect((await get()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 7_500));
      const second = await get();
      expect(second).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
      await emulator.close();
    }
  }, 20_000);
});
