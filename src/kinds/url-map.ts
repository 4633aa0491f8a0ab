/**
 * `urlMap`: the routing (default backend, host rules, path rules) and, for HTTPS with redirect, a
 * second map that redirects HTTP to HTTPS. Updated whole (update with the fingerprint).
 */
import { UsageError } from '../errors.js';
import { attr } from '../model/hcl.js';
import type { BlockItem, HclValue } from '../model/hcl.js';
import { obj, objects, str, strings } from '../model/body.js';
import { bare, descriptionFlag, flag, gcloud, scopeFlag, yamlDocument, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { common, sub } from './terraform-words.js';
import { headerAction, jsonBlocks, routeRulesBody } from './url-map-routes.js';
import { defaultRoutes, routeBackends, type RouteRule } from '../spec/route-schema.js';

/** URL maps gcloud can build with create + add-path-matcher: default service, host rules, plain path rules. */
function isSimpleUrlMap(b: Record<string, unknown>): boolean {
  const allowedTop = new Set(['name', 'description', 'defaultService', 'hostRules', 'pathMatchers']);
  if (!str(b, 'defaultService')) return false;
  if (Object.keys(b).some((k) => !allowedTop.has(k))) return false;
  for (const rule of objects(b, 'hostRules')) {
    if (Object.keys(rule).some((k) => !['hosts', 'pathMatcher', 'description'].includes(k))) return false;
  }
  for (const matcher of objects(b, 'pathMatchers')) {
    if (Object.keys(matcher).some((k) => !['name', 'defaultService', 'pathRules', 'description'].includes(k))) return false;
    if (!str(matcher, 'defaultService')) return false;
    for (const rule of objects(matcher, 'pathRules')) {
      if (Object.keys(rule).some((k) => !['paths', 'service'].includes(k)) || !str(rule, 'service')) return false;
    }
  }
  return true;
}

function redirectBlock(type: string, redirect: Record<string, unknown>): BlockItem {
  return sub(type, [
    ...(typeof redirect.httpsRedirect === 'boolean' ? attr('https_redirect', redirect.httpsRedirect) : []),
    ...attr('host_redirect', str(redirect, 'hostRedirect')),
    ...attr('path_redirect', str(redirect, 'pathRedirect')),
    ...attr('prefix_redirect', str(redirect, 'prefixRedirect')),
    ...attr('redirect_response_code', str(redirect, 'redirectResponseCode')),
    ...attr('strip_query', redirect.stripQuery === true),
  ]);
}

/**
 * Google's limit on one URL map's size: 64 KB for the classic Application Load Balancer, 1 MB for
 * the Envoy-based ones (load-balancing/docs/url-map-size-quota). A config over it is refused before
 * anything is made, naming the routing.
 */
const URL_MAP_LIMIT_BYTES = { classic: 64 * 1024, envoy: 1024 * 1024 };

function checkUrlMapSize(type: string, body: Record<string, unknown>): void {
  const limit = type === 'classic' ? URL_MAP_LIMIT_BYTES.classic : URL_MAP_LIMIT_BYTES.envoy;
  const size = Buffer.byteLength(JSON.stringify(body));
  if (size <= limit) return;
  throw new UsageError(`the URL map this routing makes is ${Math.ceil(size / 1024)} KB; Google takes at most ${limit / 1024} KB for the ${type === 'classic' ? 'classic Application Load Balancer' : 'Envoy-based load balancer types'}; nothing was changed`, {
    code: 'config.url-map-size',
    details: [`routing.hosts (--route): ${(body.hostRules as unknown[] | undefined)?.length ?? 0} host rules`],
    hint: type === 'classic' ? 'use fewer host and path rules, or the global external type (1 MB)' : 'use fewer host and path rules (one rule can list several hosts), or split the hosts over two load balancers',
  });
}

export const urlMap = {
  kind: 'urlMap',
  words: 'URL map',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec, shared, names } = g;
    const bsPath = (backendName: string | undefined): string | undefined => {
      const bs = backendName !== undefined ? shared.backendServices.get(backendName) : undefined;
      return bs ? g.path(bs) : undefined;
    };
    const defaultBackend = spec.routing.defaultBackend ?? spec.backends[0]!.name;
    const body: Record<string, unknown> = { name: names.urlMap(), defaultService: bsPath(defaultBackend) };
    const deps = new Set<string>([shared.backendServices.get(defaultBackend)?.id].filter((x): x is string => !!x));
    const routes = (rules: readonly RouteRule[]) => {
      for (const name of routeBackends(rules)) deps.add(shared.backendServices.get(name)!.id);
      return routeRulesBody(rules, (name) => bsPath(name)!);
    };
    // routing.routes (or routing.canary) is the path matcher of every host no host rule names.
    const starRoutes = defaultRoutes(spec.routing, spec.backends[0]!.name);
    const hosts = starRoutes ? [...spec.routing.hosts, { hosts: ['*'], defaultBackend, paths: [], routes: starRoutes }] : spec.routing.hosts;
    if (hosts.length > 0) {
      body.hostRules = hosts.map((rule, i) => ({ hosts: rule.hosts, pathMatcher: `hosts-${i + 1}` }));
      body.pathMatchers = hosts.map((rule, i) => {
        const matcherDefault = rule.defaultBackend ?? defaultBackend;
        deps.add(shared.backendServices.get(matcherDefault)!.id);
        const matcher: Record<string, unknown> = { name: `hosts-${i + 1}`, defaultService: bsPath(matcherDefault) };
        if (rule.routes) matcher.routeRules = routes(rule.routes);
        else if (rule.paths.length > 0) {
          matcher.pathRules = rule.paths.map((p) => {
            deps.add(shared.backendServices.get(p.backend)!.id);
            return { paths: p.paths, service: bsPath(p.backend) };
          });
        }
        return matcher;
      });
    }
    // Custom headers of the Envoy-based types (classic carries them on its backend services).
    const headers = spec.options.headers;
    const customHeaders = spec.type === 'classic' || !headers ? undefined : headerAction(headers.request ? { set: headers.request } : undefined, headers.response ? { set: headers.response } : undefined);
    if (customHeaders) body.headerAction = customHeaders;
    shared.urlMap = g.add('urlMap', g.coreScope, names.urlMap(), body, [...deps], 'URL map: routes hosts and paths to the backend services');
    checkUrlMapSize(spec.type, shared.urlMap.body);
    if (g.listeners.some((l) => l.redirectToHttps)) {
      const name = names.redirectUrlMap();
      shared.redirectUrlMap = g.add(
        'urlMap',
        g.coreScope,
        name,
        { name, defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false } },
        [],
        'URL map that redirects HTTP to HTTPS',
      );
    }
  },

  compute: {
    collection: 'urlMaps',
    clients: { global: 'UrlMapsClient', regional: 'RegionUrlMapsClient' },
    fingerprinted: true,
    async update(u) {
      const current = await u.fresh();
      return u.mutate('update', { ...u.params, urlMap: u.resource.name, urlMapResource: { ...u.body, fingerprint: current.fingerprint }, requestId: u.rid('update') });
    },
  },
  compare: {
    immutable: () => new Set(),
    implicit: { hostRules: [], pathMatchers: [], defaultService: undefined, defaultUrlRedirect: undefined, headerAction: undefined },
    rotatable: true,
  },
  // Unmarked (made by hand, then imported): recognised by the proxy that uses it.
  ownership: { labels: false, description: true, heldBy: ['targetHttpProxy', 'targetHttpsProxy'] },
  verify: { dataPath: true },

  gcloud(s, r) {
    const b = r.body;
    if (!isSimpleUrlMap(b)) {
      // The HTTP-to-HTTPS redirect map (and anything richer than host and path rules) is imported
      // from YAML, as in Google's guide.
      s.command(r.project, {
        head: gcloud('compute', 'url-maps', 'import', r.name),
        flags: [scopeFlag(r), bare('quiet')],
        stdin: yamlDocument({ ...b, name: r.name }, r.id),
      });
      return;
    }
    const name = (value: string): string => s.refName(value);
    s.command(r.project, {
      head: gcloud('compute', 'url-maps', 'create', r.name),
      flags: [flag('default-service', name(str(b, 'defaultService') as string)), scopeFlag(r), ...descriptionFlag(b)],
    });
    const hostRules = objects(b, 'hostRules');
    for (const matcher of objects(b, 'pathMatchers')) {
      const matcherName = str(matcher, 'name') as string;
      const rules = hostRules.filter((h) => str(h, 'pathMatcher') === matcherName);
      const flags: Word[] = [flag('path-matcher-name', matcherName), flag('default-service', name(str(matcher, 'defaultService') as string))];
      const [first, ...others] = rules;
      if (first) flags.push(flag('new-hosts', strings(first, 'hosts').join(',')));
      const pathRules = objects(matcher, 'pathRules').flatMap((rule) => strings(rule, 'paths').map((path) => `${path}=${name(str(rule, 'service') as string)}`));
      if (pathRules.length > 0) flags.push(flag('path-rules', pathRules.join(',')));
      flags.push(scopeFlag(r));
      s.command(r.project, { head: gcloud('compute', 'url-maps', 'add-path-matcher', r.name), flags });
      for (const rule of others) {
        s.command(r.project, {
          head: gcloud('compute', 'url-maps', 'add-host-rule', r.name),
          flags: [flag('hosts', strings(rule, 'hosts').join(',')), flag('path-matcher-name', matcherName), scopeFlag(r)],
        });
      }
    }
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_url_map' : 'google_compute_region_url_map'),
    convert(t, r) {
      const b = r.body;
      const service = (value: string | undefined): HclValue | undefined => (value ? t.ref(value) : undefined);
      const items: BlockItem[] = [...common(t, r), ...attr('default_service', service(str(b, 'defaultService')))];
      const redirect = obj(b, 'defaultUrlRedirect');
      if (redirect) items.push(redirectBlock('default_url_redirect', redirect));
      const headers = obj(b, 'headerAction');
      if (headers) items.push(sub('header_action', jsonBlocks(headers, (path) => t.ref(path))));
      for (const rule of objects(b, 'hostRules')) {
        items.push(sub('host_rule', [...attr('hosts', strings(rule, 'hosts')), ...attr('path_matcher', str(rule, 'pathMatcher'))]));
      }
      for (const matcher of objects(b, 'pathMatchers')) {
        const matcherItems: BlockItem[] = [...attr('name', str(matcher, 'name')), ...attr('default_service', service(str(matcher, 'defaultService')))];
        for (const rule of objects(matcher, 'pathRules')) {
          matcherItems.push(sub('path_rule', [...attr('paths', strings(rule, 'paths')), ...attr('service', service(str(rule, 'service')))]));
        }
        for (const rule of objects(matcher, 'routeRules')) matcherItems.push(sub('route_rules', jsonBlocks(rule, (path) => t.ref(path))));
        items.push(sub('path_matcher', matcherItems));
      }
      return items;
    },
  },
  quotaMetrics: () => ['URL_MAPS'],
} satisfies ResourceKindModule;
