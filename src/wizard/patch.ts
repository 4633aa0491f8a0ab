/** Reading and writing dotted keys (`frontend.address.mode`) of a SpecInputPatch. Pure. */

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getIn(value: unknown, key: string): unknown {
  let node = value;
  for (const part of key.split('.')) node = isObject(node) ? node[part] : undefined;
  return node;
}

/** Sets a dotted key, creating the objects on the way. */
export function setIn(value: Obj, key: string, to: unknown): void {
  const parts = key.split('.');
  let node = value;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Obj;
  }
  node[parts.at(-1)!] = to;
}

/** Deletes a dotted key; then removes the objects it leaves empty. */
export function deleteIn(value: Obj, key: string): void {
  const parts = key.split('.');
  const chain: Obj[] = [value];
  for (const part of parts.slice(0, -1)) {
    const next = chain.at(-1)![part];
    if (!isObject(next)) return;
    chain.push(next);
  }
  delete chain.at(-1)![parts.at(-1)!];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length > 0) break;
    delete chain[i - 1]![parts[i - 1]!];
  }
}

/**
 * A copy of a patch whose object keys follow the order of `keyOrder` (dotted keys, `[]` for array
 * elements, as in SPEC_FIELDS), so the same answers always give the same file whatever order they
 * were given in. Keys not listed keep their relative order, after the listed ones.
 */
export function orderKeys<T>(value: T, keyOrder: readonly string[], path = ''): T {
  if (Array.isArray(value)) return value.map((item) => orderKeys(item, keyOrder, `${path}[]`)) as T;
  if (!isObject(value)) return value;
  const rank = (key: string) => {
    const i = keyOrder.indexOf(path ? `${path}.${key}` : key);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const entries = Object.entries(value).map(([key, v], i) => ({ key, v, i, rank: rank(key) }));
  entries.sort((a, b) => a.rank - b.rank || a.i - b.i);
  return Object.fromEntries(entries.map(({ key, v }) => [key, orderKeys(v, keyOrder, path ? `${path}.${key}` : key)])) as T;
}
