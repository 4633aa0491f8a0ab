import { describe, expect, it } from 'vitest';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { diffPlan } from '../../src/plan/diff.js';
import { offlinePlan } from '../../src/plan/offline-plan.js';
import { planToJson, renderPlanJson } from '../../src/plan/render-json.js';
import { renderPlanTable } from '../../src/plan/render-table.js';
import { observedState, spec } from './fixtures.js';

const withSecrets = spec({
  backends: [{ name: 'admin', cloudRun: { service: 'admin' }, iap: true }],
  frontend: { protocol: 'https', domains: ['admin.example.com'] },
  certificate: { type: 'self-managed', certificateFile: 'certs/admin.pem', privateKeyFile: 'certs/admin.key' },
  options: { iap: { enabled: true, oauth2ClientId: 'client-id', oauth2ClientSecretEnv: 'IAP_CLIENT_SECRET' } } as never,
});

describe('renderPlanJson', () => {
  it('has exactly the docs/cli.md step keys plus named additional properties', () => {
    const plan = offlinePlan(withSecrets);
    const json = JSON.parse(renderPlanJson(plan)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['blockers', 'lbName', 'project', 'steps', 'summary']);
    expect(json.lbName).toBe('shop');
    expect(json.project).toBe('my-project');
    const steps = json.steps as Record<string, unknown>[];
    expect(steps.length).toBe(plan.steps.length);
    for (const s of steps) {
      expect(Object.keys(s).sort()).toEqual(['action', 'changes', 'dependsOn', 'id', 'kind', 'name', 'reason', 'scope']);
      expect(['create', 'update', 'delete', 'noop', 'replace']).toContain(s.action);
      expect(s.scope === 'global' || /^regions\/[a-z]+-[a-z]+\d+$/.test(String(s.scope))).toBe(true);
      for (const d of s.dependsOn as string[]) expect(steps.some((x) => x.id === d)).toBe(true);
    }
    expect(steps[0]).toMatchObject({ action: 'create', kind: 'address', name: 'shop-ip', scope: 'global', id: 'address:global:shop-ip', dependsOn: [] });
    const proxy = steps.find((s) => s.id === 'targetHttpsProxy:global:shop-https-proxy')!;
    expect(proxy).toMatchObject({ kind: 'targetHttpsProxy', name: 'shop-https-proxy', scope: 'global' });
    expect((proxy.dependsOn as string[]).sort()).toEqual(['sslCertificate:global:shop-cert', 'urlMap:global:shop-urlmap']);
    expect(json.summary).toEqual({ create: plan.steps.length, update: 0, delete: 0, noop: 0, replace: 0, disruptive: 0 });
  });

  it('never contains a secret, a key file content or a resolved placeholder', () => {
    const graph = buildDesiredGraph(withSecrets);
    const observed = observedState(graph);
    // Observed bodies that (wrongly) carry secrets must not leak either.
    const bs = observed.get('backendService:global:shop-admin-bs')!;
    bs.body = { ...bs.body, iap: { enabled: true, oauth2ClientId: 'other-client', oauth2ClientSecret: 'TOP-SECRET-VALUE' } };
    const cert = observed.get('sslCertificate:global:shop-cert')!;
    cert.body = { ...cert.body, privateKey: '-----BEGIN PRIVATE KEY-----SECRETKEY' };
    const plan = diffPlan(graph, observed);
    expect(plan.steps.find((s) => s.id === 'backendService:global:shop-admin-bs')!.action).toBe('update');
    for (const text of [renderPlanJson(plan), renderPlanTable(plan), renderPlanJson(offlinePlan(withSecrets)), renderPlanTable(offlinePlan(withSecrets))]) {
      expect(text).not.toContain('TOP-SECRET-VALUE');
      expect(text).not.toContain('SECRETKEY');
      expect(text).not.toContain('PRIVATE KEY');
    }
    const json = planToJson(plan);
    const change = json.steps.find((s) => s.id === 'backendService:global:shop-admin-bs')!.changes.find((c) => c.field === 'iap.oauth2ClientId');
    expect(change).toEqual({ field: 'iap.oauth2ClientId', path: 'iap.oauth2ClientId', from: 'other-client', to: 'client-id' });
  });
});

describe('renderPlanTable', () => {
  it('lists every step with its action, changes, blockers and a summary, without colour codes', () => {
    const graph = buildDesiredGraph(withSecrets);
    const observed = observedState(graph);
    const map = observed.get('urlMap:global:shop-urlmap')!;
    map.body = { ...map.body, defaultService: 'https://www.googleapis.com/compute/v1/projects/my-project/global/backendServices/old' };
    observed.delete('forwardingRule:global:shop-https-fr');
    observed.set('forwardingRule:global:shop-https-fr', {
      id: 'forwardingRule:global:shop-https-fr',
      kind: 'forwardingRule',
      name: 'shop-https-fr',
      scope: 'global',
      body: { description: 'hand made' },
    });
    const text = renderPlanTable(diffPlan(graph, observed));
    expect(text).not.toMatch(/\u001b\[/);
    expect(text).toMatch(/^~\s+update\s+urlMap\s+shop-urlmap\s+global\s+differs: defaultService$/m);
    expect(text).toContain('defaultService: …/old -> …/shop-admin-bs');
    expect(text).toMatch(/^=\s+noop\s+networkEndpointGroup\s+shop-admin-neg-europe-west1\s+europe-west1/m);
    expect(text).toContain('! forwardingRule shop-https-fr exists and is not owned by this load balancer');
    expect(text).toContain('1 to update');
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 to create, 1 to update, 0 to replace, 0 to delete, 7 unchanged');
  });

  it('cuts lines to the given width', () => {
    const text = renderPlanTable(offlinePlan(withSecrets), { width: 40 });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(text).toContain('…');
  });
});

describe('renderPlanTable: what to do by hand', () => {
  const regional = (dns: boolean) =>
    spec({
      type: 'regional-external',
      backends: [{ name: 'web', cloudRun: { service: 'web' } }],
      frontend: { protocol: 'https', domains: ['app.example.com', 'www.example.com'] },
      certificate: { type: 'managed', domains: ['app.example.com', '*.example.com'] },
      ...(dns ? { dns: { managedZone: 'example-com' } } : {}),
    });

  it('names the CNAME record of each DNS authorization when no managed zone creates it', () => {
    const text = renderPlanTable(offlinePlan(regional(false)));
    const lines = text.split('\n').filter((l) => l.startsWith('  * '));
    // app.example.com and *.example.com need two authorizations: app.example.com and example.com.
    expect(lines).toEqual([
      expect.stringContaining('add the CNAME record _acme-challenge.app.example.com. with the target Google answers for DNS authorization shop-dnsauth-app-example-com'),
      expect.stringContaining('add the CNAME record _acme-challenge.example.com. with the target Google answers for DNS authorization shop-dnsauth-example-com'),
    ]);
  });

  it('asks nothing by hand when the records are created in the zone', () => {
    const text = renderPlanTable(offlinePlan(regional(true)));
    expect(text).not.toContain('To do by hand');
    expect(text).toMatch(/create\s+dnsRecordSet\s+_acme-challenge\.example\.com\./);
  });
});

describe('readable diffs', () => {
  it('names the changed leaf of a nested field by path, lists of objects by their names, and never cuts where values differ', async () => {
    const { changePaths, formatChange } = await import('../../src/plan/render-value.js');
    const from = [{ name: 'hosts-1', defaultService: 'projects/p/global/backendServices/global-lb-web-bs', pathRules: [] }, { name: 'hosts-2', defaultService: 'projects/p/global/backendServices/x' }];
    const to = [{ name: 'hosts-1', defaultService: 'projects/p/global/backendServices/global-lb-api-bs', pathRules: [] }, { name: 'hosts-2', defaultService: 'projects/p/global/backendServices/x' }];
    const leaves = changePaths('pathMatchers', from, to);
    expect(leaves).toEqual([{ path: 'pathMatchers[hosts-1].defaultService', from: 'projects/p/global/backendServices/global-lb-web-bs', to: 'projects/p/global/backendServices/global-lb-api-bs' }]);
    expect(formatChange(leaves[0]!.from, leaves[0]!.to, 20)).toEqual(['…/global-lb-web-bs', '…/global-lb-api-bs']);
    const certs = changePaths('sslCertificates', ['projects/p/global/sslCertificates/global-lb-cert'], ['projects/p/global/sslCertificates/global-lb-cert-b', 'projects/p/global/sslCertificates/global-lb-cert']);
    expect(certs).toHaveLength(1);
    const [a, b] = formatChange(certs[0]!.from, certs[0]!.to, 200);
    expect(a).toContain('global-lb-cert');
    expect(b).toContain('global-lb-cert-b');
    expect(changePaths('options', { a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 }, d: true })).toEqual([
      { path: 'options.b.c', from: 2, to: 3 },
      { path: 'options.d', from: undefined, to: true },
    ]);
  });
});
