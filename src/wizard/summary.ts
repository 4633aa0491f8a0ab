/**
 * What the wizard shows around the plan: the summary of the answers (with where each came from),
 * and the final summary once the load balancer exists: its address, the URLs to try, the DNS
 * records to create, and the commands to verify and tear down. Pure: text and data from data.
 */
import type { ChalkInstance } from 'chalk';
import type { Spec } from '../spec/schema.js';
import { isInternalType, listeners } from '../spec/derive.js';
import type { AnswerRecord } from './ask.js';

export function renderAnswers(answers: readonly AnswerRecord[], color: ChalkInstance): string {
  const width = Math.max(...answers.map((a) => a.label.length), 0);
  const lines = answers.map((a) => {
    const where = a.from ? `from ${a.from}` : a.source === 'default' ? 'default' : a.source === 'environment' ? 'from the environment' : '';
    return `  ${a.label.padEnd(width)}  ${a.value}${where ? color.dim(`  (${where})`) : ''}`;
  });
  return ['Your answers:', ...lines].join('\n');
}

/** One frontend address of the load balancer (a forwarding rule). */
export interface FrontendAddress {
  address: string;
  ports: string;
  protocol: 'HTTP' | 'HTTPS';
}

export interface FinalSummary {
  name: string;
  project: string;
  addresses: FrontendAddress[];
  /** URLs to try once DNS points at the load balancer. */
  urls: string[];
  /** curl commands that work before DNS does (they pin the name to the address); none on an emulator. */
  curl: string[];
  /** Records to create (empty when serverless-lb manages them in dns.managedZone). */
  dnsRecords: { name: string; type: 'A' | 'AAAA'; value: string }[];
  /** Where serverless-lb created the records, when it did. */
  dnsZone?: string;
  /** The commands to verify, inspect and remove it; absent when the caller prints its own next steps. */
  commands?: { verify: string; status: string; teardown: string };
  notes: string[];
}

/** What the final summary knows beyond the Spec and the addresses. */
export interface SummaryContext {
  /** verify found the Google-managed certificate ACTIVE: no need to explain the wait. */
  certificateActive?: boolean;
  /** `HOST:PORT` of the emulator the load balancer lives in (the commands need it too). */
  emulatorHost?: string;
  /** The emulator was started for this one command and stops with it. */
  embeddedEmulator?: boolean;
  /** Leave the commands out (the demo prints its own next steps). */
  hideCommands?: boolean;
}

function firstPort(ports: string): number | undefined {
  const n = Number(ports.split(/[-,]/)[0]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function finalSummary(spec: Spec, addresses: readonly FrontendAddress[], configPath: string, context: SummaryContext = {}): FinalSummary {
  const main = listeners(spec).find((l) => !l.redirectToHttps) ?? listeners(spec)[0];
  const scheme = main?.protocol === 'HTTPS' ? 'https' : 'http';
  const port = main?.port ?? (scheme === 'https' ? 443 : 80);
  const address = addresses.find((a) => a.protocol === (scheme === 'https' ? 'HTTPS' : 'HTTP') && firstPort(a.ports) === port)?.address ?? addresses[0]?.address ?? '';
  const hosts = spec.frontend.domains.filter((d) => !d.startsWith('*.'));
  const suffix = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80) ? '' : `:${port}`;
  const urls = hosts.length > 0 ? hosts.map((h) => `${scheme}://${h}${suffix}/`) : address ? [`${scheme}://${address.includes(':') ? `[${address}]` : address}${suffix}/`] : [];
  // On an emulator the addresses are not routable from here: its data plane is tried instead (emulator-tries.ts).
  const curl = address && !context.emulatorHost
    ? hosts.length > 0
      ? hosts.map((h) => `curl --resolve ${h}:${port}:${address.includes(':') ? `[${address}]` : address} ${scheme}://${h}${suffix}/`)
      : [`curl ${scheme === 'https' ? '-k ' : ''}${urls[0]}`]
    : [];
  const type: 'A' | 'AAAA' = address.includes(':') ? 'AAAA' : 'A';
  const dnsRecords = spec.dns || !address ? [] : spec.frontend.domains.map((d) => ({ name: `${d}.`, type, value: address }));
  const config = configPath === 'serverless-lb.yaml' ? '' : ` -c ${configPath}`;
  const notes: string[] = [];
  if (isInternalType(spec.type)) notes.push(`The address is internal: try it from a VM or a connector inside VPC network ${spec.frontend.network?.network ?? 'default'}${spec.type === 'regional-internal' ? ` in ${spec.region}` : ''}.`);
  if (spec.certificate?.type === 'managed' && spec.frontend.protocol !== 'http' && !context.certificateActive) {
    notes.push('The Google-managed certificate becomes ACTIVE once every domain resolves to the address; Google may take up to an hour.');
  }
  if (context.embeddedEmulator && !context.hideCommands) {
    notes.push('The embedded emulator stops with this command. To keep working with a load balancer on the emulator, run `npx serverless-lb emulator` and point commands at it with SERVERLESS_LB_EMULATOR_HOST.');
  }
  const env = context.emulatorHost && !context.embeddedEmulator ? `SERVERLESS_LB_EMULATOR_HOST=${context.emulatorHost} ` : '';
  return {
    name: spec.name,
    project: spec.project,
    addresses: [...addresses],
    urls,
    curl,
    dnsRecords,
    ...(spec.dns ? { dnsZone: spec.dns.managedZone } : {}),
    ...(context.hideCommands || context.embeddedEmulator
      ? {}
      : {
          commands: {
            verify: `${env}npx serverless-lb verify${config}`,
            status: `${env}npx serverless-lb status${config}`,
            teardown: `${env}npx serverless-lb teardown${config}`,
          },
        }),
    notes,
  };
}

export function renderFinalSummary(summary: FinalSummary, color: ChalkInstance): string {
  const lines: string[] = [color.green(`Load balancer ${summary.name} is in place in project ${summary.project}.`)];
  const byAddress = new Map<string, string[]>();
  for (const a of summary.addresses) {
    const [from, to] = a.ports.split('-');
    byAddress.set(a.address, [...(byAddress.get(a.address) ?? []), `${a.protocol} ${from === to || to === undefined ? from : a.ports}`]);
  }
  for (const [address, ports] of byAddress) lines.push(`  Address   ${color.bold(address)}  (${ports.join(', ')})`);
  if (summary.urls.length > 0) lines.push(`  Try       ${summary.urls.join('  ')}`);
  if (summary.curl.length > 0) {
    lines.push('  Before DNS points at it:');
    for (const c of summary.curl) lines.push(`            ${c}`);
  }
  if (summary.dnsZone) lines.push(`  DNS       records created in Cloud DNS zone ${summary.dnsZone}`);
  else if (summary.dnsRecords.length > 0) {
    lines.push('  DNS       create these records at your DNS provider:');
    for (const r of summary.dnsRecords) lines.push(`            ${r.name}  ${r.type}  ${r.value}`);
  }
  for (const note of summary.notes) lines.push(`  Note      ${note}`);
  if (summary.commands) {
    lines.push(`  Check     ${summary.commands.verify}`);
    lines.push(`  Status    ${summary.commands.status}`);
    lines.push(`  Remove    ${summary.commands.teardown}`);
  }
  return lines.join('\n');
}
