/**
 * The dns check: every domain resolves to the load balancer, as a client would find it.
 *
 * Per domain: the CNAME chain is followed (at most MAX_CNAME_STEPS), then its A and AAAA answers
 * are compared with the load balancer's addresses. A domain passes when it has at least one
 * address of the load balancer's family and every A and AAAA address it resolves to is one of the
 * load balancer's. Problems reported: no record, a record pointing elsewhere, a stale AAAA (IPv6
 * clients go elsewhere), a CNAME chain that ends somewhere else, a resolver that cannot answer.
 * `records` lists the exact records to create for the domains that fail.
 */
import { isIP } from 'node:net';
import type { DnsResolver } from './network.js';
import { fromItems, skipped, type CheckItem, type CheckResult } from './report.js';

export const MAX_CNAME_STEPS = 8;
/** The TTL of the records verify suggests (apply's records use the same). */
export const SUGGESTED_TTL = 300;

export interface DnsCheckInput {
  domains: readonly string[];
  /** The load balancer's addresses (every forwarding rule's IP). */
  addresses: readonly string[];
  /** The Cloud DNS zone apply keeps the records in, if any. */
  dnsZone?: { zone: string; project: string };
}

export interface DomainResolution {
  domain: string;
  ok: boolean;
  /** CNAME targets, in order. */
  chain: string[];
  a: string[];
  aaaa: string[];
  problem?: string;
}

async function followCnames(resolver: DnsResolver, domain: string): Promise<string[]> {
  const chain: string[] = [];
  let name = domain;
  for (let i = 0; i < MAX_CNAME_STEPS; i++) {
    const answer = await resolver.query(name, 'CNAME');
    const next = answer.values[0];
    if (answer.rcode !== 'NOERROR' || !next || next === name || chain.includes(next)) break;
    chain.push(next);
    name = next;
  }
  return chain;
}

/** Resolves one domain and judges it against the load balancer's addresses. */
export async function resolveDomain(resolver: DnsResolver, domain: string, addresses: readonly string[]): Promise<DomainResolution> {
  const [chain, a, aaaa] = await Promise.all([followCnames(resolver, domain), resolver.query(domain, 'A'), resolver.query(domain, 'AAAA')]);
  const v4 = addresses.filter((x) => isIP(x) === 4);
  const v6 = addresses.filter((x) => isIP(x) === 6);
  const out: DomainResolution = { domain, ok: false, chain, a: a.values, aaaa: aaaa.values };
  const via = chain.length > 0 ? ` (CNAME ${[domain, ...chain].join(' -> ')})` : '';
  const broken = [a, aaaa].find((x) => x.rcode !== 'NOERROR' && x.rcode !== 'NXDOMAIN');
  if (broken) {
    out.problem = `${resolver.description} could not answer (${broken.rcode}${broken.message && broken.message !== broken.rcode ? `: ${broken.message}` : ''})`;
    return out;
  }
  if (a.rcode === 'NXDOMAIN' && aaaa.rcode === 'NXDOMAIN' && chain.length === 0) {
    out.problem = 'does not exist (NXDOMAIN): no record';
    return out;
  }
  const strangers4 = a.values.filter((x) => !addresses.includes(x));
  const strangers6 = aaaa.values.filter((x) => !addresses.includes(x));
  if (chain.length > 0 && a.values.length + aaaa.values.length > 0 && strangers4.length + strangers6.length === a.values.length + aaaa.values.length) {
    out.problem = `CNAME chain ${[domain, ...chain].join(' -> ')} ends at ${[...a.values, ...aaaa.values].join(', ')}, not at the load balancer (${addresses.join(', ')})`;
    return out;
  }
  if (strangers4.length > 0) {
    out.problem = `A ${a.values.join(', ')}${via} points elsewhere: ${strangers4.join(', ')} is not the load balancer (${addresses.join(', ')})`;
    return out;
  }
  if (strangers6.length > 0) {
    out.problem =
      v6.length === 0
        ? `stale AAAA ${strangers6.join(', ')}${via}: the load balancer has no IPv6 address, so IPv6 clients go elsewhere`
        : `AAAA ${aaaa.values.join(', ')}${via} points elsewhere: ${strangers6.join(', ')} is not the load balancer`;
    return out;
  }
  const mine4 = a.values.length > 0;
  const mine6 = aaaa.values.length > 0;
  if ((v4.length > 0 && !mine4 && !(v6.length > 0 && mine6)) || (v4.length === 0 && v6.length > 0 && !mine6)) {
    const type = v4.length > 0 ? 'A' : 'AAAA';
    out.problem = chain.length > 0 ? `CNAME chain ${[domain, ...chain].join(' -> ')} ends without an ${type} record` : `no ${type} record`;
    return out;
  }
  out.ok = true;
  return out;
}

/** The zone-file lines that point `domain` at the load balancer. */
export function recordsFor(domain: string, addresses: readonly string[]): string[] {
  const name = domain.endsWith('.') ? domain : `${domain}.`;
  return addresses.map((ip) => `${name} ${SUGGESTED_TTL} IN ${isIP(ip) === 6 ? 'AAAA' : 'A'} ${ip}`);
}

function describeOk(r: DomainResolution): string {
  const parts = [...(r.a.length ? [`A ${r.a.join(', ')}`] : []), ...(r.aaaa.length ? [`AAAA ${r.aaaa.join(', ')}`] : [])];
  return `${parts.join('; ')}${r.chain.length ? ` via CNAME ${r.chain.join(' -> ')}` : ''}: the load balancer`;
}

/** Runs the dns check once. */
export async function checkDns(input: DnsCheckInput, resolver: DnsResolver): Promise<{ result: CheckResult; resolutions: DomainResolution[] }> {
  if (input.domains.length === 0) {
    return {
      result: skipped('dns', `no domains configured (frontend.domains): clients use the address ${input.addresses.join(', ') || '(none yet)'} directly`),
      resolutions: [],
    };
  }
  const resolutions = await Promise.all(input.domains.map((d) => resolveDomain(resolver, d, input.addresses)));
  const records: string[] = [];
  const items: CheckItem[] = resolutions.map((r) => {
    if (r.ok) return { name: r.domain, ok: true, detail: describeOk(r) };
    const lines = recordsFor(r.domain, input.addresses);
    records.push(...lines);
    const extra: string[] = [];
    if (r.chain.length > 0) extra.push(`remove the CNAME record of ${r.domain} (a name with a CNAME can hold no other record)`);
    if (r.aaaa.some((x) => !input.addresses.includes(x))) extra.push(`delete the AAAA record${r.aaaa.length > 1 ? 's' : ''} ${r.aaaa.join(', ')}`);
    if (r.a.some((x) => !input.addresses.includes(x))) extra.push(`replace the A record${r.a.length > 1 ? 's' : ''} ${r.a.join(', ')}`);
    const create = `${extra.length ? `${extra.join('; ')}; then ` : ''}create: ${lines.join(' | ')}`;
    return { name: r.domain, ok: false, detail: r.problem ?? 'does not resolve to the load balancer', hint: create };
  });
  const zone = input.dnsZone;
  const hint = zone
    ? `apply keeps these records in Cloud DNS zone ${zone.zone} (project ${zone.project}): a missing one comes back with \`serverless-lb apply\`; one that points elsewhere was changed outside serverless-lb: fix it (gcloud dns record-sets update NAME --type A --rrdatas ADDRESS --zone ${zone.zone} --project ${zone.project}) or delete it and re-run apply. If the records are right in the zone but do not resolve, the zone is not delegated: set your registrar's NS records to the zone's name servers (gcloud dns managed-zones describe ${zone.zone} --project ${zone.project}). Changes take up to the old records' TTL to propagate.`
    : `create these records at your DNS provider (or name a Cloud DNS zone as dns.managedZone and re-run apply): ${records.join(' | ')}. Changes take up to the old records' TTL to propagate; re-run with --wait 10m to wait for them.`;
  const result = fromItems('dns', items, `${input.domains.length === 1 ? input.domains[0] : `all ${input.domains.length} domains`} resolve${input.domains.length === 1 ? 's' : ''} to the load balancer (${input.addresses.join(', ')}) through ${resolver.description}`, {
    hint,
    records,
  });
  return { result, resolutions };
}
