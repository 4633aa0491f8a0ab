/**
 * The import flow: read a load balancer from one of its forwarding rules, describe it as a config,
 * check that the config says everything about it (the plan, made as if the load balancer were
 * already this tool's, must change nothing but what takes it over), show what was read, confirm,
 * take it over, then write the config: the ownership label on its forwarding rules (and on a
 * reserved address under serverless-lb's name), which mark the proxies, URL maps, backend services
 * and NEGs they hold (ownership.heldBy), and each Cloud Run service's record of this load
 * balancer's needs. Nothing is changed when anything cannot be described: the list says what.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readExistingLb } from '../cloud/read-import.js';
import { specFromExisting } from '../cloud/imported-spec.js';
import { readCurrentState } from '../cloud/read-state.js';
import { buildDesiredGraph } from '../plan/build-graph.js';
import { withFileDigests } from '../cloud/file-digests.js';
import { diffPlan } from '../plan/diff.js';
import { summarize } from '../plan/delete-edges.js';
import { heldByOwned, ObservedIndex } from '../plan/observed-index.js';
import { isOwnedBy } from '../plan/ownership.js';
import { kindModule } from '../kinds/registry.js';
import { validateSpec } from '../spec/validate.js';
import { lbNameProblem } from '../spec/schema.js';
import { formatProblem } from '../spec/problem.js';
import { CONFIG_SCHEMA_FILE, writeConfigFile } from '../spec/config-file.js';
import { UsageError } from '../errors.js';
import { confirmOrFail } from '../wizard/confirm.js';
import { walkError } from '../apply/walker.js';
import { planToJson } from '../plan/render-json.js';
import { renderPlanForHumans } from '../ui/plan-view.js';
import { walkReportJson } from '../ui/walk-view.js';
import type { Output } from '../ui/output.js';
import type { DesiredResource, ObservedState, Plan, PlanStep } from '../model/resource-model.js';
import { openCloudSession } from './cloud-session.js';
import { packageFile } from './package-files.js';
import { walkWithProgress } from './walk-with-progress.js';
import type { CommonOptions } from './common-options.js';

export type ImportOptions = CommonOptions & {
  forwardingRule: string;
  region?: string;
  name: string;
  dnsZone?: string;
};

/** Settings on the user's Cloud Run services: taking the load balancer over records its needs there. */
const RECORDED_ON_SERVICE = new Set(['cloudRunIngress', 'cloudRunInvoker']);

export async function runImport(options: ImportOptions, output: Output, context: { interactive: boolean; configGiven: boolean }): Promise<void> {
  const nameProblem = lbNameProblem(options.name);
  if (nameProblem) {
    throw new UsageError(`--name ${JSON.stringify(options.name)} ${nameProblem}; nothing was changed`, {
      code: 'import.name',
      hint: 'give the load balancer a name: the stem of the names serverless-lb gives, and its ownership mark (the names its resources have are kept in the config)',
    });
  }
  const configPath = resolve(options.config);
  if (existsSync(configPath)) {
    throw new UsageError(`${options.config} exists: import writes a new config and never overwrites one; nothing was changed`, {
      code: 'import.config-exists',
      hint: 'pass -c NEW-FILE (for example -c lb.yaml), or move the existing file away',
    });
  }
  const { resolveProject } = await import('../cloud/google-cloud.js');
  const project = await resolveProject(options.project);
  const session = await openCloudSession({ project, embeddedEmulator: options.emulator });
  try {
    const { cloud } = session;
    output.info(`Reading load balancer of forwarding rule ${options.forwardingRule} (${options.region ?? 'global'}) in ${project} (${cloud.target})...`);
    const existing = await readExistingLb(cloud, { forwardingRule: options.forwardingRule, ...(options.region ? { region: options.region } : {}), ...(options.dnsZone ? { dnsZone: options.dnsZone } : {}) });
    const { input, unexpressible, files } = specFromExisting(existing, options.name, project);
    // Files the config names (a trust config's CAs) go beside it, never over a file that exists.
    const filePaths = Object.keys(files).map((name) => join(dirname(configPath), name));
    for (const path of filePaths) if (existsSync(path)) unexpressible.push(`${path} exists: import writes the CA certificates of the trust config there and never overwrites a file`);
    const validated = validateSpec(input);
    if (!validated.ok) unexpressible.push(...validated.problems.filter((p) => p.severity === 'error').map((p) => `the config it makes is not valid: ${formatProblem(p)}`));

    let plan: Plan | undefined;
    let observed = new Map(existing.observed);
    let kept: string[] = [];
    if (validated.ok) {
      // The CA files are compared as they will be written (from what Google holds).
      const graph = withFileDigests(buildDesiredGraph(validated.spec), (path) => {
        if (!(path in files)) throw new Error(`${path} is not written by import`);
        return files[path]!;
      });
      observed = new Map([...(await readCurrentState(graph, cloud)), ...existing.observed]);
      plan = diffPlan(graph, observed, { adopt: true });
      kept = graph.resources.filter((r) => !r.managed && existing.observed.has(r.id)).map((r) => `${r.kind} ${r.name}`);
      for (const b of plan.blockers) unexpressible.push(`${b.message} (${b.hint})`);
      for (const step of plan.steps) {
        if (step.action === 'noop' || (RECORDED_ON_SERVICE.has(step.kind) && !step.changes.some((c) => c.field === 'ingress'))) continue;
        unexpressible.push(`${step.kind} ${step.name}: the config would ${step.action} it (${step.reason})`);
      }
      plan = takeOver(plan, graph.resources, observed, options.name, unexpressible);
    }

    const read = [...existing.observed.values()].filter((o) => !RECORDED_ON_SERVICE.has(o.kind));
    output.info(`Read ${read.length} resources: ${read.map((o) => `${o.kind} ${o.name}`).join(', ')}${existing.records.length ? `; DNS records ${existing.records.map((r) => r.name).join(', ')}` : ''}.`);
    if (unexpressible.length > 0 || !plan) {
      if (options.format === 'json') output.json({ ok: false, unexpressible });
      throw new UsageError(`load balancer of ${options.forwardingRule} cannot be imported yet: ${unexpressible.length} thing${unexpressible.length === 1 ? '' : 's'} a config cannot describe; nothing was changed`, {
        code: 'import.unexpressible',
        details: unexpressible,
        hint: 'serverless-lb takes over only what its config describes whole, so that apply never changes what it cannot see; change these by hand (or leave this load balancer as it is)',
      });
    }
    if (options.format !== 'json') output.result(renderPlanForHumans(plan, output, process.stdout.columns));
    if (kept.length) output.info(`Stays yours (named as existing in the config: used as it is, never changed or deleted by serverless-lb): ${kept.join(', ')}.`);
    const go = await confirmOrFail(`Write ${options.config} and mark these resources as load balancer ${options.name}'s?`, { yes: options.yes, interactive: context.interactive, command: 'import' });
    if (!go) {
      output.info('Nothing was changed.');
      return;
    }
    // The marks first, the config once they are all written: a failed run leaves no config, and
    // running import again finds what is marked already and marks the rest.
    const report = await walkWithProgress(plan, cloud, output, { title: 'Importing', concurrency: 8, observed });
    if (report.ok) {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dirname(configPath), name), content, { flag: 'wx' });
      writeConfigFile(configPath, input as never, undefined, packageFile(CONFIG_SCHEMA_FILE));
    }
    if (options.format === 'json') output.json({ ok: report.ok, config: options.config, plan: planToJson(plan), import: walkReportJson(report) });
    const failure = walkError(report, 'import');
    if (failure) throw failure;
    output.info(`Wrote ${options.config}${filePaths.length > 0 ? ` and ${Object.keys(files).join(', ')} beside it` : ''}.`);
    output.info(output.color.green(`Imported: load balancer ${options.name} is described by ${options.config}; \`serverless-lb plan -c ${options.config}\` shows what apply would change (nothing, right after import).`));
  } finally {
    await session.close();
  }
}

/**
 * The plan that takes the load balancer over: each forwarding rule, and each other resource that
 * carries its mark in labels, gets the ownership label (what they hold is recognised through them);
 * a resource that can carry no mark and is held by nothing is listed as what cannot be imported.
 */
function takeOver(plan: Plan, resources: readonly DesiredResource[], observed: ObservedState, lb: string, unexpressible: string[]): Plan {
  const steps: PlanStep[] = plan.steps.map((s) => ({ ...s }));
  const marked = new Map(observed);
  const labelled: PlanStep[] = [];
  for (const r of resources) {
    const o = observed.get(r.id);
    if (!r.managed || !o || RECORDED_ON_SERVICE.has(r.kind) || r.kind === 'dnsRecordSet' || isOwnedBy(r.kind, o.body, lb)) continue;
    if (!kindModule(r.kind).ownership.labels) continue;
    const step = steps.find((s) => s.id === r.id);
    if (!step) continue;
    Object.assign(step, { action: 'update', changes: [{ field: 'labels', from: o.body.labels ?? null, to: r.body.labels }], reason: `takes it over: the ownership label serverless-lb: ${lb}`, resource: r });
    marked.set(r.id, { ...o, body: { ...o.body, labels: r.body.labels } });
    labelled.push(step);
  }
  // What the labels do not reach: a resource with no mark of its own that nothing marked holds.
  const index = new ObservedIndex(marked);
  for (const r of resources) {
    const o = marked.get(r.id);
    if (!r.managed || !o || RECORDED_ON_SERVICE.has(r.kind) || r.kind === 'dnsRecordSet') continue;
    if (!isOwnedBy(r.kind, o.body, lb) && !heldByOwned(o, lb, marked, index)) unexpressible.push(`${r.kind} ${r.name}: it cannot carry serverless-lb's mark (Google cannot change its description) and nothing marked holds it; name it as existing, or recreate it with \`serverless-lb apply\``);
  }
  return { ...plan, steps, summary: summarize(steps) };
}
