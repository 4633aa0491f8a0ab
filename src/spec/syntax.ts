/**
 * Syntax checks of single values: domains, URL map hosts and paths, CIDR ranges, URL masks, and the
 * names of serverless targets. Each returns a reason (a sentence fragment) or undefined when valid.
 * Pure.
 */
import { isIP, isIPv4 } from 'node:net';
import type { TargetKind } from './derive.js';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function hostNameReason(name: string): string | undefined {
  if (name.length > 253) return 'is longer than 253 characters';
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return 'has an empty label (two dots in a row, or a dot at the start or end)';
    if (label.length > 63) return `has a label longer than 63 characters`;
    if (!LABEL.test(label)) return `has an invalid label "${label}" (letters, digits and hyphens; no hyphen first or last)`;
  }
  return undefined;
}

/**
 * A domain the LB serves (frontend.domains, certificate domains): a lowercase fully qualified host
 * name of at least two labels, no port, no trailing dot; `*.` allowed as the first label.
 */
export function domainReason(domain: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) return 'must be a host name, not a URL (no scheme)';
  if (domain !== domain.toLowerCase()) return 'must be lowercase';
  if (domain.endsWith('.')) return 'must not end with a dot';
  if (domain.includes(':')) return 'must not have a port';
  if (domain.includes('/')) return 'must not have a path';
  // A colon is refused above, so only an IPv4 address is left to refuse (isIPv4 spares the IPv6 check).
  if (isIPv4(domain)) return 'must be a host name, not an IP address';
  const rest = domain.startsWith('*.') ? domain.slice(2) : domain;
  if (rest.includes('*')) return 'may hold "*" only as the whole first label ("*.example.com")';
  const reason = hostNameReason(rest);
  if (reason) return reason;
  if (!domain.startsWith('*.') && !rest.includes('.')) return 'must be a fully qualified name such as app.example.com';
  if (/^\d+$/.test(rest.split('.').at(-1) ?? '')) return 'must end with a top-level domain, not a number';
  return undefined;
}

/**
 * A URL map host rule host: `*` alone, or a host name with an optional `:port`; `*` only as the first
 * character and followed by `-` or `.`.
 */
export function hostReason(host: string): string | undefined {
  if (host === '*') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return 'must be a host name, not a URL (no scheme)';
  if (host !== host.toLowerCase()) return 'must be lowercase';
  let name = host;
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    const port = host.slice(colon + 1);
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return 'has an invalid port (host:PORT, 1-65535)';
    name = host.slice(0, colon);
  }
  if (name.includes('/')) return 'must not have a path (put paths in path rules)';
  if (name.endsWith('.')) return 'must not end with a dot';
  if (name.startsWith('*')) {
    if (name.length < 3 || (name[1] !== '.' && name[1] !== '-')) return '"*" must be followed by "." or "-" ("*.example.com", "*-api.example.com")';
    name = 'x' + name.slice(1);
  }
  if (name.includes('*')) return 'may hold "*" only as its first character';
  return hostNameReason(name);
}

/** A URL map path rule path: starts with `/`; `*` only at the end right after `/`; no `?` or `#`. */
export function pathReason(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (path.length > 1024) return 'is longer than 1024 characters';
  if (path.includes('?') || path.includes('#')) return 'must not contain "?" or "#"';
  if (/\s/.test(path)) return 'must not contain spaces';
  const star = path.indexOf('*');
  if (star >= 0 && (star !== path.length - 1 || path[star - 1] !== '/')) return 'may hold "*" only at the end, right after "/" ("/static/*")';
  return undefined;
}

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

/** Parses an IPv4 CIDR; returns a reason when it is not one, or has host bits set. */
export function parseCidr(value: string): { cidr: Cidr } | { reason: string } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return { reason: 'must be an IPv4 CIDR range such as 10.129.0.0/23' };
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return { reason: 'has an octet above 255' };
  const prefix = Number(match[5]);
  if (prefix > 32) return { reason: 'has a prefix length above 32' };
  const address = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const base = (address & mask) >>> 0;
  if (base !== address) return { reason: `has host bits set: the range is ${formatIpv4(base)}/${prefix}` };
  return { cidr: { base, prefix } };
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/** A Cloud Armor source range: `*`, or an IPv4/IPv6 address with an optional prefix length. */
export function srcIpRangeReason(range: string): string | undefined {
  if (range === '*') return undefined;
  const [address = '', prefix, extra] = range.split('/');
  if (extra !== undefined) return 'must be an IP address or CIDR range';
  const version = isIP(address);
  if (version === 0) return 'must be an IP address or CIDR range (or "*" for every address)';
  if (prefix !== undefined) {
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (version === 4 ? 32 : 128)) return 'has an invalid prefix length';
  }
  return undefined;
}

/** The placeholders each target kind's URL mask may use, and which of them it needs. */
export const MASK_PLACEHOLDERS: Record<Exclude<TargetKind, 'apiGateway'>, { allowed: string[]; needsOneOf: string[] }> = {
  cloudRun: { allowed: ['<service>', '<tag>'], needsOneOf: ['<service>'] },
  cloudFunction: { allowed: ['<function>'], needsOneOf: ['<function>'] },
  appEngine: { allowed: ['<service>', '<version>'], needsOneOf: ['<service>', '<version>'] },
};

/**
 * A serverless NEG URL mask: no scheme, no query or fragment; a `/` starts the path; the host part
 * (possibly empty) is a lowercase host name around the placeholders; only the kind's placeholders,
 * each at most once, and at least one of the ones it needs.
 */
export function urlMaskReasons(mask: string, kind: Exclude<TargetKind, 'apiGateway'>): string[] {
  const reasons: string[] = [];
  const rules = MASK_PLACEHOLDERS[kind];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(mask) || mask.includes('://')) reasons.push('must not have a scheme (write "<service>.example.com", not "https://...")');
  if (/[\s?#]/.test(mask)) reasons.push('must not contain spaces, "?" or "#"');
  const placeholders = mask.match(/<[^<>]*>/g) ?? [];
  const seen = new Set<string>();
  for (const placeholder of placeholders) {
    if (!rules.allowed.includes(placeholder)) reasons.push(`uses ${placeholder}, which a ${kind} mask cannot (allowed: ${rules.allowed.join(', ')})`);
    else if (seen.has(placeholder)) reasons.push(`uses ${placeholder} more than once`);
    seen.add(placeholder);
  }
  if (!rules.needsOneOf.some((p) => seen.has(p))) reasons.push(`needs ${rules.needsOneOf.join(' or ')}`);
  const bare = mask.replace(/<[^<>]*>/g, 'x');
  if (/[<>]/.test(bare)) reasons.push('has an unmatched "<" or ">"');
  const slash = bare.indexOf('/');
  const host = slash < 0 ? bare : bare.slice(0, slash);
  const path = slash < 0 ? '' : bare.slice(slash);
  if (host !== '' && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(host)) reasons.push('has an invalid host part (lowercase letters, digits, "-" and "." around the placeholders)');
  if (host.includes('..')) reasons.push('has an empty host label');
  if (path !== '' && !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(path)) reasons.push('has invalid characters in its path part');
  if (host === '' && path === '') reasons.push('is empty');
  return reasons;
}

/** Cloud Functions (1st gen) function names. */
export function functionNameReason(name: string): string | undefined {
  return /^[A-Za-z]([-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$/.test(name)
    ? undefined
    : 'must be 1-63 letters, digits, hyphens or underscores, starting with a letter and not ending with "-" or "_"';
}

/** App Engine service and version ids. */
export function appEngineIdReason(id: string): string | undefined {
  if (id.startsWith('ah-')) return 'must not start with "ah-" (reserved)';
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(id)
    ? undefined
    : 'must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen';
}

/** Lowercase ids that start with a letter: API Gateway gateways, Cloud Run tags, Certificate Manager names, DNS zones. */
export function lowerIdReason(id: string, max = 63): string | undefined {
  if (id.length > max) return `must be at most ${max} characters`;
  return /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(id)
    ? undefined
    : 'must start with a lowercase letter, then lowercase letters, digits or hyphens, and not end with a hyphen';
}

/** Does a certificate name (SAN dNSName) cover a domain? RFC 6125: `*` is the whole left-most label and matches one label. */
export function certificateNameCovers(certName: string, domain: string): boolean {
  const name = certName.toLowerCase();
  const host = domain.toLowerCase();
  if (name === host) return true;
  if (!name.startsWith('*.') || host.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === name.slice(2) && name.slice(2).includes('.');
}
