/**
 * `cloudRunInvoker`: roles/run.invoker on a Cloud Run backend for whoever the load balancer's
 * requests arrive as: allUsers (the load balancer forwards requests without an identity), or the
 * IAP service agent behind IAP. The service and its IAM policy are the user's, and several load
 * balancers may front it: each records the members it needs in the service's
 * `serverless-lb/invoker` annotation (cloud-run-shares.ts), and `serverless-lb/invoker-added` lists
 * the members serverless-lb added (the only ones it ever removes). What the operations mean here:
 *
 *   get     -> `{role, members}`: the members the role has now (the IAP service agent written with
 *              `{PROJECT_NUMBER}`), plus the service's annotations (undefined: no such service)
 *   insert  -> record this load balancer's members (and, as added, those missing from the policy),
 *              then add the missing ones (read-modify-write with the policy's etag) and remove the
 *              added ones no recorded load balancer needs any more. A concurrent change fails with
 *              reason `conflict`, the record is kept, and the walker runs the step again; any other
 *              failure takes the record back
 *   update  -> the same
 *   delete  -> take this load balancer's record out and remove the added members no remaining
 *              load balancer needs (others are kept); with none remaining, the annotations go too
 *
 * The plan makes no step for a service whose policy already lets the members in by the user's own
 * grant (not one serverless-lb added): a re-apply makes no IAM call. A member serverless-lb added for
 * another load balancer is recorded as this one's need too, so that one leaving does not remove it.
 *
 * NO_IAM_CHECK is a member like the others in the records, and stands for the service's invoker
 * IAM check being off (`invokerIamDisabled`): turned on and off with the service's annotations in
 * one update, restored when no load balancer needs it. A body with `fallback` (invoker `auto`)
 * takes it instead of allUsers where Google refuses allUsers (domain restricted sharing).
 */
import { cloudRunInvokers, IAP_SERVICE_AGENT, NO_IAM_CHECK } from '../spec/derive.js';
import { RUN_INVOKER_ADDED_ANNOTATION, RUN_INVOKER_OWNER_ANNOTATION, RUN_INVOKER_SHARES_ANNOTATION } from '../model/ownership-marks.js';
import { attr, expr, renderValue, type HclValue } from '../model/hcl.js';
import { regionOf, resourceId, type DesiredResource, type ObservedResource } from '../model/resource-model.js';
import { strings } from '../model/body.js';
import { observedRunSetting, requireRegion, requireService } from './cloud-run-ingress.js';
import { addedMembers, annotationsOf, invokerShares, otherSharers, sharersText, sharesAnnotation, withShare } from './cloud-run-shares.js';
import { bare, flag, gcloud, raw, shellQuote } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import type { IamPolicy, RunService, ServiceCalls } from './service-calls.js';

export const INVOKER_ROLE = 'roles/run.invoker';
const IAP_AGENT_PATTERN = /^serviceAccount:service-\d+@gcp-sa-iap\.iam\.gserviceaccount\.com$/;

/** Members as the plan writes them: the IAP service agent of any project number as IAP_SERVICE_AGENT. */
function planned(member: string): string {
  return IAP_AGENT_PATTERN.test(member) ? IAP_SERVICE_AGENT : member;
}

function roleMembers(policy: IamPolicy): string[] {
  return (policy.bindings ?? []).filter((b) => b.role === INVOKER_ROLE && b.condition === undefined).flatMap((b) => b.members);
}

function observedInvoker(service: RunService, policy: IamPolicy | undefined): ObservedResource {
  const body: Record<string, unknown> = { role: INVOKER_ROLE, annotations: { ...service.annotations } };
  if (policy) body.members = [...new Set([...roleMembers(policy).map(planned), ...(service.invokerIamDisabled ? [NO_IAM_CHECK] : [])])].sort();
  return observedRunSetting('cloudRunInvoker', service, body);
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

/** The load balancer a call is made for: the call's owner, else the only one recorded. */
function leavingOrJoining(calls: ServiceCalls, shares: ReadonlyMap<string, string[]>): string | undefined {
  return calls.owner ?? (shares.size === 1 ? [...shares.keys()][0] : undefined);
}

/**
 * What serverless-lb changes on the service for `shares` (the members each load balancer needs):
 * the members to add (needed, not in the policy), those to remove (added by serverless-lb, needed
 * by none), and the annotations recording it.
 */
function invokerChange(annotations: Record<string, string>, have: readonly string[], shares: ReadonlyMap<string, string[]>) {
  const needed = new Set([...shares.values()].flat());
  const added = addedMembers(annotations);
  const add = [...needed].filter((m) => !have.includes(m));
  const remove = added.filter((m) => !needed.has(m) && have.includes(m));
  const stillAdded = [...new Set([...added, ...add])].filter((m) => needed.has(m));
  const record: Record<string, string | null> = {
    [RUN_INVOKER_SHARES_ANNOTATION]: sharesAnnotation(shares),
    [RUN_INVOKER_ADDED_ANNOTATION]: stillAdded.length > 0 ? stillAdded.join(',') : null,
    [RUN_INVOKER_OWNER_ANNOTATION]: null,
  };
  return { add, remove, record };
}

/** Whether an error is Google refusing allUsers (an organisation policy: domain restricted sharing). */
function allUsersRefused(error: unknown, added: readonly string[]): boolean {
  return (error as { reason?: unknown }).reason === 'failedPrecondition' && added.some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers');
}

/**
 * Records `shares` on the service (turning its invoker IAM check off or on with the same update,
 * where NO_IAM_CHECK is added or removed), then changes the policy to match; a failure other than a
 * conflict takes the record back.
 */
async function applyShares(calls: ServiceCalls, region: string, current: RunService, shares: ReadonlyMap<string, string[]>, operation: string): Promise<void> {
  const policy = await calls.getRunIamPolicy(region, current.name);
  const have = [...roleMembers(policy), ...(current.invokerIamDisabled ? [NO_IAM_CHECK] : [])];
  const change = invokerChange(current.annotations, have, shares);
  const { record } = change;
  // Access is given before it is taken: the IAM check goes off with the record (before any member
  // is removed), and comes back on only after the members that replace it are in the policy.
  const checkOff = change.add.includes(NO_IAM_CHECK);
  const checkOn = change.remove.includes(NO_IAM_CHECK);
  const switches = checkOff ? { invokerIamDisabled: true } : undefined;
  const add = change.add.filter((m) => m !== NO_IAM_CHECK);
  const remove = change.remove.filter((m) => m !== NO_IAM_CHECK);
  const turnCheckOn = async () => {
    if (!checkOn) return;
    const now = await calls.getRunService(region, current.name);
    if (now) await calls.annotateRunService(region, current.name, {}, now, { invokerIamDisabled: false });
  };
  // Only taking access away (teardown, a load balancer leaving): the policy first, the record last,
  // so that a failure between them leaves the record naming what is still granted and the next run
  // finishes the removal (record first, a failed write and a failed undo would forget a member).
  if (add.length === 0 && !checkOff) {
    if (remove.length > 0) await calls.setRunIamPolicy(region, current.name, withMembers(policy, remove, 'remove'));
    await turnCheckOn();
    // The IAM policy is not the service: only turning the check on changed the service's etag.
    const now = checkOn ? ((await calls.getRunService(region, current.name)) ?? current) : current;
    await calls.annotateRunService(region, current.name, record, now);
    return;
  }
  // Giving access, the record first: a binding added is always a binding teardown knows about.
  await calls.annotateRunService(region, current.name, record, current, switches);
  if (add.length === 0 && remove.length === 0) return turnCheckOn();
  try {
    await calls.setRunIamPolicy(region, current.name, withMembers(withMembers(policy, add, 'add'), remove, 'remove'));
  } catch (error) {
    const reason = (error as { reason?: unknown }).reason;
    // The policy changed under us (another writer, often another run of this config that has just
    // recorded the same members in this same annotation): keep the record, since undoing it could
    // erase the other run's, and the walker runs the step again on a fresh read.
    if (reason === 'conflict') throw error;
    // Otherwise nothing changed: the record (and the IAM check switch) go back to what they were.
    const undo = Object.fromEntries(Object.keys(record).map((k) => [k, current.annotations[k] ?? null]));
    const now = await calls.getRunService(region, current.name).catch(() => undefined);
    const undoSwitches = switches ? { invokerIamDisabled: current.invokerIamDisabled === true } : undefined;
    if (now) await calls.annotateRunService(region, current.name, undo, now, undoSwitches).catch(() => undefined);
    if (allUsersRefused(error, add)) {
      throw calls.fail(operation, 'failedPrecondition', `Google refused to let allUsers invoke Cloud Run service ${current.name}: ${(error as Error).message}`, {
        cause: error,
        hint:
          'An organisation policy (domain restricted sharing, iam.allowedPolicyMemberDomains) forbids public members in this project. ' +
          'Turn the invoker IAM check off instead (options.invoker: public-no-iam-check, --invoker public-no-iam-check: Google\'s recommended public setting, which the policy allows), ' +
          'or put IAP in front of the backend (options.iap.enabled: true; invoker auto then grants the IAP service agent). Nothing was changed on the service.',
      });
    }
    throw error;
  }
  await turnCheckOn();
}

/** The members with allUsers replaced by the body's fallback (the IAM check off), or undefined without one. */
function fallbackMembers(body: Record<string, unknown>, members: readonly string[]): string[] | undefined {
  const fallback = typeof body.fallback === 'string' ? body.fallback : undefined;
  if (fallback === undefined || !members.includes('allUsers')) return undefined;
  return [...new Set(members.map((m) => (m === 'allUsers' ? fallback : m)))].sort();
}

async function grant(calls: ServiceCalls, resource: DesiredResource, operation: string): Promise<void> {
  const { region, current } = await requireService(calls, resource.scope, resource.name, operation);
  const wanted = [...new Set(await Promise.all(strings(resource.body, 'members').map((m) => resolveMember(calls, m))))].sort();
  const shares = invokerShares(current.annotations);
  const owner = leavingOrJoining(calls, shares);
  if (!owner) throw calls.fail(operation, 'invalid', 'no load balancer named for the change (CallOptions.owner)');
  try {
    await applyShares(calls, region, current, withShare(shares, owner, wanted), operation);
  } catch (error) {
    // invoker auto under domain restricted sharing: the IAM check off instead of allUsers.
    const instead = fallbackMembers(resource.body, wanted);
    if (!instead || !allUsersRefused((error as { cause?: unknown }).cause ?? error, ['allUsers'])) throw error;
    const fresh = await requireService(calls, resource.scope, resource.name, operation);
    await applyShares(calls, region, fresh.current, withShare(invokerShares(fresh.current.annotations), owner, instead), operation);
  }
}

/** The members each load balancer recorded on an observed service, written as the plan writes them. */
function plannedShares(body: Record<string, unknown>): Map<string, string[]> {
  return new Map([...invokerShares(annotationsOf(body)).entries()].map(([lb, members]) => [lb, [...new Set(members.map(planned))].sort()]));
}

export const cloudRunInvoker = {
  kind: 'cloudRunInvoker',
  words: 'Cloud Run service IAM',
  scopes: { global: false, regional: true },

  build(g) {
    const members = new Map<string, { service: string; region: string; members: Set<string> }>();
    const fallbacks = new Map<string, string>();
    for (const { service, region, member, fallback } of cloudRunInvokers(g.spec)) {
      const key = `${region}/${service}`;
      const entry = members.get(key) ?? { service, region, members: new Set<string>() };
      entry.members.add(member);
      members.set(key, entry);
      if (fallback !== undefined) fallbacks.set(key, fallback);
    }
    const ruleIds = g.shared.forwardingRules.map((r) => r.id);
    for (const { service, region, members: who } of members.values()) {
      // Both write the service's annotations: after the ingress change, never beside it.
      const ingress = resourceId('cloudRunIngress', `regions/${region}`, service);
      const deps = g.has(ingress) ? [...ruleIds, ingress] : ruleIds;
      const list = [...who].sort();
      const whom = list.map((m) => (m === 'allUsers' ? 'allUsers' : m === IAP_SERVICE_AGENT ? 'the IAP service agent' : m === NO_IAM_CHECK ? 'anyone (invoker IAM check off)' : m)).join(' and ');
      const fallback = fallbacks.get(`${region}/${service}`);
      const body: Record<string, unknown> = { role: INVOKER_ROLE, members: list, ...(fallback !== undefined ? { fallback } : {}) };
      g.add('cloudRunInvoker', `regions/${region}`, service, body, deps, `let ${whom} invoke Cloud Run service ${service} in ${region} (the load balancer's requests)`);
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
      const shares = invokerShares(current.annotations);
      const leaving = leavingOrJoining(calls, shares);
      if (leaving === undefined || !shares.has(leaving)) {
        throw calls.fail(operation, 'notFound', `Cloud Run service ${ref.name} records no invoker members of this load balancer`);
      }
      await applyShares(calls, region, current, withShare(shares, leaving, undefined), operation);
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    teardownReason(observed, lb) {
      const remaining = withShare(plannedShares(observed), lb, undefined);
      if (remaining.size === 0) return 'removes the invoker members it added';
      return `removes the invoker members it added that ${sharersText([...remaining.keys()].sort())} do${remaining.size === 1 ? 'es' : ''} not need`;
    },
    // Both write the service's annotations: one after the other.
    deleteAfter: ['cloudRunIngress'],
    decide(d) {
      if (!d.observed) return { action: 'create', changes: [], reason: d.offline ? 'grants roles/run.invoker (current policy not read offline)' : 'service not found' };
      const have = strings(d.observed.body, 'members');
      const wanted = strings(d.resource.body, 'members');
      const missing = wanted.filter((m) => !have.includes(m));
      const shares = plannedShares(d.observed.body);
      const recorded = shares.get(d.lbName);
      const others = otherSharers(shares, d.lbName);
      const shared = others.length > 0 ? `; shared with ${sharersText(others)}` : '';
      // invoker auto took the fallback (allUsers refused): that is what this load balancer needs.
      const instead = fallbackMembers(d.resource.body, wanted);
      if (instead && recorded !== undefined && recorded.join() === instead.join() && instead.every((m) => have.includes(m))) {
        return { action: 'noop', changes: [], reason: `invoker IAM check off (allUsers is refused in this project: domain restricted sharing)${shared}` };
      }
      const added = addedMembers(annotationsOf(d.observed.body)).map(planned);
      const same = recorded !== undefined && recorded.length === wanted.length && wanted.every((m) => recorded.includes(m));
      // A member serverless-lb added (for another load balancer) must be recorded as this one's need too.
      if (missing.length === 0 && (same || (recorded === undefined && !wanted.some((m) => added.includes(m))))) {
        return { action: 'noop', changes: [], reason: `roles/run.invoker already granted${shared}` };
      }
      const reason = missing.length > 0 ? `adds ${missing.join(', ')} to roles/run.invoker` : `records this load balancer's need of ${wanted.join(', ')}`;
      return { action: recorded === undefined ? 'create' : 'update', changes: [{ field: 'members', from: have, to: d.resource.body.members }], reason: `${reason}${shared}` };
    },
  },
  // The IAM policy is read and set; the annotation recording each load balancer's need is an update.
  access: { permissions: () => ['run.services.getIamPolicy', 'run.services.setIamPolicy', 'run.services.update'], apis: () => ['run.googleapis.com'] },
  setting: { inEffect: (desired, observed) => strings(desired, 'members').every((m) => strings(observed, 'members').includes(m)) },
  ownership: {
    labels: false,
    description: false,
    owners: (body) => [...invokerShares(annotationsOf(body)).keys()],
  },

  gcloud(s, r) {
    const region = regionOf(r.scope);
    for (const member of strings(r.body, 'members')) {
      if (member === NO_IAM_CHECK) {
        s.command(r.project, { head: gcloud('run', 'services', 'update', r.name), flags: [...(region ? [flag('region', region)] : []), bare('no-invoker-iam-check')] });
        continue;
      }
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
    // The IAM check off is a setting of the service, which this configuration does not manage.
    resourceType: (r) => (strings(r.body, 'members').some((m) => m !== NO_IAM_CHECK) ? 'google_cloud_run_v2_service_iam_member' : undefined),
    comment(r) {
      const region = regionOf(r.scope);
      return [
        `Cloud Run service ${r.name}${region ? ` (${region})` : ''}: not managed by this configuration.`,
        'Let the load balancer\'s requests in by turning its invoker IAM check off (invoker_iam_disabled = true on google_cloud_run_v2_service):',
        `  gcloud run services update ${shellQuote(r.name)}${region ? ` --region=${shellQuote(region)}` : ''} --no-invoker-iam-check --project=${shellQuote(r.project)}`,
      ];
    },
    convert(t, r) {
      const members = strings(r.body, 'members').filter((m) => m !== NO_IAM_CHECK).map((m): HclValue => (m.includes('{PROJECT_NUMBER}') ? expr(`"${m.replace('{PROJECT_NUMBER}', `\${${t.projectNumber()}}`)}"`) : m));
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
