/**
 * The demo: start the embedded emulator (built-in demo seed), answer init (on a terminal, the
 * questions with the recommended answers offered; otherwise the recommended answers themselves),
 * apply, verify, try the URLs through the emulator's loopback data plane and print curl commands that
 * do the same, then tear down (or, with --keep, leave everything running until Ctrl-C).
 * Exit 0 only when apply, verify, the tries and teardown all succeed.
 */
import type { OutputFormat } from './common-options.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpecInputPatch } from '../spec/from-flags.js';
import { createOutput, formatDuration } from '../ui/output.js';
import { withSpinner } from '../ui/spinner.js';
import { walkReportJson } from '../ui/walk-view.js';
import { isInteractive } from './common-options.js';
import { initFlow, initResultJson, sessionHolder } from './run-init.js';
import { StepsFailedError } from '../errors.js';
import { packageFile } from './package-files.js';
import { renderTries, tryTheUrls } from './emulator-tries.js';

export interface DemoOptions {
  keep: boolean;
  yes: boolean;
  format: OutputFormat;
  color: boolean;
  verbose: boolean;
}

export const DEMO_PROJECT = 'demo-project';

/** The recommended answers against the built-in seed (SEED.md): what the demo applies unattended. */
export const DEMO_ANSWERS: SpecInputPatch = {
  name: 'demo-lb',
  project: DEMO_PROJECT,
  type: 'global-external',
  region: 'europe-west1',
  backends: [
    { name: 'web', cloudRun: { service: 'web' } },
    { name: 'api', cloudRun: { service: 'api' } },
  ],
  routing: { defaultBackend: 'web', hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }] },
  frontend: { protocol: 'https-redirect', domains: ['www.example.com', 'api.example.com'] },
  certificate: { type: 'managed' },
  dns: { managedZone: 'example-com' },
};

export async function runDemo(options: DemoOptions): Promise<void> {
  const started = Date.now();
  // --no-color reaches the prompts and spinners too (their color libraries read NO_COLOR when loaded).
  if (options.color === false) process.env.NO_COLOR = '1';
  const output = createOutput({ format: options.format, color: options.color });
  const { color } = output;
  const interactive = isInteractive({ yes: options.yes, format: options.format });
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - t0;
    }
  };

  output.info(color.bold('serverless-lb demo') + ': the whole lifecycle against a local emulator of Google Cloud, with no account:');
  output.info('  answers -> config -> plan -> apply -> verify -> try the URLs -> teardown');
  const dir = mkdtempSync(join(tmpdir(), 'serverless-lb-demo-'));
  const configPath = join(dir, 'serverless-lb.yaml');
  const sessions = sessionHolder(output, true);
  try {
    const session = await phase('emulator', () => sessions.open(DEMO_PROJECT));
    output.info(`Emulator: ${session.emulator?.url ?? session.emulatorHost} (project ${DEMO_PROJECT}: Cloud Run services web, api, static, admin in europe-west1; Cloud DNS zone example-com)`);
    if (interactive) output.info(color.dim('Each question offers the recommended answer: press Enter to take it, and Enter at the end applies it to the emulator. Ctrl-C quits.'));

    const prompter = interactive ? (await import('../wizard/inquirer-prompter.js')).createInquirerPrompter({ say: (line) => output.info(line) }) : undefined;
    const result = await phase('init', () =>
      initFlow({
        output,
        options: { yes: !interactive, emulator: true, format: options.format, apply: true, verify: true, concurrency: 8 },
        interactive,
        given: interactive ? { project: DEMO_PROJECT } : structuredClone(DEMO_ANSWERS),
        ...(interactive ? { suggested: DEMO_ANSWERS } : {}),
        configPath,
        origin: 'the demo',
        hints: { emulator: true, projectDefault: DEMO_PROJECT },
        ...(prompter ? { prompter } : {}),
        sessions,
        hideCommands: true,
        confirmDefault: true,
      }),
    );
    if (result.cancelled) {
      output.info('Nothing was applied; the emulator stops now.');
      if (options.format === 'json') output.json({ ...initResultJson(result), timings });
      return;
    }

    const { tries, caPath } = await phase('try', () =>
      withSpinner(output, 'Trying the URLs through the emulator\'s loopback data plane', () => tryTheUrls(session.emulator!.url, result.spec, result.summary?.addresses ?? [], dir)),
    );
    if (options.format !== 'json') output.result(renderTries(tries, color, options.keep));
    const failedTries = tries.filter((t) => !t.ok);

    let teardown: unknown;
    if (options.keep) {
      const host = session.emulatorHost ?? '';
      // Listen before saying so: a Ctrl-C right after the message must not kill the process.
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      // Each command names the emulator itself: it works pasted alone, in any terminal.
      const cli = `SERVERLESS_LB_EMULATOR_HOST=${host} npx serverless-lb`;
      output.result(
        [
          '',
          color.bold('The emulator keeps running') + ` at ${session.emulator?.url}.`,
          'In another terminal:',
          `  cd ${packageFile('.').replace(/\/$/, '')}`,
          `  ${cli} status -c ${configPath}`,
          `  ${cli} verify -c ${configPath}`,
          `  ${cli} plan -c ${configPath}`,
          `  ${cli} teardown -c ${configPath} --yes`,
          'Press Ctrl-C to stop it.',
        ].join('\n'),
      );
      await stopped;
      output.info('Stopping the emulator.');
    } else {
      const { runTeardown } = await import('./run-teardown.js');
      const { resolvedRegions } = await import('../spec/derive.js');
      const spec = result.spec;
      const report = await phase('teardown', () =>
        runTeardown(
          { lbName: spec.name, project: spec.project, regions: resolvedRegions(spec).all, spec, ...(spec.dns ? { dnsZone: spec.dns.managedZone } : {}) },
          { yes: true, emulator: true, format: options.format, concurrency: 8 },
          output,
          { interactive: false, session, emitJson: false },
        ),
      );
      teardown = report ? walkReportJson(report) : undefined;
    }

    const total = Date.now() - started;
    const ok = failedTries.length === 0 && (result.verify?.ok ?? true) && (result.report?.ok ?? true);
    if (options.format === 'json') {
      output.json({ ...initResultJson(result), ok, tries, caCertificate: caPath, ...(teardown ? { teardown } : {}), timings: { ...timings, total } });
    } else {
      const parts = Object.entries(timings).map(([name, ms]) => `${name} ${formatDuration(ms)}`).join(', ');
      output.info('');
      output.info((ok ? color.green('Demo complete') : color.red('Demo finished with failures')) + ` in ${formatDuration(total)} (${parts}).`);
      if (ok) {
        output.info(`The answers became ${configPath}: the config file init writes (docs/config.md explains every key).`);
        output.info('Next, on your own project: `gcloud auth application-default login`, then `npx serverless-lb init --project YOUR_PROJECT`.');
      }
    }
    if (failedTries.length > 0) {
      throw new StepsFailedError(`${failedTries.length} URL${failedTries.length === 1 ? '' : 's'} did not answer as expected through the load balancer`, {
        details: failedTries.map((t) => `${t.url}: expected ${t.expected}, got ${t.detail}`),
        hint: 'run the demo with --keep (npm run demo -- --keep) and try the curl commands it prints',
      });
    }
  } finally {
    await sessions.close();
  }
}
