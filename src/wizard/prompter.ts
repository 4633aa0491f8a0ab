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
