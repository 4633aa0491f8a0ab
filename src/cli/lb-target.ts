/** Which load balancer a teardown or status command is about: from the config file, or from --name. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { loadSpec } from './load-spec.js';
import { resolvedRegions } from '../spec/derive.js';
import type { Spec } from '../spec/schema.js';
import type { Cloud } from '../cloud/port.js';

export interface LbTarget {
  lbName: string;
  project: string;
  /** Regions to search for regional resources. */
  regions: string[];
  dnsZone?: string;
  /** The Spec, when a config file described the load balancer. */
  spec?: Spec;
}

/**
 * The regions to look for a load balancer's regional resources in: those the config or the flags
 * name, else (found by name alone) every region of the project, so nothing regional is missed;
 * `fromProject` says they are the project's own list (findOwnedResources need not check them again).
 */
export async function regionsToSearch(target: LbTarget, cloud: Pick<Cloud, 'listRegions'>): Promise<{ regions: string[]; fromProject: boolean }> {
  if (target.spec || target.regions.length > 0) return { regions: target.regions, fromProject: false };
  return { regions: await cloud.listRegions(), fromProject: true };
}

export async function resolveTarget(
  command: Command,
  options: { name?: string; region?: string; regions?: string; dnsZone?: string; project?: string; config: string },
): Promise<LbTarget> {
  const flagRegions = [options.region, ...(options.regions ?? '').split(',')].map((r) => r?.trim()).filter((r): r is string => Boolean(r));
  if (options.name) {
    const { resolveProject } = await import('../cloud/google-cloud.js');
    const project = await resolveProject(options.project);
    return { lbName: options.name, project, regions: flagRegions, ...(options.dnsZone ? { dnsZone: options.dnsZone } : {}) };
  }
  if (command.getOptionValueSource('config') !== 'cli' && !existsSync(options.config)) {
    throw new UsageError(`no config file ${options.config} and no --name`, {
      code: 'target.missing',
      hint: 'pass --config FILE (the config the load balancer was applied with), or --name LB --project ID [--regions R1,R2]',
    });
  }
  // status and teardown send no secret to Google: an unset IAP secret variable must not stop them.
  const { spec } = loadSpec(command, { config: options.config, ...(options.project ? { project: options.project } : {}) }, { secrets: false });
  const regions = new Set<string>([...flagRegions, ...resolvedRegions(spec).all]);
  return { lbName: spec.name, project: spec.project, regions: [...regions], spec, ...(spec.dns ? { dnsZone: spec.dns.managedZone } : {}) };
}
