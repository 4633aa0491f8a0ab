/**
 * `serverless-lb schema`: prints the config file's JSON Schema (generated from the one zod schema;
 * docs/serverless-lb.schema.json holds the same). Editors use it through yaml-language-server.
 */
import type { Command } from 'commander';

export function defineSchema(command: Command): void {
  command.action(async () => {
    const { renderConfigJsonSchema } = await import('../spec/json-schema.js');
    process.stdout.write(renderConfigJsonSchema());
  });
}
