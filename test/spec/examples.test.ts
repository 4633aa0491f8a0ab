import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile, validateSpec, nodeSpecIo, formatProblem, negRegions, proxyOnlySubnetRegions } from '../../src/spec/index.js';

const DIR = join(import.meta.dirname, '../../docs/examples');
/** The names in the emulator's built-in demo seed (docs/examples must use only these). */
const SEED = {
  project: 'demo-project',
  regions: ['europe-west1', 'us-central1', 'asia-northeast1'],
  cloudRun: { 'europe-west1': ['web', 'api', 'static', 'admin', 'hello-fn', 'internal-api', 'web-canary', 'internal-api-v2'], 'us-central1': ['web', 'api', 'internal-api'], 'asia-northeast1': ['web'] } as Record<string, string[]>,
  tags: { web: ['canary'] } as Record<string, string[]>,
  functions: { 'us-central1': ['legacy-fn'], 'europe-west1': ['legacy-fn'] } as Record<string, string[]>,
  appEngine: { region: 'europe-west1', services: ['default', 'admin'], versions: ['v1', 'v2'] },
  gateways: { 'europe-west1': ['demo-gateway'] } as Record<string, string[]>,
  network: 'default',
  subnet: 'default',
  proxyOnlySubnets: { 'europe-west1': 'proxy-only-europe-west1' } as Record<string, string>,
  addresses: ['reserved-ip'],
  zones: ['example-com'],
};
const examples = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

describe('docs/examples', () => {
  it('has one example per LB type and per feature the docs promise', () => {
    for (const name of ['global-external', 'classic', 'regional-external', 'regional-internal', 'cross-region-internal', 'url-mask', 'app-engine', 'cloud-functions', 'api-gateway', 'multi-region', 'iap', 'cloud-armor']) {
      expect(examples).toContain(`${name}.yaml`);
    }
  });

  it.each(examples)('%s validates with no errors and no warnings', (file) => {
    const read = readConfigFile(join(DIR, file));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    // Files and the clock are real; the environment is not consulted (iap.yaml names a variable).
    const { readFile, now } = nodeSpecIo();
    const result = validateSpec(read.input, { readFile, now });
    const problems = result.ok ? result.warnings : result.problems;
    expect(result.ok, problems.map(formatProblem).join('\n')).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map(formatProblem)).toEqual([]);
    expect(result.spec.project).toBe('demo-project');
  });

  it.each(examples)('%s uses only names from the demo seed', (file) => {
    const read = readConfigFile(join(DIR, file));
    if (!read.ok) throw new Error(file);
    const result = validateSpec(read.input);
    if (!result.ok) throw new Error(file);
    const { spec } = result;
    expect(spec.project).toBe(SEED.project);
    for (const backend of spec.backends) {
      for (const region of negRegions(spec, backend)) {
        expect(SEED.regions).toContain(region);
        const service = backend.cloudRun?.service;
        if (service) expect(SEED.cloudRun[region], `${backend.name}: ${service} in ${region}`).toContain(service);
        if (backend.cloudRun?.tag) expect(SEED.tags[service!] ?? []).toContain(backend.cloudRun.tag);
        if (backend.cloudFunction?.function) expect(SEED.functions[region] ?? []).toContain(backend.cloudFunction.function);
        if (backend.apiGateway) expect(SEED.gateways[region] ?? []).toContain(backend.apiGateway.gateway);
        if (backend.appEngine) {
          expect(region).toBe(SEED.appEngine.region);
          if (backend.appEngine.service) expect(SEED.appEngine.services).toContain(backend.appEngine.service);
          if (backend.appEngine.version) expect(SEED.appEngine.versions).toContain(backend.appEngine.version);
        }
      }
    }
    if (spec.dns) expect(SEED.zones).toContain(spec.dns.managedZone);
    if (spec.frontend.address.mode === 'existing') expect(SEED.addresses).toContain(spec.frontend.address.name);
    const network = spec.frontend.network;
    if (network) {
      expect(network.network).toBe(SEED.network);
      expect(network.subnet).toBe(SEED.subnet);
      if (network.proxyOnlySubnet.mode === 'existing') {
        for (const region of proxyOnlySubnetRegions(spec)) {
          expect(SEED.proxyOnlySubnets[region], `an ACTIVE proxy-only subnet in ${region}`).toBeDefined();
          if (network.proxyOnlySubnet.name) expect(network.proxyOnlySubnet.name).toBe(SEED.proxyOnlySubnets[region]);
        }
      }
    }
  });
});
