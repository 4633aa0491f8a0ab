import { describe, expect, it } from 'vitest';
import { ResourceStore } from '../../../src/emulator/core/store.js';
import { Router, googleError, rpcError } from '../../../src/emulator/core/http.js';
import { FaultEngine, FaultPlanError, globToRegExp, parseFaultPlan } from '../../../src/emulator/core/faults.js';
import { OperationTimer } from '../../../src/emulator/core/operations.js';
import { parseBatch, formatBatch } from '../../../src/emulator/core/batch.js';

describe('ResourceStore', () => {
  it('keeps copies, lists direct children in order and tells listeners', () => {
    const s = new ResourceStore();
    const seen: Array<[string, unknown]> = [];
    const off = s.onChange((p, v) => seen.push([p, v]));
    const value = { name: 'b', nested: { x: 1 } };
    s.put('/projects/p/global/urlMaps/b', value);
    value.nested.x = 2;
    s.put('projects/p/global/urlMaps/a', { name: 'a' });
    s.put('projects/p/global/urlMaps/a/sub/x', { name: 'deep' });
    expect(s.get('projects/p/global/urlMaps/b')).toEqual({ name: 'b', nested: { x: 1 } });
    expect(s.list('projects/p/global/urlMaps').map(([k]) => k)).toEqual(['projects/p/global/urlMaps/a', 'projects/p/global/urlMaps/b']);
    expect(s.delete('projects/p/global/urlMaps/a')).toBe(true);
    expect(s.delete('projects/p/global/urlMaps/a')).toBe(false);
    off();
    s.put('projects/p/global/urlMaps/c', {});
    expect(seen.map(([p, v]) => [p, v === undefined])).toEqual([
      ['projects/p/global/urlMaps/b', false],
      ['projects/p/global/urlMaps/a', false],
      ['projects/p/global/urlMaps/a/sub/x', false],
      ['projects/p/global/urlMaps/a', true],
    ]);
    s.reset();
    expect(s.entries()).toEqual([]);
  });

  it('survives a throwing listener', () => {
    const s = new ResourceStore();
    let called = false;
    s.onChange(() => {
      throw new Error('boom');
    });
    s.onChange(() => {
      called = true;
    });
    s.put('a/b', 1);
    expect(called).toBe(true);
    expect(s.get('a/b')).toBe(1);
  });
});

describe('Router', () => {
  const r = new Router();
  r.add('GET', '/compute/v1/projects/:project/global/urlMaps/:name', () => ({ status: 200, body: 'item' }));
  r.add('GET', '/compute/v1/projects/:project/global/urlMaps/special', () => ({ status: 200, body: 'literal' }));
  r.add('POST', '/v2/projects/:project/locations/:location/services/:service:getIamPolicy', () => ({ status: 200 }));
  r.add('GET', '/v2/*name', () => ({ status: 200 }));

  it('matches params, prefers literals, and supports custom verbs and rest params', () => {
    expect(r.match('GET', '/compute/v1/projects/p/global/urlMaps/m')?.params).toEqual({ project: 'p', name: 'm' });
    expect(r.match('GET', '/compute/v1/projects/p/global/urlMaps/special')?.route.pattern).toContain('special');
    expect(r.match('POST', '/v2/projects/p/locations/l/services/web:getIamPolicy')?.params).toEqual({ project: 'p', location: 'l', service: 'web' });
    expect(r.match('POST', '/v2/projects/p/locations/l/services/web')).toBeUndefined();
    expect(r.match('GET', '/v2/projects/p/locations/l/operations/o')?.params).toEqual({ name: 'projects/p/locations/l/operations/o' });
    expect(r.match('DELETE', '/compute/v1/projects/p/global/urlMaps/m')).toBeUndefined();
    expect(r.matchesAnyMethod('/compute/v1/projects/p/global/urlMaps/m')).toBe(true);
  });

  it('builds both error styles', () => {
    expect(googleError(404, 'notFound', 'gone').body).toEqual({ error: { code: 404, message: 'gone', errors: [{ domain: 'global', message: 'gone', reason: 'notFound' }] } });
    expect(rpcError(404, 'gone').body).toEqual({ error: { code: 404, message: 'gone', status: 'NOT_FOUND' } });
  });
});

describe('fault plans', () => {
  it('parses JSON and YAML and rejects bad rules', () => {
    expect(parseFaultPlan('rules:\n  - path: /compute/**\n    status: 503\n').rules[0]).toEqual({ path: '/compute/**', status: 503 });
    expect(parseFaultPlan([{ method: 'POST', status: 500 }]).rules).toHaveLength(1);
    expect(() => parseFaultPlan({ rules: [{ status: 200 }] })).toThrow(FaultPlanError);
    expect(() => parseFaultPlan({ rules: [{ probability: 2 }] })).toThrow(/probability/);
    expect(() => parseFaultPlan({ rules: [{ bogus: 1 }] })).toThrow(/unknown key/);
  });

  it('globs match within and across segments', () => {
    expect(globToRegExp('/compute/v1/projects/*/global/urlMaps').test('/compute/v1/projects/p/global/urlMaps')).toBe(true);
    expect(globToRegExp('/compute/v1/projects/*/global/urlMaps').test('/compute/v1/projects/p/q/global/urlMaps')).toBe(false);
    expect(globToRegExp('/compute/**').test('/compute/v1/projects/p/global/urlMaps')).toBe(true);
  });

  it('fires on the nth call, a limited number of times, on body matches, and deterministically with a seed', () => {
    const e = new FaultEngine(parseFaultPlan({ rules: [{ method: 'POST', path: '/x', nth: 2, status: 503 }] }));
    expect(e.decide('POST', '/x', {}, '').error).toBeUndefined();
    expect(e.decide('POST', '/x', {}, '').error?.status).toBe(503);
    expect(e.decide('POST', '/x', {}, '').error).toBeUndefined();
    expect(e.decide('GET', '/x', {}, '').error).toBeUndefined();

    const t = new FaultEngine(parseFaultPlan({ rules: [{ path: '/y', times: 1, status: 500, body: { name: 'a' } }] }));
    expect(t.decide('POST', '/y', { name: 'b' }, '').error).toBeUndefined();
    expect(t.decide('POST', '/y', { name: 'a', extra: 1 }, '').error?.status).toBe(500);
    expect(t.decide('POST', '/y', { name: 'a' }, '').error).toBeUndefined();

    const run = () => {
      const p = new FaultEngine(parseFaultPlan({ seed: 7, rules: [{ path: '/z', probability: 0.5, status: 500 }] }));
      return Array.from({ length: 40 }, () => (p.decide('GET', '/z', undefined, '').error ? 1 : 0)).join('');
    };
    expect(run()).toBe(run());
    expect(run()).toMatch(/1/);
    expect(run()).toMatch(/0/);

    const op = new FaultEngine(parseFaultPlan({ rules: [{ path: '/o', operationError: { code: 'RESOURCE_NOT_READY', httpErrorStatusCode: 400 }, latencyMs: 5 }] }));
    const d = op.decide('POST', '/o', {}, '');
    expect(d.operationFault?.errors[0]?.code).toBe('RESOURCE_NOT_READY');
    expect(d.latencyMs).toBe(5);
  });
});

describe('OperationTimer', () => {
  it('completes after the latency, in order, and lets waiters through', async () => {
    const done: string[] = [];
    const t = new OperationTimer(() => 20);
    t.start('a', () => void done.push('a'));
    t.start('b', () => void done.push('b'), { latencyMs: 0 });
    expect(t.isPending('a')).toBe(true);
    expect(await t.wait('a', 1)).toBe(false);
    expect(await t.wait('a', 1000)).toBe(true);
    expect(done).toEqual(['b', 'a']);
    expect(await t.wait('unknown', 10)).toBe(true);
    t.start('c', () => void done.push('c'));
    await t.settleAll();
    expect(done).toEqual(['b', 'a', 'c']);
    t.start('d', () => void done.push('d'));
    t.cancelAll();
    await new Promise((r) => setTimeout(r, 30));
    expect(done).not.toContain('d');
  });
});

describe('batch bodies', () => {
  it('round-trips Google batch parts', () => {
    const body = '--b1\r\nContent-Type: application/http\r\nContent-ID: <1>\r\n\r\nDELETE http://127.0.0.1:1/compute/v1/projects/p/global/urlMaps/a?alt=json HTTP/1.1\r\nContent-Type: application/json\r\n\r\n\r\n--b1\r\nContent-Type: application/http\r\nContent-ID: <2>\r\n\r\nPOST /compute/v1/x HTTP/1.1\r\n\r\n{"a":1}\r\n--b1--';
    const parts = parseBatch(body, 'b1');
    expect(parts.map((p) => [p.method, p.url, p.contentId, p.body])).toEqual([
      ['DELETE', '/compute/v1/projects/p/global/urlMaps/a?alt=json', '1', ''],
      ['POST', '/compute/v1/x', '2', '{"a":1}'],
    ]);
    const out = formatBatch([{ contentId: '1', response: { status: 404, body: { e: 1 } } }], 'zz');
    expect(out).toContain('Content-ID: <response-1>');
    expect(out).toContain('HTTP/1.1 404 Not Found');
    expect(out.trim().endsWith('--zz--')).toBe(true);
  });
});
