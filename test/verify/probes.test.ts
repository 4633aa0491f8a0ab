import { describe, expect, it } from 'vitest';
import { concretePath, hostMatches, routeProbes, urlMaskValues } from '../../src/verify/probes.js';
import { spec } from './helpers.js';

describe('routeProbes', () => {
  it('probes the default route on a domain no host rule claims, and each host rule', () => {
    const s = spec({
      backends: [{ name: 'web', cloudRun: { service: 'web' } }, { name: 'api', cloudRun: { service: 'api' } }],
      routing: { defaultBackend: 'web', hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }] },
      frontend: { protocol: 'https', domains: ['www.example.com', 'api.example.com'] },
    });
    const probes = routeProbes(s);
    expect(probes.map((p) => [p.route, p.host, p.path, p.expect.service])).toEqual([
      ['default route', 'www.example.com', '/', 'web'],
      ['host rule api.example.com', 'api.example.com', '/', 'api'],
    ]);
  });

  it('probes each path rule with a concrete path, and the address when every domain is claimed', () => {
    const s = spec({
      backends: [{ name: 'fn', cloudFunction: { function: 'legacy' } }, { name: 'hello', cloudRun: { service: 'hello-fn' } }],
      routing: { defaultBackend: 'fn', hosts: [{ hosts: ['fn.example.com'], paths: [{ paths: ['/hello', '/hello/*'], backend: 'hello' }] }] },
      frontend: { protocol: 'https', domains: ['fn.example.com'] },
    });
    const probes = routeProbes(s);
    expect(probes[0]).toMatchObject({ route: 'default route', path: '/', expect: { platform: 'cloud-functions', service: 'legacy' } });
    expect(probes[0]!.host).toBeUndefined();
    expect(probes.find((p) => p.route.startsWith('path rule'))).toMatchObject({ host: 'fn.example.com', path: '/hello', expect: { backend: 'hello', service: 'hello-fn' } });
  });

  it('probes every domain of a URL-mask backend, expecting the service the mask names', () => {
    const s = spec({ backends: [{ name: 'svc', cloudRun: { urlMask: '<service>.example.com' } }], frontend: { protocol: 'https', domains: ['web.example.com', 'api.example.com'] } });
    expect(routeProbes(s).map((p) => p.expect.service)).toEqual(['web', 'api']);
  });

  it('carries tags, App Engine versions, regions and IAP', () => {
    const s = spec({
      regions: ['europe-west1', 'us-central1'],
      backends: [
        { name: 'canary', cloudRun: { service: 'web', tag: 'canary' }, regions: ['europe-west1'] },
        { name: 'gae', appEngine: { service: 'admin', version: 'v2' }, iap: true },
      ],
      routing: { defaultBackend: 'canary', hosts: [{ hosts: ['admin.example.com'], defaultBackend: 'gae' }] },
      frontend: { protocol: 'https', domains: ['canary.example.com', 'admin.example.com'] },
    });
    const [def, admin] = routeProbes(s);
    expect(def!.expect).toMatchObject({ tag: 'canary', regions: ['europe-west1'], iap: false });
    expect(admin!.expect).toMatchObject({ platform: 'app-engine', service: 'admin', version: 'v2', iap: true });
  });
});

describe('URL masks and patterns', () => {
  it('reads placeholders from host and path masks', () => {
    expect(urlMaskValues('<service>.example.com', 'web.example.com', '/')).toEqual({ service: 'web' });
    expect(urlMaskValues('example.com/<service>', 'example.com', '/api/v1')).toEqual({ service: 'api' });
    expect(urlMaskValues('<tag>.<service>.example.com', 'beta.web.example.com', '/')).toEqual({ tag: 'beta', service: 'web' });
    expect(urlMaskValues('<service>.example.com', 'web.example.org', '/')).toBeUndefined();
  });
  it('matches host patterns and makes paths concrete', () => {
    expect(hostMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('api.example.com', 'www.example.com')).toBe(false);
    expect(concretePath('/static/*')).toBe('/static/');
    expect(concretePath('/hello')).toBe('/hello');
  });
});
