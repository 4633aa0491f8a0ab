/**
 * Wizard questions: The load balancer itself: the project, its type, its region(s), and its name.
 */
import { LB_TYPE_INFO, LB_TYPES, type LbType } from '../../spec/schema.js';
import { isRegionalType } from '../../spec/derive.js';

import { didYouMean } from '../../spec/closest-match.js';
import { Question, WizardState, typeOf, backendsOf, zodMessage, shape, regionReason, uniqueReason, listInput, textInput, select, searchOrType } from './kit.js';

/** Why a project cannot be used, from the error reading it (the Cloud port's CloudError). */
function projectRefusal(project: string, error: unknown): string | undefined {
  const e = error as { reason?: string; googleMessage?: string; message?: string };
  const google = e.googleMessage ?? e.message ?? String(error);
  switch (e.reason) {
    case 'notFound':
      return `project "${project}" was not found, or this account cannot see it (Google: ${google}). Give the project ID (not its name or number): \`gcloud projects list\``;
    case 'accessNotConfigured':
      return `the Compute Engine API is not enabled in project ${project} (Google: ${google}). Enable it: \`gcloud services enable compute.googleapis.com run.googleapis.com --project ${project}\``;
    case 'forbidden':
      return `this account may not read project ${project} (Google: ${google}). Ask for a role that can (roles/compute.loadBalancerAdmin and roles/run.viewer, or roles/editor), or pick another project`;
    default:
      // Credentials, network: not a problem of the answer; the plan's preflight says more.
      return undefined;
  }
}

/** The project's regions (discovery), or undefined when they cannot be listed. */
function projectRegions(state: WizardState): Promise<string[] | undefined> {
  return state.discover.list('regions', (d) => d.regions());
}

/** Why a region is refused: not one of the project's (with the nearest name). */
async function regionRefusal(region: string, state: WizardState): Promise<string | undefined> {
  const known = await projectRegions(state);
  if (!known || known.length === 0 || known.includes(region)) return undefined;
  return `"${region}" is not a region of project ${state.input.project ?? ''}${didYouMean(region, known)}`;
}

export const project: Question<string> = {
  id: 'project',
  label: 'Project',
  keys: ['project'],
  relevant: () => true,
  read: (p) => p.project,
  apply: (p, v) => void (p.project = v),
  show: (v) => v,
  default: (s) => s.hints.projectDefault,
  suggest: (s) => s.hints.projectSuggestion,
  check: (v) => {
    const why = zodMessage(shape.project, v);
    return why ? `"${v}" ${why}` : undefined;
  },
  live: async (v, s) => {
    const error = await s.discover.probe(`project ${v}`, (d) => d.checkProject(), v);
    return error === undefined ? undefined : projectRefusal(v, error);
  },
  ask: (kit) => textInput('project', 'Google Cloud project ID (it holds the load balancer and your serverless apps)', kit),
};

export const type: Question<LbType> = {
  id: 'type',
  label: 'Load balancer type',
  keys: ['type'],
  relevant: () => true,
  read: (p) => p.type as LbType | undefined,
  apply: (p, v) => void (p.type = v),
  show: (v) => `${v} (${LB_TYPE_INFO[v].title})`,
  default: () => 'global-external',
  check: (v) => ((LB_TYPES as readonly string[]).includes(v) ? undefined : `"${v}" is not a load balancer type (${LB_TYPES.join(', ')})`),
  ask: (kit) =>
    select(
      'type',
      'Which Application Load Balancer?',
      LB_TYPES.map((t) => ({ value: t, name: `${LB_TYPE_INFO[t].title} (${t})`, description: LB_TYPE_INFO[t].summary })),
      kit,
    ),
};

export const region: Question<string> = {
  id: 'region',
  label: 'Region',
  keys: ['region'],
  relevant: (s) => typeOf(s) !== 'cross-region-internal',
  read: (p) => p.region,
  apply: (p, v) => void (p.region = v),
  show: (v) => v,
  suggest: (s) => (s.hints.emulator ? 'europe-west1' : 'us-central1'),
  check: regionReason,
  live: regionRefusal,
  async ask(kit) {
    const known = (await projectRegions(kit.state)) ?? [];
    const message = isRegionalType(typeOf(kit.state))
      ? 'Region of the load balancer and its Cloud Run services'
      : 'Region of your serverless apps, where their serverless NEGs go';
    return known.length > 0 ? searchOrType('region', message, known.map((r) => ({ value: r, name: r })), kit) : textInput('region', `${message} (e.g. europe-west1, us-central1)`, kit);
  },
};

export const regions: Question<string[]> = {
  id: 'regions',
  label: 'Regions',
  keys: ['regions'],
  relevant: (s) => typeOf(s) === 'cross-region-internal',
  read: (p) => (p.regions as string[] | undefined)?.length ? (p.regions as string[]) : undefined,
  apply: (p, v) => void (p.regions = v),
  show: (v) => v.join(', '),
  suggest: (s) => (s.hints.emulator ? ['europe-west1', 'us-central1'] : undefined),
  check: (v) => v.map(regionReason).find(Boolean) ?? uniqueReason(v, 'region'),
  live: async (v, s) => {
    for (const region of v) {
      const refused = await regionRefusal(region, s);
      if (refused) return refused;
    }
    return undefined;
  },
  ask: (kit) => listInput('regions', 'Regions of the load balancer: each gets a forwarding rule and holds your Cloud Run services (comma-separated)', kit),
};

export const name: Question<string> = {
  id: 'name',
  label: 'Name',
  keys: ['name'],
  relevant: () => true,
  read: (p) => p.name,
  apply: (p, v) => void (p.name = v),
  show: (v) => v,
  suggest: (s) => {
    const first = backendsOf(s)[0]?.name;
    return first ? `${first.slice(0, 37)}-lb` : 'my-lb';
  },
  check: (v) => {
    const why = zodMessage(shape.name, v);
    return why ? `"${v}" ${why}` : undefined;
  },
  ask: (kit) => textInput('name', 'Name of the load balancer (every resource name starts with it; teardown finds them by it)', kit),
};
