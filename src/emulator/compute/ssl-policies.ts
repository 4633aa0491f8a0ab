/**
 * sslPolicies (global) and regionSslPolicies: the TLS versions and cipher suites a target HTTPS
 * proxy accepts (compute__computesslpolicy recording; Google's SSL policies overview beyond it).
 *
 * - `profile` COMPATIBLE (default), MODERN, RESTRICTED, FIPS_202205 or CUSTOM; `minTlsVersion`
 *   TLS_1_0 (default), TLS_1_1, TLS_1_2 (TLS_1_3 is taken by Google for some types; refused here
 *   with the profile rules it breaks). CUSTOM needs `customFeatures`; other profiles refuse them.
 * - Google fills `enabledFeatures`: the profile's TLS 1.0-1.2 cipher suites, sorted (TLS 1.3 suites
 *   are always on and not listed); `fingerprint`; PATCH (operationType
 *   `compute.sslPolicies.patch`), where `customFeatures: null` clears them.
 * - Deleting a policy a target HTTPS proxy uses is refused (resourceInUseByAnotherResource).
 */
import type { JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec } from './engine.js';
import { invalidField } from './errors.js';
import { checkEnum } from './fields.js';

const ECDHE_AEAD = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];
const ECDHE_CBC = ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'];
const RSA_KEX = ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'];
const FIPS = ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'];

/** The TLS 1.0-1.2 cipher suites of each pre-configured profile (Google's SSL policies overview). */
export const PROFILE_FEATURES: Record<string, readonly string[]> = {
  COMPATIBLE: [...ECDHE_AEAD, ...ECDHE_CBC, ...RSA_KEX].sort(),
  MODERN: [...ECDHE_AEAD, ...ECDHE_CBC].sort(),
  RESTRICTED: [...ECDHE_AEAD].sort(),
  FIPS_202205: [...FIPS].sort(),
};

const ALL_FEATURES = new Set(PROFILE_FEATURES.COMPATIBLE);

function buildSslPolicy(b: BuildContext): JsonObject {
  const body = b.body;
  const profile = checkEnum(body['profile'], ['COMPATIBLE', 'MODERN', 'RESTRICTED', 'FIPS_202205', 'CUSTOM'] as const, 'resource.profile', 'COMPATIBLE')!;
  const minTlsVersion = checkEnum(body['minTlsVersion'], ['TLS_1_0', 'TLS_1_1', 'TLS_1_2'] as const, 'resource.minTlsVersion', 'TLS_1_0')!;
  const custom = Array.isArray(body['customFeatures']) ? body['customFeatures'].map(String) : [];
  const out: JsonObject = { profile, minTlsVersion };
  if (body['description'] !== undefined) out['description'] = String(body['description']);
  if (profile === 'CUSTOM') {
    if (custom.length === 0) throw invalidField('resource.customFeatures', '', 'A CUSTOM profile needs at least one custom feature.');
    custom.forEach((f, i) => {
      if (!ALL_FEATURES.has(f)) throw invalidField(`resource.customFeatures[${i}]`, f, 'Unknown SSL feature.');
    });
    out['customFeatures'] = [...custom].sort();
    out['enabledFeatures'] = [...custom].sort();
  } else {
    if (custom.length > 0) throw invalidField('resource.customFeatures', custom.join(','), `Custom features can only be set with the CUSTOM profile, not ${profile}.`);
    out['enabledFeatures'] = [...PROFILE_FEATURES[profile]!];
  }
  if (profile === 'FIPS_202205' && minTlsVersion !== 'TLS_1_2') throw invalidField('resource.minTlsVersion', minTlsVersion, 'The FIPS_202205 profile needs minTlsVersion TLS_1_2.');
  return out;
}

export const sslPolicySpec: KindSpec = {
  collection: 'sslPolicies',
  kind: 'compute#sslPolicy',
  snake: 'ssl_policy',
  scope: 'global',
  fingerprint: true,
  patch: true,
  opTypes: { patch: 'compute.sslPolicies.patch' },
  build: buildSslPolicy,
};

export const regionSslPolicySpec: KindSpec = {
  ...sslPolicySpec,
  scope: 'regional',
  opTypes: { patch: 'compute.regionSslPolicies.patch' },
};
