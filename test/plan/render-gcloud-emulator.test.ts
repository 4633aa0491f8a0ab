import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { kindModule } from '../../src/kinds/registry.js';
import { certManagerResourceName } from '../../src/kinds/cert-manager-service.js';
import { renderGcloudScript } from '../../src/plan/render-gcloud.js';
import { specSchema } from '../../src/spec/schema.js';
import { hasGcloud } from './render-export-shell.js';
// @ts-expect-error plain ESM helper shared with the benchmark
import { gcloudEmulatorEnv } from '../support/gcloud-emulator-env.mjs';

const EXAMPLES_DIR = join(import.meta.dirname, '../../docs/examples');

/** Runs a rendered script with the real gcloud, pointed at the emulator through a throwaway configuration. */
function runAgainst(emulator: RunningEmulator, script: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'slb-emu-script-'));
  cpSync(join(EXAMPLES_DIR, 'certs'), join(dir, 'certs'), { recursive: true });
  writeFileSync(join(dir, 'lb.sh'), script);
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', ['lb.sh'], {
      cwd: dir,
      env: { ...gcloudEmulatorEnv({ url: emulator.url, port: emulator.port }, join(dir, 'gcloud')), ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe.skipIf(!hasGcloud())('renderGcloudScript: the script runs against the emulator', () => {
  // A fresh project for each example: two examples may name the same DNS records.
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({ dns: false, dataplane: false });
  });
  afterEach(async () => emulator?.close());

  const files = ['global-external.yaml', 'regional-external.yaml', 'regional-internal.yaml', 'global-external-cert-map.yaml', 'regional-internal-managed-cert.yaml'];
  // The traffic-management and TLS examples: route rules, splits, CORS and timeouts (url-maps import), SSL policy, trust config, server TLS policy, HTTP/3, dual stack.
  files.push('canary-split.yaml', 'header-routing.yaml', 'tls-policy-mtls.yaml', 'dual-stack.yaml');
  for (const file of files) {
    it(`${file}: every command succeeds and the resources exist afterwards`, async () => {
      const graph = buildDesiredGraph(specSchema.parse(parseYaml(readFileSync(join(EXAMPLES_DIR, file), 'utf8'))));
      const script = renderGcloudScript(graph);
      const ingress = graph.resources.filter((x) => x.kind === 'cloudRunIngress');
      expect(ingress.length).toBeGreaterThan(0);
      expect(script).toContain('gcloud run services update');
      const r = await runAgainst(emulator, script);
      expect(r.stderr.split('\n').filter((l, i, all) => /ERROR/.test(l) || /ERROR/.test(all[i - 1] ?? '')).join('\n')).toBe('');
      expect(r.status).toBe(0);
      const keys = emulator.ctx.store.entries().map(([key]) => key);
      const missing = graph.resources
        .filter((x) => x.managed && kindModule(x.kind).compute !== undefined)
        .filter((x) => !keys.some((key) => key.endsWith(`${x.scope}/${kindModule(x.kind).compute?.collection ?? ''}/${x.name}`)));
      expect(missing.map((x) => x.id)).toEqual([]);
      // The proxy's TLS settings arrived (gcloud drops a flag value it cannot parse without a word).
      for (const proxy of graph.resources.filter((x) => x.kind === 'targetHttpsProxy')) {
        const stored = emulator.ctx.store.entries().find(([key]) => key.endsWith(`/targetHttpsProxies/${proxy.name}`))?.[1] as Record<string, unknown> | undefined;
        for (const field of ['serverTlsPolicy', 'quicOverride'] as const) if (proxy.body[field] !== undefined) expect(stored?.[field], `${proxy.name}.${field}`).toBe(proxy.body[field]);
        if (proxy.body.sslPolicy !== undefined) expect(String(stored?.sslPolicy), `${proxy.name}.sslPolicy`).toMatch(new RegExp(`/sslPolicies/${String(proxy.body.sslPolicy).split('/').pop()}$`));
      }
      // Certificate Manager resources are stored under their resource names.
      const certManager = graph.resources.filter((x) => kindModule(x.kind).certManager !== undefined);
      expect(certManager.filter((x) => !keys.includes(certManagerResourceName(graph.project, kindModule(x.kind).certManager!.collection, x.scope, x.name))).map((x) => x.id)).toEqual([]);
      // `gcloud run services update --ingress` went through the emulator's Cloud Run v1 API.
      const serviceIngress = ingress.map((x) => {
        const region = x.scope.replace(/^regions\//, '');
        const stored = emulator.ctx.store.entries().find(([key]) => key.endsWith(`/locations/${region}/services/${x.name}`));
        return [x.id, (stored?.[1] as { ingress?: string } | undefined)?.ingress];
      });
      expect(serviceIngress).toEqual(ingress.map((x) => [x.id, (x.body as { ingress: string }).ingress]));
    }, 300_000);
  }
});
