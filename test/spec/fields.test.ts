import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SPEC_FIELDS, flagForKey, normalizeKey, optionAttribute, specOptions, specSchema } from '../../src/spec/index.js';
import { renderFieldsTable } from './helpers/fields-doc.js';

/** Every dotted key the zod schema defines (arrays as `[]`). */
function schemaKeys(schema: z.ZodType, prefix = ''): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return schemaKeys(def.innerType as z.ZodType, prefix);
    case 'array':
      return schemaKeys(def.element as z.ZodType, `${prefix}[]`);
    case 'union':
      return [...new Set((def.options as z.ZodType[]).flatMap((o) => schemaKeys(o, prefix)))];
    case 'object': {
      const keys: string[] = [];
      for (const [name, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const key = prefix ? `${prefix}.${name}` : name;
        keys.push(key, ...schemaKeys(child, key));
      }
      return keys;
    }
    default:
      return [];
  }
}

describe('SPEC_FIELDS', () => {
  it('lists every key of the schema, and nothing else', () => {
    const keys = schemaKeys(specSchema);
    const listed = SPEC_FIELDS.map((f) => f.key);
    const containers = new Set(['routing', 'frontend', 'frontend.address', 'frontend.network', 'frontend.network.proxyOnlySubnet', 'options', 'options.cdn', 'options.iap', 'options.logging', 'backends[].cloudRun', 'backends[].cloudFunction', 'backends[].appEngine', 'backends[].apiGateway']);
    expect(keys.filter((k) => !listed.includes(k) && !containers.has(k))).toEqual([]);
    expect(listed.filter((k) => !keys.includes(k))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('has a flag for every setting the wizard asks or CI commonly sets', () => {
    const flags = new Set(specOptions().map((o) => o.flags.split(' ')[0]));
    for (const flag of ['--name', '--project', '--type', '--region', '--regions', '--backend', '--default-backend', '--route', '--protocol', '--port', '--domain', '--certificate', '--certificate-file', '--private-key-file', '--existing-certificate', '--certificate-map', '--certificate-manager-certificate', '--address', '--address-name', '--ip-version', '--network-tier', '--network', '--subnet', '--proxy-only-subnet', '--proxy-only-subnet-name', '--proxy-only-subnet-range', '--cdn', '--cdn-cache-mode', '--iap', '--iap-client-id', '--iap-client-secret-file', '--iap-client-secret-env', '--security-policy', '--rate-limit', '--logging', '--log-sample-rate', '--outlier-detection', '--keepalive-timeout', '--ingress', '--dns-zone']) {
      expect(flags, flag).toContain(flag);
    }
    for (const field of SPEC_FIELDS) if (field.question) expect(field.flag, field.key).toBeDefined();
  });

  it('maps problem paths to their entry', () => {
    expect(normalizeKey('backends.1.cloudRun.service')).toBe('backends[].cloudRun.service');
    expect(flagForKey('backends.1.cloudRun.service')?.flag).toBe('--backend <backend>');
    expect(flagForKey('frontend.domains.3')?.key).toBe('frontend.domains');
    expect(flagForKey('frontend.network.proxyOnlySubnet.ranges.europe-west1')?.flag).toBe('--proxy-only-subnet-range <region=cidr>');
    expect(flagForKey('options.cloudArmor.rules.0.rateLimit.banDurationSec')?.flag).toBeUndefined();
    expect(flagForKey('options.cloudArmor.rules.0.rateLimit.count')?.flag).toMatch(/--rate-limit/);
    expect(flagForKey('nothing.here')).toBeUndefined();
    expect(flagForKey('')).toBeUndefined();
  });

  it('knows the property commander stores each flag under', () => {
    expect(optionAttribute('--default-backend <b>')).toBe('defaultBackend');
    expect(optionAttribute('--no-logging')).toBe('logging');
    expect(optionAttribute('--proxy-only-subnet-range <r>')).toBe('proxyOnlySubnetRange');
  });

  it('docs/config.md holds the generated table (regenerate: UPDATE_DOCS=1 npx vitest run test/spec/fields.test.ts)', () => {
    const path = join(import.meta.dirname, '../../docs/config.md');
    const doc = readFileSync(path, 'utf8');
    const table = renderFieldsTable();
    const start = '<!-- fields:start -->\n';
    const end = '<!-- fields:end -->';
    const from = doc.indexOf(start);
    const to = doc.indexOf(end);
    expect(from).toBeGreaterThanOrEqual(0);
    const current = doc.slice(from + start.length, to);
    if (current !== table && process.env.UPDATE_DOCS) {
      writeFileSync(path, doc.slice(0, from + start.length) + table + doc.slice(to));
      return;
    }
    expect(current).toBe(table);
    for (const field of SPEC_FIELDS) expect(doc).toContain(`\`${field.key}\``);
  });
});
