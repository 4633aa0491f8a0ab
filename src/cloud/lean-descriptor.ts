/**
 * Compute clients built on only the part of the API descriptor they use.
 *
 * Every `@google-cloud/compute` client loads the same 11.9 MB descriptor (v1, v1beta and v1small:
 * 2,216 messages and services in v1 alone) into protobufjs with `Root.fromJSON`: about 0.45 s of CPU per
 * process, most of a command's start-up (notes/google-sdk-facts.md, "Start-up cost"). A command uses
 * a few services and the messages their methods reach. `leanGax(gax, services)` returns the gax module a
 * client is constructed with (the SDK clients' documented second constructor argument) whose
 * `GrpcClient.loadProtoJSON` keeps only those services of one API version, the messages their methods
 * reach (fields, map values and nested types, transitively), and the descriptor's small non-compute
 * parts (google.api, google.protobuf and the operation annotations). The wire is unchanged: the same
 * protobufjs types, options and HTTP rules encode and decode the same requests.
 *
 * Every client handed the same list shares one protobufjs root, built once per process (as the SDK's
 * own clients share the root of the full descriptor): messages several services reach (Operation,
 * the resources themselves) are built, and their encoders generated, once.
 *
 * Contract: `pruneDescriptor(json, services)` never mutates `json`; it returns the descriptor
 * untouched when none of the services is in it (a later SDK layout), so the client still works, just
 * as slowly as before.
 */
import { createRequire } from 'node:module';

type JsonNamespace = { nested?: Record<string, JsonNode>; options?: unknown };
type JsonNode = JsonNamespace & {
  fields?: Record<string, { type: string; keyType?: string }>;
  methods?: Record<string, { requestType: string; responseType: string }>;
  values?: unknown;
};

const COMPUTE_PATH = ['google', 'cloud', 'compute', 'v1'];

/** The Compute v1 namespace node of a descriptor (v1beta too: same layout under `v1beta`). */
function computeNamespace(json: JsonNamespace, version: string): JsonNode | undefined {
  let node: JsonNode | undefined = json as JsonNode;
  for (const name of [...COMPUTE_PATH.slice(0, 3), version]) node = node?.nested?.[name];
  return node;
}

/** The descriptor with `services` and the messages they reach; the rest of Compute dropped. */
export function pruneDescriptor(json: JsonNamespace, services: readonly string[], version = 'v1'): JsonNamespace {
  const compute = computeNamespace(json, version);
  const types = compute?.nested;
  const present = services.filter((service) => types?.[service]?.methods);
  if (!types || present.length === 0) return json;
  const keep = new Set<string>(present);
  const pending: string[] = [];
  const reach = (typeName: string) => {
    // Compute's types are all top-level in its namespace and named without a package;
    // fully qualified names (google.protobuf.*) live outside it and are kept whole.
    const top = typeName.replace(/^\.?google\.cloud\.compute\.[^.]+\./, '').split('.')[0]!;
    if (types[top] && !keep.has(top)) {
      keep.add(top);
      pending.push(top);
    }
  };
  for (const service of present) {
    for (const method of Object.values(types[service]!.methods!)) {
      reach(method.requestType);
      reach(method.responseType);
    }
  }
  const visit = (node: JsonNode) => {
    for (const field of Object.values(node.fields ?? {})) reach(field.type);
    for (const child of Object.values(node.nested ?? {})) visit(child);
  };
  while (pending.length) visit(types[pending.pop()!]!);

  const leanTypes = Object.fromEntries(Object.entries(types).filter(([name]) => keep.has(name)));
  const google = json.nested!['google']!;
  const cloud = google.nested!['cloud']!;
  const computePackage = cloud.nested!['compute']!;
  return {
    ...json,
    nested: {
      ...json.nested,
      google: {
        ...google,
        nested: {
          ...google.nested,
          cloud: {
            ...cloud,
            nested: {
              ...cloud.nested,
              // One version only: the descriptor also holds v1beta and v1small, each as large.
              compute: { ...computePackage, nested: { [version]: { ...compute, nested: leanTypes } } },
            },
          },
        },
      },
    },
  };
}

interface GaxFallbackModule {
  GrpcClient: new (...args: never[]) => { loadProtoJSON(json: unknown, ignoreCache?: boolean): unknown };
}

/**
 * The roots built so far, by descriptor and the services kept (one per list and version). gax keeps
 * a cache of its own, but keyed by a hash of the whole JSON text, computed again for every client.
 */
const roots = new WeakMap<object, Map<string, unknown>>();

/**
 * A gax module for Compute clients: the SDK's own (`gax`, from `google-gax`), whose
 * `fallback.GrpcClient` loads the descriptor pruned to `services` (e.g. `['BackendServices']`), the
 * same root for every client given the same list. Pass it as the client constructor's second
 * argument with `fallback: true` in the options.
 */
export function leanGax<G extends { fallback: GaxFallbackModule }>(gax: G, services: readonly string[], version = 'v1'): G {
  const Base = gax.fallback.GrpcClient;
  const key = `${version}:${services.join(',')}`;
  class LeanGrpcClient extends (Base as unknown as new (...args: unknown[]) => { loadProtoJSON(json: unknown, ignoreCache?: boolean): unknown }) {
    override loadProtoJSON(json: unknown, ignoreCache?: boolean): unknown {
      const lean = () => super.loadProtoJSON(pruneDescriptor(json as JsonNamespace, services, version), ignoreCache);
      if (ignoreCache) return lean();
      let built = roots.get(json as object);
      if (!built) roots.set(json as object, (built = new Map()));
      if (!built.has(key)) built.set(key, lean());
      return built.get(key);
    }
  }
  const fallback = Object.assign(Object.create(gax.fallback as object) as GaxFallbackModule, { GrpcClient: LeanGrpcClient });
  return Object.assign(Object.create(gax as object) as G, { fallback });
}

let sdkGax: { fallback: GaxFallbackModule } | undefined;

/**
 * `leanGax` over the very google-gax instance the Compute SDK requires (resolved from its client
 * files, as CommonJS: importing `google-gax` as ESM would load a second copy), loaded on first call.
 */
export function leanComputeGax(services: readonly string[], version = 'v1'): { fallback: GaxFallbackModule } {
  sdkGax ??= createRequire(import.meta.resolve(`@google-cloud/compute/build/src/${version}/index.js`))('google-gax') as { fallback: GaxFallbackModule };
  return leanGax(sdkGax, services, version);
}
