import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { locateProblems, parseConfigText, readConfigFile, renderConfigYaml, validateSpec, writeConfigFile } from '../../src/spec/index.js';

const YAML_TEXT = `name: lb
project: demo-project
region: europe-west1
backends:
  - name: web
    cloudRun:
      service: web
  - name: api
    cloudRun:
      service: Api
frontend:
  protocol: http
`;

describe('reading config files', () => {
  it('reads YAML and JSON alike', () => {
    const yaml = parseConfigText(YAML_TEXT, 'serverless-lb.yaml');
    const json = parseConfigText(JSON.stringify(parse(YAML_TEXT), null, '\t'), 'serverless-lb.json');
    expect(yaml.ok && json.ok).toBe(true);
    if (yaml.ok && json.ok) expect(json.input).toEqual(yaml.input);
  });

  it('tells JSON from YAML by content when the extension does not', () => {
    const result = parseConfigText('{"name": "lb"}', 'config');
    expect(result.ok && result.input).toEqual({ name: 'lb' });
  });

  it('names the file, line and column of a YAML syntax error', () => {
    const result = parseConfigText('name: lb\nproject: demo-project\nbackends:\n  - name: web\n   cloudRun: x\n', 'lb.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/^lb\.yaml:5:\d+: /);
  });

  it('names the line of duplicate keys', () => {
    const result = parseConfigText('name: lb\nproject: a\nname: again\n', 'lb.yaml');
    expect(!result.ok && result.problems[0]!.location).toBe('lb.yaml:3:1');
  });

  it('names the file, line and column of a JSON syntax error', () => {
    const result = parseConfigText('{\n  "name": "lb",\n  "project": "demo-project"\n  "region": "x"\n}', 'lb.json');
    expect(!result.ok && result.problems[0]!.message).toMatch(/^lb\.json:4:3: invalid JSON/);
  });

  it('refuses empty files and non-mappings', () => {
    expect(parseConfigText('  \n', 'a.yaml').ok).toBe(false);
    expect(parseConfigText('- a\n- b\n', 'a.yaml').ok).toBe(false);
    expect(parseConfigText('"just a string"', 'a.json').ok).toBe(false);
  });

  it('locates validation problems in the file', () => {
    const read = parseConfigText(YAML_TEXT, 'serverless-lb.yaml');
    if (!read.ok) throw new Error('parse');
    const result = validateSpec(read.input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [problem] = locateProblems(result.problems, read.locate);
    expect(problem).toMatchObject({ key: 'backends.1.cloudRun.service', location: 'serverless-lb.yaml:10:7' });
    expect(read.locate('frontend.port')).toBe('serverless-lb.yaml:11:1');
  });

  it('reports a missing file with a hint', () => {
    const result = readConfigFile('/nonexistent/serverless-lb.yaml');
    expect(!result.ok && result.problems[0]).toMatchObject({ message: 'config file /nonexistent/serverless-lb.yaml does not exist', hint: expect.stringMatching(/init/) });
  });

  it('resolves file references relative to the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slb-'));
    const path = join(dir, 'lb.yaml');
    writeFileSync(path, 'name: lb\ncertificate:\n  type: self-managed\n  certificateFile: certs/a.crt\n  privateKeyFile: /abs/a.key\noptions:\n  iap:\n    oauth2ClientSecretFile: ../secret.txt\n');
    const result = readConfigFile(path);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).toMatchObject({
      certificate: { certificateFile: join(dir, 'certs/a.crt'), privateKeyFile: '/abs/a.key' },
      options: { iap: { oauth2ClientSecretFile: join(dir, '../secret.txt') } },
    });
  });
});

describe('writing config files', () => {
  const input = {
    name: 'lb',
    project: 'demo-project',
    backends: [{ name: 'web', cloudRun: { service: 'web' } }],
    frontend: { protocol: 'https' as const, domains: ['www.example.com'] },
    certificate: { type: 'managed' as const },
    region: 'europe-west1',
  };

  it('writes commented YAML that reads back to the same input', () => {
    const text = renderConfigYaml(input);
    expect(text).toMatch(/^# serverless-lb configuration/);
    expect(text).toMatch(/# The load balancer's name/);
    expect(text.indexOf('region:')).toBeLessThan(text.indexOf('backends:'));
    const read = parseConfigText(text, 'x.yaml');
    expect(read.ok && read.input).toEqual(input);
  });

  it('writes file references relative to the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slb-'));
    const path = join(dir, 'serverless-lb.yaml');
    writeConfigFile(path, { ...input, certificate: { type: 'self-managed', certificateFile: join(dir, 'certs/a.crt'), privateKeyFile: '/elsewhere/a.key' } });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('certificateFile: certs/a.crt');
    expect(text).toContain('privateKeyFile: /elsewhere/a.key');
    const read = readConfigFile(path);
    expect(read.ok && (read.input as typeof input & { certificate: { certificateFile: string } }).certificate.certificateFile).toBe(join(dir, 'certs/a.crt'));
  });
});
