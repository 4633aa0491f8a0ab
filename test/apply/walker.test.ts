import { describe, expect, it } from 'vitest';
import { applyPlan, checkAcyclic, deterministicRequestId, walkError, walkPlan } from '../../src/apply/walker.js';
import type { WalkEvent } from '../../src/apply/events.js';
import { MemoryCloud } from '../../src/cloud/memory-cloud.js';
import { InterruptedError, PlanCycleError, StepsFailedError, UsageError } from '../../src/errors.js';
import { resourceId } from '../../src/model/resource-model.js';
import { chain, deleteStep, path, planOf, res, stepOf } from './plan-fixtures.js';

const fast = { retry: { baseDelayMs: 1, maxDelayMs: 2 } };

function independent(n: number) {
  return Array.from({ length: n }, (_, i) => res('sslCertificate', `cert-${i}`, { certificate: 'x' }));
}

describe('walkPlan ordering', () => {
  it('creates a dependency chain in order, each step after the ones it references', async () => {
    const cloud = new MemoryCloud({ latencyMs: 2 });
    const resources = chain();
    // Plan order deliberately reversed: the walker must follow dependsOn, not list order.
    const report = await applyPlan(planOf(resources.map((r) => stepOf(r)).reverse()), cloud, fast);
    expect(report.ok).toBe(true);
    expect(report.counts.done).toBe(6);
    const order = cloud.calls.filter((c) => c.method === 'insert').map((c) => c.target);
    for (const r of resources) for (const d of r.dependsOn) expect(order.indexOf(d)).toBeLessThan(order.indexOf(r.id));
    expect(cloud.ids()).toEqual(resources.map((r) => r.id).sort());
  });

  it('fails (like Google) when dependencies are missing from the plan edges', async () => {
    const cloud = new MemoryCloud();
    const [neg, bs] = chain();
    // The backend service step does not declare its dependency: it runs at once and its reference is missing.
    const report = await applyPlan(planOf([stepOf(bs!, 'create', []), stepOf(neg!)]), cloud, { ...fast, concurrency: 1 });
    expect(report.steps.find((s) => s.id === bs!.id)?.error?.reason).toBe('notFound');
  });
});

describe('walkPlan concurrency', () => {
  it('runs independent steps at once, up to the bound and never above it', async () => {
    const cloud = new MemoryCloud({ latencyMs: 20 });
    const report = await applyPlan(planOf(independent(12).map((r) => stepOf(r))), cloud, { concurrency: 4 });
    expect(report.ok).toBe(true);
    expect(cloud.maxInFlight).toBe(4);
  });

  it('defaults to 8 at once', async () => {
    const cloud = new MemoryCloud({ latencyMs: 20 });
    await applyPlan(planOf(independent(20).map((r) => stepOf(r))), cloud);
    expect(cloud.maxInFlight).toBe(8);
  });

  it('starts every independent step before any finishes, so wall time follows the longest chain (timing: npm run bench)', async () => {
    const cloud = new MemoryCloud({ latencyMs: 40 });
    const order: string[] = [];
    await applyPlan(planOf(independent(8).map((r) => stepOf(r))), cloud, { onEvent: (e) => order.push(e.type) });
    const firstDone = order.indexOf('step-done');
    expect(order.slice(0, firstDone).filter((t) => t === 'step-start')).toHaveLength(8);
  });
});

describe('walkPlan failures', () => {
  it('skips what depends on a failed step, finishes running steps, and reports exactly', async () => {
    const cloud = new MemoryCloud({ latencyMs: (method, target) => (target.includes('slow') ? 60 : 5) });
    const [neg, bs, um, proxy, address, fr] = chain();
    const slow = res('sslCertificate', 'slow-cert', { certificate: 'x' });
    cloud.fail({ method: 'insert', target: bs!.id, reason: 'invalid' });
    const events: WalkEvent[] = [];
    const report = await applyPlan(planOf([neg, bs, um, proxy, address, fr, slow].map((r) => stepOf(r!))), cloud, { ...fast, onEvent: (e) => events.push(e) });
    const state = Object.fromEntries(report.steps.map((s) => [s.name, s.state]));
    expect(state).toEqual({
      'shop-neg': 'done',
      'shop-bs': 'failed',
      'shop-um': 'skipped',
      'shop-proxy': 'skipped',
      'shop-ip': 'done',
      'shop-fr': 'skipped',
      'slow-cert': 'done',
    });
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.name === 'shop-bs')!.attempts).toBe(1);
    expect(report.steps.find((s) => s.name === 'shop-fr')!.skippedBecause).toBe(bs!.id);
    // The slow step was running when the failure happened and still finished.
    const failedAt = events.findIndex((e) => e.type === 'step-failed');
    const slowDone = events.findIndex((e) => e.type === 'step-done' && e.name === 'slow-cert');
    expect(slowDone).toBeGreaterThan(failedAt);
    expect(cloud.has(um!.id)).toBe(false);
    const err = walkError(report);
    expect(err).toBeInstanceOf(StepsFailedError);
    expect(err?.exitCode).toBe(1);
    expect(err?.details?.[0]).toContain('shop-bs');
  });

  it('retries transient failures with backoff and then succeeds', async () => {
    const cloud = new MemoryCloud();
    const [neg] = chain();
    cloud.fail({ method: 'insert', reason: 'rateLimitExceeded', times: 2 });
    const retries: Array<Extract<WalkEvent, { type: 'step-retry' }>> = [];
    const report = await applyPlan(planOf([stepOf(neg!)]), cloud, {
      retry: { baseDelayMs: 10, maxDelayMs: 1000 },
      random: () => 0.5,
      onEvent: (e) => e.type === 'step-retry' && retries.push(e),
    });
    expect(report.ok).toBe(true);
    expect(report.steps[0]!.attempts).toBe(3);
    expect(retries.map((r) => r.delayMs)).toEqual([8, 15]); // exponential, with jitter in [d/2, d]
    expect(retries[0]!.error.reason).toBe('rateLimitExceeded');
  });

  it('gives up on a transient failure after maxAttempts', async () => {
    const cloud = new MemoryCloud();
    cloud.fail({ method: 'insert', reason: 'unavailable' });
    const report = await applyPlan(planOf([stepOf(chain()[0]!)]), cloud, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(report.steps[0]!.state).toBe('failed');
    expect(report.steps[0]!.attempts).toBe(3);
  });

  it('does not retry permanent failures', async () => {
    for (const reason of ['forbidden', 'quotaExceeded', 'invalid', 'resourceInUseByAnotherResource', 'accessNotConfigured']) {
      const cloud = new MemoryCloud();
      cloud.fail({ method: 'insert', reason });
      const report = await applyPlan(planOf([stepOf(chain()[0]!)]), cloud, fast);
      expect(report.steps[0]!.attempts, reason).toBe(1);
      expect(cloud.count('insert'), reason).toBe(1);
      expect(report.steps[0]!.error?.hint, reason).toBeTruthy();
    }
  });

  it('refuses a cyclic plan before any call', async () => {
    const cloud = new MemoryCloud();
    const a = res('urlMap', 'a');
    const b = res('urlMap', 'b');
    const c = res('urlMap', 'c');
    const plan = planOf([stepOf(a, 'create', [c.id]), stepOf(b, 'create', [a.id]), stepOf(c, 'create', [b.id])]);
    await expect(walkPlan(plan, cloud)).rejects.toBeInstanceOf(PlanCycleError);
    expect(cloud.calls).toHaveLength(0);
    expect(() => checkAcyclic(planOf([stepOf(a, 'create', [a.id])]).steps)).toThrow(/cycle/);
    expect(() => checkAcyclic(planOf([stepOf(a), stepOf(b, 'create', [a.id])]).steps)).not.toThrow();
  });

  it('refuses a plan with blockers, changing nothing', async () => {
    const cloud = new MemoryCloud();
    const plan = { ...planOf([stepOf(chain()[0]!)]), blockers: [{ id: 'x', message: 'in the way', hint: 'rename' }] };
    const error = await walkPlan(plan, cloud).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect(cloud.calls).toHaveLength(0);
  });
});

describe('walkPlan abort', () => {
  it('stops starting steps, lets the running one finish, and reports what was not done', async () => {
    const cloud = new MemoryCloud({ latencyMs: 40 });
    const controller = new AbortController();
    const steps = independent(5).map((r) => stepOf(r));
    const report = await walkPlan(planOf(steps), cloud, {
      concurrency: 2,
      signal: controller.signal,
      onEvent: (e) => e.type === 'step-start' && e.name === 'cert-1' && setTimeout(() => controller.abort(), 5),
    });
    expect(report.interrupted).toBe(true);
    expect(report.counts).toMatchObject({ done: 2, skipped: 3, failed: 0 });
    expect(cloud.count('insert')).toBe(2);
    expect(report.steps.filter((s) => s.state === 'skipped').every((s) => s.skippedBecause === 'interrupted')).toBe(true);
    const err = walkError(report);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err?.exitCode).toBe(130);
  });

  it('an already-aborted signal starts nothing', async () => {
    const cloud = new MemoryCloud();
    const report = await walkPlan(planOf(independent(3).map((r) => stepOf(r))), cloud, { signal: AbortSignal.abort() });
    expect(cloud.calls).toHaveLength(0);
    expect(report.counts.skipped).toBe(3);
  });
});

describe('walkPlan idempotency', () => {
  it('a plan of noops makes no call', async () => {
    const cloud = new MemoryCloud();
    const resources = chain();
    await applyPlan(planOf(resources.map((r) => stepOf(r))), cloud);
    const before = cloud.calls.length;
    const report = await applyPlan(planOf(resources.map((r) => stepOf(r, 'noop'))), cloud);
    expect(report.ok).toBe(true);
    expect(report.mutatingCalls).toBe(0);
    expect(cloud.calls.length).toBe(before);
  });

  it('adopts a resource it owns that a create finds already there (interrupted run), not one it does not own', async () => {
    const [neg] = chain();
    const owned = new MemoryCloud({ resources: [{ kind: neg!.kind, scope: neg!.scope, name: neg!.name, body: neg!.body }] });
    const report = await applyPlan(planOf([stepOf(neg!)]), owned);
    expect(report.steps[0]).toMatchObject({ state: 'done', outcome: 'adopted' });

    const foreign = new MemoryCloud({ resources: [{ kind: neg!.kind, scope: neg!.scope, name: neg!.name, body: { description: 'someone else' } }] });
    const report2 = await applyPlan(planOf([stepOf(neg!)]), foreign);
    expect(report2.steps[0]).toMatchObject({ state: 'failed' });
    expect(report2.steps[0]!.error?.reason).toBe('alreadyExists');
  });

  it('retries a create whose name is taken by a creation still in flight (nothing to read yet), instead of failing', async () => {
    const cloud = new MemoryCloud();
    const [neg] = chain();
    cloud.fail({ method: 'insert', reason: 'alreadyExists', times: 1 });
    const report = await applyPlan(planOf([stepOf(neg!)]), cloud, fast);
    expect(report.steps[0]).toMatchObject({ state: 'done', outcome: 'created', attempts: 2 });
  });

  it('does not replace a resource that, with its references resolved, already is what the step would create', async () => {
    const [neg] = chain();
    const same = new MemoryCloud({ resources: [{ kind: neg!.kind, scope: neg!.scope, name: neg!.name, body: neg!.body }] });
    const report = await applyPlan(planOf([stepOf(neg!, 'replace')]), same, fast);
    expect(report.steps[0]).toMatchObject({ state: 'done', outcome: 'adopted' });
    expect(same.calls.filter((c) => c.method === 'delete' || c.method === 'insert')).toEqual([]);

    const other = new MemoryCloud({ resources: [{ kind: neg!.kind, scope: neg!.scope, name: neg!.name, body: { ...neg!.body, cloudRun: { service: 'older' } } }] });
    const replaced = await applyPlan(planOf([stepOf(neg!, 'replace')]), other, fast);
    expect(replaced.steps[0]).toMatchObject({ state: 'done', outcome: 'replaced' });
    expect(other.calls.filter((c) => c.method === 'delete' || c.method === 'insert').map((c) => c.method)).toEqual(['delete', 'insert']);
  });

  it('compares a planned replace as planning does: a forwarding rule on an address another run just made is adopted, not churned', async () => {
    // The plan was made while the other run had created the rule but not yet the address (reads are
    // not one snapshot): its IPAddress, an address path, could not be compared with the rule's IP.
    const [, , , proxy, address, fr] = chain();
    const cloudWith = (ruleIp: string) =>
      new MemoryCloud({
        resources: [
          { kind: 'targetHttpProxy', scope: proxy!.scope, name: proxy!.name, body: proxy!.body },
          { kind: 'address', scope: address!.scope, name: address!.name, body: { ...address!.body, address: '203.0.113.7' } },
          { kind: 'forwardingRule', scope: fr!.scope, name: fr!.name, body: { ...fr!.body, IPAddress: ruleIp } },
        ],
      });
    const steps = () => planOf([stepOf(address!, 'create'), stepOf(fr!, 'replace', [address!.id])]);

    const same = cloudWith('203.0.113.7');
    const report = await applyPlan(steps(), same, fast);
    expect(report.steps.map((s) => s.outcome)).toEqual(['adopted', 'adopted']);
    expect(same.calls.filter((c) => c.method === 'delete')).toEqual([]);

    const moved = cloudWith('203.0.113.99');
    const replaced = await applyPlan(steps(), moved, fast);
    expect(replaced.steps.map((s) => s.outcome)).toEqual(['adopted', 'replaced']);
    expect(moved.calls.filter((c) => c.method === 'delete').map((c) => c.target)).toEqual([fr!.id]);
  });

  it('retries a lost answer with the same requestId, so the change is not repeated', async () => {
    const cloud = new MemoryCloud();
    const [neg] = chain();
    cloud.fail({ method: 'insert', reason: 'unavailable', afterApply: true, times: 1 });
    const report = await applyPlan(planOf([stepOf(neg!)]), cloud, fast);
    expect(report.steps[0]).toMatchObject({ state: 'done', outcome: 'created', attempts: 2 });
    const ids = cloud.calls.filter((c) => c.method === 'insert').map((c) => c.requestId);
    expect(ids[0]).toBe(ids[1]);
  });

  it('uses a new requestId after an operation finished with an error', async () => {
    const cloud = new MemoryCloud();
    cloud.fail({ method: 'insert', reason: 'resourceNotReady', fromOperation: true, times: 1 });
    const report = await applyPlan(planOf([stepOf(chain()[0]!)]), cloud, fast);
    expect(report.ok).toBe(true);
    const ids = cloud.calls.filter((c) => c.method === 'insert').map((c) => c.requestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('derives requestIds deterministically as UUIDs', () => {
    const a = deterministicRequestId('run', 'step', 'insert', '0');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicRequestId('run', 'step', 'insert', '0')).toBe(a);
    expect(deterministicRequestId('run', 'step', 'insert', '1')).not.toBe(a);
  });
});

describe('teardown', () => {
  const teardownSteps = () => {
    const [neg, bs, um, proxy, address, fr] = chain();
    // Reversed edges: a resource is deleted after everything that referenced it.
    return [
      deleteStep('forwardingRule', fr!.name),
      deleteStep('targetHttpProxy', proxy!.name, [fr!.id]),
      deleteStep('urlMap', um!.name, [proxy!.id]),
      deleteStep('backendService', bs!.name, [um!.id]),
      deleteStep('networkEndpointGroup', neg!.name, [bs!.id], neg!.scope),
      deleteStep('address', address!.name, [fr!.id]),
    ];
  };

  it('deletes in reverse dependency order; a resource already gone counts as done', async () => {
    const cloud = new MemoryCloud({ latencyMs: 2 });
    await applyPlan(planOf(chain().map((r) => stepOf(r))), cloud);
    await cloud.delete({ kind: 'address', scope: 'global', name: 'shop-ip' }, 'x').catch(() => undefined); // in use: stays
    const report = await applyPlan(planOf(teardownSteps()), cloud);
    expect(report.ok).toBe(true);
    expect(cloud.ids()).toEqual([]);
    const again = await applyPlan(planOf(teardownSteps()), cloud);
    expect(again.ok).toBe(true);
    expect(again.steps.every((s) => s.outcome === 'absent')).toBe(true);
  });

  it('without the reversed edges, a delete of a referenced resource fails like Google', async () => {
    const cloud = new MemoryCloud();
    await applyPlan(planOf(chain().map((r) => stepOf(r))), cloud);
    const report = await applyPlan(planOf([deleteStep('backendService', 'shop-bs')]), cloud, fast);
    expect(report.steps[0]!.error?.reason).toBe('resourceInUseByAnotherResource');
    expect(report.steps[0]!.error?.message).toContain(path('urlMap', 'shop-um'));
  });
});

describe('outputs', () => {
  it('resolves $output references (a DNS record pointing at the address) once the address exists', async () => {
    const cloud = new MemoryCloud();
    const address = res('address', 'shop-ip', {});
    const record = {
      ...res('dnsRecordSet', 'shop.example.com.', {}, [address.id]),
      body: { name: 'shop.example.com.', type: 'A', ttl: 300, rrdatas: [{ $output: { id: address.id, field: 'address' } }] },
      zone: 'example-zone',
    };
    // The memory cloud does not allocate IPs: give the address one.
    address.body.address = '203.0.113.7';
    const report = await applyPlan(planOf([stepOf(address), stepOf(record)]), cloud);
    expect(report.ok).toBe(true);
    const got = await cloud.get({ kind: 'dnsRecordSet', scope: 'global', name: 'shop.example.com.', zone: 'example-zone', recordType: 'A' });
    expect(got?.body.rrdatas).toEqual(['203.0.113.7']);
    expect(resourceId('dnsRecordSet', 'global', 'shop.example.com.')).toBe(got?.id);
  });
});
