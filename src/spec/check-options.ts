/**
 * Rules of validateSpec: Cloud Armor, outlier detection, keep-alive, the Cloud Run ingress and the DNS zone.
 */
import { LB_TYPE_INFO, type Spec, type LbType } from './schema.js';
import { backendFeatures, isInternalType, keepAliveRange } from './derive.js';
import { lowerIdReason, srcIpRangeReason } from './syntax.js';
import { Collector } from './check-kit.js';

const RATE_LIMIT_ACTIONS = ['throttle', 'rate_based_ban'];
const ARMOR_TYPES: readonly LbType[] = ['global-external', 'classic', 'regional-external', 'regional-internal'];

export function checkCloudArmor(spec: Spec, c: Collector): void {
  const armor = spec.options.cloudArmor;
  if (!armor) {
    spec.backends.forEach((backend, i) => {
      if (backend.cloudArmor) c.error(`backends.${i}.cloudArmor`, `backend "${backend.name}" asks for Cloud Armor but no policy is configured`, 'set options.cloudArmor (--security-policy NAME or --rate-limit COUNT/INTERVAL)', 'cloud-armor');
    });
    return;
  }
  if (!ARMOR_TYPES.includes(spec.type)) {
    c.error('options.cloudArmor', `Cloud Armor policies cannot be attached to the ${LB_TYPE_INFO[spec.type].title}`, 'remove options.cloudArmor, or use another LB type', 'cloud-armor');
  }
  if (armor.existingPolicy !== undefined && armor.rules !== undefined) {
    c.error('options.cloudArmor', 'sets both existingPolicy and rules', 'attach an existing policy (--security-policy) or create one from rules, not both', 'cloud-armor');
  }
  if (spec.backends.every((b) => !backendFeatures(spec, b).cloudArmor)) {
    c.warn('options.cloudArmor', 'every backend opts out of Cloud Armor', 'remove options.cloudArmor, or set cloudArmor on a backend', 'cloud-armor');
  }
  const priorities = new Map<number, number>();
  armor.rules?.forEach((rule, i) => {
    const at = `options.cloudArmor.rules.${i}`;
    const other = priorities.get(rule.priority);
    if (other !== undefined) c.error(`${at}.priority`, `priority ${rule.priority} is also used by rules.${other}`, 'give every rule its own priority', 'armor-priority-unique');
    else priorities.set(rule.priority, i);
    const rateLimited = RATE_LIMIT_ACTIONS.includes(rule.action);
    if (rateLimited && !rule.rateLimit) c.error(`${at}.rateLimit`, `action ${rule.action} needs rateLimit`, 'set rateLimit.count and rateLimit.intervalSec', 'armor-rate-limit');
    if (!rateLimited && rule.rateLimit) c.error(`${at}.rateLimit`, `action ${rule.action} takes no rateLimit`, 'remove rateLimit, or use action throttle or rate_based_ban', 'armor-rate-limit');
    if (rule.rateLimit?.banDurationSec !== undefined && rule.action !== 'rate_based_ban') {
      c.error(`${at}.rateLimit.banDurationSec`, `banDurationSec applies only to rate_based_ban, not ${rule.action}`, 'remove banDurationSec, or use action rate_based_ban', 'armor-ban-duration');
    }
    if (rule.rateLimit) {
      const needsName = rule.rateLimit.enforceOnKey === 'HTTP_HEADER' || rule.rateLimit.enforceOnKey === 'HTTP_COOKIE';
      if (needsName && !rule.rateLimit.enforceOnKeyName) c.error(`${at}.rateLimit.enforceOnKeyName`, `enforceOnKey ${rule.rateLimit.enforceOnKey} needs the header or cookie name`, 'set rateLimit.enforceOnKeyName', 'armor-enforce-key');
      if (!needsName && rule.rateLimit.enforceOnKeyName) c.error(`${at}.rateLimit.enforceOnKeyName`, `is used only with HTTP_HEADER and HTTP_COOKIE, not ${rule.rateLimit.enforceOnKey}`, 'remove enforceOnKeyName', 'armor-enforce-key');
    }
    const hasRanges = rule.srcIpRanges !== undefined;
    const hasExpr = rule.expression !== undefined;
    if (hasRanges === hasExpr) c.error(at, hasRanges ? 'sets both srcIpRanges and expression' : 'needs srcIpRanges or expression', 'match on source ranges (["*"] for every client) or on a CEL expression, one of the two', 'armor-match');
    rule.srcIpRanges?.forEach((range, j) => {
      const why = srcIpRangeReason(range);
      if (why) c.error(`${at}.srcIpRanges.${j}`, `"${range}" ${why}`, 'use CIDR ranges such as 203.0.113.0/24, or "*"', 'armor-match');
    });
  });
}

// --------------------------------------------------------------------------- outlier, keepalive

const OUTLIER_TYPES: readonly LbType[] = ['global-external', 'cross-region-internal'];
const SUCCESS_RATE_FIELDS = ['successRateMinimumHosts', 'successRateRequestVolume', 'successRateStdevFactor', 'enforcingSuccessRate'] as const;

export function checkOutlierDetection(spec: Spec, c: Collector): void {
  const outlier = spec.options.outlierDetection;
  if (!outlier) return;
  if (!OUTLIER_TYPES.includes(spec.type)) {
    c.error('options.outlierDetection', `outlier detection with serverless NEGs works only with the global external and cross-region internal types, not ${spec.type}`, 'remove options.outlierDetection', 'outlier-detection');
  }
  if (spec.backends.some((b) => backendFeatures(spec, b).iap)) {
    c.error('options.outlierDetection', 'outlier detection cannot be used with IAP', 'turn IAP off, or remove options.outlierDetection', 'outlier-detection');
  }
  for (const field of SUCCESS_RATE_FIELDS) {
    if (outlier[field] !== undefined) c.error(`options.outlierDetection.${field}`, 'success-rate outlier detection does not work with serverless NEGs', `remove ${field}`, 'outlier-detection');
  }
}

export function checkKeepAlive(spec: Spec, c: Collector): void {
  const value = spec.options.httpKeepAliveTimeoutSec;
  if (value === undefined) return;
  const range = keepAliveRange(spec.type);
  if (!range) {
    c.error('options.httpKeepAliveTimeoutSec', 'the classic load balancer has a fixed keepalive timeout', 'remove options.httpKeepAliveTimeoutSec', 'keepalive');
  } else if (value < range.min || value > range.max) {
    c.error('options.httpKeepAliveTimeoutSec', `must be ${range.min}-${range.max} seconds for ${spec.type}, not ${value}`, `use a value in range (default ${range.default})`, 'keepalive');
  }
}

// ------------------------------------------------------------------------------------ ingress, DNS

export function checkInvoker(spec: Spec, c: Collector): void {
  if (spec.options.invoker !== 'iap') return;
  const withoutIap = spec.backends.filter((b) => b.cloudRun?.service !== undefined && !backendFeatures(spec, b).iap);
  if (withoutIap.length > 0) {
    c.error(
      'options.invoker',
      `invoker "iap" lets only the IAP service agent invoke the Cloud Run services, but ${withoutIap.map((b) => b.name).join(', ')} ${withoutIap.length === 1 ? 'has' : 'have'} no IAP: every request to ${withoutIap.length === 1 ? 'it' : 'them'} would get 403`,
      'turn IAP on for those backends (options.iap.enabled, or ?iap=true on --backend), or use invoker auto',
      'invoker',
    );
  }
}

export function checkIngress(spec: Spec, c: Collector): void {
  const ingress = spec.options.ingress;
  const external = !isInternalType(spec.type);
  const namedCloudRun = spec.backends.some((b) => b.cloudRun?.service !== undefined);
  if (ingress === 'internal' && external) {
    c.error('options.ingress', 'Cloud Run ingress "internal" refuses traffic from external load balancers: the LB would answer 404 for every request', 'use auto or internal-and-cloud-load-balancing', 'ingress');
  }
  if (ingress === 'unchanged' && external && namedCloudRun) {
    c.warn('options.ingress', 'Cloud Run ingress stays as it is: if it allows all traffic, the run.app URL bypasses the load balancer, Cloud Armor and IAP', 'use auto to restrict ingress to the load balancer', 'ingress');
  }
  if (ingress !== 'unchanged') {
    spec.backends.forEach((backend, i) => {
      if (backend.cloudRun?.urlMask !== undefined) {
        c.warn(`backends.${i}.cloudRun.urlMask`, `the services behind URL mask "${backend.cloudRun.urlMask}" are not known in advance, so their ingress is not set`, 'set the ingress of each of those services yourself (gcloud run services update --ingress)', 'ingress');
      }
    });
  }
}

/** The migration applies to a classic load balancer, or finishes on the global external one at 100. */
export function checkMigration(spec: Spec, c: Collector): void {
  const migration = spec.migration;
  if (!migration) return;
  if (spec.type === 'global-external' && migration.trafficPercent !== 100) {
    c.error('migration.trafficPercent', `type global-external finishes a migration, which needs trafficPercent 100, not ${migration.trafficPercent}`, 'set 100 (--migration-percent 100), or keep type classic while testing a share', 'migration');
  } else if (spec.type !== 'classic' && spec.type !== 'global-external') {
    c.error('migration', `only a classic load balancer migrates (to global external), not ${spec.type}`, 'remove migration', 'migration');
  }
}

export function checkDns(spec: Spec, c: Collector): void {
  if (!spec.dns) return;
  const why = lowerIdReason(spec.dns.managedZone);
  if (why) c.error('dns.managedZone', `"${spec.dns.managedZone}" ${why}`, 'use the managed zone\'s name (gcloud dns managed-zones list), not its DNS name', 'dns');
  if (spec.frontend.domains.length === 0) {
    c.warn('dns.managedZone', 'no frontend.domains, so no DNS record is created', 'set frontend.domains (--domain) or remove dns', 'dns');
  }
}
