/**
 * What TLS an HTTPS proxy accepts, as its SSL policy says (Google's SSL policies overview): the
 * oldest TLS version and the TLS 1.0-1.2 cipher suites (`enabledFeatures`); TLS 1.3 suites are
 * always on. Without a policy, Google's default: COMPATIBLE from TLS 1.0.
 * Mutual TLS (the proxy's `serverTlsPolicy`): the client certificate is asked for and checked
 * against the trust config's anchors and intermediates; REJECT_INVALID refuses a connection without
 * a valid one, ALLOW_INVALID_OR_MISSING_CLIENT_CERT lets it through (the request says what came).
 * Node's TLS is OpenSSL's: suites are named the OpenSSL way, and TLS 1.0 and 1.1 need security
 * level 0, so every cipher string ends with `@SECLEVEL=0`.
 * Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../core/store.js';
import { PROFILE_FEATURES } from '../compute/ssl-policies.js';

/** Google's (IANA) suite names -> OpenSSL's. */
const OPENSSL_NAMES: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
};

const VERSIONS: Record<string, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2'> = { TLS_1_0: 'TLSv1', TLS_1_1: 'TLSv1.1', TLS_1_2: 'TLSv1.2' };

/** The Node TLS options of a proxy's SSL policy and mutual TLS, and a key naming them. */
export interface TlsOptions {
  key: string;
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';
  ciphers: string;
  /** Mutual TLS: ask for a client certificate, and refuse the connection without a valid one. */
  requestCert: boolean;
  rejectUnauthorized: boolean;
  /** The trust config's anchors and intermediates, to validate client certificates with. */
  ca?: string[];
}

/** What a server TLS policy's `mtlsPolicy` asks, with its trust config's certificates. */
export interface MtlsSetting {
  mode: string;
  certificates: string[];
}

export function tlsOptionsOf(policy: JsonObject | undefined, mtls?: MtlsSetting): TlsOptions {
  const min = VERSIONS[String(policy?.['minTlsVersion'] ?? 'TLS_1_0')] ?? 'TLSv1';
  const features = Array.isArray(policy?.['enabledFeatures']) ? (policy['enabledFeatures'] as unknown[]).map(String) : [...PROFILE_FEATURES.COMPATIBLE!];
  const ciphers = `${features.map((f) => OPENSSL_NAMES[f]).filter((n): n is string => n !== undefined).join(':')}:@SECLEVEL=0`;
  const base = { minVersion: min, ciphers };
  if (!mtls || mtls.certificates.length === 0) return { ...base, key: `${min}|${ciphers}`, requestCert: false, rejectUnauthorized: false };
  const reject = mtls.mode !== 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT';
  return { ...base, key: `${min}|${ciphers}|${mtls.mode}|${createHash('sha256').update(mtls.certificates.join('')).digest('hex')}`, requestCert: true, rejectUnauthorized: reject, ca: mtls.certificates };
}

/** A server TLS policy's mutual TLS setting, resolved through its trust config in the store; undefined without one. */
export function mtlsSettingOf(serverTlsPolicy: JsonObject | undefined, trustConfig: (path: string) => JsonObject | undefined): MtlsSetting | undefined {
  const mtls = serverTlsPolicy?.['mtlsPolicy'] as JsonObject | undefined;
  if (!mtls) return undefined;
  const trustPath = String(mtls['clientValidationTrustConfig'] ?? '').replace(/^\/\/certificatemanager\.googleapis\.com\//, '');
  const trust = trustPath ? trustConfig(trustPath) : undefined;
  const certificates: string[] = [];
  for (const store of (trust?.['trustStores'] as JsonObject[] | undefined) ?? []) {
    for (const list of ['trustAnchors', 'intermediateCas']) for (const c of (store[list] as JsonObject[] | undefined) ?? []) if (typeof c['pemCertificate'] === 'string') certificates.push(c['pemCertificate']);
  }
  return { mode: String(mtls['clientValidationMode'] ?? 'REJECT_INVALID'), certificates };
}
