/**
 * The advanced path's questions (`serverless-lb init --advanced`): the HTTPS listener's SSL policy
 * and HTTP/3, custom response headers, and the Cloud Run backends' run.app URL. The simple path
 * never asks them; a config or flags that set them are echoed either way. Route rules have too
 * many parts for a prompt: docs/traffic-management.md shows them in a config.
 */
import { TLS_PROFILES, TLS_VERSIONS } from '../../spec/tls-schema.js';
import { setIn } from '../patch.js';
import { parseCanaryFlag } from '../../spec/from-flags.js';
import { Question, WizardState, absolutePath, backendsOf, protocolOf, select, textInput, typeOf } from './kit.js';

const advanced = (s: WizardState) => s.hints.advanced === true;
const https = (s: WizardState) => protocolOf(s) !== 'http';

/** "Name: value; Name2: value2" -> {Name: value, Name2: value2}; undefined when an entry has no colon. */
export function parseHeaderList(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const entry of text.split(';').map((e) => e.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0) return undefined;
    out[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return out;
}

export const tlsProfile: Question<string> = {
  id: 'tlsProfile',
  label: 'SSL policy',
  keys: ['frontend.tls.policy.profile'],
  relevant: (s) => advanced(s) && https(s) && s.input.frontend?.tls?.policy?.existing === undefined,
  read: (p) => p.frontend?.tls?.policy?.profile,
  apply: (p, v) => {
    if (v !== 'none') setIn(p as Record<string, unknown>, 'frontend.tls.policy.profile', v);
  },
  show: (v) => (v === 'none' ? 'none (Google\'s default: COMPATIBLE from TLS 1.0)' : v),
  default: () => undefined,
  optional: true,
  ask: (kit) =>
    select(
      'tlsProfile',
      'Which TLS clients may connect (an SSL policy)?',
      [
        { value: 'none', name: 'Google\'s default (no policy: COMPATIBLE, TLS 1.0 and later)' },
        ...TLS_PROFILES.filter((p) => p !== 'CUSTOM').map((p) => ({ value: p, name: p, ...(p === 'MODERN' ? { description: 'widely compatible, no legacy RSA key exchange (recommended with TLS 1.2)' } : {}) })),
      ],
      kit,
    ),
};

export const minTlsVersion: Question<string> = {
  id: 'minTlsVersion',
  label: 'Minimum TLS version',
  keys: ['frontend.tls.policy.minTlsVersion'],
  relevant: (s) => advanced(s) && https(s) && s.input.frontend?.tls?.policy?.profile !== undefined,
  read: (p) => p.frontend?.tls?.policy?.minTlsVersion,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.tls.policy.minTlsVersion', v),
  show: (v) => v.replace(/^TLS_(\d)_(\d)$/, 'TLS $1.$2'),
  default: () => 'TLS_1_2',
  ask: (kit) => select('minTlsVersion', 'The oldest TLS version accepted?', TLS_VERSIONS.map((v) => ({ value: v, name: v.replace(/^TLS_(\d)_(\d)$/, 'TLS $1.$2') })), kit),
};

export const canary: Question<string> = {
  id: 'canary',
  label: 'Canary',
  keys: ['routing.canary'],
  relevant: (s) => advanced(s) && backendsOf(s).length > 1 && typeOf(s) !== 'classic' && s.input.routing?.routes === undefined,
  read: (p) => (p.routing?.canary ? `${p.routing.canary.backend}=${p.routing.canary.percent}` : undefined),
  apply: (p, v) => {
    const parsed = parseCanaryFlag(v);
    if (parsed) setIn(p as Record<string, unknown>, 'routing.canary', parsed);
  },
  show: (v) => `${v.replace('=', ' gets ')} % of the requests`,
  default: () => undefined,
  optional: true,
  check: (v) => (parseCanaryFlag(v) ? undefined : `"${v}" is not BACKEND=PERCENT (1-99)`),
  ask: (kit) => textInput('canary', 'Send a share of the requests to a canary backend? BACKEND=PERCENT (e.g. web-v2=10); empty for none', kit, true),
};

export const ipVersion: Question<string> = {
  id: 'ipVersion',
  label: 'IP version',
  keys: ['frontend.address.ipVersion'],
  relevant: (s) => advanced(s) && (typeOf(s) === 'global-external' || typeOf(s) === 'classic') && s.input.frontend?.address?.mode !== 'existing',
  read: (p) => p.frontend?.address?.ipVersion,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'frontend.address.ipVersion', v),
  show: (v) => (v === 'IPV4_IPV6' ? 'IPv4 and IPv6 (dual stack)' : v),
  default: () => 'IPV4',
  ask: (kit) =>
    select(
      'ipVersion',
      'Which clients does the load balancer take?',
      [
        { value: 'IPV4', name: 'IPv4' },
        { value: 'IPV4_IPV6', name: 'IPv4 and IPv6 (dual stack: two addresses, A and AAAA records)' },
        { value: 'IPV6', name: 'IPv6 only' },
      ],
      kit,
    ),
};

export const mtlsTrustAnchors: Question<string> = {
  id: 'mtlsTrustAnchors',
  label: 'Mutual TLS trust anchors',
  keys: ['frontend.tls.mtls.trustAnchors'],
  relevant: (s) => advanced(s) && https(s) && s.input.frontend?.tls?.mtls?.existingServerTlsPolicy === undefined,
  read: (p) => p.frontend?.tls?.mtls?.trustAnchors?.join(', '),
  apply: (p, v) => {
    const files = v.split(',').map((f) => f.trim()).filter(Boolean);
    if (files.length > 0) setIn(p as Record<string, unknown>, 'frontend.tls.mtls.trustAnchors', files.map((f) => absolutePath(f)));
  },
  show: (v) => v,
  default: () => undefined,
  optional: true,
  ask: (kit) => textInput('mtlsTrustAnchors', 'Require client certificates (mutual TLS)? PEM files of the CAs that issue them, comma-separated; empty for none', kit, true),
};

export const http3: Question<string> = {
  id: 'http3',
  label: 'HTTP/3 (QUIC)',
  keys: ['frontend.tls.http3'],
  relevant: (s) => advanced(s) && https(s) && (typeOf(s) === 'global-external' || typeOf(s) === 'classic'),
  read: (p) => (p.frontend?.tls?.http3 === undefined ? undefined : p.frontend.tls.http3 ? 'on' : 'off'),
  apply: (p, v) => {
    if (v !== 'automatic') setIn(p as Record<string, unknown>, 'frontend.tls.http3', v === 'on');
  },
  show: (v) => v,
  default: () => 'automatic',
  ask: (kit) =>
    select(
      'http3',
      'HTTP/3 (QUIC) for clients that support it?',
      [
        { value: 'automatic', name: 'Google decides (automatic)' },
        { value: 'on', name: 'On' },
        { value: 'off', name: 'Off' },
      ],
      kit,
    ),
};

export const responseHeaders: Question<string> = {
  id: 'responseHeaders',
  label: 'Response headers',
  keys: ['options.headers.response'],
  relevant: (s) => advanced(s),
  read: (p) => {
    const h = p.options?.headers?.response;
    return h ? Object.entries(h).map(([n, v]) => `${n}: ${v}`).join('; ') : undefined;
  },
  apply: (p, v) => {
    const parsed = parseHeaderList(v);
    if (parsed && Object.keys(parsed).length > 0) setIn(p as Record<string, unknown>, 'options.headers.response', parsed);
  },
  show: (v) => v,
  default: () => undefined,
  optional: true,
  check: (v) => (parseHeaderList(v) ? undefined : `"${v}" is not a list of NAME: VALUE separated by ;`),
  ask: (kit) => textInput('responseHeaders', 'Headers to add to every answer, NAME: VALUE separated by ; (e.g. Strict-Transport-Security: max-age=31536000); empty for none', kit, true),
};

export const defaultUrl: Question<string> = {
  id: 'defaultUrl',
  label: 'Cloud Run run.app URL',
  keys: ['options.defaultUrl'],
  relevant: (s) => advanced(s) && backendsOf(s).some((b) => b.cloudRun?.service !== undefined),
  read: (p) => p.options?.defaultUrl,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.defaultUrl', v),
  show: (v) => v,
  default: () => 'unchanged',
  ask: (kit) =>
    select(
      'defaultUrl',
      'The Cloud Run services\' run.app URL?',
      [
        { value: 'unchanged', name: 'Leave it (ingress already refuses direct requests)' },
        { value: 'disabled', name: 'Turn it off (nothing answers there; turned back on by teardown)' },
      ],
      kit,
    ),
};
