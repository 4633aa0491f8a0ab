/**
 * The verify flow shared by `verify` and `apply` (and through it `init` and `demo`): read the
 * observed state, build the verification target, choose the network (the Internet, or the
 * emulator's data plane when an emulator is in use), run the checks with progress. Loaded lazily.
 */
import { readFileSync } from 'node:fs';
import { buildDesiredGraph } from '../plan/build-graph.js';
import type { Spec } from '../spec/schema.js';
import { readCurrentState } from '../cloud/read-state.js';
import { InterruptedError } from '../errors.js';
import type { Output } from '../ui/output.js';
import { createVerifyView, renderVerifyReport } from '../ui/verify-view.js';
import { systemNetwork, withClientCertificate, withTrustedCas, type Network } from '../verify/network.js';
import { emulatorNetwork } from '../verify/emulator-network.js';
import { parseDuration } from '../verify/poll.js';
import { reportJson, type VerifyReport } from '../verify/report.js';
import { buildVerifyTarget } from '../verify/target.js';
import { DEFAULT_WAIT_AFTER_APPLY_EMULATOR_MS, DEFAULT_WAIT_AFTER_APPLY_MS, runVerification } from '../verify/verify.js';
import type { CloudSession } from './cloud-session.js';
import { abortOnSigint } from './interrupt.js';
import { checkVerifyFlags } from './verify-flags.js';

export interface VerifyFlowOptions {
  /** `--wait` as typed; default: 0 for `verify`, a short wait after apply. */
  wait?: string;
  dnsServer?: string;
  /** The client key pair HTTPS requests present where a listener asks for one (mutual TLS). */
  clientCert?: string;
  clientKey?: string;
  /** Right after apply: use the after-apply default wait. */
  afterApply?: boolean;
}

/** Milliseconds to wait, from `--wait` or the default for this situation. */
export function waitMsOf(options: VerifyFlowOptions, emulator: boolean): number {
  checkVerifyFlags(options);
  if (options.wait !== undefined) return parseDuration(options.wait);
  if (!options.afterApply) return 0;
  return emulator ? DEFAULT_WAIT_AFTER_APPLY_EMULATOR_MS : DEFAULT_WAIT_AFTER_APPLY_MS;
}

async function networkFor(session: CloudSession, dnsServer: string | undefined): Promise<Network> {
  checkVerifyFlags({ dnsServer });
  if (session.emulatorHost) return emulatorNetwork(session.emulatorHost, dnsServer ? { dnsServer } : {});
  return systemNetwork(dnsServer ? { dnsServer } : {});
}

/** Certificates to trust besides the network's: a self-managed certificate may be self-signed. */
function selfManagedPems(spec: Spec): string[] {
  if (spec.certificate?.type !== 'self-managed') return [];
  try {
    return [readFileSync(spec.certificate.certificateFile, 'utf8')];
  } catch {
    return [];
  }
}

/** The key pair of `--client-cert` / `--client-key`, read; undefined without them. */
export function clientKeyPair(options: Pick<VerifyFlowOptions, 'clientCert' | 'clientKey'>): { cert: string; key: string } | undefined {
  checkVerifyFlags(options);
  if (options.clientCert === undefined || options.clientKey === undefined) return undefined;
  return { cert: readFileSync(options.clientCert, 'utf8'), key: readFileSync(options.clientKey, 'utf8') };
}

export async function runVerifyFlow(spec: Spec, session: CloudSession, options: VerifyFlowOptions, output: Output): Promise<VerifyReport> {
  const waitMs = waitMsOf(options, session.emulatorHost !== undefined);
  const network = withClientCertificate(withTrustedCas(await networkFor(session, options.dnsServer), selfManagedPems(spec)), clientKeyPair(options));
  const graph = buildDesiredGraph(spec);
  const observed = await readCurrentState(graph, session.cloud);
  const target = buildVerifyTarget(spec, graph, observed);
  const view = await createVerifyView(output);
  const interrupt = abortOnSigint();
  try {
    const report = await runVerification(target, { cloud: session.cloud, network, signal: interrupt.signal, onEvent: (e) => view.onEvent(e) }, { waitMs });
    if (interrupt.signal.aborted) throw new InterruptedError('Interrupted: verification stopped (nothing was changed).');
    return report;
  } finally {
    view.stop();
    interrupt.dispose();
  }
}

/** `serverless-lb verify`: opens a session, verifies, prints the report; exit 1 when a check fails. */
export async function runVerifyCommand(spec: Spec, options: { emulator: boolean; format: string; wait?: string; dnsServer?: string; clientCert?: string; clientKey?: string }, output: Output): Promise<VerifyReport> {
  const { openCloudSession } = await import('./cloud-session.js');
  const session = await openCloudSession({ project: spec.project, embeddedEmulator: options.emulator });
  try {
    const report = await runVerifyFlow(spec, session, verifyFlowOptions(options), output);
    showVerifyReport(report, output);
    // Exit 1 without a second JSON document (docs/cli.md: a verification check failed).
    if (!report.ok) process.exitCode = 1;
    return report;
  } finally {
    await session.close();
  }
}

/** The verify flow's options from a command's flags. */
export function verifyFlowOptions(options: { wait?: string | undefined; dnsServer?: string | undefined; clientCert?: string | undefined; clientKey?: string | undefined }): VerifyFlowOptions {
  return {
    ...(options.wait !== undefined ? { wait: options.wait } : {}),
    ...(options.dnsServer !== undefined ? { dnsServer: options.dnsServer } : {}),
    ...(options.clientCert !== undefined ? { clientCert: options.clientCert } : {}),
    ...(options.clientKey !== undefined ? { clientKey: options.clientKey } : {}),
  };
}

/** Prints the report: JSON on stdout with --format json, else the human view. */
export function showVerifyReport(report: VerifyReport, output: Output): void {
  if (output.mode === 'json') output.json(reportJson(report));
  else output.result(renderVerifyReport(report, output));
}
