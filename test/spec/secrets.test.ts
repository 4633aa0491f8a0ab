import { describe, expect, it } from 'vitest';
import { mergeSpecInput, parseConfigText, renderConfigYaml, specInputFromFlags, validateSpec, type Problem } from '../../src/spec/index.js';
import { make } from './helpers/inputs.js';

const SECRET = 'GOCSPX-TopSecretValue123';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----\n';

function all(input: unknown, files: Record<string, string> = {}): Problem[] {
  const result = validateSpec(input, {
    readFile: (p) => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error(`cannot open ${p}: ${files[p]}`), { code: 'ENOENT' });
    },
    now: () => new Date('2030-01-01'),
    env: () => undefined,
  });
  return result.ok ? result.warnings : result.problems;
}

describe('secrets never appear in problems', () => {
  const cases: [string, unknown, Record<string, string>?][] = [
    ['inline OAuth secret key', make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: 'x', oauth2ClientSecret: SECRET } }))],
    ['OAuth secret given as the file path', make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: 'x', oauth2ClientSecretFile: SECRET } }))],
    ['OAuth secret given as the variable name', make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: 'x', oauth2ClientSecretEnv: SECRET } }))],
    ['secret file content', make((i) => (i.options = { iap: { enabled: true, oauth2ClientId: 'x', oauth2ClientSecretFile: '/s' } })), { '/s': SECRET }],
    ['inline private key as the key path', make((i) => { i.frontend = { protocol: 'https', domains: ['a.example.com'] }; i.certificate = { type: 'self-managed', certificateFile: '/c', privateKeyFile: PEM_KEY }; })],
    ['inline private key field', make((i) => { i.frontend = { protocol: 'https', domains: ['a.example.com'] }; i.certificate = { type: 'self-managed', certificateFile: '/c', privateKeyFile: '/k', privateKey: PEM_KEY }; })],
    ['a key file that does not parse', make((i) => { i.frontend = { protocol: 'https', domains: ['a.example.com'] }; i.certificate = { type: 'self-managed', certificateFile: '/c', privateKeyFile: '/k' }; }), { '/k': PEM_KEY, '/c': PEM_KEY }],
  ];
  it.each(cases)('%s', (_name, input, files) => {
    const problems = all(input, files);
    expect(problems.length).toBeGreaterThan(0);
    const text = JSON.stringify(problems);
    expect(text).not.toContain('TopSecretValue');
    expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC');
  });

  it('config parse errors do not quote the file', () => {
    const yaml = `name: lb\nproject: demo-project\nsecret: "${SECRET}\n  bad: [`;
    const json = `{"name": "lb", "oauth": "${SECRET}" "x": 1}`;
    for (const [text, file] of [[yaml, 'c.yaml'], [json, 'c.json']] as const) {
      const result = parseConfigText(text, file);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(JSON.stringify(result.problems)).not.toContain('TopSecretValue');
    }
  });

  it('flags and merges never invent secret fields', () => {
    const { input } = specInputFromFlags({ iapClientSecretFile: '/run/secret', iapClientId: 'id' });
    expect(JSON.stringify(mergeSpecInput({}, input))).not.toMatch(/oauth2ClientSecret"/);
  });

  it('writing a config refuses secrets', () => {
    expect(() => renderConfigYaml({ name: 'lb', options: { iap: { oauth2ClientSecret: SECRET } } } as never)).toThrow(/never stored/);
    expect(() => renderConfigYaml({ name: 'lb', certificate: { type: 'self-managed', certificateFile: 'a', privateKeyFile: PEM_KEY } })).toThrow(/refusing/);
    try {
      renderConfigYaml({ name: 'lb', certificate: { type: 'self-managed', certificateFile: 'a', privateKeyFile: PEM_KEY } });
    } catch (error) {
      expect(String(error)).not.toContain('MIIEvQ');
    }
  });
});
