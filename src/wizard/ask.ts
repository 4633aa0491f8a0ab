/**
 * The wizard's engine: one settings object (a SpecInputPatch) filled by flags and the config first,
 * then by prompts (or, without a human, by defaults), question by question in QUESTIONS' order.
 *
 * Contract:
 *   - A question whose answer the flags or config gave is echoed, never asked.
 *   - An answer is checked on the spot with the config's own rules (validateSpec), on the keys the
 *     question sets; a refused answer is asked again, never a crash.
 *   - Once every question has an answer, the whole Spec is validated; with a human, each question
 *     that an error names is asked again (the problem shown first).
 *   - Without a prompter (--yes, no TTY, CI, --format json) nothing is asked: defaults fill what they
 *     can, and every missing answer and every invalid one is reported at once in one UsageError
 *     (exit 2) that names the flags to set.
 *   - Nothing here changes anything outside the returned patch: apply and verify come after.
 */
import { UsageError } from '../errors.js';
import { fieldForKey, flagName, normalizeKey, SPEC_FIELDS } from '../spec/fields.js';
import { formatProblem, makeProblem, type Problem } from '../spec/problem.js';
import { validateSpec, type SpecIo } from '../spec/validate.js';
import type { SpecInputPatch } from '../spec/from-flags.js';
import type { Discovery } from './discovery.js';
import type { Prompter } from './prompter.js';
import { getIn } from './patch.js';
import { QUESTIONS, type DiscoveryAccess, type Question, type WizardHints, type WizardState } from './questions.js';

export type AnswerSource = 'asked' | 'default' | 'flag' | 'config' | 'environment' | 'given';

export interface AnswerRecord {
  id: string;
  label: string;
  value: string;
  source: AnswerSource;
  /** The flag, or the config file, an echoed answer came from. */
  from?: string;
}

export interface CollectOptions {
  /** The config's and the flags' values merged (flags win). */
  given: SpecInputPatch;
  /** What the flags alone set, to say where an echoed answer came from. */
  flags?: SpecInputPatch;
  /** The config file's content and path, likewise. */
  config?: { input: unknown; path: string };
  /** Asks a human; absent: nothing is asked. */
  prompter?: Prompter;
  /** Opens discovery (given the answers so far) when a question first needs it; absent or undefined: everything is typed. */
  discovery?: (answers: SpecInputPatch) => Promise<Discovery | undefined>;
  /** Runs a piece of waiting under a spinner. */
  spin?: <T>(text: string, work: () => Promise<T>) => Promise<T>;
  /** Who gave the answers in `given` that came from neither the flags nor the config (e.g. `the demo`). */
  origin?: string;
  /** Answers to offer as defaults (the demo's recommended ones). */
  suggested?: SpecInputPatch;
  hints?: WizardHints;
  /** For validation: reading certificate files, the clock, the environment. */
  io?: SpecIo;
  /** Prints one line (echoes, notes). */
  say?: (line: string) => void;
  /** Rounds of whole-Spec validation and re-asking before giving up (default 5). */
  maxRounds?: number;
}

export interface CollectResult {
  /** The answers: what `init` writes to the config file. */
  input: SpecInputPatch;
  /** One record per answered question, in the order of QUESTIONS' first answer. */
  answers: AnswerRecord[];
  /** Prompt ids asked, in order (with repeats when asked again). */
  asked: string[];
}

/** Values that stand in for required answers not given yet, so other answers can be checked alone. */
const STAND_INS: Record<string, unknown> = {
  name: 'wizard-check',
  project: 'wizard-check-project',
  backends: [{ name: 'wizard-check', cloudRun: { service: 'wizard-check' } }],
};

function withStandIns(input: SpecInputPatch): SpecInputPatch {
  const out = structuredClone(input) as Record<string, unknown>;
  for (const [key, value] of Object.entries(STAND_INS)) {
    const current = out[key];
    if (current === undefined || (Array.isArray(current) && current.length === 0)) out[key] = structuredClone(value);
  }
  return out as SpecInputPatch;
}

/** Does a problem's key fall under one of a question's keys? */
function covers(questionKey: string, problemKey: string): boolean {
  const key = normalizeKey(problemKey);
  return key === questionKey || key.startsWith(`${questionKey}.`) || key.startsWith(`${questionKey}[]`);
}

/** The question to ask again for a problem: the one whose keys cover its key, else one under it. */
export function questionFor(problemKey: string, relevant: readonly Question[]): Question | undefined {
  const under = relevant.filter((q) => q.keys.some((k) => covers(k, problemKey)));
  if (under.length > 0) return under.sort((a, b) => Math.max(...b.keys.map((k) => k.length)) - Math.max(...a.keys.map((k) => k.length)))[0];
  const key = normalizeKey(problemKey);
  if (key === '') return undefined;
  return relevant.find((q) => q.keys.some((k) => k.startsWith(`${key}.`)));
}

function problemText(problem: Problem): string {
  return `${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`;
}

function flagOfQuestion(question: Question): string | undefined {
  const field = SPEC_FIELDS.find((f) => f.question === question.id && f.flag) ?? fieldForKey(question.keys[0]!);
  return field?.flag ? flagName(field.flag) : undefined;
}

function isOptional(question: Question, state: WizardState): boolean {
  return typeof question.optional === 'function' ? question.optional(state) : question.optional === true;
}

function errorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { reason?: unknown; googleMessage?: unknown; message?: unknown };
    if (typeof e.reason === 'string') return `${e.reason}: ${String(e.googleMessage ?? e.message ?? '')}`;
    if (typeof e.message === 'string') return e.message;
  }
  return String(error);
}

export async function collectAnswers(options: CollectOptions): Promise<CollectResult> {
  const say = options.say ?? (() => undefined);
  const io = options.io ?? {};
  const prompter = options.prompter;
  const spin = options.spin ?? (<T>(_text: string, work: () => Promise<T>) => work());

  /** Discovery for one project: opened when a question first needs it, again when the project changes. */
  let opened: { project: unknown; discovery: Promise<Discovery | undefined> } | undefined;
  const cache = new Map<string, Promise<unknown>>();
  const failed = new Set<string>();
  const open = (project: unknown = state.input.project): Promise<Discovery | undefined> => {
    if (!options.discovery || !prompter) return Promise.resolve(undefined);
    if (!opened || opened.project !== project) {
      cache.clear();
      failed.clear();
      opened = {
        project,
        discovery: options.discovery({ ...state.input, ...(typeof project === 'string' ? { project } : {}) }).catch((error: unknown) => {
          say(`  Cannot list what exists (${errorMessage(error)}): type the names instead.`);
          return undefined;
        }),
      };
    }
    return opened.discovery;
  };
  const discover: DiscoveryAccess = {
    async list<T>(what: string, run: (d: Discovery) => Promise<T>): Promise<T | undefined> {
      const discovery = await open();
      if (!discovery || failed.has(what)) return undefined;
      let pending = cache.get(what) as Promise<T> | undefined;
      if (!pending) {
        // A read is safe to repeat: one more try on a failure the Cloud port calls retryable
        // (a connection reset after a long pause at a prompt, a 503).
        pending = spin(`Listing ${what}`, () =>
          run(discovery).catch((error: unknown) => {
            if ((error as { retryable?: unknown })?.retryable === true) return run(discovery);
            throw error;
          }),
        );
        cache.set(what, pending);
      }
      try {
        return await pending;
      } catch (error) {
        if (!failed.has(what)) say(`  Cannot list ${what} (${errorMessage(error)}): type the name instead.`);
        failed.add(what);
        return undefined;
      }
    },
    async probe(what: string, run: (d: Discovery) => Promise<void>, project?: string): Promise<unknown> {
      const discovery = await open(project ?? state.input.project);
      if (!discovery) return undefined;
      try {
        await spin(`Checking ${what}`, () => run(discovery));
        return undefined;
      } catch (error) {
        return error ?? new Error('failed');
      }
    },
  };

  const state: WizardState = {
    input: structuredClone(options.given ?? {}),
    suggested: options.suggested ?? {},
    hints: options.hints ?? {},
    discover,
    say,
    io,
  };

  const answers = new Map<string, AnswerRecord>();
  const asked: string[] = [];
  /** Questions settled this run (asked, defaulted or echoed), so a pass does not repeat them. */
  const settled = new Set<string>();
  const missing: Question[] = [];
  /** Given answers (flags, config) the rules refuse, in a session that cannot ask again. */
  const refusedGiven: Array<{ question: Question; problem: Problem }> = [];

  const sourceOf = (question: Question): { source: AnswerSource; from?: string } => {
    const key = question.keys[0]!;
    if (options.flags && question.keys.some((k) => getIn(options.flags, k) !== undefined)) {
      const flag = flagOfQuestion(question);
      return { source: 'flag', ...(flag ? { from: flag } : {}) };
    }
    if (options.config && question.keys.some((k) => getIn(options.config!.input, k) !== undefined)) return { source: 'config', from: options.config.path };
    void key;
    return { source: 'given', ...(options.origin ? { from: options.origin } : {}) };
  };

  const record = (question: Question, value: unknown, source: AnswerSource, from?: string) => {
    answers.set(question.id, { id: question.id, label: question.label, value: question.show(value), source, ...(from ? { from } : {}) });
  };

  /** The config's rules, applied to one candidate answer. */
  const checkAnswer = (question: Question, value: unknown): string | undefined => {
    const syntax = question.check?.(value, state);
    if (syntax) return syntax;
    const candidate = structuredClone(state.input);
    question.apply(candidate, value);
    const result = validateSpec(withStandIns(candidate), io);
    if (result.ok) return undefined;
    const mine = result.problems.filter((p) => p.severity === 'error' && question.keys.some((k) => covers(k, p.key)));
    return mine.length ? mine.map(problemText).join('; ') : undefined;
  };

  const relevantQuestions = () => QUESTIONS.filter((q) => q.relevant(state));

  /** The answer's live check (against the project), when the question has one; a reason refuses it. */
  const liveCheck = async (question: Question, value: unknown): Promise<string | undefined> =>
    prompter && question.live ? question.live(value, state) : undefined;

  const ask = async (question: Question): Promise<void> => {
    const initial = question.read(state.suggested) ?? question.default?.(state) ?? question.suggest?.(state);
    const tracking: Prompter = {
      input: (q) => (asked.push(q.id), prompter!.input(q)),
      number: (q) => (asked.push(q.id), prompter!.number(q)),
      select: (q) => (asked.push(q.id), prompter!.select(q)),
      search: (q) => (asked.push(q.id), prompter!.search(q)),
      checkbox: (q) => (asked.push(q.id), prompter!.checkbox(q)),
      confirm: (q) => (asked.push(q.id), prompter!.confirm(q)),
    };
    for (;;) {
      const value = await question.ask({ prompter: tracking, state, initial, validate: (v) => checkAnswer(question, v) });
      if (value === undefined) {
        answers.delete(question.id);
        return;
      }
      // Checked when given, not twenty questions later: the project exists, the region is one of its.
      const refused = await liveCheck(question, value);
      if (refused !== undefined) {
        say(`✖ ${question.label}: ${question.show(value)}: ${refused}`);
        continue;
      }
      question.apply(state.input, value);
      record(question, value, 'asked');
      return;
    }
  };

  /** One pass over the questions: echo, default or ask each relevant one not settled yet. */
  const pass = async (): Promise<void> => {
    missing.length = 0;
    for (const question of QUESTIONS) {
      if (!question.relevant(state)) continue;
      if (settled.has(question.id)) {
        if (question.read(state.input) === undefined && !prompter && !isOptional(question, state) && question.default?.(state) === undefined) missing.push(question);
        continue;
      }
      const current = question.read(state.input);
      // Without a prompter only the answer's own syntax is checked here; the whole config is
      // validated once at the end, where problems that follow from a missing answer are left out.
      const refused = current === undefined ? undefined : prompter ? (checkAnswer(question, current) ?? (await liveCheck(question, current))) : question.check?.(current, state);
      if (refused !== undefined && !prompter) {
        // Nobody to ask: the refusal is reported with the others at the end (exit 2, nothing changed).
        const problem = makeProblem('error', question.keys[0]!, refused, `give a valid ${flagOfQuestion(question) ?? question.keys[0]}`);
        const flag = flagOfQuestion(question);
        if (flag) problem.flag = flag;
        refusedGiven.push({ question, problem });
        // Later questions must not build on a refused answer (an unknown type has no traits).
        for (const key of question.keys) clearKey(state.input, key);
        settled.add(question.id);
        continue;
      }
      if (refused !== undefined) {
        // With a human, a given answer the rules refuse is asked again rather than kept.
        const { from } = sourceOf(question);
        say(`✖ ${question.label}: ${question.show(current)}${from ? ` (from ${from})` : ''}: ${refused}`);
        for (const key of question.keys) clearKey(state.input, key);
        settled.add(question.id);
        await ask(question);
        continue;
      }
      if (current !== undefined) {
        const { source, from } = sourceOf(question);
        const shown = question.show(current);
        say(`✔ ${question.label}: ${shown}${from ? ` (from ${from})` : ''}`);
        record(question, current, source, from);
        settled.add(question.id);
        continue;
      }
      settled.add(question.id);
      if (prompter) {
        await ask(question);
        continue;
      }
      const fallback = question.default?.(state);
      if (fallback !== undefined) {
        question.apply(state.input, fallback);
        const fromEnvironment = question.id === 'project' && options.hints?.projectDefaultFrom;
        if (fromEnvironment) record(question, fallback, 'environment', fromEnvironment);
        else record(question, fallback, 'default');
      } else if (!isOptional(question, state)) missing.push(question);
    }
  };

  await pass();

  if (!prompter) {
    const problems: Problem[] = refusedGiven.map((r) => r.problem);
    problems.push(...missing.map((q) => {
      const flag = flagOfQuestion(q);
      const problem = makeProblem('error', q.keys[0]!, 'has no answer, and this session cannot ask', `set ${flag ? `${flag} or ` : ''}${q.keys[0]} in the config`);
      if (flag) problem.flag = flag;
      return problem;
    }));
    const result = validateSpec(withStandIns(state.input), io);
    if (!result.ok) {
      // Leave out what only follows from a missing answer: problems on (or around) its keys, and
      // backends without a region while the region is what is missing.
      // A refused answer's own problems are already listed once, in its words.
      const missingKeys = [...missing, ...refusedGiven.map((r) => r.question)].flatMap((q) => q.keys);
      const regionMissing = missing.some((q) => q.id === 'region' || q.id === 'regions');
      const consequence = (p: Problem) =>
        missingKeys.some((k) => covers(k, p.key) || (normalizeKey(p.key) !== '' && covers(normalizeKey(p.key), k))) || (regionMissing && p.rule === 'region-required');
      problems.push(...result.problems.filter((p) => p.severity === 'error' && !consequence(p)));
    }
    if (problems.length > 0) {
      const count = missing.length;
      throw new UsageError(
        count > 0
          ? `${count} answer${count === 1 ? ' is' : 's are'} missing${problems.length > count ? ` and ${problems.length - count} invalid` : ''}, and this session cannot ask (--yes, no terminal, CI set, or --format json); nothing was changed`
          : `the answers are not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was changed`,
        {
          code: count > 0 ? 'init.missing-answers' : 'config.invalid',
          details: problems.map(formatProblem),
          hint: 'give the flags (or config keys) named above; docs/config.md lists every question with its flag and key',
        },
      );
    }
    return { input: state.input, answers: ordered(answers), asked };
  }

  // With a human: validate the whole Spec; ask again whatever an error names.
  const maxRounds = options.maxRounds ?? 5;
  for (let round = 0; ; round++) {
    const result = validateSpec(state.input, io);
    if (result.ok) break;
    const errors = result.problems.filter((p) => p.severity === 'error');
    const again = new Map<string, Question>();
    const orphans: Problem[] = [];
    for (const problem of errors) {
      const question = questionFor(problem.key, relevantQuestions());
      if (question) again.set(question.id, question);
      else orphans.push(problem);
    }
    if (orphans.length > 0 || round >= maxRounds) {
      throw new UsageError(`the answers are not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}); nothing was changed`, {
        code: 'config.invalid',
        details: errors.map(formatProblem),
        hint: 'fix the keys (or flags) named above; docs/config.md lists every key and flag',
      });
    }
    for (const problem of errors) say(`✖ ${formatProblem(problem)}`);
    for (const question of QUESTIONS) {
      if (!again.has(question.id)) continue;
      for (const key of question.keys) clearKey(state.input, key);
      await ask(question);
    }
    await pass();
  }
  return { input: state.input, answers: ordered(answers), asked };
}

function clearKey(input: SpecInputPatch, key: string): void {
  const parts = key.split('.');
  let node: unknown = input;
  for (const part of parts.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  if (node && typeof node === 'object') delete (node as Record<string, unknown>)[parts.at(-1)!];
}

function ordered(answers: Map<string, AnswerRecord>): AnswerRecord[] {
  return QUESTIONS.map((q) => answers.get(q.id)).filter((a): a is AnswerRecord => a !== undefined);
}
