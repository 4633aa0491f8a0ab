/**
 * Preflight, what the caller may do: the APIs a plan calls are enabled (Service Usage), and the
 * caller holds the IAM permissions its steps need (Cloud Resource Manager testIamPermissions), so
 * that a missing one stops the plan before anything is made rather than halfway through. When the
 * check itself cannot be made (those two APIs are off, or the caller may not call them), it is left
 * out: the first call that needs the permission says so with Google's reason.
 */
import { kindModule } from '../kinds/registry.js';
import type { Plan, PlanAction, PlanStep } from '../model/resource-model.js';
import { CloudError } from '../errors.js';
import type { CallOptions, Cloud } from './port.js';

export interface AccessProblem {
  code: string;
  message: string;
  hint: string;
}

/** IAM verbs each plan action needs on the resource's collection. */
const VERBS: Record<PlanAction, string[]> = { create: ['create'], update: ['update'], replace: ['create', 'delete'], delete: ['delete'], noop: [] };

/**
 * The IAM permissions one step needs in the load balancer's project: a Compute Engine kind's from
 * its SDK client (`compute.globalAddresses.create`, and `setLabels` where it takes labels), a
 * Certificate Manager kind's from its collection's prefix, any other kind's from its own `access`.
 */
export function stepPermissions(step: Pick<PlanStep, 'kind' | 'scope' | 'action' | 'resource'>, project: string): string[] {
  const verbs = VERBS[step.action];
  if (verbs.length === 0) return [];
  const module = kindModule(step.kind);
  if (module.access?.permissions) return module.access.permissions(verbs, step as PlanStep, project);
  if (module.compute) {
    const client = (step.scope === 'global' ? module.compute.clients.global : module.compute.clients.regional) ?? '';
    const resource = `compute.${client.replace(/Client$/, '').replace(/^./, (c) => c.toLowerCase())}`;
    return [...verbs.map((v) => `${resource}.${v}`), ...(module.ownership.labels && step.action !== 'delete' ? [`${resource}.setLabels`] : [])];
  }
  if (module.certManager) return verbs.map((v) => `${module.certManager!.iam}.${v}`);
  return [];
}

/** The APIs a plan's steps call, by service name (Compute Engine always: the plan's reads call it). */
function plannedApis(plan: Plan): string[] {
  const apis = new Set(['compute.googleapis.com']);
  for (const step of plan.steps) {
    if (step.action === 'noop') continue;
    const module = kindModule(step.kind);
    const stepApis = module.access?.apis?.(step, plan.project) ?? (module.certManager ? ['certificatemanager.googleapis.com'] : module.compute ? ['compute.googleapis.com'] : []);
    for (const api of stepApis) apis.add(api);
  }
  return [...apis].sort();
}

const API_WORDS: Record<string, string> = {
  'compute.googleapis.com': 'Compute Engine',
  'run.googleapis.com': 'Cloud Run Admin',
  'certificatemanager.googleapis.com': 'Certificate Manager',
  'dns.googleapis.com': 'Cloud DNS',
  'iap.googleapis.com': 'Identity-Aware Proxy',
  'networksecurity.googleapis.com': 'Network Security',
};

/** The problems: APIs the plan calls that are off, permissions its steps need that the caller lacks. */
export async function accessProblems(plan: Plan, cloud: Cloud, options: CallOptions): Promise<AccessProblem[]> {
  const problems: AccessProblem[] = [];
  const needed = [...new Set(plan.steps.flatMap((s) => stepPermissions(s, plan.project)))].sort();
  const [apis, held] = await Promise.all([unlessUnreadable(cloud.enabledApis(options)), needed.length ? unlessUnreadable(cloud.heldPermissions(needed, options)) : Promise.resolve([])]);
  if (apis) {
    const off = plannedApis(plan).filter((a) => !apis.includes(a));
    if (off.length) {
      problems.push({
        code: 'preflight.api-disabled',
        message: `${off.map((a) => `${API_WORDS[a] ?? a} API (${a})`).join(', ')} ${off.length === 1 ? 'is' : 'are'} not enabled in project ${cloud.project}; the plan calls ${off.length === 1 ? 'it' : 'them'}.`,
        hint: `Enable ${off.length === 1 ? 'it' : 'them'}: gcloud services enable ${off.join(' ')} --project ${cloud.project} (it takes a minute), then run the command again.`,
      });
    }
  }
  if (held) {
    const missing = needed.filter((p) => !held.includes(p));
    if (missing.length) {
      problems.push({
        code: 'preflight.permission-missing',
        message: `The caller lacks ${missing.length} permission${missing.length === 1 ? '' : 's'} the plan needs in project ${cloud.project}: ${missing.join(', ')}.`,
        hint: 'Grant a role that holds them (roles/compute.loadBalancerAdmin for the load balancer, roles/run.admin for Cloud Run settings, roles/certificatemanager.editor, roles/networksecurity.admin for mutual TLS, roles/dns.admin), or run as an account that has them.',
      });
    }
  }
  return problems;
}

/** The answer, or undefined when the check cannot be made (its API is off or the caller may not call it). */
async function unlessUnreadable<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof CloudError) return undefined;
    throw error;
  }
}
