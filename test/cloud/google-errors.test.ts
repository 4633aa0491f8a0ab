/**
 * Error normalisation from real SDK errors: the real Compute and Run clients talk to a tiny local
 * HTTP server that answers with Google's error bodies (shapes from the recorded Google traffic),
 * and GoogleCloud's operation handling is driven the same way.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../src/errors.js';
import { normaliseError, operationError } from '../../src/cloud/normalise-error.js';
import { createGoogleCloud, parseEmulatorHost, stripSdkKeys, type GoogleCloud } from '../../src/cloud/google-cloud.js';

type Answer = { status: number; body: unknown };
const routes = new Map<string, Answer | ((body: string) => Answer)>();
const seen: Array<{ method: string; path: string; url: string; body: string }> = [];
let server: http.Server;
let port: number;

const computeError = (code: number, reason: string, message: string) => ({
  error: { code, message, errors: [{ domain: 'global', message, reason }] },
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      seen.push({ method: req.method!, path, url: req.url ?? '', body });
      const route = routes.get(`${req.method} ${path}`);
      const answer = typeof route === 'function' ? route(body) : route ?? { status: 404, body: computeError(404, 'notFound', `The resource '${path}' was not found`) };
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function sdkError(call: (c: Record<string, (...a: unknown[]) => Promise<unknown>>) => Promise<unknown>, api: 'compute' | 'run' = 'compute'): Promise<unknown> {
  const { GoogleAuth, PassThroughClient } = await import('google-auth-library');
  const auth = new GoogleAuth({ authClient: new PassThroughClient(), projectId: 'p1' });
  const opts = { apiEndpoint: '127.0.0.1', port, protocol: 'http', fallback: true, auth };
  const client =
    api === 'compute'
      ? new (await import('@google-cloud/compute/build/src/v1/backend_services_client.js')).BackendServicesClient(opts)
      : new (await import('@google-cloud/run/build/src/v2/services_client.js')).ServicesClient(opts);
  try {
    await call(client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>);
  } catch (error) {
    return error;
  } finally {
    await (client as unknown as { close(): Promise<void> }).close();
  }
  throw new Error('the call did not fail');
}

const noRetry = { retry: { retryCodes: [] }, timeout: 5000 };

describe('normaliseError on real gax errors', () => {
  it('404 notFound (Compute body)', async () => {
    routes.set('GET /compute/v1/projects/p1/global/backendServices/nope', {
      status: 404,
      body: computeError(404, 'notFound', "The resource 'projects/p1/global/backendServices/nope' was not found"),
    });
    const raw = await sdkError((c) => c.get!({ project: 'p1', backendService: 'nope' }, noRetry));
    const e = normaliseError(raw, 'get backendService nope');
    expect(e).toBeInstanceOf(CloudError);
    expect(e).toMatchObject({ reason: 'notFound', status: 404, retryable: false, operation: 'get backendService nope', exitCode: 1, code: 'cloud.notFound' });
    expect(e.googleMessage).toBe("The resource 'projects/p1/global/backendServices/nope' was not found");
  });

  it('400 resourceInUseByAnotherResource on delete, with the hint', async () => {
    const message = "The backend_service resource 'projects/p1/global/backendServices/bs' is already being used by 'projects/p1/global/urlMaps/um'";
    routes.set('DELETE /compute/v1/projects/p1/global/backendServices/bs', { status: 400, body: computeError(400, 'resourceInUseByAnotherResource', message) });
    const e = normaliseError(await sdkError((c) => c.delete!({ project: 'p1', backendService: 'bs' }, noRetry)), 'delete backendService bs');
    expect(e).toMatchObject({ reason: 'resourceInUseByAnotherResource', status: 400, retryable: false });
    expect(e.message).toBe(`delete backendService bs: ${message}`);
    expect(e.hint).toMatch(/teardown/);
  });

  it('403 accessNotConfigured (API disabled), 403 quotaExceeded, 403 forbidden', async () => {
    routes.set('GET /compute/v1/projects/p1/global/backendServices/off', {
      status: 403,
      body: {
        error: {
          code: 403,
          message: 'Compute Engine API has not been used in project 1 before or it is disabled.',
          errors: [{ domain: 'usageLimits', reason: 'accessNotConfigured', message: 'Compute Engine API has not been used' }],
          status: 'PERMISSION_DENIED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' }],
        },
      },
    });
    routes.set('GET /compute/v1/projects/p1/global/backendServices/quota', { status: 403, body: computeError(403, 'quotaExceeded', "Quota 'BACKEND_SERVICES' exceeded. Limit: 5.0 globally.") });
    routes.set('GET /compute/v1/projects/p1/global/backendServices/perm', { status: 403, body: computeError(403, 'forbidden', "Required 'compute.backendServices.get' permission") });
    const off = normaliseError(await sdkError((c) => c.get!({ project: 'p1', backendService: 'off' }, noRetry)), 'get');
    expect(off).toMatchObject({ reason: 'accessNotConfigured', status: 403, retryable: false });
    expect(off.hint).toMatch(/gcloud services enable compute.googleapis.com/);
    const quota = normaliseError(await sdkError((c) => c.get!({ project: 'p1', backendService: 'quota' }, noRetry)), 'get');
    expect(quota).toMatchObject({ reason: 'quotaExceeded', retryable: false });
    const perm = normaliseError(await sdkError((c) => c.get!({ project: 'p1', backendService: 'perm' }, noRetry)), 'get');
    expect(perm).toMatchObject({ reason: 'forbidden', retryable: false });
    expect(perm.hint).toMatch(/roles\/compute.loadBalancerAdmin/);
  });

  it('transient: 429 rateLimitExceeded and 503 are retryable', async () => {
    routes.set('GET /compute/v1/projects/p1/global/backendServices/busy', { status: 429, body: computeError(429, 'rateLimitExceeded', 'Rate Limit Exceeded') });
    routes.set('GET /compute/v1/projects/p1/global/backendServices/down', { status: 503, body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } });
    expect(normaliseError(await sdkError((c) => c.get!({ project: 'p1', backendService: 'busy' }, noRetry)), 'get')).toMatchObject({ reason: 'rateLimitExceeded', status: 429, retryable: true });
    expect(normaliseError(await sdkError((c) => c.get!({ project: 'p1', backendService: 'down' }, noRetry)), 'get')).toMatchObject({ reason: 'unavailable', status: 503, retryable: true });
  });

  it('409 alreadyExists is permanent', async () => {
    routes.set('POST /compute/v1/projects/p1/global/backendServices', { status: 409, body: computeError(409, 'alreadyExists', "The resource 'projects/p1/global/backendServices/bs' already exists") });
    const e = normaliseError(await sdkError((c) => c.insert!({ project: 'p1', backendServiceResource: { name: 'bs' } }, noRetry)), 'insert backendService bs');
    expect(e).toMatchObject({ reason: 'alreadyExists', status: 409, retryable: false });
  });

  it('Cloud Run google.rpc errors (status only)', async () => {
    routes.set('GET /v2/projects/p1/locations/us-central1/services/gone', {
      status: 404,
      body: { error: { code: 404, message: "Resource 'gone' of kind 'SERVICE' in region 'us-central1' in project 'p1' does not exist.", status: 'NOT_FOUND' } },
    });
    const e = normaliseError(await sdkError((c) => c.getService!({ name: 'projects/p1/locations/us-central1/services/gone' }, noRetry), 'run'), 'get run service');
    expect(e).toMatchObject({ reason: 'notFound', status: 404 });
  });

  it('connection refused is retryable', async () => {
    const { GoogleAuth, PassThroughClient } = await import('google-auth-library');
    const { BackendServicesClient } = await import('@google-cloud/compute/build/src/v1/backend_services_client.js');
    const c = new BackendServicesClient({ apiEndpoint: '127.0.0.1', port: 1, protocol: 'http', fallback: true, auth: new GoogleAuth({ authClient: new PassThroughClient(), projectId: 'p1' }) });
    const raw = await c.get({ project: 'p1', backendService: 'x' }, noRetry).catch((e: unknown) => e);
    await c.close();
    expect(normaliseError(raw, 'get')).toMatchObject({ reason: 'connection', retryable: true, status: 0 });
  });

  it('a finished operation with errors', () => {
    const e = operationError(
      { error: { errors: [{ code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message: 'in use by um' }] }, httpErrorStatusCode: 400, httpErrorMessage: 'BAD REQUEST' },
      'delete backendService bs',
    );
    expect(e).toMatchObject({ reason: 'resourceInUseByAnotherResource', status: 400, fromOperation: true, retryable: false });
    expect(operationError({ error: { errors: [{ code: 'RESOURCE_NOT_READY', message: 'x' }] } }, 'op')).toMatchObject({ reason: 'resourceNotReady', retryable: true });
    expect(operationError({ error: { errors: [{ code: 'SOMETHING_NEW', message: 'x' }] }, httpErrorStatusCode: 500 }, 'op')).toMatchObject({ reason: 'somethingNew', retryable: true });
  });
});

describe('GoogleCloud over the SDK (local server)', () => {
  let cloud: GoogleCloud;
  beforeAll(async () => {
    cloud = await createGoogleCloud({ project: 'p1', emulatorHost: `127.0.0.1:${port}`, callTimeoutMs: 5000 });
  });
  afterAll(() => cloud.close());

  it('waits for a RUNNING operation with operations.wait, then succeeds', async () => {
    routes.set('POST /compute/v1/projects/p1/regions/us-central1/networkEndpointGroups', {
      status: 200,
      body: { kind: 'compute#operation', name: 'op-run-1', status: 'RUNNING', region: 'https://www.googleapis.com/compute/v1/projects/p1/regions/us-central1' },
    });
    routes.set('POST /compute/v1/projects/p1/regions/us-central1/operations/op-run-1/wait', {
      status: 200,
      body: { kind: 'compute#operation', name: 'op-run-1', status: 'DONE', region: 'https://www.googleapis.com/compute/v1/projects/p1/regions/us-central1' },
    });
    seen.length = 0;
    await cloud.insert(
      { id: 'i', kind: 'networkEndpointGroup', name: 'neg', scope: 'regions/us-central1', project: 'p1', body: { name: 'neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } }, dependsOn: [], managed: true, purpose: '' },
      '11111111-2222-4333-8444-555555555555',
    );
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /compute/v1/projects/p1/regions/us-central1/networkEndpointGroups',
      'POST /compute/v1/projects/p1/regions/us-central1/operations/op-run-1/wait',
    ]);
    const sent = JSON.parse(seen[0]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ name: 'neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } });
  });

  it('a DONE operation with an error is a CloudError with its reason', async () => {
    routes.set('DELETE /compute/v1/projects/p1/global/urlMaps/um', {
      status: 200,
      body: {
        name: 'op-2',
        status: 'DONE',
        error: { errors: [{ code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message: "The url_map resource 'projects/p1/global/urlMaps/um' is already being used by 'projects/p1/global/targetHttpProxies/px'" }] },
        httpErrorStatusCode: 400,
        httpErrorMessage: 'BAD REQUEST',
      },
    });
    const e = await cloud.delete({ kind: 'urlMap', scope: 'global', name: 'um' }, '11111111-2222-4333-8444-555555555556').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CloudError);
    expect(e).toMatchObject({ reason: 'resourceInUseByAnotherResource', status: 400, fromOperation: true, operation: 'delete urlMap um' });
  });

  it('get of a missing resource is undefined; the requestId is sent', async () => {
    expect(await cloud.get({ kind: 'backendService', scope: 'global', name: 'missing' })).toBeUndefined();
    routes.set('DELETE /compute/v1/projects/p1/global/backendServices/bs2', { status: 200, body: { name: 'op-3', status: 'DONE' } });
    await cloud.delete({ kind: 'backendService', scope: 'global', name: 'bs2' }, '11111111-2222-4333-8444-555555555557');
    expect(seen.at(-1)!.url).toContain('requestId=11111111-2222-4333-8444-555555555557');
  });

  it('strips the SDK virtual keys', () => {
    expect(stripSdkKeys({ _id: 'id', id: '5', nested: [{ _name: 'n', name: 'x' }] })).toEqual({ id: '5', nested: [{ name: 'x' }] });
  });

  it('parses the emulator host', () => {
    expect(parseEmulatorHost('127.0.0.1:8089')).toEqual({ host: '127.0.0.1', port: 8089 });
    expect(() => parseEmulatorHost('localhost')).toThrow(/HOST:PORT/);
  });
});
