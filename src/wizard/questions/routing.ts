/**
 * Wizard questions: Routing: host and path rules to the backends.
 */

import { HostRuleInput, Question, backendsOf, formatRoutes, parseRoutes } from './kit.js';

export const routes: Question<HostRuleInput[]> = {
  id: 'routes',
  label: 'Routes',
  keys: ['routing.hosts'],
  relevant: (s) => backendsOf(s).length > 1,
  optional: true,
  read: (p) => p.routing?.hosts as HostRuleInput[] | undefined,
  apply: (p, v) => {
    if (v.length > 0) (p.routing ??= {}).hosts = v;
  },
  show: (v) => (v.length ? formatRoutes(v).join(', ') : 'none'),
  default: () => [],
  async ask(kit) {
    const fallback = kit.state.input.routing?.defaultBackend ?? backendsOf(kit.state)[0]?.name ?? 'the default backend';
    const text = await kit.prompter.input({
      id: 'routes',
      message: `Routes, comma-separated HOST[/PATH]=BACKEND (e.g. api.example.com=api, /static/*=static); empty: everything goes to ${fallback}`,
      ...(kit.initial?.length ? { default: formatRoutes(kit.initial).join(', ') } : {}),
      validate: (value) => {
        const parsed = parseRoutes(value);
        return 'reason' in parsed ? parsed.reason : kit.validate(parsed.hosts);
      },
    });
    const parsed = parseRoutes(text);
    return 'hosts' in parsed ? parsed.hosts : [];
  },
};
