/**
 * Helpers for plan tests: Specs parsed through the real schema, and observed states shaped the
 * way the Compute API answers (full URLs, output-only fields, filled defaults, IP literals,
 * write-only fields absent), as the recordings in test/fixtures/gcp-recordings show.
 */
import { specSchema, type Spec, type SpecInput } from '../../src/spec/schema.js';
import { parseResourcePath } from '../../src/plan/paths.js';
import {
  isFileRef,
  isOutputRef,
  isSecretRef,
  type DesiredGraph,
  type DesiredResource,
  type ObservedResource,
} from '../../src/model/resource-model.js';

export function spec(input: Partial<SpecInput> & Pick<SpecInput, 'backends'>): Spec {
  return specSchema.parse({ name: 'shop', project: 'my-project', region: 'europe-west1', ...input });
}

const API = 'https://www.googleapis.com/compute/v1/';

/** Deterministic fake IPs per address id. */
function ipFor(id: string): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `34.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
}

function echo(value: unknown, key: string): unknown {
  if (isSecretRef(value)) return undefined;
  if (isFileRef(value)) return '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  if (typeof value === 'string') return parseResourcePath(value) && key !== 'name' ? API + value : value;
  if (Array.isArray(value)) return value.map((v) => echo(v, key));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const e = echo(v, k);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  return value;
}

/** The body the API would return for a created resource. */
export function apiBody(resource: DesiredResource, graph: DesiredGraph): Record<string, unknown> {
  const body = echo(resource.body, '') as Record<string, unknown>;
  if (resource.kind === 'cloudRunIngress') {
    return { ingress: resource.body.ingress, annotations: { 'serverless-lb/owner': graph.lbName } };
  }
  if (resource.kind === 'cloudRunInvoker') {
    const members = resource.body.members as string[];
    return { role: resource.body.role, members, annotations: { 'serverless-lb/invoker-owner': graph.lbName, 'serverless-lb/invoker-added': members.join(',') } };
  }
  if (resource.kind === 'dnsRecordSet') {
    const resolve = (v: unknown): unknown => {
      if (isOutputRef(v)) {
        const producer = graph.resources.find((r) => r.id === v.$output.id)!;
        return producer.kind === 'address' ? ipFor(producer.id) : ipFor(producer.id);
      }
      if (Array.isArray(v)) return v.map(resolve);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      return v;
    };
    return { ...(resolve(resource.body) as Record<string, unknown>), kind: 'dns#resourceRecordSet' };
  }
  const out: Record<string, unknown> = {
    ...body,
    id: '1234567890',
    kind: `compute#${resource.kind}`,
    creationTimestamp: '2024-04-01T12:34:56.123-07:00',
    selfLink: `${API}projects/${resource.project}/${resource.scope}/x/${resource.name}`,
  };
  switch (resource.kind) {
    case 'address':
      out.address = resource.managed ? ipFor(resource.id) : ipFor(resource.id);
      out.status = 'IN_USE';
      out.users = [`${API}projects/${resource.project}/global/forwardingRules/${graph.lbName}-https-fr`];
      if (out.networkTier === undefined) out.networkTier = 'PREMIUM';
      break;
    case 'forwardingRule': {
      const ip = typeof resource.body.IPAddress === 'string' ? parseResourcePath(resource.body.IPAddress) : undefined;
      out.IPAddress = ip ? ipFor(ip.id) : ipFor(resource.id);
      out.portRange = `${String(resource.body.portRange)}-${String(resource.body.portRange)}`;
      out.fingerprint = 'abc=';
      out.labelFingerprint = 'def=';
      break;
    }
    case 'backendService':
      out.timeoutSec = 30;
      out.port = 80;
      out.portName = 'http';
      out.sessionAffinity = 'NONE';
      out.fingerprint = 'abc=';
      out.connectionDraining = { drainingTimeoutSec: 0 };
      out.backends = (out.backends as Record<string, unknown>[]).map((b) => ({ ...b, balancingMode: 'UTILIZATION', capacityScaler: 1 }));
      if (out.iap === undefined) out.iap = { enabled: false, oauth2ClientId: '', oauth2ClientSecret: '' };
      else out.iap = { ...(out.iap as object), oauth2ClientSecretSha256: 'f00d' };
      if (out.enableCDN === false) delete out.enableCDN;
      break;
    case 'sslCertificate':
      if (resource.body.type === 'MANAGED') out.managed = { ...(out.managed as object), status: 'PROVISIONING' };
      else out.type = 'SELF_MANAGED';
      break;
    case 'networkEndpointGroup':
      out.size = 0;
      out.region = `${API}projects/${resource.project}/${resource.scope}`;
      break;
    case 'securityPolicy':
      out.rules = [...(out.rules as Record<string, unknown>[])]
        .reverse()
        .map((r) => ({ ...r, kind: 'compute#securityPolicyRule', headerAction: {}, description: r.description ?? '' }));
      out.fingerprint = 'abc=';
      break;
    case 'targetHttpsProxy':
      out.quicOverride = 'NONE';
      out.tlsEarlyData = 'DISABLED';
      break;
    default:
      break;
  }
  if (!resource.managed) {
    // Existing resources carry no mark of ours.
    delete out.description;
    delete out.labels;
  }
  return out;
}

export function observedOf(resource: DesiredResource, graph: DesiredGraph): ObservedResource {
  return { id: resource.id, kind: resource.kind, name: resource.name, scope: resource.scope, body: apiBody(resource, graph) };
}

/** The observed state after a faithful apply of `graph`. */
export function observedState(graph: DesiredGraph): Map<string, ObservedResource> {
  return new Map(graph.resources.map((r) => [r.id, observedOf(r, graph)]));
}

export function byId(graph: DesiredGraph, id: string): DesiredResource {
  const r = graph.resources.find((x) => x.id === id);
  if (!r) throw new Error(`no resource ${id}; have ${graph.resources.map((x) => x.id).join(', ')}`);
  return r;
}
