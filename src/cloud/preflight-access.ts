/**
 * Preflight, what the caller may do: the APIs a plan calls are enabled (Service Usage), and the
 * caller holds the IAM permissions its steps need (Cloud Resource Manager testIamPermissions), so
 * that a missing one stops the plan before anything is made rather than halfway through. When the
 * check itself cannot be made (those two APIs are off, or the caller may not call them), it is left
 * out: the first call that needs the permission says so with Google's reason.
 */
import { kindModule } from '../kinds/registry.js';
import type { DesiredGraph, Plan, PlanAction, ResourceKind } from '../model/resource-model.js';
import { CloudError } from '../errors.js';
import type { CallOptions, Cloud } from './port.js';

export interface AccessProblem {
  code: string;
  message: string;
  hint: string;
}

/** IAM verbs each plan action needs on the resource's collection. */
const VERBS: Record<PlanAction, string[]> = { create: ['create'], update: ['update'], replace: ['create', 'delete'], delete: ['delete'], noop: [] };

/** Certificate Manager permission prefixes by collection. */
const CERT_MANAGER: Record<string, string> = {
  certificates: 'certificatemanager.certs',
  certificateMaps: 'certificatemanager.certmaps',
  certificateMapEntries: 'certificatemanager.certmapentries',
  dnsAuthorizations: 'certificatemanager.dnsauthorizations',
  trustConfigs: 'certificatemanager.trustconfigs',
};

/** The IAM permissions one step needs. */
export function stepPermissions(kind: ResourceKind, scope: string, action: PlanAction): string[] {
  const verbs = VERBS[action];
  if (verbs.length === 0) return [];
  const module = kindModule(kind);
  if (module.compute) {
    const client = (scope === 'global' ? module.compute.clients.global : module.compute.clients.regional) ?? '';
    const resource = `compute.${client.replace(/Client$/, '').replace(/^./, (c) => c.toLowerCase())}`;
    return [...verbs.map((v) => `${resource}.${v}`), ...(module.ownership.labels && action !== 'delete' ? [`${resource}.setLabels`] : [])];
  }
  if (module.certManager) return verbs.map((v) => `${CERT_MANAGER[module.certManager!.collection]}.${v}`);
  if (kind === 'cloudRunIngress' || kind === 'cloudRunDefaultUrl') return ['run.services.update'];
  if (kind === 'serverTlsPolicy') return verbs.map((v) => `networksecurity.serverTlsPolicies.${v}`);
  if (kind === 'cloudRunInvoker') return ['run.services.getIamPolicy', 'run.services.setIamPolicy', 'run.services.update'];
  if (kind === 'dnsRecordSet') return ['dns.changes.create', 'dns.resourceRecordSets.list', ...verbs.map((v) => `dns.resourceRecordSets.${v}`)];
  return [];
}

/** The APIs a plan's steps call, by service name. */
function plannedApis(graph: DesiredGraph, plan: Plan): string[] {
  const apis = new Set(['compute.googleapis.com']);
  for (const step of plan.steps) {
    if (step.action === 'noop') continue;
    const module = kindModule(step.kind);
    if (module.certManager) apis.add('certificatemanager.googleapis.com');
    if (step.kind === 'cloudRunIngress' || step.kind === 'cloudRunInvoker' || step.kind === 'cloudRunDefaultUrl') apis.add('run.googleapis.com');
    if (step.kind === 'serverTlsPolicy') apis.add('networksecurity.googleapis.com');
    if (step.kind === 'dnsRecordSet' && step.resource?.project === graph.project) apis.add('dns.googleapis.com');
    if (step.kind === 'backendService' && (step.resource?.body.iap as { enabled?: boolean } | undefined)?.enabled) apis.add('iap.googleapis.com');
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
export async function accessProblems(graph: DesiredGraph, plan: Plan, cloud: Cloud, options: CallOptions): Promise<AccessProblem[]> {
  const problems: AccessProblem[] = [];
  const needed = [...new Set(plan.steps.flatMap((s) => stepPermissions(s.kind, s.scope, s.action)))].sort();
  const [apis, held] = await Promise.all([unlessUnreadable(cloud.enabledApis(options)), needed.length ? unlessUnreadable(cloud.heldPermissions(needed, options)) : Promise.resolve([])]);
  if (apis) {
    const off = plannedApis(graph, plan).filter((a) => !apis.includes(a));
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
