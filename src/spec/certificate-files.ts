/**
 * Checks of the files a Spec refers to: the self-managed certificate chain and private key, and the
 * IAP OAuth client secret file. Files are read only through the injected `readFile`.
 *
 * Contract: no Problem produced here contains any part of a file's contents, nor a crypto library's
 * error text (which could quote input); only paths, names from the certificate, and dates.
 */
import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { certificateNameCovers } from './syntax.js';

export interface FileCheckIo {
  readFile: (path: string) => string;
  /** The current time; without it, validity dates are not checked. */
  now?: () => Date;
}

export interface FileFinding {
  severity: 'error' | 'warning';
  /** Which of the two keys the finding is about. */
  on: 'certificateFile' | 'privateKeyFile';
  message: string;
  hint: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates that expire within this many days get a warning. */
export const EXPIRY_WARNING_DAYS = 30;

/** True when a configured "path" is actually inline PEM or multi-line content (so it is never echoed). */
export function looksLikeInlineContent(value: string): boolean {
  return value.includes('-----BEGIN') || /[\r\n]/.test(value);
}

/** Google's limit on a self-managed certificate chain (SslCertificate.selfManaged.certificate). */
export const MAX_CHAIN_LENGTH = 5;
/** Larger than any PEM chain of five certificates, or key, or OAuth secret: such a file is not one. */
export const MAX_FILE_BYTES = 256 * 1024;

function readText(io: Pick<FileCheckIo, 'readFile'>, path: string): { text: string } | { error: string } {
  try {
    const raw = io.readFile(path);
    const text = typeof raw === 'string' ? raw : String(raw);
    if (text.length > MAX_FILE_BYTES) return { error: `is ${Math.round(text.length / 1024)} KB, too large for a PEM certificate chain, key or secret (at most ${MAX_FILE_BYTES / 1024} KB)` };
    return { text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    return { error: why };
  }
}

/** The DNS names a certificate is valid for: its SAN dNSNames, else its subject CN. */
export function certificateDnsNames(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (san) {
    return san
      .split(/,\s*/)
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4).replace(/^"|"$/g, ''));
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  return cn ? [cn] : [];
}

function keyDescription(key: KeyObject): { ok: boolean; what: string } {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  if (type === 'rsa') {
    const bits = details?.modulusLength ?? 0;
    return { ok: bits >= 2048 && bits <= 4096, what: `RSA-${bits}` };
  }
  if (type === 'ec') {
    const curve = details?.namedCurve ?? 'unknown curve';
    return { ok: curve === 'prime256v1' || curve === 'secp384r1', what: `ECDSA ${curve}` };
  }
  return { ok: false, what: String(type) };
}

/**
 * Reads and checks a self-managed certificate: a PEM chain (leaf first) and a matching private key,
 * names covering `domains`, not expired. Returns every finding.
 */
export function checkCertificateFiles(
  certificateFile: string,
  privateKeyFile: string,
  domains: readonly string[],
  io: FileCheckIo,
): FileFinding[] {
  const findings: FileFinding[] = [];
  const add = (severity: FileFinding['severity'], on: FileFinding['on'], message: string, hint: string) =>
    findings.push({ severity, on, message, hint });

  let leaf: X509Certificate | undefined;
  let chain: X509Certificate[] = [];
  if (looksLikeInlineContent(certificateFile)) {
    add('error', 'certificateFile', 'must be the path of a PEM file, not the certificate itself', 'save the chain to a file and give its path');
  } else {
    const read = readText(io, certificateFile);
    if ('error' in read) add('error', 'certificateFile', `${certificateFile} ${read.error}`, 'give the path of the PEM certificate chain (relative to the config file)');
    else {
      const blocks = [...read.text.matchAll(PEM_BLOCK)];
      if (blocks.some((b) => /PRIVATE KEY/.test(b[1] ?? ''))) {
        add('error', 'certificateFile', `${certificateFile} holds a private key`, 'put the private key in privateKeyFile and only certificates in certificateFile');
      }
      const certBlocks = blocks.filter((b) => b[1] === 'CERTIFICATE');
      if (certBlocks.length === 0) add('error', 'certificateFile', `${certificateFile} holds no PEM certificate`, 'the file must contain "-----BEGIN CERTIFICATE-----" blocks, the leaf certificate first');
      if (certBlocks.length > MAX_CHAIN_LENGTH) {
        add('error', 'certificateFile', `${certificateFile} holds ${certBlocks.length} certificates; Google takes a chain of at most ${MAX_CHAIN_LENGTH}`, 'keep the leaf and its intermediates, leaf first; leave out the root and any repeats');
      }
      chain = [];
      certBlocks.forEach((block, i) => {
        try {
          chain.push(new X509Certificate(block[0]));
        } catch {
          add('error', 'certificateFile', `certificate ${i + 1} in ${certificateFile} is not a valid X.509 certificate`, 'export the chain again in PEM format');
        }
      });
      if (chain.length === certBlocks.length) leaf = chain[0];
    }
  }

  if (leaf && io.now) {
    const now = io.now();
    const notAfter = new Date(leaf.validTo);
    const notBefore = new Date(leaf.validFrom);
    if (notAfter.getTime() <= now.getTime()) {
      add('error', 'certificateFile', `the certificate in ${certificateFile} expired on ${notAfter.toISOString().slice(0, 10)}`, 'renew the certificate');
    } else if (notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
      add('warning', 'certificateFile', `the certificate in ${certificateFile} expires in ${days} days (${notAfter.toISOString().slice(0, 10)})`, 'renew it soon');
    }
    if (notBefore.getTime() > now.getTime()) {
      add('error', 'certificateFile', `the certificate in ${certificateFile} is not valid before ${notBefore.toISOString().slice(0, 10)}`, 'use a certificate that is valid now');
    }
  }
  if (leaf) {
    if (leaf.ca && chain.length > 1) {
      add('warning', 'certificateFile', `the first certificate in ${certificateFile} is a CA certificate`, 'put the leaf (server) certificate first, then its intermediates');
    }
    for (let i = 0; i + 1 < chain.length; i++) {
      if (!chain[i]!.checkIssued(chain[i + 1]!)) {
        add('warning', 'certificateFile', `certificate ${i + 1} in ${certificateFile} was not issued by certificate ${i + 2}`, 'order the chain leaf first, each certificate followed by its issuer');
        break;
      }
    }
    const names = certificateDnsNames(leaf);
    const uncovered = domains.filter((domain) => !names.some((name) => certificateNameCovers(name, domain)));
    if (uncovered.length > 0) {
      add('error', 'certificateFile', `the certificate in ${certificateFile} does not cover ${uncovered.join(', ')} (it names ${names.join(', ') || 'no DNS names'})`, 'use a certificate whose subject alternative names include every domain in frontend.domains');
    }
  }

  let key: KeyObject | undefined;
  if (looksLikeInlineContent(privateKeyFile)) {
    add('error', 'privateKeyFile', 'must be the path of a PEM file, not the key itself', 'save the key to a file (readable only by you) and give its path');
  } else {
    const read = readText(io, privateKeyFile);
    if ('error' in read) add('error', 'privateKeyFile', `${privateKeyFile} ${read.error}`, 'give the path of the PEM private key (relative to the config file)');
    else if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(read.text)) {
      add('error', 'privateKeyFile', `the private key in ${privateKeyFile} is encrypted`, 'Google needs an unencrypted key: decrypt it (openssl pkey -in KEY -out PLAIN)');
    } else if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(read.text)) {
      add('error', 'privateKeyFile', `${privateKeyFile} holds no PEM private key`, 'the file must contain a "-----BEGIN PRIVATE KEY-----" block');
    } else {
      try {
        key = createPrivateKey(read.text);
      } catch {
        add('error', 'privateKeyFile', `the private key in ${privateKeyFile} cannot be parsed`, 'export the key again in PEM format (PKCS#8 or PKCS#1)');
      }
    }
  }

  if (key) {
    const description = keyDescription(key);
    if (!description.ok) {
      add('error', 'privateKeyFile', `the private key in ${privateKeyFile} is ${description.what}`, 'Google load balancers take RSA keys of 2048-4096 bits or ECDSA P-256/P-384 keys');
    }
    if (leaf && !leaf.checkPrivateKey(key)) {
      add('error', 'privateKeyFile', `the private key in ${privateKeyFile} does not match the certificate in ${certificateFile}`, 'use the key the certificate was issued for');
    }
  }
  return findings;
}

/** Checks that a secret file can be read and is not empty; its content is read and dropped. */
export function checkSecretFile(path: string, io: Pick<FileCheckIo, 'readFile'>): { message: string; hint: string } | undefined {
  const read = readText({ readFile: io.readFile }, path);
  if ('error' in read) return { message: `${path} ${read.error}`, hint: 'give the path of a file that holds only the OAuth client secret' };
  if (read.text.trim() === '') return { message: `${path} is empty`, hint: 'put the OAuth client secret in the file' };
  return undefined;
}

/**
 * Why a file of CA certificates (mTLS trust anchors or intermediates) cannot be used, or undefined:
 * readable, one or more PEM certificates and nothing else, each a CA certificate.
 */
export function caFileProblem(path: string, io: Pick<FileCheckIo, 'readFile'>): { message: string; hint: string } | undefined {
  if (looksLikeInlineContent(path)) return { message: 'must be the path of a PEM file, not the certificate itself', hint: 'save the CA certificate to a file and give its path' };
  const read = readText(io, path);
  if ('error' in read) return { message: `${path} ${read.error}`, hint: 'give the path of a PEM CA certificate (relative to the config file)' };
  const blocks = [...read.text.matchAll(PEM_BLOCK)];
  if (blocks.some((b) => /PRIVATE KEY/.test(b[1]!))) return { message: `${path} holds a private key`, hint: 'a trust anchor file holds CA certificates only: never a key' };
  const certs = blocks.filter((b) => b[1] === 'CERTIFICATE');
  if (certs.length === 0) return { message: `${path} holds no PEM certificate`, hint: 'the file must contain "-----BEGIN CERTIFICATE-----" blocks' };
  for (const [i, b] of certs.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(b[0]);
    } catch {
      return { message: `certificate ${i + 1} in ${path} is not a valid X.509 certificate`, hint: 'export it again in PEM format' };
    }
    if (!cert.ca) return { message: `certificate ${i + 1} in ${path} is not a CA certificate (basicConstraints CA:FALSE)`, hint: 'give the certificate of the CA that issues the client certificates, not a client certificate' };
  }
  return undefined;
}

/**
 * What identifies the certificates of a PEM text (a chain, or a trust config's CA file): the
 * SHA-256 of their DER encodings in order, as hex. The same certificates give the same digest
 * whatever the line breaks, comments or other blocks around them; undefined when the text holds no
 * certificate or one that does not parse. Compares a local file with what Google returns.
 */
export function certificatesDigest(text: string): string | undefined {
  const blocks = [...text.matchAll(PEM_BLOCK)].filter((b) => b[1] === 'CERTIFICATE');
  if (blocks.length === 0) return undefined;
  const hash = createHash('sha256');
  try {
    for (const b of blocks) hash.update(new X509Certificate(b[0]).raw);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}
