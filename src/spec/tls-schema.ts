/**
 * The TLS settings of the HTTPS listener (`frontend.tls`): the SSL policy (TLS versions and cipher
 * suites the proxy accepts), HTTP/3 (QUIC) and TLS early data. The kinds that carry them:
 * src/kinds/ssl-policy.ts and the HTTPS proxy. check-tls.ts holds Google's rules per type.
 *
 * Pure: no I/O.
 */
import * as z from 'zod/mini';

export const TLS_PROFILES = ['COMPATIBLE', 'MODERN', 'RESTRICTED', 'FIPS_202205', 'CUSTOM'] as const;
export const TLS_VERSIONS = ['TLS_1_0', 'TLS_1_1', 'TLS_1_2'] as const;
export const EARLY_DATA_MODES = ['DISABLED', 'STRICT', 'PERMISSIVE', 'UNRESTRICTED'] as const;
export const MTLS_MODES = ['REJECT_INVALID', 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT'] as const;

const policyName = z.string().check(z.regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a resource name' }));

export const tlsSchema = z.strictObject({
  /** An SSL policy serverless-lb creates, or an existing one by name. */
  policy: z.optional(
    z.strictObject({
      profile: z.optional(z.enum(TLS_PROFILES)),
      minTlsVersion: z.optional(z.enum(TLS_VERSIONS)),
      /** Cipher suites of a CUSTOM profile (Google's names, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ...). */
      customFeatures: z.optional(z.array(z.string().check(z.regex(/^TLS_[A-Z0-9_]+$/, { message: 'must be a cipher suite name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }))).check(z.minLength(1))),
      /** Attach this existing SSL policy (never created or deleted by serverless-lb). */
      existing: z.optional(z.string().check(z.regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be an SSL policy name' }))),
    }),
  ),
  /** HTTP/3 (QUIC): true ENABLE, false DISABLE; absent: Google decides (NONE). Global external types. */
  http3: z.optional(z.boolean()),
  /** TLS 1.3 early data (0-RTT) on the global external type. */
  earlyData: z.optional(z.enum(EARLY_DATA_MODES)),
  /**
   * Mutual TLS: clients present a certificate the trust anchors (and intermediates) issued. A
   * Certificate Manager trust config and a Network Security server TLS policy are made from it, or
   * an existing server TLS policy is attached.
   */
  mtls: z.optional(
    z.strictObject({
      /** REJECT_INVALID: no valid client certificate, no connection; ALLOW_...: the request goes on, with the headers saying what was presented. */
      mode: z._default(z.enum(MTLS_MODES), 'REJECT_INVALID'),
      /** PEM files of the CA certificates that issue client certificates (paths relative to the config). */
      trustAnchors: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(100))),
      /** PEM files of intermediate CA certificates. */
      intermediates: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(100))),
      /** Attach this existing server TLS policy instead (never created or deleted by serverless-lb). */
      existingServerTlsPolicy: z.optional(policyName),
    }),
  ),
});
export type TlsSpec = z.infer<typeof tlsSchema>;

/** Whether the config asks for an SSL policy that serverless-lb creates. */
export function createsSslPolicy(tls: TlsSpec | undefined): boolean {
  const p = tls?.policy;
  return p !== undefined && p.existing === undefined;
}
