/**
 * The emulator's one in-memory database: every API's resources, as JSON, keyed by resource path.
 *
 * Keys are resource paths without a leading slash and without the API version:
 *   projects/P/global/urlMaps/N, projects/P/regions/R/forwardingRules/N,
 *   projects/P/locations/R/services/N, projects/P/managedZones/Z, ...
 * A collection path is a key minus its last segment (`projects/P/global/urlMaps`).
 *
 * Contract:
 * - Values are stored as deep copies and returned as deep copies: callers can never mutate the
 *   store by accident; every write goes through `put`/`delete` and is seen by `onChange` listeners.
 * - `list(collection)` returns the direct children of a collection, sorted by key (Google lists
 *   in name order), as `[path, value]` pairs.
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

export class ResourceStore {
  private readonly data = new Map<string, Json>();
  private readonly listeners = new Set<ChangeListener>();

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
    this.data.set(key, copy(value));
    this.emit(key, copy(value));
  }

  /** Removes `path`; returns whether it existed. Listeners see `undefined`. */
  delete(path: string): boolean {
    const key = normalise(path);
    const existed = this.data.delete(key);
    if (existed) this.emit(key, undefined);
    return existed;
  }

  /** Direct children of a collection path, sorted by key. */
  list<T extends Json = JsonObject>(collectionPath: string): Array<[string, T]> {
    const prefix = normalise(collectionPath) + '/';
    const out: Array<[string, T]> = [];
    for (const [key, value] of this.data) {
      if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) {
        out.push([key, copy(value) as T]);
      }
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Every [path, value] pair (copies), sorted by path. */
  entries(): Array<[string, Json]> {
    return [...this.data.entries()]
      .map(([k, v]): [string, Json] => [k, copy(v)])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
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
