/** `serverless-lb emulator`: runs the local Google Cloud emulator in the foreground. */
import { Command, InvalidArgumentError } from 'commander';

export function parseNonNegativeInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}".`);
    return Number(value);
  };
}

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('run the local Google Cloud emulator (Compute, Cloud Run, Cloud DNS APIs, loopback data plane, DNS) in the foreground')
    .option('--port <n>', 'API port on 127.0.0.1 (0 picks a free one)', parseNonNegativeInt('--port'), 8089)
    .option('--seed <file>', 'seed file (JSON or YAML) with Cloud Run services etc.; default: the built-in demo seed')
    .option('--op-latency-ms <n>', 'how long each operation stays RUNNING', parseNonNegativeInt('--op-latency-ms'), 200)
    .option('--faults <file>', 'fault plan (JSON or YAML): which calls fail, how, how often')
    .action(async (options: { port: number; seed?: string; opLatencyMs: number; faults?: string }) => {
      const { runEmulatorForeground } = await import('../emulator/foreground.js');
      await runEmulatorForeground({ port: options.port, seed: options.seed, opLatencyMs: options.opLatencyMs, faults: options.faults });
    });
}
