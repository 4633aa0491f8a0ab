/**
 * What the two target proxy kinds share: the keep-alive setting the config gives them, and how a
 * change is made in place (setUrlMap, setSslCertificates, setCertificateMap and setSslPolicy first,
 * then a patch for the rest; regional HTTP proxies have no patch).
 */
import type { Spec } from '../spec/schema.js';
import type { ComputeUpdate } from './kind.js';

/** The HTTP keep-alive timeout of the proxies, or undefined (classic takes none). */
export function keepAliveOf(spec: Spec): number | undefined {
  return spec.type === 'classic' ? undefined : spec.options.httpKeepAliveTimeoutSec;
}

/** What a proxy's optional settings are when nothing sets them (Google's defaults). */
const PROXY_DEFAULTS: Record<string, unknown> = { quicOverride: 'NONE', tlsEarlyData: 'DISABLED' };

export async function updateTargetProxy(u: ComputeUpdate, kind: 'targetHttpProxy' | 'targetHttpsProxy'): Promise<void> {
  const { resource, body } = u;
  const global = resource.scope === 'global';
  if (u.take('urlMap')) {
    await u.mutate('setUrlMap', { ...u.params, [kind]: resource.name, urlMapReferenceResource: { urlMap: body.urlMap }, requestId: u.rid('setUrlMap') });
  }
  if (kind === 'targetHttpsProxy') {
    // The proxy serves at every step: a map is set before the certificates it replaces are
    // cleared, certificates are set before the map they replace is cleared. Google refuses
    // setSslCertificates with an empty list; clearing goes through a PATCH that carries the empty
    // list (or the null map) as JSON.
    const certificates = (body.sslCertificates as string[] | undefined) ?? [];
    const map = typeof body.certificateMap === 'string' && body.certificateMap !== '' ? body.certificateMap : undefined;
    const mapChanged = global && u.take('certificateMap');
    const certificatesChanged = u.take('sslCertificates');
    if (mapChanged && map) {
      await u.mutate('setCertificateMap', { ...u.params, targetHttpsProxy: resource.name, targetHttpsProxiesSetCertificateMapRequestResource: { certificateMap: map }, requestId: u.rid('setCertificateMap') });
    }
    if (certificatesChanged && certificates.length > 0) {
      const key = global ? 'targetHttpsProxiesSetSslCertificatesRequestResource' : 'regionTargetHttpsProxiesSetSslCertificatesRequestResource';
      await u.mutate('setSslCertificates', { ...u.params, targetHttpsProxy: resource.name, [key]: { sslCertificates: certificates }, requestId: u.rid('setSslCertificates') });
    }
    const clear: Record<string, unknown> = {};
    if (certificatesChanged && certificates.length === 0) clear.sslCertificates = [];
    if (mapChanged && !map) clear.certificateMap = null;
    // An SSL policy is attached or detached with setSslPolicy on global proxies, by a PATCH (a JSON
    // null detaches) on regional ones.
    // Mutual TLS goes with a patch; taking it off needs the JSON null the SDK would drop.
    if (u.fields.has('serverTlsPolicy') && typeof body.serverTlsPolicy !== 'string') {
      u.take('serverTlsPolicy');
      clear.serverTlsPolicy = null;
    }
    if (u.take('sslPolicy')) {
      const policy = typeof body.sslPolicy === 'string' ? body.sslPolicy : undefined;
      if (global) await u.mutate('setSslPolicy', { ...u.params, targetHttpsProxy: resource.name, sslPolicyReferenceResource: policy ? { sslPolicy: policy } : {}, requestId: u.rid('setSslPolicy') });
      else clear.sslPolicy = policy ?? null;
    }
    if (Object.keys(clear).length > 0) await u.patchAsJson({ ...clear, fingerprint: (await u.fresh()).fingerprint });
  }
  u.fields.delete('description');
  if (u.fields.size === 0) return;
  if (kind === 'targetHttpProxy' && !global) throw u.notUpdatable(u.fields);
  const current = await u.fresh();
  const patch: Record<string, unknown> = { fingerprint: current.fingerprint };
  // A setting the config dropped goes back to Google's default (a null would be dropped by the SDK).
  for (const f of u.fields) patch[f] = body[f] ?? PROXY_DEFAULTS[f] ?? null;
  return u.mutate('patch', { ...u.params, [kind]: resource.name, [`${kind}Resource`]: patch, requestId: u.rid('patch') });
}
