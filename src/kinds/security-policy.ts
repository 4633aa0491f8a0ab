/**
 * `securityPolicy`: the Cloud Armor policy of the backend services (created from the config's
 * rules plus the default rule, or an existing one the user named). Rules change in place one by
 * one (addRule, patchRule, removeRule by priority) and compare in priority order.
 */
import type { ArmorRule } from '../spec/schema.js';
import { attr } from '../model/hcl.js';
import type { BlockItem } from '../model/hcl.js';
import { num, obj, objects, str, stringMap, strings } from '../model/body.js';
import { bare, descriptionFlag, flag, gcloud, regionFlags, scopeFlag, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';
import { common, labelsItems, sub } from './terraform-words.js';

/** The priority of the default rule of a Cloud Armor policy (Google's fixed value). */
export const DEFAULT_RULE_PRIORITY = 2147483647;

function armorMatch(rule: Pick<ArmorRule, 'srcIpRanges' | 'expression'>): Record<string, unknown> {
  if (rule.expression !== undefined) return { expr: { expression: rule.expression } };
  return { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: rule.srcIpRanges ?? ['*'] } };
}

function armorRuleBody(rule: ArmorRule): Record<string, unknown> {
  const body: Record<string, unknown> = { priority: rule.priority, action: rule.action, match: armorMatch(rule), preview: rule.preview };
  if (rule.description !== undefined) body.description = rule.description;
  if ((rule.action === 'throttle' || rule.action === 'rate_based_ban') && rule.rateLimit) {
    const limit = rule.rateLimit;
    const options: Record<string, unknown> = {
      conformAction: 'allow',
      exceedAction: limit.exceedAction,
      rateLimitThreshold: { count: limit.count, intervalSec: limit.intervalSec },
      enforceOnKey: limit.enforceOnKey,
    };
    if (limit.enforceOnKeyName !== undefined) options.enforceOnKeyName = limit.enforceOnKeyName;
    if (rule.action === 'rate_based_ban' && limit.banDurationSec !== undefined) options.banDurationSec = limit.banDurationSec;
    body.rateLimitOptions = options;
  }
  return body;
}

/** Cloud Armor action in gcloud's spelling: `deny(403)` -> `deny-403`, `rate_based_ban` -> `rate-based-ban`. */
export function gcloudArmorAction(action: string): string {
  const deny = /^deny\((\d{3})\)$/.exec(action);
  if (deny) return `deny-${deny[1]}`;
  return action.replace(/_/g, '-');
}

function armorRuleFlags(rule: Record<string, unknown>): Word[] {
  const flags: Word[] = [];
  const match = obj(rule, 'match');
  const ranges = strings(obj(match, 'config'), 'srcIpRanges');
  const expression = str(obj(match, 'expr'), 'expression');
  if (expression) flags.push(flag('expression', expression));
  else if (ranges.length > 0) flags.push(flag('src-ip-ranges', ranges.join(',')));
  const description = str(rule, 'description');
  if (description) flags.push(flag('description', description));
  if (rule.preview === true) flags.push(bare('preview'));
  const rate = obj(rule, 'rateLimitOptions');
  if (rate) {
    const threshold = obj(rate, 'rateLimitThreshold');
    const count = num(threshold, 'count');
    const interval = num(threshold, 'intervalSec');
    if (count !== undefined) flags.push(flag('rate-limit-threshold-count', count));
    if (interval !== undefined) flags.push(flag('rate-limit-threshold-interval-sec', interval));
    const conform = str(rate, 'conformAction');
    if (conform) flags.push(flag('conform-action', conform));
    const exceed = str(rate, 'exceedAction');
    if (exceed) flags.push(flag('exceed-action', gcloudArmorAction(exceed)));
    const key = str(rate, 'enforceOnKey');
    if (key) flags.push(flag('enforce-on-key', key.toLowerCase().replace(/_/g, '-')));
    const keyName = str(rate, 'enforceOnKeyName');
    if (keyName) flags.push(flag('enforce-on-key-name', keyName));
    const ban = num(rate, 'banDurationSec');
    if (ban !== undefined) flags.push(flag('ban-duration-sec', ban));
    const banThreshold = obj(rate, 'banThreshold');
    const banCount = num(banThreshold, 'count');
    const banInterval = num(banThreshold, 'intervalSec');
    if (banCount !== undefined) flags.push(flag('ban-threshold-count', banCount));
    if (banInterval !== undefined) flags.push(flag('ban-threshold-interval-sec', banInterval));
  }
  return flags;
}

function armorRuleBlock(rule: Record<string, unknown>, blockName: 'rule' | 'rules'): BlockItem {
  const match = obj(rule, 'match');
  const expression = str(obj(match, 'expr'), 'expression');
  const ranges = strings(obj(match, 'config'), 'srcIpRanges');
  const matchItems: BlockItem[] = expression
    ? [sub('expr', attr('expression', expression))]
    : [...attr('versioned_expr', str(match, 'versionedExpr') ?? 'SRC_IPS_V1'), sub('config', attr('src_ip_ranges', ranges.length > 0 ? ranges : ['*']))];
  const items: BlockItem[] = [
    ...attr('action', str(rule, 'action')),
    ...attr('priority', num(rule, 'priority')),
    ...attr('description', str(rule, 'description')),
    ...(rule.preview === true ? attr('preview', true) : []),
    sub('match', matchItems),
  ];
  const rate = obj(rule, 'rateLimitOptions');
  if (rate) {
    const threshold = obj(rate, 'rateLimitThreshold');
    const ban = obj(rate, 'banThreshold');
    items.push(
      sub('rate_limit_options', [
        ...attr('conform_action', str(rate, 'conformAction')),
        ...attr('exceed_action', str(rate, 'exceedAction')),
        ...attr('enforce_on_key', str(rate, 'enforceOnKey')),
        ...attr('enforce_on_key_name', str(rate, 'enforceOnKeyName')),
        ...attr('ban_duration_sec', num(rate, 'banDurationSec')),
        sub('rate_limit_threshold', [...attr('count', num(threshold, 'count')), ...attr('interval_sec', num(threshold, 'intervalSec'))]),
        ...(ban ? [sub('ban_threshold', [...attr('count', num(ban, 'count')), ...attr('interval_sec', num(ban, 'intervalSec'))])] : []),
      ]),
    );
  }
  return sub(blockName, items);
}

type Rule = Record<string, unknown> & { priority?: number };

function sameRule(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const pick = (r: Record<string, unknown>) => JSON.stringify({ action: r.action, match: r.match, preview: r.preview ?? false, description: r.description ?? '', rateLimitOptions: r.rateLimitOptions });
  return pick(a) === pick(b);
}

/** Rules of a security policy compare in priority order. */
function sortRules(rules: unknown): unknown {
  if (!Array.isArray(rules)) return rules;
  return [...rules].sort((a, b) => Number((a as Rule | undefined)?.priority ?? 0) - Number((b as Rule | undefined)?.priority ?? 0));
}

export const securityPolicy = {
  kind: 'securityPolicy',
  words: 'security policy',
  scopes: { global: true, regional: true },

  build(g) {
    const armor = g.spec.options.cloudArmor;
    if (!armor) return;
    if (armor.existingPolicy !== undefined) {
      g.shared.securityPolicy = g.add('securityPolicy', g.coreScope, armor.existingPolicy, { name: armor.existingPolicy }, [], 'existing Cloud Armor policy', { managed: false });
      return;
    }
    const name = g.names.securityPolicy();
    const rules = [...(armor.rules ?? [])].sort((a, b) => a.priority - b.priority).map(armorRuleBody);
    rules.push({ priority: DEFAULT_RULE_PRIORITY, action: armor.defaultAction, description: 'default rule', match: armorMatch({ srcIpRanges: ['*'] }), preview: false });
    g.shared.securityPolicy = g.add('securityPolicy', g.coreScope, name, { name, type: 'CLOUD_ARMOR', rules }, [], 'Cloud Armor policy of the backend services');
  },

  compute: {
    collection: 'securityPolicies',
    clients: { global: 'SecurityPoliciesClient', regional: 'RegionSecurityPoliciesClient' },
    fingerprinted: true,
    async update(u) {
      if (u.take('rules')) {
        // Rules by priority: add the new, patch the changed, remove the gone.
        const current = await u.fresh();
        const want = new Map(((u.body.rules ?? []) as Rule[]).map((r) => [Number(r.priority), r]));
        const have = new Map(((current.rules ?? []) as Rule[]).map((r) => [Number(r.priority), r]));
        const p = { ...u.params, securityPolicy: u.resource.name };
        for (const [priority, rule] of want) {
          if (!have.has(priority)) await u.mutate('addRule', { ...p, securityPolicyRuleResource: rule }, `add rule ${priority}`);
          else if (!sameRule(rule, have.get(priority)!)) await u.mutate('patchRule', { ...p, priority, securityPolicyRuleResource: rule }, `patch rule ${priority}`);
        }
        for (const priority of have.keys()) {
          if (!want.has(priority) && priority !== DEFAULT_RULE_PRIORITY) await u.mutate('removeRule', { ...p, priority }, `remove rule ${priority}`);
        }
      }
      if (u.resource.scope === 'global' && u.take('labels')) await u.setLabels(u.body.labels);
      if (u.fields.size === 0) return;
      const current = await u.fresh();
      const { rules: _r, labels: _l, ...rest } = u.body;
      return u.mutate('patch', { ...u.params, securityPolicy: u.resource.name, securityPolicyResource: { ...rest, fingerprint: current.fingerprint }, requestId: u.rid('patch') });
    },
  },
  compare: {
    immutable: () => new Set(['type']),
    rotatable: true,
    normalize: (key, value) => (key === 'rules' ? sortRules(value) : value),
  },
  ownership: { labels: true, description: true },
  existingKey: 'options.cloudArmor.existingPolicy',

  gcloud(s, r) {
    const b = r.body;
    const flags: Word[] = [];
    const type = str(b, 'type');
    if (type) flags.push(flag('type', type));
    flags.push(scopeFlag(r), ...descriptionFlag(b));
    s.command(r.project, { head: gcloud('compute', 'security-policies', 'create', r.name), flags });
    if (Object.keys(stringMap(b, 'labels')).length > 0) {
      s.comment('(gcloud sets no labels on security policies: the description carries the ownership mark)');
    }
    for (const rule of objects(b, 'rules')) {
      const priority = num(rule, 'priority');
      const action = str(rule, 'action');
      if (priority === undefined || !action) continue;
      if (priority === DEFAULT_RULE_PRIORITY) {
        // The policy is created with a default rule that allows everything; change it only if needed.
        if (action === 'allow') continue;
        s.command(r.project, {
          head: gcloud('compute', 'security-policies', 'rules', 'update', String(priority)),
          flags: [flag('security-policy', r.name), flag('action', gcloudArmorAction(action)), ...regionFlags(r)],
        });
        continue;
      }
      s.command(r.project, {
        head: gcloud('compute', 'security-policies', 'rules', 'create', String(priority)),
        flags: [flag('security-policy', r.name), flag('action', gcloudArmorAction(action)), ...armorRuleFlags(rule), ...regionFlags(r)],
      });
    }
  },
  terraform: {
    resourceType: (r) => (r.scope === 'global' ? 'google_compute_security_policy' : 'google_compute_region_security_policy'),
    dataSource: (global) => (global ? 'google_compute_security_policy' : undefined),
    convert(t, r) {
      const b = r.body;
      const global = r.scope === 'global';
      const blockName = global ? 'rule' : 'rules';
      const rules = objects(b, 'rules');
      const items: BlockItem[] = [...common(t, r), ...attr('type', str(b, 'type'))];
      if (global) items.push(...labelsItems(r));
      for (const rule of rules) items.push(armorRuleBlock(rule, blockName));
      if (!rules.some((rule) => num(rule, 'priority') === DEFAULT_RULE_PRIORITY)) {
        // The API adds this rule itself; writing it keeps Terraform's view equal to the API's.
        items.push(armorRuleBlock({ action: 'allow', priority: DEFAULT_RULE_PRIORITY, description: 'default rule', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } }, blockName));
      }
      return items;
    },
  },
  quotaMetrics: (r) => [r.scope === 'global' ? 'SECURITY_POLICIES' : 'SECURITY_POLICIES_PER_REGION'],
} satisfies ResourceKindModule;
