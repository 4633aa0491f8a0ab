/**
 * Cloud DNS API v1: managed zones (public and private), resource record sets and changes, under
 * `/dns/v1/projects/P/...` (the prefix gcloud and the client libraries use). Behaviour spec:
 * docs/emulator.md, "Cloud DNS API v1".
 *
 * Contract highlights:
 * - Errors in Google's v1 shape `{"error":{"code","message","errors":[{domain,reason,message}]}}`
 *   with reasons notFound, alreadyExists, invalid, containerNotEmpty, conditionNotMet.
 * - Creating a zone creates its SOA and NS record sets; deleting a zone that holds other record
 *   sets fails with 400 containerNotEmpty.
 * - A change (POST .../changes, or any rrsets create/patch/delete) applies at once and is listed as
 *   a Change; a Change posted to .../changes reports `status: "pending"` for opLatencyMs, then "done".
 */
import type { EmulatorContext } from '../core/context.js';
import { ApiError, json, type ApiRequest } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { fqdn } from './dns-resolver.js';
import { apexRecords, buildRrset, buildZone, changePath, networkUrl, rrsetPath, zonePath, type ZoneInput } from './dns-model.js';

const ZONE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(([a-z0-9_]([-a-z0-9_]*[a-z0-9_])?|\*)\.)*([a-z0-9]([-a-z0-9]*[a-z0-9])?\.?)$/i;
const TYPES = new Set(['A', 'AAAA', 'CAA', 'CNAME', 'DNSKEY', 'DS', 'HTTPS', 'IPSECKEY', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'SSHFP', 'SVCB', 'TLSA', 'TXT']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

const invalid = (field: string, value: unknown) => ApiError.compute(400, 'invalid', `Invalid value for '${field}': '${String(value)}'`);
const required = (field: string) => ApiError.compute(400, 'required', `Required field '${field}' not specified`);

function page<T>(items: T[], req: ApiRequest): { items: T[]; next?: string } {
  const size = Number(req.query.get('maxResults') ?? '0') || items.length || 1;
  const start = Number(req.query.get('pageToken') ?? '0') || 0;
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, next: String(start + size) } : { items: slice };
}

function sameRrset(a: JsonObject, b: JsonObject): boolean {
  return (
    Number(a['ttl']) === Number(b['ttl']) &&
    JSON.stringify([...((a['rrdatas'] as string[]) ?? [])].sort()) === JSON.stringify([...((b['rrdatas'] as string[]) ?? [])].sort()) &&
    JSON.stringify(a['routingPolicy'] ?? null) === JSON.stringify(b['routingPolicy'] ?? null)
  );
}

export function installDnsApi(ctx: EmulatorContext): void {
  // v1beta2 is the same API as v1 for zones, record sets and changes (Config Connector calls both).
  for (const version of ['v1', 'v1beta2']) installDnsVersion(ctx, version);
}

function installDnsVersion(ctx: EmulatorContext, version: string): void {
  const { store, router } = ctx;
  const base = `/dns/${version}/projects/:project/managedZones`;
  const at = () => ctx.now().toISOString();

  const loadZone = (project: string, zone: string): { path: string; zone: JsonObject } => {
    const path = zonePath(project, zone);
    const z = store.get<JsonObject>(path);
    if (!z) throw ApiError.compute(404, 'notFound', `The 'parameters.managedZone' resource named '${zone}' does not exist.`);
    return { path, zone: z };
  };

  const rrsetsOf = (zp: string) => store.list<JsonObject>(`${zp}/rrsets`).map(([, v]) => v);

  /** Validates one record set of a request against its zone; returns it normalised. */
  const checkRrset = (raw: unknown, zone: JsonObject, field: string): JsonObject => {
    if (!raw || typeof raw !== 'object') throw required(field);
    const r = raw as JsonObject;
    if (typeof r['name'] !== 'string' || r['name'] === '') throw required(`${field}.name`);
    if (typeof r['type'] !== 'string' || r['type'] === '') throw required(`${field}.type`);
    const name = fqdn(r['name']);
    const type = r['type'].toUpperCase();
    const dnsName = String(zone['dnsName']);
    if (!DNS_NAME.test(name) || (name !== dnsName && !name.endsWith(`.${dnsName}`))) {
      throw ApiError.compute(400, 'invalid', `The resource record set name '${r['name']}' is not a domain inside the zone '${dnsName}'.`);
    }
    if (!TYPES.has(type)) throw invalid(`${field}.type`, r['type']);
    const checkData = (rrdatas: unknown, at: string): string[] => {
      if (!Array.isArray(rrdatas) || rrdatas.length === 0) throw required(`${at}.rrdata`);
      for (const d of rrdatas) {
        if (typeof d !== 'string' || d.trim() === '') throw invalid(`${at}.rrdata`, d);
        if (type === 'A' && !IPV4.test(d)) throw invalid(`${at}.rrdata`, d);
        if (type === 'AAAA' && !d.includes(':')) throw invalid(`${at}.rrdata`, d);
      }
      return rrdatas as string[];
    };
    const ttl = r['ttl'] === undefined ? 300 : Number(r['ttl']);
    if (!Number.isInteger(ttl) || ttl < 0) throw invalid(`${field}.ttl`, r['ttl']);
    // A geo routing policy instead of rrdatas: one item per location, each with its own data.
    const geo = ((r['routingPolicy'] as JsonObject | undefined)?.['geo'] as JsonObject | undefined)?.['items'];
    if (r['routingPolicy'] !== undefined && (r['rrdatas'] === undefined || (Array.isArray(r['rrdatas']) && r['rrdatas'].length === 0))) {
      if (!Array.isArray(geo) || geo.length === 0) throw required(`${field}.routingPolicy.geo.item`);
      const items = geo.map((item, i) => {
        const location = (item as JsonObject)?.['location'];
        if (typeof location !== 'string' || location === '') throw required(`${field}.routingPolicy.geo.item[${i}].location`);
        return { location, rrdatas: checkData((item as JsonObject)['rrdatas'], `${field}.routingPolicy.geo.item[${i}]`) };
      });
      const { rrdatas: _none, ...rest } = buildRrset({ name, type, ttl, rrdatas: [] });
      return { ...rest, routingPolicy: { geo: { items } } };
    }
    const rrdatas = checkData(r['rrdatas'], field);
    if (type === 'CNAME' && rrdatas.length !== 1) throw ApiError.compute(400, 'invalid', `A CNAME record set must have exactly one rrdata ('${name}').`);
    return buildRrset({ name, type, ttl, rrdatas });
  };

  const nextChangeId = (zp: string): string => {
    const ids = store.list<JsonObject>(`${zp}/changes`).map(([, v]) => Number(v['id']));
    return String(ids.length ? Math.max(...ids) + 1 : 1);
  };

  /**
   * Applies deletions then additions atomically (all checks before any write) and records a Change.
   * `pending` keeps the change's status "pending" for opLatencyMs.
   */
  const applyChange = (zp: string, zone: JsonObject, additions: JsonObject[], deletions: JsonObject[], pending: boolean): JsonObject => {
    const existing = new Map(rrsetsOf(zp).map((r) => [`${r['name']}:${r['type']}`, r]));
    deletions.forEach((d, i) => {
      const key = `${d['name']}:${d['type']}`;
      const cur = existing.get(key);
      if (!cur) throw ApiError.compute(404, 'notFound', `The 'entity.change.deletions[${i}]' resource named '${d['name']} (${d['type']})' does not exist.`);
      if (!sameRrset(cur, d)) {
        throw ApiError.compute(412, 'conditionNotMet', `Precondition not met for 'entity.change.deletions[${i}]'`);
      }
      if (d['type'] === 'SOA' || (d['type'] === 'NS' && d['name'] === zone['dnsName'] && !additions.some((a) => a['type'] === d['type'] && a['name'] === d['name']))) {
        throw ApiError.compute(400, 'invalid', `The apex ${d['type']} record set of a zone can only be replaced, not deleted.`);
      }
      existing.delete(key);
    });
    additions.forEach((a, i) => {
      const key = `${a['name']}:${a['type']}`;
      if (existing.has(key)) {
        throw ApiError.compute(409, 'alreadyExists', `The resource 'entity.change.additions[${i}]' named '${a['name']} (${a['type']})' already exists`);
      }
      const sameName = [...existing.values()].filter((r) => r['name'] === a['name']);
      if ((a['type'] === 'CNAME' && sameName.length > 0) || (a['type'] !== 'CNAME' && sameName.some((r) => r['type'] === 'CNAME'))) {
        throw ApiError.compute(
          400,
          'cnameResourceRecordSetConflict',
          `The resource 'entity.change.additions[${i}]' named '${a['name']} (${a['type']})' conflicts with a CNAME record set of the same name.`,
        );
      }
      existing.set(key, a);
    });
    for (const d of deletions) store.delete(rrsetPath(zp, String(d['name']), String(d['type'])));
    for (const a of additions) store.put(rrsetPath(zp, String(a['name']), String(a['type'])), a);
    const id = nextChangeId(zp);
    const change: JsonObject = { kind: 'dns#change', id, startTime: at(), status: pending && ctx.options.opLatencyMs > 0 ? 'pending' : 'done' };
    if (additions.length) change['additions'] = additions;
    if (deletions.length) change['deletions'] = deletions;
    const cp = changePath(zp, id);
    store.put(cp, change);
    if (change['status'] === 'pending') {
      ctx.operations.start(cp, () => {
        const c = store.get<JsonObject>(cp);
        if (c) store.put(cp, { ...c, status: 'done' });
      });
    }
    return change;
  };

  // ---- managed zones ----

  router.add('POST', base, (req, p) => {
    const project = p['project']!;
    const body = (req.body ?? {}) as JsonObject;
    const name = body['name'];
    if (typeof name !== 'string' || name === '') throw required('entity.managedZone.name');
    if (!ZONE_NAME.test(name) || name.length > 63) throw invalid('entity.managedZone.name', name);
    const dnsName = body['dnsName'];
    if (typeof dnsName !== 'string' || dnsName === '') throw required('entity.managedZone.dnsName');
    if (!DNS_NAME.test(dnsName) || dnsName.startsWith('*')) throw invalid('entity.managedZone.dnsName', dnsName);
    const visibility = body['visibility'] ?? 'public';
    if (visibility !== 'public' && visibility !== 'private') throw invalid('entity.managedZone.visibility', visibility);
    const path = zonePath(project, name);
    if (store.has(path)) throw ApiError.compute(409, 'alreadyExists', `The resource 'entity.managedZone' named '${name}' already exists`);
    const pvc = body['privateVisibilityConfig'] as JsonObject | undefined;
    if (visibility === 'public' && pvc && Array.isArray(pvc['networks']) && pvc['networks'].length > 0) {
      throw ApiError.compute(400, 'invalid', 'A public zone cannot have a privateVisibilityConfig.');
    }
    const networks = ((pvc?.['networks'] as JsonObject[] | undefined) ?? []).map((n) => String(n['networkUrl'] ?? ''));
    const input: ZoneInput = {
      name,
      dnsName,
      description: typeof body['description'] === 'string' ? body['description'] : '',
      visibility,
      networks,
      ...(body['labels'] && typeof body['labels'] === 'object' ? { labels: body['labels'] as Record<string, string> } : {}),
    };
    const zone = buildZone(project, input, ctx.ids.numeric(), at());
    if (body['dnssecConfig']) zone['dnssecConfig'] = { kind: 'dns#managedZoneDnsSecConfig', ...(body['dnssecConfig'] as JsonObject) };
    store.put(path, zone);
    for (const r of apexRecords(zone)) store.put(rrsetPath(path, String(r['name']), String(r['type'])), r);
    return json(zone);
  });

  router.add('GET', base, (req, p) => {
    let zones = store.list<JsonObject>(`projects/${p['project']}/managedZones`).map(([, v]) => v);
    const dnsName = req.query.get('dnsName');
    if (dnsName) zones = zones.filter((z) => z['dnsName'] === fqdn(dnsName));
    const { items, next } = page(zones, req);
    return json({ kind: 'dns#managedZonesListResponse', managedZones: items, ...(next ? { nextPageToken: next } : {}) });
  });

  router.add('GET', `${base}/:zone`, (_req, p) => json(loadZone(p['project']!, p['zone']!).zone));

  const updateZone = (req: ApiRequest, p: Record<string, string>, replace: boolean) => {
    const { path, zone } = loadZone(p['project']!, p['zone']!);
    const body = (req.body ?? {}) as JsonObject;
    if (body['dnsName'] !== undefined && fqdn(String(body['dnsName'])) !== zone['dnsName']) throw ApiError.compute(400, 'invalid', 'The dnsName of a managed zone cannot be changed.');
    if (body['visibility'] !== undefined && body['visibility'] !== zone['visibility']) throw ApiError.compute(400, 'invalid', 'The visibility of a managed zone cannot be changed.');
    const next: JsonObject = { ...zone };
    if (replace || body['description'] !== undefined) next['description'] = typeof body['description'] === 'string' ? body['description'] : '';
    if (replace || body['labels'] !== undefined) {
      if (body['labels'] && typeof body['labels'] === 'object') next['labels'] = body['labels'];
      else delete next['labels'];
    }
    const pvc = body['privateVisibilityConfig'] as JsonObject | undefined;
    if (pvc && zone['visibility'] === 'private') {
      next['privateVisibilityConfig'] = {
        kind: 'dns#managedZonePrivateVisibilityConfig',
        networks: ((pvc['networks'] as JsonObject[] | undefined) ?? []).map((n) => ({
          kind: 'dns#managedZonePrivateVisibilityConfigNetwork',
          networkUrl: networkUrl(p['project']!, String(n['networkUrl'] ?? '')),
        })),
      };
    }
    store.put(path, next);
    return json({
      kind: 'dns#operation',
      id: ctx.ids.numeric().slice(0, 10),
      startTime: at(),
      status: 'done',
      type: 'UPDATE',
      user: `emulator@${p['project']}.iam.gserviceaccount.com`,
      zoneContext: { oldValue: zone, newValue: next },
    });
  };
  router.add('PATCH', `${base}/:zone`, (req, p) => updateZone(req, p, false));
  router.add('PUT', `${base}/:zone`, (req, p) => updateZone(req, p, true));

  router.add('DELETE', `${base}/:zone`, (_req, p) => {
    const { path, zone } = loadZone(p['project']!, p['zone']!);
    const others = rrsetsOf(path).filter((r) => !(r['name'] === zone['dnsName'] && (r['type'] === 'SOA' || r['type'] === 'NS')));
    if (others.length > 0) {
      throw ApiError.compute(400, 'containerNotEmpty', `The resource named '${p['zone']}' cannot be deleted because it is not empty`);
    }
    for (const [k] of store.entries()) if (k.startsWith(`${path}/`)) store.delete(k);
    store.delete(path);
    // As recorded (gcloud and Config Connector both): 200 with an empty object.
    return json({});
  });

  // ---- resource record sets ----

  router.add('GET', `${base}/:zone/rrsets`, (req, p) => {
    const { path } = loadZone(p['project']!, p['zone']!);
    let sets = rrsetsOf(path);
    const name = req.query.get('name');
    const type = req.query.get('type');
    if (type && !name) throw ApiError.compute(400, 'invalid', "The 'type' parameter needs the 'name' parameter.");
    if (name) sets = sets.filter((r) => r['name'] === fqdn(name));
    if (type) sets = sets.filter((r) => r['type'] === type.toUpperCase());
    const { items, next } = page(sets, req);
    return json({ kind: 'dns#resourceRecordSetsListResponse', rrsets: items, ...(next ? { nextPageToken: next } : {}) });
  });

  router.add('POST', `${base}/:zone/rrsets`, (req, p) => {
    const { path, zone } = loadZone(p['project']!, p['zone']!);
    const rr = checkRrset(req.body, zone, 'entity.rrset');
    const existing = store.get<JsonObject>(rrsetPath(path, String(rr['name']), String(rr['type'])));
    if (existing) {
      throw ApiError.compute(409, 'alreadyExists', `The resource 'entity.rrset' named '${rr['name']} (${rr['type']})' already exists`);
    }
    applyChange(path, zone, [rr], [], false);
    return json(rr);
  });

  const loadRrset = (p: Record<string, string>) => {
    const { path, zone } = loadZone(p['project']!, p['zone']!);
    const rp = rrsetPath(path, p['name']!, p['type']!);
    const rr = store.get<JsonObject>(rp);
    if (!rr) throw ApiError.compute(404, 'notFound', `The 'parameters.name' resource named '${fqdn(p['name']!)} (${p['type']!.toUpperCase()})' does not exist.`);
    return { path, zone, rr };
  };

  router.add('GET', `${base}/:zone/rrsets/:name/:type`, (_req, p) => json(loadRrset(p).rr));

  router.add('PATCH', `${base}/:zone/rrsets/:name/:type`, (req, p) => {
    const { path, zone, rr } = loadRrset(p);
    const patch = (req.body ?? {}) as JsonObject;
    // A patch that sets one form of data (rrdatas or a routing policy) replaces the other.
    const keep = patch['routingPolicy'] !== undefined ? { routingPolicy: rr['routingPolicy'] } : patch['rrdatas'] !== undefined ? { rrdatas: rr['rrdatas'] } : { rrdatas: rr['rrdatas'], routingPolicy: rr['routingPolicy'] };
    const body = { name: rr['name'], type: rr['type'], ttl: rr['ttl'], ...keep, ...patch };
    const next = checkRrset(body, zone, 'entity.rrset');
    if (next['name'] !== rr['name'] || next['type'] !== rr['type']) throw ApiError.compute(400, 'invalid', 'The name and type of a record set cannot be changed.');
    applyChange(path, zone, [next], [rr], false);
    return json(next);
  });

  router.add('DELETE', `${base}/:zone/rrsets/:name/:type`, (_req, p) => {
    const { path, zone, rr } = loadRrset(p);
    applyChange(path, zone, [], [rr], false);
    return json({});
  });

  // ---- changes ----

  router.add('POST', `${base}/:zone/changes`, (req, p) => {
    const { path, zone } = loadZone(p['project']!, p['zone']!);
    const body = (req.body ?? {}) as JsonObject;
    const additions = ((body['additions'] as unknown[] | undefined) ?? []).map((r, i) => checkRrset(r, zone, `entity.change.additions[${i}]`));
    const deletions = ((body['deletions'] as unknown[] | undefined) ?? []).map((r, i) => checkRrset(r, zone, `entity.change.deletions[${i}]`));
    if (additions.length === 0 && deletions.length === 0) throw ApiError.compute(400, 'required', "The 'entity.change' resource must have additions or deletions.");
    return json(applyChange(path, zone, additions, deletions, true));
  });

  router.add('GET', `${base}/:zone/changes`, (req, p) => {
    const { path } = loadZone(p['project']!, p['zone']!);
    let changes = store.list<JsonObject>(`${path}/changes`).map(([, v]) => v).sort((a, b) => Number(a['id']) - Number(b['id']));
    if (req.query.get('sortOrder') === 'descending') changes = changes.reverse();
    const { items, next } = page(changes, req);
    return json({ kind: 'dns#changesListResponse', changes: items, ...(next ? { nextPageToken: next } : {}) });
  });

  router.add('GET', `${base}/:zone/changes/:change`, (_req, p) => {
    const { path } = loadZone(p['project']!, p['zone']!);
    const change = store.get<JsonObject>(changePath(path, p['change']!));
    if (!change) throw ApiError.compute(404, 'notFound', `The 'parameters.changeId' resource named '${p['change']}' does not exist.`);
    return json(change);
  });
}
