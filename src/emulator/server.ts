/**
 * Starts the emulator: one HTTP server for every API module plus the `/_emulator/` endpoints.
 *
 * Contract: `startEmulator` resolves once the server listens and every module is installed and
 * seeded; `close()` completes nothing further (pending operations are dropped), runs the modules'
 * close hooks in reverse order and stops the server. Loads no Google SDK code.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EmulatorContext,
  EmulatorModule,
  EmulatorOptions,
  RequestLogEntry,
  ResolvedEmulatorOptions,
} from './core/context.js';
import { FaultEngine, parseFaultPlan, readFaultPlanFile } from './core/faults.js';
import {
  ApiError,
  errorStyleFor,
  styledError,
  Router,
  type ApiRequest,
  type ApiResponse,
} from './core/http.js';
import { createIdSource } from './core/ids.js';
import { OperationTimer } from './core/operations.js';
import { ResourceStore } from './core/store.js';
import { installEmulatorEndpoints } from './core/endpoints.js';
import { boundaryOf, formatBatch, parseBatch } from './core/batch.js';
import { computeModule } from './compute/index.js';
import { seedModule } from './seed/index.js';
import { networkSecurityModule } from './networksecurity/index.js';
import { runModule } from './run/run-api.js';
import { projectModule } from './project/project-api.js';
import { certificateManagerModule } from './certmanager/index.js';
import { dnsModule } from './dns/index.js';
import { dataplaneModule } from './dataplane/index.js';

/** The API modules, in install order. */
const MODULES: EmulatorModule[] = [computeModule, seedModule, runModule, certificateManagerModule, networkSecurityModule, dnsModule, projectModule, dataplaneModule];

/** How long an idle keep-alive connection stays open (Google's front ends: about 10 minutes). */
export const IDLE_CONNECTION_TIMEOUT_MS = 600_000;

export interface RunningEmulator {
  /** `http://host:port` of the HTTP API. */
  url: string;
  port: number;
  host: string;
  ctx: EmulatorContext;
  close(): Promise<void>;
}

const REQUEST_LOG_LIMIT = 10_000;
const EMULATOR_PREFIX = '/_emulator';

export function resolveOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  return {
    ...options,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    opLatencyMs: Math.max(0, options.opLatencyMs ?? 0),
    seed: options.seed,
    waitTimeoutMs: options.waitTimeoutMs ?? 120_000,
    randomSeed: options.randomSeed ?? 1,
  };
}

/** Builds a context with no server behind it (also used by tests of single modules). */
export function createContext(options: EmulatorOptions = {}): EmulatorContext & { runClose(): Promise<void> } {
  const resolved = resolveOptions(options);
  const closeHooks: Array<() => void | Promise<void>> = [];
  const resetHooks: Array<() => void | Promise<void>> = [];
  const requestListeners = new Set<(entry: RequestLogEntry) => void>();
  const faults = new FaultEngine();
  if (resolved.faults !== undefined) {
    faults.setPlan(typeof resolved.faults === 'string' ? readFaultPlanFile(resolved.faults) : parseFaultPlan(resolved.faults));
  }
  const ctx: EmulatorContext & { runClose(): Promise<void> } = {
    store: new ResourceStore(),
    router: new Router(),
    options: resolved,
    now: () => (resolved.fixedNow ? new Date(resolved.fixedNow) : new Date()),
    operations: new OperationTimer(() => resolved.opLatencyMs),
    faults,
    ids: createIdSource(resolved.randomSeed),
    requests: [],
    seeders: {},
    hosts: {},
    url: '',
    onClose: (fn) => void closeHooks.push(fn),
    onReset: (fn) => void resetHooks.push(fn),
    onRequest: (listener) => {
      requestListeners.add(listener);
      return () => void requestListeners.delete(listener);
    },
    reset: async () => {
      ctx.operations.cancelAll();
      ctx.store.reset();
      ctx.requests.length = 0;
      ctx.faults.resetCounters();
      for (const fn of resetHooks) await fn();
    },
    runClose: async () => {
      ctx.operations.cancelAll();
      for (const fn of closeHooks.reverse()) {
        try {
          await fn();
        } catch {
          // keep closing the rest
        }
      }
    },
  };
  listenersOf.set(ctx, requestListeners);
  return ctx;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** The `onRequest` listeners of each context. */
const listenersOf = new WeakMap<EmulatorContext, Set<(entry: RequestLogEntry) => void>>();

/** Last request sequence number per emulator (survives resets, so `since` stays meaningful). */
const requestSeq = new WeakMap<EmulatorContext, number>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Serves one request through the router (faults, logging, errors). Exported for in-process use. */
export async function dispatch(ctx: EmulatorContext, method: string, url: URL, rawBody: string, headers: Record<string, string>): Promise<ApiResponse> {
  const path = url.pathname;
  const started = Date.now();
  const isEmulatorPath = path === EMULATOR_PREFIX || path.startsWith(EMULATOR_PREFIX + '/');
  const body = parseBody(rawBody);
  const request: ApiRequest = { method, path, query: url.searchParams, body, headers };
  const match = ctx.router.match(method, path);
  const style = errorStyleFor(path, match?.route);
  let response: ApiResponse;
  let fired: number[] = [];
  try {
    if (!match) {
      response = ctx.router.matchesAnyMethod(path)
        ? styledError(style, 405, `Method ${method} is not allowed for ${path}.`, 'methodNotAllowed')
        : styledError(style, 404, `The requested URL ${path} was not found on this server.`, 'notFound');
    } else {
      const decision = isEmulatorPath ? undefined : ctx.faults.decide(method, path, body, rawBody);
      fired = decision?.fired ?? [];
      if (decision && decision.latencyMs > 0) await sleep(decision.latencyMs);
      if (decision?.error) {
        response = styledError(style, decision.error.status, decision.error.message, decision.error.reason);
      } else if (decision?.reset === 'before') {
        response = { status: 0, resetConnection: true };
      } else {
        if (decision?.operationFault) request.operationFault = decision.operationFault;
        if (decision?.operationLatencyMs !== undefined) request.operationLatencyMs = decision.operationLatencyMs;
        response = await match.route.handler(request, match.params);
        if (decision?.reset === 'after') response = { ...response, resetConnection: true };
      }
    }
  } catch (e) {
    if (e instanceof ApiError) response = e.response;
    else response = styledError(style, 500, `Internal error in the emulator: ${(e as Error).message}`, 'backendError');
  }
  if (!isEmulatorPath) {
    const entry: RequestLogEntry = {
      seq: (requestSeq.get(ctx) ?? 0) + 1,
      time: new Date(started).toISOString(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      status: response.status,
      durationMs: Date.now() - started,
      ...(fired.length ? { faults: fired } : {}),
      ...(response.resetConnection ? { connectionReset: true } : {}),
    };
    requestSeq.set(ctx, entry.seq);
    ctx.requests.push(entry);
    if (ctx.requests.length > REQUEST_LOG_LIMIT) ctx.requests.splice(0, ctx.requests.length - REQUEST_LOG_LIMIT);
    for (const listener of listenersOf.get(ctx) ?? []) listener(entry);
  }
  return response;
}

/**
 * Splits a request target. An absolute-form target (`http://HOST/path?q`, what a client sends to an
 * HTTP proxy) is served as its path, with the target's authority as the Host (RFC 9112 3.2.2). That
 * is how gcloud reaches Cloud Run's regional endpoints: it prefixes the region to the endpoint's host
 * (`europe-west1-127.0.0.1:8089`, which resolves nowhere), so it is pointed at the emulator as its
 * HTTP proxy too. The authority is kept as text: `new URL` rejects such hosts.
 */
export function requestTarget(target: string): { pathAndQuery: string; authority?: string } {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(target);
  if (!m) return { pathAndQuery: target };
  const rest = m[2]!;
  return { pathAndQuery: rest.startsWith('/') ? rest : `/${rest}`, authority: m[1]! };
}

function send(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload = '';
  if (response.body !== undefined) {
    if (typeof response.body === 'string' && headers['content-type'] && !headers['content-type'].includes('json')) {
      payload = response.body;
    } else {
      payload = JSON.stringify(response.body, null, 2) + '\n';
      headers['content-type'] ??= 'application/json; charset=UTF-8';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** `POST /batch/...`: Google's multipart batch; every part is dispatched as its own call. */
function installBatch(ctx: EmulatorContext): void {
  const handler = async (req: ApiRequest): Promise<ApiResponse> => {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) return styledError('compute', 400, 'A batch request needs a multipart/mixed body with a boundary.', 'badRequest');
    const raw = typeof req.body === 'string' ? req.body : req.body === undefined ? '' : JSON.stringify(req.body);
    const parts = parseBatch(raw, boundary);
    const responses = [];
    for (const part of parts) {
      const url = new URL(part.url, 'http://emulator');
      responses.push({ ...(part.contentId ? { contentId: part.contentId } : {}), response: await dispatch(ctx, part.method, url, part.body, part.headers) });
    }
    // A connection-reset fault on one part resets the connection the whole batch came on.
    if (responses.some((r) => r.response.resetConnection)) return { status: 0, resetConnection: true };
    const out = `batch_${ctx.ids.token()}`;
    return { status: 200, body: formatBatch(responses, out), headers: { 'content-type': `multipart/mixed; boundary=${out}` } };
  };
  ctx.router.add('POST', '/batch/*api', handler);
  ctx.router.add('POST', '/batch', handler);
}

export async function startEmulator(options: EmulatorOptions = {}, modules: EmulatorModule[] = MODULES): Promise<RunningEmulator> {
  const ctx = createContext(options);
  installEmulatorEndpoints(ctx);
  installBatch(ctx);
  for (const m of modules) await m.install(ctx);

  const server = createServer((req, res) => {
    void (async () => {
      const target = requestTarget(req.url ?? '/');
      const url = new URL(target.pathAndQuery, 'http://emulator');
      const raw = await readBody(req);
      const headers = lowerHeaders(req);
      if (target.authority) headers['host'] = target.authority;
      const response = await dispatch(ctx, (req.method ?? 'GET').toUpperCase(), url, raw, headers);
      if (response.resetConnection) req.socket.resetAndDestroy();
      else send(res, response);
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, styledError('compute', 500, String(e), 'backendError'));
    });
  });
  // Google's front ends keep idle HTTP/1.1 connections open for minutes; clients (the SDKs' agents,
  // gcloud) reuse them after a pause, e.g. while a person reads a prompt. A short timeout here would
  // make the emulator reset connections Google would not. close() ends them all at once anyway.
  server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.options.port, ctx.options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.address.includes(':') ? `[${address.address}]` : address.address;
  ctx.url = `http://${hostForUrl}:${address.port}`;
  ctx.hosts['http'] = `${hostForUrl}:${address.port}`;
  ctx.options.port = address.port;

  try {
    await ctx.reset();
  } catch (e) {
    await ctx.runClose();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  }

  let closed: Promise<void> | undefined;
  return {
    url: ctx.url,
    port: address.port,
    host: address.address,
    ctx,
    close: () => {
      closed ??= (async () => {
        await ctx.runClose();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}
