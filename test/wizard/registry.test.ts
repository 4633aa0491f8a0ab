/** The wizard's questions and the field registry agree: ids both ways, and keys. */
import { describe, expect, it } from 'vitest';
import { SPEC_FIELDS, normalizeKey } from '../../src/spec/index.js';
import { QUESTIONS, baseQuestionId } from '../../src/wizard/questions.js';

describe('question ids', () => {
  it('every question the wizard has is a question id of SPEC_FIELDS, and every such id has a question', () => {
    const registry = SPEC_FIELDS.map((f) => f.question).filter((q): q is string => q !== undefined);
    const wizard = QUESTIONS.map((q) => q.id);
    expect(new Set(wizard).size).toBe(wizard.length);
    expect(wizard.filter((id) => !registry.includes(id))).toEqual([]);
    expect(registry.filter((id) => !wizard.includes(id))).toEqual([]);
  });

  it('each question sets keys of the registry, among them the key its id belongs to', () => {
    const keys = new Set(SPEC_FIELDS.map((f) => f.key));
    for (const question of QUESTIONS) {
      for (const key of question.keys) expect(keys, `${question.id}: ${key}`).toContain(normalizeKey(key));
      const field = SPEC_FIELDS.find((f) => f.question === question.id)!;
      expect(question.keys, question.id).toContain(field.key);
    }
  });

  it('every question has a flag, so CI can answer it', () => {
    for (const question of QUESTIONS) expect(SPEC_FIELDS.find((f) => f.question === question.id)?.flag, question.id).toBeDefined();
  });

  it('follow-up prompt ids name their field\'s question', () => {
    expect(baseQuestionId('backends.other')).toBe('backends');
    expect(baseQuestionId('securityPolicy.name')).toBe('securityPolicy');
    expect(baseQuestionId('region')).toBe('region');
  });
});
