/**
 * A small HCL writer for the Terraform export: blocks, attributes, expressions, and string
 * literals escaped so that no value can break out of its quotes or start an interpolation.
 * Output follows `terraform fmt` layout (two-space indent, aligned `=` in runs of attributes).
 *
 * Pure: no I/O.
 */

/** A Terraform expression written as is (a reference, a function call). */
export class Expr {
  constructor(readonly text: string) {}
}
export const expr = (text: string): Expr => new Expr(text);

export type HclValue = string | number | boolean | Expr | HclValue[] | { [key: string]: HclValue };

export interface Block {
  type: string;
  labels: string[];
  /** Attributes and nested blocks, in order. */
  body: BlockItem[];
  /** Comment lines written above the block. */
  comments?: string[];
}

export type BlockItem = { attr: string; value: HclValue } | { block: Block } | { comment: string };

export function block(type: string, labels: string[], body: BlockItem[] = [], comments?: string[]): Block {
  return comments ? { type, labels, body, comments } : { type, labels, body };
}
export const attr = (name: string, value: HclValue | undefined): BlockItem[] => (value === undefined ? [] : [{ attr: name, value }]);
export const nested = (b: Block): BlockItem => ({ block: b });

/** A quoted HCL string: escapes `\`, `"`, control characters, and `${` / `%{` template openers. */
export function hclString(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  // Function replacements: in a replacement string `$$` would mean a single `$`.
  return `"${out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A value as HCL text (`indent` is the indentation of the line it starts on). */
export function renderValue(value: HclValue, indent = ''): string {
  if (value instanceof Expr) return value.text;
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => renderValue(v, `${indent}  `));
    const oneLine = `[${items.join(', ')}]`;
    if (oneLine.length <= 80 && !oneLine.includes('\n')) return oneLine;
    return `[\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const keys = entries.map(([k]) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : hclString(k)));
  const width = Math.max(...keys.map((k) => k.length));
  const lines = entries.map(([, v], i) => `${indent}  ${(keys[i] as string).padEnd(width)} = ${renderValue(v, `${indent}  `)}`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function renderBlock(b: Block, indent: string): string[] {
  const out: string[] = [];
  for (const c of b.comments ?? []) out.push(`${indent}# ${c}`.trimEnd());
  const labels = b.labels.map((l) => hclString(l)).join(' ');
  if (!IDENT.test(b.type)) throw new Error(`not a block type: ${b.type}`);
  const opening = `${indent}${b.type}${labels ? ` ${labels}` : ''} {`;
  if (b.body.length === 0) {
    out.push(`${opening}}`);
    return out;
  }
  out.push(opening);
  const inner = `${indent}  `;
  let i = 0;
  let previousWasBlock = false;
  while (i < b.body.length) {
    const item = b.body[i] as BlockItem;
    if ('comment' in item) {
      out.push(`${inner}# ${item.comment}`.trimEnd());
      i++;
      continue;
    }
    if ('block' in item) {
      if (i > 0) out.push('');
      out.push(...renderBlock(item.block, inner));
      previousWasBlock = true;
      i++;
      continue;
    }
    // A run of attributes: align the `=` signs, as `terraform fmt` does.
    const run: { attr: string; value: HclValue }[] = [];
    while (i < b.body.length && 'attr' in (b.body[i] as BlockItem)) {
      run.push(b.body[i] as { attr: string; value: HclValue });
      i++;
    }
    if (previousWasBlock) out.push('');
    const width = Math.max(...run.map((a) => a.attr.length));
    for (const a of run) {
      if (!IDENT.test(a.attr)) throw new Error(`not an attribute name: ${a.attr}`);
      out.push(`${inner}${a.attr.padEnd(width)} = ${renderValue(a.value, inner)}`);
    }
    previousWasBlock = false;
  }
  out.push(`${indent}}`);
  return out;
}

/** Renders top-level blocks separated by blank lines. */
export function renderHcl(blocks: Block[], header: string[] = []): string {
  const parts: string[] = [];
  if (header.length > 0) parts.push(header.map((h) => `# ${h}`.trimEnd()).join('\n'));
  for (const b of blocks) parts.push(renderBlock(b, '').join('\n'));
  return `${parts.join('\n\n')}\n`;
}
