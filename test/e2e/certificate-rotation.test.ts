/**
 * Renewing a self-managed certificate and rotating a mutual TLS CA by changing the files the config
 * names, through the built CLI and the emulator: the plan sees that the files hold other
 * certificates than Google has (and shows digests, never PEM text), apply puts the renewed
 * certificate on the proxy under its other name and retires the old one, the trust config changes in
 * place, the data plane serves the new certificate and trusts the new CA, and a re-apply plans
 * nothing.
 */
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_SEED } from '../../src/emulator/seed/demo-seed.js';
import { EmulatorCa } from '../../src/emulator/dataplane/emulator-ca.js';
import { assertBuilt, EXAMPLES, runCli } from './support/harness.js';

let emulator: RunningEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator({ port: 0, opLatencyMs: 0, seed: DEMO_SEED as never });
  env = { SERVERLESS_LB_EMULATOR_HOST: `127.0.0.1:${emulator.port}` };
});
afterAll(async () => emulator?.close());

interface Step {
  id: string;
  kind: string;
  action: string;
  changes?: Array<{ field: string }>;
}

async function resources(prefix: string): Promise<Array<{ path: string; value: Record<string, unknown> }>> {
  const all = (await (await fetch(`http://127.0.0.1:${emulator.port}/_emulator/resources?prefix=${prefix}`)).json()) as Array<{ path: string; value: Record<string, unknown> }> | { resources: Array<{ path: string; value: Record<string, unknown> }> };
  return Array.isArray(all) ? all : all.resources;
}

async function httpsListenerPort(lb: string): Promise<number> {
  const rules = await resources('projects/demo-project/global/forwardingRules');
  const address = String(rules.find((r) => r.path.includes(`/forwardingRules/${lb}-`))!.value.IPAddress);
  const { listeners } = (await (await fetch(`http://127.0.0.1:${emulator.port}/_emulator/dataplane`)).json()) as { listeners: Array<{ address: string; protocol: string; loopbackPort: number }> };
  return listeners.find((l) => l.address === address && l.protocol === 'HTTPS')!.loopbackPort;
}

/**
 * The fingerprint of the certificate the listener serves for `host` when a request over it is
 * answered; `refused: ...` when the connection ends without an answer (a client certificate the
 * trust config does not accept is refused after the handshake) or fails.
 */
function servedCertificate(port: number, host: string, client?: { cert: string; key: string }): Promise<string> {
  return new Promise((resolveResult) => {
    let answer = '';
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: host, rejectUnauthorized: false, ...(client ?? {}) }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '?';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      socket.once('end', () => resolveResult(/^HTTP\/1\.1 200 /.test(answer) ? fingerprint : `refused: closed without an answer`));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolveResult(`refused: ${e.code}`));
  });
}

const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

describe('renewing a certificate and rotating a CA by their files', () => {
  it('plans the change from the files, applies it without a new name in the config, and serves and trusts the new certificates', async () => {
    const certs = resolve(EXAMPLES, 'certs');
    const dir = mkdtempSync(join(tmpdir(), 'slb-rotate-'));
    copyFileSync(join(certs, 'example.com.crt'), join(dir, 'site.pem'));
    copyFileSync(join(certs, 'example.com.key'), join(dir, 'site.key'));
    copyFileSync(join(certs, 'client-ca.pem'), join(dir, 'ca.pem'));
    const config = join(dir, 'rotate.yaml');
    writeFileSync(
      config,
      `name: rotate-lb
project: demo-project
type: global-external
region: europe-west1
backends:
  - name: web
    cloudRun: { service: web }
frontend:
  protocol: https
  domains: [www.example.com]
  tls:
    mtls: { mode: REJECT_INVALID, trustAnchors: [ca.pem] }
certificate: { type: self-managed, certificateFile: site.pem, privateKeyFile: site.key }
dns: { managedZone: example-com }
`,
    );
    const clientArgs = ['--client-cert', join(certs, 'client.pem'), '--client-key', join(certs, 'client-key.pem')];
    const client = { cert: readFileSync(join(certs, 'client.pem'), 'utf8'), key: readFileSync(join(certs, 'client-key.pem'), 'utf8') };

    const first = await runCli(['apply', '--yes', '-c', config, '--format', 'json', ...clientArgs], { env });
    expect(first.code, first.stderr).toBe(0);
    const port = await httpsListenerPort('rotate-lb');
    expect(await servedCertificate(port, 'www.example.com', client)).toBe(fingerprintOf(readFileSync(join(certs, 'example.com.crt'), 'utf8')));
    const unchanged = JSON.parse((await runCli(['plan', '-c', config, '--format', 'json'], { env })).stdout) as { steps: Step[] };
    expect(unchanged.steps.filter((s) => s.action !== 'noop')).toEqual([]);

    // The certificate is renewed (a new key too) and a second CA joins the first in the CA file.
    const ca = await EmulatorCa.create('rotation test CA');
    const renewed = await ca.issue(['www.example.com']);
    writeFileSync(join(dir, 'site.pem'), renewed.chainPem);
    writeFileSync(join(dir, 'site.key'), renewed.privateKeyPem);
    writeFileSync(join(dir, 'ca.pem'), readFileSync(join(certs, 'client-ca.pem'), 'utf8') + ca.certificatePem);

    const shown = await runCli(['plan', '-c', config], { env });
    expect(shown.stdout).toMatch(/<certificates sha256:[0-9a-f]{12}>/);
    expect(shown.stdout + shown.stderr).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY|EC PRIVATE KEY)/);
    const planned = JSON.parse((await runCli(['plan', '-c', config, '--format', 'json'], { env })).stdout) as { steps: Step[] };
    expect(planned.steps.filter((s) => s.action !== 'noop').map((s) => `${s.action} ${s.id}`).sort()).toEqual([
      'create sslCertificate:global:rotate-lb-cert-b',
      'update targetHttpsProxy:global:rotate-lb-https-proxy',
      'update trustConfig:global:rotate-lb-trust-config',
    ]);

    const second = await runCli(['apply', '--yes', '-c', config, '--format', 'json', ...clientArgs], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout + second.stderr).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY|EC PRIVATE KEY)/);
    const report = JSON.parse(second.stdout) as { verify: { checks: Array<{ id: string; status: string }> } };
    expect(report.verify.checks.map((c) => `${c.id}:${c.status}`)).toEqual(expect.arrayContaining(['https:pass', 'mtls:pass']));
    expect(await servedCertificate(port, 'www.example.com', client)).toBe(fingerprintOf(renewed.certificatePem));
    const after = JSON.parse((await runCli(['plan', '-c', config, '--format', 'json'], { env })).stdout) as { steps: Step[] };
    expect(after.steps.filter((s) => s.action !== 'noop')).toEqual([]);
    const names = (await resources('projects/demo-project/global/sslCertificates')).map((r) => r.path.split('/').at(-1));
    expect(names).toEqual(['rotate-lb-cert-b']);

    // The old CA leaves the file: its client certificate is refused from then on.
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
    const third = await runCli(['apply', '--yes', '-c', config, '--format', 'json'], { env });
    expect(third.code, third.stderr).toBe(0);
    expect(await servedCertificate(port, 'www.example.com', client)).toMatch(/^refused/);
    expect((await runCli(['teardown', '--yes', '-c', config], { env })).code).toBe(0);
  });
});
