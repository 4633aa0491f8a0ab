/**
 * The wizard's questions: one per Spec field (src/spec/fields.ts names each one's id), in the order a
 * person thinks: project, load balancer type, region(s), backends, routing, name, protocol, port,
 * domains, certificate, DNS zone, address, network, options, ingress.
 *
 * Each question knows: when it is relevant (the LB type and earlier answers decide), how to read its
 * answer from a SpecInputPatch (so a flag or config value is echoed instead of asked), how to write
 * an answer back, its default (used without a human too) or its suggestion (offered to a human only),
 * and how to ask it, with discovery through the Cloud port where listing beats typing.
 * Validation is the engine's (ask.ts): the same rules as the config, on the keys the question sets.
 */
import { resolve } from 'node:path';
import {
  LB_TYPE_INFO,
  LB_TYPES,
  INGRESS_SETTINGS,
  specSchema,
  type LbType,
  type SpecInput,
} from '../spec/schema.js';
import {
  parseBackendFlag,
  parseRateLimitFlag,
  parseRouteFlag,
  routesToHostRules,
  BACKEND_KINDS,
  type Route,
  type SpecInputPatch,
} from '../spec/from-flags.js';
import { defaultPort, isInternalType, isRegionalType, usesNetwork, proxyOnlySubnetPurpose } from '../spec/derive.js';
import type { Scope } from '../plan/resource-model.js';
import type { Discovery } from './discovery.js';
import type { Choice, Prompter } from './prompter.js';
import { deleteIn, getIn, setIn } from './patch.js';

type P = SpecInputPatch;
type BackendInput = SpecInput['backends'][number];
type HostRuleInput = NonNullable<NonNullable<SpecInput['routing']>['hosts']>[number];

/** Lists through discovery; undefined when listing is not possible (the engine has said why). */
export interface DiscoveryAccess {
  list<T>(what: string, run: (discovery: Discovery) => Promise<T>): Promise<T | undefined>;
}

export interface WizardHints {
  /** A project to use without asking (the environment; `demo-project` with the embedded emulator). */
  projectDefault?: string;
  /** Where projectDefault comes from, when the environment (`CLOUDSDK_CORE_PROJECT`). */
  projectDefaultFrom?: string;
  /** A project to offer a human (gcloud's). */
  projectSuggestion?: string;
  /** Talking to the emulator: suggest the seed's names. */
  emulator?: boolean;
}

export interface WizardState {
  /** The answers so far: flags and config first, then defaults and prompts. */
  input: P;
  /** Answers a caller recommends (the demo's): offered as each prompt's default. */
  suggested: P;
  hints: WizardHints;
  discover: DiscoveryAccess;
  /** Prints one line (notes about discovery, refused answers). */
  say(line: string): void;
}

export interface AskKit<V> {
  prompter: Prompter;
  state: WizardState;
  /** The value to offer first: the caller's suggestion, else the default, else the question's suggestion. */
  initial: V | undefined;
  /** The full check of a candidate answer (syntax, then the config's rules on this question's keys). */
  validate(value: V): string | undefined;
}

export interface Question<V = unknown> {
  /** The fields.ts question id. */
  id: string;
  /** A short label for echoes and the summary. */
  label: string;
  /** The config keys this question sets; the first is its main key. */
  keys: string[];
  relevant(state: WizardState): boolean;
  /** The answer already in a patch (from flags, the config, or an earlier answer), if any. */
  read(patch: P): V | undefined;
  /** Writes an answer into a patch. */
  apply(patch: P, value: V): void;
  show(value: V): string;
  /** The answer when nobody is asked; also the first offer to a human. */
  default?(state: WizardState): V | undefined;
  /** Offered to a human only (no effect without one). */
  suggest?(state: WizardState): V | undefined;
  /** May stay unanswered. Without a human, a question that is neither optional nor defaulted is reported missing. */
  optional?: boolean | ((state: WizardState) => boolean);
  /** Syntax of an answer, before the config's rules. */
  check?(value: V, state: WizardState): string | undefined;
  /** Asks a human; undefined leaves an optional question unanswered. */
  ask(kit: AskKit<V>): Promise<V | undefined>;
}

// ------------------------------------------------------------------------------------ helpers

export function typeOf(state: WizardState): LbType {
  return (state.input.type as LbType | undefined) ?? 'global-external';
}
function isGlobalExternal(type: LbType): boolean {
  return type === 'global-external' || type === 'classic';
}
function protocolOf(state: WizardState): string {
  return state.input.frontend?.protocol ?? 'https';
}
function backendsOf(state: WizardState): BackendInput[] {
  return (state.input.backends ?? []) as BackendInput[];
}
function domainsOf(state: WizardState): string[] {
  return (state.input.frontend?.domains ?? []).filter((d): d is string => typeof d === 'string');
}
/** The regions the LB's backends default to: `regions` for cross-region internal, else `[region]`. */
export function regionsOf(state: WizardState): string[] {
  if (typeOf(state) === 'cross-region-internal') return (state.input.regions ?? []).filter((r): r is string => typeof r === 'string');
  const region = state.input.region;
  return typeof region === 'string' ? [region] : [];
}
function scopeOf(state: WizardState): Scope | undefined {
  const type = typeOf(state);
  if (!isRegionalType(type)) return type === 'cross-region-internal' ? undefined : 'global';
  const region = state.input.region;
  return typeof region === 'string' ? `regions/${region}` : undefined;
}

/** Splits a comma- or space-separated list. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s !== '');
}

function zodMessage(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error?.issues[0]?.message ?? 'is not valid';
}

const shape = specSchema.shape;
const regionSchema = shape.region.unwrap();

function regionReason(region: string): string | undefined {
  const why = zodMessage(regionSchema, region);
  return why ? `"${region}" ${why}` : undefined;
}

/** `web` for a Cloud Run service named like the backend, else `NAME=KIND:TARGET[?OPTIONS]` (the --backend syntax). */
export function formatBackend(backend: BackendInput): string {
  let head: string;
  if (backend.cloudRun?.service !== undefined) head = backend.cloudRun.service === backend.name ? backend.name : `${backend.name}=run:${backend.cloudRun.service}`;
  else if (backend.cloudRun?.urlMask !== undefined) head = `${backend.name}=run-mask:${backend.cloudRun.urlMask}`;
  else if (backend.cloudFunction?.function !== undefined) head = `${backend.name}=function:${backend.cloudFunction.function}`;
  else if (backend.cloudFunction?.urlMask !== undefined) head = `${backend.name}=function-mask:${backend.cloudFunction.urlMask}`;
  else if (backend.appEngine?.urlMask !== undefined) head = `${backend.name}=appengine-mask:${backend.appEngine.urlMask}`;
  else if (backend.appEngine) head = `${backend.name}=appengine:${backend.appEngine.service ?? ''}${backend.appEngine.version ? `/${backend.appEngine.version}` : ''}`;
  else if (backend.apiGateway) head = `${backend.name}=apigateway:${backend.apiGateway.gateway}`;
  else head = backend.name;
  const params: string[] = [];
  if (backend.cloudRun?.tag !== undefined) params.push(`tag=${backend.cloudRun.tag}`);
  if (backend.regions) params.push(`regions=${backend.regions.join(',')}`);
  if (backend.cdn !== undefined) params.push(`cdn=${backend.cdn}`);
  if (backend.iap !== undefined) params.push(`iap=${backend.iap}`);
  if (backend.cloudArmor !== undefined) params.push(`armor=${backend.cloudArmor}`);
  return params.length ? `${head}?${params.join('&')}` : head;
}

/** Parses a list of --backend values; a reason when one is malformed. */
export function parseBackends(text: string): { backends: BackendInput[] } | { reason: string } {
  const backends: BackendInput[] = [];
  for (const value of splitList(text)) {
    const parsed = parseBackendFlag(value);
    if ('reason' in parsed) return { reason: `"${value}" ${parsed.reason}` };
    backends.push(parsed.backend);
  }
  return { backends };
}

/** Host rules back to --route values. */
export function formatRoutes(hosts: readonly HostRuleInput[]): string[] {
  const out: string[] = [];
  for (const rule of hosts) {
    for (const host of rule.hosts ?? []) {
      if (rule.defaultBackend !== undefined) out.push(`${host}=${rule.defaultBackend}`);
      for (const pathRule of rule.paths ?? []) for (const path of pathRule.paths ?? []) out.push(`${host === '*' ? '' : host}${path}=${pathRule.backend}`);
    }
  }
  return out;
}

export function parseRoutes(text: string): { hosts: HostRuleInput[] } | { reason: string } {
  const routes: Route[] = [];
  for (const value of splitList(text)) {
    const parsed = parseRouteFlag(value);
    if ('reason' in parsed) return { reason: `"${value}" ${parsed.reason}` };
    routes.push(parsed.route);
  }
  const { hosts, conflicts } = routesToHostRules(routes);
  if (conflicts.length > 0) return { reason: conflicts.join('; ') };
  return { hosts };
}

function uniqueReason(values: readonly string[], what: string): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return `${what} "${value}" is listed twice`;
    seen.add(value);
  }
  return undefined;
}

function listInput(id: string, message: string, kit: AskKit<string[]>, optional = false): Promise<string[] | undefined> {
  return kit.prompter
    .input({
      id,
      message,
      ...(kit.initial?.length ? { default: kit.initial.join(', ') } : {}),
      validate: (text) => {
        const list = splitList(text);
        if (list.length === 0 && !optional) return 'give at least one';
        return kit.validate(list);
      },
    })
    .then((text) => {
      const list = splitList(text);
      return list.length === 0 ? undefined : list;
    });
}

function textInput(id: string, message: string, kit: AskKit<string>, optional = false): Promise<string | undefined> {
  return kit.prompter
    .input({
      id,
      message,
      ...(kit.initial ? { default: kit.initial } : {}),
      validate: (text) => {
        const value = text.trim();
        if (value === '') return optional ? undefined : 'an answer is needed';
        return kit.validate(value);
      },
    })
    .then((text) => (text.trim() === '' ? undefined : text.trim()));
}

function yesNo(id: string, message: string, kit: AskKit<boolean>, fallback: boolean): Promise<boolean> {
  return kit.prompter.confirm({ id, message, default: kit.initial ?? fallback, validate: (v) => kit.validate(v) });
}

function select<V extends string>(id: string, message: string, choices: Choice[], kit: AskKit<V>): Promise<V> {
  return kit.prompter.select({ id, message, choices, ...(kit.initial !== undefined ? { default: kit.initial } : {}), validate: (v) => kit.validate(v as V) }) as Promise<V>;
}

// ---------------------------------------------------------------------------------- questions

const project: Question<string> = {
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

const type: Question<LbType> = {
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

const region: Question<string> = {
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

const regions: Question<string[]> = {
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

const OTHER = '+other';

const backends: Question<BackendInput[]> = {
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

const defaultBackend: Question<string> = {
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

const routes: Question<HostRuleInput[]> = {
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

const name: Question<string> = {
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

const protocol: Question<string> = {
  id: 'protocol',
  label: 'Protocol',
  keys: ['frontend.protocol'],
  relevant: () => true,
  read: (p) => p.frontend?.protocol,
  apply: (p, v) => void ((p.frontend ??= {}).protocol = v as 'https'),
  show: (v) => v,
  default: (s) => (isInternalType(typeOf(s)) ? 'https' : 'https-redirect'),
  ask: (kit) =>
    select(
      'protocol',
      'Which protocol do clients use?',
      [
        { value: 'https-redirect', name: 'HTTPS, and HTTP redirected to HTTPS (https-redirect)', description: 'an HTTPS listener plus one on port 80 that answers with a redirect' },
        { value: 'https', name: 'HTTPS only (https)', description: 'one HTTPS listener' },
        { value: 'http', name: 'HTTP only (http)', description: 'no certificate; for trials and private traffic' },
      ],
      kit,
    ),
};

const port: Question<number> = {
  id: 'port',
  label: 'Port',
  keys: ['frontend.port'],
  relevant: () => true,
  read: (p) => p.frontend?.port,
  apply: (p, v) => {
    // The protocol's own port is the default: leave it out, so a later protocol change keeps it right.
    if (v === defaultPort((p.frontend?.protocol ?? 'https') as 'https')) deleteIn(p as Record<string, unknown>, 'frontend.port');
    else (p.frontend ??= {}).port = v;
  },
  show: (v) => String(v),
  default: (s) => defaultPort(protocolOf(s) as 'https'),
  ask: (kit) =>
    kit.prompter.number({
      id: 'port',
      message: `Port of the ${protocolOf(kit.state) === 'http' ? 'HTTP' : 'HTTPS'} listener`,
      min: 1,
      max: 65535,
      ...(kit.initial !== undefined ? { default: kit.initial } : {}),
      validate: (v) => kit.validate(v),
    }),
};

const domains: Question<string[]> = {
  id: 'domains',
  label: 'Domains',
  keys: ['frontend.domains'],
  relevant: () => true,
  optional: true,
  read: (p) => (p.frontend?.domains as string[] | undefined)?.length ? (p.frontend!.domains as string[]) : undefined,
  apply: (p, v) => {
    if (v.length > 0) (p.frontend ??= {}).domains = v;
  },
  show: (v) => (v.length ? v.join(', ') : 'none'),
  suggest: (s) => {
    const hosts = ((s.input.routing?.hosts ?? []) as HostRuleInput[]).flatMap((r) => r.hosts ?? []).filter((h) => h !== '*' && !h.startsWith('*') && !h.includes(':'));
    return hosts.length ? [...new Set(hosts)] : undefined;
  },
  ask: (kit) =>
    listInput(
      'domains',
      protocolOf(kit.state) === 'http'
        ? 'Domains clients use, comma-separated (optional: for DNS records and checks)'
        : 'Domains clients use, comma-separated (for the certificate, DNS records and checks)',
      kit,
      true,
    ),
};

type CertificateKind = 'managed' | 'self-managed' | 'existing' | 'certificate-manager';

function certificateKinds(type: LbType): CertificateKind[] {
  if (type === 'cross-region-internal') return ['certificate-manager'];
  if (isGlobalExternal(type)) return ['managed', 'self-managed', 'existing', 'certificate-manager'];
  return ['self-managed', 'existing', 'certificate-manager'];
}

const CERTIFICATE_CHOICES: Record<CertificateKind, Omit<Choice, 'value'>> = {
  managed: { name: 'Google-managed (managed)', description: 'Google issues and renews it once the domains point at the load balancer (recommended)' },
  'self-managed': { name: 'Your own, from PEM files (self-managed)', description: 'a certificate chain and its private key; the key is read only when applying' },
  existing: { name: 'Existing SSL certificates in the project (existing)', description: 'compute SSL certificates by name' },
  'certificate-manager': { name: 'Certificate Manager (certificate-manager)', description: 'a certificate map (global types) or certificates (regional and cross-region types)' },
};

function certificateOf(state: WizardState): string | undefined {
  return state.input.certificate?.type;
}
function https(state: WizardState): boolean {
  return protocolOf(state) !== 'http';
}

const certificate: Question<CertificateKind> = {
  id: 'certificate',
  label: 'Certificate',
  keys: ['certificate.type'],
  relevant: https,
  read: (p) => p.certificate?.type as CertificateKind | undefined,
  apply: (p, v) => {
    if (p.certificate?.type !== v) p.certificate = { type: v } as P['certificate'];
  },
  show: (v) => v,
  default: (s) => {
    const type = typeOf(s);
    if (isGlobalExternal(type)) return 'managed';
    return type === 'cross-region-internal' ? 'certificate-manager' : undefined;
  },
  suggest: () => 'self-managed',
  ask: (kit) =>
    select(
      'certificate',
      'Which certificate does the HTTPS listener present?',
      certificateKinds(typeOf(kit.state)).map((kind) => ({ value: kind, ...CERTIFICATE_CHOICES[kind] })),
      kit,
    ),
};

/** A path as typed, made absolute against the current directory (the config file stores it relative to itself). */
function absolutePath(path: string): string {
  return resolve(path);
}

const certificateFile: Question<string> = {
  id: 'certificateFile',
  label: 'Certificate file',
  keys: ['certificate.certificateFile'],
  relevant: (s) => https(s) && certificateOf(s) === 'self-managed',
  read: (p) => (p.certificate?.type === 'self-managed' ? p.certificate.certificateFile : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.certificateFile', absolutePath(v)),
  show: (v) => v,
  ask: (kit) => textInput('certificateFile', 'Path of the PEM certificate chain (leaf first)', kit),
};

const privateKeyFile: Question<string> = {
  id: 'privateKeyFile',
  label: 'Private key file',
  keys: ['certificate.privateKeyFile'],
  relevant: (s) => https(s) && certificateOf(s) === 'self-managed',
  read: (p) => (p.certificate?.type === 'self-managed' ? p.certificate.privateKeyFile : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.privateKeyFile', absolutePath(v)),
  show: (v) => v,
  ask: (kit) => textInput('privateKeyFile', 'Path of the PEM private key (read only when applying, never printed or stored)', kit),
};

const existingCertificate: Question<string[]> = {
  id: 'existingCertificate',
  label: 'Existing certificates',
  keys: ['certificate.names'],
  relevant: (s) => https(s) && certificateOf(s) === 'existing',
  read: (p) => (p.certificate?.type === 'existing' && p.certificate.names?.length ? (p.certificate.names as string[]) : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.names', v),
  show: (v) => v.join(', '),
  check: (v) => uniqueReason(v, 'certificate'),
  async ask(kit) {
    const scope = scopeOf(kit.state);
    const found = scope ? await kit.state.discover.list(`SSL certificates (${scope})`, (d) => d.sslCertificates(scope)) : undefined;
    if (found && found.length > 0) {
      const initial = new Set(kit.initial ?? []);
      return kit.prompter.checkbox({
        id: 'existingCertificate',
        message: 'Which SSL certificates?',
        choices: found.map((c) => ({ value: c.name, name: `${c.name}  (${c.type.toLowerCase()}${c.domains.length ? `: ${c.domains.join(', ')}` : ''})`, checked: initial.has(c.name) })),
        validate: (values) => (values.length === 0 ? 'choose at least one' : kit.validate(values)),
      });
    }
    return listInput('existingCertificate', 'Names of the existing SSL certificates, comma-separated', kit);
  },
};

const certificateMap: Question<string> = {
  id: 'certificateMap',
  label: 'Certificate map',
  keys: ['certificate.certificateMap'],
  relevant: (s) => https(s) && certificateOf(s) === 'certificate-manager' && isGlobalExternal(typeOf(s)),
  read: (p) => (p.certificate?.type === 'certificate-manager' ? p.certificate.certificateMap : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.certificateMap', v),
  show: (v) => v,
  ask: (kit) => textInput('certificateMap', 'Certificate Manager certificate map (its name)', kit),
};

const certificateManagerCertificate: Question<string[]> = {
  id: 'certificateManagerCertificate',
  label: 'Certificate Manager certificates',
  keys: ['certificate.certificates'],
  relevant: (s) => https(s) && certificateOf(s) === 'certificate-manager' && !isGlobalExternal(typeOf(s)),
  read: (p) => (p.certificate?.type === 'certificate-manager' && p.certificate.certificates?.length ? (p.certificate.certificates as string[]) : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.certificates', v),
  show: (v) => v.join(', '),
  check: (v) => uniqueReason(v, 'certificate'),
  ask: (kit) => listInput('certificateManagerCertificate', 'Certificate Manager certificates (names), comma-separated', kit),
};

const dnsZone: Question<string> = {
  id: 'dnsZone',
  label: 'DNS zone',
  keys: ['dns.managedZone'],
  relevant: (s) => domainsOf(s).length > 0,
  optional: true,
  read: (p) => p.dns?.managedZone,
  apply: (p, v) => void ((p.dns ??= {}).managedZone = v),
  show: (v) => v,
  async ask(kit) {
    const { state } = kit;
    const message = `Cloud DNS managed zone for the records of ${domainsOf(state).join(', ')}`;
    const zones = await state.discover.list('Cloud DNS managed zones', (d) => d.dnsZones());
    if (zones && zones.length > 0) {
      const covers = (z: { dnsName: string }) => domainsOf(state).some((d) => `${d}.`.endsWith(`.${z.dnsName}`) || `${d}.` === z.dnsName);
      const sorted = [...zones].sort((a, b) => Number(covers(b)) - Number(covers(a)));
      const choice = await kit.prompter.select({
        id: 'dnsZone',
        message,
        choices: [
          ...sorted.map((z) => ({ value: z.name, name: `${z.name}  (${z.dnsName})` })),
          { value: '', name: 'None: I create the DNS records myself' },
        ],
        default: kit.initial ?? (sorted[0] && covers(sorted[0]) ? sorted[0].name : ''),
        validate: (v) => (v === '' ? undefined : kit.validate(v)),
      });
      return choice === '' ? undefined : choice;
    }
    return textInput('dnsZone', `${message} (its name; empty: you create the records yourself)`, kit, true);
  },
};

const address: Question<string> = {
  id: 'address',
  label: 'Address',
  keys: ['frontend.address.mode'],
  relevant: () => true,
  read: (p) => p.frontend?.address?.mode,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.address.mode', v),
  show: (v) => v,
  default: () => 'reserve',
  ask: (kit) =>
    select(
      'address',
      `Which ${isInternalType(typeOf(kit.state)) ? 'internal' : 'external'} IP address?`,
      [
        { value: 'reserve', name: 'Reserve a new static address (reserve)', description: 'it stays the same for the life of the load balancer (recommended)' },
        { value: 'existing', name: 'An address already reserved in the project (existing)' },
        { value: 'ephemeral', name: 'An ephemeral address (ephemeral)', description: 'it can change if the forwarding rule is recreated' },
      ],
      kit,
    ),
};

const addressName: Question<string> = {
  id: 'addressName',
  label: 'Address name',
  keys: ['frontend.address.name'],
  relevant: (s) => s.input.frontend?.address?.mode === 'existing',
  read: (p) => p.frontend?.address?.name,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.address.name', v),
  show: (v) => v,
  async ask(kit) {
    const { state } = kit;
    const scope = scopeOf(state);
    const internal = isInternalType(typeOf(state));
    const found = scope ? await state.discover.list(`reserved addresses (${scope})`, (d) => d.addresses(scope)) : undefined;
    const free = (found ?? []).filter((a) => a.status !== 'IN_USE' && (a.addressType === 'INTERNAL') === internal);
    if (free.length > 0) {
      return kit.prompter.select({
        id: 'addressName',
        message: 'Which reserved address?',
        choices: free.map((a) => ({ value: a.name, name: `${a.name}  (${a.address})` })),
        ...(kit.initial ? { default: kit.initial } : {}),
        validate: (v) => kit.validate(v),
      });
    }
    if (found) state.say('  No free reserved address found: type its name.');
    return textInput('addressName', 'Name of the reserved address', kit);
  },
};

const network: Question<string> = {
  id: 'network',
  label: 'Network',
  keys: ['frontend.network.network'],
  relevant: (s) => usesNetwork(typeOf(s)),
  read: (p) => p.frontend?.network?.network,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.network', v),
  show: (v) => v,
  default: () => 'default',
  async ask(kit) {
    const found = await kit.state.discover.list('VPC networks', (d) => d.networks());
    if (found && found.length > 0) {
      return kit.prompter.select({
        id: 'network',
        message: 'Which VPC network does the load balancer live in?',
        choices: found.map((n) => ({ value: n, name: n })),
        default: kit.initial !== undefined && found.includes(kit.initial) ? kit.initial : found[0]!,
        validate: (v) => kit.validate(v),
      });
    }
    return textInput('network', 'VPC network of the load balancer', kit);
  },
};

function lastSegment(value: string): string {
  return value.split('/').pop() ?? value;
}

const subnet: Question<string> = {
  id: 'subnet',
  label: 'Subnet',
  keys: ['frontend.network.subnet'],
  relevant: (s) => usesNetwork(typeOf(s)) && isInternalType(typeOf(s)),
  read: (p) => p.frontend?.network?.subnet,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.subnet', v),
  show: (v) => v,
  default: () => 'default',
  async ask(kit) {
    const { state } = kit;
    const where = regionsOf(state);
    const networkName = state.input.frontend?.network?.network ?? 'default';
    const first = where[0];
    const found = first ? await state.discover.list(`subnets in ${first}`, (d) => d.subnetworks(first)) : undefined;
    const regular = (found ?? []).filter((s) => (s.purpose === 'PRIVATE' || s.purpose === '') && lastSegment(s.network) === networkName).map((s) => s.name);
    if (regular.length > 0) {
      return kit.prompter.select({
        id: 'subnet',
        message: `Which subnet gives the internal address${where.length > 1 ? ' (the same name in each region)' : ''}?`,
        choices: regular.map((n) => ({ value: n, name: n })),
        default: kit.initial !== undefined && regular.includes(kit.initial) ? kit.initial : regular[0]!,
        validate: (v) => kit.validate(v),
      });
    }
    return textInput('subnet', 'Regular subnet the internal address comes from (the same name in each region)', kit);
  },
};

/** Regions that need a proxy-only subnet (forwarding rule regions of the types that use one). */
function proxyRegions(state: WizardState): string[] {
  return proxyOnlySubnetPurpose(typeOf(state)) ? regionsOf(state) : [];
}

const proxyOnlySubnet: Question<string> = {
  id: 'proxyOnlySubnet',
  label: 'Proxy-only subnet',
  keys: ['frontend.network.proxyOnlySubnet.mode'],
  relevant: (s) => usesNetwork(typeOf(s)),
  read: (p) => p.frontend?.network?.proxyOnlySubnet?.mode,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.proxyOnlySubnet.mode', v),
  show: (v) => v,
  default: () => 'existing',
  async ask(kit) {
    const { state } = kit;
    const purpose = proxyOnlySubnetPurpose(typeOf(state));
    const networkName = state.input.frontend?.network?.network ?? 'default';
    let initial = kit.initial;
    const missing: string[] = [];
    let known = true;
    for (const r of proxyRegions(state)) {
      const found = await state.discover.list(`subnets in ${r}`, (d) => d.subnetworks(r));
      if (!found) {
        known = false;
        continue;
      }
      const active = found.find((s) => s.purpose === purpose && (s.role ?? 'ACTIVE') === 'ACTIVE' && lastSegment(s.network) === networkName);
      if (active) state.say(`  ${r} has an ACTIVE ${purpose} proxy-only subnet: ${active.name} (${active.ipCidrRange ?? 'range unknown'}).`);
      else missing.push(r);
    }
    if (known && state.suggested.frontend?.network?.proxyOnlySubnet?.mode === undefined) initial = missing.length > 0 ? 'create' : 'existing';
    return kit.prompter.select({
      id: 'proxyOnlySubnet',
      message: `Proxy-only subnet (${purpose}) in ${proxyRegions(state).join(', ') || 'each region'}: Google's proxies for the load balancer run there`,
      choices: [
        { value: 'existing', name: 'Use the one that exists (existing)', ...(missing.length ? { description: `none found in ${missing.join(', ')}` } : {}) },
        { value: 'create', name: 'Create one (create)', description: 'needs a free /23 range (at least /26) in the network' },
      ],
      ...(initial ? { default: initial } : {}),
      validate: (v) => kit.validate(v),
    });
  },
};

const proxyOnlySubnetRange: Question<Record<string, string>> = {
  id: 'proxyOnlySubnetRange',
  label: 'Proxy-only subnet ranges',
  keys: ['frontend.network.proxyOnlySubnet.ranges'],
  relevant: (s) => usesNetwork(typeOf(s)) && s.input.frontend?.network?.proxyOnlySubnet?.mode === 'create',
  read: (p) => {
    const ranges = p.frontend?.network?.proxyOnlySubnet?.ranges as Record<string, string> | undefined;
    return ranges && Object.keys(ranges).length > 0 ? ranges : undefined;
  },
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.network.proxyOnlySubnet.ranges', v),
  show: (v) => Object.entries(v).map(([r, c]) => `${r}=${c}`).join(', '),
  suggest: (s) => Object.fromEntries(proxyRegions(s).map((r, i) => [r, `10.${129 + i}.0.0/23`])),
  async ask(kit) {
    const parse = (text: string): Record<string, string> | string => {
      const out: Record<string, string> = {};
      for (const item of splitList(text)) {
        const [r, cidr, extra] = item.split('=');
        if (!r || !cidr || extra !== undefined) return `"${item}" is not REGION=CIDR`;
        out[r] = cidr;
      }
      return Object.keys(out).length ? out : 'give a range for each region';
    };
    const text = await kit.prompter.input({
      id: 'proxyOnlySubnetRange',
      message: `Ranges of the new proxy-only subnets, REGION=CIDR comma-separated (a free /23 in the network)`,
      ...(kit.initial ? { default: Object.entries(kit.initial).map(([r, c]) => `${r}=${c}`).join(', ') } : {}),
      validate: (value) => {
        const parsed = parse(value);
        return typeof parsed === 'string' ? parsed : kit.validate(parsed);
      },
    });
    const parsed = parse(text);
    return typeof parsed === 'string' ? undefined : parsed;
  },
};

const cdn: Question<boolean> = {
  id: 'cdn',
  label: 'Cloud CDN',
  keys: ['options.cdn.enabled'],
  relevant: (s) => isGlobalExternal(typeOf(s)),
  read: (p) => p.options?.cdn?.enabled,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.cdn.enabled', v),
  show: (v) => (v ? 'on' : 'off'),
  default: () => false,
  ask: (kit) => yesNo('cdn', 'Cache responses at Google\'s edge with Cloud CDN?', kit, false),
};

const iap: Question<boolean> = {
  id: 'iap',
  label: 'Identity-Aware Proxy',
  keys: ['options.iap.enabled'],
  relevant: () => true,
  read: (p) => p.options?.iap?.enabled,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.iap.enabled', v),
  show: (v) => (v ? 'on' : 'off'),
  default: () => false,
  ask: (kit) => yesNo('iap', 'Require a Google sign-in with Identity-Aware Proxy (IAP)?', kit, false),
};

function iapOn(state: WizardState): boolean {
  return state.input.options?.iap?.enabled === true;
}

const iapClientId: Question<string> = {
  id: 'iapClientId',
  label: 'IAP OAuth client id',
  keys: ['options.iap.oauth2ClientId'],
  relevant: iapOn,
  optional: true,
  read: (p) => p.options?.iap?.oauth2ClientId,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.iap.oauth2ClientId', v),
  show: (v) => v,
  ask: (kit) => textInput('iapClientId', 'OAuth client id for IAP (empty: the Google-managed client, for users of your organization)', kit, true),
};

const iapClientSecretFile: Question<string> = {
  id: 'iapClientSecretFile',
  label: 'IAP OAuth client secret file',
  keys: ['options.iap.oauth2ClientSecretFile'],
  relevant: (s) => iapOn(s) && s.input.options?.iap?.oauth2ClientId !== undefined && s.input.options.iap.oauth2ClientSecretEnv === undefined,
  read: (p) => p.options?.iap?.oauth2ClientSecretFile,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.iap.oauth2ClientSecretFile', absolutePath(v)),
  show: (v) => v,
  ask: (kit) => textInput('iapClientSecretFile', 'Path of the file that holds the OAuth client secret (never the secret itself)', kit),
};

const ARMOR_TYPES: readonly LbType[] = ['global-external', 'classic', 'regional-external', 'regional-internal'];
const RATE_LIMIT = '@rate-limit';
const TYPED_POLICY = '@typed';

const securityPolicy: Question<string> = {
  id: 'securityPolicy',
  label: 'Cloud Armor',
  keys: ['options.cloudArmor.existingPolicy', 'options.cloudArmor'],
  relevant: (s) => ARMOR_TYPES.includes(typeOf(s)),
  read: (p) => {
    const armor = p.options?.cloudArmor;
    if (!armor) return undefined;
    return armor.existingPolicy ?? RATE_LIMIT;
  },
  apply: (p, v) => {
    if (v === '') return;
    if (v === RATE_LIMIT) {
      if (!p.options?.cloudArmor) setIn(p as Record<string, unknown>, 'options.cloudArmor', {});
    } else setIn(p as Record<string, unknown>, 'options.cloudArmor', { existingPolicy: v });
  },
  show: (v) => (v === '' ? 'none' : v === RATE_LIMIT ? 'a policy of its own' : `existing policy ${v}`),
  default: () => '',
  async ask(kit) {
    const { state } = kit;
    const scope = scopeOf(state);
    const found = scope ? await state.discover.list(`Cloud Armor security policies (${scope})`, (d) => d.securityPolicies(scope)) : undefined;
    const choices: Choice[] = [
      { value: '', name: 'None', description: 'no Cloud Armor policy' },
      { value: RATE_LIMIT, name: 'Create a policy that rate-limits each client IP', description: 'serverless-lb creates and deletes it with the load balancer' },
      ...(found ?? []).map((policy) => ({ value: policy, name: `Attach existing policy ${policy}` })),
      { value: TYPED_POLICY, name: 'Attach another existing policy (type its name)' },
    ];
    const initial = kit.initial;
    const choice = await kit.prompter.select({
      id: 'securityPolicy',
      message: 'Protect the backends with Cloud Armor?',
      choices,
      default: initial !== undefined && choices.some((c) => c.value === initial) ? initial : initial ? TYPED_POLICY : '',
      validate: (v) => (v === '' || v === TYPED_POLICY ? undefined : kit.validate(v)),
    });
    if (choice !== TYPED_POLICY) return choice;
    const typed = await kit.prompter.input({
      id: 'securityPolicy.name',
      message: 'Name of the existing security policy',
      ...(initial && initial !== RATE_LIMIT ? { default: initial } : {}),
      validate: (v) => (v.trim() === '' ? 'an answer is needed' : kit.validate(v.trim())),
    });
    return typed.trim();
  },
};

const rateLimit: Question<string> = {
  id: 'rateLimit',
  label: 'Rate limit',
  keys: ['options.cloudArmor.rules'],
  relevant: (s) => {
    const armor = s.input.options?.cloudArmor;
    return ARMOR_TYPES.includes(typeOf(s)) && armor !== undefined && armor.existingPolicy === undefined && armor.rules === undefined;
  },
  read: (p) => {
    const rule = p.options?.cloudArmor?.rules?.[0];
    return rule?.rateLimit?.count !== undefined ? `${rule.rateLimit.count}/${rule.rateLimit.intervalSec}s` : p.options?.cloudArmor?.rules ? 'rules from the config' : undefined;
  },
  apply: (p, v) => {
    const parsed = parseRateLimitFlag(v);
    if ('rule' in parsed) setIn(p as Record<string, unknown>, 'options.cloudArmor.rules', [parsed.rule]);
  },
  show: (v) => `${v} per client IP`,
  default: () => undefined,
  suggest: () => '100/60s',
  check: (v) => {
    const parsed = parseRateLimitFlag(v);
    return 'reason' in parsed ? `"${v}" ${parsed.reason}` : undefined;
  },
  ask: (kit) => textInput('rateLimit', 'Requests allowed per client IP, COUNT/INTERVAL (e.g. 100/60s, 1000/10m); more get 429', kit),
};

const logging: Question<boolean> = {
  id: 'logging',
  label: 'Request logging',
  keys: ['options.logging.enabled'],
  relevant: () => true,
  read: (p) => p.options?.logging?.enabled,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.logging.enabled', v),
  show: (v) => (v ? 'on' : 'off'),
  default: () => true,
  ask: (kit) => yesNo('logging', 'Log every request in Cloud Logging?', kit, true),
};

const OUTLIER_TYPES: readonly LbType[] = ['global-external', 'cross-region-internal'];

const outlierDetection: Question<boolean> = {
  id: 'outlierDetection',
  label: 'Outlier detection',
  keys: ['options.outlierDetection'],
  relevant: (s) => OUTLIER_TYPES.includes(typeOf(s)) && !iapOn(s),
  read: (p) => (p.options?.outlierDetection !== undefined ? true : undefined),
  apply: (p, v) => {
    if (v && p.options?.outlierDetection === undefined) setIn(p as Record<string, unknown>, 'options.outlierDetection', {});
  },
  show: (v) => (v ? 'on' : 'off'),
  default: () => false,
  ask: (kit) => yesNo('outlierDetection', 'Stop sending traffic to a region whose backend keeps failing (outlier detection)?', kit, false),
};

const INGRESS_CHOICES: Record<(typeof INGRESS_SETTINGS)[number], Omit<Choice, 'value'>> = {
  auto: { name: 'Only through the load balancer (auto)', description: 'the narrowest Cloud Run ingress that works for this load balancer (recommended)' },
  'internal-and-cloud-load-balancing': { name: 'Internal traffic and Cloud load balancers (internal-and-cloud-load-balancing)' },
  internal: { name: 'Internal traffic only (internal)' },
  unchanged: { name: 'Leave the services\' ingress as it is (unchanged)', description: 'the run.app URLs keep bypassing the load balancer if they allow all traffic' },
};

const ingress: Question<string> = {
  id: 'ingress',
  label: 'Cloud Run ingress',
  keys: ['options.ingress'],
  relevant: (s) => backendsOf(s).some((b) => b.cloudRun !== undefined),
  read: (p) => p.options?.ingress,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.ingress', v),
  show: (v) => v,
  default: () => 'auto',
  ask: (kit) =>
    select(
      'ingress',
      'Which traffic may reach your Cloud Run services directly?',
      INGRESS_SETTINGS.filter((i) => i !== 'internal' || isInternalType(typeOf(kit.state))).map((i) => ({ value: i, ...INGRESS_CHOICES[i] })),
      kit,
    ),
};

/** Every question, in the order asked. */
export const QUESTIONS: readonly Question<any>[] = [
  project,
  type,
  region,
  regions,
  backends,
  defaultBackend,
  routes,
  name,
  protocol,
  port,
  domains,
  certificate,
  certificateFile,
  privateKeyFile,
  existingCertificate,
  certificateMap,
  certificateManagerCertificate,
  dnsZone,
  address,
  addressName,
  network,
  subnet,
  proxyOnlySubnet,
  proxyOnlySubnetRange,
  cdn,
  iap,
  iapClientId,
  iapClientSecretFile,
  securityPolicy,
  rateLimit,
  logging,
  outlierDetection,
  ingress,
];

/** The base question id of a prompt id (`backends.other` -> `backends`). */
export function baseQuestionId(id: string): string {
  return id.split('.')[0]!;
}
