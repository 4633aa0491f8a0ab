/**
 * `dnsRecordSet`: an A (or AAAA) record in a Cloud DNS managed zone for each of frontend.domains,
 * pointing at the load balancer's address(es) (a geo routing policy for cross-region internal),
 * and the CNAME record of each Certificate Manager DNS authorization, when the config names the
 * zone. Its data is an OutputRef (the address' IP, the authorization's CNAME target) until apply.
 *
 * Cloud DNS v1 ResourceRecordSets, by REST through the Cloud port. A record set is identified by
 * its managed zone, its DNS name (fully qualified, with the trailing dot) and its type; its zone
 * may live in another project. Its resource name is the DNS name for A and CNAME records and
 * `NAME/AAAA` for AAAA records (recordName), so a dual-stack domain's two record sets are two
 * resources; the body's `name` is always the DNS name.
 * Record sets carry no ownership mark: one is this load balancer's when every datum is an IP of a
 * resource the load balancer owns (src/plan/diff.ts).
 */
import { isInternalType } from '../spec/derive.js';
import { attr, block, expr, nested } from '../model/hcl.js';
import type { BlockItem, HclValue } from '../model/hcl.js';
import { isOutputRef, resourceId, type ObservedResource, type OutputRef, type PlanStep, type Scope } from '../model/resource-model.js';
import { num, str } from '../model/body.js';
import { authorizationRecordData } from './dns-authorization.js';
import { flag, gcloud, raw, shellQuote, type Word } from '../model/gcloud-words.js';
import type { GcloudScript, ResourceKindModule, ResourceRef } from './kind.js';
import type { Fail, ServiceCalls } from './service-calls.js';
import { regionOf } from '../model/resource-model.js';

/** TTL of the DNS records created for frontend.domains, in seconds. */
export const DNS_TTL = 300;

export interface RecordKey {
  zone: string;
  /** Fully qualified, with the trailing dot. */
  dnsName: string;
  type: string;
}

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** The resource name of a record set: its DNS name, with `/AAAA` for an AAAA record. */
export function recordName(dnsName: string, type: string): string {
  return type === 'AAAA' ? `${fqdn(dnsName)}/AAAA` : fqdn(dnsName);
}

/** A record set's resource name back to its DNS name and, for `NAME/AAAA`, its type. */
export function recordNameParts(name: string): { dnsName: string; type?: string } {
  const slash = name.lastIndexOf('/');
  return slash > 0 ? { dnsName: fqdn(name.slice(0, slash)), type: name.slice(slash + 1) } : { dnsName: fqdn(name) };
}

export function recordKey(ref: ResourceRef, fail: Fail, body?: Record<string, unknown>, operation = `dnsRecordSet ${ref.name}`): RecordKey {
  if (!ref.zone) throw fail(operation, 'invalid', 'a DNS record set needs its Cloud DNS managed zone');
  const parts = recordNameParts(ref.name);
  const dnsName = typeof body?.name === 'string' ? fqdn(body.name) : parts.dnsName;
  const type = (typeof body?.type === 'string' ? body.type : undefined) ?? parts.type ?? ref.recordType ?? 'A';
  return { zone: ref.zone, dnsName, type };
}

/** Whether a step's record set is in a zone of the load balancer's project. */
function inProject(step: PlanStep, project: string): boolean {
  return step.resource?.project === project;
}

/** An observed record set, named as recordName says; `zone` and `project` attached for deletes planned from it. */
export function observedRecord(scope: Scope, zone: string, project: string, body: Record<string, unknown>): ObservedResource & { zone: string; project: string } {
  const name = recordName(String(body.name), String(body.type ?? 'A'));
  return { id: resourceId('dnsRecordSet', scope, name), kind: 'dnsRecordSet', name, scope, body, zone, project };
}

/** The data (IPs) of a record set, plain or in a geo routing policy. */
export function recordData(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const push = (list: unknown) => {
    if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') out.push(v);
  };
  push(body.rrdatas);
  const geo = (body.routingPolicy as { geo?: { items?: unknown } } | undefined)?.geo?.items;
  if (Array.isArray(geo)) for (const item of geo) push((item as { rrdatas?: unknown }).rrdatas);
  return out;
}

function rrsetPath(project: string, zone: string, dnsName?: string, type?: string): string {
  const base = `projects/${encodeURIComponent(project)}/managedZones/${encodeURIComponent(zone)}/rrsets`;
  return dnsName ? `${base}/${encodeURIComponent(dnsName)}/${encodeURIComponent(type ?? 'A')}` : base;
}

/** The items of a geo routing policy (cross-region internal: one per region), or undefined for plain record data. */
function geoItems(body: Record<string, unknown>): Array<{ location: string; rrdatas: unknown[] }> | undefined {
  const items = (body.routingPolicy as { geo?: { items?: Array<{ location: string; rrdatas?: unknown[] }> } } | undefined)?.geo?.items;
  return items?.map((item) => ({ location: item.location, rrdatas: item.rrdatas ?? [] }));
}

/** One record datum as text for inside a double-quoted shell word: a literal, or the variable an OutputRef is read into. */
function recordValueInDoubleQuotes(s: GcloudScript, id: string, value: unknown): string {
  if (typeof value === 'string') {
    if (/["$`\\]/.test(value)) throw new Error(`${id}: record data ${value} cannot be written into a shell word`);
    return value;
  }
  if (isOutputRef(value)) return outputExpression(s, value.$output.id, value.$output.field).slice(1, -1);
  throw new Error(`${id}: unsupported record data`);
}

/** A shell expression for an OutputRef (the IP of an address or forwarding rule), read after creation: `"${VARIABLE}"`. */
function outputExpression(s: GcloudScript, id: string, field: string): string {
  const target = s.graph.resources.find((res) => res.id === id);
  if (!target) throw new Error(`a DNS record refers to ${id}, which is not in the plan`);
  if (target.kind === 'dnsAuthorization') {
    const location = regionOf(target.scope) ?? 'global';
    const command = `gcloud certificate-manager dns-authorizations describe ${shellQuote(target.name)} --location=${shellQuote(location)} --project=${shellQuote(target.project)} --format=${shellQuote(`value(${field})`)}`;
    return `"\${${s.variable(`output:${id}:${field}`, `cname_${target.name}`, `$(${command})`)}}"`;
  }
  const collection = target.kind === 'address' ? 'addresses' : target.kind === 'forwardingRule' ? 'forwarding-rules' : undefined;
  if (!collection) throw new Error(`a DNS record refers to ${id}, which has no IP address`);
  const apiField = target.kind === 'address' ? 'address' : field === 'address' ? 'IPAddress' : field;
  const command = [
    'gcloud',
    'compute',
    collection,
    'describe',
    shellQuote(target.name),
    target.scope === 'global' ? '--global' : `--region=${shellQuote(regionOf(target.scope) as string)}`,
    `--project=${shellQuote(target.project)}`,
    `--format=${shellQuote(`value(${apiField})`)}`,
  ].join(' ');
  const name = s.variable(`output:${id}:${apiField}`, `ip_${target.name}`, `$(${command})`);
  return `"\${${name}}"`;
}

async function write(calls: ServiceCalls, resource: Parameters<ResourceKindModule['gcloud']>[1], operation: string, method: 'POST' | 'PATCH'): Promise<void> {
  const body = await calls.resolve(resource.body, operation);
  const k = recordKey({ kind: resource.kind, scope: resource.scope, name: resource.name, zone: resource.zone }, calls.fail, body, operation);
  const path = method === 'POST' ? rrsetPath(resource.project, k.zone) : rrsetPath(resource.project, k.zone, k.dnsName, k.type);
  await calls.dns(method, path, operation, { ...body, name: k.dnsName, type: k.type });
}

export const dnsRecordSet = {
  kind: 'dnsRecordSet',
  words: 'DNS record set',
  scopes: { global: true, regional: false },

  build(g) {
    const { spec, shared } = g;
    if (!spec.dns) return;
    // The CNAME record each DNS authorization asks for (its target is Google's answer).
    for (const [domain, authorization] of shared.dnsAuthorizations) {
      const name = `_acme-challenge.${domain}.`;
      const data: OutputRef = { $output: { id: authorization.id, field: 'dnsResourceRecord.data' } };
      g.add('dnsRecordSet', 'global', name, { name, type: 'CNAME', ttl: DNS_TTL, rrdatas: [data] }, [authorization.id], `CNAME record of the DNS authorization of ${domain} in zone ${spec.dns.managedZone}`, {
        project: spec.dns.project ?? g.project,
        zone: spec.dns.managedZone,
      });
    }
    if (spec.frontend.domains.length === 0) return;
    const internal = isInternalType(spec.type);
    // One record set per address family: A for IPv4 frontends, AAAA for IPv6 ones (both when dual stack).
    const sources = g.frontends.map((f) => {
      const address = shared.addresses.get(f);
      const ref: OutputRef = address ? { $output: { id: address.id, field: 'address' } } : { $output: { id: shared.mainForwardingRules.get(f)!.id, field: 'IPAddress' } };
      const type = !internal && (f.ipVersion ?? spec.frontend.address.ipVersion) === 'IPV6' ? 'AAAA' : 'A';
      return { region: f.region, ref, id: ref.$output.id, type };
    });
    const ruleIds = shared.forwardingRules.map((r) => r.id);
    for (const type of ['A', 'AAAA'] as const) {
      const family = sources.filter((s) => s.type === type);
      if (family.length === 0) continue;
      for (const domain of spec.frontend.domains) {
        const dnsName = fqdn(domain);
        const body: Record<string, unknown> = { name: dnsName, type, ttl: DNS_TTL };
        if (family.length > 1) body.routingPolicy = { geo: { items: family.map((s) => ({ location: s.region, rrdatas: [s.ref] })) } };
        else body.rrdatas = family.map((s) => s.ref);
        g.add('dnsRecordSet', 'global', recordName(dnsName, type), body, [...family.map((s) => s.id), ...ruleIds], `${type} record for ${domain} in zone ${spec.dns.managedZone}`, {
          project: spec.dns.project ?? g.project,
          zone: spec.dns.managedZone,
        });
      }
    }
  },

  service: {
    async get(calls, ref, operation) {
      const k = recordKey(ref, calls.fail, undefined, operation);
      const project = ref.project ?? calls.project;
      const body = await calls.dns<Record<string, unknown>>('GET', rrsetPath(project, k.zone, k.dnsName, k.type), operation);
      return observedRecord(ref.scope, k.zone, project, body);
    },
    async list(calls, scope, operation, { zone }) {
      if (!zone) throw calls.fail(operation, 'invalid', 'listing DNS record sets needs a managed zone');
      const out: ObservedResource[] = [];
      let pageToken: string | undefined;
      do {
        const page = await calls.dns<{ rrsets?: Array<Record<string, unknown>>; nextPageToken?: string }>('GET', rrsetPath(calls.project, zone), operation, undefined, pageToken ? { pageToken } : undefined);
        for (const r of page.rrsets ?? []) out.push(observedRecord(scope, zone, calls.project, r));
        pageToken = page.nextPageToken || undefined;
      } while (pageToken);
      return out;
    },
    insert: (calls, resource, operation) => write(calls, resource, operation, 'POST'),
    update: (calls, resource, operation) => write(calls, resource, operation, 'PATCH'),
    async delete(calls, ref, operation) {
      const k = recordKey(ref, calls.fail, undefined, operation);
      await calls.dns('DELETE', rrsetPath(ref.project ?? calls.project, k.zone, k.dnsName, k.type), operation);
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    // A domain's own record carries its clients; a DNS authorization's CNAME (`_acme-challenge.`) does not.
    disruption: (step) =>
      step.action === 'delete' && !step.name.startsWith('_acme-challenge.') ? `${step.name} no longer resolves to the load balancer: its clients fail once their cached answer expires (the record's TTL)` : undefined,
    // A record carries no mark: one in the way is adopted when it already points where it should.
    decide(d) {
      const { body, ok } = d.resolveOutputs();
      if (!d.observed) return { action: 'create', changes: [], reason: 'does not exist' };
      const changes = d.compare(body, d.observed.body);
      if (!d.owned() && !(ok && changes.length === 0)) {
        d.notOwned();
        return undefined;
      }
      if (!ok) changes.push({ field: 'rrdatas', from: recordData(d.observed.body), to: d.resource.body.rrdatas ?? d.resource.body.routingPolicy });
      return changes.length === 0
        ? { action: 'noop', changes, reason: 'exists, points at the load balancer' }
        : { action: 'update', changes, reason: `differs: ${[...new Set(changes.map((c) => c.field))].join(', ')}` };
    },
  },
  // Records change through a change set, after a list of what the zone holds. Preflight checks the
  // load balancer's project only: for a zone elsewhere (or a delete step, which does not say where
  // its zone is) the first call says what is missing, rather than a check in the wrong project
  // blocking a plan that would work.
  access: {
    permissions: (verbs, step, project) => (inProject(step, project) ? ['dns.changes.create', 'dns.resourceRecordSets.list', ...verbs.map((v) => `dns.resourceRecordSets.${v}`)] : []),
    apis: (step, project) => (inProject(step, project) ? ['dns.googleapis.com'] : []),
  },
  ownership: {
    labels: false,
    description: false,
    pointsAt: recordData,
    unownedHint: 'the record points elsewhere: delete it in the managed zone, or remove dns from the config',
  },

  gcloud(s, r) {
    const b = r.body;
    if (!r.zone) throw new Error(`${r.id}: a DNS record set needs a managed zone`);
    const dnsName = str(b, 'name') ?? recordNameParts(r.name).dnsName;
    const flags: Word[] = [flag('zone', r.zone), flag('type', str(b, 'type') ?? 'A')];
    const ttl = num(b, 'ttl');
    if (ttl !== undefined) flags.push(flag('ttl', ttl));
    const geo = geoItems(b);
    if (geo) {
      // One double-quoted word: `REGION=IP,IP;REGION=IP` (the `;` must not reach the shell).
      const data = geo.map((item) => `${item.location}=${item.rrdatas.map((v) => recordValueInDoubleQuotes(s, r.id, v)).join(',')}`).join(';');
      flags.push(flag('routing-policy-type', 'GEO'), raw(`--routing-policy-data="${data}"`));
    } else {
      const values = (Array.isArray(b.rrdatas) ? b.rrdatas : []).map((v: unknown) => (typeof v === 'string' ? shellQuote(v) : `"${recordValueInDoubleQuotes(s, r.id, v)}"`));
      flags.push(raw(`--rrdatas=${values.join(',')}`));
    }
    s.command(r.project, { head: gcloud('dns', 'record-sets', 'create', dnsName), flags });
  },
  terraform: {
    resourceType: () => 'google_dns_record_set',
    convert(t, r) {
      const b = r.body;
      const rrdatas = (values: unknown): HclValue[] =>
        (Array.isArray(values) ? values : []).map((value: unknown) => {
          if (typeof value === 'string') return value;
          if (!isOutputRef(value)) throw new Error(`${r.id}: unsupported record data`);
          const target = t.addressOf(value.$output.id);
          if (!target) throw new Error(`${r.id}: refers to ${value.$output.id}, which is not in the plan`);
          t.referenced(value.$output.id);
          if (target.kind === 'dnsAuthorization') return authorizationRecordData(target.address);
          return expr(`${target.address}.${target.kind === 'address' ? 'address' : 'ip_address'}`);
        });
      const items: BlockItem[] = [...attr('name', str(b, 'name') ?? recordNameParts(r.name).dnsName)];
      if (r.project !== t.graph.project) items.push(...attr('project', r.project));
      items.push(...attr('managed_zone', r.zone), ...attr('type', str(b, 'type') ?? 'A'), ...attr('ttl', num(b, 'ttl')));
      const geo = geoItems(b);
      if (geo) items.push(nested(block('routing_policy', [], geo.map((item) => nested(block('geo', [], [...attr('location', item.location), ...attr('rrdatas', rrdatas(item.rrdatas))]))))));
      else items.push(...attr('rrdatas', rrdatas(b.rrdatas)));
      return items;
    },
  },
} satisfies ResourceKindModule;
