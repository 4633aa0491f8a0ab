/**
 * Wizard question: Google's classic -> global external migration, offered when init meets a
 * classic load balancer of this name that exists (its backend services are EXTERNAL): the next
 * stage is suggested (prepare, test a share, all traffic, then finish as global external).
 */
import type { SpecInput } from '../../spec/schema.js';
import type { WizardState } from './kit.js';
import { Question, typeOf } from './kit.js';

/** What the migration question answers: a share to test, `finish` (become global external), or `none`. */
type MigrationAnswer = 'none' | 'finish' | `${number}`;

/** The stage the existing backend services of this load balancer are at, if it is a classic one that exists. */
async function currentStage(state: WizardState): Promise<{ percent: number | undefined } | undefined> {
  const name = state.input.name;
  if (typeof name !== 'string') return undefined;
  const services = await state.discover.list('backend services (global)', (d) => d.globalBackendServices());
  const mine = (services ?? []).filter((s) => s.name.startsWith(`${name}-`) && s.name.endsWith('-bs'));
  if (mine.length === 0 || !mine.every((s) => s.loadBalancingScheme === 'EXTERNAL')) return undefined;
  const first = mine[0]!;
  const percent = first.migrationState === 'PREPARE' ? 0 : first.migrationState === 'TEST_ALL_TRAFFIC' ? 100 : first.migrationState === 'TEST_BY_PERCENTAGE' ? (first.migrationPercent ?? 0) : undefined;
  return { percent };
}

export const migration: Question<MigrationAnswer> = {
  id: 'migration',
  label: 'Migration to global external',
  keys: ['migration.trafficPercent'],
  relevant: (s) => typeOf(s) === 'classic' && s.input.migration === undefined,
  optional: true,
  read: (p) => (p.migration?.trafficPercent === undefined ? undefined : p.type === 'global-external' ? 'finish' : (String(p.migration.trafficPercent) as MigrationAnswer)),
  apply: (p, v) => {
    if (v === 'none') return;
    if (v === 'finish') {
      p.type = 'global-external';
      p.migration = { trafficPercent: 100 } as SpecInput['migration'];
      return;
    }
    p.migration = { trafficPercent: Number(v) } as SpecInput['migration'];
  },
  show: (v) => (v === 'none' ? 'not now' : v === 'finish' ? 'finish: global external' : `${v} % of requests to global external`),
  async ask(kit) {
    const stage = await currentStage(kit.state);
    if (!stage) return undefined;
    const now = stage.percent;
    const choices = [
      { value: 'none', name: now === undefined ? 'Not now: stay classic' : `Stay at this stage (${now} %)` },
      ...(now === undefined ? [{ value: '0', name: 'Prepare (0 %): the first stage; the classic infrastructure still answers every request' }] : []),
      ...[10, 50].filter((p) => now === undefined || p > now).map((p) => ({ value: String(p), name: `Test ${p} %: the global external infrastructure answers ${p} % of requests` })),
      ...(now !== undefined && now < 100 ? [{ value: '100', name: 'All traffic (100 %): the global external infrastructure answers every request' }] : []),
      ...(now === 100 ? [{ value: 'finish', name: 'Finish: become a global external load balancer (same names, same IP)' }] : []),
    ];
    kit.state.say(`  ${String(kit.state.input.name)} is a classic Application Load Balancer${now === undefined ? '' : `, migrating (${now} % to global external)`}. Google asks classic owners to migrate, in stages; wait a few minutes and watch error rates between them.`);
    const choice = await kit.prompter.select({ id: 'migration', message: 'Move it to the global external Application Load Balancer, a stage at a time?', choices, default: choices[1]?.value ?? 'none' });
    return choice as MigrationAnswer;
  },
};
