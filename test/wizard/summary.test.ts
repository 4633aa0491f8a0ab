/** The summaries around the plan, and the canonical key order of the written config. */
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { SPEC_FIELDS, validateSpec, type Spec } from '../../src/spec/index.js';
import { finalSummary, renderAnswers, renderFinalSummary } from '../../src/wizard/summary.js';
import { orderKeys, deleteIn, setIn } from '../../src/wizard/patch.js';

const plain = new Chalk({ level: 0 });

function spec(input: unknown): Spec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

const base = { name: 'shop', project: 'demo-project', region: 'europe-west1', backends: [{ name: 'web', cloudRun: { service: 'web' } }] };

describe('finalSummary', () => {
  it('gives the URLs, curl lines that work before DNS, and the records to create without a managed zone', () => {
    const s = finalSummary(
      spec({ ...base, frontend: { protocol: 'https-redirect', domains: ['www.example.com', 'example.com'] }, certificate: { type: 'managed' } }),
      [{ address: '34.1.2.3', ports: '443-443', protocol: 'HTTPS' }, { address: '34.1.2.3', ports: '80-80', protocol: 'HTTP' }],
      'serverless-lb.yaml',
    );
    expect(s.urls).toEqual(['https://www.example.com/', 'https://example.com/']);
    expect(s.curl).toEqual(['curl --resolve www.example.com:443:34.1.2.3 https://www.example.com/', 'curl --resolve example.com:443:34.1.2.3 https://example.com/']);
    expect(s.dnsRecords).toEqual([{ name: 'www.example.com.', type: 'A', value: '34.1.2.3' }, { name: 'example.com.', type: 'A', value: '34.1.2.3' }]);
    expect(s.commands?.teardown).toBe('npx serverless-lb teardown');
    const text = renderFinalSummary(s, plain);
    expect(text).toMatch(/Address\s+34\.1\.2\.3\s+\(HTTPS 443, HTTP 80\)/);
    expect(text).toMatch(/www\.example\.com\.\s+A\s+34\.1\.2\.3/);
    expect(text).toMatch(/Google-managed certificate becomes ACTIVE/);
  });

  it('says the records exist when serverless-lb manages them, and names the config in the commands', () => {
    const s = finalSummary(spec({ ...base, frontend: { protocol: 'http', domains: ['app.example.com'] }, dns: { managedZone: 'example-com' } }), [{ address: '34.1.2.3', ports: '80-80', protocol: 'HTTP' }], 'lb.yaml');
    expect(s.dnsRecords).toEqual([]);
    expect(s.dnsZone).toBe('example-com');
    expect(s.urls).toEqual(['http://app.example.com/']);
    expect(s.commands?.verify).toBe('npx serverless-lb verify -c lb.yaml');
    expect(renderFinalSummary(s, plain)).toMatch(/records created in Cloud DNS zone example-com/);
  });

  it('uses the address itself without domains, an IPv6 AAAA record, and notes internal reachability', () => {
    const noDomains = finalSummary(spec({ ...base, frontend: { protocol: 'http', port: 8080 }, type: 'classic' }), [{ address: '34.1.2.3', ports: '8080-8080', protocol: 'HTTP' }], 'serverless-lb.yaml');
    expect(noDomains.urls).toEqual(['http://34.1.2.3:8080/']);
    const v6 = finalSummary(spec({ ...base, frontend: { protocol: 'http', domains: ['v6.example.com'], address: { ipVersion: 'IPV6' } } }), [{ address: '2600:1901::1', ports: '80-80', protocol: 'HTTP' }], 'serverless-lb.yaml');
    expect(v6.dnsRecords).toEqual([{ name: 'v6.example.com.', type: 'AAAA', value: '2600:1901::1' }]);
    expect(v6.curl).toEqual(['curl --resolve v6.example.com:80:[2600:1901::1] http://v6.example.com/']);
    const internal = finalSummary(spec({ ...base, type: 'regional-internal', frontend: { protocol: 'http' } }), [{ address: '10.132.0.5', ports: '80-80', protocol: 'HTTP' }], 'serverless-lb.yaml');
    expect(internal.notes.join(' ')).toMatch(/internal: try it from a VM or a connector inside VPC network default in europe-west1/);
  });
});

describe('finalSummary in context', () => {
  const managed = () => spec({ ...base, frontend: { protocol: 'https', domains: ['www.example.com'] }, certificate: { type: 'managed' } });
  const https = [{ address: '34.1.2.3', ports: '443-443', protocol: 'HTTPS' as const }];

  it('drops the certificate wait note once verify saw it ACTIVE', () => {
    expect(finalSummary(managed(), https, 'serverless-lb.yaml').notes.join(' ')).toMatch(/becomes ACTIVE/);
    expect(finalSummary(managed(), https, 'serverless-lb.yaml', { certificateActive: true }).notes.join(' ')).not.toMatch(/becomes ACTIVE/);
  });

  it('points the commands at a running emulator, and gives none that cannot work after an embedded one stops', () => {
    const running = finalSummary(managed(), https, 'lb.yaml', { emulatorHost: '127.0.0.1:8089' });
    expect(running.commands?.teardown).toBe('SERVERLESS_LB_EMULATOR_HOST=127.0.0.1:8089 npx serverless-lb teardown -c lb.yaml');
    const embedded = finalSummary(managed(), https, 'lb.yaml', { emulatorHost: '127.0.0.1:40000', embeddedEmulator: true });
    expect(embedded.commands).toBeUndefined();
    expect(embedded.notes.join(' ')).toMatch(/embedded emulator stops with this command/);
    expect(renderFinalSummary(embedded, plain)).not.toMatch(/Remove/);
    const demo = finalSummary(managed(), https, 'lb.yaml', { hideCommands: true });
    expect(demo.commands).toBeUndefined();
  });
});

describe('renderAnswers', () => {
  it('shows each answer and where it came from', () => {
    const text = renderAnswers(
      [
        { id: 'project', label: 'Project', value: 'p', source: 'environment', from: 'CLOUDSDK_CORE_PROJECT' },
        { id: 'type', label: 'Load balancer type', value: 'global-external', source: 'default' },
        { id: 'name', label: 'Name', value: 'shop', source: 'asked' },
        { id: 'region', label: 'Region', value: 'europe-west1', source: 'flag', from: '--region' },
      ],
      plain,
    );
    expect(text.split('\n')).toEqual([
      'Your answers:',
      '  Project             p  (from CLOUDSDK_CORE_PROJECT)',
      '  Load balancer type  global-external  (default)',
      '  Name                shop',
      '  Region              europe-west1  (from --region)',
    ]);
  });
});

describe('patch helpers', () => {
  it('orders keys as the registry lists them, whatever order they were set in', () => {
    const a = orderKeys({ frontend: { domains: ['x.example.com'], protocol: 'http' }, name: 'n', backends: [{ cloudRun: { service: 's' }, name: 's' }] }, SPEC_FIELDS.map((f) => f.key));
    expect(JSON.stringify(a)).toBe('{"name":"n","backends":[{"name":"s","cloudRun":{"service":"s"}}],"frontend":{"protocol":"http","domains":["x.example.com"]}}');
  });

  it('sets and deletes dotted keys, pruning emptied parents', () => {
    const value: Record<string, unknown> = {};
    setIn(value, 'frontend.address.mode', 'reserve');
    expect(value).toEqual({ frontend: { address: { mode: 'reserve' } } });
    deleteIn(value, 'frontend.address.mode');
    expect(value).toEqual({});
  });
});
