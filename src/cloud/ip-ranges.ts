/**
 * IPv4 ranges of a VPC network's subnets: whether two overlap (Google refuses a subnet whose range
 * overlaps another subnet of the same network, in any region), and free ranges to propose instead.
 * Addresses are read with node:net (BlockList, isIPv4); nothing is parsed by hand beyond `a/n`.
 * Pure: no I/O.
 */
import { BlockList, isIPv4 } from 'node:net';

interface Cidr {
  address: string;
  prefix: number;
}

function parseCidr(range: string): Cidr | undefined {
  const [address, bits] = range.split('/');
  const prefix = Number(bits);
  if (!address || !isIPv4(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { address, prefix };
}

function contains(outer: Cidr, address: string): boolean {
  const list = new BlockList();
  list.addSubnet(outer.address, outer.prefix, 'ipv4');
  return list.check(address, 'ipv4');
}

/** Whether two IPv4 CIDR ranges share an address (one holds the other's first address). Unparseable: false. */
export function rangesOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return contains(x, y.address) || contains(y, x.address);
}

function toNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * `count` ranges of `/prefix` inside `within` (default 10.0.0.0/8, from 10.129.0.0 on: above the
 * auto-mode subnets' first block) that overlap none of `taken` nor each other.
 */
export function freeRanges(taken: readonly string[], count: number, prefix = 23, within = '10.0.0.0/8', from = '10.129.0.0'): string[] {
  const outer = parseCidr(within);
  if (!outer) return [];
  const size = 2 ** (32 - prefix);
  const end = toNumber(outer.address) + 2 ** (32 - outer.prefix);
  const out: string[] = [];
  for (let n = Math.max(toNumber(from), toNumber(outer.address)); n + size <= end && out.length < count; n += size) {
    const candidate = `${toAddress(n)}/${prefix}`;
    if (![...taken, ...out].some((t) => rangesOverlap(candidate, t))) out.push(candidate);
  }
  return out;
}
