/**
 * `targetHttpProxy`: the HTTP listener's proxy, pointing at the URL map, or (HTTPS with redirect)
 * at the map that redirects to HTTPS. Regional HTTP proxies change only their URL map in place.
 */
import { attr } from '../model/hcl.js';
import { num, str } from '../model/body.js';
import { descriptionFlag, flag, gcloud, scopeFlag, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { keepAliveOf, updateTargetProxy } from './target-proxy-shared.js';
import { common } from './terraform-words.js';

export const targetHttpProxy = {
  kind: 'targetHttpProxy',
  words: 'target HTTP proxy',
  scopes: { global: true, regional: true },

  build(g) {
    const { shared } = g;
    const keepAlive = keepAliveOf(g.spec);
    for (const l of g.listeners) {
      if (l.protocol === 'HTTPS') continue;
      const name = g.names.httpProxy();
      const map = l.redirectToHttps && shared.redirectUrlMap ? shared.redirectUrlMap : shared.urlMap!;
      const body: Record<string, unknown> = { name, urlMap: g.path(map) };
      if (keepAlive !== undefined) body.httpKeepAliveTimeoutSec = keepAlive;
      shared.proxies.set(l, g.add('targetHttpProxy', g.coreScope, name, body, [map.id], l.redirectToHttps ? 'HTTP proxy that redirects to HTTPS' : 'HTTP proxy'));
    }
  },

  compute: {
    collection: 'targetHttpProxies',
    clients: { global: 'TargetHttpProxiesClient', regional: 'RegionTargetHttpProxiesClient' },
    fingerprinted: true,
    update: (u) => updateTargetProxy(u, 'targetHttpProxy'),
  },
  // Regional target HTTP proxies have no patch method: only setUrlMap.
  compare: { immutable: (scope) => (scope === 'global' ? new Set() : new Set(['httpKeepAliveTimeoutSec'])), rotatable: true },
  // Unmarked (made by hand, then imported): recognised by the labelled forwarding rule that uses it.
  ownership: { labels: false, description: true, heldBy: ['forwardingRule'] },
  verify: { dataPath: true },

  gcloud(s, r) {
    const flags: Word[] = [];
    const urlMap = str(r.body, 'urlMap');
    if (urlMap) flags.push(flag('url-map', s.refName(urlMap)));
    const keepAlive = num(r.body, 'httpKeepAliveTimeoutSec');
    if (keepAlive !== undefined) flags.push(flag('http-keep-alive-timeout-sec', keepAlive));
    flags.push(scopeFlag(r), ...descriptionFlag(r.body));
    s.command(r.project, { head: gcloud('compute', 'target-http-proxies', 'create', r.name), flags });
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_target_http_proxy' : 'google_compute_region_target_http_proxy'),
    convert(t, r) {
      const urlMap = str(r.body, 'urlMap');
      return [...common(t, r), ...attr('url_map', urlMap ? t.ref(urlMap) : undefined), ...attr('http_keep_alive_timeout_sec', num(r.body, 'httpKeepAliveTimeoutSec'))];
    },
  },
  quotaMetrics: () => ['TARGET_HTTP_PROXIES'],
} satisfies ResourceKindModule;
