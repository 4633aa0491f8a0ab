/**
 * securityPolicies (global) and regionSecurityPolicies.
 *
 * - type CLOUD_ARMOR by default; rules are kept sorted by priority (a rule without one has
 *   priority 0, which Google leaves out of the JSON); each rule gets `kind`; a default rule
 *   (allow all, priority 2147483647) is added when the policy has none; priorities are unique.
 * - Rule actions: allow, deny, deny(403|404|502), redirect, throttle, rate_based_ban. throttle and
 *   rate_based_ban need `rateLimitOptions`; other actions must not have it.
 * - addRule / patchRule?priority= / removeRule?priority= / getRule?priority=. patchRule with no
 *   (or an empty) updateMask merges like protobuf (lists are appended, as Google does); with a mask,
 *   the named fields are replaced. The default rule cannot be removed.
 * - labels + setLabels, fingerprint, PATCH.
 */
import type { EmulatorContext } from '../core/context.js';
import type { ApiRequest, RouteHandler } from '../core/http.js';
import type { Json, JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec, Scope } from './engine.js';
import { collectionPath, getOr404, replaceWithOperation } from './engine.js';
import { invalid, invalidField } from './errors.js';
import { asObject, checkEnum, protoMerge } from './fields.js';

export const DEFAULT_RULE_PRIORITY = 2147483647;

const ACTIONS = /^(allow|deny|deny\((403|404|502)\)|redirect|throttle|rate_based_ban)$/;

function checkRule(rule: JsonObject, field: string): JsonObject {
  const action = rule['action'];
  if (typeof action !== 'string' || !ACTIONS.test(action)) {
    throw invalidField(`${field}.action`, action ?? '', 'Must be one of allow, deny, deny(403), deny(404), deny(502), redirect, throttle, rate_based_ban.');
  }
  const rateLimited = action === 'throttle' || action === 'rate_based_ban';
  if (rateLimited && rule['rateLimitOptions'] === undefined) {
    throw invalid(`Invalid value for field '${field}.rateLimitOptions': rate limit options are required for action '${action}'.`);
  }
  if (!rateLimited && rule['rateLimitOptions'] !== undefined) {
    throw invalid(`Invalid value for field '${field}.rateLimitOptions': rate limit options are only allowed with action throttle or rate_based_ban.`);
  }
  const priority = rule['priority'] ?? 0;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > DEFAULT_RULE_PRIORITY) {
    throw invalidField(`${field}.priority`, priority, `Must be an integer from 0 to ${DEFAULT_RULE_PRIORITY}.`);
  }
  const match = asObject(rule['match']);
  if (rule['match'] === undefined || (match['expr'] === undefined && match['config'] === undefined)) {
    throw invalid(`Invalid value for field '${field}.match': a rule needs a match (versionedExpr with config, or expr).`);
  }
  if (match['versionedExpr'] !== undefined) checkEnum(match['versionedExpr'], ['SRC_IPS_V1'] as const, `${field}.match.versionedExpr`);
  const out: JsonObject = { ...rule, kind: 'compute#securityPolicyRule' };
  if (priority === 0) delete out['priority'];
  return out;
}

function priorityOf(rule: JsonObject): number {
  return typeof rule['priority'] === 'number' ? rule['priority'] : 0;
}

export function sortRules(rules: JsonObject[]): JsonObject[] {
  const seen = new Set<number>();
  for (const r of rules) {
    const p = priorityOf(r);
    if (seen.has(p)) throw invalid(`Invalid value for field 'resource.rules': more than one rule has priority ${p}; priorities must be unique.`);
    seen.add(p);
  }
  return [...rules].sort((a, b) => priorityOf(a) - priorityOf(b));
}

export function defaultRule(): JsonObject {
  return {
    action: 'allow',
    description: 'default rule',
    kind: 'compute#securityPolicyRule',
    match: { config: { srcIpRanges: ['*'] }, versionedExpr: 'SRC_IPS_V1' },
    preview: false,
    priority: DEFAULT_RULE_PRIORITY,
  };
}

function buildPolicy(b: BuildContext): JsonObject {
  const body = b.body;
  const type = checkEnum(body['type'], ['CLOUD_ARMOR', 'CLOUD_ARMOR_EDGE', 'CLOUD_ARMOR_NETWORK'] as const, 'resource.type', 'CLOUD_ARMOR')!;
  const rules = (Array.isArray(body['rules']) ? body['rules'] : []).map((r, i) => checkRule(asObject(r), `resource.rules[${i}]`));
  if (!rules.some((r) => priorityOf(r) === DEFAULT_RULE_PRIORITY)) rules.push(defaultRule());
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(body)) {
    if (!['name', 'rules', 'type', 'labels', 'fingerprint', 'labelFingerprint'].includes(k)) out[k] = v;
  }
  out['rules'] = sortRules(rules);
  out['type'] = type;
  return out;
}

export const securityPolicySpec: KindSpec = {
  collection: 'securityPolicies',
  kind: 'compute#securityPolicy',
  snake: 'security_policy',
  scope: 'global',
  labels: true,
  fingerprint: true,
  patch: true,
  build: buildPolicy,
};

export const regionSecurityPolicySpec: KindSpec = { ...securityPolicySpec, scope: 'regional' };

type RuleMethod = 'addRule' | 'patchRule' | 'removeRule' | 'getRule';

function queryPriority(req: ApiRequest, fallback?: number): number {
  const q = req.query.get('priority');
  if (q === null || q === '') return fallback ?? 0;
  const n = Number(q);
  if (!Number.isInteger(n)) throw invalidField('priority', q, 'Must be an integer.');
  return n;
}

export function ruleHandler(ctx: EmulatorContext, spec: KindSpec, method: RuleMethod): RouteHandler {
  return (req, params) => {
    const scope: Scope = { project: params['project']!, ...(params['region'] ? { region: params['region'] } : {}) };
    const path = `${collectionPath(spec, scope)}/${params['name']}`;
    const existing = getOr404(ctx, path);
    const rules = ((existing['rules'] as Json[] | undefined) ?? []).map(asObject);
    const body = asObject(req.body);
    const notFoundRule = (p: number) => invalid(`Invalid value for field 'priority': '${p}'. The security policy does not contain a rule at the specified priority.`);
    switch (method) {
      case 'getRule': {
        const p = queryPriority(req);
        const rule = rules.find((r) => priorityOf(r) === p);
        if (!rule) throw notFoundRule(p);
        return { status: 200, body: rule };
      }
      case 'addRule': {
        const rule = checkRule(body, 'resource');
        const next = sortRules([...rules, rule]);
        return replaceWithOperation(ctx, req, spec, scope, path, existing, 'AddRule', (c) => ({ ...c, rules: next }));
      }
      case 'patchRule': {
        const p = queryPriority(req);
        const idx = rules.findIndex((r) => priorityOf(r) === p);
        if (idx < 0) throw notFoundRule(p);
        const mask = (req.query.get('updateMask') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        let patched: JsonObject;
        if (mask.length === 0) patched = protoMerge(rules[idx]!, body) as JsonObject;
        else {
          patched = { ...rules[idx]! };
          for (const field of mask) {
            const top = field.split('.')[0]!;
            if (body[top] === undefined) delete patched[top];
            else patched[top] = body[top]!;
          }
        }
        const rule = checkRule(patched, 'resource');
        const next = sortRules(rules.map((r, i) => (i === idx ? rule : r)));
        return replaceWithOperation(ctx, req, spec, scope, path, existing, 'PatchRule', (c) => ({ ...c, rules: next }));
      }
      case 'removeRule': {
        const p = queryPriority(req);
        if (p === DEFAULT_RULE_PRIORITY) throw invalid('Invalid value for field \'priority\': the default rule of a security policy cannot be removed.');
        if (!rules.some((r) => priorityOf(r) === p)) throw notFoundRule(p);
        const next = rules.filter((r) => priorityOf(r) !== p);
        return replaceWithOperation(ctx, req, spec, scope, path, existing, 'RemoveRule', (c) => ({ ...c, rules: next }));
      }
    }
  };
}
