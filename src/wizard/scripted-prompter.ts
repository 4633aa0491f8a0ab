/**
 * A Prompter that answers from a script keyed by question id, for tests and unattended runs.
 *
 * Contract:
 *   - A question whose id is not in the script throws (an unscripted question fails the test).
 *   - A scripted answer goes through the question's validation exactly as a typed one would; a
 *     refused answer is recorded in `rejections` and the next answer scripted for that id is tried
 *     (scripted with `answers(a, b, ...)`); when none is left, it throws.
 *   - `DEFAULT` accepts the question's default (throws when it has none).
 *   - `asked` records every question in order, with its message, choices and default.
 */
import type { CheckboxQuestion, Choice, ConfirmQuestion, InputQuestion, NumberQuestion, Prompter, SearchQuestion, SelectQuestion } from './prompter.js';
import { checkNumber } from './prompter.js';

/** Accept the question's default. */
export const DEFAULT = Symbol('default');

const SEQUENCE = Symbol('answers');
export interface AnswerSequence {
  [SEQUENCE]: unknown[];
}

/** Successive answers to one question id: the first refused one is followed by the next. */
export function answers(...values: unknown[]): AnswerSequence {
  return { [SEQUENCE]: values };
}

export type Script = Record<string, unknown>;

export interface AskedQuestion {
  id: string;
  kind: 'input' | 'number' | 'select' | 'search' | 'checkbox' | 'confirm';
  message: string;
  default?: unknown;
  choices?: Choice[];
}

export class UnscriptedQuestionError extends Error {
  constructor(id: string, message: string) {
    super(`unscripted question "${id}": ${message}`);
    this.name = 'UnscriptedQuestionError';
  }
}

export class ScriptedPrompter implements Prompter {
  readonly asked: AskedQuestion[] = [];
  readonly rejections: { id: string; answer: unknown; error: string }[] = [];
  private readonly queues = new Map<string, unknown[]>();

  constructor(script: Script) {
    for (const [id, value] of Object.entries(script)) {
      const queue = value !== null && typeof value === 'object' && SEQUENCE in value ? [...(value as AnswerSequence)[SEQUENCE]] : [value];
      this.queues.set(id, queue);
    }
  }

  /** Ids whose scripted answers were not all used. */
  unused(): string[] {
    return [...this.queues].filter(([, queue]) => queue.length > 0).map(([id]) => id);
  }

  /** Ids asked, in order. */
  ids(): string[] {
    return this.asked.map((q) => q.id);
  }

  private next<T>(record: AskedQuestion, fallback: T | undefined, coerce: (raw: unknown) => T, validate: (value: T) => string | undefined): T {
    this.asked.push(record);
    const queue = this.queues.get(record.id);
    if (!queue) throw new UnscriptedQuestionError(record.id, record.message);
    for (;;) {
      if (queue.length === 0) {
        const last = this.rejections.filter((r) => r.id === record.id).at(-1);
        throw new Error(`question "${record.id}" refused every scripted answer${last ? ` (last: ${last.error})` : ''}`);
      }
      const raw = queue.shift();
      if (raw === DEFAULT && fallback === undefined) throw new Error(`question "${record.id}" has no default to accept`);
      const value = raw === DEFAULT ? (fallback as T) : coerce(raw);
      const error = validate(value);
      if (error === undefined) return value;
      this.rejections.push({ id: record.id, answer: raw, error });
    }
  }

  async input(q: InputQuestion): Promise<string> {
    // An empty input takes the default, as on a terminal.
    return this.next({ id: q.id, kind: 'input', message: q.message, default: q.default }, q.default, (raw) => {
      const text = String(raw);
      return text === '' && q.default !== undefined ? q.default : text;
    }, (v) => q.validate?.(v));
  }

  async number(q: NumberQuestion): Promise<number> {
    return this.next({ id: q.id, kind: 'number', message: q.message, default: q.default }, q.default, (raw) => Number(raw), (v) => checkNumber(q, v));
  }

  async select(q: SelectQuestion): Promise<string> {
    // As on a terminal, a select without a default starts on its first choice.
    return this.next(
      { id: q.id, kind: 'select', message: q.message, default: q.default, choices: q.choices },
      q.default ?? q.choices[0]?.value,
      (raw) => String(raw),
      (v) => (q.choices.some((c) => c.value === v) ? q.validate?.(v) : `"${v}" is not one of the choices (${q.choices.map((c) => c.value).join(', ')})`),
    );
  }

  /** As on a terminal: the answer is a choice's value (typing only filters); the default is the first offered. */
  async search(q: SearchQuestion): Promise<string> {
    return this.next(
      { id: q.id, kind: 'search', message: q.message, default: q.default, choices: q.choices },
      q.default ?? q.choices[0]?.value,
      (raw) => String(raw),
      (v) => (q.choices.some((c) => c.value === v) ? q.validate?.(v) : `"${v}" is not one of the choices (${q.choices.map((c) => c.value).join(', ')})`),
    );
  }

  async checkbox(q: CheckboxQuestion): Promise<string[]> {
    const checked = q.choices.filter((c) => c.checked).map((c) => c.value);
    return this.next(
      { id: q.id, kind: 'checkbox', message: q.message, default: checked, choices: q.choices },
      checked,
      (raw) => (Array.isArray(raw) ? raw.map(String) : [String(raw)]),
      (v) => {
        const unknown = v.filter((value) => !q.choices.some((c) => c.value === value));
        return unknown.length > 0 ? `${unknown.join(', ')} not among the choices` : q.validate?.(v);
      },
    );
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    return this.next({ id: q.id, kind: 'confirm', message: q.message, default: q.default }, q.default, (raw) => raw === true || raw === 'y' || raw === 'yes', (v) => q.validate?.(v));
  }
}
