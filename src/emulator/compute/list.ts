/**
 * Compute list semantics: the `filter` expression and paging.
 *
 * Filter: one or more comparisons joined by AND (or juxtaposed, optionally in parentheses) or OR:
 *   `name = "x"`, `name = x`, `name eq x` / `name ne x` (eq/ne take a regular expression that must
 *   match the whole value), `name != x`, `labels.k = v`, `field:*` (field present), `field:"text"`
 *   (the string holds the text), and `<`, `>` on numbers. Nested fields with dots. As in AIP-160,
 *   OR binds tighter than AND: `(a) OR (b) (c)` is `(a OR b) AND c`. An unparseable filter is a 400 `invalid`.
 * Paging: `maxResults` (1-500, default 500) and an opaque `pageToken` from `nextPageToken`.
 */
import type { Json, JsonObject } from '../core/store.js';
import { invalid, invalidField } from './errors.js';

interface Clause {
  field: string;
  op: '=' | '!=' | 'eq' | 'ne' | ':' | '<' | '>';
  value: string;
}

/** The filter as a conjunction of disjunctions: every group must have one clause that matches. */
function parseFilter(filter: string): Clause[][] {
  const groups: Clause[][] = [];
  let orNext = false;
  // Field paths may hold hyphens (label keys: `labels.serverless-lb`).
  const re = /\s*\(?\s*([A-Za-z_][\w.-]*)\s*(!=|=|:|<|>|\beq\b|\bne\b)\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s()]+)\s*\)?\s*(\bAND\b|\bOR\b)?/giy;
  let pos = 0;
  const text = filter.trim();
  re.lastIndex = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m.index !== pos || m[0].length === 0) throw invalid(`Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`);
    let value = m[3]!;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    const clause: Clause = { field: m[1]!, op: m[2]!.toLowerCase() as Clause['op'], value };
    if (orNext) groups.at(-1)!.push(clause);
    else groups.push([clause]);
    orNext = m[4]?.toUpperCase() === 'OR';
    pos = re.lastIndex;
  }
  if (orNext) throw invalid(`Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`);
  return groups;
}

function getField(resource: JsonObject, field: string): Json | undefined {
  let cur: Json | undefined = resource;
  for (const part of field.split('.')) {
    if (cur && typeof cur === 'object' && !Array.isArray(cur)) cur = (cur as JsonObject)[part];
    else return undefined;
  }
  return cur;
}

function valueText(v: Json | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function matches(resource: JsonObject, c: Clause): boolean {
  const actual = getField(resource, c.field);
  const text = valueText(actual);
  switch (c.op) {
    case ':':
      return c.value === '*' ? actual !== undefined : text !== undefined && text.includes(c.value);
    case '=':
      return text === c.value;
    case '!=':
      return text !== c.value;
    case 'eq':
    case 'ne': {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${c.value})$`);
      } catch {
        throw invalidField('filter', c.value, 'Invalid regular expression.');
      }
      const ok = text !== undefined && re.test(text);
      return c.op === 'eq' ? ok : !ok;
    }
    case '<':
    case '>': {
      const a = Number(text);
      const b = Number(c.value);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return c.op === '<' ? a < b : a > b;
    }
  }
}

export function applyFilter(items: JsonObject[], filter: string | null): JsonObject[] {
  if (!filter || filter.trim() === '') return items;
  const groups = parseFilter(filter);
  return items.filter((item) => groups.every((group) => group.some((c) => matches(item, c))));
}

export interface Page {
  items: JsonObject[];
  nextPageToken?: string;
}

export function paginate(items: JsonObject[], maxResults: string | null, pageToken: string | null): Page {
  let size = 500;
  if (maxResults !== null && maxResults !== '') {
    size = Number(maxResults);
    if (!Number.isInteger(size) || size < 0 || size > 500) {
      throw invalidField('maxResults', maxResults, 'Must be an integer between 0 and 500.');
    }
    if (size === 0) size = 500;
  }
  let start = 0;
  if (pageToken) {
    const decoded = Buffer.from(pageToken, 'base64url').toString('utf8');
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m) throw invalidField('pageToken', pageToken, 'Invalid page token.');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`offset:${start + size}`).toString('base64url') : undefined;
  return next ? { items: page, nextPageToken: next } : { items: page };
}

/** Sort by `orderBy` (`name`, `creationTimestamp desc`); default: by name. */
export function applyOrder(items: JsonObject[], orderBy: string | null): JsonObject[] {
  const [field = 'name', dir = 'asc'] = (orderBy ?? 'name').trim().split(/\s+/);
  const sorted = [...items].sort((a, b) => {
    const x = valueText(getField(a, field)) ?? '';
    const y = valueText(getField(b, field)) ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return dir.toLowerCase() === 'desc' ? sorted.reverse() : sorted;
}
