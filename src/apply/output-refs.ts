/**
 * Resolves `$output` placeholders (src/model/resource-model.ts OutputRef) in a desired body: each
 * becomes the named field of another resource as the API returns it (the IP of an address or a
 * forwarding rule, for DNS records). The referenced resource is one the step depends on, so it
 * exists by the time the step runs.
 */
import type { ObservedResource } from '../model/resource-model.js';
import { isOutputRef, outputValue } from '../model/resource-model.js';
import { cloudError } from '../cloud/normalise-error.js';

export function containsOutputRef(value: unknown): boolean {
  if (isOutputRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsOutputRef);
  if (value && typeof value === 'object') return Object.values(value).some(containsOutputRef);
  return false;
}

/** `kind:scope:name` back to a ref (src/plan/paths.ts). */
export { refOfId } from '../plan/paths.js';

/** A copy of `body` with every `$output` replaced; `lookup` reads the referenced resource. */
export async function resolveOutputRefs(
  body: Record<string, unknown>,
  lookup: (id: string) => Promise<ObservedResource | undefined>,
  operation: string,
): Promise<Record<string, unknown>> {
  const walk = async (value: unknown): Promise<unknown> => {
    if (isOutputRef(value)) {
      const { id, field } = value.$output;
      const observed = await lookup(id);
      const resolved = outputValue(observed?.body, field);
      if (resolved === undefined || resolved === null || resolved === '') {
        throw cloudError(operation, 'resourceNotReady', `${id} has no ${field} yet`, { status: 0 });
      }
      return resolved;
    }
    if (Array.isArray(value)) return Promise.all(value.map(walk));
    if (value && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await walk(v)] as const));
      return Object.fromEntries(entries);
    }
    return value;
  };
  return (await walk(body)) as Record<string, unknown>;
}
