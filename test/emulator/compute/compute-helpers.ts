/** Test helpers: a running emulator and a tiny JSON client over fetch. */
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js';
import { computeModule } from '../../../src/emulator/compute/index.js';
import type { EmulatorOptions } from '../../../src/emulator/core/context.js';

export const P = 'demo-project';
export const C = `/compute/v1/projects/${P}`;

export interface Client {
  em: RunningEmulator;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POSTs/DELETEs and waits for the operation; returns the finished operation. */
  mutate(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/** An emulator with only the compute module (no seed), unless modules are given. */
export async function computeEmulator(options: EmulatorOptions = {}): Promise<Client> {
  const em = await startEmulator({ opLatencyMs: 5, seed: false, dns: false, dataplane: false, ...options }, [computeModule]);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(em.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const mutate = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    if (res.status !== 200) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    const op = res.body;
    if (op.status === 'DONE') return op;
    const opUrl = new URL(op.selfLink).pathname.replace(/^\/compute\/v1/, '/compute/v1');
    const waited = await call('POST', `${opUrl}/wait`);
    return waited.body;
  };
  return { em, call, mutate, close: () => em.close() };
}

/** Creates network `default`, a regular subnet and an ACTIVE proxy-only subnet in europe-west1. */
export async function baseNetwork(c: Client, region = 'europe-west1'): Promise<void> {
  await c.mutate('POST', `${C}/global/networks`, { name: 'default', autoCreateSubnetworks: false });
  await c.mutate('POST', `${C}/regions/${region}/subnetworks`, { name: 'default', network: 'global/networks/default', ipCidrRange: '10.132.0.0/20' });
  await c.mutate('POST', `${C}/regions/${region}/subnetworks`, {
    name: 'proxy-only',
    network: 'global/networks/default',
    ipCidrRange: '10.129.0.0/23',
    purpose: 'REGIONAL_MANAGED_PROXY',
    role: 'ACTIVE',
  });
}
