import { beforeAll, describe, expect, it } from 'vitest';
import { validateSpec, type Problem, type SpecIo } from '../../src/spec/index.js';
import { certificateNameCovers } from '../../src/spec/syntax.js';
import { makeCert, type TestCert } from './helpers/certs.js';
import { make } from './helpers/inputs.js';

const NOW = new Date('2030-06-01T00:00:00Z');
const DAY = 24 * 3600 * 1000;

function io(files: Record<string, string>, now = NOW): SpecIo {
  return {
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return files[path]!;
    },
    now: () => now,
  };
}

function input(domains = ['www.example.com']) {
  return make((i) => {
    i.type = 'regional-external';
    i.frontend = { protocol: 'https', domains };
    i.certificate = { type: 'self-managed', certificateFile: '/c/cert.pem', privateKeyFile: '/c/key.pem' };
  });
}

function certProblems(files: Record<string, string>, domains?: string[], now?: Date): Problem[] {
  const result = validateSpec(input(domains), io(files, now));
  return (result.ok ? result.warnings : result.problems).filter((p) => p.rule === 'certificate-files');
}

let wildcard: TestCert;
let other: TestCert;
let ec: TestCert;
let ca: TestCert;
let leaf: TestCert;
beforeAll(async () => {
  [wildcard, other, ec, ca] = await Promise.all([
    makeCert({ names: ['*.example.com', 'example.com'] }),
    makeCert({ names: ['www.example.com'] }),
    makeCert({ names: ['www.example.com'], key: 'ec' }),
    makeCert({ cn: 'Test CA', ca: true }),
  ]);
  leaf = await makeCert({ names: ['www.example.com'], issuer: ca });
});

describe('self-managed certificate files', () => {
  it('accepts a matching RSA or ECDSA certificate and key that cover the domains', () => {
    expect(certProblems({ '/c/cert.pem': wildcard.certPem, '/c/key.pem': wildcard.keyPem }, ['www.example.com', 'example.com'])).toEqual([]);
    expect(certProblems({ '/c/cert.pem': ec.certPem, '/c/key.pem': ec.keyPem })).toEqual([]);
  });

  it('accepts a chain with the leaf first, and warns when it is out of order', () => {
    expect(certProblems({ '/c/cert.pem': leaf.certPem + ca.certPem, '/c/key.pem': leaf.keyPem })).toEqual([]);
    const reversed = certProblems({ '/c/cert.pem': ca.certPem + leaf.certPem, '/c/key.pem': leaf.keyPem });
    expect(reversed.some((p) => p.severity === 'warning' && /CA certificate|issued/.test(p.message))).toBe(true);
  });

  it('reports a key that does not match the certificate', () => {
    const problems = certProblems({ '/c/cert.pem': wildcard.certPem, '/c/key.pem': other.keyPem });
    expect(problems).toEqual([expect.objectContaining({ key: 'certificate.privateKeyFile', severity: 'error', message: expect.stringMatching(/does not match/) })]);
  });

  it('reports domains the names do not cover (a wildcard covers one label)', () => {
    const problems = certProblems({ '/c/cert.pem': wildcard.certPem, '/c/key.pem': wildcard.keyPem }, ['a.b.example.com', 'www.example.org']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/does not cover a\.b\.example\.com, www\.example\.org/);
  });

  it('reports an expired certificate and warns about one expiring within 30 days', async () => {
    const expired = await makeCert({ names: ['www.example.com'], notBefore: new Date('2020-01-01'), notAfter: new Date(NOW.getTime() - DAY) });
    expect(certProblems({ '/c/cert.pem': expired.certPem, '/c/key.pem': expired.keyPem })).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/expired/) })]);
    const soon = await makeCert({ names: ['www.example.com'], notBefore: new Date('2020-01-01'), notAfter: new Date(NOW.getTime() + 10 * DAY) });
    const warnings = certProblems({ '/c/cert.pem': soon.certPem, '/c/key.pem': soon.keyPem });
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/expires in 10 days/) })]);
    expect(validateSpec(input(), io({ '/c/cert.pem': soon.certPem, '/c/key.pem': soon.keyPem })).ok).toBe(true);
    const future = await makeCert({ names: ['www.example.com'], notBefore: new Date(NOW.getTime() + DAY) });
    expect(certProblems({ '/c/cert.pem': future.certPem, '/c/key.pem': future.keyPem })[0]?.message).toMatch(/not valid before/);
  });

  it('refuses weak keys', async () => {
    const weak = await makeCert({ names: ['www.example.com'], key: 'rsa1024' });
    expect(certProblems({ '/c/cert.pem': weak.certPem, '/c/key.pem': weak.keyPem })[0]?.message).toMatch(/RSA-1024/);
  });

  it('reports unreadable, empty, swapped and encrypted files', () => {
    const missing = certProblems({});
    expect(missing.map((p) => p.message)).toEqual(['/c/cert.pem does not exist', '/c/key.pem does not exist']);
    const swapped = certProblems({ '/c/cert.pem': wildcard.keyPem, '/c/key.pem': wildcard.certPem });
    expect(swapped.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/holds a private key/), expect.stringMatching(/holds no PEM private key/)]));
    const encrypted = certProblems({ '/c/cert.pem': wildcard.certPem, '/c/key.pem': '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n' });
    expect(encrypted[0]?.message).toMatch(/encrypted/);
    const garbage = certProblems({ '/c/cert.pem': '-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n', '/c/key.pem': wildcard.keyPem });
    expect(garbage[0]?.message).toMatch(/not a valid X\.509/);
  });

  it('never puts key material or file contents into a problem', () => {
    const keyBody = other.keyPem.split('\n')[1]!;
    const certBody = wildcard.certPem.split('\n')[1]!;
    const all = [
      ...certProblems({ '/c/cert.pem': wildcard.certPem, '/c/key.pem': other.keyPem }),
      ...certProblems({ '/c/cert.pem': other.keyPem, '/c/key.pem': wildcard.certPem }),
      ...certProblems({ '/c/cert.pem': wildcard.certPem, '/c/key.pem': `${other.keyPem.slice(0, 80)}broken` }),
    ];
    const inline = validateSpec(
      make((i) => {
        i.frontend = { protocol: 'https', domains: ['www.example.com'] };
        i.certificate = { type: 'self-managed', certificateFile: wildcard.certPem, privateKeyFile: other.keyPem };
      }),
      io({}),
    );
    if (!inline.ok) all.push(...inline.problems);
    expect(all.length).toBeGreaterThan(3);
    const text = JSON.stringify(all);
    expect(text).not.toContain(keyBody);
    expect(text).not.toContain(certBody);
    expect(text).not.toMatch(/MII[A-Za-z0-9+/]{20}/);
  });
});

describe('certificateNameCovers (RFC 6125)', () => {
  it.each([
    ['www.example.com', 'www.example.com', true],
    ['WWW.example.com', 'www.example.com', true],
    ['*.example.com', 'www.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', '*.example.com', true],
    ['*.com', 'example.com', false],
    ['www.example.com', '*.example.com', false],
  ])('%s covers %s: %s', (name, domain, expected) => {
    expect(certificateNameCovers(name, domain)).toBe(expected);
  });
});
