import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  mergeSpecInput,
  parseBackendFlag,
  parseRateLimitFlag,
  parseRouteFlag,
  registerSpecOptions,
  routesToHostRules,
  specInputFromFlags,
  validateSpec,
} from '../../src/spec/index.js';

function parse(args: string[]) {
  const command = registerSpecOptions(new Command('x').exitOverride(), []);
  command.parse(['node', 'x', ...args]);
  return specInputFromFlags(command.opts());
}

describe('--backend syntax', () => {
  it.each([
    ['web', { name: 'web', cloudRun: { service: 'web' } }],
    ['web=run:web', { name: 'web', cloudRun: { service: 'web' } }],
    ['api=run:api?tag=canary&regions=europe-west1,us-central1', { name: 'api', cloudRun: { service: 'api', tag: 'canary' }, regions: ['europe-west1', 'us-central1'] }],
    ['fn=function:legacy-fn', { name: 'fn', cloudFunction: { function: 'legacy-fn' } }],
    ['fns=function-mask:example.com/<function>', { name: 'fns', cloudFunction: { urlMask: 'example.com/<function>' } }],
    ['gae=appengine:default/v1', { name: 'gae', appEngine: { service: 'default', version: 'v1' } }],
    ['gae=appengine:', { name: 'gae', appEngine: {} }],
    ['gaem=appengine-mask:<version>.example.com', { name: 'gaem', appEngine: { urlMask: '<version>.example.com' } }],
    ['gw=apigateway:demo-gateway', { name: 'gw', apiGateway: { gateway: 'demo-gateway' } }],
    ['masked=run-mask:<service>.example.com', { name: 'masked', cloudRun: { urlMask: '<service>.example.com' } }],
    ['static=run:static?cdn=true&armor=false&iap=no', { name: 'static', cloudRun: { service: 'static' }, cdn: true, cloudArmor: false, iap: false }],
  ])('%s', (value, expected) => {
    expect(parseBackendFlag(value)).toEqual({ backend: expected });
  });

  it.each([
    ['=run:web', /no backend name/],
    ['web=web', /KIND:TARGET/],
    ['web=lambda:web', /unknown kind "lambda"/],
    ['web=run:', /needs a Cloud Run service/],
    ['web=run:web?colour=blue', /unknown option "colour"/],
    ['web=function:f?tag=x', /tag= applies only/],
    ['web=run:web?cdn=maybe', /true or false/],
    ['gae=appengine:a/b/c', /SERVICE\/VERSION/],
  ])('rejects %s', (value, reason) => {
    const result = parseBackendFlag(value);
    expect('reason' in result && result.reason).toMatch(reason);
  });
});

describe('--route syntax', () => {
  it('parses hosts, paths and path-only routes', () => {
    expect(parseRouteFlag('api.example.com=api')).toEqual({ route: { host: 'api.example.com', backend: 'api' } });
    expect(parseRouteFlag('example.com/static/*=static')).toEqual({ route: { host: 'example.com', path: '/static/*', backend: 'static' } });
    expect(parseRouteFlag('/admin=admin')).toEqual({ route: { host: '*', path: '/admin', backend: 'admin' } });
    expect('reason' in parseRouteFlag('example.com')).toBe(true);
    expect('reason' in parseRouteFlag('example.com=')).toBe(true);
  });

  it('groups routes into host rules', () => {
    const { hosts, conflicts } = routesToHostRules([
      { host: 'example.com', backend: 'web' },
      { host: 'example.com', path: '/static/*', backend: 'static' },
      { host: 'api.example.com', backend: 'api' },
      { host: 'example.com', path: '/assets/*', backend: 'static' },
    ]);
    expect(conflicts).toEqual([]);
    expect(hosts).toEqual([
      { hosts: ['example.com'], defaultBackend: 'web', paths: [{ paths: ['/static/*', '/assets/*'], backend: 'static' }] },
      { hosts: ['api.example.com'], defaultBackend: 'api' },
    ]);
    expect(routesToHostRules([{ host: 'a', backend: 'x' }, { host: 'a', backend: 'y' }]).conflicts).toHaveLength(1);
  });
});

describe('--rate-limit syntax', () => {
  it('makes a throttle rule that denies with 429', () => {
    const result = parseRateLimitFlag('100/1m');
    expect(result).toMatchObject({ rule: { action: 'throttle', srcIpRanges: ['*'], rateLimit: { count: 100, intervalSec: 60, exceedAction: 'deny(429)', enforceOnKey: 'IP' } } });
    expect(parseRateLimitFlag('5/10s')).toMatchObject({ rule: { rateLimit: { count: 5, intervalSec: 10 } } });
    expect(parseRateLimitFlag('1000/1h')).toMatchObject({ rule: { rateLimit: { intervalSec: 3600 } } });
  });
  it.each(['100', '100/45s', 'x/60s', '0/60s'])('rejects %s', (value) => {
    expect('reason' in parseRateLimitFlag(value)).toBe(true);
  });
});

describe('specInputFromFlags', () => {
  it('turns a full command line into a SpecInput that validates', () => {
    const { input, problems } = parse([
      '--name', 'lb', '--project', 'demo-project', '--type', 'global-external', '--regions', 'europe-west1,us-central1',
      '--backend', 'web=run:web', '--backend', 'static=run:static?regions=europe-west1&cdn=true',
      '--default-backend', 'web', '--route', 'example.com/static/*=static',
      '--protocol', 'https-redirect', '--domain', 'example.com', '--certificate', 'managed',
      '--address', 'existing', '--address-name', 'reserved-ip', '--ip-version', 'ipv4', '--network-tier', 'premium',
      '--rate-limit', '100/60s', '--no-logging', '--log-sample-rate', '0.5', '--outlier-detection', '--keepalive-timeout', '610',
      '--ingress', 'auto', '--dns-zone', 'example-com', '--cdn-cache-mode', 'use-origin-headers',
    ]);
    expect(problems).toEqual([]);
    expect(input.frontend?.address).toEqual({ mode: 'existing', name: 'reserved-ip', ipVersion: 'IPV4', networkTier: 'PREMIUM' });
    expect(input.options?.logging).toEqual({ enabled: false, sampleRate: 0.5 });
    expect(input.options?.cdn).toEqual({ cacheMode: 'USE_ORIGIN_HEADERS' });
    expect(input.options?.outlierDetection).toEqual({});
    expect(input.dns).toEqual({ managedZone: 'example-com' });
    const result = validateSpec(input);
    expect(result.ok ? result.warnings : result.problems).toEqual([]);
  });

  it('sets only what was given', () => {
    expect(parse([]).input).toEqual({});
    expect(parse(['--cdn']).input).toEqual({ options: { cdn: { enabled: true } } });
    expect(parse(['--no-cdn']).input).toEqual({ options: { cdn: { enabled: false } } });
  });

  it('builds internal network settings', () => {
    const { input, problems } = parse(['--network', 'default', '--subnet', 'default', '--proxy-only-subnet', 'create', '--proxy-only-subnet-range', 'europe-west1=10.129.0.0/23', '--proxy-only-subnet-range', 'us-central1=10.131.0.0/23']);
    expect(problems).toEqual([]);
    expect(input.frontend?.network).toEqual({ network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'create', ranges: { 'europe-west1': '10.129.0.0/23', 'us-central1': '10.131.0.0/23' } } });
  });

  it('infers the certificate kind from the flags that need one', () => {
    expect(parse(['--certificate-file', 'c.pem', '--private-key-file', 'k.pem']).input.certificate).toEqual({ type: 'self-managed', certificateFile: 'c.pem', privateKeyFile: 'k.pem' });
    expect(parse(['--existing-certificate', 'a', '--existing-certificate', 'b']).input.certificate).toEqual({ type: 'existing', names: ['a', 'b'] });
    expect(parse(['--certificate-map', 'm']).input.certificate).toEqual({ type: 'certificate-manager', certificateMap: 'm' });
    expect(parse(['--certificate-manager-certificate', 'c']).input.certificate).toEqual({ type: 'certificate-manager', certificates: ['c'] });
  });

  it('reports bad flag syntax naming the flag, all at once', () => {
    const { problems } = parse(['--backend', 'web=lambda:x', '--route', 'nope', '--port', 'http', '--proxy-only-subnet-range', '10.0.0.0/23', '--rate-limit', 'fast', '--certificate', 'letsencrypt', '--log-sample-rate', '2', '--keepalive-timeout', '1.5']);
    expect(problems.map((p) => p.flag)).toEqual(['--backend', '--route', '--port', '--proxy-only-subnet-range', '--certificate', '--rate-limit', '--log-sample-rate', '--keepalive-timeout']);
    for (const p of problems) expect(p.severity).toBe('error');
  });

  it('takes --certificate-service for managed and self-managed certificates only', () => {
    expect(parse(['--certificate', 'managed', '--certificate-service', 'certificate-manager']).input.certificate).toEqual({ type: 'managed', service: 'certificate-manager' });
    expect(parse(['--certificate-file', 'c.pem', '--private-key-file', 'k.pem', '--certificate-service', 'compute']).input.certificate).toEqual({ type: 'self-managed', certificateFile: 'c.pem', privateKeyFile: 'k.pem', service: 'compute' });
    expect(parse(['--certificate', 'managed', '--certificate-service', 'acm']).problems).toEqual([expect.objectContaining({ flag: '--certificate-service', key: 'certificate.service', message: expect.stringMatching(/not a certificate service/) })]);
    expect(parse(['--certificate-map', 'm', '--certificate-service', 'compute']).problems).toEqual([expect.objectContaining({ flag: '--certificate-service', message: expect.stringMatching(/not certificate-manager/) })]);
  });

  it('reports conflicting certificate flags', () => {
    const { problems } = parse(['--certificate', 'managed', '--certificate-file', 'c.pem']);
    expect(problems).toEqual([expect.objectContaining({ flag: '--certificate', message: expect.stringMatching(/different kinds/) })]);
  });

  it('validation problems name the flag of the key', () => {
    const { input } = parse(['--name', 'lb', '--project', 'demo-project', '--region', 'europe-west1', '--backend', 'web=run:Web', '--protocol', 'http']);
    const result = validateSpec(input);
    expect(!result.ok && result.problems[0]).toMatchObject({ key: 'backends.0.cloudRun.service', flag: '--backend' });
  });
});

describe('mergeSpecInput', () => {
  const config = {
    name: 'lb',
    project: 'demo-project',
    region: 'europe-west1',
    backends: [{ name: 'web', cloudRun: { service: 'web' } }, { name: 'api', cloudRun: { service: 'api' } }],
    frontend: { protocol: 'https', domains: ['a.example.com'], address: { mode: 'existing', name: 'reserved-ip' } },
    certificate: { type: 'self-managed', certificateFile: '/c', privateKeyFile: '/k' },
  };

  it('lets flags win, merges objects, and replaces arrays', () => {
    const merged = mergeSpecInput(config, { region: 'us-central1', backends: [{ name: 'x', cloudRun: { service: 'x' } }], frontend: { address: { ipVersion: 'IPV6' }, domains: ['b.example.com'] } }) as typeof config;
    expect(merged.region).toBe('us-central1');
    expect(merged.backends).toEqual([{ name: 'x', cloudRun: { service: 'x' } }]);
    expect(merged.frontend).toEqual({ protocol: 'https', domains: ['b.example.com'], address: { mode: 'existing', name: 'reserved-ip', ipVersion: 'IPV6' } });
    expect(config.region).toBe('europe-west1');
  });

  it('replaces a certificate of another kind whole, and merges one of the same kind', () => {
    expect(mergeSpecInput(config, { certificate: { type: 'managed' } }).certificate).toEqual({ type: 'managed' });
    expect(mergeSpecInput(config, { certificate: { type: 'self-managed', certificateFile: '/c2' } }).certificate).toEqual({ type: 'self-managed', certificateFile: '/c2', privateKeyFile: '/k' });
  });

  it('works with no config', () => {
    expect(mergeSpecInput(undefined, { name: 'lb' })).toEqual({ name: 'lb' });
  });
});
