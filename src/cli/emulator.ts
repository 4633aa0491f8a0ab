/** `serverless-lb emulator`: runs the local Google Cloud emulator in the foreground. */
import type { Command } from 'commander';
import { parseNonNegativeInt } from './common-options.js';
import { UsageError } from '../errors.js';
import { gcloudSetup, SERVED_APIS } from '../emulator/served-apis.js';

export function defineEmulator(command: Command): void {
  command
    .option('--port <n>', 'API port on 127.0.0.1 (0 picks a free one)', parseNonNegativeInt('--port'), 8089)
    .option('--seed <file>', 'seed file (JSON or YAML) with Cloud Run services etc.; default: the built-in demo seed')
    .option('--op-latency-ms <n>', 'how long each operation stays RUNNING', parseNonNegativeInt('--op-latency-ms'), 200)
    .option('--faults <file>', 'fault plan (JSON or YAML): which calls fail, how, how often')
    .option('--cert-provisioning-ms <n>', 'how long a Google-managed certificate stays PROVISIONING once its DNS is right (Google: 15-60 min)', parseNonNegativeInt('--cert-provisioning-ms'), 0)
    .option('--random-seed <n>', 'seed of generated ids and addresses and of the data plane\'s weighted backend pick (same seed, same run)', parseNonNegativeInt('--random-seed'), 1)
    .addHelpText(
      'after',
      [
        '',
        'APIs served (docs/emulator.md describes each):',
        ...SERVED_APIS.map((a) => `  ${a.api}: ${a.paths}`),
        '  plus a loopback data plane for the load balancers it holds, a DNS server for its Cloud DNS zones, and /_emulator/ endpoints',
        '',
        'Point serverless-lb at it: export SERVERLESS_LB_EMULATOR_HOST=127.0.0.1:PORT',
        'Point gcloud at it:',
        ...gcloudSetup('http://127.0.0.1:8089').map((line) => `  ${line}`),
      ].join('\n'),
    )
    .action(async (options: { port: number; seed?: string; opLatencyMs: number; faults?: string; certProvisioningMs: number; randomSeed: number }) => {
      const { runEmulatorForeground } = await import('../emulator/foreground.js');
      try {
        await runEmulatorForeground({ port: options.port, seed: options.seed, opLatencyMs: options.opLatencyMs, faults: options.faults, certificateProvisioningMs: options.certProvisioningMs, randomSeed: options.randomSeed });
      } catch (error) {
        throw emulatorStartError(error, options);
      }
    });
}

/** Start-up failures caused by the command line (a busy port, a bad seed or fault plan) are usage errors. */
function emulatorStartError(error: unknown, options: { port: number; seed?: string; faults?: string }): unknown {
  const e = error as { code?: string; name?: string; message?: string };
  if (e?.code === 'EADDRINUSE') {
    return new UsageError(`port ${options.port} on 127.0.0.1 is already in use`, {
      code: 'emulator.port-in-use',
      hint: 'choose another with --port N, or --port 0 to pick a free one',
    });
  }
  if (e?.code === 'EACCES') {
    return new UsageError(`not allowed to listen on port ${options.port}`, { code: 'emulator.port-denied', hint: 'use a port above 1023, or --port 0' });
  }
  if (e?.name === 'SeedError') {
    const problems = (error as { problems?: string[] }).problems ?? [];
    return new UsageError(`invalid emulator seed ${options.seed ?? ''}`, {
      code: 'emulator.seed',
      details: problems,
      hint: 'fix the seed file (docs/emulator.md, "Seed file")',
    });
  }
  if (e?.name === 'FaultPlanError') {
    return new UsageError(`invalid fault plan ${options.faults ?? ''}: ${e.message ?? ''}`, { code: 'emulator.faults', hint: 'fix the fault plan (docs/emulator.md, "Fault plans")' });
  }
  return error;
}
