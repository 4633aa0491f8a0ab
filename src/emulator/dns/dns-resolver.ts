/**
 * Name resolution over the emulator's Cloud DNS zones, as an authoritative server holding every
 * zone would answer (and as Google's CA sees public DNS when it validates a managed certificate).
 *
 * Contract:
 * - The zone for a name is the zone whose DNS name is the longest suffix of it. Private zones take
 *   part only when `includePrivate` is set, and then win over a public zone of the same DNS name
 *   (a client inside an authorized VPC network sees the private zone).
 * - No zone for the name: REFUSED (not authoritative). Name with records of the type: NOERROR with
 *   them. Name with a CNAME (and the question is not CNAME): the CNAME, then the chain followed
 *   through every zone held (at most 8 steps; a loop or a target outside the zones ends the chain).
 * - Name that exists (records of another type, or names below it) but has none of the type:
 *   NOERROR with no answer and the zone's SOA in authority. Name that does not exist: NXDOMAIN
 *   with the SOA. A wildcard record (`*.zone.`) answers names that do not exist below it.
 * Pure: no I/O.
 */

export interface RecordSet {
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}

export interface ZoneData {
  /** Zone name (the managed zone's resource name), for diagnostics. */
  zone: string;
  /** Fully qualified, lower case, with trailing dot. */
  dnsName: string;
  visibility: 'public' | 'private';
  rrsets: RecordSet[];
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED';

export interface Resolution {
  rcode: Rcode;
  /** Whether a zone held the (first) name: the answer is authoritative. */
  authoritative: boolean;
  answers: RecordSet[];
  authority: RecordSet[];
}

export interface ResolveOptions {
  includePrivate?: boolean;
}

const MAX_CNAME_CHAIN = 8;

/** Lower case, with exactly one trailing dot. */
export function fqdn(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

function inZone(name: string, dnsName: string): boolean {
  return dnsName === '.' || name === dnsName || name.endsWith(`.${dnsName}`);
}

export function findZone(zones: ZoneData[], name: string, options: ResolveOptions = {}): ZoneData | undefined {
  const n = fqdn(name);
  let best: ZoneData | undefined;
  for (const z of zones) {
    if (z.visibility === 'private' && !options.includePrivate) continue;
    if (!inZone(n, z.dnsName)) continue;
    if (
      !best ||
      z.dnsName.length > best.dnsName.length ||
      (z.dnsName.length === best.dnsName.length && z.visibility === 'private' && best.visibility === 'public')
    ) {
      best = z;
    }
  }
  return best;
}

function lookupInZone(zone: ZoneData, name: string, type: string): { sets: RecordSet[]; exists: boolean } {
  const exact = zone.rrsets.filter((r) => fqdn(r.name) === name);
  if (exact.length > 0) return { sets: exact.filter((r) => r.type === type || r.type === 'CNAME'), exists: true };
  // Empty non-terminal: a name with records below it exists, with no records of its own.
  if (zone.rrsets.some((r) => fqdn(r.name).endsWith(`.${name}`))) return { sets: [], exists: true };
  // Wildcard at the closest encloser.
  let parent = name;
  while (parent !== zone.dnsName && parent.includes('.')) {
    parent = parent.slice(parent.indexOf('.') + 1) || '.';
    const wild = zone.rrsets.filter((r) => fqdn(r.name) === `*.${parent}`);
    if (wild.length > 0) {
      const sets = wild
        .filter((r) => r.type === type || r.type === 'CNAME')
        .map((r) => ({ ...r, name }));
      return { sets, exists: true };
    }
    if (zone.rrsets.some((r) => fqdn(r.name) === parent)) break;
  }
  return { sets: [], exists: false };
}

function soaOf(zone: ZoneData): RecordSet[] {
  return zone.rrsets.filter((r) => r.type === 'SOA' && fqdn(r.name) === zone.dnsName);
}

export function resolveName(zones: ZoneData[], qname: string, qtype: string, options: ResolveOptions = {}): Resolution {
  let name = fqdn(qname);
  const type = qtype.toUpperCase();
  const answers: RecordSet[] = [];
  const seen = new Set<string>();
  let first = true;
  for (let step = 0; step <= MAX_CNAME_CHAIN; step++) {
    const zone = findZone(zones, name, options);
    if (!zone) {
      return first
        ? { rcode: 'REFUSED', authoritative: false, answers: [], authority: [] }
        : { rcode: 'NOERROR', authoritative: true, answers, authority: [] };
    }
    const { sets, exists } = lookupInZone(zone, name, type);
    if (!exists) {
      return { rcode: 'NXDOMAIN', authoritative: true, answers, authority: soaOf(zone) };
    }
    const direct = sets.filter((r) => r.type === type);
    if (direct.length > 0) return { rcode: 'NOERROR', authoritative: true, answers: [...answers, ...direct], authority: [] };
    const cname = sets.find((r) => r.type === 'CNAME');
    if (!cname || type === 'CNAME') {
      return { rcode: 'NOERROR', authoritative: true, answers, authority: answers.length ? [] : soaOf(zone) };
    }
    answers.push(cname);
    seen.add(name);
    const target = fqdn(cname.rrdatas[0] ?? '');
    if (seen.has(target)) break;
    name = target;
    first = false;
  }
  return { rcode: 'NOERROR', authoritative: true, answers, authority: [] };
}

/** The addresses a name resolves to (following CNAMEs), or undefined when the chain ends outside the zones or fails. */
export function resolveAddresses(zones: ZoneData[], name: string, type: 'A' | 'AAAA', options: ResolveOptions = {}): string[] | undefined {
  const res = resolveName(zones, name, type, options);
  if (res.rcode === 'REFUSED') return undefined;
  const addresses = res.answers.filter((r) => r.type === type).flatMap((r) => r.rrdatas);
  const last = res.answers.at(-1);
  // A CNAME chain that leaves the zones (last answer is a CNAME) resolves to nothing we can see.
  if (last && last.type === 'CNAME' && addresses.length === 0) {
    const target = fqdn(last.rrdatas[0] ?? '');
    if (!findZone(zones, target, options)) return undefined;
  }
  return addresses;
}
