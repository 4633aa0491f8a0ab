/**
 * `serverless-lb import` across the load balancer types, certificate kinds and backends beyond those
 * of import.test.ts: the exported gcloud script of an example, run with the real gcloud against the
 * emulator, imports back into a config that says what the example says (per-region forwarding rules,
 * addresses and proxy-only subnets of a cross-region internal load balancer and its geo-routed DNS
 * record; Certificate Manager certificates and maps serverless-lb made; outlier detection; an API
 * Gateway backend), plans zero changes, and tears down to nothing. `IMPORT_ALL_EXAMPLES=1` takes
 * every example but iap.yaml the same way. Skips, saying so, where gcloud is not installed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, mutating } from './support/harness.js';
import { exportedScript, importSuite, runGcloudScript } from './support/gcloud-scripts.js';

const suite = importSuite('test/e2e/import-examples.test.ts');
const cli = (args: string[], expected = 0) => suite.cli(args, expected);

type Json = Record<string, unknown>;
const at = (doc: Json, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc);

interface Case {
  example: string;
  /** The forwarding rule import starts from, and its region where it is regional (default: the script's first one). */
  rule?: string;
  region?: string;
  /** Keys the imported config must hold as the example has them. */
  same: string[];
}

/** The first forwarding rule the script creates, and its region unless it is global. */
function firstRule(script: string): { rule: string; region?: string } {
  const [, rule, flags] = script.match(/forwarding-rules create '?([a-z0-9-]+)'?([^\n]*(?:\n {4}[^\n]*)*)/) ?? [];
  if (!rule) throw new Error('the script creates no forwarding rule');
  const region = /--global\b/.test(flags ?? '') ? undefined : flags?.match(/--region=([a-z0-9-]+)/)?.[1];
  return region ? { rule, region } : { rule };
}

const CASES: Case[] = [
  { example: 'cross-region-internal-https.yaml', rule: 'xr-https-lb-https-fr-us-central1', same: ['type', 'regions', 'frontend.network', 'frontend.domains', 'certificate'] },
  { example: 'cross-region-internal.yaml', rule: 'xr-internal-lb-http-fr-europe-west1', same: ['regions', 'frontend.network', 'options.outlierDetection'] },
  { example: 'global-external-cert-map.yaml', rule: 'map-lb-http-fr', same: ['certificate', 'frontend.protocol', 'frontend.domains'] },
  { example: 'regional-internal-managed-cert.yaml', rule: 'internal-https-lb-https-fr', region: 'europe-west1', same: ['certificate', 'frontend.domains'] },
  { example: 'api-gateway.yaml', rule: 'gw-lb-https-fr', same: ['backends'] },
];

// IMPORT_ALL_EXAMPLES=1: every example but iap.yaml (its OAuth client secret cannot be read back).
const ALL = process.env.IMPORT_ALL_EXAMPLES === '1';
const cases: Case[] = ALL
  ? readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml') && f !== 'iap.yaml')
      .sort()
      .map((example) => CASES.find((c) => c.example === example) ?? { example, same: [] })
  : CASES;

describe.skipIf(!suite.gcloud)('serverless-lb import: every load balancer type and certificate kind', () => {
  for (const c of cases) {
    it(`${c.example} as its gcloud script built it: the config says what the example says, plan shows zero changes, teardown leaves nothing`, async () => {
      const example = parseYaml(readFileSync(join(EXAMPLES, c.example), 'utf8')) as Json;
      const script = await exportedScript(c.example);
      const built = await runGcloudScript(suite.h, suite.dir, script);
      expect(built.code, built.stderr).toBe(0);
      const zone = (example.dns as { managedZone?: string } | undefined)?.managedZone;
      const name = String(example.name);
      const { rule, region } = c.rule ? c : firstRule(script);
      await cli(['import', '--forwarding-rule', rule!, ...(region ? ['--region', region] : []), '--name', name, '-c', 'lb.yaml', '--project', 'demo-project', '--yes', ...(zone ? ['--dns-zone', zone] : [])]);
      const imported = parseYaml(readFileSync(join(suite.dir, 'lb.yaml'), 'utf8')) as Json;
      for (const key of c.same) expect(at(imported, key), key).toEqual(at(example, key));

      expect(await cli(['plan', '-c', 'lb.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete, \d+ unchanged/);
      const mark = await suite.h.mark();
      await cli(['apply', '--yes', '--no-verify', '-c', 'lb.yaml']);
      expect(mutating(await suite.h.requestsSince(mark))).toEqual([]);
      await cli(['teardown', '--yes', '-c', 'lb.yaml']);
      const left = (await suite.h.resources('projects/demo-project')).map((r) => r.path).filter((p) => p.split('/').pop()!.startsWith(`${name}-`));
      expect(left).toEqual([]);
    }, 180_000);
  }

  it('a cross-region internal load balancer whose forwarding rules have names of their own: refused with the names a config gives them, nothing changed', async () => {
    let text = await exportedScript('cross-region-internal.yaml', true);
    text = text.split('xr-internal-lb-http-fr-europe-west1').join('corp-rule-eu').split('xr-internal-lb-http-fr-us-central1').join('corp-rule-us');
    const built = await runGcloudScript(suite.h, suite.dir, text);
    expect(built.code, built.stderr).toBe(0);
    const mark = await suite.h.mark();
    const out = await cli(['import', '--forwarding-rule', 'corp-rule-eu', '--name', 'xr-internal-lb', '-c', 'lb.yaml', '--project', 'demo-project', '--yes'], 2);
    expect(out).toMatch(/forwarding rule corp-rule-eu: a cross-region internal load balancer's forwarding rules take serverless-lb's names, one per region \(xr-internal-lb-http-fr-europe-west1\)/);
    expect(out).toMatch(/forwarding rule corp-rule-us: .*\(xr-internal-lb-http-fr-us-central1\)/);
    expect(mutating(await suite.h.requestsSince(mark))).toEqual([]);
  }, 120_000);
});
