/**
 * `backendService`: one per backend, holding that backend's NEGs, with CDN, IAP (the OAuth client
 * secret a SecretRef), Cloud Armor, logging and outlier detection as the config asks. Security
 * policies are output-only in insert and patch: they are attached with setSecurityPolicy. Only the
 * load-balancing scheme cannot change in place.
 */
import { backendFeatures } from '../spec/derive.js';
import { LB_TYPE_INFO, type Spec } from '../spec/schema.js';
import { attr } from '../model/hcl.js';
import type { BlockItem } from '../model/hcl.js';
import { isSecretRef, type SecretRef } from '../model/resource-model.js';
import { num, obj, objects, str } from '../model/body.js';
import { bare, descriptionFlag, flag, gcloud, raw, scopeFlag, shellQuote, yamlDocument, type Word } from '../model/gcloud-words.js';
import type { ComputeUpdate, ResourceKindModule } from './kind.js';
import { common, durationBlock, sub } from './terraform-words.js';
import { cdnBlock, cdnFlags, cdnPolicyOf, headerAttributes, headerFlags, headerLines } from './backend-extras.js';

const OUTLIER_NUMBERS = [
  ['consecutiveErrors', 'consecutive_errors'],
  ['consecutiveGatewayFailure', 'consecutive_gateway_failure'],
  ['enforcingConsecutiveErrors', 'enforcing_consecutive_errors'],
  ['enforcingConsecutiveGatewayFailure', 'enforcing_consecutive_gateway_failure'],
  ['maxEjectionPercent', 'max_ejection_percent'],
  ['enforcingSuccessRate', 'enforcing_success_rate'],
  ['successRateMinimumHosts', 'success_rate_minimum_hosts'],
  ['successRateRequestVolume', 'success_rate_request_volume'],
  ['successRateStdevFactor', 'success_rate_stdev_factor'],
] as const;

/** The backend service fields of a classic load balancer's migration stage (none without a migration). */
function migrationFields(spec: Spec): Record<string, unknown> {
  const percent = spec.migration?.trafficPercent;
  if (spec.type !== 'classic' || percent === undefined) return {};
  if (percent === 0) return { externalManagedMigrationState: 'PREPARE' };
  if (percent === 100) return { externalManagedMigrationState: 'TEST_ALL_TRAFFIC' };
  return { externalManagedMigrationState: 'TEST_BY_PERCENTAGE', externalManagedMigrationTestingPercentage: percent };
}

/** Google's migration states, in the order they must be passed through (and back in reverse). */
const MIGRATION_ORDER = [undefined, 'PREPARE', 'TEST_BY_PERCENTAGE', 'TEST_ALL_TRAFFIC'] as const;

/**
 * Google moves a backend service's migration state one stage at a time (PREPARE first, PREPARE
 * last on the way back): the stages between the current state and the wanted one are set first.
 */
async function stepThroughMigration(u: ComputeUpdate): Promise<void> {
  if (!u.fields.has('externalManagedMigrationState')) return;
  const current = await u.fresh();
  if (current.loadBalancingScheme !== 'EXTERNAL' || u.body.loadBalancingScheme !== 'EXTERNAL') return;
  const from = MIGRATION_ORDER.indexOf(current.externalManagedMigrationState as never);
  const to = MIGRATION_ORDER.indexOf(u.body.externalManagedMigrationState as never);
  const between = from < to ? MIGRATION_ORDER.slice(from + 1, to).filter((s) => s !== 'TEST_BY_PERCENTAGE') : MIGRATION_ORDER.slice(to + 1, from).reverse().filter((s) => s === 'PREPARE');
  let fingerprint = current.fingerprint;
  for (const state of between) {
    // The percentage belongs to TEST_BY_PERCENTAGE only: it is cleared (a null the SDK would drop).
    await u.patchAsJson({ externalManagedMigrationState: state, externalManagedMigrationTestingPercentage: null, fingerprint });
    fingerprint = (await u.fresh()).fingerprint;
  }
}

export const backendService = {
  kind: 'backendService',
  words: 'backend service',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec, shared } = g;
    const cdnCapable = spec.type === 'global-external' || spec.type === 'classic';
    const outlierCapable = spec.type === 'global-external' || spec.type === 'cross-region-internal';
    for (const backend of spec.backends) {
      const features = backendFeatures(spec, backend);
      const negs = shared.negs.get(backend.name) ?? [];
      const name = g.names.backendService(backend.name);
      const body: Record<string, unknown> = {
        name,
        loadBalancingScheme: LB_TYPE_INFO[spec.type].scheme,
        protocol: 'HTTP',
        backends: negs.map((neg) => ({ group: g.path(neg) })),
      };
      const deps = negs.map((neg) => neg.id);
      Object.assign(body, migrationFields(spec));
      if (cdnCapable) {
        body.enableCDN = features.cdn && !features.iap;
        if (features.cdn && !features.iap) {
          body.cdnPolicy = cdnPolicyOf(spec);
        }
      }
      // Custom headers: on the classic load balancer's backend services (the Envoy-based types
      // carry them in the URL map).
      if (spec.type === 'classic') {
        const request = headerLines(spec.options.headers?.request);
        const response = headerLines(spec.options.headers?.response);
        if (request) body.customRequestHeaders = request;
        if (response) body.customResponseHeaders = response;
      }
      if (features.iap) {
        const iapSpec = spec.options.iap;
        const iap: Record<string, unknown> = { enabled: true };
        if (iapSpec.oauth2ClientId !== undefined) iap.oauth2ClientId = iapSpec.oauth2ClientId;
        if (iapSpec.oauth2ClientSecretFile !== undefined || iapSpec.oauth2ClientSecretEnv !== undefined) {
          const source: SecretRef['$secret'] = { what: 'IAP OAuth client secret' };
          if (iapSpec.oauth2ClientSecretFile !== undefined) source.file = iapSpec.oauth2ClientSecretFile;
          if (iapSpec.oauth2ClientSecretEnv !== undefined) source.env = iapSpec.oauth2ClientSecretEnv;
          iap.oauth2ClientSecret = { $secret: source } satisfies SecretRef;
        }
        body.iap = iap;
      }
      if (features.cloudArmor && shared.securityPolicy) {
        body.securityPolicy = g.path(shared.securityPolicy);
        deps.push(shared.securityPolicy.id);
      }
      const logging = spec.options.logging;
      body.logConfig = logging.enabled ? { enable: true, sampleRate: logging.sampleRate } : { enable: false };
      const od = spec.options.outlierDetection;
      if (od && outlierCapable && !features.iap) {
        const outlier: Record<string, unknown> = {};
        if (od.consecutiveErrors !== undefined) outlier.consecutiveErrors = od.consecutiveErrors;
        if (od.consecutiveGatewayFailure !== undefined) outlier.consecutiveGatewayFailure = od.consecutiveGatewayFailure;
        if (od.intervalSec !== undefined) outlier.interval = { seconds: od.intervalSec };
        if (od.baseEjectionTimeSec !== undefined) outlier.baseEjectionTime = { seconds: od.baseEjectionTimeSec };
        if (od.maxEjectionPercent !== undefined) outlier.maxEjectionPercent = od.maxEjectionPercent;
        if (od.enforcingConsecutiveErrors !== undefined) outlier.enforcingConsecutiveErrors = od.enforcingConsecutiveErrors;
        if (od.enforcingConsecutiveGatewayFailure !== undefined) outlier.enforcingConsecutiveGatewayFailure = od.enforcingConsecutiveGatewayFailure;
        body.outlierDetection = outlier;
      }
      shared.backendServices.set(backend.name, g.add('backendService', g.coreScope, name, body, deps, `backend service for backend ${backend.name}`));
    }
  },

  compute: {
    collection: 'backendServices',
    clients: { global: 'BackendServicesClient', regional: 'RegionBackendServicesClient' },
    fingerprinted: true,
    // A backend service's security policies are output-only in insert: attached after it.
    insertBody: ({ securityPolicy: _s, edgeSecurityPolicy: _e, ...rest }) => ({ body: rest }),
    async afterInsert(u) {
      if (typeof u.body.securityPolicy === 'string') await u.setBackendPolicy('setSecurityPolicy', u.body.securityPolicy);
      if (typeof u.body.edgeSecurityPolicy === 'string') await u.setBackendPolicy('setEdgeSecurityPolicy', u.body.edgeSecurityPolicy);
    },
    async update(u) {
      await stepThroughMigration(u);
      if (u.take('securityPolicy')) await u.setBackendPolicy('setSecurityPolicy', (u.body.securityPolicy as string | undefined) ?? null);
      if (u.take('edgeSecurityPolicy')) await u.setBackendPolicy('setEdgeSecurityPolicy', (u.body.edgeSecurityPolicy as string | undefined) ?? null);
      if (u.fields.size === 0) return;
      const { securityPolicy: _s, edgeSecurityPolicy: _e, ...rest } = u.body;
      const current = await u.fresh();
      // patch leaves fields it is not sent; a removed field needs the full update (PUT).
      const method = u.removes ? 'update' : 'patch';
      // securityPolicy is output-only here (set above with setSecurityPolicy), so it is never sent.
      const sent = { ...rest, fingerprint: current.fingerprint };
      return u.mutate(method, { ...u.params, backendService: u.resource.name, backendServiceResource: sent, requestId: u.rid(method) });
    },
  },
  compare: {
    immutable: () => new Set(['loadBalancingScheme']),
    implicit: { iap: { enabled: false }, securityPolicy: undefined, outlierDetection: undefined, externalManagedMigrationState: undefined, externalManagedMigrationTestingPercentage: undefined },
    rotatable: true,
    // The migration's last step (and a rollback's first) changes the scheme in place.
    changesInPlace: (field, desired, observed) =>
      field === 'loadBalancingScheme' &&
      ((observed.loadBalancingScheme === 'EXTERNAL' && desired.loadBalancingScheme === 'EXTERNAL_MANAGED' && observed.externalManagedMigrationState === 'TEST_ALL_TRAFFIC') ||
        (observed.loadBalancingScheme === 'EXTERNAL_MANAGED' && desired.loadBalancingScheme === 'EXTERNAL' && desired.externalManagedMigrationState === 'TEST_ALL_TRAFFIC')),
    refuseChange(field, desired, observed) {
      if (field !== 'loadBalancingScheme' || observed.loadBalancingScheme !== 'EXTERNAL' || desired.loadBalancingScheme !== 'EXTERNAL_MANAGED') return undefined;
      return {
        message: `${String(desired.name)} is a classic (EXTERNAL) backend service: becoming global external is Google's staged migration, not a new backend service`,
        hint: 'keep type classic and set migration.trafficPercent (0, then a share such as 50, then 100; --migration-percent), apply each, then set type global-external with migration.trafficPercent 100 (docs/changing.md)',
      };
    },
  },
  // IAP on the backend service needs the Identity-Aware Proxy API besides Compute Engine.
  access: { apis: (step) => ['compute.googleapis.com', ...((step.resource?.body.iap as { enabled?: boolean } | undefined)?.enabled ? ['iap.googleapis.com'] : [])] },
  // Unmarked (made by hand, then imported): recognised by the URL map that routes to it.
  ownership: { labels: false, description: true, heldBy: ['urlMap'] },
  plan: {
    // Google's advice between two stages of the classic -> global external migration.
    byHand: (step) =>
      step.action === 'update' && step.changes.some((c) => c.field === 'externalManagedMigrationState' || c.field === 'loadBalancingScheme')
        ? `${step.name}: a migration stage; before the next one, Google advises waiting a few minutes for the configuration to propagate and watching the load balancer's error rates (serverless-lb verify checks it)`
        : undefined,
  },

  gcloud(s, r) {
    const b = r.body;
    const cdn = obj(b, 'cdnPolicy');
    const iap = obj(b, 'iap');
    const securityPolicy = str(b, 'securityPolicy');

    if (obj(b, 'outlierDetection')) {
      // gcloud has no flags for outlier detection; Google's guide imports the backend service as YAML.
      const document: Record<string, unknown> = { ...b, name: r.name };
      delete document.iap;
      delete document.securityPolicy;
      s.command(r.project, {
        head: gcloud('compute', 'backend-services', 'import', r.name),
        flags: [scopeFlag(r), bare('quiet')],
        stdin: yamlDocument(document, r.id),
      });
    } else {
      const flags: Word[] = [scopeFlag(r)];
      const scheme = str(b, 'loadBalancingScheme');
      if (scheme) flags.push(flag('load-balancing-scheme', scheme));
      const protocol = str(b, 'protocol');
      if (protocol) flags.push(flag('protocol', protocol));
      const portName = str(b, 'portName');
      if (portName) flags.push(flag('port-name', portName));
      const log = obj(b, 'logConfig');
      if (log?.enable === true) {
        flags.push(bare('enable-logging'));
        const rate = num(log, 'sampleRate');
        if (rate !== undefined) flags.push(flag('logging-sample-rate', rate));
      }
      flags.push(...headerFlags(b), ...descriptionFlag(b));
      s.command(r.project, { head: gcloud('compute', 'backend-services', 'create', r.name), flags });

      for (const backend of objects(b, 'backends')) {
        const group = str(backend, 'group');
        if (!group) continue;
        const ref = s.resolve(group);
        const negFlags: Word[] = [flag('network-endpoint-group', ref?.name ?? group)];
        if (ref?.region) negFlags.push(flag('network-endpoint-group-region', ref.region));
        else negFlags.push(bare('global-network-endpoint-group'));
        s.command(r.project, { head: gcloud('compute', 'backend-services', 'add-backend', r.name), flags: [scopeFlag(r), ...negFlags] });
      }

      if (b.enableCDN === true) {
        s.command(r.project, { head: gcloud('compute', 'backend-services', 'update', r.name), flags: [scopeFlag(r), bare('enable-cdn'), ...cdnFlags(cdn)] });
      }
    }

    if (iap?.enabled === true) {
      const clientId = str(iap, 'oauth2ClientId');
      const secret = iap.oauth2ClientSecret;
      let value: string;
      if (clientId && isSecretRef(secret)) {
        const expression = s.secret(secret, 'iap_client_secret');
        value = `--iap=${shellQuote(`enabled,oauth2-client-id=${clientId},oauth2-client-secret=`)}${expression}`;
      } else if (secret !== undefined && !isSecretRef(secret)) {
        throw new Error(`${r.id}: the IAP OAuth client secret must be a secret reference, never a value`);
      } else {
        value = '--iap=enabled';
      }
      s.command(r.project, { head: gcloud('compute', 'backend-services', 'update', r.name), flags: [scopeFlag(r), raw(value)] });
    }

    if (securityPolicy) {
      s.command(r.project, {
        head: gcloud('compute', 'backend-services', 'update', r.name),
        flags: [scopeFlag(r), flag('security-policy', s.refName(securityPolicy))],
      });
    }
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_backend_service' : 'google_compute_region_backend_service'),
    dataSource: (global) => (global ? 'google_compute_backend_service' : 'google_compute_region_backend_service'),
    convert(t, r) {
      const b = r.body;
      const items: BlockItem[] = [
        ...common(t, r),
        ...attr('load_balancing_scheme', str(b, 'loadBalancingScheme')),
        ...attr('protocol', str(b, 'protocol')),
        ...attr('port_name', str(b, 'portName')),
      ];
      if (typeof b.enableCDN === 'boolean') items.push(...attr('enable_cdn', b.enableCDN));
      const policy = str(b, 'securityPolicy');
      if (policy) items.push(...attr('security_policy', t.ref(policy)));
      for (const backend of objects(b, 'backends')) {
        const group = str(backend, 'group');
        if (group) items.push(sub('backend', attr('group', t.ref(group))));
      }
      const cdn = obj(b, 'cdnPolicy');
      if (cdn && b.enableCDN === true) items.push(cdnBlock(cdn));
      items.push(...headerAttributes(b));
      const iap = obj(b, 'iap');
      if (iap) {
        const secret = iap.oauth2ClientSecret;
        if (secret !== undefined && !isSecretRef(secret)) {
          throw new Error(`${r.id}: the IAP OAuth client secret must be a secret reference, never a value`);
        }
        items.push(
          sub('iap', [
            ...attr('enabled', iap.enabled === true),
            ...attr('oauth2_client_id', str(iap, 'oauth2ClientId')),
            ...(isSecretRef(secret) ? attr('oauth2_client_secret', t.secretVariable(secret, 'iap_client_secret')) : []),
          ]),
        );
      }
      const log = obj(b, 'logConfig');
      if (log) {
        items.push(sub('log_config', [...(typeof log.enable === 'boolean' ? attr('enable', log.enable) : []), ...attr('sample_rate', num(log, 'sampleRate'))]));
      }
      const outlier = obj(b, 'outlierDetection');
      if (outlier) {
        items.push(
          sub('outlier_detection', [
            ...OUTLIER_NUMBERS.flatMap(([from, to]) => attr(to, num(outlier, from))),
            ...durationBlock('base_ejection_time', obj(outlier, 'baseEjectionTime')),
            ...durationBlock('interval', obj(outlier, 'interval')),
          ]),
        );
      }
      return items;
    },
  },
  quotaMetrics(r) {
    const scheme = String(r.body.loadBalancingScheme ?? '');
    if (r.scope === 'global') {
      return [
        'BACKEND_SERVICES',
        ...(scheme === 'EXTERNAL_MANAGED' ? ['GLOBAL_EXTERNAL_MANAGED_BACKEND_SERVICES'] : []),
        ...(scheme === 'INTERNAL_MANAGED' ? ['GLOBAL_INTERNAL_MANAGED_BACKEND_SERVICES'] : []),
      ];
    }
    return scheme === 'INTERNAL_MANAGED' ? ['REGIONAL_INTERNAL_MANAGED_BACKEND_SERVICES', 'BACKEND_SERVICES'] : ['REGIONAL_EXTERNAL_MANAGED_BACKEND_SERVICES', 'BACKEND_SERVICES'];
  },
} satisfies ResourceKindModule;
