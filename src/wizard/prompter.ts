/**
 * The Prompter: how the wizard asks one question. Every question carries a stable `id` (the
 * question id of src/spec/fields.ts, optionally followed by `.detail` for a follow-up of the same
 * field), so a scripted answer set keyed by id can answer it in tests.
 *
 * Contract of every implementation:
 *   - `validate` returns an error message (the answer is refused and the question asked again) or
 *     undefined (accepted). A refused answer is never returned.
 *   - Interrupting a question (Ctrl-C) rejects with an error named `ExitPromptError`, which the
 *     top-level handler maps to exit code 130.
 *   - Prompts are drawn on stderr; stdout stays for results.
 */

import { editDistance } from '../spec/closest-match.js';

export interface Choice {
  value: string;
  /** What the list shows. */
  name: string;
  /** One line shown under the list for the highlighted choice. */
  description?: string;
  /** Checkbox: ticked at the start. */
  checked?: boolean;
}

/** Returns an error message to refuse the answer, or undefined to accept it. */
export type Validator<T> = (value: T) => string | undefined;

interface BaseQuestion {
  /** Stable id: a fields.ts question id, or `<id>.<detail>` for a follow-up of the same field. */
  id: string;
  message: string;
}

export interface InputQuestion extends BaseQuestion {
  default?: string;
  validate?: Validator<string>;
}

export interface NumberQuestion extends BaseQuestion {
  default?: number;
  min?: number;
  max?: number;
  validate?: Validator<number>;
}

export interface SelectQuestion extends BaseQuestion {
  choices: Choice[];
  default?: string;
  validate?: Validator<string>;
}

/** A pick from a long list, filtered by what is typed; a typo offers the nearest choices. */
export interface SearchQuestion extends BaseQuestion {
  choices: Choice[];
  default?: string;
  validate?: Validator<string>;
}

export interface CheckboxQuestion extends BaseQuestion {
  choices: Choice[];
  validate?: Validator<string[]>;
}

export interface ConfirmQuestion extends BaseQuestion {
  default: boolean;
  validate?: Validator<boolean>;
}

export interface Prompter {
  input(question: InputQuestion): Promise<string>;
  number(question: NumberQuestion): Promise<number>;
  select(question: SelectQuestion): Promise<string>;
  search(question: SearchQuestion): Promise<string>;
  checkbox(question: CheckboxQuestion): Promise<string[]>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
}

/** Checks a number against a NumberQuestion's bounds and validator. */
export function checkNumber(question: NumberQuestion, value: number): string | undefined {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return 'enter a whole number';
  if (question.min !== undefined && value < question.min) return `enter a number of at least ${question.min}`;
  if (question.max !== undefined && value > question.max) return `enter a number of at most ${question.max}`;
  return question.validate?.(value);
}

/**
 * The choices a search shows for a typed term: those whose value or name contains it (any case);
 * when none does, the nearest values (a typo), each marked "did you mean". The default goes first
 * while nothing is typed.
 */
export function searchChoices(question: SearchQuestion, term: string | undefined): Choice[] {
  const text = (term ?? '').trim().toLowerCase();
  if (text === '') {
    const first = question.choices.filter((c) => c.value === question.default);
    return [...first, ...question.choices.filter((c) => c.value !== question.default)];
  }
  const matching = question.choices.filter((c) => c.value.toLowerCase().includes(text) || c.name.toLowerCase().includes(text));
  // What was typed whole goes first, so Enter takes it (`europe-west1` before `europe-west10`).
  if (matching.length > 0) return [...matching.filter((c) => c.value.toLowerCase() === text), ...matching.filter((c) => c.value.toLowerCase() !== text)];
  return question.choices
    .map((c) => ({ c, d: editDistance(text, c.value.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(text.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ c }) => ({ ...c, name: `${c.name}  (did you mean this? no match for "${term?.trim()}")` }));
}
