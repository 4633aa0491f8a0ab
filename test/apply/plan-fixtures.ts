/** Small hand-built plans for walker tests (independent of the plan builder). */
import type { DesiredResource, Plan, PlanAction, PlanStep, ResourceKind, Scope } from '../../src/model/resource-model.js';
import { resourceId } from '../../src/model/resource-model.js';
import { computePath, type ComputeKind } from '../../src/cloud/paths.js';
import { withOwnership } from '../../src/plan/ownership.js';

export const PROJECT = 'memory-project';
export const LB = 'shop';

export function res(kind: ResourceKind, name: string, body: Record<string, unknown> = {}, dependsOn: string[] = [], scope: Scope = 'global'): DesiredResource {
  return {
    id: resourceId(kind, scope, name),
    kind,
    name,
    scope,
    project: PROJECT,
    body: withOwnership(kind, LB, { name, ...body }, `test ${kind}`),
    dependsOn,
    managed: true,
    purpose: `test ${kind}`,
  };
}

export function path(kind: ComputeKind, name: string, scope: Scope = 'global'): string {
  return computePath(PROJECT, kind, scope, name);
}

export function stepOf(resource: DesiredResource, action: PlanAction = 'create', dependsOn = resource.dependsOn): PlanStep {
  return { id: resource.id, action, kind: resource.kind, name: resource.name, scope: resource.scope, dependsOn, resource, changes: [], reason: 'test' };
}

export function deleteStep(kind: ResourceKind, name: string, dependsOn: string[] = [], scope: Scope = 'global'): PlanStep {
  return { id: resourceId(kind, scope, name), action: 'delete', kind, name, scope, dependsOn, changes: [], reason: 'test' };
}

export function planOf(steps: PlanStep[]): Plan {
  const summary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const s of steps) summary[s.action]++;
  return { lbName: LB, project: PROJECT, steps, blockers: [], summary };
}

/** A serverless LB chain: NEG -> backend service -> URL map -> HTTP proxy -> forwarding rule, plus an address. */
export function chain(): DesiredResource[] {
  const region: Scope = 'regions/us-central1';
  const neg = res('networkEndpointGroup', 'shop-neg', { networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } }, [], region);
  const bs = res('backendService', 'shop-bs', { loadBalancingScheme: 'EXTERNAL_MANAGED', backends: [{ group: path('networkEndpointGroup', 'shop-neg', region) }] }, [neg.id]);
  const um = res('urlMap', 'shop-um', { defaultService: path('backendService', 'shop-bs') }, [bs.id]);
  const proxy = res('targetHttpProxy', 'shop-proxy', { urlMap: path('urlMap', 'shop-um') }, [um.id]);
  const address = res('address', 'shop-ip', { ipVersion: 'IPV4' });
  const fr = res('forwardingRule', 'shop-fr', { target: path('targetHttpProxy', 'shop-proxy'), IPAddress: path('address', 'shop-ip'), portRange: '80' }, [proxy.id, address.id]);
  return [neg, bs, um, proxy, address, fr];
}
