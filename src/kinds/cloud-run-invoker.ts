/**
 * `cloudRunInvoker`: roles/run.invoker on a Cloud Run backend for whoever the load balancer's
 * requests arrive as: allUsers (the load balancer forwards requests without an identity), or the
 * IAP service agent behind IAP. The service and its IAM policy are the user's; serverless-lb only
 * adds the members it needs and, on teardown, removes exactly those, leaving the rest of the
 * policy as it was. What the operations mean here:
 *
 *   get     -> `{role, members}`: the members the role has now (the IAP service agent written with
 *              `{PROJECT_NUMBER}`), plus the service's annotations (undefined: no such service)
 *   insert  -> record on the service (annotations `serverless-lb/invoker-owner` and
 *              `serverless-lb/invoker-added`) which members it is about to add, then add those
 *              missing from the policy (read-modify-write with the policy's etag; a concurrent
 *              change fails with reason `conflict`, the record is kept, and the walker runs the
 *              step again; any other failure takes the record back)
 *   update  -> the same
 *   delete  -> remove the recorded members from the role (others are kept), then the annotations
 *
 * The plan makes no step at all for a service whose policy already lets the members in (owned or
 * not): a re-apply makes no IAM call.
 */
import { cloudRunInvokers, IAP_SERVICE_AGENT } from '../spec/derive.js';
import { RUN_INVOKER_ADDED_ANNOTATION, RUN_INVOKER_OWNER_ANNOTATION } from '../plan/ownership-marks.js';
import { attr, expr, renderValue, type HclValue } from '../plan/render-terraform-hcl.js';
import { regionOf, resourceId, type DesiredResource, type ObservedResource, type Scope } from '../plan/resource-model.js';
import { strings } from './body.js';
import { requireRegion, requireService } from './cloud-run-ingress.js';
import { flag, gcloud, raw, shellQuote } from './gcloud-words.js';
import type { IamPolicy, ResourceKindModule, RunService, ServiceCalls } from './kind.js';

export const INVOKER_ROLE = 'roles/run.invoker';
const IAP_AGENT_PATTERN = /^serviceAccount:service-\d+@gcp-sa-iap\.iam\.gserviceaccount\.com$/;

/** Members as the plan writes them: the IAP service agent of any project number as IAP_SERVICE_AGENT. */
function planned(member: string): string {
  return IAP_AGENT_PATTERN.test(member) ? IAP_SERVICE_AGENT : member;
}

function roleMembers(policy: IamPolicy): string[] {
  return (policy.bindings ?? []).filter((b) => b.role === INVOKER_ROLE && b.condition === undefined).flatMap((b) => b.members);
}

function addedBy(annotations: Record<string, string>): string[] {
  return (annotations[RUN_INVOKER_ADDED_ANNOTATION] ?? '').split(',').filter((m) => m !== '');
}

function observedInvoker(service: RunService, policy: IamPolicy | undefined): ObservedResource {
  const scope = `regions/${service.region}` as Scope;
  const body: Record<string, unknown> = { role: INVOKER_ROLE, annotations: { ...service.annotations } };
  if (policy) body.members = [...new Set(roleMembers(policy).map(planned))].sort();
  return { id: resourceId('cloudRunInvoker', scope, service.name), kind: 'cloudRunInvoker', name: service.name, scope, body };
}

/** The policy with `members` added to (or removed from) the unconditional roles/run.invoker binding. */
export function withMembers(policy: IamPolicy, members: readonly string[], change: 'add' | 'remove'): IamPolicy {
  const bindings = (policy.bindings ?? []).map((b) => ({ ...b, members: [...b.members] }));
  let binding = bindings.find((b) => b.role === INVOKER_ROLE && b.condition === undefined);
  if (!binding && change === 'add') {
    binding = { role: INVOKER_ROLE, members: [] };
    bindings.push(binding);
  }
  if (binding) {
    if (change === 'add') binding.members.push(...members.filter((m) => !binding!.members.includes(m)));
    else binding.members = binding.members.filter((m) => !members.includes(m));
  }
  return { ...policy, bindings: bindings.filter((b) => b.members.length > 0) };
}

async function resolveMember(calls: ServiceCalls, member: string): Promise<string> {
  return member.includes('{PROJECT_NUMBER}') ? member.replace('{PROJECT_NUMBER}', await calls.projectNumber()) : member;
}

async function grant(calls: ServiceCalls, resource: DesiredResource, operation: string): Promise<void> {
  const { region, current } = await requireService(calls, resource.scope, resource.name, operation);
  const wanted = await Promise.all(strings(resource.body, 'members').map((m) => resolveMember(calls, m)));
  const policy = await calls.getRunIamPolicy(region, resource.name);
  const have = roleMembers(policy);
  const missing = wanted.filter((m) => !have.includes(m));
  if (missing.length === 0) return;
  // The record first: a binding added is always a binding teardown knows about.
  const before = current.annotations;
  const recorded = [...new Set([...addedBy(before), ...missing])].join(',');
  const owner = calls.owner ?? before[RUN_INVOKER_OWNER_ANNOTATION];
  const record: Record<string, string | null> = { [RUN_INVOKER_ADDED_ANNOTATION]: recorded };
  if (owner) record[RUN_INVOKER_OWNER_ANNOTATION] = owner;
  await calls.annotateRunService(region, resource.name, record, current);
  try {
    await calls.setRunIamPolicy(region, resource.name, withMembers(policy, missing, 'add'));
  } catch (error) {
    const reason = (error as { reason?: unknown }).reason;
    // The policy changed under us (another writer, often another run of this config that has just
    // added the same members and recorded them in this same annotation): keep the record, since
    // undoing it could erase the other run's, and the walker runs the step again on a fresh read.
    if (reason === 'conflict') throw error;
    // Otherwise nothing was added: the record goes back to what it was.
    const undo: Record<string, string | null> = {
      [RUN_INVOKER_ADDED_ANNOTATION]: before[RUN_INVOKER_ADDED_ANNOTATION] ?? null,
      [RUN_INVOKER_OWNER_ANNOTATION]: before[RUN_INVOKER_OWNER_ANNOTATION] ?? null,
    };
    const now = await calls.getRunService(region, resource.name).catch(() => undefined);
    if (now) await calls.annotateRunService(region, resource.name, undo, now).catch(() => undefined);
    if (reason === 'failedPrecondition' && missing.some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers')) {
      throw calls.fail(operation, 'failedPrecondition', `Google refused to let allUsers invoke Cloud Run service ${resource.name}: ${(error as Error).message}`, {
        cause: error,
        hint:
          'An organisation policy (domain restricted sharing, iam.allowedPolicyMemberDomains) forbids public members in this project. ' +
          'Either put IAP in front of the backend (options.iap.enabled: true, or ?iap=true on --backend; invoker auto then grants the IAP service agent), ' +
          'or ask your organisation admin for an exception for this project. Nothing was changed on the service.',
      });
    }
    throw error;
  }
}

export const cloudRunInvoker = {
  kind: 'cloudRunInvoker',
  words: 'Cloud Run service IAM',
  scopes: { global: false, regional: true },

  build(g) {
    const members = new Map<string, { service: string; region: string; members: Set<string> }>();
    for (const { service, region, member } of cloudRunInvokers(g.spec)) {
      const key = `${region}/${service}`;
      const entry = members.get(key) ?? { service, region, members: new Set<string>() };
      entry.members.add(member);
      members.set(key, entry);
    }
    const ruleIds = g.shared.forwardingRules.map((r) => r.id);
    for (const { service, region, members: who } of members.values()) {
      // Both write the service's annotations: after the ingress change, never beside it.
      const ingress = resourceId('cloudRunIngress', `regions/${region}`, service);
      const deps = g.has(ingress) ? [...ruleIds, ingress] : ruleIds;
      const list = [...who].sort();
      const whom = list.map((m) => (m === 'allUsers' ? 'allUsers' : m === IAP_SERVICE_AGENT ? 'the IAP service agent' : m)).join(' and ');
      g.add('cloudRunInvoker', `regions/${region}`, service, { role: INVOKER_ROLE, members: list }, deps, `let ${whom} invoke Cloud Run service ${service} in ${region} (the load balancer's requests)`);
    }
  },

  service: {
    async get(calls, ref, operation) {
      const region = requireRegion(ref.scope, operation, calls.fail);
      const service = await calls.getRunService(region, ref.name);
      return service ? observedInvoker(service, await calls.getRunIamPolicy(region, ref.name)) : undefined;
    },
    async list(calls, scope, operation) {
      const region = requireRegion(scope, operation, calls.fail);
      const services = await calls.listRunServices(region);
      return Promise.all(services.map(async (s) => observedInvoker(s, await calls.getRunIamPolicy(region, s.name))));
    },
    insert: grant,
    update: grant,
    async delete(calls, ref, operation) {
      const { region, current } = await requireService(calls, ref.scope, ref.name, operation);
      if (current.annotations[RUN_INVOKER_OWNER_ANNOTATION] === undefined) {
        throw calls.fail(operation, 'notFound', `Cloud Run service ${ref.name} carries no invoker binding by serverless-lb`);
      }
      const added = addedBy(current.annotations);
      if (added.length > 0) {
        const policy = await calls.getRunIamPolicy(region, ref.name);
        if (roleMembers(policy).some((m) => added.includes(m))) await calls.setRunIamPolicy(region, ref.name, withMembers(policy, added, 'remove'));
      }
      await calls.annotateRunService(region, ref.name, { [RUN_INVOKER_OWNER_ANNOTATION]: null, [RUN_INVOKER_ADDED_ANNOTATION]: null }, current);
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    teardownReason: 'removes the invoker members it added',
    // Both write the service's annotations: one after the other.
    deleteAfter: ['cloudRunIngress'],
    decide(d) {
      if (!d.observed) return { action: 'create', changes: [], reason: d.offline ? 'grants roles/run.invoker (current policy not read offline)' : 'service not found' };
      const have = strings(d.observed.body, 'members');
      const missing = strings(d.resource.body, 'members').filter((m) => !have.includes(m));
      if (missing.length === 0) return { action: 'noop', changes: [], reason: 'roles/run.invoker already granted' };
      return { action: 'create', changes: [{ field: 'members', from: have, to: d.resource.body.members }], reason: `adds ${missing.join(', ')} to roles/run.invoker` };
    },
  },
  setting: { inEffect: (desired, observed) => strings(desired, 'members').every((m) => strings(observed, 'members').includes(m)) },
  ownership: {
    labels: false,
    description: false,
    read(body) {
      const value = (body.annotations as Record<string, unknown> | undefined)?.[RUN_INVOKER_OWNER_ANNOTATION];
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    },
  },

  gcloud(s, r) {
    const region = regionOf(r.scope);
    for (const member of strings(r.body, 'members')) {
      let memberFlag = flag('member', member);
      if (member.includes('{PROJECT_NUMBER}')) {
        const number = s.variable(`project-number:${r.project}`, 'project_number', `$(gcloud projects describe ${shellQuote(r.project)} --format='value(projectNumber)' --project=${shellQuote(r.project)})`);
        memberFlag = raw(`--member="${member.replace('{PROJECT_NUMBER}', `\${${number}}`)}"`);
      }
      s.command(r.project, {
        head: gcloud('run', 'services', 'add-iam-policy-binding', r.name),
        flags: [...(region ? [flag('region', region)] : []), memberFlag, flag('role', INVOKER_ROLE)],
      });
    }
  },
  terraform: {
    resourceType: () => 'google_cloud_run_v2_service_iam_member',
    convert(t, r) {
      const members = strings(r.body, 'members').map((m): HclValue => (m.includes('{PROJECT_NUMBER}') ? expr(`"${m.replace('{PROJECT_NUMBER}', `\${${t.projectNumber()}}`)}"`) : m));
      return [
        ...attr('project', r.project !== t.graph.project ? r.project : expr('var.project')),
        ...attr('location', regionOf(r.scope)),
        ...attr('name', r.name),
        ...attr('role', INVOKER_ROLE),
        // One member per resource: several go through for_each.
        ...(members.length === 1 ? attr('member', members[0]) : [...attr('for_each', expr(`toset(${renderValue(members)})`)), ...attr('member', expr('each.value'))]),
      ];
    },
  },
} satisfies ResourceKindModule;
