import { describe, expect, it } from 'vitest';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import type { ObservedResource } from '../../src/model/resource-model.js';
import { buildVerifyTarget } from '../../src/verify/target.js';
import { runVerification, type VerifyEvent } from '../../src/verify/verify.js';
import { reportJson } from '../../src/verify/report.js';
import { renderVerifyReport } from '../../src/ui/verify-view.js';
import type { Clock } from '../../src/verify/poll.js';
import { Chalk } from 'chalk';
import { backendAnswer, fakeCloud, fakeNetwork, spec, startServer, type Zone } from './helpers.js';

const LB = '34.1.2.3';
const s = spec({
  backends: [{ name: 'web', cloudRun: { service: 'web' } }],
  frontend: { protocol: 'http', domains: ['www.example.com'] },
});
const graph = buildDesiredGraph(s);
const fr = graph.resources.find((r) => r.kind === 'forwardingRule')!;
const observedFr: ObservedResource = { id: fr.id, kind: fr.kind, name: fr.name, scope: fr.scope, body: { ...fr.body, IPAddress: LB, target: `https://www.googleapis.com/compute/v1/projects/my-project/global/targetHttpProxies/shop-http-proxy` } };
const present = new Map(graph.resources.map((r) => [r.id, { id: r.id, kind: r.kind, name: r.name, scope: r.scope, body: r.body } as ObservedResource]));
present.set(fr.id, observedFr);

function fakeClock(): Clock {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

describe('buildVerifyTarget', () => {
  it('finds listeners, domains and services from the spec and what exists', () => {
    const t = buildVerifyTarget(s, graph, present);
    expect(t.listeners).toEqual([{ forwardingRule: fr.name, scope: 'global', address: LB, port: 80, protocol: 'HTTP', redirectToHttps: false }]);
    expect(t.addresses).toEqual([LB]);
    expect(t.runServices).toEqual([{ backend: 'web', service: 'web', region: 'europe-west1', expectedIngress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' }]);
    expect(t.missing).toEqual([]);
    expect(t.hasHttps).toBe(false);
  });

  it('lists what is missing', () => {
    const t = buildVerifyTarget(s, graph, new Map());
    expect(t.listeners).toEqual([]);
    expect(t.missing).toContain(`forwardingRule ${fr.name}`);
  });
});

describe('runVerification', () => {
  it('polls DNS under the deadline until it resolves, then checks HTTP and ingress, in that order', async () => {
    const lb = await startServer((_req, res) => backendAnswer(res, { service: 'web', region: 'europe-west1' }));
    const direct = await startServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    try {
      const zone: Zone = {};
      const network = fakeNetwork({ [`${LB}:80`]: { host: '127.0.0.1', port: lb.port }, ['web-1.a.run.app:443']: { host: '127.0.0.1', port: direct.port, plaintext: true } }, {}, zone);
      let dnsAttempts = 0;
      const resolver = network.resolver;
      const counting = { ...network, resolver: { description: 'fake DNS', query: async (n: string, t: 'A' | 'AAAA' | 'CNAME') => {
        if (t === 'A' && ++dnsAttempts === 3) zone['www.example.com'] = { A: [LB] };
        return resolver.query(n, t);
      } } };
      const cloud = fakeCloud([], [{ name: 'web', region: 'europe-west1', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', annotations: {}, uri: 'https://web-1.a.run.app' }]);
      const events: VerifyEvent[] = [];
      const report = await runVerification(buildVerifyTarget(s, graph, present), { cloud, network: counting, clock: fakeClock(), onEvent: (e) => events.push(e) }, { waitMs: 60_000 });
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([['dns', 'pass'], ['http', 'pass'], ['ingress', 'pass']]);
      const dnsTries = events.filter((e) => e.type === 'verify-attempt' && e.phase === 'dns');
      expect(dnsTries.length).toBe(3);
      expect(dnsTries.map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, true, false]);
      expect(events[0]).toMatchObject({ type: 'verify-start', waitMs: 60_000 });
      expect(events.at(-1)).toMatchObject({ type: 'verify-done', ok: true });
      const json = reportJson(report);
      expect(json.checks.map((c) => Object.keys(c).slice(0, 3))).toEqual([['id', 'ok', 'status'], ['id', 'ok', 'status'], ['id', 'ok', 'status']]);
    } finally {
      await lb.close();
      await direct.close();
    }
  });

  it('gives up at the deadline and fails the check, with a one-shot wait of 0', async () => {
    const network = fakeNetwork({}, {}, {});
    const events: VerifyEvent[] = [];
    const report = await runVerification(buildVerifyTarget(s, graph, present), { cloud: fakeCloud(), network, clock: fakeClock(), onEvent: (e) => events.push(e) }, { waitMs: 0 });
    expect(report.ok).toBe(false);
    expect(events.filter((e) => e.type === 'verify-attempt' && e.phase === 'dns').length).toBe(1);
    expect(report.checks.find((c) => c.id === 'dns')!.records).toEqual(['www.example.com. 300 IN A 34.1.2.3']);
    const text = renderVerifyReport(report, { color: new Chalk({ level: 0 }) });
    expect(text).toMatch(/✖ dns/);
    expect(text).toMatch(/Records to create:\n {6}www\.example\.com\. 300 IN A 34\.1\.2\.3/);
    expect(text).toMatch(/checks failed: dns/);
  });

  it('reports a load balancer that does not exist on every check', async () => {
    const report = await runVerification(buildVerifyTarget(s, graph, new Map()), { cloud: fakeCloud(), network: fakeNetwork({}), clock: fakeClock() }, { waitMs: 10_000 });
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual(['dns', 'http', 'ingress']);
    expect(report.checks.every((c) => /not there/.test(c.detail) && /serverless-lb apply/.test(c.hint ?? ''))).toBe(true);
  });
});
