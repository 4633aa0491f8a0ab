/**
 * `serverless-lb import`, end to end: a load balancer built with the real gcloud against the emulator
 * (the exported script of an example, as the docs show it; and the same commands without any
 * serverless-lb mark, as someone following a guide by hand would run them) is imported from one
 * of its forwarding rules. Afterwards `plan` shows zero changes, a re-apply makes zero mutating
 * calls, and teardown leaves none of its resources. What a config cannot describe stops the import
 * with the list, and nothing is changed. Skips, saying so, where gcloud is not installed.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, mutating } from './support/harness.js';
import { exportedScript, importSuite, runGcloudScript } from './support/gcloud-scripts.js';

const suite = importSuite('test/e2e/import.test.ts');
const cli = (args: string[], expected = 0) => suite.cli(args, expected);
const script = exportedScript;
const runScript = (text: string) => runGcloudScript(suite.h, suite.dir, text);

async function left(lb: string): Promise<string[]> {
  return (await suite.h.resources('projects/demo-project')).map((r) => r.path).filter((p) => p.split('/').pop()!.startsWith(`${lb}-`));
}

describe.skipIf(!suite.gcloud)('serverless-lb import', () => {
  it('a load balancer the exported gcloud script built: plan shows zero changes, re-apply makes no mutating call, teardown leaves nothing', async () => {
    const built = await runScript(await script('global-external.yaml'));
    expect(built.code, built.stderr).toBe(0);
    const out = await cli(['import', '--forwarding-rule', 'global-lb-https-fr', '--name', 'global-lb', '-c', 'lb.yaml', '--dns-zone', 'example-com', '--project', 'demo-project', '--yes']);
    expect(out).toMatch(/Read 12 resources: .*networkEndpointGroup global-lb-web-neg-europe-west1/);
    const config = readFileSync(join(suite.dir, 'lb.yaml'), 'utf8');
    expect(config).toMatch(/^# yaml-language-server: \$schema=/);
    expect(config).toMatch(/protocol: https-redirect/);
    expect(config).toMatch(/managedZone: example-com/);

    expect(await cli(['plan', '-c', 'lb.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete, 18 unchanged/);
    const mark = await suite.h.mark();
    expect(await cli(['apply', '--yes', '-c', 'lb.yaml', '--wait', '5s'])).toMatch(/All checks passed/);
    expect(mutating(await suite.h.requestsSince(mark))).toEqual([]);

    await cli(['teardown', '--yes', '-c', 'lb.yaml']);
    expect(await left('global-lb')).toEqual([]);
  }, 120_000);

  it('the same load balancer made by hand (no serverless-lb mark anywhere): labels on its forwarding rules take it over; the certificate stays the user\'s', async () => {
    const built = await runScript(await script('global-external.yaml', true));
    expect(built.code, built.stderr).toBe(0);
    expect(await cli(['plan', '-c', join(EXAMPLES, 'global-external.yaml')], 2)).toMatch(/exists and is not owned by this load balancer/);
    const out = await cli(['import', '--forwarding-rule', 'global-lb-http-fr', '--name', 'global-lb', '-c', 'lb.yaml', '--dns-zone', 'example-com', '--project', 'demo-project', '--yes']);
    expect(out).toMatch(/forwardingRule\s+global-lb-https-fr\s+global\s+takes it over: the ownership label serverless-lb: global-lb/);
    expect(readFileSync(join(suite.dir, 'lb.yaml'), 'utf8')).toMatch(/type: existing[\s\S]*names:\s*\n\s+- global-lb-cert/);
    expect(await cli(['plan', '-c', 'lb.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    expect(await cli(['verify', '-c', 'lb.yaml', '--wait', '5s'])).toMatch(/All checks passed/);
    // By name alone, as after losing the config: what the labelled forwarding rules hold goes too.
    await cli(['teardown', '--yes', '--name', 'global-lb', '--project', 'demo-project', '--dns-zone', 'example-com']);
    expect(await left('global-lb')).toEqual(['projects/demo-project/global/sslCertificates/global-lb-cert']);
  }, 120_000);

  it('a load balancer made by hand under names of its own: the config keeps them (names), plan shows zero changes, teardown by name removes what was taken over', async () => {
    const renames: Array<[string, string]> = [
      ['global-lb-redirect-urlmap', 'web-redirect'],
      ['global-lb-urlmap', 'web-map'],
      ['global-lb-web-neg-europe-west1', 'web-neg'],
      ['global-lb-api-neg-europe-west1', 'api-neg'],
      ['global-lb-web-bs', 'web-backend'],
      ['global-lb-api-bs', 'api-backend'],
      ['global-lb-https-proxy', 'web-https-proxy'],
      ['global-lb-http-proxy', 'web-http-proxy'],
      ['global-lb-https-fr', 'web-https-rule'],
      ['global-lb-http-fr', 'web-http-rule'],
      ['global-lb-cert', 'web-cert'],
      ['global-lb-ip', 'web-ip'],
    ];
    let text = await script('global-external.yaml', true);
    for (const [from, to] of renames) text = text.split(from).join(to);
    const built = await runScript(text);
    expect(built.code, built.stderr).toBe(0);
    await cli(['import', '--forwarding-rule', 'web-https-rule', '--name', 'shop', '-c', 'lb.yaml', '--dns-zone', 'example-com', '--project', 'demo-project', '--yes']);
    const config = readFileSync(join(suite.dir, 'lb.yaml'), 'utf8');
    expect(config).toMatch(/^names:/m);
    for (const line of ['urlMap: web-map', 'httpsForwardingRule: web-https-rule', 'httpForwardingRule: web-http-rule', 'redirectUrlMap: web-redirect', 'web-backend: web-backend', 'europe-west1: web-neg']) expect(config).toContain(line);
    expect(await cli(['plan', '-c', 'lb.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    expect(await cli(['verify', '-c', 'lb.yaml', '--wait', '5s'])).toMatch(/All checks passed/);
    await cli(['teardown', '--yes', '--name', 'shop', '--project', 'demo-project', '--dns-zone', 'example-com']);
    const remaining = (await suite.h.resources('projects/demo-project')).map((r) => r.path.split('/').pop()!);
    for (const [, name] of renames) {
      if (name === 'web-cert' || name === 'web-ip') expect(remaining, `${name} stays the user's`).toContain(name);
      else expect(remaining, `${name} was taken over and torn down`).not.toContain(name);
    }
  }, 120_000);

  it('the TLS and dual-stack examples as their gcloud scripts built them: SSL policy, HTTP/3, mutual TLS (its CA written beside the config), IPv6 frontend and custom headers come back; plan shows zero changes; teardown leaves nothing', async () => {
    cpSync(join(EXAMPLES, 'certs'), join(suite.dir, 'certs'), { recursive: true });
    expect((await runScript(await script('tls-policy-mtls.yaml'))).code).toBe(0);
    await cli(['import', '--forwarding-rule', 'mtls-lb-https-fr', '--name', 'mtls-lb', '-c', 'mtls.yaml', '--dns-zone', 'example-com', '--project', 'demo-project', '--yes']);
    const mtls = parseYaml(readFileSync(join(suite.dir, 'mtls.yaml'), 'utf8')) as { frontend: { tls: Record<string, unknown> }; options: { headers: unknown } };
    expect(mtls.frontend.tls).toEqual({ policy: { profile: 'MODERN', minTlsVersion: 'TLS_1_2' }, http3: true, mtls: { mode: 'REJECT_INVALID', trustAnchors: ['mtls-lb-trust-anchor-1.pem'] } });
    expect(readFileSync(join(suite.dir, 'mtls-lb-trust-anchor-1.pem'), 'utf8').trim()).toBe(readFileSync(join(EXAMPLES, 'certs/client-ca.pem'), 'utf8').trim());
    expect(mtls.options.headers).toEqual({ request: { 'X-Client-Cert-Present': '{client_cert_present}', 'X-Client-Cert-Chain-Verified': '{client_cert_chain_verified}', 'X-Client-Cert-Uri-Sans': '{client_cert_uri_sans}' } });
    expect(await cli(['plan', '-c', 'mtls.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    // Importing again never overwrites the CA file it wrote.
    expect(await cli(['import', '--forwarding-rule', 'mtls-lb-https-fr', '--name', 'mtls-lb', '-c', 'again.yaml', '--project', 'demo-project', '--yes'], 2)).toMatch(/mtls-lb-trust-anchor-1\.pem exists: import writes the CA certificates/);
    await cli(['teardown', '--yes', '-c', 'mtls.yaml']);
    expect(await left('mtls-lb')).toEqual([]);

    expect((await runScript(await script('dual-stack.yaml'))).code).toBe(0);
    await cli(['import', '--forwarding-rule', 'dual-lb-https-fr-ipv6', '--name', 'dual-lb', '-c', 'dual.yaml', '--dns-zone', 'example-com', '--project', 'demo-project', '--yes']);
    const dual = parseYaml(readFileSync(join(suite.dir, 'dual.yaml'), 'utf8')) as { frontend: { address: Record<string, unknown> }; options: { headers: unknown } };
    expect(dual.frontend.address).toEqual({ mode: 'reserve', ipVersion: 'IPV4_IPV6' });
    expect(dual.options.headers).toEqual({ response: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } });
    expect(await cli(['plan', '-c', 'dual.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    const mark = await suite.h.mark();
    await cli(['apply', '--yes', '--no-verify', '-c', 'dual.yaml']);
    expect(mutating(await suite.h.requestsSince(mark))).toEqual([]);
    await cli(['teardown', '--yes', '-c', 'dual.yaml']);
    expect(await left('dual-lb')).toEqual([]);
  }, 240_000);

  it('route rules come back as routes: the canary split and header-routing examples (a header match, a rewrite, a timeout, CORS) as their gcloud scripts built them; plan shows zero changes', async () => {
    expect((await runScript(await script('canary-split.yaml'))).code).toBe(0);
    await cli(['import', '--forwarding-rule', 'canary-lb-https-fr', '--name', 'canary-lb', '-c', 'canary.yaml', '--dns-zone', 'example-com', '--project', 'demo-project', '--yes']);
    // As the example says them (a match on "/" alone is the default and is left out).
    const routesOf = (file: string) => (parseYaml(readFileSync(file, 'utf8')) as { routing: { routes: Array<Record<string, unknown>> } }).routing.routes.map((r) => (JSON.stringify(r.match) === '{"pathPrefix":"/"}' ? (({ match: _m, ...rest }) => rest)(r) : r));
    expect(routesOf(join(suite.dir, 'canary.yaml'))).toEqual(routesOf(join(EXAMPLES, 'canary-split.yaml')));
    expect(await cli(['plan', '-c', 'canary.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    await cli(['teardown', '--yes', '-c', 'canary.yaml']);
    expect(await left('canary-lb')).toEqual([]);

    expect((await runScript(await script('header-routing.yaml'))).code).toBe(0);
    await cli(['import', '--forwarding-rule', 'routing-lb-http-fr', '--region', 'europe-west1', '--name', 'routing-lb', '-c', 'routing.yaml', '--project', 'demo-project', '--yes']);
    expect(routesOf(join(suite.dir, 'routing.yaml'))).toEqual(routesOf(join(EXAMPLES, 'header-routing.yaml')));
    expect(await cli(['plan', '-c', 'routing.yaml'])).toMatch(/0 to create, 0 to update, 0 to replace, 0 to delete/);
    await cli(['teardown', '--yes', '-c', 'routing.yaml']);
    expect(await left('routing-lb')).toEqual([]);
  }, 240_000);

  it('refuses, changing nothing, what a config cannot describe, and never overwrites a config', async () => {
    expect((await runScript(await script('global-external.yaml'))).code).toBe(0);
    // A route rule added by hand with fault injection: the config has no words for it yet.
    const map = (await suite.h.resources('projects/demo-project/global/urlMaps/global-lb-urlmap'))[0]!.value;
    const matchers = map.pathMatchers as Array<Record<string, unknown>>;
    const routeRules = [{ priority: 1, matchRules: [{ prefixMatch: '/beta' }], service: matchers[0]!.defaultService, routeAction: { faultInjectionPolicy: { abort: { httpStatus: 503, percentage: 10 } } } }];
    const res = await fetch(suite.h.url('/compute/v1/projects/demo-project/global/urlMaps/global-lb-urlmap'), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathMatchers: [{ name: matchers[0]!.name, defaultService: matchers[0]!.defaultService, routeRules }], fingerprint: map.fingerprint }),
    });
    expect(res.status, await res.text()).toBe(200);
    const mark = await suite.h.mark();
    const out = await cli(['import', '--forwarding-rule', 'global-lb-https-fr', '--name', 'global-lb', '-c', 'lb.yaml', '--project', 'demo-project', '--yes'], 2);
    expect(out).toMatch(/cannot be imported yet: 1 thing a config cannot describe; nothing was changed/);
    expect(out).toMatch(/URL map global-lb-urlmap, path matcher hosts-1, route rule 1: routeAction\.faultInjectionPolicy is not imported yet/);
    expect(mutating(await suite.h.requestsSince(mark))).toEqual([]);
    expect(existsSync(join(suite.dir, 'lb.yaml'))).toBe(false);

    writeFileSync(join(suite.dir, 'taken.yaml'), 'name: x\n');
    expect(await cli(['import', '--forwarding-rule', 'global-lb-https-fr', '--name', 'global-lb', '-c', 'taken.yaml', '--project', 'demo-project', '--yes'], 2)).toMatch(/taken\.yaml exists: import writes a new config and never overwrites one/);
    expect(await cli(['import', '--forwarding-rule', 'nope', '--name', 'global-lb', '-c', 'n.yaml', '--project', 'demo-project', '--yes'], 2)).toMatch(/forwarding rule nope was not found in global/);
  }, 120_000);
});
