/**
 * Opens the Cloud a command talks to: real Google Cloud, a running emulator
 * (SERVERLESS_LB_EMULATOR_HOST), or an embedded emulator started for this one command (--emulator).
 * Everything here is loaded with `await import()` by the commands that need it, so the SDKs and the
 * emulator never load on the help or offline paths.
 */
import type { Cloud } from '../cloud/port.js';
import type { RunningEmulator } from '../emulator/index.js';
import { UsageError } from '../errors.js';

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
  const { createGoogleCloud, parseEmulatorHost } = await import('../cloud/google-cloud.js');
  if (emulatorHost && !emulator) await checkEmulatorHost(emulatorHost, parseEmulatorHost(emulatorHost));
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

const EMULATOR_PROBE_TIMEOUT_MS = 3000;

/**
 * SERVERLESS_LB_EMULATOR_HOST names an emulator this machine must reach: nothing listening there,
 * or something that is not the serverless-lb emulator, is a setting to fix (exit 2), found with
 * one loopback request before any API call (`endpoint`: the value parsed by parseEmulatorHost).
 */
async function checkEmulatorHost(host: string, endpoint: { host: string; port: number }): Promise<void> {
  const problem = (what: string) =>
    new UsageError(`SERVERLESS_LB_EMULATOR_HOST=${host}: ${what}; nothing was changed`, {
      code: 'usage.emulator-host',
      hint: 'start one with `serverless-lb emulator` (it prints the value to set), or unset SERVERLESS_LB_EMULATOR_HOST to talk to Google Cloud',
    });
  let body: unknown;
  try {
    const response = await fetch(`http://${endpoint.host}:${endpoint.port}/_emulator/`, { signal: AbortSignal.timeout(EMULATOR_PROBE_TIMEOUT_MS) });
    body = await response.json().catch(() => undefined);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw problem(`no emulator answers there (${cause})`);
  }
  if (!body || typeof body !== 'object' || !Array.isArray((body as { endpoints?: unknown }).endpoints)) {
    throw problem('what answers there is not the serverless-lb emulator');
  }
}
