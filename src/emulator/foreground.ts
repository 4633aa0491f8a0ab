/**
 * `serverless-lb emulator`: runs the emulator until SIGINT/SIGTERM, after printing (to stderr) how to
 * point the tool, gcloud and curl at it. Resolves once the emulator has stopped.
 */
import type { EmulatorOptions } from './core/context.js';
import { startEmulator, type RunningEmulator } from './server.js';
import { gcloudSetup, SERVED_APIS } from './served-apis.js';

export interface ForegroundOptions extends EmulatorOptions {
  /** Where the instructions go; default process.stderr. */
  out?: NodeJS.WritableStream;
  /** Resolves to stop the emulator (besides the signals); for tests. */
  stopWhen?: Promise<unknown>;
  /** Called once the emulator listens. */
  onStarted?: (emulator: RunningEmulator) => void;
}

export function usageText(emulator: RunningEmulator): string {
  const hostPort = emulator.ctx.hosts['http'] ?? `${emulator.host}:${emulator.port}`;
  const lines = [
    `Google Cloud emulator listening on ${emulator.url}`,
    '',
    'Point serverless-lb at it:',
    `  export SERVERLESS_LB_EMULATOR_HOST=${hostPort}`,
    '',
    'It serves:',
    ...SERVED_APIS.map((a) => `  ${a.api}: ${a.paths}`),
    '',
    'Point gcloud at it (a throwaway configuration; gcloud run prefixes the region to the Cloud Run host, so the emulator is its proxy too):',
    ...gcloudSetup(emulator.url).map((line) => `  ${line}`),
    '',
    'Or curl it:',
    `  curl ${emulator.url}/compute/v1/projects/demo-project/regions`,
    `  curl ${emulator.url}/_emulator/          # emulator-only endpoints (request log, reset, faults, ...)`,
  ];
  const others = Object.entries(emulator.ctx.hosts).filter(([name]) => name !== 'http');
  if (others.length) {
    lines.push('', 'Other endpoints:');
    for (const [name, addr] of others) lines.push(`  ${name}: ${addr}`);
  }
  lines.push('', 'Stop with Ctrl-C.');
  return lines.join('\n') + '\n';
}

export async function runEmulatorForeground(options: ForegroundOptions = {}): Promise<void> {
  const { out = process.stderr, stopWhen, onStarted, ...emulatorOptions } = options;
  const emulator = await startEmulator(emulatorOptions);
  out.write(usageText(emulator));
  onStarted?.(emulator);
  await new Promise<void>((resolve) => {
    const stop = (signal?: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (signal) out.write(`\nReceived ${signal}, stopping the emulator.\n`);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    void stopWhen?.then(() => stop());
  });
  await emulator.close();
}
