/**
 * The change-safety suite's slice inside `npm test` (the whole matrix is `npm run changes`): live
 * changes with steady traffic through the data plane drop no request, the suite notices when they
 * do (a negative control), and disruption needs consent.
 */
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../e2e/support/harness.js';
// @ts-expect-error plain ESM modules of the suite (run by node directly)
import { runTransition, sharedTargets, summaryLine } from './engine.mjs';
// @ts-expect-error idem
import { TRANSITIONS } from './transitions.mjs';

type Transition = { name: string; example: string; allowDisruption?: boolean; before?: (c: unknown) => unknown; after: (c: unknown) => unknown };
const byName = (name: string): Transition => {
  const t = (TRANSITIONS as Transition[]).find((x) => x.name === name);
  if (!t) throw new Error(`no transition ${name}`);
  return t;
};

describe('the change matrix', () => {
  it('covers at least 40 transitions over the five load balancer types', () => {
    const all = TRANSITIONS as Transition[];
    expect(all.length).toBeGreaterThanOrEqual(40);
    const types = new Set(all.map((t) => t.example.replace(/(-https|-managed-cert|-cert-map)?\.yaml$/, '')));
    expect([...types].sort()).toEqual(expect.arrayContaining(['classic', 'cross-region-internal', 'global-external', 'regional-external', 'regional-internal']));
    expect(new Set(all.map((t) => t.name)).size).toBe(all.length);
  });

  it('sends traffic only to what both configs serve', () => {
    const before = { frontend: { protocol: 'https-redirect', domains: ['a.example.com', 'b.example.com'] } };
    const after = { frontend: { protocol: 'https', domains: ['a.example.com'] } };
    expect(sharedTargets(before, after)).toEqual([{ host: 'a.example.com', protocol: 'HTTPS', port: 443 }]);
  });
});

describe('live changes under traffic (emulator, managed certificates take 3 s to provision)', () => {
  const slice = [
    'global-external: add a domain (Compute managed certificate)',
    'global-external: Compute managed -> Certificate Manager managed',
    'global-external: https-redirect -> https',
  ];
  for (const name of slice) {
    it(name, async () => {
      assertBuilt();
      const result = await runTransition(byName(name));
      expect(result.problems).toEqual([]);
      expect(result.requests).toBeGreaterThan(20);
      expect(result.failed).toBe(0);
    }, 120_000);
  }

  it('notices dropped requests: clients of a listener the change removes are counted as failures', async () => {
    assertBuilt();
    const removed: Transition = { name: 'control: the HTTPS listener removed while its clients keep coming', example: 'global-external.yaml', after: (c) => ({ ...(c as object), frontend: { ...(c as { frontend: object }).frontend, protocol: 'http' } }), allowDisruption: true };
    const result = await runTransition(removed, { everythingBefore: true });
    expect(result.failed).toBeGreaterThan(0);
    expect(summaryLine([result])).toMatch(/^changes: transitions 1, requests \d+, failed [1-9]\d*, disruptive-by-design 1$/);
  }, 120_000);
});
