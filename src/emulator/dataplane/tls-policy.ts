/**
 * What TLS an HTTPS proxy accepts, as its SSL policy says (Google's SSL policies overview): the
 * oldest TLS version and the TLS 1.0-1.2 cipher suites (`enabledFeatures`); TLS 1.3 suites are
 * always on. Without a policy, Google's default: COMPATIBLE from TLS 1.0.
 * Node's TLS is OpenSSL's: suites are named the OpenSSL way, and TLS 1.0 and 1.1 need security
 * level 0, so every cipher string ends with `@SECLEVEL=0`.
 * Pure: no I/O.
 */
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

/** The Node TLS options of an SSL policy (undefined: Google's default), and a key naming them. */
export interface TlsOptions {
  key: string;
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';
  ciphers: string;
}

export function tlsOptionsOf(policy: JsonObject | undefined): TlsOptions {
  const min = VERSIONS[String(policy?.['minTlsVersion'] ?? 'TLS_1_0')] ?? 'TLSv1';
  const features = Array.isArray(policy?.['enabledFeatures']) ? (policy['enabledFeatures'] as unknown[]).map(String) : [...PROFILE_FEATURES.COMPATIBLE!];
  const ciphers = `${features.map((f) => OPENSSL_NAMES[f]).filter((n): n is string => n !== undefined).join(':')}:@SECLEVEL=0`;
  return { key: `${min}|${ciphers}`, minVersion: min, ciphers };
}
