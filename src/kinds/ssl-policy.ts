/**
 * `sslPolicy`: the TLS versions and cipher suites the HTTPS proxy accepts (`frontend.tls.policy`):
 * one serverless-lb creates (global for the global types, regional for the regional ones), or an
 * existing one the user named. Profile, minimum version and custom features change in place
 * (patch with the fingerprint); Google fills `enabledFeatures`, which is not compared.
 */
import { attr } from '../model/hcl.js';
import { str, strings } from '../model/body.js';
import { descriptionFlag, flag, gcloud, scopeFlag, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { common } from './terraform-words.js';

/** `TLS_1_2` -> `1.2` (gcloud's spelling). */
const gcloudTlsVersion = (v: string): string => v.replace(/^TLS_/, '').replace('_', '.');

export const sslPolicy = {
  kind: 'sslPolicy',
  words: 'SSL policy',
  scopes: { global: true, regional: true },

  build(g) {
    const policy = g.spec.frontend.tls?.policy;
    if (!policy || !g.listeners.some((l) => l.protocol === 'HTTPS')) return;
    if (policy.existing !== undefined) {
      g.shared.sslPolicy = g.add('sslPolicy', g.coreScope, policy.existing, { name: policy.existing }, [], 'existing SSL policy of the HTTPS proxy', { managed: false });
      return;
    }
    const name = g.names.sslPolicy();
    const body: Record<string, unknown> = { name, profile: policy.profile ?? 'COMPATIBLE', minTlsVersion: policy.minTlsVersion ?? 'TLS_1_0' };
    if (policy.customFeatures) body.customFeatures = [...policy.customFeatures].sort();
    g.shared.sslPolicy = g.add('sslPolicy', g.coreScope, name, body, [], 'SSL policy: the TLS versions and cipher suites the HTTPS proxy accepts');
  },

  compute: {
    collection: 'sslPolicies',
    clients: { global: 'SslPoliciesClient', regional: 'RegionSslPoliciesClient' },
    fingerprinted: true,
    async update(u) {
      const current = await u.fresh();
      const patch: Record<string, unknown> = { fingerprint: current.fingerprint };
      for (const f of u.fields) patch[f] = u.body[f] ?? null;
      // customFeatures go away with a CUSTOM profile: only a JSON null clears them.
      if (u.removes) return u.patchAsJson(patch);
      return u.mutate('patch', { ...u.params, sslPolicy: u.resource.name, sslPolicyResource: patch, requestId: u.rid('patch') });
    },
  },
  compare: {
    immutable: () => new Set(),
    implicit: { customFeatures: [] },
    rotatable: false,
  },
  ownership: { labels: false, description: true },
  existingKey: 'frontend.tls.policy.existing',

  gcloud(s, r) {
    const b = r.body;
    const flags: Word[] = [];
    const profile = str(b, 'profile');
    if (profile) flags.push(flag('profile', profile));
    const min = str(b, 'minTlsVersion');
    if (min) flags.push(flag('min-tls-version', gcloudTlsVersion(min)));
    const custom = strings(b, 'customFeatures');
    if (custom.length > 0) flags.push(flag('custom-features', custom.join(',')));
    flags.push(scopeFlag(r), ...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'ssl-policies', 'create', r.name), flags });
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_ssl_policy' : 'google_compute_region_ssl_policy'),
    dataSource: (global) => (global ? 'google_compute_ssl_policy' : undefined),
    convert(t, r) {
      const b = r.body;
      const custom = strings(b, 'customFeatures');
      return [...common(t, r), ...attr('profile', str(b, 'profile')), ...attr('min_tls_version', str(b, 'minTlsVersion')), ...(custom.length > 0 ? attr('custom_features', custom) : [])];
    },
  },
  quotaMetrics: (r) => (r.scope === 'global' ? ['SSL_POLICIES'] : []),
} satisfies ResourceKindModule;
