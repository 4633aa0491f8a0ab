/**
 * Without a human: nothing is asked, defaults fill what they can, every missing or invalid answer
 * is reported at once with its flag (exit 2); flags and the same answers typed give the same config.
 */
import { describe, expect, it } from 'vitest';
import { collectAnswers } from '../../src/wizard/ask.js';
import { DEFAULT } from '../../src/wizard/scripted-prompter.js';
import { renderConfigYaml, specInputFromFlags, validateSpec } from '../../src/spec/index.js';
import { UsageError } from '../../src/errors.js';
import { scripted } from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('non-interactive answers', () => {
  it('reports every missing answer at once, with the flags that set them', async () => {
    const error = await failure(collectAnswers({ given: {} }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('init.missing-answers');
    expect(error.message).toMatch(/^4 answers are missing and 1 invalid/);
    expect(error.details).toEqual([
      expect.stringMatching(/^error project \(--project\): has no answer/),
      expect.stringMatching(/^error region \(--region\): has no answer/),
      expect.stringMatching(/^error backends \(--backend\): has no answer/),
      expect.stringMatching(/^error name \(--name\): has no answer/),
      expect.stringMatching(/^error frontend\.domains \(--domain\): a Google-managed certificate needs at least one domain/),
    ]);
  });

  it('asks for what the chosen type needs: regions for cross-region internal, domains for the Certificate Manager certificate regional types default to', async () => {
    const cross = await failure(collectAnswers({ given: { project: 'demo-project', name: 'x', type: 'cross-region-internal', backends: [{ name: 'web', cloudRun: { service: 'web' } }] } }));
    expect(cross.details).toEqual([expect.stringMatching(/^error regions \(--regions\)/), expect.stringMatching(/^error frontend\.domains \(--domain\): a Google-managed certificate needs at least one domain/)]);
    const regional = await failure(collectAnswers({ given: { project: 'demo-project', name: 'x', type: 'regional-external', region: 'europe-west1', backends: [{ name: 'web', cloudRun: { service: 'web' } }] } }));
    expect(regional.details).toEqual([expect.stringMatching(/^error frontend\.domains \(--domain\): a Google-managed certificate needs at least one domain/)]);
    const given = { project: 'demo-project', name: 'x', type: 'regional-external', region: 'europe-west1', backends: [{ name: 'web', cloudRun: { service: 'web' } }], frontend: { domains: ['app.example.com'] }, dns: { managedZone: 'example-com' } };
    const { input } = await collectAnswers({ given });
    expect(input.certificate).toEqual({ type: 'managed', service: 'certificate-manager' });
  });

  it('completes an answer set from flags alone with the defaults, saying so', async () => {
    const { input, problems } = specInputFromFlags({ project: 'demo-project', name: 'shop', region: 'europe-west1', backend: ['web'], protocol: 'http' });
    expect(problems).toEqual([]);
    const lines: string[] = [];
    const result = await collectAnswers({ given: input, flags: input, say: (l) => lines.push(l) });
    expect(result.asked).toEqual([]);
    expect(lines).toContain('✔ Backends: web (from --backend)');
    expect(result.answers.find((a) => a.id === 'type')).toMatchObject({ source: 'default', value: expect.stringMatching(/^global-external/) });
    expect(result.input).toMatchObject({ type: 'global-external', frontend: { protocol: 'http', address: { mode: 'reserve' } }, options: { ingress: 'auto', logging: { enabled: true } } });
    expect(validateSpec(result.input).ok).toBe(true);
  });

  it('takes a config alone, echoing its answers with the file name', async () => {
    const config = { name: 'cfg', project: 'demo-project', region: 'us-central1', backends: [{ name: 'api', cloudRun: { service: 'api' } }], frontend: { protocol: 'http' as const } };
    const lines: string[] = [];
    const result = await collectAnswers({ given: config, config: { input: config, path: 'serverless-lb.yaml' }, say: (l) => lines.push(l) });
    expect(lines).toContain('✔ Name: cfg (from serverless-lb.yaml)');
    expect(result.answers.find((a) => a.id === 'region')).toMatchObject({ source: 'config', from: 'serverless-lb.yaml' });
    expect(result.input.name).toBe('cfg');
  });

  it('reports conflicting answers with the config\'s rules', async () => {
    const error = await failure(
      collectAnswers({
        given: { project: 'demo-project', name: 'x', type: 'regional-internal', region: 'europe-west1', backends: [{ name: 'web', cloudRun: { service: 'web' } }], frontend: { protocol: 'http' }, options: { cdn: { enabled: true }, ingress: 'internal' } },
      }),
    );
    expect(error.code).toBe('config.invalid');
    expect(error.details).toEqual([expect.stringMatching(/^error options\.cdn\.enabled \(--cdn\): Cloud CDN works only with the global external and classic types/)]);
  });

  it('never asks: no prompter means no question, even with discovery offered', async () => {
    let opened = false;
    const result = await collectAnswers({
      given: { project: 'demo-project', name: 'x', region: 'europe-west1', backends: [{ name: 'web', cloudRun: { service: 'web' } }], frontend: { protocol: 'http' } },
      discovery: async () => {
        opened = true;
        return undefined;
      },
    });
    expect(opened).toBe(false);
    expect(result.asked).toEqual([]);
  });
});

describe('the CI path and the interactive path', () => {
  it('give the same config for the same answers', async () => {
    const flags = specInputFromFlags({
      project: 'demo-project', name: 'shop', type: 'global-external', region: 'europe-west1', backend: ['web', 'api'], defaultBackend: 'web',
      route: ['api.example.com=api'], protocol: 'https-redirect', domain: ['www.example.com', 'api.example.com'], certificate: 'managed',
      dnsZone: 'example-com', address: 'reserve', cdn: true, iap: false, securityPolicy: 'corp-policy', logging: true, ingress: 'auto', invoker: 'public',
    });
    const ci = await collectAnswers({ given: flags.input, flags: flags.input });
    const human = await scripted({
      project: 'demo-project', type: 'global-external', region: 'europe-west1', backends: 'web, api', defaultBackend: 'web', routes: 'api.example.com=api',
      name: 'shop', protocol: 'https-redirect', port: DEFAULT, domains: 'www.example.com, api.example.com', certificate: 'managed', dnsZone: 'example-com',
      address: 'reserve', cdn: true, iap: false, securityPolicy: '@typed', 'securityPolicy.name': 'corp-policy', logging: true, outlierDetection: false, ingress: 'auto', invoker: 'public',
    });
    expect(renderConfigYaml(human.input)).toBe(renderConfigYaml(ci.input));
  });
});
