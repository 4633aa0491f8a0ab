/**
 * The regions the emulator knows (regions.list / regions.get), with their zones and the
 * auto-mode subnet range Google gives each. A regional URL naming another region is a 404.
 */
import type { EmulatorContext } from '../core/context.js';
import type { RouteHandler } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { notFound } from './errors.js';
import { applyFilter, paginate } from './list.js';
import { selfLinkOf } from './urls.js';

/** region -> [zone suffixes, auto-mode subnet range]. */
export const REGIONS: Record<string, [string[], string]> = {
  'asia-east1': [['a', 'b', 'c'], '10.140.0.0/20'],
  'asia-northeast1': [['a', 'b', 'c'], '10.146.0.0/20'],
  'asia-northeast2': [['a', 'b', 'c'], '10.174.0.0/20'],
  'asia-southeast1': [['a', 'b', 'c'], '10.148.0.0/20'],
  'australia-southeast1': [['a', 'b', 'c'], '10.152.0.0/20'],
  'europe-north1': [['a', 'b', 'c'], '10.166.0.0/20'],
  'europe-north2': [['a', 'b', 'c'], '10.226.0.0/20'],
  'europe-west1': [['b', 'c', 'd'], '10.132.0.0/20'],
  'europe-west2': [['a', 'b', 'c'], '10.154.0.0/20'],
  'europe-west3': [['a', 'b', 'c'], '10.156.0.0/20'],
  'europe-west4': [['a', 'b', 'c'], '10.164.0.0/20'],
  'southamerica-west1': [['a', 'b', 'c'], '10.194.0.0/20'],
  'us-central1': [['a', 'b', 'c', 'f'], '10.128.0.0/20'],
  'us-central2': [['b'], '10.224.0.0/20'],
  'us-east1': [['b', 'c', 'd'], '10.142.0.0/20'],
  'us-east4': [['a', 'b', 'c'], '10.150.0.0/20'],
  'us-east5': [['a', 'b', 'c'], '10.202.0.0/20'],
  'us-east7': [['a', 'b', 'c'], '10.196.0.0/20'],
  'us-south1': [['a', 'b', 'c'], '10.206.0.0/20'],
  'us-west1': [['a', 'b', 'c'], '10.138.0.0/20'],
  'us-west2': [['a', 'b', 'c'], '10.168.0.0/20'],
  'us-west3': [['a', 'b', 'c'], '10.180.0.0/20'],
  'us-west4': [['a', 'b', 'c'], '10.182.0.0/20'],
  'us-west8': [['a', 'b', 'c'], '10.198.0.0/20'],
};

export function knownRegion(region: string): boolean {
  return Object.hasOwn(REGIONS, region);
}

const REGION_CREATED = '1969-12-31T16:00:00.000-08:00';

export function regionResource(project: string, name: string, id: number): JsonObject {
  const [zones] = REGIONS[name]!;
  return {
    kind: 'compute#region',
    id: String(1000 + id),
    creationTimestamp: REGION_CREATED,
    name,
    description: name,
    status: 'UP',
    zones: zones.map((z) => selfLinkOf(`projects/${project}/zones/${name}-${z}`)),
    quotas: [
      { metric: 'FORWARDING_RULES', limit: 75, usage: 0 },
      { metric: 'BACKEND_SERVICES', limit: 75, usage: 0 },
      { metric: 'STATIC_ADDRESSES', limit: 8, usage: 0 },
      { metric: 'SSL_CERTIFICATES', limit: 30, usage: 0 },
      { metric: 'TARGET_HTTPS_PROXIES', limit: 30, usage: 0 },
      { metric: 'URL_MAPS', limit: 30, usage: 0 },
    ],
    selfLink: selfLinkOf(`projects/${project}/regions/${name}`),
    supportsPzs: false,
  };
}

export function regionHandlers(_ctx: EmulatorContext): { get: RouteHandler; list: RouteHandler } {
  const names = Object.keys(REGIONS);
  return {
    get: (_req, params) => {
      const name = params['region']!;
      const idx = names.indexOf(name);
      if (idx < 0) throw notFound(`projects/${params['project']}/regions/${name}`);
      return { status: 200, body: regionResource(params['project']!, name, idx) };
    },
    list: (req, params) => {
      const project = params['project']!;
      const items = applyFilter(names.map((n, i) => regionResource(project, n, i)), req.query.get('filter'));
      const page = paginate(items, req.query.get('maxResults'), req.query.get('pageToken'));
      return {
        status: 200,
        body: {
          kind: 'compute#regionList',
          id: `projects/${project}/regions`,
          items: page.items,
          ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
          selfLink: selfLinkOf(`projects/${project}/regions`),
        },
      };
    },
  };
}
