/**
 * Test certificates made on the fly with @peculiar/x509: leaf and CA certificates with chosen names,
 * dates and keys, as PEM text.
 */
import './reflect-polyfill.js';
import { webcrypto } from 'node:crypto';
const x509 = await import('@peculiar/x509');

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const EC: EcKeyGenParams & { hash: string } = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface TestCert {
  certPem: string;
  keyPem: string;
  keys: CryptoKeyPair;
  cert: import('@peculiar/x509').X509Certificate;
}

export interface CertOptions {
  names?: string[];
  cn?: string;
  notBefore?: Date;
  notAfter?: Date;
  key?: 'rsa' | 'ec' | 'rsa1024';
  ca?: boolean;
  issuer?: TestCert;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export async function makeCert(options: CertOptions = {}): Promise<TestCert> {
  const alg = options.key === 'ec' ? EC : options.key === 'rsa1024' ? { ...RSA, modulusLength: 1024 } : RSA;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const subject = `CN=${options.cn ?? options.names?.[0] ?? 'test'}`;
  const extensions: import('@peculiar/x509').Extension[] = [new x509.BasicConstraintsExtension(options.ca === true, undefined, true)];
  if (options.names?.length) extensions.push(new x509.SubjectAlternativeNameExtension(options.names.map((value) => ({ type: 'dns' as const, value }))));
  const issuer = options.issuer;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Math.floor(Math.random() * 1e9).toString(16).padStart(8, '0'),
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore: options.notBefore ?? new Date('2025-01-01T00:00:00Z'),
    notAfter: options.notAfter ?? new Date('2125-01-01T00:00:00Z'),
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: issuer ? (issuer.keys.privateKey.algorithm as Algorithm) : alg,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', pkcs8), keys, cert };
}
