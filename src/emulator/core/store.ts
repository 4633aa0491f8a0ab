/**
 * The emulator's one in-memory database: every API's resources, as JSON, keyed by resource path.
 *
 * Keys are resource paths without a leading slash and without the API version:
 *   projects/P/global/urlMaps/N, projects/P/regions/R/forwardingRules/N,
 *   projects/P/locations/R/services/N, projects/P/managedZones/Z, ...
 * A collection path is a key minus its last segment (`projects/P/global/urlMaps`).
 *
 * Contract:
 * - Values are stored as deep-frozen copies. `get` and `list` return deep copies (theirs to change);
 *   `entries` and `children` return the stored values themselves, frozen, without copying (a scan
 *   over the whole store stays cheap as it grows): changing one throws. Every write goes through
 *   `put`/`delete` and is seen by `onChange` listeners.
 * - `list(collection)` returns the direct children of a collection, sorted by key (Google lists
 *   in name order), as `[path, value]` pairs; it reads an index by collection, not the whole store.
 * - `version` grows with every change: a value derived from the store can be kept until it moves.
 * - Listeners run synchronously after each change, in subscription order; a throwing listener does
 *   not stop the others or the write.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type ChangeListener = (path: string, value: Json | undefined) => void;

function normalise(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

function copy<T extends Json>(value: T): T {
  return structuredClone(value);
}

function deepFreeze<T extends Json>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function collectionOf(key: string): string {
  const i = key.lastIndexOf('/');
  return i < 0 ? '' : key.slice(0, i);
}

const byKey = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export class ResourceStore {
  private readonly data = new Map<string, Json>();
  private readonly collections = new Map<string, Set<string>>();
  private readonly listeners = new Set<ChangeListener>();
  private sortedEntries: Array<[string, Json]> | undefined;
  private changes = 0;

  /** Grows with every put and delete. */
  get version(): number {
    return this.changes;
  }

  /** A copy of the value at `path`, or undefined. */
  get<T extends Json = JsonObject>(path: string): T | undefined {
    const value = this.data.get(normalise(path));
    return value === undefined ? undefined : (copy(value) as T);
  }

  has(path: string): boolean {
    return this.data.has(normalise(path));
  }

  /** Stores a copy of `value` at `path` (creating or replacing) and notifies listeners. */
  put(path: string, value: Json): void {
    const key = normalise(path);
    const stored = deepFreeze(copy(value));
    if (!this.data.has(key)) {
      const collection = collectionOf(key);
      const keys = this.collections.get(collection) ?? new Set<string>();
      keys.add(key);
      this.collections.set(collection, keys);
    }
    this.data.set(key, stored);
    this.touched();
    this.emit(key, copy(value));
  }

  /** Removes `path`; returns whether it existed. Listeners see `undefined`. */
  delete(path: string): boolean {
    const key = normalise(path);
    const existed = this.data.delete(key);
    if (existed) {
      this.collections.get(collectionOf(key))?.delete(key);
      this.touched();
      this.emit(key, undefined);
    }
    return existed;
  }

  /** Direct children of a collection path (copies), sorted by key. */
  list<T extends Json = JsonObject>(collectionPath: string): Array<[string, T]> {
    return this.children<T>(collectionPath).map(([k, v]): [string, T] => [k, copy(v)]);
  }

  /** Direct children of a collection path, sorted by key: the stored values, frozen (not copies). */
  children<T extends Json = JsonObject>(collectionPath: string): Array<[string, T]> {
    const keys = this.collections.get(normalise(collectionPath));
    if (!keys) return [];
    return [...keys].map((k): [string, T] => [k, this.data.get(k) as T]).sort(byKey);
  }

  /** Every [path, value] pair, sorted by path: the stored values, frozen (not copies). */
  entries(): Array<[string, Json]> {
    this.sortedEntries ??= [...this.data.entries()].sort(byKey);
    return [...this.sortedEntries];
  }

  private readonly derivedValues = new Map<string, { version: number; value: unknown }>();

  /** A value computed from the store, kept until the store next changes (an index, a reverse lookup). */
  derived<T>(key: string, compute: () => T): T {
    const held = this.derivedValues.get(key);
    if (held && held.version === this.changes) return held.value as T;
    const value = compute();
    this.derivedValues.set(key, { version: this.changes, value });
    return value;
  }

  private touched(): void {
    this.changes++;
    this.sortedEntries = undefined;
  }

  /** Subscribes to every put/delete; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Removes everything. Listeners are told about each removed path. */
  reset(): void {
    const keys = [...this.data.keys()];
    this.data.clear();
    this.collections.clear();
    this.touched();
    for (const key of keys) this.emit(key, undefined);
  }

  get size(): number {
    return this.data.size;
  }

  private emit(path: string, value: Json | undefined): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(path, value);
      } catch {
        // A listener's failure is its own business; the write stands.
      }
    }
  }
}
