/**
 * Wizard questions: The backends: what serves the traffic (Cloud Run services or URL masks, functions, App Engine, API Gateway), and which one gets what no rule matches.
 */
import { BACKEND_KINDS } from '../../spec/from-flags.js';
import type { Choice } from '../prompter.js';

import { BackendInput, Question, typeOf, isGlobalExternal, backendsOf, regionsOf, zodMessage, shape, formatBackend, parseBackends, uniqueReason, select } from './kit.js';

const OTHER = '+other';

export const backends: Question<BackendInput[]> = {
  id: 'backends',
  label: 'Backends',
  keys: ['backends'],
  relevant: () => true,
  read: (p) => ((p.backends as BackendInput[] | undefined)?.length ? (p.backends as BackendInput[]) : undefined),
  apply: (p, v) => void (p.backends = v),
  show: (v) => v.map(formatBackend).join(', '),
  check: (v) => {
    if (v.length === 0) return 'choose at least one backend';
    for (const backend of v) {
      const why = zodMessage(shape.name, backend.name);
      if (why) return `backend name "${backend.name}" ${why}`;
    }
    return uniqueReason(v.map((b) => b.name), 'backend name');
  },
  async ask(kit) {
    const { state, prompter } = kit;
    const type = typeOf(state);
    const kinds = isGlobalExternal(type) ? BACKEND_KINDS.join(', ') : 'run, run-mask';
    const typedMessage = `Backends, comma-separated: a Cloud Run service name, or NAME=KIND:TARGET (kinds: ${kinds}), e.g. web, api=run:api`;
    const found = new Map<string, { regions: string[]; uri?: string }>();
    let listed = false;
    for (const r of regionsOf(state)) {
      const services = await state.discover.list(`Cloud Run services in ${r}`, (d) => d.runServices(r));
      if (!services) continue;
      listed = true;
      for (const svc of services) {
        const entry = found.get(svc.name) ?? { regions: [] };
        entry.regions.push(r);
        if (svc.uri && !entry.uri) entry.uri = svc.uri;
        found.set(svc.name, entry);
      }
    }
    const initial = kit.initial ?? [];
    const typed = (initialOthers: BackendInput[], id: string, picked: BackendInput[]) =>
      prompter
        .input({
          id,
          message: typedMessage,
          ...(initialOthers.length ? { default: initialOthers.map(formatBackend).join(', ') } : {}),
          validate: (text) => {
            const parsed = parseBackends(text);
            if ('reason' in parsed) return parsed.reason;
            return kit.validate([...picked, ...parsed.backends]);
          },
        })
        .then((text) => {
          const parsed = parseBackends(text);
          return [...picked, ...('backends' in parsed ? parsed.backends : [])];
        });

    if (found.size === 0) {
      if (listed) state.say(`  No Cloud Run service found in ${regionsOf(state).join(', ')}: type the backends.`);
      return typed(initial, 'backends', []);
    }
    const isListed = (b: BackendInput) => b.cloudRun?.service !== undefined && b.cloudRun.service === b.name && b.cloudRun.tag === undefined && b.regions === undefined && found.has(b.name);
    const initialListed = new Set(initial.filter(isListed).map((b) => b.name));
    const initialOthers = initial.filter((b) => !isListed(b));
    const choices: Choice[] = [...found].map(([name, info]) => ({
      value: name,
      name: `${name}  (Cloud Run, ${info.regions.join(', ')})`,
      ...(info.uri ? { description: info.uri } : {}),
      checked: initialListed.has(name),
    }));
    choices.push({
      value: OTHER,
      name: isGlobalExternal(type) ? 'Something else: a service not listed, a Cloud Function (1st gen), App Engine, API Gateway, a URL mask' : 'Something else: a service not listed, or a URL mask',
      checked: initialOthers.length > 0,
    });
    const toBackends = (values: string[]) => values.filter((v) => v !== OTHER).map((name): BackendInput => ({ name, cloudRun: { service: name } }));
    const chosen = await prompter.checkbox({
      id: 'backends',
      message: 'Which serverless apps go behind the load balancer? (space to choose, enter to confirm)',
      choices,
      validate: (values) => {
        if (values.length === 0) return 'choose at least one';
        return values.includes(OTHER) ? undefined : kit.validate(toBackends(values));
      },
    });
    const picked = toBackends(chosen);
    if (!chosen.includes(OTHER)) return picked;
    return typed(initialOthers, 'backends.other', picked);
  },
};

export const defaultBackend: Question<string> = {
  id: 'defaultBackend',
  label: 'Default backend',
  keys: ['routing.defaultBackend'],
  relevant: (s) => backendsOf(s).length > 1,
  read: (p) => p.routing?.defaultBackend,
  apply: (p, v) => void ((p.routing ??= {}).defaultBackend = v),
  show: (v) => v,
  default: (s) => backendsOf(s)[0]?.name,
  ask: (kit) =>
    select(
      'defaultBackend',
      'Which backend gets the requests that match no host or path rule?',
      backendsOf(kit.state).map((b) => ({ value: b.name, name: `${b.name}  (${formatBackend(b)})` })),
      kit,
    ),
};
