import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServicesClient } from '@google-cloud/run';
import { GoogleAuth, PassThroughClient } from 'google-auth-library';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { seedModule } from '../../../src/emulator/seed/index.js';
import { runModule } from '../../../src/emulator/run/run-api.js';

const PROJECT = 'demo-project';
let emu: RunningEmulator;
let client: ServicesClient;

function makeClient(port: number): ServicesClient {
  return new ServicesClient({
    apiEndpoint: '127.0.0.1',
    port,
    protocol: 'http',
    fallback: true,
    auth: new GoogleAuth({ authClient: new PassThroughClient(), projectId: PROJECT }),
  } as ConstructorParameters<typeof ServicesClient>[0]);
}

beforeAll(async () => {
  emu = await startEmulator({ opLatencyMs: 30 }, [seedModule, runModule]);
  client = makeClient(emu.port);
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

const asJson = (m: unknown) => (m as { toJSON(): Record<string, unknown> }).toJSON() as Record<string, unknown> & { ingress?: string };
const name = (region: string, service: string) => `projects/${PROJECT}/locations/${region}/services/${service}`;

describe('Cloud Run Admin v2 through the real SDK', () => {
  it('gets a seeded service with enum names, its default URL and tags', async () => {
    const [svc] = await client.getService({ name: name('europe-west1', 'web') });
    expect(svc.ingress).toBe('INGRESS_TRAFFIC_ALL');
    expect(svc.uri).toMatch(/^https:\/\/web-[a-z2-7]{10}-ew\.a\.run\.app$/);
    expect(svc.traffic?.some((t) => t.tag === 'canary')).toBe(true);
    expect(svc.trafficStatuses?.find((t) => t.tag === 'canary')?.uri).toMatch(/^https:\/\/canary---web-/);
  });

  it('answers NOT_FOUND (gRPC code 5) for a missing service', async () => {
    await expect(client.getService({ name: name('europe-west1', 'nope') }, { retry: { retryCodes: [] } } as never)).rejects.toMatchObject({ code: 5 });
  });

  it('patches ingress with an update mask, and the operation finishes with the service', async () => {
    const [op] = await client.updateService({
      service: { name: name('us-central1', 'api'), ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' },
      updateMask: { paths: ['ingress'] },
    });
    expect(op.done).toBeFalsy();
    const [result] = await op.promise();
    // LRO results are protobuf messages: enums as numbers until toJSON().
    expect(asJson(result).ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    const [after] = await client.getService({ name: name('us-central1', 'api') });
    expect(after.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(after.generation).toBe('2');
    expect(after.reconciling).toBeFalsy();
    // Fields outside the mask are untouched.
    expect(after.template?.containers?.[0]?.image).toBe('us-docker.pkg.dev/cloudrun/container/hello');
  });

  it('lists services of a region', async () => {
    const [services] = await client.listServices({ parent: `projects/${PROJECT}/locations/us-central1` });
    expect(services.map((s) => s.name?.split('/').at(-1)).sort()).toEqual(['api', 'internal-api', 'web']);
    const [everywhere] = await client.listServices({ parent: `projects/${PROJECT}/locations/-` });
    expect(everywhere.length).toBeGreaterThanOrEqual(10);
  });

  it('reads and writes the invoker policy', async () => {
    const resource = name('europe-west1', 'admin');
    const [policy] = await client.getIamPolicy({ resource });
    expect(policy.bindings?.find((b) => b.role === 'roles/run.invoker')?.members).toEqual(['allUsers']);
    const [updated] = await client.setIamPolicy({ resource, policy: { bindings: [{ role: 'roles/run.invoker', members: ['user:a@example.com'] }] } });
    expect(updated.bindings?.[0]?.members).toEqual(['user:a@example.com']);
    const [again] = await client.getIamPolicy({ resource });
    expect(again.bindings?.[0]?.members).toEqual(['user:a@example.com']);
    await expect(client.setIamPolicy({ resource, policy: { etag: Buffer.from('stale'), bindings: [] } })).rejects.toMatchObject({ code: 10 });
  });

  it('creates and deletes a service through operations', async () => {
    const parent = `projects/${PROJECT}/locations/asia-northeast1`;
    const [op] = await client.createService({ parent, serviceId: 'fresh', service: { template: { containers: [{ image: 'gcr.io/x/y' }] } } });
    const [created] = await op.promise();
    expect(created.name).toBe(`${parent}/services/fresh`);
    expect(asJson(created).terminalCondition).toMatchObject({ state: 'CONDITION_SUCCEEDED' });
    await expect(client.createService({ parent, serviceId: 'fresh', service: { template: {} } })).rejects.toMatchObject({ code: 6 });
    const [del] = await client.deleteService({ name: `${parent}/services/fresh` });
    await del.promise();
    await expect(client.getService({ name: `${parent}/services/fresh` })).rejects.toMatchObject({ code: 5 });
  });
});

describe('Cloud Run Admin v2 wire format', () => {
  it('accepts numeric enums and answers numbers only when asked', async () => {
    const url = `${emu.url}/v2/${name('asia-northeast1', 'web')}`;
    const patch = await fetch(`${url}?updateMask=ingress`, { method: 'PATCH', body: JSON.stringify({ ingress: 2 }), headers: { 'content-type': 'application/json' } });
    expect(patch.status).toBe(200);
    const op = (await patch.json()) as { name: string; done?: boolean; metadata: { '@type': string; ingress: string } };
    expect(op.done).toBeUndefined();
    expect(op.metadata['@type']).toBe('type.googleapis.com/google.cloud.run.v2.Service');
    expect(op.metadata.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    const asInt = (await (await fetch(`${url}?$alt=json;enum-encoding=int`)).json()) as { ingress: number };
    expect(asInt.ingress).toBe(2);
    await new Promise((r) => setTimeout(r, 60));
    const done = (await (await fetch(`${emu.url}/v2/${op.name}`)).json()) as { done: boolean; response: { '@type': string } };
    expect(done.done).toBe(true);
    expect(done.response['@type']).toBe('type.googleapis.com/google.cloud.run.v2.Service');
  });

  it('rejects an unknown ingress value with INVALID_ARGUMENT', async () => {
    const res = await fetch(`${emu.url}/v2/${name('europe-west1', 'api')}?updateMask=ingress`, { method: 'PATCH', body: JSON.stringify({ ingress: 'OPEN' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
  });

  it('serves Cloud Functions, App Engine and API Gateway reads from the seed', async () => {
    const fn = (await (await fetch(`${emu.url}/v1/projects/${PROJECT}/locations/us-central1/functions/legacy-fn`)).json()) as { status: string; httpsTrigger: { url: string } };
    expect(fn.status).toBe('ACTIVE');
    expect(fn.httpsTrigger.url).toBe(`https://us-central1-${PROJECT}.cloudfunctions.net/legacy-fn`);
    const missing = await fetch(`${emu.url}/v1/projects/${PROJECT}/locations/asia-northeast1/functions/legacy-fn`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    const svc = (await (await fetch(`${emu.url}/v1/apps/${PROJECT}/services/admin`)).json()) as { id: string; split: { allocations: Record<string, number> } };
    expect(svc).toMatchObject({ id: 'admin', split: { allocations: { v2: 1 } } });
    const app = (await (await fetch(`${emu.url}/v1/apps/${PROJECT}`)).json()) as { locationId: string };
    expect(app.locationId).toBe('europe-west');
    const gw = (await (await fetch(`${emu.url}/v1/projects/${PROJECT}/locations/europe-west1/gateways/demo-gateway`)).json()) as { state: string };
    expect(gw.state).toBe('ACTIVE');
    expect((await fetch(`${emu.url}/v1/projects/${PROJECT}/locations/us-central1/gateways/demo-gateway`)).status).toBe(404);
  });
});
