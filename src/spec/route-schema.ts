/**
 * Route rules (`routing.routes`, `routing.hosts[].routes`): the advanced routing of a URL map's
 * path matcher, in the config's words. Each rule matches requests (path, headers, query
 * parameters, methods) and sends them somewhere (one backend, several by weight, or a redirect),
 * optionally rewriting the URL, adding or removing headers, limiting time and retrying.
 * src/kinds/url-map-routes.ts turns them into Google's `routeRules`; check-routes.ts holds the
 * rules per load balancer type (docs/traffic-management.md).
 *
 * Pure: no I/O.
 */
import * as z from 'zod/mini';

const text = () => z.string().check(z.minLength(1));
const integer = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const backendName = z.string().check(z.regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a backend name' }));

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Retry conditions, in the config's spelling (Google's retryConditions, lowercase). */
export const RETRY_CONDITIONS = ['5xx', 'gateway-error', 'connect-failure', 'retriable-4xx', 'refused-stream', 'cancelled', 'deadline-exceeded', 'resource-exhausted', 'unavailable'] as const;

export const REDIRECT_CODES = [301, 302, 303, 307, 308] as const;

/** One header condition: exactly one of exact, prefix, suffix, regex or present. */
const headerMatch = z.strictObject({
  name: text(),
  exact: z.optional(z.string()),
  prefix: z.optional(text()),
  suffix: z.optional(text()),
  regex: z.optional(text()),
  present: z.optional(z.boolean()),
  /** The rule matches when the condition does not hold. */
  invert: z.optional(z.boolean()),
});
export type HeaderMatch = z.infer<typeof headerMatch>;

/** One query parameter condition: exactly one of exact, regex or present. */
const queryMatch = z.strictObject({
  name: text(),
  exact: z.optional(z.string()),
  regex: z.optional(text()),
  present: z.optional(z.boolean()),
});
export type QueryMatch = z.infer<typeof queryMatch>;

const routeMatch = z.strictObject({
  /** Requests whose path starts with this (default `/`). */
  pathPrefix: z.optional(text()),
  /** Requests whose path is exactly this. */
  path: z.optional(text()),
  /** Requests whose whole path matches this RE2 expression (Envoy-based types only). */
  pathRegex: z.optional(text()),
  ignoreCase: z.optional(z.boolean()),
  headers: z.optional(z.array(headerMatch).check(z.minLength(1))),
  query: z.optional(z.array(queryMatch).check(z.minLength(1))),
  /** Request methods (Google matches them as the `:method` header). */
  methods: z.optional(z.array(z.enum(HTTP_METHODS)).check(z.minLength(1))),
});
export type RouteMatch = z.infer<typeof routeMatch>;

const weightedBackend = z.strictObject({
  backend: backendName,
  /** Share of the requests: weights are relative (90 and 10 is 90 % / 10 %), 0-1000. */
  weight: integer(0, 1000),
});

/** Headers to set (replacing any the request or response has) and to remove. */
const headerAction = z.strictObject({
  set: z.optional(z.record(z.string(), z.string())),
  remove: z.optional(z.array(text()).check(z.minLength(1))),
});
export type HeaderAction = z.infer<typeof headerAction>;

const redirect = z.strictObject({
  host: z.optional(text()),
  /** Replaces the whole path. */
  path: z.optional(text()),
  /** Replaces the matched pathPrefix. */
  prefix: z.optional(text()),
  https: z.optional(z.boolean()),
  code: z._default(z.union(REDIRECT_CODES.map((c) => z.literal(c))), 301),
  stripQuery: z.optional(z.boolean()),
});

export const routeRule = z.strictObject({
  /** Lower is tried first; unique within the rule list. Default: the rule's position (1, 2, ...) times 10. */
  priority: z.optional(integer(0, 2147483647)),
  match: z._default(routeMatch, {}),
  /** Send matching requests to this backend. */
  backend: z.optional(backendName),
  /** Or split them over several backends by weight (a canary release). */
  backends: z.optional(z.array(weightedBackend).check(z.minLength(2), z.maxLength(10))),
  /** Or redirect them. */
  redirect: z.optional(redirect),
  /** Rewrite before the request reaches the backend: the matched pathPrefix and/or the Host header. */
  rewrite: z.optional(z.strictObject({ pathPrefix: z.optional(text()), host: z.optional(text()) })),
  /** Time the load balancer waits for the whole response, in seconds (Envoy-based types). */
  timeoutSec: z.optional(z.number().check(z.gt(0), z.lte(2147483647))),
  retry: z.optional(
    z.strictObject({
      attempts: integer(1, 25),
      on: z.array(z.enum(RETRY_CONDITIONS)).check(z.minLength(1)),
      perTryTimeoutSec: z.optional(z.number().check(z.gt(0))),
    }),
  ),
  requestHeaders: z.optional(headerAction),
  responseHeaders: z.optional(headerAction),
  /** Send a copy of each matching request to this backend too (its answers are dropped). */
  mirror: z.optional(backendName),
  /** Cross-origin requests: the load balancer answers preflights and adds the Access-Control-* headers. */
  cors: z.optional(
    z.strictObject({
      allowOrigins: z.array(text()).check(z.minLength(1)),
      allowMethods: z.optional(z.array(z.enum(HTTP_METHODS)).check(z.minLength(1))),
      allowHeaders: z.optional(z.array(text()).check(z.minLength(1))),
      exposeHeaders: z.optional(z.array(text()).check(z.minLength(1))),
      maxAgeSec: z.optional(integer(0, 86400)),
      allowCredentials: z.optional(z.boolean()),
    }),
  ),
});
export type RouteRule = z.infer<typeof routeRule>;

export const routeRules = () => z.optional(z.array(routeRule).check(z.minLength(1), z.maxLength(200)));

/** The backends a list of route rules sends requests (or copies of them) to. */
export function routeBackends(rules: readonly RouteRule[] | undefined): string[] {
  return (rules ?? []).flatMap((r) => [r.backend, ...(r.backends ?? []).map((b) => b.backend), r.mirror].filter((b): b is string => b !== undefined));
}


/** A canary release in one key: `percent` of the requests to `backend`, the rest to the default backend. */
export const canary = () =>
  z.optional(
    z.strictObject({
      backend: backendName,
      percent: integer(1, 99),
    }),
  );

/**
 * The route rules for every host no host rule names: `routing.routes`, or the weighted split
 * `routing.canary` stands for.
 */
export function defaultRoutes(routing: { defaultBackend?: string | undefined; routes?: RouteRule[] | undefined; canary?: { backend: string; percent: number } | undefined }, firstBackend: string): RouteRule[] | undefined {
  if (routing.routes) return routing.routes;
  const c = routing.canary;
  if (!c) return undefined;
  const stable = routing.defaultBackend ?? firstBackend;
  return [{ match: {}, backends: [{ backend: stable, weight: 100 - c.percent }, { backend: c.backend, weight: c.percent }] }];
}
