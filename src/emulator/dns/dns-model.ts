/**
 * Cloud DNS v1 resource shapes and store keys.
 *
 * Store keys: managed zones `projects/P/managedZones/Z`; record sets
 * `projects/P/managedZones/Z/rrsets/NAME:TYPE` (NAME fully qualified, lower case); changes
 * `projects/P/managedZones/Z/changes/ID`.
 */
import type { Json, JsonObject, ResourceStore } from '../core/store.js';
import { fqdn, type RecordSet, type ZoneData } from './dns-resolver.js';

export const zonePath = (project: string, zone: string) => `projects/${project}/managedZones/${zone}`;
export const rrsetPath = (zonePathValue: string, name: string, type: string) => `${zonePathValue}/rrsets/${fqdn(name)}:${type.toUpperCase()}`;
export const changePath = (zonePathValue: string, id: string) => `${zonePathValue}/changes/${id}`;

export const PUBLIC_NAME_SERVERS = [
  'ns-cloud-a1.googledomains.com.',
  'ns-cloud-a2.googledomains.com.',
  'ns-cloud-a3.googledomains.com.',
  'ns-cloud-a4.googledomains.com.',
];
export const PRIVATE_NAME_SERVERS = ['ns-gcp-private.googledomains.com.'];

const COMPUTE = 'https://www.googleapis.com/compute/v1/';

/** A network reference (name, relative path or URL) as the full URL Cloud DNS stores. */
export function networkUrl(project: string, network: string): string {
  if (network.startsWith('https://')) return network.replace('https://compute.googleapis.com/compute/v1/', COMPUTE);
  if (network.startsWith('projects/')) return COMPUTE + network;
  if (network.startsWith('global/')) return `${COMPUTE}projects/${project}/${network}`;
  return `${COMPUTE}projects/${project}/global/networks/${network}`;
}

export interface ZoneInput {
  name: string;
  dnsName: string;
  description?: string;
  visibility?: 'public' | 'private';
  networks?: string[];
  labels?: Record<string, string>;
}

export function buildZone(project: string, input: ZoneInput, id: string, at: string): JsonObject {
  const visibility = input.visibility ?? 'public';
  const zone: JsonObject = {
    kind: 'dns#managedZone',
    name: input.name,
    dnsName: fqdn(input.dnsName),
    description: input.description ?? '',
    id,
    nameServers: visibility === 'private' ? PRIVATE_NAME_SERVERS : PUBLIC_NAME_SERVERS,
    creationTime: at,
    visibility,
    cloudLoggingConfig: { kind: 'dns#managedZoneCloudLoggingConfig' },
  };
  if (input.labels && Object.keys(input.labels).length > 0) zone['labels'] = input.labels;
  if (visibility === 'private') {
    zone['privateVisibilityConfig'] = {
      kind: 'dns#managedZonePrivateVisibilityConfig',
      networks: (input.networks ?? []).map((n) => ({
        kind: 'dns#managedZonePrivateVisibilityConfigNetwork',
        networkUrl: networkUrl(project, n),
      })),
    };
  }
  return zone;
}

export function buildRrset(r: { name: string; type: string; ttl?: number | undefined; rrdatas: string[] }): JsonObject {
  return { kind: 'dns#resourceRecordSet', name: fqdn(r.name), type: r.type.toUpperCase(), ttl: r.ttl ?? 300, rrdatas: [...r.rrdatas] };
}

/** The SOA and NS record sets Cloud DNS creates with every zone. */
export function apexRecords(zone: JsonObject): JsonObject[] {
  const dnsName = String(zone['dnsName']);
  const ns = zone['nameServers'] as string[];
  return [
    buildRrset({ name: dnsName, type: 'NS', ttl: 21600, rrdatas: ns }),
    buildRrset({
      name: dnsName,
      type: 'SOA',
      ttl: 21600,
      rrdatas: [`${ns[0]} cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300`],
    }),
  ];
}

/** Writes a zone and its apex records. */
export function putZone(store: ResourceStore, project: string, zone: JsonObject, records: JsonObject[] = []): void {
  const path = zonePath(project, String(zone['name']));
  store.put(path, zone);
  for (const r of [...apexRecords(zone), ...records]) store.put(rrsetPath(path, String(r['name']), String(r['type'])), r);
}

/** A stored record set as the resolver sees it; a geo routing policy answers with every location's data (the emulator has no client location). */
function asRecordSet(v: Json): RecordSet {
  const o = v as JsonObject;
  const geo = (((o['routingPolicy'] as JsonObject | undefined)?.['geo'] as JsonObject | undefined)?.['items'] as JsonObject[] | undefined) ?? [];
  const rrdatas = [...((o['rrdatas'] as string[] | undefined) ?? []), ...geo.flatMap((i) => (i['rrdatas'] as string[] | undefined) ?? [])];
  return { name: fqdn(String(o['name'])), type: String(o['type']), ttl: Number(o['ttl'] ?? 300), rrdatas: [...new Set(rrdatas)] };
}

/**
 * Every zone of every project, for the resolver; cached and rebuilt only after a change under a
 * `/managedZones/` path.
 */
export class ZoneIndex {
  private cache: ZoneData[] | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly store: ResourceStore) {
    this.unsubscribe = store.onChange((path) => {
      if (path.includes('/managedZones/')) this.cache = undefined;
    });
  }

  zones(): ZoneData[] {
    if (this.cache) return this.cache;
    const zones = new Map<string, ZoneData>();
    const entries = this.store.entries().filter(([k]) => k.includes('/managedZones/'));
    for (const [key, value] of entries) {
      if (/^projects\/[^/]+\/managedZones\/[^/]+$/.test(key)) {
        const z = value as JsonObject;
        zones.set(key, {
          zone: String(z['name']),
          dnsName: fqdn(String(z['dnsName'])),
          visibility: z['visibility'] === 'private' ? 'private' : 'public',
          rrsets: [],
        });
      }
    }
    for (const [key, value] of entries) {
      const m = /^(projects\/[^/]+\/managedZones\/[^/]+)\/rrsets\/[^/]+$/.exec(key);
      if (m) zones.get(m[1]!)?.rrsets.push(asRecordSet(value));
    }
    this.cache = [...zones.values()];
    return this.cache;
  }

  close(): void {
    this.unsubscribe();
  }
}
