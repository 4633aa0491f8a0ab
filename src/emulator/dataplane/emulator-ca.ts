/**
 * The emulator's certificate authority: a self-signed CA created once per emulator start, which
 * issues the certificates that Google-managed SSL certificates turn into once they are ACTIVE.
 * Clients trust the data plane by trusting the CA certificate (served at `/_emulator/ca.pem`).
 * Private keys stay in memory and never leave this module except to the TLS listeners.
 */
// @peculiar/x509 needs the Reflect metadata API loaded before it.
import 'reflect-metadata';
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type KeyPair = webcrypto.CryptoKeyPair;
type Key = webcrypto.CryptoKey;
type X509Keys = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
type X509Key = Extract<Parameters<typeof x509.X509CertificateGenerator.create>[0], { signingKey: unknown }>['signingKey'];

const subtle = webcrypto.subtle;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A certificate chain (leaf first) with its private key, both PEM. */
export interface IssuedCertificate {
  certificatePem: string;
  chainPem: string;
  privateKeyPem: string;
  notBefore: Date;
  notAfter: Date;
  domains: string[];
}

async function exportKeyPem(key: Key): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // keep it positive
  return Buffer.from(bytes).toString('hex');
}

export class EmulatorCa {
  private constructor(
    private readonly keys: KeyPair,
    private readonly cert: x509.X509Certificate,
    /** The CA certificate, PEM. Safe to publish. */
    readonly certificatePem: string,
  ) {}

  static async create(commonName = 'serverless-lb emulator CA'): Promise<EmulatorCa> {
    const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as KeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: `CN=${commonName}, O=serverless-lb emulator`,
      notBefore: new Date(now - 60 * 60 * 1000),
      notAfter: new Date(now + 10 * 365 * 24 * 60 * 60 * 1000),
      signingAlgorithm: SIGNING_ALGORITHM,
      keys: keys as unknown as X509Keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as X509Key),
      ],
    });
    return new EmulatorCa(keys, cert, cert.toString('pem') + '\n');
  }

  /** Issues a server certificate for `domains` (the first is the subject CN), valid for 90 days like Google's. */
  async issue(domains: string[], validDays = 90): Promise<IssuedCertificate> {
    if (domains.length === 0) throw new Error('a certificate needs at least one domain');
    const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as KeyPair;
    const notBefore = new Date(Date.now() - 5 * 60 * 1000);
    const notAfter = new Date(Date.now() + validDays * 24 * 60 * 60 * 1000);
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${domains[0]}`,
      issuer: this.cert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: keys.publicKey as unknown as X509Key,
      signingKey: this.keys.privateKey as unknown as X509Key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(domains.map((value) => ({ type: 'dns' as const, value }))),
        await x509.AuthorityKeyIdentifierExtension.create(this.keys.publicKey as unknown as X509Key),
      ],
    });
    const certificatePem = leaf.toString('pem') + '\n';
    return {
      certificatePem,
      chainPem: certificatePem + this.certificatePem,
      privateKeyPem: await exportKeyPem(keys.privateKey),
      notBefore,
      notAfter,
      domains: [...domains],
    };
  }
}

/** DNS names a PEM certificate (its first certificate) is valid for: SAN DNS names, else the subject CN. */
export function certificateDomains(pem: string): string[] {
  const cert = new NodeX509(pem);
  const san = cert.subjectAltName;
  if (san) {
    const names = san
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4).toLowerCase());
    if (names.length > 0) return names;
  }
  const cn = /CN=([^\n,]+)/.exec(cert.subject);
  return cn?.[1] ? [cn[1].toLowerCase()] : [];
}

/** True when a certificate name (possibly `*.example.com`) covers `host`. */
export function certificateNameMatches(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n === h) return true;
  if (n.startsWith('*.')) {
    const suffix = n.slice(1);
    return h.endsWith(suffix) && !h.slice(0, -suffix.length).includes('.') && h.length > suffix.length;
  }
  return false;
}
