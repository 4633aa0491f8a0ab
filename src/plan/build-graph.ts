/**
 * buildDesiredGraph: the exact set of Google resources a Spec implies, as API request bodies.
 *
 * Contract:
 *   - Input: a Spec that passed validation (src/spec/validate.ts). Rules between fields are not
 *     re-checked here; the graph is what a careful engineer would create by hand for that Spec.
 *   - Bodies are Compute Engine v1 insert bodies (camelCase), references are project-relative
 *     paths, secrets are SecretRef placeholders and file contents FileRef placeholders.
 *   - Every resource serverless-lb creates carries the ownership mark (ownership.ts). Existing
 *     resources the user named (address, SSL certificates, security policy, proxy-only subnet,
 *     the regular subnet of internal types) appear with managed=false and a body of `{name}`.
 *   - `resources` is in a valid creation order: every dependsOn id appears earlier.
 *   - Names come from naming.ts; ids are resourceId(kind, scope, name) and unique.
 *
 * Each kind adds its own resources (`build` of src/kinds/<kind>.ts), in registry order, through
 * the GraphBuilder made here. Pure: no I/O, no clock, no environment. See docs/resources.md for the
 * why of each field.
 */
import { forwardingRuleRegions, isRegionalType, listeners } from '../spec/derive.js';
import type { Spec } from '../spec/schema.js';
import type { Frontend, GraphBuilder, SharedGraph } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { lbNames } from '../model/naming.js';
import { withOwnership } from './ownership.js';
import { resourcePath } from './paths.js';
import { resourceId, type DesiredGraph, type DesiredResource, type Scope } from '../model/resource-model.js';

export { DEFAULT_RULE_PRIORITY } from '../kinds/security-policy.js';
export { DNS_TTL } from '../kinds/dns-record-set.js';
export { CERT_MANAGER_PREFIX } from '../kinds/ssl-certificate.js';

function frontendsOf(spec: Spec): Frontend[] {
  const regions = forwardingRuleRegions(spec);
  if (spec.type === 'cross-region-internal') {
    return regions.map((region) => ({ region, addressScope: `regions/${region}`, forwardingRuleScope: 'global', suffix: region }));
  }
  if (regions.length === 0) {
    // Dual stack: an IPv4 frontend and an IPv6 one, each with its address and forwarding rules.
    if (spec.frontend.address.ipVersion === 'IPV4_IPV6') {
      return [
        { region: undefined, addressScope: 'global', forwardingRuleScope: 'global', suffix: undefined, ipVersion: 'IPV4' },
        { region: undefined, addressScope: 'global', forwardingRuleScope: 'global', suffix: 'ipv6', ipVersion: 'IPV6' },
      ];
    }
    return [{ region: undefined, addressScope: 'global', forwardingRuleScope: 'global', suffix: undefined }];
  }
  return regions.map((region) => ({ region, addressScope: `regions/${region}`, forwardingRuleScope: `regions/${region}`, suffix: undefined }));
}

export function buildDesiredGraph(spec: Spec): DesiredGraph {
  const project = spec.project;
  const lb = spec.name;
  const lbRegion = spec.region ?? spec.regions?.[0];
  const resources: DesiredResource[] = [];
  const ids = new Set<string>();
  const shared: SharedGraph = {
    networkPath: `projects/${project}/global/networks/${spec.frontend.network?.network ?? 'default'}`,
    proxyOnlySubnets: new Map(),
    subnets: new Map(),
    addresses: new Map(),
    sslCertificateRefs: [],
    certificateDeps: [],
    dnsAuthorizations: new Map(),
    negs: new Map(),
    backendServices: new Map(),
    proxies: new Map(),
    forwardingRules: [],
    mainForwardingRules: new Map(),
  };

  const builder: GraphBuilder = {
    spec,
    project,
    names: lbNames(lb, spec.names),
    coreScope: (isRegionalType(spec.type) ? `regions/${lbRegion}` : 'global') as Scope,
    frontends: frontendsOf(spec),
    listeners: listeners(spec),
    resources,
    shared,
    has: (id) => ids.has(id),
    path: (r) => resourcePath(r.project, r.kind, r.scope, r.name),
    add(kind, scope, name, body, dependsOn, purpose, extra = {}) {
      const managed = extra.managed ?? true;
      const id = resourceId(kind, scope, name);
      if (ids.has(id)) throw new Error(`two resources would be named ${id}; rename a backend or the load balancer`);
      ids.add(id);
      const resource: DesiredResource = {
        id,
        kind,
        name,
        scope,
        project: extra.project ?? project,
        body: managed ? withOwnership(kind, lb, body, purpose) : body,
        dependsOn: [...new Set(dependsOn)],
        managed,
        purpose,
      };
      if (extra.zone !== undefined) resource.zone = extra.zone;
      resources.push(resource);
      return resource;
    },
  };

  for (const kind of KINDS) kind.build(builder);
  return { lbName: lb, project, resources };
}
