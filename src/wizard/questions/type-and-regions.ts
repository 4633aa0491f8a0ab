/**
 * Wizard questions: The load balancer itself: the project, its type, its region(s), and its name.
 */
import { LB_TYPE_INFO, LB_TYPES, type LbType } from '../../spec/schema.js';
import { isRegionalType } from '../../spec/derive.js';

import { Question, typeOf, backendsOf, zodMessage, shape, regionReason, uniqueReason, listInput, textInput, select } from './kit.js';

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
  ask: (kit) =>
    textInput(
      'region',
      isRegionalType(typeOf(kit.state))
        ? 'Region of the load balancer and its Cloud Run services (e.g. europe-west1, us-central1)'
        : 'Region of your serverless apps, where their serverless NEGs go (e.g. europe-west1, us-central1)',
      kit,
    ),
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
