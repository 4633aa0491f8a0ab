/**
 * Deterministic names for every resource a load balancer needs, derived from the LB name.
 *
 * Contract: every name is a valid Compute Engine name (1-63 characters,
 * `^[a-z]([-a-z0-9]*[a-z0-9])?$`), and the same inputs always give the same name, so a re-run
 * finds what an earlier run created. A name that would be longer than 63 characters is cut and
 * given a suffix made from a hash of the whole untruncated name, so two long names that share a
 * prefix still differ.
 *
 * Pure: no I/O.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME_LENGTH = 63;
const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const HASH_LENGTH = 6;

export function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

/** A short, stable, lowercase base-36 digest of `text`. */
export function shortHash(text: string, length = HASH_LENGTH): string {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += ((digest[i] ?? 0) % 36).toString(36);
  return out;
}

/** Lowercases and turns anything outside `[a-z0-9-]` into `-`, collapsing repeats. */
function sanitize(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Joins parts with `-` into a valid name of at most `max` characters. Too long: the first
 * characters are kept and `-<hash of the full name>` appended.
 */
export function fitName(parts: readonly string[], max = MAX_NAME_LENGTH): string {
  let full = parts.map(sanitize).filter((p) => p.length > 0).join('-');
  if (!/^[a-z]/.test(full)) full = `r-${full}`;
  if (full.length <= max && isValidName(full)) return full;
  const hash = shortHash(full);
  const head = full.slice(0, max - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** What every name generated from `lbName` starts with (fitName keeps at least this much of its first part). */
export function namePrefix(lbName: string): string {
  return lbName.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 2).replace(/-+$/, '');
}

/**
 * The second name of a resource that is replaced without downtime (create the new one under
 * this name, repoint what uses it, delete the old one). The alternate of a name is stable, so
 * a resource alternates between two names across replacements.
 */
export function alternateName(name: string): string {
  return fitName([name, 'b']);
}

/** All names of one load balancer. Regions are Google region ids (`europe-west1`). */
export interface LbNames {
  address(region?: string): string;
  certificate(): string;
  /** Certificate Manager DNS authorization of a domain (the wildcard's base domain). */
  dnsAuthorization(domain: string): string;
  certificateMap(): string;
  /** Entry of the certificate map for a host name; `primary` for the one that serves every other name. */
  certificateMapEntry(hostname: string | 'primary'): string;
  securityPolicy(): string;
  sslPolicy(): string;
  trustConfig(): string;
  serverTlsPolicy(): string;
  neg(backend: string, region: string): string;
  backendService(backend: string): string;
  urlMap(): string;
  redirectUrlMap(): string;
  httpsProxy(): string;
  httpProxy(): string;
  httpsForwardingRule(region?: string): string;
  httpForwardingRule(region?: string): string;
  proxyOnlySubnet(region: string): string;
}

/**
 * The naming scheme. `region` on addresses and forwarding rules is given only where one LB has
 * several of them (cross-region internal: one per region); elsewhere the scope says the region.
 */
/** Names a config keeps where they are not the generated ones (Spec `names`, written by import). */
export interface NameOverrides {
  address?: string | undefined;
  certificate?: string | undefined;
  urlMap?: string | undefined;
  redirectUrlMap?: string | undefined;
  httpsProxy?: string | undefined;
  httpProxy?: string | undefined;
  httpsForwardingRule?: string | undefined;
  httpForwardingRule?: string | undefined;
  backendServices?: Record<string, string> | undefined;
  negs?: Record<string, Record<string, string>> | undefined;
}

export function lbNames(lbName: string, overrides: NameOverrides = {}): LbNames {
  const n = (...parts: Array<string | undefined>) => fitName([lbName, ...parts.filter((p): p is string => !!p)]);
  // A kept name stands for the one resource of its kind (the per-region ones of cross-region
  // internal load balancers always take generated names).
  const o = overrides;
  return {
    address: (region) => (region === undefined && o.address) || n('ip', region),
    certificate: () => o.certificate ?? n('cert'),
    dnsAuthorization: (domain) => n('dnsauth', domain.replace(/\.$/, '').replace(/\./g, '-')),
    certificateMap: () => n('certmap'),
    certificateMapEntry: (hostname) => n(hostname === 'primary' ? 'primary' : hostname.replace(/^\*\./, 'wildcard.').replace(/\.$/, '').replace(/\./g, '-')),
    securityPolicy: () => n('armor'),
    sslPolicy: () => n('ssl-policy'),
    trustConfig: () => n('trust-config'),
    serverTlsPolicy: () => n('mtls-policy'),
    neg: (backend, region) => o.negs?.[backend]?.[region] ?? n(backend, 'neg', region),
    backendService: (backend) => o.backendServices?.[backend] ?? n(backend, 'bs'),
    urlMap: () => o.urlMap ?? n('urlmap'),
    redirectUrlMap: () => o.redirectUrlMap ?? n('redirect-urlmap'),
    httpsProxy: () => o.httpsProxy ?? n('https-proxy'),
    httpProxy: () => o.httpProxy ?? n('http-proxy'),
    httpsForwardingRule: (region) => (region === undefined && o.httpsForwardingRule) || n('https-fr', region),
    httpForwardingRule: (region) => (region === undefined && o.httpForwardingRule) || n('http-fr', region),
    proxyOnlySubnet: (region) => n('proxy-only', region),
  };
}
