/**
 * Opens the Cloud a command talks to: real Google Cloud, a running emulator
 * (SERVERLESS_LB_EMULATOR_HOST), or an embedded emulator started for this one command (--emulator).
 * Everything here is loaded with `await import()` by the commands that need it, so the SDKs and the
 * emulator never load on the help or offline paths.
 */
import type { Cloud } from '../cloud/port.js';
import type { RunningEmulator } from '../emulator/index.js';

export interface CloudSession {
  cloud: Cloud;
  /** The embedded emulator, when --emulator started one. */
  emulator?: RunningEmulator;
  /** `HOST:PORT` of the emulator in use (embedded or SERVERLESS_LB_EMULATOR_HOST), if any. */
  emulatorHost?: string;
  close(): Promise<void>;
}

export interface OpenCloudOptions {
  project: string;
  /** Start an embedded emulator for this command. */
  embeddedEmulator: boolean;
  /** Operation latency of an embedded emulator. */
  opLatencyMs?: number;
  env?: NodeJS.ProcessEnv;
}

export async function openCloudSession(options: OpenCloudOptions): Promise<CloudSession> {
  const env = options.env ?? process.env;
  let emulator: RunningEmulator | undefined;
  let emulatorHost = env.SERVERLESS_LB_EMULATOR_HOST || undefined;
  if (options.embeddedEmulator) {
    const { startEmulator } = await import('../emulator/index.js');
    emulator = await startEmulator({ port: 0, opLatencyMs: options.opLatencyMs ?? 50 });
    emulatorHost = `127.0.0.1:${emulator.port}`;
  }
  const { createGoogleCloud } = await import('../cloud/google-cloud.js');
  let cloud: Cloud;
  try {
    cloud = await createGoogleCloud({ project: options.project, ...(emulatorHost ? { emulatorHost } : {}), env });
  } catch (error) {
    await emulator?.close();
    throw error;
  }
  return {
    cloud,
    ...(emulator ? { emulator } : {}),
    ...(emulatorHost ? { emulatorHost } : {}),
    async close() {
      await cloud.close();
      await emulator?.close();
    },
  };
}
