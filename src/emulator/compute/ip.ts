/** IPv4 arithmetic and the emulator's address allocator. */
import type { EmulatorContext } from '../core/context.js';
import type { JsonObject } from '../core/store.js';

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export interface Cidr {
  base: number;
  prefix: number;
  size: number;
}

export function parseCidr(cidr: string): Cidr | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const ip = ipToInt(m[1]!);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) return undefined;
  return { base: ip, prefix, size };
}

export function cidrOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

export function isIpv4(value: string): boolean {
  return ipToInt(value) !== undefined;
}

export function isIpv6(value: string): boolean {
  return /^[0-9a-fA-F:]+$/.test(value) && value.includes(':');
}

/** Every IP address held by a stored compute address or forwarding rule. */
export function usedIps(ctx: EmulatorContext): Set<string> {
  const used = new Set<string>();
  for (const [path, value] of ctx.store.entries()) {
    if (!/\/(addresses|forwardingRules)\//.test(path)) continue;
    const v = value as JsonObject;
    const ip = typeof v['address'] === 'string' ? v['address'] : v['IPAddress'];
    if (typeof ip === 'string') used.add(ip);
  }
  return used;
}

/**
 * A fresh external address: global ones from 34.64.0.0/10-ish space (34.x), regional ones from 35.x,
 * chosen deterministically from the emulator's id source and unique among stored ones.
 */
export function allocateExternal(ctx: EmulatorContext, global: boolean, reserved: Set<string> = new Set()): string {
  const used = usedIps(ctx);
  for (;;) {
    const r = ctx.ids.random();
    const second = global ? 96 + Math.floor(r * 64) : 184 + Math.floor(r * 64);
    const ip = `${global ? 34 : 35}.${second}.${Math.floor(ctx.ids.random() * 256)}.${1 + Math.floor(ctx.ids.random() * 253)}`;
    if (!used.has(ip) && !reserved.has(ip)) return ip;
  }
}

/** A fresh global external IPv6 address (a /64 from Google's 2600:1901::/48 space). */
export function allocateExternalV6(ctx: EmulatorContext): string {
  const used = usedIps(ctx);
  for (;;) {
    const h = Math.floor(ctx.ids.random() * 0xffff).toString(16);
    const ip = `2600:1901:0:${h}::`;
    if (!used.has(ip)) return ip;
  }
}

/** The first free host address of a subnet range (network, gateway .1 and broadcast are skipped). */
export function allocateInternal(ctx: EmulatorContext, cidr: string): string | undefined {
  const range = parseCidr(cidr);
  if (!range) return undefined;
  const used = usedIps(ctx);
  for (let i = 2; i < range.size - 1; i++) {
    const ip = intToIp(range.base + i);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

export function inCidr(ip: string, cidr: string): boolean {
  const n = ipToInt(ip);
  const range = parseCidr(cidr);
  return n !== undefined && range !== undefined && n >= range.base && n < range.base + range.size;
}
