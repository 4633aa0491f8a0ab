/**
 * The Prompter on a terminal, through @inquirer/prompts (the only module that imports it).
 * Prompts draw on stderr. Input and number questions show a refused answer's message in place;
 * select and confirm (which @inquirer does not validate) print it and ask again.
 */
import { checkbox, confirm, input, number, search, select } from '@inquirer/prompts';
import type { CheckboxQuestion, ConfirmQuestion, InputQuestion, NumberQuestion, Prompter, SearchQuestion, SelectQuestion } from './prompter.js';
import { checkNumber, searchChoices } from './prompter.js';

export interface InquirerPrompterOptions {
  output?: NodeJS.WritableStream;
  input?: NodeJS.ReadableStream;
  /** Prints a refused answer's message (select and confirm). */
  say?: (line: string) => void;
}

/** @inquirer's `validate`: true to accept, a message to refuse. */
function adapt<T>(validate: ((value: T) => string | undefined) | undefined): ((value: T) => true | string) | undefined {
  return validate ? (value: T) => validate(value) ?? true : undefined;
}

export function createInquirerPrompter(options: InquirerPrompterOptions = {}): Prompter {
  const context = { output: options.output ?? process.stderr, ...(options.input ? { input: options.input } : {}) };
  const say = options.say ?? ((line: string) => void (options.output ?? process.stderr).write(line + '\n'));

  async function loop<T>(ask: () => Promise<T>, validate: ((value: T) => string | undefined) | undefined): Promise<T> {
    for (;;) {
      const value = await ask();
      const error = validate?.(value);
      if (error === undefined) return value;
      say(`  ✖ ${error}`);
    }
  }

  return {
    async input(question: InputQuestion) {
      const validate = adapt(question.validate);
      return input(
        {
          message: question.message,
          ...(question.default !== undefined && question.default !== '' ? { default: question.default } : {}),
          ...(validate ? { validate } : {}),
        },
        context,
      );
    },
    async number(question: NumberQuestion) {
      const value = await number(
        {
          message: question.message,
          required: true,
          ...(question.default !== undefined ? { default: question.default } : {}),
          validate: (value: number | undefined) => (value === undefined ? 'enter a number' : checkNumber(question, value) ?? true),
        },
        context,
      );
      return value as number;
    },
    async select(question: SelectQuestion) {
      return loop(
        () =>
          select(
            {
              message: question.message,
              choices: question.choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })),
              pageSize: Math.min(12, Math.max(question.choices.length, 3)),
              ...(question.default !== undefined && question.choices.some((c) => c.value === question.default) ? { default: question.default } : {}),
            },
            context,
          ),
        question.validate,
      );
    },
    async search(question: SearchQuestion) {
      const validate = adapt(question.validate);
      return search(
        {
          message: question.message,
          source: (term: string | undefined) => searchChoices(question, term).map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })),
          pageSize: Math.min(12, Math.max(question.choices.length, 3)),
          ...(validate ? { validate } : {}),
        },
        context,
      );
    },
    async checkbox(question: CheckboxQuestion) {
      const validate = question.validate;
      return checkbox(
        {
          message: question.message,
          choices: question.choices.map((c) => ({ value: c.value, name: c.name, checked: c.checked === true, ...(c.description ? { description: c.description } : {}) })),
          pageSize: Math.min(12, Math.max(question.choices.length, 3)),
          ...(validate ? { validate: (chosen: readonly { value: string }[]) => validate(chosen.map((c) => c.value)) ?? true } : {}),
        },
        context,
      );
    },
    async confirm(question: ConfirmQuestion) {
      return loop(() => confirm({ message: question.message, default: question.default }, context), question.validate);
    },
  };
}
