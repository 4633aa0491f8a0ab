/**
 * Wizard questions: Options: Cloud CDN, IAP, Cloud Armor, logging, outlier detection, and the Cloud Run ingress restriction.
 */
import { INGRESS_SETTINGS, INVOKER_SETTINGS, type LbType } from '../../spec/schema.js';
import { parseRateLimitFlag } from '../../spec/from-flags.js';
import { isInternalType } from '../../spec/derive.js';
import type { Choice } from '../prompter.js';
import { setIn } from '../patch.js';

import { WizardState, Question, typeOf, isGlobalExternal, backendsOf, scopeOf, textInput, yesNo, select, absolutePath } from './kit.js';

export const cdn: Question<boolean> = {
  id: 'cdn',
  label: 'Cloud CDN',
  keys: ['options.cdn.enabled'],
  relevant: (s) => isGlobalExternal(typeOf(s)),
  read: (p) => p.options?.cdn?.enabled,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.cdn.enabled', v),
  show: (v) => (v ? 'on' : 'off'),
  default: () => false,
  ask: (kit) => yesNo('cdn', 'Cache responses at Google\'s edge with Cloud CDN?', kit, false),
};

export const iap: Question<boolean> = {
  id: 'iap',
  label: 'Identity-Aware Proxy',
  keys: ['options.iap.enabled'],
  relevant: () => true,
  read: (p) => p.options?.iap?.enabled,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.iap.enabled', v),
  show: (v) => (v ? 'on' : 'off'),
  default: () => false,
  ask: (kit) => yesNo('iap', 'Require a Google sign-in with Identity-Aware Proxy (IAP)?', kit, false),
};

function iapOn(state: WizardState): boolean {
  return state.input.options?.iap?.enabled === true;
}

export const iapClientId: Question<string> = {
  id: 'iapClientId',
  label: 'IAP OAuth client id',
  keys: ['options.iap.oauth2ClientId'],
  relevant: iapOn,
  optional: true,
  read: (p) => p.options?.iap?.oauth2ClientId,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.iap.oauth2ClientId', v),
  show: (v) => v,
  ask: (kit) => textInput('iapClientId', 'OAuth client id for IAP (empty: the Google-managed client, for users of your organization)', kit, true),
};

export const iapClientSecretFile: Question<string> = {
  id: 'iapClientSecretFile',
  label: 'IAP OAuth client secret file',
  keys: ['options.iap.oauth2ClientSecretFile'],
  relevant: (s) => iapOn(s) && s.input.options?.iap?.oauth2ClientId !== undefined && s.input.options.iap.oauth2ClientSecretEnv === undefined,
  read: (p) => p.options?.iap?.oauth2ClientSecretFile,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.iap.oauth2ClientSecretFile', absolutePath(v)),
  show: (v) => v,
  ask: (kit) => textInput('iapClientSecretFile', 'Path of the file that holds the OAuth client secret (never the secret itself)', kit),
};

const ARMOR_TYPES: readonly LbType[] = ['global-external', 'classic', 'regional-external', 'regional-internal'];
const RATE_LIMIT = '@rate-limit';
const TYPED_POLICY = '@typed';

export const securityPolicy: Question<string> = {
  id: 'securityPolicy',
  label: 'Cloud Armor',
  keys: ['options.cloudArmor.existingPolicy', 'options.cloudArmor'],
  relevant: (s) => ARMOR_TYPES.includes(typeOf(s)),
  read: (p) => {
    const armor = p.options?.cloudArmor;
    if (!armor) return undefined;
    return armor.existingPolicy ?? RATE_LIMIT;
  },
  apply: (p, v) => {
    if (v === '') return;
    if (v === RATE_LIMIT) {
      if (!p.options?.cloudArmor) setIn(p as Record<string, unknown>, 'options.cloudArmor', {});
    } else setIn(p as Record<string, unknown>, 'options.cloudArmor', { existingPolicy: v });
  },
  show: (v) => (v === '' ? 'none' : v === RATE_LIMIT ? 'a policy of its own' : `existing policy ${v}`),
  default: () => '',
  async ask(kit) {
    const { state } = kit;
    const scope = scopeOf(state);
    const found = scope ? await state.discover.list(`Cloud Armor security policies (${scope})`, (d) => d.securityPolicies(scope)) : undefined;
    const choices: Choice[] = [
      { value: '', name: 'None', description: 'no Cloud Armor policy' },
      { value: RATE_LIMIT, name: 'Create a policy that rate-limits each client IP', description: 'serverless-lb creates and deletes it with the load balancer' },
      ...(found ?? []).map((policy) => ({ value: policy, name: `Attach existing policy ${policy}` })),
      { value: TYPED_POLICY, name: 'Attach another existing policy (type its name)' },
    ];
    const initial = kit.initial;
    const choice = await kit.prompter.select({
      id: 'securityPolicy',
      message: 'Protect the backends with Cloud Armor?',
      choices,
      default: initial !== undefined && choices.some((c) => c.value === initial) ? initial : initial ? TYPED_POLICY : '',
      validate: (v) => (v === '' || v === TYPED_POLICY ? undefined : kit.validate(v)),
    });
    if (choice !== TYPED_POLICY) return choice;
    const typed = await kit.prompter.input({
      id: 'securityPolicy.name',
      message: 'Name of the existing security policy',
      ...(initial && initial !== RATE_LIMIT ? { default: initial } : {}),
      validate: (v) => (v.trim() === '' ? 'an answer is needed' : kit.validate(v.trim())),
    });
    return typed.trim();
  },
};

export const rateLimit: Question<string> = {
  id: 'rateLimit',
  label: 'Rate limit',
  keys: ['options.cloudArmor.rules'],
  relevant: (s) => {
    const armor = s.input.options?.cloudArmor;
    return ARMOR_TYPES.includes(typeOf(s)) && armor !== undefined && armor.existingPolicy === undefined && armor.rules === undefined;
  },
  read: (p) => {
    const rule = p.options?.cloudArmor?.rules?.[0];
    return rule?.rateLimit?.count !== undefined ? `${rule.rateLimit.count}/${rule.rateLimit.intervalSec}s` : p.options?.cloudArmor?.rules ? 'rules from the config' : undefined;
  },
  apply: (p, v) => {
    const parsed = parseRateLimitFlag(v);
    if ('rule' in parsed) setIn(p as Record<string, unknown>, 'options.cloudArmor.rules', [parsed.rule]);
  },
  show: (v) => `${v} per client IP`,
  default: () => undefined,
  suggest: () => '100/60s',
  check: (v) => {
    const parsed = parseRateLimitFlag(v);
    return 'reason' in parsed ? `"${v}" ${parsed.reason}` : undefined;
  },
  ask: (kit) => textInput('rateLimit', 'Requests allowed per client IP, COUNT/INTERVAL (e.g. 100/60s, 1000/10m); more get 429', kit),
};

export const logging: Question<boolean> = {
  id: 'logging',
  label: 'Request logging',
  keys: ['options.logging.enabled'],
  relevant: () => true,
  read: (p) => p.options?.logging?.enabled,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.logging.enabled', v),
  show: (v) => (v ? 'on' : 'off'),
  default: () => true,
  ask: (kit) => yesNo('logging', 'Log every request in Cloud Logging?', kit, true),
};

const OUTLIER_TYPES: readonly LbType[] = ['global-external', 'cross-region-internal'];

export const outlierDetection: Question<boolean> = {
  id: 'outlierDetection',
  label: 'Outlier detection',
  keys: ['options.outlierDetection'],
  relevant: (s) => OUTLIER_TYPES.includes(typeOf(s)) && !iapOn(s),
  read: (p) => (p.options?.outlierDetection !== undefined ? true : undefined),
  apply: (p, v) => {
    if (v && p.options?.outlierDetection === undefined) setIn(p as Record<string, unknown>, 'options.outlierDetection', {});
  },
  show: (v) => (v ? 'on' : 'off'),
  default: () => false,
  ask: (kit) => yesNo('outlierDetection', 'Stop sending traffic to a region whose backend keeps failing (outlier detection)?', kit, false),
};

const INGRESS_CHOICES: Record<(typeof INGRESS_SETTINGS)[number], Omit<Choice, 'value'>> = {
  auto: { name: 'Only through the load balancer (auto)', description: 'the narrowest Cloud Run ingress that works for this load balancer (recommended)' },
  'internal-and-cloud-load-balancing': { name: 'Internal traffic and Cloud load balancers (internal-and-cloud-load-balancing)' },
  internal: { name: 'Internal traffic only (internal)' },
  unchanged: { name: 'Leave the services\' ingress as it is (unchanged)', description: 'the run.app URLs keep bypassing the load balancer if they allow all traffic' },
};

export const ingress: Question<string> = {
  id: 'ingress',
  label: 'Cloud Run ingress',
  keys: ['options.ingress'],
  relevant: (s) => backendsOf(s).some((b) => b.cloudRun !== undefined),
  read: (p) => p.options?.ingress,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.ingress', v),
  show: (v) => v,
  default: () => 'auto',
  ask: (kit) =>
    select(
      'ingress',
      'Which traffic may reach your Cloud Run services directly?',
      INGRESS_SETTINGS.filter((i) => i !== 'internal' || isInternalType(typeOf(kit.state))).map((i) => ({ value: i, ...INGRESS_CHOICES[i] })),
      kit,
    ),
};

const INVOKER_CHOICES: Record<(typeof INVOKER_SETTINGS)[number], Omit<Choice, 'value'>> = {
  auto: { name: 'Whoever the load balancer lets in (auto)', description: 'the IAP service agent behind IAP, allUsers otherwise (the IAM check off where allUsers is refused): without it Cloud Run answers 403 (recommended)' },
  public: { name: 'Anyone, by IAM (public: allUsers)', description: 'refused where an organisation policy forbids public members; ingress still keeps the run.app URL closed' },
  'public-no-iam-check': { name: 'Anyone, invoker IAM check off (public-no-iam-check)', description: 'Google\'s recommended way to make a service public, allowed under domain restricted sharing; ingress still keeps the run.app URL closed' },
  iap: { name: 'Only through IAP (iap: the IAP service agent)' },
  unchanged: { name: 'Leave IAM as it is (unchanged)', description: 'you grant roles/run.invoker yourself' },
};

export const invoker: Question<string> = {
  id: 'invoker',
  label: 'Cloud Run invoker',
  keys: ['options.invoker'],
  relevant: (s) => backendsOf(s).some((b) => b.cloudRun?.service !== undefined),
  read: (p) => p.options?.invoker,
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'options.invoker', v),
  show: (v) => v,
  default: () => 'auto',
  ask: (kit) =>
    select(
      'invoker',
      'Who may invoke your Cloud Run services through the load balancer (roles/run.invoker)?',
      INVOKER_SETTINGS.map((i) => ({ value: i, ...INVOKER_CHOICES[i] })),
      kit,
    ),
};
