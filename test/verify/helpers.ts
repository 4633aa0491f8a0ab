/** Fakes for verify's unit tests: a scripted resolver, a network over local servers, a fake cloud. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { specSchema, type Spec, type SpecInput } from '../../src/spec/schema.js';
import type { DnsAnswer, DnsResolver, Endpoint, Network, RecordType } from '../../src/verify/network.js';
import type { ObservedResource, ResourceKind, Scope } from '../../src/model/resource-model.js';
import { resourceId } from '../../src/model/resource-model.js';
import type { ResourceRef, RunServiceInfo } from '../../src/cloud/port.js';

export function spec(input: Partial<SpecInput> & Pick<SpecInput, 'backends'>): Spec {
  return specSchema.parse({ name: 'shop', project: 'my-project', region: 'europe-west1', ...input });
}

/** Zone data: name -> type -> values; `cname` entries are followed by the A/AAAA answers. */
export type Zone = Record<string, Partial<Record<RecordType, string[]>> | 'REFUSED'>;

export function fakeResolver(zone: Zone, description = 'fake DNS'): DnsResolver & { queries: string[] } {
  const queries: string[] = [];
  const answer = (name: string, type: RecordType, depth = 0): DnsAnswer => {
    const entry = zone[name];
    if (entry === 'REFUSED') return { rcode: 'REFUSED', values: [], message: 'EREFUSED' };
    if (!entry) return { rcode: 'NXDOMAIN', values: [], message: 'ENOTFOUND' };
    if (type !== 'CNAME' && entry.CNAME && depth < 8) return answer(entry.CNAME[0]!, type, depth + 1);
    return { rcode: 'NOERROR', values: entry[type] ?? [] };
  };
  return {
    description,
    queries,
    async query(name, type) {
      queries.push(`${name} ${type}`);
      return answer(name, type);
    },
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startServer(handler: Handler): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A JSON answer naming a backend, as a data plane that names backends does. */
export function backendAnswer(res: ServerResponse, body: Record<string, unknown>, status = 200): void {
  const text = JSON.stringify({ platform: 'cloud-run', tag: null, ...body });
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

export function fakeNetwork(map: Record<string, Endpoint>, overrides: Partial<Network> = {}, zone: Zone = {}): Network {
  return {
    description: 'the test network',
    resolver: fakeResolver(zone),
    async connectTo(host, port) {
      return map[`${host}:${port}`];
    },
    trustedCas: [],
    systemRoots: false,
    namesBackends: true,
    enforcesIap: false,
    reachesPrivateAddresses: true,
    ...overrides,
  };
}

export function observed(kind: ResourceKind, scope: Scope, name: string, body: Record<string, unknown>): ObservedResource {
  return { id: resourceId(kind, scope, name), kind, scope, name, body };
}

/** A fake Cloud for verify: `get` from a map keyed `kind/scope/name`, Run services by `region/name`. */
export function fakeCloud(resources: ObservedResource[] = [], services: RunServiceInfo[] = []) {
  const byKey = new Map(resources.map((r) => [`${r.kind}/${r.scope}/${r.name}`, r]));
  return {
    calls: [] as string[],
    async get(ref: ResourceRef) {
      this.calls.push(`get ${ref.kind} ${ref.name}`);
      return byKey.get(`${ref.kind}/${ref.scope}/${ref.name}`);
    },
    async getRunService(region: string, name: string) {
      this.calls.push(`getRunService ${region} ${name}`);
      return services.find((s) => s.region === region && s.name === name);
    },
    put(r: ObservedResource) {
      byKey.set(`${r.kind}/${r.scope}/${r.name}`, r);
    },
  };
}
