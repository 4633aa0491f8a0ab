/**
 * The rules of `frontend.tls` (Google's SSL policy and target HTTPS proxy references): TLS settings
 * need an HTTPS listener; HTTP/3 (`quicOverride`) is for the global external types; TLS early data
 * for the global external type; a CUSTOM profile names its cipher suites and no other profile
 * does; FIPS_202205 takes TLS 1.2 only; an existing policy takes no settings of its own.
 */
import type { Collector, SpecIo } from './check-kit.js';
import { caFileProblem } from './certificate-files.js';
import type { Spec } from './schema.js';

/** Mutual TLS: trust anchors or an existing server TLS policy, one of the two; CA files that can be used. */
function checkMtls(spec: Spec, c: Collector, io: SpecIo): void {
  const mtls = spec.frontend.tls?.mtls;
  if (!mtls) return;
  const own = mtls.trustAnchors !== undefined || mtls.intermediates !== undefined;
  if (own === (mtls.existingServerTlsPolicy !== undefined)) {
    c.error('frontend.tls.mtls', own ? 'names trust anchors and an existing server TLS policy' : 'names neither trust anchors nor an existing server TLS policy', 'give trustAnchors (PEM files of the CAs that issue client certificates, --mtls-trust-anchor) or existingServerTlsPolicy', 'mtls');
  }
  if (mtls.intermediates && !mtls.trustAnchors) c.error('frontend.tls.mtls.intermediates', 'intermediates need trust anchors', 'add trustAnchors: the root CA certificates', 'mtls');
  if (!io.readFile) return;
  const files = [...(mtls.trustAnchors ?? []).map((f, i) => [`frontend.tls.mtls.trustAnchors.${i}`, f] as const), ...(mtls.intermediates ?? []).map((f, i) => [`frontend.tls.mtls.intermediates.${i}`, f] as const)];
  for (const [key, file] of files) {
    const problem = caFileProblem(file, { readFile: io.readFile });
    if (problem) c.error(key, problem.message, problem.hint, 'mtls');
  }
}

export function checkTls(spec: Spec, c: Collector, io: SpecIo = {}): void {
  const tls = spec.frontend.tls;
  if (!tls) return;
  checkMtls(spec, c, io);
  if (spec.frontend.protocol === 'http') c.error('frontend.tls', 'TLS settings need an HTTPS listener, and frontend.protocol is http', 'set frontend.protocol to https or https-redirect (--protocol), or remove frontend.tls', 'tls');
  if (tls.http3 !== undefined && spec.type !== 'global-external' && spec.type !== 'classic') {
    c.error('frontend.tls.http3', `HTTP/3 (QUIC) is for the global external load balancers, not ${spec.type}`, 'remove frontend.tls.http3 (--http3), or use type global-external', 'tls');
  }
  if (tls.earlyData !== undefined && tls.earlyData !== 'DISABLED' && spec.type !== 'global-external') {
    c.error('frontend.tls.earlyData', `TLS early data is for the global external Application Load Balancer, not ${spec.type}`, 'remove frontend.tls.earlyData (--tls-early-data)', 'tls');
  }
  const p = tls.policy;
  if (!p) return;
  if (p.existing !== undefined) {
    const own = (['profile', 'minTlsVersion', 'customFeatures'] as const).filter((k) => p[k] !== undefined);
    if (own.length > 0) c.error('frontend.tls.policy', `names an existing policy and sets ${own.join(', ')} too`, 'give existing (--ssl-policy) or the settings of a policy to create, not both', 'tls');
    return;
  }
  if (p.profile === 'CUSTOM' && !p.customFeatures) c.error('frontend.tls.policy.customFeatures', 'a CUSTOM profile needs its cipher suites', 'list them under customFeatures, or use COMPATIBLE, MODERN, RESTRICTED or FIPS_202205', 'tls');
  if (p.customFeatures && p.profile !== 'CUSTOM') c.error('frontend.tls.policy.customFeatures', `cipher suites are chosen by the ${p.profile ?? 'COMPATIBLE'} profile`, 'set profile: CUSTOM to choose them, or remove customFeatures', 'tls');
  if (p.profile === 'FIPS_202205' && p.minTlsVersion !== 'TLS_1_2') c.error('frontend.tls.policy.minTlsVersion', 'the FIPS_202205 profile takes TLS 1.2 and later only', 'set minTlsVersion: TLS_1_2 (--min-tls-version)', 'tls');
}
