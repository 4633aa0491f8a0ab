/**
 * Cloud Run Admin API v1 (Knative serving) as a projection of the v2 service: plain HTTP, then the
 * real gcloud (`run services update --ingress`, `run services describe`). The gcloud part is skipped,
 * with a message, when gcloud is not installed.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { hasGcloud } from '../../support/tools.js';

const P = 'demo-project';
const NUMBER = '123456789012'; // the demo seed's project number
const V1 = '/apis/serving.knative.dev/v1';
const OP_LATENCY_MS = 150;

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ opLatencyMs: OP_LATENCY_MS, dns: false });
});
afterAll(async () => emu?.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A request as a client sends it to an HTTP proxy (absolute-form target), which is how gcloud reaches `REGION-HOST`. */
function viaProxy(method: string, host: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = httpRequest(
      { host: '127.0.0.1', port: emu.port, method, path: `http://${host}${path}`, headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const v1Path = (region: string, service: string) => `${V1}/projects/${P}/locations/${region}/services/${service}`;
const v2Path = (region: string, service: string) => `/v2/projects/${P}/locations/${region}/services/${service}`;
const v2 = async (region: string, service: string) => (await call('GET', v2Path(region, service))).body;
const settle = () => call('POST', '/_emulator/operations/settle');

/** GET the v1 service, set its ingress annotation, PUT it back (what gcloud does). */
async function replaceIngress(region: string, service: string, ingress: string) {
  const current = (await call('GET', v1Path(region, service))).body;
  current.metadata.annotations['run.googleapis.com/ingress'] = ingress;
  return call('PUT', v1Path(region, service), current);
}

describe('Cloud Run Admin API v1: the v2 service seen through Knative', () => {
  it('get shows the v2 service: ingress as the annotation, metadata, template and ready status', async () => {
    const patched = await call('PATCH', `${v2Path('europe-west1', 'static')}?updateMask=ingress`, { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
    expect(patched.status).toBe(200);
    await settle();
    const source = await v2('europe-west1', 'static');
    const { status, body } = await call('GET', v1Path('europe-west1', 'static'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ apiVersion: 'serving.knative.dev/v1', kind: 'Service' });
    expect(body.metadata).toMatchObject({
      name: 'static',
      namespace: NUMBER,
      uid: source.uid,
      generation: 2,
      labels: { 'cloud.googleapis.com/location': 'europe-west1' },
      annotations: { 'run.googleapis.com/ingress': 'internal', 'run.googleapis.com/ingress-status': 'internal' },
    });
    expect(body.metadata.resourceVersion).toBe(source.etag.replace(/"/g, ''));
    expect(body.spec.template.spec).toMatchObject({
      containerConcurrency: 80,
      timeoutSeconds: 300,
      serviceAccountName: `${NUMBER}-compute@developer.gserviceaccount.com`,
      containers: [{ image: source.template.containers[0].image, ports: [{ name: 'http1', containerPort: 8080 }] }],
    });
    expect(body.spec.traffic).toEqual([{ percent: 100, latestRevision: true }]);
    expect(body.status).toMatchObject({
      observedGeneration: 2,
      url: source.uri,
      address: { url: source.uri },
      latestReadyRevisionName: source.latestReadyRevision.split('/').at(-1),
    });
    expect(body.status.conditions.map((c: any) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['RoutesReady', 'True'],
      ['ConfigurationsReady', 'True'],
    ]);
  });

  for (const [annotation, ingress] of [
    ['internal-and-cloud-load-balancing', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'],
    ['internal', 'INGRESS_TRAFFIC_INTERNAL_ONLY'],
    ['all', 'INGRESS_TRAFFIC_ALL'],
  ] as const) {
    it(`replaceService with ingress '${annotation}' makes v2 ingress ${ingress}`, async () => {
      const before = await v2('us-central1', 'web');
      const r = await replaceIngress('us-central1', 'web', annotation);
      expect(r.status).toBe(200);
      expect(r.body.metadata.annotations['run.googleapis.com/ingress']).toBe(annotation);
      const after = await v2('us-central1', 'web');
      expect(after.ingress).toBe(ingress);
      expect(Number(after.generation)).toBe(Number(before.generation) + 1);
      await settle();
    });
  }

  it('replaceService answers the reconciling service (Ready Unknown, observedGeneration behind); Ready after opLatencyMs', async () => {
    const r = await replaceIngress('europe-west1', 'api', 'internal-and-cloud-load-balancing');
    expect(r.status).toBe(200);
    expect(r.body.metadata.generation).toBe(2);
    expect(r.body.status.observedGeneration).toBe(1);
    expect(r.body.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('Unknown');
    expect((await v2('europe-west1', 'api')).reconciling).toBe(true);
    await new Promise((res) => setTimeout(res, OP_LATENCY_MS + 100));
    const ready = (await call('GET', v1Path('europe-west1', 'api'))).body;
    expect(ready.status.observedGeneration).toBe(2);
    expect(ready.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    const source = await v2('europe-west1', 'api');
    expect(source.reconciling).toBeUndefined();
    expect(source.terminalCondition.state).toBe('CONDITION_SUCCEEDED');
    // An ingress change keeps the revision, as a v2 PATCH of ingress does.
    expect(source.latestReadyRevision).toMatch(/\/revisions\/api-00001-/);
  });

  it('changes the default URL enforcement in the data plane exactly as a v2 patch does', async () => {
    const map = (await call('GET', '/_emulator/dataplane')).body as { defaultUrls: Array<{ host: string; loopbackPort: number; service: string }> };
    const entry = map.defaultUrls.find((d) => d.service.endsWith('/europe-west1/services/admin') && d.host.endsWith('.a.run.app'))!;
    const hit = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: entry.loopbackPort, path: '/', headers: { host: entry.host } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await hit()).toBe(200);
    expect((await replaceIngress('europe-west1', 'admin', 'internal-and-cloud-load-balancing')).status).toBe(200);
    expect(await hit()).toBe(404);
    expect((await replaceIngress('europe-west1', 'admin', 'all')).status).toBe(200);
    expect(await hit()).toBe(200);
    await settle();
  });

  it('serves namespaces/NS/services/S on a regional host (region from the Host, NS the project id or number)', async () => {
    const eu = await viaProxy('GET', `europe-west1-127.0.0.1:${emu.port}`, `${V1}/namespaces/${NUMBER}/services/web`);
    expect(eu.status).toBe(200);
    expect(eu.body.metadata.labels['cloud.googleapis.com/location']).toBe('europe-west1');
    expect(eu.body.metadata.uid).toBe((await v2('europe-west1', 'web')).uid);
    const asia = await viaProxy('GET', `asia-northeast1-127.0.0.1:${emu.port}`, `${V1}/namespaces/${P}/services/web`);
    expect(asia.status).toBe(200);
    expect(asia.body.metadata.uid).toBe((await v2('asia-northeast1', 'web')).uid);
    expect(asia.body.metadata.uid).not.toBe(eu.body.metadata.uid);
    // A host without a region prefix is not a regional endpoint.
    const global = await call('GET', `${V1}/namespaces/${P}/services/web`);
    expect(global.status).toBe(400);
    expect(global.body.error.status).toBe('INVALID_ARGUMENT');
  });

  it('answers an unknown service with 404 NOT_FOUND (get and replace)', async () => {
    const expected = {
      error: { code: 404, status: 'NOT_FOUND', message: "Resource 'nope' of kind 'SERVICE' in region 'europe-west1' in project 'demo-project' does not exist." },
    };
    expect(await call('GET', v1Path('europe-west1', 'nope'))).toEqual({ status: 404, body: expected });
    expect(await viaProxy('GET', `europe-west1-127.0.0.1:${emu.port}`, `${V1}/namespaces/${P}/services/nope`)).toEqual({ status: 404, body: expected });
    const body = (await call('GET', v1Path('europe-west1', 'web'))).body;
    expect(await call('PUT', v1Path('europe-west1', 'nope'), { ...body, metadata: { ...body.metadata, name: 'nope' } })).toEqual({ status: 404, body: expected });
  });

  it('refuses an unknown ingress value, a stale resourceVersion, a spec change and a name mismatch, changing nothing', async () => {
    const before = await v2('us-central1', 'api');
    const current = (await call('GET', v1Path('us-central1', 'api'))).body;
    const put = (mutate: (s: any) => void) => {
      const copy = structuredClone(current);
      mutate(copy);
      return call('PUT', v1Path('us-central1', 'api'), copy);
    };
    const bad = await put((s) => (s.metadata.annotations['run.googleapis.com/ingress'] = 'internal-only'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'internal-only'");
    const stale = await put((s) => (s.metadata.resourceVersion = 'stale'));
    expect(stale.status).toBe(409);
    expect(stale.body.error.status).toBe('ABORTED');
    const spec = await put((s) => (s.spec.template.spec.containers[0].image = 'gcr.io/other/image'));
    expect(spec.status).toBe(400);
    const renamed = await put((s) => (s.metadata.name = 'other'));
    expect(renamed.status).toBe(400);
    expect(await v2('us-central1', 'api')).toEqual(before);
  });

  it('dryRun=all answers the would-be service and changes nothing', async () => {
    const before = await v2('us-central1', 'internal-api');
    const current = (await call('GET', v1Path('us-central1', 'internal-api'))).body;
    current.metadata.annotations['run.googleapis.com/ingress'] = 'internal';
    const r = await call('PUT', `${v1Path('us-central1', 'internal-api')}?dryRun=all`, current);
    expect(r.status).toBe(200);
    expect(r.body.metadata.annotations['run.googleapis.com/ingress']).toBe('internal');
    expect(await v2('us-central1', 'internal-api')).toEqual(before);
  });
});

// ---- the real gcloud ----

const gcloudPresent = hasGcloud();
if (!gcloudPresent) console.warn('gcloud is not installed: skipping the gcloud run tests (test/emulator/run/run-v1.test.ts)');

describe.skipIf(!gcloudPresent)('gcloud run services update / describe against the emulator', () => {
  const run = promisify(execFile);
  let config: string;
  beforeAll(() => {
    config = mkdtempSync(join(tmpdir(), 'gcloud-run-'));
  });
  afterAll(() => {
    if (config) rmSync(config, { recursive: true, force: true });
  });

  // Async: the emulator answers from this process while gcloud runs.
  const gcloud = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('gcloud', [...args, `--project=${P}`, '--quiet'], {
      timeout: 120_000,
      env: {
        ...process.env,
        CLOUDSDK_CONFIG: config,
        CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
        CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
        CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
        CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN: `${emu.url}/`,
        // gcloud run calls REGION-127.0.0.1:PORT, which resolves nowhere: the emulator is its proxy.
        CLOUDSDK_PROXY_TYPE: 'http',
        CLOUDSDK_PROXY_ADDRESS: '127.0.0.1',
        CLOUDSDK_PROXY_PORT: String(emu.port),
      },
    });
    return stdout;
  };

  it('update --ingress=internal-and-cloud-load-balancing succeeds, v2 shows it, describe shows the annotation', async () => {
    const before = await v2('europe-west1', 'web');
    const otherRegion = await v2('asia-northeast1', 'web');
    expect(before.ingress).toBe('INGRESS_TRAFFIC_ALL');
    await gcloud('run', 'services', 'update', 'web', '--region', 'europe-west1', '--ingress=internal-and-cloud-load-balancing');
    const after = await v2('europe-west1', 'web');
    expect(after.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(Number(after.generation)).toBe(Number(before.generation) + 1);
    // gcloud waited for Ready: the update is settled when it returns.
    expect(after.terminalCondition.state).toBe('CONDITION_SUCCEEDED');
    expect(after.observedGeneration).toBe(after.generation);
    expect(after.client).toBe('gcloud');
    // Only europe-west1's web changed.
    expect(await v2('asia-northeast1', 'web')).toEqual(otherRegion);
    const annotations = await gcloud('run', 'services', 'describe', 'web', '--region', 'europe-west1', '--format=value(metadata.annotations)');
    expect(annotations).toContain('run.googleapis.com/ingress=internal-and-cloud-load-balancing');
    expect(annotations).toContain('run.googleapis.com/ingress-status=internal-and-cloud-load-balancing');
  }, 180_000);

  it('update --ingress=internal and back to all', async () => {
    await gcloud('run', 'services', 'update', 'hello-fn', '--region', 'europe-west1', '--ingress=internal');
    expect((await v2('europe-west1', 'hello-fn')).ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    await gcloud('run', 'services', 'update', 'hello-fn', '--region', 'europe-west1', '--ingress=all');
    expect((await v2('europe-west1', 'hello-fn')).ingress).toBe('INGRESS_TRAFFIC_ALL');
  }, 180_000);

  it('reports a service that does not exist', async () => {
    await expect(gcloud('run', 'services', 'update', 'no-such-service', '--region', 'europe-west1', '--ingress=internal')).rejects.toThrow(
      /Service \[no-such-service\] could not be found/,
    );
    await expect(gcloud('run', 'services', 'describe', 'no-such-service', '--region', 'europe-west1')).rejects.toThrow(/Cannot find service \[no-such-service\]/);
  }, 180_000);
});
