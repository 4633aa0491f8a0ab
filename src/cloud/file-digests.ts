/**
 * Gives every certificate file of a desired graph (FileRef) the digest of the certificates it holds
 * now, so that the plan against what exists sees a renewed certificate or a rotated CA
 * (plan/compare.ts). Only certificates are read: a private key is a SecretRef and stays unread.
 * A file that cannot be read, or holds no certificate, keeps no digest and is not compared (the
 * config's validation has already said what is wrong with it).
 */
import { readFileSync } from 'node:fs';
import { certificatesDigest } from '../spec/certificate-files.js';
import { isFileRef, type DesiredGraph } from '../model/resource-model.js';

type ReadText = (path: string) => string;

function withDigests(value: unknown, digestOf: (path: string) => string | undefined): unknown {
  if (isFileRef(value)) {
    const sha256 = digestOf(value.$file);
    return sha256 ? { ...value, sha256 } : value;
  }
  if (Array.isArray(value)) return value.map((v) => withDigests(v, digestOf));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDigests(v, digestOf)]));
  return value;
}

/** A copy of `graph` whose FileRefs carry `sha256`, each file read once. */
export function withFileDigests(graph: DesiredGraph, readText: ReadText = (path) => readFileSync(path, 'utf8')): DesiredGraph {
  const digests = new Map<string, string | undefined>();
  const digestOf = (path: string): string | undefined => {
    if (!digests.has(path)) {
      let digest: string | undefined;
      try {
        digest = certificatesDigest(readText(path));
      } catch {
        digest = undefined;
      }
      digests.set(path, digest);
    }
    return digests.get(path);
  };
  return { ...graph, resources: graph.resources.map((r) => ({ ...r, body: withDigests(r.body, digestOf) as typeof r.body })) };
}
