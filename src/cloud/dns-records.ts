/**
 * Helpers for the `dnsRecordSet` kind (Cloud DNS v1 ResourceRecordSets), shared by every Cloud.
 * A record set is identified by its managed zone, its DNS name (the resource `name`, fully
 * qualified with the trailing dot) and its type (from the body's `type`, else the ref, else `A`).
 * Its zone may live in another project (the ref's / resource's `project`).
 */
import type { ObservedResource, Scope } from '../plan/resource-model.js';
import { resourceId } from '../plan/resource-model.js';
import { cloudError } from './normalise-error.js';
import type { ResourceRef } from './port.js';

export interface RecordKey {
  zone: string;
  /** Fully qualified, with the trailing dot. */
  dnsName: string;
  type: string;
}

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

export function recordKey(ref: ResourceRef, body?: Record<string, unknown>, operation = `dnsRecordSet ${ref.name}`): RecordKey {
  if (!ref.zone) throw cloudError(operation, 'invalid', 'a DNS record set needs its Cloud DNS managed zone');
  const dnsName = fqdn(typeof body?.name === 'string' ? body.name : ref.name);
  const type = (typeof body?.type === 'string' ? body.type : undefined) ?? ref.recordType ?? 'A';
  return { zone: ref.zone, dnsName, type };
}

/** An observed record set, named by its DNS name; `zone` and `project` attached for deletes planned from it. */
export function observedRecord(
  scope: Scope,
  zone: string,
  project: string,
  body: Record<string, unknown>,
): ObservedResource & { zone: string; project: string } {
  const name = fqdn(String(body.name));
  return { id: resourceId('dnsRecordSet', scope, name), kind: 'dnsRecordSet', name, scope, body, zone, project };
}
