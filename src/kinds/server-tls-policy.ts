/**
 * `serverTlsPolicy`: the Network Security server TLS policy that turns mutual TLS on for the HTTPS
 * proxy (`mtlsPolicy`: the client validation mode and the trust config), or an existing one the
 * user named. Referenced by the proxy as `//networksecurity.googleapis.com/projects/P/locations/L/
 * serverTlsPolicies/N` (Google's mTLS guide); global for the global types, regional for the
 * regional ones. The policy, description and labels change in place (patch with an update mask).
 */
import { attr, type BlockItem } from '../model/hcl.js';
import { regionOf, resourceId, type ObservedResource, type ResourceKind, type Scope } from '../model/resource-model.js';
import { obj, str } from '../model/body.js';
import { gcloud, yamlDocument, flag, bare } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import type { ServiceCalls } from './service-calls.js';
import { labelsItems } from './terraform-words.js';

export const NETWORK_SECURITY_PREFIX = '//networksecurity.googleapis.com/';
const PATH = /^(?:\/\/networksecurity\.googleapis\.com\/|https:\/\/networksecurity\.googleapis\.com\/v1(?:beta1)?\/)?projects\/([^/]+)\/locations\/([^/]+)\/serverTlsPolicies\/([^/]+)$/;
const KIND: ResourceKind = 'serverTlsPolicy';

const parent = (project: string, scope: Scope) => `projects/${project}/locations/${regionOf(scope) ?? 'global'}`;
const fullName = (calls: ServiceCalls, scope: Scope, name: string) => `${parent(calls.project, scope)}/serverTlsPolicies/${name}`;

function observed(scope: Scope, body: Record<string, unknown>): ObservedResource {
  const name = String(body.name).split('/').at(-1)!;
  return { id: resourceId(KIND, scope, name), kind: KIND, name, scope, body: { ...body, name } };
}

/** What a policy sends: the body without its graph name, placeholders resolved. */
async function sent(calls: ServiceCalls, body: Record<string, unknown>, operation: string): Promise<Record<string, unknown>> {
  const { name: _name, ...rest } = await calls.resolve(body, operation);
  return rest;
}

export const serverTlsPolicy = {
  kind: 'serverTlsPolicy',
  words: 'server TLS policy',
  scopes: { global: true, regional: true },

  build(g) {
    const mtls = g.spec.frontend.tls?.mtls;
    if (!mtls || !g.listeners.some((l) => l.protocol === 'HTTPS')) return;
    if (mtls.existingServerTlsPolicy !== undefined) {
      g.shared.serverTlsPolicy = g.add('serverTlsPolicy', g.coreScope, mtls.existingServerTlsPolicy, { name: mtls.existingServerTlsPolicy }, [], 'existing server TLS policy of the HTTPS proxy', { managed: false });
      return;
    }
    const trust = g.shared.trustConfig;
    if (!trust) return;
    const name = g.names.serverTlsPolicy();
    const body = { mtlsPolicy: { clientValidationMode: mtls.mode, clientValidationTrustConfig: g.path(trust) } };
    g.shared.serverTlsPolicy = g.add('serverTlsPolicy', g.coreScope, name, body, [trust.id], `server TLS policy: mutual TLS (${mtls.mode === 'REJECT_INVALID' ? 'a valid client certificate is required' : 'client certificates checked, never required'})`);
  },

  service: {
    async get(calls, ref, operation) {
      const body = await calls.networkSecurity.get(fullName(calls, ref.scope, ref.name), operation);
      return body ? observed(ref.scope, body) : undefined;
    },
    list: async (calls, scope, operation) => (await calls.networkSecurity.list(parent(calls.project, scope), operation)).map((b) => observed(scope, b)),
    insert: async (calls, resource, operation) => calls.networkSecurity.create(parent(calls.project, resource.scope), resource.name, await sent(calls, resource.body, operation), operation),
    update: async (calls, resource, operation) => calls.networkSecurity.update(fullName(calls, resource.scope, resource.name), await sent(calls, resource.body, operation), ['mtls_policy', 'description', 'labels'], operation),
    delete: (calls, ref, operation) => calls.networkSecurity.delete(fullName(calls, ref.scope, ref.name), operation),
  },
  reference: {
    path: (project, scope, name) => `${NETWORK_SECURITY_PREFIX}${parent(project, scope)}/serverTlsPolicies/${name}`,
    parse(value) {
      const m = PATH.exec(value);
      if (!m) return undefined;
      return { project: m[1]!, scope: (m[2] === 'global' ? 'global' : `regions/${m[2]}`) as Scope, name: m[3]! };
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    // From letting clients without a certificate through to refusing them.
    disruption(step) {
      const tightened = step.action === 'update' && step.changes.some((c) => c.field.startsWith('mtlsPolicy') && JSON.stringify(c.to ?? '').includes('REJECT_INVALID'));
      return tightened ? `mutual TLS of ${step.name} becomes REJECT_INVALID: clients without a valid certificate are refused from then on` : undefined;
    },
  },
  access: { permissions: (verbs) => verbs.map((v) => `networksecurity.serverTlsPolicies.${v}`), apis: () => ['networksecurity.googleapis.com'] },
  ownership: { labels: true, description: true },
  existingKey: 'frontend.tls.mtls.existingServerTlsPolicy',

  gcloud(s, r) {
    // gcloud takes a server TLS policy from YAML only, as in Google's mTLS guide.
    s.command(r.project, {
      head: gcloud('network-security', 'server-tls-policies', 'import', r.name),
      flags: [flag('location', regionOf(r.scope) ?? 'global'), bare('quiet')],
      stdin: yamlDocument({ ...r.body, name: r.name }, r.id),
    });
  },
  terraform: {
    resourceType: () => 'google_network_security_server_tls_policy',
    convert(t, r) {
      const mtls = obj(r.body, 'mtlsPolicy');
      const items: BlockItem[] = [
        ...attr('name', r.name),
        ...attr('location', regionOf(r.scope) ?? 'global'),
        ...(r.project !== t.graph.project ? attr('project', r.project) : []),
        ...attr('description', str(r.body, 'description')),
        ...labelsItems(r),
      ];
      if (mtls) {
        const trust = str(mtls, 'clientValidationTrustConfig');
        items.push({ block: { type: 'mtls_policy', labels: [], body: [...attr('client_validation_mode', str(mtls, 'clientValidationMode')), ...attr('client_validation_trust_config', trust && t.resolve(trust)?.resource ? t.ref(trust) : trust)] } });
      }
      return items;
    },
  },
} satisfies ResourceKindModule;
