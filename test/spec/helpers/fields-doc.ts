/** The docs/config.md key table, generated from SPEC_FIELDS. */
import { SPEC_FIELDS } from '../../../src/spec/index.js';

const cell = (text: string | undefined) => (text ? text.replace(/\|/g, '\\|') : '');

export function renderFieldsTable(): string {
  const rows = SPEC_FIELDS.map((f) => {
    const flag = f.flag ? `\`${f.flag.split(' ')[0]}${f.negatable ? `\` / \`--no-${f.flag.slice(2).split(' ')[0]}` : ''}\`${f.repeatable ? ' (repeatable)' : ''}` : 'config only';
    return `| \`${f.key}\` | ${cell(f.type)} | ${cell(f.default)} | ${flag} | ${f.question ? `\`${f.question}\`` : ''} | ${cell(f.description)} |`;
  });
  return ['| key | type | default | flag | question | meaning |', '| --- | --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}
