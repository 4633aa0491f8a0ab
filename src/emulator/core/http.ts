/**
 * Request/response types, the path router and Google-style error bodies shared by every API module.
 *
 * Patterns are URL paths whose segments are literals, `:param` (one segment, never containing `:`),
 * `:param:verb` (one segment `value:verb`, Google's custom methods such as `services/:service:getIamPolicy`),
 * or a final `*param` (the rest of the path, slashes included). Parameter values are URL-decoded.
 * When several routes match, the one with the most literal segments wins (then the first added).
 * Handlers may return an ApiResponse or throw an ApiError (whose response is sent as is).
 */

export interface ApiRequest {
  method: string;
  /** URL path, without query string (not decoded). */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /**
   * Set when a fault rule asks that the operation this call starts finish with an error: modules
   * that create long-running operations must finish it DONE with this error and not apply the effect.
   */
  operationFault?: OperationFault;
  /** Set by a slow-operation fault: how long the operation this call starts stays pending. */
  operationLatencyMs?: number;
}

export interface OperationFault {
  /** HTTP status the failed operation reports (httpErrorStatusCode); default 400. */
  httpErrorStatusCode: number;
  httpErrorMessage: string;
  /** Compute-style error items (`{code, message}`), e.g. code RESOURCE_NOT_READY. */
  errors: Array<{ code: string; message: string; location?: string }>;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Reset the connection instead of sending this response (a connection-reset fault). */
  resetConnection?: boolean;
}

export type RouteHandler = (
  req: ApiRequest,
  params: Record<string, string>,
) => ApiResponse | Promise<ApiResponse>;

/** compute: `{error:{code,message,errors:[{domain,message,reason}]}}`; rpc: `{error:{code,message,status}}`. */
export type ErrorStyle = 'compute' | 'rpc';

export interface RouteOptions {
  /** Shape of errors produced for this route by faults and by the router itself. Default: rpc for `/v2/` paths, compute otherwise. */
  errorStyle?: ErrorStyle;
  /** One-line description, shown by the `/_emulator/` index for emulator-only routes. */
  description?: string;
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string; verb?: string }
  | { kind: 'rest'; name: string };

export interface Route {
  method: string;
  pattern: string;
  handler: RouteHandler;
  options: RouteOptions;
  segments: Segment[];
  literals: number;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function parsePattern(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter((s) => s !== '')
    .map((s): Segment => {
      if (s.startsWith('*')) return { kind: 'rest', name: s.slice(1) };
      if (s.startsWith(':')) {
        const [name, verb] = s.slice(1).split(':');
        return verb === undefined ? { kind: 'param', name: name! } : { kind: 'param', name: name!, verb };
      }
      return { kind: 'literal', value: s };
    });
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler, options: RouteOptions = {}): void {
    const segments = parsePattern(pattern);
    this.routes.push({
      method: method.toUpperCase(),
      pattern,
      handler,
      options,
      segments,
      literals: segments.filter((s) => s.kind === 'literal').length,
    });
  }

  /** Every route added, in order. */
  list(): readonly Route[] {
    return this.routes;
  }

  /** The best route for method + path, or undefined; `pathMatched` says whether another method would match. */
  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('?')[0]!.split('/').filter((s) => s !== '');
    let best: RouteMatch | undefined;
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (!best || route.literals > best.route.literals) best = { route, params };
    }
    return best;
  }

  /** Whether any route (of any method) matches the path. */
  matchesAnyMethod(path: string): boolean {
    const parts = path.split('?')[0]!.split('/').filter((s) => s !== '');
    return this.routes.some((r) => matchSegments(r.segments, parts) !== undefined);
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === 'rest') {
      if (i >= parts.length) return undefined;
      params[seg.name] = parts.slice(i).map(decode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    const value = decode(part);
    if (seg.kind === 'literal') {
      if (value !== seg.value) return undefined;
    } else if (seg.verb !== undefined) {
      const suffix = ':' + seg.verb;
      if (!value.endsWith(suffix)) return undefined;
      const v = value.slice(0, -suffix.length);
      if (v === '' || v.includes(':')) return undefined;
      params[seg.name] = v;
    } else {
      if (value === '' || value.includes(':')) return undefined;
      params[seg.name] = value;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

/** google.rpc status names by HTTP status. */
export const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Compute reasons by HTTP status, used when a fault names no reason. */
export const DEFAULT_REASON: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  409: 'alreadyExists',
  412: 'conditionNotMet',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

/** Compute Engine (and Cloud DNS v1) error: `{"error":{"code","message","errors":[{domain,message,reason}]}}`. */
export function googleError(status: number, reason: string, message: string, domain = 'global'): ApiResponse {
  return {
    status,
    body: { error: { code: status, message, errors: [{ domain, message, reason }] } },
  };
}

/** google.rpc error (Cloud Run v2 style): `{"error":{"code","message","status"}}`. */
export function rpcError(status: number, message: string, statusName?: string, details?: unknown[]): ApiResponse {
  const error: Record<string, unknown> = {
    code: status,
    message,
    status: statusName ?? RPC_STATUS[status] ?? 'UNKNOWN',
  };
  if (details) error['details'] = details;
  return { status, body: { error } };
}

/** An error a handler throws; the router sends its response. */
export class ApiError extends Error {
  constructor(readonly response: ApiResponse) {
    const body = response.body as { error?: { message?: string } } | undefined;
    super(body?.error?.message ?? `HTTP ${response.status}`);
    this.name = 'ApiError';
  }

  static compute(status: number, reason: string, message: string, domain = 'global'): ApiError {
    return new ApiError(googleError(status, reason, message, domain));
  }

  static rpc(status: number, message: string, statusName?: string): ApiError {
    return new ApiError(rpcError(status, message, statusName));
  }
}

/** An error body in the given style. */
export function styledError(style: ErrorStyle, status: number, message: string, reason?: string): ApiResponse {
  return style === 'rpc'
    ? rpcError(status, message)
    : googleError(status, reason ?? DEFAULT_REASON[status] ?? 'error', message);
}

/** The error style for a route (or for an unmatched path). */
export function errorStyleFor(path: string, route?: Route): ErrorStyle {
  if (route?.options.errorStyle) return route.options.errorStyle;
  return path.startsWith('/v2/') ? 'rpc' : 'compute';
}

export function json(body: unknown, status = 200): ApiResponse {
  return { status, body };
}
