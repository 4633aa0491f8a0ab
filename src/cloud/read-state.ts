/**
 * Reading what exists, with as few calls as possible.
 *
 * readObservedState: for each group of desired resources of one kind in one scope (one zone for
 * DNS), one `list` when the group has LIST_THRESHOLD or more members, else one `get` per resource;
 * all groups at once (bounded). A typical global external LB with one backend (about 9 resources
 * of 8 kinds) costs 9 calls either way; a multi-region one with NEGs in 3 regions saves little, as
 * NEGs are regional (one list per region). Lists return every resource of the kind in the scope,
 * so above the threshold they trade transfer for calls; below it, GETs win.
 *
 * readCurrentState: what a plan must see: every resource this load balancer owns in the scopes its
 * graph touches, so that resources the config no longer wants (a removed backend) and resources
 * that moved to their alternate name are seen, adopted or deleted, and the desired resources under
 * either name; one list per kind and scope covers both.
 *
 * findOwnedResources: for teardown (`withUsers`: and what others use of them), status and readCurrentState. One list per kind and scope, kept when the
 * ownership mark (src/plan/ownership.ts isOwnedBy) names the load balancer. Compute lists carry a
 * server-side filter (ownedListFilter): only resources whose name starts like this load balancer's
 * names, or whose description carries its mark, come back, so the cost does not grow with the
 * unrelated resources of the project. DNS record sets carry no
 * mark: with a zone given, A/AAAA records whose data is an address of an owned address or
 * forwarding rule, and CNAME records pointing where an owned DNS authorization asks, are taken as owned.
 */
import { resourceId, type DesiredGraph, type DesiredResource, type ObservedResource, type ResourceKind, type Scope } from '../model/resource-model.js';
import { alternateName, namePrefix } from '../model/naming.js';
import { isOwnedBy, OWNER_LABEL, ownerMarker, ownerOf } from '../plan/ownership.js';
import { ObservedIndex } from '../plan/observed-index.js';
import { refOfId } from '../plan/paths.js';
import type { CallOptions, Cloud } from './port.js';
import { refOf } from './port.js';
import { checkProjectAndRegions } from './preflight.js';
import { fqdn, recordData, recordNameParts } from '../kinds/dns-record-set.js';
import { KINDS, kindModule } from '../kinds/registry.js';
import { PROXY_ONLY_PURPOSES } from '../kinds/subnetwork.js';
import type { ResourceKindModule } from '../kinds/kind.js';

export const LIST_THRESHOLD = 3;
const READ_CONCURRENCY = 16;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface ReadOptions extends CallOptions {
  /** `auto` (default): list groups of LIST_THRESHOLD or more; `get`: always one get each; `list`: always list. */
  strategy?: 'auto' | 'get' | 'list';
}

/** What exists now of the desired resources, keyed by resource id (absent: does not exist). */
export async function readObservedState(graph: DesiredGraph, cloud: Cloud, options: ReadOptions = {}): Promise<Map<string, ObservedResource>> {
  const strategy = options.strategy ?? 'auto';
  const groups = new Map<string, DesiredResource[]>();
  for (const r of graph.resources) {
    // Resources in another project (a DNS zone elsewhere) are read one by one.
    const key = r.project !== cloud.project ? `get:${r.id}` : `${r.kind}|${r.scope}|${r.zone ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const tasks: Array<() => Promise<ObservedResource[]>> = [];
  for (const [key, members] of groups) {
    const first = members[0]!;
    const useList = !key.startsWith('get:') && (strategy === 'list' || (strategy === 'auto' && members.length >= LIST_THRESHOLD));
    if (useList) {
      tasks.push(async () => {
        const all = await cloud.list(first.kind, first.scope, { ...options, ...(first.zone ? { zone: first.zone } : {}) });
        // A record set is found by its DNS name and type.
        const recordKeyOf = (r: { name: string; body: Record<string, unknown> }) => `${fqdn(String(r.body.name ?? recordNameParts(r.name).dnsName))}|${String(r.body.type ?? recordNameParts(r.name).type ?? 'A')}`;
        const wanted = new Map(members.map((m) => [m.kind === 'dnsRecordSet' ? recordKeyOf(m) : m.name, m]));
        const found: ObservedResource[] = [];
        for (const o of all) {
          const k = o.kind === 'dnsRecordSet' ? recordKeyOf(o) : o.name;
          const m = wanted.get(k);
          if (m) found.push({ ...o, id: m.id, name: m.name });
        }
        return found;
      });
    } else {
      for (const m of members) {
        tasks.push(async () => {
          const o = await cloud.get(refOf(m), options);
          return o ? [{ ...o, id: m.id, name: m.name }] : [];
        });
      }
    }
  }
  const results = await mapLimit(tasks, READ_CONCURRENCY, (t) => t());
  return new Map(results.flat().map((o) => [o.id, o]));
}

/**
 * Kinds serverless-lb creates whose resources carry the ownership mark, and where each can exist:
 * one list per kind and scope finds them. (DNS record sets carry none: see addOwnedRecords.)
 */
const OWNED_KINDS: readonly ResourceKindModule[] = (KINDS as readonly ResourceKindModule[]).filter(
  (k) => !k.readOnly && (k.ownership.labels || k.ownership.description || k.ownership.owners !== undefined),
);

export interface FindOwnedOptions extends CallOptions {
  /** Cloud DNS managed zone holding the LB's records (and its project, if another one). */
  dnsZone?: string;
  /** The regions are the project's own list (`listRegions`): only the project is checked, not each region again. */
  regionsFromProject?: boolean;
  /** Also read what others use of the owned resources (addForeignUsers), for a teardown plan. */
  withUsers?: boolean;
}

/** Every resource of the kinds serverless-lb creates, in global and the given regions. */
interface Listing {
  /** `kind|scope` of every list made. */
  listed: Set<string>;
  items: ObservedResource[];
}

/**
 * The Compute list filter (AIP-160) that returns what a load balancer may own or want: names that
 * start like its generated names, descriptions that carry its mark, its label (a load balancer
 * taken over by import: labelled forwarding rules under any name), and `names` (desired names of
 * another form, such as a proxy-only subnet the user named). A superset: ownership is checked after.
 */
function ownedListFilter(lbName: string, names: readonly string[] = []): string {
  const quote = (text: string) => JSON.stringify(text);
  return [`(name:${quote(namePrefix(lbName))})`, `(description:${quote(ownerMarker(lbName))})`, `(labels.${OWNER_LABEL} = ${quote(lbName)})`, ...[...new Set(names)].sort().map((n) => `(name = ${quote(n)})`)].join(' OR ');
}

/** Whether a Compute list made with ownedListFilter(lbName, names) holds `name` if it exists. */
function filterHolds(lbName: string, names: readonly string[], name: string): boolean {
  return name.includes(namePrefix(lbName)) || names.includes(name);
}

/** Kinds listed through the Compute API, where a list takes a server-side filter. */
function takesFilter(kind: ResourceKind): boolean {
  return kindModule(kind).service === undefined;
}

/**
 * One list call per kind and scope that can hold an owned resource, at most 16 at once; Compute
 * lists filtered to what `lbName` may own or want (`extraNames`: desired names by `kind|scope`).
 */
async function listOwnableKinds(cloud: Cloud, lbName: string, regions: readonly string[], options: CallOptions, extraNames: ReadonlyMap<string, string[]> = new Map()): Promise<Listing> {
  const scopes: Scope[] = ['global', ...new Set(regions)].map((r) => (r === 'global' ? 'global' : (`regions/${r}` as Scope)));
  const lists: Array<{ kind: ResourceKind; scope: Scope }> = [];
  for (const scope of scopes) {
    for (const k of OWNED_KINDS) if (scope === 'global' ? k.scopes.global : k.scopes.regional) lists.push({ kind: k.kind, scope });
  }
  const results = await mapLimit(lists, READ_CONCURRENCY, ({ kind, scope }) =>
    cloud.list(kind, scope, takesFilter(kind) ? { ...options, filter: ownedListFilter(lbName, extraNames.get(`${kind}|${scope}`)) } : options),
  );
  return { listed: new Set(lists.map((l) => `${l.kind}|${l.scope}`)), items: results.flat() };
}

function ownedAmong(items: readonly ObservedResource[], lbName: string): Map<string, ObservedResource> {
  const owned = new Map<string, ObservedResource>();
  for (const o of items) if (isOwnedBy(o.kind, o.body, lbName)) owned.set(o.id, o);
  return owned;
}

/**
 * Adds to `owned` the A/AAAA records of `zone` whose every datum is an address of an owned address
 * or forwarding rule, and the CNAME records whose target is that of an owned DNS authorization
 * (DNS record sets carry no ownership mark of their own).
 */
async function addOwnedRecords(cloud: Cloud, owned: Map<string, ObservedResource>, zone: string | undefined, options: CallOptions): Promise<void> {
  if (!zone) return;
  const ips = new Set<string>();
  for (const o of owned.values()) {
    const ip = kindModule(o.kind).ipOf?.(o.body);
    if (ip) ips.add(ip);
  }
  if (ips.size === 0) return;
  const records = await cloud.list('dnsRecordSet', 'global', { ...options, zone });
  for (const r of records) {
    if (r.body.type !== 'A' && r.body.type !== 'AAAA' && r.body.type !== 'CNAME') continue;
    const datas = recordData(r.body);
    if (datas.length > 0 && datas.every((d) => ips.has(d))) owned.set(r.id, r);
  }
}

/**
 * Adds the resources that owned ones hold (a kind's `ownership.heldBy`: a NEG a backend service
 * uses) and that carry no mark of their own: from the listing when it has them, else one GET each
 * (a name the listing's filter did not cover).
 */
async function addHeldResources(cloud: Cloud, owned: Map<string, ObservedResource>, listed: readonly ObservedResource[], options: CallOptions): Promise<void> {
  const listedById = new Map(listed.map((o) => [o.id, o]));
  // What owned resources hold may hold more (a proxy holds its URL map): until nothing new is found.
  for (let holders = [...owned.values()]; holders.length > 0; ) {
    const index = new ObservedIndex(owned);
    const wanted = new Map<string, { kind: ResourceKind; scope: Scope; name: string }>();
    for (const holder of holders) {
      for (const id of index.referencesOf(holder)) {
        const ref = refOfId(id);
        if (ref && !owned.has(id) && kindModule(ref.kind).ownership.heldBy?.includes(holder.kind)) wanted.set(id, ref);
      }
    }
    const found = await mapLimit([...wanted], READ_CONCURRENCY, async ([id, ref]) => listedById.get(id) ?? (await cloud.get(ref, options)));
    holders = found.filter((o): o is ObservedResource => o !== undefined && ownerOf(o.kind, o.body) === undefined);
    for (const o of holders) owned.set(o.id, o);
  }
}

/**
 * Adds, beside the owned resources, the resources of others that use one of them without the
 * owner knowing: backend services (another load balancer's) on an owned Cloud Armor policy, and
 * forwarding rules whose proxies run in an owned proxy-only subnet. The plan keeps what they still
 * need (diff.ts addDeleteEdges). One filtered list per owned policy or subnet.
 */
async function addForeignUsers(cloud: Cloud, state: Map<string, ObservedResource>, options: CallOptions): Promise<void> {
  const lists: Array<Promise<ObservedResource[]>> = [];
  for (const o of [...state.values()]) {
    if (o.kind === 'securityPolicy' && typeof o.body.selfLink === 'string') {
      lists.push(cloud.list('backendService', o.scope, { ...options, filter: `securityPolicy = ${JSON.stringify(o.body.selfLink)}` }));
    }
    if (o.kind === 'subnetwork' && PROXY_ONLY_PURPOSES.has(String(o.body.purpose ?? ''))) {
      const scope: Scope = o.body.purpose === 'GLOBAL_MANAGED_PROXY' ? 'global' : o.scope;
      lists.push(cloud.list('forwardingRule', scope, { ...options, filter: '(loadBalancingScheme = "INTERNAL_MANAGED") OR (loadBalancingScheme = "EXTERNAL_MANAGED")' }));
    }
  }
  for (const found of await Promise.all(lists)) for (const r of found) if (!state.has(r.id)) state.set(r.id, r);
}

/** Every resource whose ownership mark names `lbName`, in `global` and the given regions. */
export async function findOwnedResources(cloud: Cloud, lbName: string, regions: readonly string[], options: FindOwnedOptions = {}): Promise<Map<string, ObservedResource>> {
  await checkProjectAndRegions(cloud, options.regionsFromProject ? [] : regions, options);
  const listing = await listOwnableKinds(cloud, lbName, regions, options);
  const owned = ownedAmong(listing.items, lbName);
  await addHeldResources(cloud, owned, listing.items, options);
  await addOwnedRecords(cloud, owned, options.dnsZone, options);
  if (options.withUsers) await addForeignUsers(cloud, owned, options);
  return owned;
}

/**
 * The state a plan is computed from: every resource the graph's load balancer owns in the graph's
 * scopes (found by the ownership mark), and every desired resource that exists, under its name or
 * its alternate name. The lists that find the owned resources also hold the desired ones of those
 * kinds and scopes, so only what they do not cover (networks, DNS records, resources in another
 * project) is read separately. Regions and the DNS zone come from the graph. An unknown project or
 * region is a UsageError before anything is listed (preflight's `checkProjectAndRegions`).
 */
export async function readCurrentState(graph: DesiredGraph, cloud: Cloud, options: ReadOptions = {}): Promise<Map<string, ObservedResource>> {
  const regions = [...new Set(graph.resources.map((r) => r.scope).filter((s) => s !== 'global').map((s) => s.slice('regions/'.length)))];
  const dnsZone = graph.resources.find((r) => r.kind === 'dnsRecordSet' && r.zone && r.project === cloud.project)?.zone;
  await checkProjectAndRegions(cloud, regions, options);
  // Desired names the name prefix does not cover go into the filter by name (with their alternates).
  const extraNames = new Map<string, string[]>();
  for (const r of graph.resources) {
    if (r.project !== cloud.project || !takesFilter(r.kind) || filterHolds(graph.lbName, [], r.name)) continue;
    const key = `${r.kind}|${r.scope}`;
    extraNames.set(key, [...(extraNames.get(key) ?? []), r.name, alternateName(r.name)]);
  }
  const listing = await listOwnableKinds(cloud, graph.lbName, regions, options, extraNames);
  const state = ownedAmong(listing.items, graph.lbName);
  await addHeldResources(cloud, state, listing.items, options);
  await addForeignUsers(cloud, state, options);
  const byId = new Map(listing.items.map((o) => [o.id, o]));
  const unlisted: DesiredResource[] = [];
  for (const r of graph.resources) {
    if (r.project !== cloud.project || !listing.listed.has(`${r.kind}|${r.scope}`)) {
      unlisted.push(r);
      continue;
    }
    for (const id of [r.id, resourceId(r.kind, r.scope, alternateName(r.name))]) {
      const found = byId.get(id);
      if (found) state.set(id, found);
    }
  }
  const [rest] = await Promise.all([readObservedState({ ...graph, resources: unlisted }, cloud, options), addOwnedRecords(cloud, state, dnsZone, options)]);
  for (const [id, resource] of rest) state.set(id, resource);
  return state;
}
