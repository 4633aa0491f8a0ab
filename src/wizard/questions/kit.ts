/**
 * What every question group shares: the Question contract, the wizard's state, and the helpers
 * questions are written with (reading the state, parsing list answers, the common prompts).
 */
import { resolve } from 'node:path';
import { specSchema, regionSchema, type LbType, type SpecInput } from '../../spec/schema.js';
import { parseBackendFlag, parseRouteFlag, routesToHostRules, type Route, type SpecInputPatch } from '../../spec/from-flags.js';
import { isRegionalType } from '../../spec/derive.js';
import type { Scope } from '../../model/resource-model.js';
import type { SpecIo } from '../../spec/check-kit.js';
import type { Discovery } from '../discovery.js';
import type { Choice, Prompter } from '../prompter.js';

export type P = SpecInputPatch;
export type BackendInput = SpecInput['backends'][number];
export type HostRuleInput = NonNullable<NonNullable<SpecInput['routing']>['hosts']>[number];

/** Lists through discovery; undefined when listing is not possible (the engine has said why). */
export interface DiscoveryAccess {
  list<T>(what: string, run: (discovery: Discovery) => Promise<T>): Promise<T | undefined>;
  /**
   * Runs a check against the project (under a spinner naming `what`): resolves with the error it
   * failed with, or undefined when it passed or could not be made (no discovery: nothing to ask).
   * `project`: check that project (an answer not yet taken) instead of the answered one.
   */
  probe(what: string, run: (discovery: Discovery) => Promise<void>, project?: string): Promise<unknown>;
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
  /** `init --advanced`: ask the advanced path's questions too (questions/advanced.ts). */
  advanced?: boolean;
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
  /** Reading files and the clock, for answers that name files (certificate, key): checked when given. */
  io: SpecIo;
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
  /**
   * With a human only: checks an answer that passed `check` and the config's rules against the
   * project (through discovery) right when it is given; a reason refuses it and the question is
   * asked again. Resolves undefined when the answer is fine or cannot be checked (no discovery).
   */
  live?(value: V, state: WizardState): Promise<string | undefined>;
  /** Asks a human; undefined leaves an optional question unanswered. */
  ask(kit: AskKit<V>): Promise<V | undefined>;
}

// ------------------------------------------------------------------------------------ helpers

export function typeOf(state: WizardState): LbType {
  return (state.input.type as LbType | undefined) ?? 'global-external';
}
export function isGlobalExternal(type: LbType): boolean {
  return type === 'global-external' || type === 'classic';
}
export function protocolOf(state: WizardState): string {
  return state.input.frontend?.protocol ?? 'https';
}
export function backendsOf(state: WizardState): BackendInput[] {
  return (state.input.backends ?? []) as BackendInput[];
}
export function domainsOf(state: WizardState): string[] {
  return (state.input.frontend?.domains ?? []).filter((d): d is string => typeof d === 'string');
}
/** The regions the LB's backends default to: `regions` for cross-region internal, else `[region]`. */
export function regionsOf(state: WizardState): string[] {
  if (typeOf(state) === 'cross-region-internal') return (state.input.regions ?? []).filter((r): r is string => typeof r === 'string');
  const region = state.input.region;
  return typeof region === 'string' ? [region] : [];
}
export function scopeOf(state: WizardState): Scope | undefined {
  const type = typeOf(state);
  if (!isRegionalType(type)) return type === 'cross-region-internal' ? undefined : 'global';
  const region = state.input.region;
  return typeof region === 'string' ? `regions/${region}` : undefined;
}

/** Splits a comma- or space-separated list. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s !== '');
}

export function zodMessage(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error?.issues[0]?.message ?? 'is not valid';
}

export const shape = specSchema.shape;

export function regionReason(region: string): string | undefined {
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

export function uniqueReason(values: readonly string[], what: string): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return `${what} "${value}" is listed twice`;
    seen.add(value);
  }
  return undefined;
}

export function listInput(id: string, message: string, kit: AskKit<string[]>, optional = false): Promise<string[] | undefined> {
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

export function textInput(id: string, message: string, kit: AskKit<string>, optional = false): Promise<string | undefined> {
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

export function yesNo(id: string, message: string, kit: AskKit<boolean>, fallback: boolean): Promise<boolean> {
  return kit.prompter.confirm({ id, message, default: kit.initial ?? fallback, validate: (v) => kit.validate(v) });
}

/**
 * One or more of the things discovery found, ticked in a list (those in the initial answer already
 * ticked); typed as a comma-separated list when nothing was found.
 */
export function pickSeveral(id: string, message: string, found: Choice[], typedMessage: string, kit: AskKit<string[]>): Promise<string[] | undefined> {
  if (found.length === 0) return listInput(id, typedMessage, kit);
  const initial = new Set(kit.initial ?? []);
  return kit.prompter.checkbox({
    id,
    message,
    choices: found.map((c) => ({ ...c, checked: initial.has(c.value) })),
    validate: (values) => (values.length === 0 ? 'choose at least one' : kit.validate(values)),
  });
}

/**
 * A pick from a list that typing filters (regions): a typo shows the nearest names to take instead.
 * Falls back to typing when the list is empty.
 */
export function searchOrType(id: string, message: string, choices: Choice[], kit: AskKit<string>): Promise<string | undefined> {
  if (choices.length === 0) return textInput(id, message, kit);
  return kit.prompter.search({ id, message: `${message} (type to filter)`, choices, ...(kit.initial !== undefined ? { default: kit.initial } : {}), validate: (v) => kit.validate(v) });
}

export function select<V extends string>(id: string, message: string, choices: Choice[], kit: AskKit<V>): Promise<V> {
  return kit.prompter.select({ id, message, choices, ...(kit.initial !== undefined ? { default: kit.initial } : {}), validate: (v) => kit.validate(v as V) }) as Promise<V>;
}

/** A path as typed, made absolute against the current directory (the config file stores it relative to itself). */
export function absolutePath(path: string): string {
  return resolve(path);
}
