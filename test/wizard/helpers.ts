/** Shared set-up for the wizard's tests: a scripted run of collectAnswers, a seeded in-memory Cloud. */
import { collectAnswers, type CollectOptions, type CollectResult } from '../../src/wizard/ask.js';
import { cloudDiscovery } from '../../src/wizard/discovery.js';
import { ScriptedPrompter, type Script } from '../../src/wizard/scripted-prompter.js';
import { MemoryCloud, type MemoryCloudOptions } from '../../src/cloud/memory-cloud.js';
import type { RunServiceInfo } from '../../src/cloud/port.js';

export function runService(region: string, name: string): RunServiceInfo {
  return { name, region, ingress: 'INGRESS_TRAFFIC_ALL', annotations: {}, uri: `https://${name}-abc-ew.a.run.app` };
}

/** A project like the emulator's demo seed, in memory. */
export function seededCloud(extra: MemoryCloudOptions = {}): MemoryCloud {
  return new MemoryCloud({
    project: 'demo-project',
    runServices: [runService('europe-west1', 'web'), runService('europe-west1', 'api'), runService('us-central1', 'web'), runService('us-central1', 'api')],
    subnetworks: [
      { name: 'default', region: 'europe-west1', network: 'https://www.googleapis.com/compute/v1/projects/demo-project/global/networks/default', purpose: 'PRIVATE', ipCidrRange: '10.132.0.0/20' },
      { name: 'proxy-only-europe-west1', region: 'europe-west1', network: 'https://www.googleapis.com/compute/v1/projects/demo-project/global/networks/default', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', ipCidrRange: '10.129.0.0/23' },
      { name: 'default', region: 'us-central1', network: 'https://www.googleapis.com/compute/v1/projects/demo-project/global/networks/default', purpose: 'PRIVATE', ipCidrRange: '10.128.0.0/20' },
    ],
    resources: [
      { kind: 'network', scope: 'global', name: 'default', body: { name: 'default' } },
      { kind: 'address', scope: 'global', name: 'reserved-ip', body: { name: 'reserved-ip', address: '34.1.2.3', status: 'RESERVED', addressType: 'EXTERNAL' } },
      { kind: 'securityPolicy', scope: 'global', name: 'corp-policy', body: { name: 'corp-policy' } },
    ],
    managedZones: [
      { name: 'other-org', dnsName: 'other.org.', visibility: 'public' },
      { name: 'example-com', dnsName: 'example.com.', visibility: 'public' },
    ],
    ...extra,
  });
}

export interface ScriptedRun extends CollectResult {
  prompter: ScriptedPrompter;
  lines: string[];
}

/** Runs the wizard with a script; `cloud` enables discovery. */
export async function scripted(script: Script, options: Partial<CollectOptions> & { cloud?: MemoryCloud } = {}): Promise<ScriptedRun> {
  const prompter = new ScriptedPrompter(script);
  const lines: string[] = [];
  const { cloud, ...rest } = options;
  const result = await collectAnswers({
    given: {},
    prompter,
    say: (line) => lines.push(line),
    ...(cloud ? { discovery: async () => cloudDiscovery(cloud) } : {}),
    ...rest,
  });
  return { ...result, prompter, lines };
}
