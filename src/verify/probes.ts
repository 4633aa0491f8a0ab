/**
 * The requests that prove the routing, derived from the Spec: one for the default route, one per
 * host rule, one per path rule, and one per domain a URL-mask backend serves. Each names the
 * backend that should answer. Pure.
 */
import type { Backend, Spec } from '../spec/schema.js';
import { backendFeatures, hostRuleDefault, negRegions, targetKind, urlMaskOf } from '../spec/derive.js';
import { defaultRoutes, type RouteRule } from '../spec/route-schema.js';
import { firstMatch, routeRuleLists, rewritten, shapeRequest } from './route-probes.js';

export type Platform = 'cloud-run' | 'cloud-functions' | 'app-engine' | 'api-gateway';

/** What should answer a probe. Fields left out are not compared. */
export interface ExpectedBackend {
  backend: string;
  platform: Platform;
  /** Cloud Run service, function, App Engine service or gateway. */
  service?: string;
  tag?: string;
  version?: string;
  /** Regions of the backend's NEGs: the answer comes from one of them. */
  regions: string[];
  iap: boolean;
  /** The URL mask, when the service comes from the request. */
  urlMask?: string;
  /** Other backends that may answer as well (the rest of a weighted split). */
  alternatives?: ExpectedBackend[];
}

export interface RouteProbe {
  /** Which route this proves: `default route`, `host rule api.example.com`, `path rule /static/*`. */
  route: string;
  /** Host to ask for; undefined: the load balancer's address itself. */
  host?: string;
  path: string;
  expect: ExpectedBackend;
  /** A request shaped for a route rule: its method (default GET), query string and headers. */
  method?: string;
  query?: string;
  headers?: Record<string, string>;
  /** What the backend should see after a rewrite: its path and Host. */
  expectPath?: string;
  expectHost?: string;
  /** Headers the backend should receive (set by a request header action). */
  expectRequestHeaders?: Record<string, string>;
  /** Headers the answer should carry (set by a response header action). */
  expectResponseHeaders?: Record<string, string>;
  /** The rule has a CORS policy: a preflight from this origin must be answered and allowed. */
  corsOrigin?: string;
}

const PLATFORM: Record<ReturnType<typeof targetKind>, Platform> = {
  cloudRun: 'cloud-run',
  cloudFunction: 'cloud-functions',
  appEngine: 'app-engine',
  apiGateway: 'api-gateway',
};

/**
 * The values a URL mask takes for a request (`<service>.example.com`, `example.com/<service>`), or
 * undefined when the request does not fit it. Host parts before the first placeholder may be left
 * out; path parts after the last may be left out.
 */
export function urlMaskValues(mask: string, host: string, path: string): Record<string, string> | undefined {
  const slash = mask.indexOf('/');
  const hostPart = (slash === -1 ? mask : mask.slice(0, slash)).toLowerCase();
  const pathPart = slash === -1 ? '' : mask.slice(slash).replace(/\/+$/, '');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const compile = (part: string, cls: string, names: string[]) =>
    part
      .split(/(<[a-z]+>)/)
      .map((piece) => {
        const m = /^<([a-z]+)>$/.exec(piece);
        if (!m) return escape(piece);
        names.push(m[1]!);
        return `(${cls}+?)`;
      })
      .join('');
  const values: Record<string, string> = {};
  if (hostPart) {
    const names: string[] = [];
    const m = new RegExp(`^(?:.*\\.)?${compile(hostPart, '[^.]', names)}$`).exec(host.toLowerCase());
    if (!m) return undefined;
    names.forEach((n, i) => (values[n] = m[i + 1]!));
  }
  if (pathPart) {
    const names: string[] = [];
    const m = new RegExp(`^${compile(pathPart, '[^/]', names)}(?:/.*)?$`).exec(path);
    if (!m) return undefined;
    names.forEach((n, i) => (values[n] = m[i + 1]!));
  }
  return values;
}

/** What answers a request to `host` + `path` routed to `backend`. */
export function expectedBackend(spec: Spec, backend: Backend, host: string | undefined, path: string): ExpectedBackend {
  const kind = targetKind(backend);
  const out: ExpectedBackend = { backend: backend.name, platform: PLATFORM[kind], regions: negRegions(spec, backend), iap: backendFeatures(spec, backend).iap };
  const mask = urlMaskOf(backend);
  const values = mask && host ? urlMaskValues(mask, host, path) : undefined;
  if (mask) out.urlMask = mask;
  switch (kind) {
    case 'cloudRun': {
      const service = backend.cloudRun?.service ?? values?.service;
      const tag = backend.cloudRun?.tag ?? values?.tag;
      if (service) out.service = service;
      if (tag) out.tag = tag;
      break;
    }
    case 'cloudFunction': {
      const name = backend.cloudFunction?.function ?? values?.function;
      if (name) out.service = name;
      break;
    }
    case 'appEngine': {
      const service = backend.appEngine?.service ?? values?.service ?? (mask ? undefined : 'default');
      const version = backend.appEngine?.version ?? values?.version;
      if (service) out.service = service;
      if (version) out.version = version;
      break;
    }
    case 'apiGateway':
      out.service = backend.apiGateway!.gateway;
      break;
  }
  return out;
}

/** A concrete host for a host-rule pattern (`*.example.com` -> `verify-probe.example.com`). */
export function concreteHost(pattern: string): string {
  return pattern.replace(/^\*/, 'verify-probe').replace(/^\.+/, '');
}

/** A concrete path for a path-rule pattern (`/static/*` -> `/static/`). */
export function concretePath(pattern: string): string {
  return pattern.endsWith('*') ? pattern.slice(0, -1) || '/' : pattern;
}

/** Whether a host rule's pattern matches a host (exact, or `*.`-prefixed suffix, or `*`). */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}

/** A weighted split to sample: a request that reaches it and what each share should answer. */
export interface SplitProbe {
  route: string;
  host?: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  shares: { backend: string; weight: number; expect: ExpectedBackend }[];
}

/** A route rule no request is sent for, and why. */
export interface UnprobedRule {
  route: string;
  reason: string;
}

/** The requests that prove route rules: one per rule to one backend, a sample per weighted split. */
export function routeRuleProbes(spec: Spec): { probes: RouteProbe[]; splits: SplitProbe[]; unprobed: UnprobedRule[] } {
  const byName = new Map(spec.backends.map((b) => [b.name, b]));
  const out = { probes: [] as RouteProbe[], splits: [] as SplitProbe[], unprobed: [] as UnprobedRule[] };
  const claimed = (d: string) => spec.routing.hosts.some((r) => r.hosts.some((p) => hostMatches(p, d)));
  for (const list of routeRuleLists(spec)) {
    const pattern = list.hosts?.find((h) => spec.frontend.domains.includes(h)) ?? list.hosts?.[0];
    const host = pattern !== undefined ? concreteHost(pattern) : spec.frontend.domains.find((d) => !claimed(d));
    list.rules.forEach((rule, i) => {
      const route = list.key === 'routing.canary' ? list.key : `${list.key}.${i}${rule.match.pathPrefix ?? rule.match.path ? ` (${rule.match.pathPrefix ?? rule.match.path})` : ''}`;
      if (rule.redirect) return out.unprobed.push({ route, reason: 'it redirects (the redirect is not followed)' });
      const req = shapeRequest(rule);
      if ('reason' in req) return out.unprobed.push({ route, reason: req.reason });
      const taken = firstMatch(list.rules, req);
      if (taken.kind !== 'rule' || taken.index !== i) return out.unprobed.push({ route, reason: 'the request made for it is taken by an earlier rule' });
      const common = { ...(host !== undefined ? { host } : {}), path: req.path, query: req.query, headers: req.headers };
      if (rule.backends) {
        out.splits.push({ route, ...common, shares: rule.backends.map((b) => ({ backend: b.backend, weight: b.weight, expect: expectedBackend(spec, byName.get(b.backend)!, host, req.path) })) });
        return;
      }
      const sees = rewritten(rule, req, taken.prefix, host);
      out.probes.push({
        route,
        ...common,
        method: req.method,
        expect: expectedBackend(spec, byName.get(rule.backend!)!, host, req.path),
        ...(rule.rewrite?.pathPrefix !== undefined ? { expectPath: sees.path } : {}),
        ...(rule.rewrite?.host !== undefined && sees.host !== undefined ? { expectHost: sees.host } : {}),
        ...(rule.requestHeaders?.set ? { expectRequestHeaders: rule.requestHeaders.set } : {}),
        ...(rule.responseHeaders?.set ? { expectResponseHeaders: rule.responseHeaders.set } : {}),
        ...(rule.cors ? { corsOrigin: rule.cors.allowOrigins.find((o) => o !== '*') ?? 'https://verify-probe.example' } : {}),
      });
    });
  }
  return { ...out, probes: withCustomResponseHeaders(spec, out.probes) };
}

/**
 * The backends that may answer a plain `GET /` under route rules: one, the backends of a weighted
 * split (with a weight), or none when a redirect answers it.
 */
function plainRequestRoute(rules: readonly RouteRule[], matcherDefault: string): string[] {
  const outcome = firstMatch(rules, { path: '/', query: '', method: 'GET', headers: {} });
  if (outcome.kind === 'default') return [matcherDefault];
  if (outcome.rule.backend !== undefined) return [outcome.rule.backend];
  return (outcome.rule.backends ?? []).filter((b) => b.weight > 0).map((b) => b.backend);
}

/** Every probe the Spec's routing implies. */
export function routeProbes(spec: Spec): RouteProbe[] {
  const byName = new Map(spec.backends.map((b) => [b.name, b]));
  const probes: RouteProbe[] = [];
  const defaultName = spec.routing.defaultBackend ?? spec.backends[0]!.name;
  const defaultBackend = byName.get(defaultName)!;
  const ruleFor = (host: string) => spec.routing.hosts.find((r) => r.hosts.some((p) => hostMatches(p, host)));

  // Default route: domains no host rule claims (each one, when the backend uses a URL mask).
  const unclaimed = spec.frontend.domains.filter((d) => !ruleFor(d));
  const starRoutes = defaultRoutes(spec.routing, spec.backends[0]!.name);
  const viaRoutes = starRoutes ? plainRequestRoute(starRoutes, defaultName) : undefined;
  const expectAny = (names: string[], host: string | undefined): ExpectedBackend => {
    const [first, ...rest] = names.map((n) => expectedBackend(spec, byName.get(n)!, host, '/'));
    return rest.length > 0 ? { ...first!, alternatives: rest } : first!;
  };
  if (viaRoutes !== undefined) {
    // A redirect answers the plain request: nothing to prove here (the routes check lists it).
    const host = unclaimed[0];
    if (viaRoutes.length > 0) probes.push({ route: 'default route', ...(host ? { host } : {}), path: '/', expect: expectAny(viaRoutes, host) });
  } else if (urlMaskOf(defaultBackend) && unclaimed.length > 0) {
    for (const d of unclaimed) probes.push({ route: `default route (${d})`, host: d, path: '/', expect: expectedBackend(spec, defaultBackend, d, '/') });
  } else {
    const host = unclaimed[0];
    probes.push({ route: 'default route', ...(host ? { host } : {}), path: '/', expect: expectedBackend(spec, defaultBackend, host, '/') });
  }

  for (const rule of spec.routing.hosts) {
    const host = concreteHost(rule.hosts.find((h) => spec.frontend.domains.includes(h)) ?? rule.hosts[0]!);
    const ruleDefaultName = hostRuleDefault(spec, rule) ?? defaultName;
    if (rule.routes) {
      const viaHostRoutes = plainRequestRoute(rule.routes, ruleDefaultName);
      if (viaHostRoutes.length > 0) probes.push({ route: `host rule ${rule.hosts.join(', ')}`, host, path: '/', expect: expectAny(viaHostRoutes, host) });
      continue;
    }
    const ruleDefault = byName.get(ruleDefaultName)!;
    const coversRoot = rule.paths.some((p) => p.paths.some((x) => x === '/' || x === '/*'));
    if (!coversRoot) probes.push({ route: `host rule ${rule.hosts.join(', ')}`, host, path: '/', expect: expectedBackend(spec, ruleDefault, host, '/') });
    for (const p of rule.paths) {
      const path = concretePath(p.paths[0]!);
      probes.push({ route: `path rule ${p.paths.join(', ')} on ${host}`, host, path, expect: expectedBackend(spec, byName.get(p.backend)!, host, path) });
    }
  }
  return withCustomResponseHeaders(spec, probes);
}

/** Every answer carries the config's custom response headers (options.headers.response). */
function withCustomResponseHeaders(spec: Spec, probes: RouteProbe[]): RouteProbe[] {
  const headers = spec.options.headers?.response;
  if (!headers || Object.keys(headers).length === 0) return probes;
  return probes.map((p) => ({ ...p, expectResponseHeaders: { ...headers, ...p.expectResponseHeaders } }));
}
