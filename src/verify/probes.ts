/**
 * The requests that prove the routing, derived from the Spec: one for the default route, one per
 * host rule, one per path rule, and one per domain a URL-mask backend serves. Each names the
 * backend that should answer. Pure.
 */
import type { Backend, Spec } from '../spec/schema.js';
import { backendFeatures, hostRuleDefault, negRegions, targetKind, urlMaskOf } from '../spec/derive.js';

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
}

export interface RouteProbe {
  /** Which route this proves: `default route`, `host rule api.example.com`, `path rule /static/*`. */
  route: string;
  /** Host to ask for; undefined: the load balancer's address itself. */
  host?: string;
  path: string;
  expect: ExpectedBackend;
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

/** Every probe the Spec's routing implies. */
export function routeProbes(spec: Spec): RouteProbe[] {
  const byName = new Map(spec.backends.map((b) => [b.name, b]));
  const probes: RouteProbe[] = [];
  const defaultName = spec.routing.defaultBackend ?? spec.backends[0]!.name;
  const defaultBackend = byName.get(defaultName)!;
  const ruleFor = (host: string) => spec.routing.hosts.find((r) => r.hosts.some((p) => hostMatches(p, host)));

  // Default route: domains no host rule claims (each one, when the backend uses a URL mask).
  const unclaimed = spec.frontend.domains.filter((d) => !ruleFor(d));
  if (urlMaskOf(defaultBackend) && unclaimed.length > 0) {
    for (const d of unclaimed) probes.push({ route: `default route (${d})`, host: d, path: '/', expect: expectedBackend(spec, defaultBackend, d, '/') });
  } else {
    const host = unclaimed[0];
    probes.push({ route: 'default route', ...(host ? { host } : {}), path: '/', expect: expectedBackend(spec, defaultBackend, host, '/') });
  }

  for (const rule of spec.routing.hosts) {
    const host = concreteHost(rule.hosts.find((h) => spec.frontend.domains.includes(h)) ?? rule.hosts[0]!);
    const ruleDefault = byName.get(hostRuleDefault(spec, rule) ?? defaultName)!;
    const coversRoot = rule.paths.some((p) => p.paths.some((x) => x === '/' || x === '/*'));
    if (!coversRoot) probes.push({ route: `host rule ${rule.hosts.join(', ')}`, host, path: '/', expect: expectedBackend(spec, ruleDefault, host, '/') });
    for (const p of rule.paths) {
      const path = concretePath(p.paths[0]!);
      probes.push({ route: `path rule ${p.paths.join(', ')} on ${host}`, host, path, expect: expectedBackend(spec, byName.get(p.backend)!, host, path) });
    }
  }
  return probes;
}
