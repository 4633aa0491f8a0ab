/**
 * The few Reflect metadata functions @peculiar/x509's dependency injection (tsyringe) looks for.
 * Test-only: it lets the tests make certificates without another dependency.
 */
const store = new WeakMap<object, Map<string | symbol | undefined, Map<unknown, unknown>>>();
function table(target: object, property?: string | symbol): Map<unknown, unknown> {
  let byProperty = store.get(target);
  if (!byProperty) store.set(target, (byProperty = new Map()));
  let entries = byProperty.get(property);
  if (!entries) byProperty.set(property, (entries = new Map()));
  return entries;
}
const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  R.defineMetadata = (key: unknown, value: unknown, target: object, property?: string | symbol) => table(target, property).set(key, value);
  R.getOwnMetadata = (key: unknown, target: object, property?: string | symbol) => table(target, property).get(key);
  R.getMetadata = (key: unknown, target: object, property?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const value = table(t, property).get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  R.hasMetadata = (key: unknown, target: object, property?: string | symbol) => (R.getMetadata as (k: unknown, t: object, p?: string | symbol) => unknown)(key, target, property) !== undefined;
  R.metadata = (key: unknown, value: unknown) => (target: object, property?: string | symbol) => table(target, property).set(key, value);
}
export {};
