/**
 * The config file's JSON Schema, generated from the one zod schema (schema.ts) and annotated with
 * each key's description from the field registry (fields.ts). `serverless-lb schema` prints it;
 * docs/serverless-lb.schema.json is a copy (a test keeps the two equal); the configs `init` writes
 * name it on their first line, so editors with yaml-language-server complete and check them.
 *
 * Contract: it describes what a config file may hold (the schema's input side: defaults are
 * optional), refuses unknown keys at every level, and lists every enum's values. The rules that
 * relate several fields (docs/constraints.md) are not in it: `serverless-lb plan --offline` checks those.
 * Pure.
 */
import { toJSONSchema } from 'zod/mini';
import { SPEC_FIELDS, flagName } from './fields.js';
import { specSchema } from './schema.js';

type JsonSchemaNode = {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  [key: string]: unknown;
};

/** The node a registry key (`backends[].cloudRun.service`) names, following object and array nodes. */
function nodeAt(root: JsonSchemaNode, key: string): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const part of key.split('.')) {
    const name = part.replace(/\[\]$/, '');
    node = objectOf(node)?.properties?.[name];
    if (node && part.endsWith('[]')) node = arrayOf(node)?.items;
    if (!node) return undefined;
  }
  return node;
}

function objectOf(node: JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  if (!node) return undefined;
  if (node.properties) return node;
  return node.anyOf?.find((n) => n.properties);
}

function arrayOf(node: JsonSchemaNode): JsonSchemaNode | undefined {
  if (node.items) return node;
  return node.anyOf?.find((n) => n.items);
}

export function configJsonSchema(): Record<string, unknown> {
  const generated = toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  for (const field of SPEC_FIELDS) {
    const node = nodeAt(generated, field.key);
    if (node && !node.description) node.description = field.flag ? `${field.description} Flag: ${field.flag.split(' ')[0]}.` : field.description;
  }
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'serverless-lb configuration',
    description: 'A serverless-lb.yaml: one Application Load Balancer in front of serverless apps. Every key is explained in docs/config.md.',
    ...rest,
  };
}

/** The schema as the file holds it: two-space JSON and a final newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/** The values each config flag takes where they are a fixed list (`--type` -> the five types), for completion. */
export function flagEnumValues(): Map<string, string[]> {
  const generated = configJsonSchema() as JsonSchemaNode;
  const values = new Map<string, string[]>();
  for (const field of SPEC_FIELDS) {
    if (!field.flag || !field.flag.includes('<')) continue;
    const node = nodeAt(generated, field.key);
    const list = node?.enum ?? node?.anyOf?.find((n) => Array.isArray(n.enum))?.enum;
    if (Array.isArray(list) && !values.has(flagName(field.flag))) values.set(flagName(field.flag), list.map(String));
  }
  return values;
}
