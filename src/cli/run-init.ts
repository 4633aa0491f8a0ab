/**
 * The init flow, shared by `init` and `demo`: collect the answers (flags and config first, then
 * prompts or defaults), validate them, show their summary, write the equivalent config, then plan,
 * confirm and apply through runApply, and end with the address, URLs, DNS records and next commands.
 * Everything is asked before anything is changed; apply and verify never prompt.
 * Loaded lazily by the commands (it pulls in the Cloud port when it applies).
 */
import type { CommonOptions } from './common-options.js';
import type { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_SCHEMA_FILE, readConfigFile, resolveFileReferences, writeConfigFile } from '../spec/config-file.js';
import { specInputFromFlags, type SpecInputPatch } from '../spec/from-flags.js';
import { formatProblem } from '../spec/problem.js';
import { SPEC_FIELDS } from '../spec/fields.js';
import { packageFile } from './package-files.js';
import { orderKeys } from '../wizard/patch.js';
import type { Spec } from '../spec/schema.js';
import { nodeSpecIo } from '../spec/node-io.js';
import { offlinePlan } from '../plan/offline-plan.js';
import { planToJson } from '../plan/render-json.js';
import type { Plan } from '../model/resource-model.js';
import type { WalkReport } from '../apply/events.js';
import { collectAnswers, type AnswerRecord } from '../wizard/ask.js';
import { cloudDiscovery } from '../wizard/discovery.js';
import type { Prompter } from '../wizard/prompter.js';
import type { WizardHints } from '../wizard/questions.js';
import { finalSummary, renderAnswers, renderFinalSummary, type FinalSummary } from '../wizard/summary.js';
import { createOutput, type Output } from '../ui/output.js';
import { renderPlanForHumans } from '../ui/plan-view.js';
import { withSpinner } from '../ui/spinner.js';
import { walkReportJson } from '../ui/walk-view.js';
import { isInteractive } from './common-options.js';
import { readSpecInput, validateInput } from './load-spec.js';
import type { CloudSession } from './cloud-session.js';
import { checkVerifyFlags } from './verify-flags.js';

export type InitOptions = CommonOptions & {
  apply: boolean;
  verify: boolean;
  concurrency: number;
  wait?: string;
  dnsServer?: string;
  waitCertificates?: string;
  allowDisruption?: boolean;
  /** Ask the advanced path's questions too. */
  advanced?: boolean;
} & Record<string, unknown>;

export type InitFlowOptions = Pick<InitOptions, 'yes' | 'emulator' | 'format' | 'apply' | 'verify' | 'concurrency' | 'wait' | 'dnsServer' | 'waitCertificates' | 'allowDisruption'>;

/** Opens one Cloud session on first use and keeps it; a different project gets a new one. */
export interface SessionHolder {
  open(project: string): Promise<CloudSession>;
  close(): Promise<void>;
}

export function sessionHolder(output: Output, embeddedEmulator: boolean): SessionHolder {
  let current: { project: string; session: Promise<CloudSession> } | undefined;
  return {
    async open(project) {
      if (current && current.project !== project) {
        const old = current.session;
        current = undefined;
        await (await old).close();
      }
      if (!current) {
        const text = embeddedEmulator ? 'Starting the embedded emulator' : `Connecting to ${process.env.SERVERLESS_LB_EMULATOR_HOST ? `the emulator at ${process.env.SERVERLESS_LB_EMULATOR_HOST}` : 'Google Cloud'}`;
        const session = withSpinner(output, text, async () => {
          const { openCloudSession } = await import('./cloud-session.js');
          return openCloudSession({ project, embeddedEmulator });
        });
        current = { project, session };
        session.catch(() => {
          if (current?.session === session) current = undefined;
        });
      }
      return current.session;
    },
    async close() {
      const session = current?.session;
      current = undefined;
      if (session) await (await session.catch(() => undefined))?.close();
    },
  };
}

export interface InitFlowParams {
  output: Output;
  options: InitFlowOptions;
  interactive: boolean;
  /** The config's and the flags' values merged. */
  given: SpecInputPatch;
  flags?: SpecInputPatch;
  config?: { input: unknown; path: string };
  /** Where the answers are written. */
  configPath: string;
  prompter?: Prompter;
  suggested?: SpecInputPatch;
  /** Who gave `given` values that are neither flags nor config (shown in echoes). */
  origin?: string;
  hints: WizardHints;
  sessions: SessionHolder;
  /** Leave the verify/status/teardown commands out of the final summary (the demo prints its own). */
  hideCommands?: boolean;
  /** The confirmation defaults to yes (the demo: its emulator is thrown away). */
  confirmDefault?: boolean;
}

export interface InitFlowResult {
  spec: Spec;
  input: SpecInputPatch;
  answers: AnswerRecord[];
  configPath: string;
  plan?: Plan;
  report?: WalkReport;
  verify?: { ok: boolean; checks: unknown[] };
  summary?: FinalSummary;
  /** The plan had changes and the confirmation said no. */
  cancelled: boolean;
}

export async function initFlow(params: InitFlowParams): Promise<InitFlowResult> {
  const { output, options, sessions } = params;
  if (options.apply && options.verify) checkVerifyFlags(options);
  const io = nodeSpecIo();
  const collected = await collectAnswers({
    given: params.given,
    ...(params.flags ? { flags: params.flags } : {}),
    ...(params.config ? { config: params.config } : {}),
    ...(params.prompter ? { prompter: params.prompter } : {}),
    ...(params.suggested ? { suggested: params.suggested } : {}),
    ...(params.origin ? { origin: params.origin } : {}),
    hints: params.hints,
    io,
    say: (line) => output.info(line),
    spin: (text, work) => withSpinner(output, text, work),
    discovery: async (answers) => {
      if (!answers.project) return undefined;
      const session = await sessions.open(answers.project);
      return cloudDiscovery(session.cloud);
    },
  });
  const { spec, warnings } = validateInput(collected.input);
  output.info('');
  output.info(renderAnswers(collected.answers, output.color));
  for (const warning of warnings) output.warn(formatProblem(warning));

  // Paths typed or given as flags are relative to the current directory; the config stores them
  // relative to itself.
  // The keys follow the registry's order, so the same answers give the same file however they came.
  const toWrite = orderKeys(resolveFileReferences(collected.input, process.cwd()) as SpecInputPatch, SPEC_FIELDS.map((f) => f.key));
  writeConfigFile(params.configPath, toWrite, undefined, packageFile(CONFIG_SCHEMA_FILE));
  output.info(`Wrote the equivalent config to ${params.configPath} (docs/config.md explains every key).`);

  const base = { spec, input: collected.input, answers: collected.answers, configPath: params.configPath };
  if (!options.apply) {
    const plan = offlinePlan(spec);
    if (options.format !== 'json') {
      output.result(renderPlanForHumans(plan, output, process.stdout.columns));
      output.info(`Not applied. Apply it with: npx serverless-lb apply${params.configPath === 'serverless-lb.yaml' ? '' : ` -c ${params.configPath}`}`);
    }
    return { ...base, plan, cancelled: false };
  }

  const session = await sessions.open(spec.project);
  const { runApply } = await import('./run-apply.js');
  const applied = await runApply(spec, options, output, { interactive: params.interactive, session, showPlan: true, emitJson: false, ...(params.confirmDefault ? { confirmDefault: true } : {}) });
  const changes = applied.plan.steps.some((s) => s.action !== 'noop');
  if (changes && !applied.report) {
    output.info(`The config is in ${params.configPath}: run \`npx serverless-lb apply${params.configPath === 'serverless-lb.yaml' ? '' : ` -c ${params.configPath}`}\` when you are ready.`);
    return { ...base, plan: applied.plan, cancelled: true };
  }

  const { buildDesiredGraph } = await import('../plan/build-graph.js');
  const { readCurrentState } = await import('../cloud/read-state.js');
  const { addressesOf } = await import('./run-status.js');
  const observed = await readCurrentState(buildDesiredGraph(spec), session.cloud);
  const certificate = (applied.verify?.checks as Array<{ id?: string; ok?: boolean }> | undefined)?.find((c) => c.id === 'certificate');
  const summary = finalSummary(spec, addressesOf(observed.values()), params.configPath, {
    ...(certificate?.ok ? { certificateActive: true } : {}),
    ...(session.emulatorHost ? { emulatorHost: session.emulatorHost } : {}),
    ...(session.emulator ? { embeddedEmulator: true } : {}),
    ...(params.hideCommands ? { hideCommands: true } : {}),
  });
  if (options.format !== 'json') output.result(renderFinalSummary(summary, output.color));
  if (options.format !== 'json' && session.emulatorHost && !session.emulator && !params.hideCommands && summary.addresses.length > 0) {
    // A running emulator: the requests a user would curl, made through its data plane, with the curl lines.
    const { tryTheUrls, renderTries } = await import('./emulator-tries.js');
    const { tries } = await tryTheUrls(`http://${session.emulatorHost}`, spec, summary.addresses, mkdtempSync(join(tmpdir(), 'serverless-lb-emulator-')));
    output.result(renderTries(tries, output.color, true));
  }
  return {
    ...base,
    plan: applied.plan,
    ...(applied.report ? { report: applied.report } : {}),
    ...(applied.verify ? { verify: applied.verify } : {}),
    summary,
    cancelled: false,
  };
}

/** The JSON document `init --format json` prints. */
export function initResultJson(result: InitFlowResult): Record<string, unknown> {
  return {
    ok: !result.cancelled && (result.report?.ok ?? true) && (result.verify?.ok ?? true),
    ...(result.cancelled ? { cancelled: true } : {}),
    config: result.configPath,
    answers: result.answers,
    ...(result.plan ? { plan: planToJson(result.plan) } : {}),
    ...(result.report ? { apply: walkReportJson(result.report) } : {}),
    ...(result.verify ? { verify: result.verify } : {}),
    ...(result.summary
      ? {
          addresses: result.summary.addresses,
          urls: result.summary.urls,
          dnsRecords: result.summary.dnsRecords,
          ...(result.summary.dnsZone ? { dnsZone: result.summary.dnsZone } : {}),
          commands: result.summary.commands,
        }
      : {}),
  };
}

/** What the environment says the project is (the project question's default), and which variable says it. */
function environmentProject(env: NodeJS.ProcessEnv): { project: string; from: string } | undefined {
  for (const name of ['CLOUDSDK_CORE_PROJECT', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT']) {
    const project = env[name];
    if (project) return { project, from: name };
  }
  return undefined;
}

export interface RunInitDeps {
  prompter?: Prompter;
  env?: NodeJS.ProcessEnv;
}

export async function runInit(command: Command, options: InitOptions, deps: RunInitDeps = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const output = createOutput({ format: options.format, color: options.color, env });
  const interactive = deps.prompter !== undefined || isInteractive(options, env);
  // The environment's project is the project question's default, not an answer: read without it.
  const { input: given, configPath: readPath } = readSpecInput(command, options, {}, { mayCreate: true });
  const flags = specInputFromFlags(options).input;
  const read = readPath ? readConfigFile(readPath) : undefined;
  const configPath = String(options.config ?? 'serverless-lb.yaml');
  const emulatorInUse = options.emulator || Boolean(env.SERVERLESS_LB_EMULATOR_HOST);

  const hints: WizardHints = { emulator: emulatorInUse, ...(options.advanced ? { advanced: true } : {}) };
  const fromEnvironment = environmentProject(env);
  const projectDefault = fromEnvironment?.project ?? (options.emulator ? 'demo-project' : undefined);
  if (projectDefault) hints.projectDefault = projectDefault;
  if (fromEnvironment) hints.projectDefaultFrom = fromEnvironment.from;
  if (interactive && !projectDefault && given.project === undefined && !emulatorInUse) {
    try {
      const { resolveProject } = await import('../cloud/google-cloud.js');
      hints.projectSuggestion = await resolveProject(undefined, env, true);
    } catch {
      // no gcloud project: the question has no suggestion
    }
  }

  // --no-color reaches the prompts and spinners too (their color libraries read NO_COLOR when loaded).
  if (options.color === false) process.env.NO_COLOR = '1';
  let prompter = deps.prompter;
  if (interactive && !prompter) {
    const { createInquirerPrompter } = await import('../wizard/inquirer-prompter.js');
    prompter = createInquirerPrompter({ say: (line) => output.info(line) });
  }
  if (interactive) {
    output.info(output.color.bold('serverless-lb init') + ': a few questions, then the plan. Nothing changes until you confirm; Ctrl-C quits.');
    output.info(output.color.dim('Every question has a flag and a config key (docs/config.md); answers given that way are not asked.'));
  }

  const sessions = sessionHolder(output, options.emulator);
  try {
    const result = await initFlow({
      output,
      options,
      interactive,
      given,
      flags,
      ...(read?.ok ? { config: { input: read.input, path: read.path } } : {}),
      configPath,
      ...(prompter ? { prompter } : {}),
      hints,
      sessions,
    });
    if (options.format === 'json') output.json(initResultJson(result));
    if (emulatorInUse && options.emulator && result.report) {
      output.info(output.color.dim('The embedded emulator stops with this command. To keep one running: `npx serverless-lb emulator`, then SERVERLESS_LB_EMULATOR_HOST=127.0.0.1:PORT.'));
    }
  } finally {
    await sessions.close();
  }
}
