/**
 * A certificate file renewed, or a CA file rotated, after the load balancer was made: the plan
 * against what exists compares the certificates in the file with those Google returns, and changes
 * them the way each kind allows (a self-managed certificate made again under its other name and
 * put on the proxy beside the old one, which goes once the new one serves; a trust config changed
 * in place). No PEM text reaches the plan's output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { diffPlan } from '../../src/plan/diff.js';
import { planToJson } from '../../src/plan/render-json.js';
import { formatValue } from '../../src/plan/render-value.js';
import { withFileDigests } from '../../src/cloud/file-digests.js';
import { certificatesDigest } from '../../src/spec/certificate-files.js';
import type { DesiredGraph, ObservedResource } from '../../src/model/resource-model.js';
import { observedState, spec } from './fixtures.js';

const pem = (name: string): string => readFileSync(new URL(`../../docs/examples/certs/${name}`, import.meta.url), 'utf8');
const SITE = pem('example.com.crt');
const CA = pem('client-ca.pem');
const OTHER = pem('client.pem');

const CERT_ID = 'sslCertificate:global:shop-cert';
const TRUST_ID = 'trustConfig:global:shop-trust-config';

function graphOf(): DesiredGraph {
  return buildDesiredGraph(
    spec({
      backends: [{ name: 'web', cloudRun: { service: 'web' } }],
      frontend: { protocol: 'https', domains: ['www.example.com'], tls: { mtls: { mode: 'REJECT_INVALID', trustAnchors: ['ca.pem'] } } } as never,
      certificate: { type: 'self-managed', certificateFile: 'site.pem', privateKeyFile: 'site.key' },
    }),
  );
}

/** What exists: the load balancer as made from site.pem = SITE and ca.pem = CA, PEMs as Google returns them. */
function existing(graph: DesiredGraph): Map<string, ObservedResource> {
  const state = observedState(graph);
  const cert = state.get(CERT_ID)!;
  state.set(CERT_ID, { ...cert, body: { ...cert.body, certificate: SITE.replace(/\n/g, '\r\n') } });
  const trust = state.get(TRUST_ID)!;
  state.set(TRUST_ID, { ...trust, body: { ...trust.body, trustStores: [{ trustAnchors: [{ pemCertificate: `${CA.trimEnd()}\n` }] }] } });
  return state;
}

const files = (contents: Record<string, string>) => (path: string): string => {
  if (!(path in contents)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return contents[path]!;
};

describe('certificate files against what exists', () => {
  it('digests the certificates of a PEM text, whatever its line breaks; nothing for text without one', () => {
    expect(certificatesDigest(SITE)).toMatch(/^[0-9a-f]{64}$/);
    expect(certificatesDigest(SITE.replace(/\n/g, '\r\n'))).toBe(certificatesDigest(SITE));
    expect(certificatesDigest(`# renewed\n${SITE}`)).toBe(certificatesDigest(SITE));
    expect(certificatesDigest(SITE)).not.toBe(certificatesDigest(OTHER));
    expect(certificatesDigest(SITE + OTHER)).not.toBe(certificatesDigest(SITE));
    expect(certificatesDigest('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')).toBeUndefined();
    expect(certificatesDigest('')).toBeUndefined();
  });

  it('plans nothing while the files hold the certificates Google has', () => {
    const graph = withFileDigests(graphOf(), files({ 'site.pem': SITE, 'ca.pem': CA }));
    const plan = diffPlan(graph, existing(graphOf()));
    expect(plan.steps.filter((s) => s.action !== 'noop')).toEqual([]);
  });

  it('swaps in a renewed certificate under its other name and changes a rotated CA in place', () => {
    const graph = withFileDigests(graphOf(), files({ 'site.pem': OTHER, 'ca.pem': SITE }));
    const plan = diffPlan(graph, existing(graphOf()));
    const changed = plan.steps.filter((s) => s.action !== 'noop').map((s) => `${s.action} ${s.id}`);
    expect(changed.sort()).toEqual(['create sslCertificate:global:shop-cert-b', 'update targetHttpsProxy:global:shop-https-proxy', `update ${TRUST_ID}`]);
    // The old certificate keeps serving until the new one does; apply then detaches and deletes it.
    expect(plan.steps.find((s) => s.id === CERT_ID)?.pending).toBeDefined();
    const trust = plan.steps.find((s) => s.id === TRUST_ID)!;
    expect(trust.changes?.map((c) => c.field)).toEqual(['trustStores']);
    // The plan names the certificates by digest, never by their text.
    const json = JSON.stringify(planToJson(plan));
    expect(json).not.toContain('BEGIN CERTIFICATE');
    expect(formatValue(SITE)).toBe(`<certificates sha256:${certificatesDigest(SITE)!.slice(0, 12)}>`);
    expect(formatValue({ $file: 'site.pem', sha256: certificatesDigest(OTHER) })).toBe(`<file: site.pem, certificates sha256:${certificatesDigest(OTHER)!.slice(0, 12)}>`);
  });

  it('leaves a file it cannot read, or without certificates, to the config checks: no change is planned from it', () => {
    for (const contents of [{}, { 'site.pem': 'not a certificate', 'ca.pem': '' }]) {
      const plan = diffPlan(withFileDigests(graphOf(), files(contents)), existing(graphOf()));
      expect(plan.steps.filter((s) => s.action !== 'noop')).toEqual([]);
    }
  });
});
