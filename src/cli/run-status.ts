/** The status flow: read the desired resources (or find owned ones) and report which exist. */
import { kindModule } from '../kinds/registry.js';
import { isOwnedBy } from '../plan/ownership.js';
import { buildDesiredGraph } from '../plan/build-graph.js';
import { observedFor } from '../plan/diff.js';
import type { ObservedResource, Scope } from '../model/resource-model.js';
import { readCurrentState, findOwnedResources } from '../cloud/read-state.js';
import type { Output } from '../ui/output.js';
import { openCloudSession } from './cloud-session.js';
import { regionsToSearch, type LbTarget } from './lb-target.js';

export interface StatusResource {
  kind: string;
  name: string;
  scope: Scope;
  exists: boolean;
  managed: boolean;
}

export interface StatusAddress {
  address: string;
  ports: string;
  protocol: 'HTTP' | 'HTTPS';
  forwardingRule: string;
  scope: Scope;
}

/** The addresses clients connect to: one per forwarding rule. */
export function addressesOf(observed: Iterable<ObservedResource>): StatusAddress[] {
  const out: StatusAddress[] = [];
  for (const r of observed) {
    if (r.kind !== 'forwardingRule') continue;
    const target = String(r.body.target ?? '');
    out.push({
      address: String(r.body.IPAddress ?? ''),
      ports: String(r.body.portRange ?? (Array.isArray(r.body.ports) ? r.body.ports.join(',') : '')),
      protocol: /targetHttpsProxies/.test(target) ? 'HTTPS' : 'HTTP',
      forwardingRule: r.name,
      scope: r.scope,
    });
  }
  return out;
}

export async function runStatus(target: LbTarget, options: { emulator: boolean; format: string }, output: Output): Promise<void> {
  const session = await openCloudSession({ project: target.project, embeddedEmulator: options.emulator });
  try {
    const { cloud } = session;
    let resources: StatusResource[];
    let observedAll: ObservedResource[];
    if (target.spec) {
      const graph = buildDesiredGraph(target.spec);
      const observed = await readCurrentState(graph, cloud);
      resources = graph.resources.map((r) => {
        const found = observedFor(observed, r);
        const setting = kindModule(r.kind).setting;
        if (setting) {
          // A setting on the user's resource: present when in effect, managed while marked as ours.
          const inEffect = found !== undefined && setting.inEffect(r.body, found.body);
          return { kind: r.kind, name: r.name, scope: r.scope, exists: inEffect, managed: found !== undefined && isOwnedBy(r.kind, found.body, graph.lbName) };
        }
        return { kind: r.kind, name: found?.name ?? r.name, scope: r.scope, exists: found !== undefined, managed: r.managed };
      });
      observedAll = [...observed.values()];
    } else {
      const { regions, fromProject } = await regionsToSearch(target, cloud);
      const owned = await findOwnedResources(cloud, target.lbName, regions, { regionsFromProject: fromProject, ...(target.dnsZone ? { dnsZone: target.dnsZone } : {}) });
      observedAll = [...owned.values()];
      resources = observedAll.map((r) => ({ kind: r.kind, name: r.name, scope: r.scope, exists: true, managed: true }));
    }
    const addresses = addressesOf(observedAll);
    if (options.format === 'json') {
      output.json({ lbName: target.lbName, project: target.project, resources, addresses });
      return;
    }
    const { color } = output;
    const existing = resources.filter((r) => r.exists).length;
    const lines = [`Load balancer ${target.lbName} in ${target.project}: ${existing} of ${resources.length} resources exist`];
    const width = Math.max(...resources.map((r) => r.kind.length), 4);
    for (const r of resources) {
      const mark = r.exists ? color.green('✔') : color.red('✖');
      lines.push(`  ${mark} ${r.kind.padEnd(width)}  ${r.name}${r.scope === 'global' ? '' : ` (${r.scope.replace('regions/', '')})`}${r.managed || !r.exists ? '' : color.dim('  existing, not managed')}`);
    }
    if (addresses.length > 0) {
      lines.push('', 'Addresses:');
      for (const a of addresses) lines.push(`  ${a.protocol.padEnd(5)} ${a.address}:${a.ports.replace(/-.*$/, '')}  (${a.forwardingRule})`);
    }
    output.result(lines.join('\n'));
  } finally {
    await session.close();
  }
}
