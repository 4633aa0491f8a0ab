/**
 * Deterministic id source: the same randomSeed hands out the same sequence of ids, so runs of the
 * emulator (and tests) are reproducible. Ids are unique within one emulator's lifetime.
 */

export function seededRandom(seed: number | string): () => number {
  let h = 1779033703;
  const s = String(seed);
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface IdSource {
  /** A new unique decimal id (as Google's 19-digit resource ids), deterministic per randomSeed. */
  numeric(): string;
  /** A new unique hex/uuid-like token (operation names, etags). */
  token(prefix?: string): string;
  uuid(): string;
  /** Deterministic 0..1 random number. */
  random(): number;
}

export function createIdSource(seed: number): IdSource {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const digits = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += Math.floor(random() * 10).toString();
    return out;
  };
  const hex = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  const unique = (make: () => string): string => {
    for (;;) {
      const v = make();
      if (!seen.has(v)) {
        seen.add(v);
        return v;
      }
    }
  };
  return {
    numeric: () => unique(() => String(1 + Math.floor(random() * 9)) + digits(18)),
    token: (prefix = '') => unique(() => prefix + hex(16)),
    uuid: () =>
      unique(() => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`),
    random,
  };
}
