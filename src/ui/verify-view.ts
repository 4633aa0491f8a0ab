/**
 * Draws verification: progress while checks poll (an ora spinner on terminals naming the phase,
 * the attempt, the elapsed and remaining time; a line per retry in plain mode; JSON lines on stderr
 * in json mode) and the final report (✔/✖/– per check with its detail, items and hints; the DNS
 * records to create). The JSON twin of the report is src/verify/report.ts reportJson.
 */
import type { Ora } from 'ora';
import type { VerifyEvent } from '../verify/verify.js';
import type { VerifyReport } from '../verify/report.js';
import { formatDuration, type Output } from './output.js';
import { spinnerStarter } from './spinner.js';

export interface VerifyView {
  onEvent(event: VerifyEvent): void;
  stop(): void;
}

const PHASE_WORDS: Record<string, string> = { dns: 'DNS', certificate: 'certificate', http: 'HTTP(S) through the load balancer', ingress: 'Cloud Run ingress' };

export async function createVerifyView(output: Output): Promise<VerifyView> {
  const startSpinner = await spinnerStarter(output);
  let spinner: Ora | undefined;
  return {
    onEvent(event) {
      if (output.mode === 'json') {
        output.event(event);
        return;
      }
      switch (event.type) {
        case 'verify-start': {
          const wait = event.waitMs > 0 ? `, waiting up to ${formatDuration(event.waitMs)} for DNS, certificates and HTTP(S) to settle` : '';
          output.info(`Verifying through ${event.network} (DNS: ${event.resolver})${wait}...`);
          if (startSpinner) spinner = startSpinner('Verifying');
          break;
        }
        case 'verify-attempt': {
          if (!event.willRetry) break;
          const text = `Waiting for ${PHASE_WORDS[event.phase] ?? event.phase}: attempt ${event.attempt}, ${formatDuration(event.elapsedMs)} elapsed, ${formatDuration(event.remainingMs)} left (${event.detail})`;
          if (spinner) spinner.text = text.length > 160 ? `${text.slice(0, 157)}...` : text;
          else output.info(`  ${text}`);
          break;
        }
        case 'verify-check':
          if (spinner) spinner.text = `Verifying: ${event.id} ${event.ok ? 'done' : 'failed'} (${formatDuration(event.elapsedMs)})`;
          break;
        case 'verify-done':
          spinner?.stop();
          spinner = undefined;
          break;
      }
    },
    stop() {
      spinner?.stop();
      spinner = undefined;
    },
  };
}

/** The report for humans (stdout). */
export function renderVerifyReport(report: VerifyReport, output: Pick<Output, 'color'>): string {
  const { color } = output;
  const width = Math.max(...report.checks.map((c) => c.id.length), 5);
  const lines: string[] = [`Verification (${formatDuration(report.elapsedMs)}):`];
  for (const c of report.checks) {
    const mark = c.status === 'skipped' ? color.yellow('–') : c.ok ? color.green('✔') : color.red('✖');
    lines.push(`  ${mark} ${c.id.padEnd(width)}  ${c.detail}`);
    for (const item of c.items ?? []) {
      const m = item.ok ? color.green('✔') : color.red('✖');
      lines.push(`      ${m} ${item.name}: ${item.ok ? color.dim(item.detail) : item.detail}`);
      if (!item.ok && item.hint && item.hint !== c.hint) lines.push(`          ${color.cyan('→')} ${item.hint}`);
    }
    if (c.hint && (!c.ok || c.status === 'skipped')) lines.push(`    ${color.cyan('Hint:')} ${c.hint}`);
    if (c.records && c.records.length > 0) {
      lines.push(`    Records to create:`);
      for (const r of c.records) lines.push(`      ${r}`);
    }
  }
  const failedChecks = report.checks.filter((c) => !c.ok);
  const skippedChecks = report.checks.filter((c) => c.status === 'skipped');
  const tail = skippedChecks.length ? ` (${skippedChecks.length} skipped: ${skippedChecks.map((c) => c.id).join(', ')})` : '';
  lines.push(
    failedChecks.length === 0
      ? color.green(`All checks passed${tail}.`)
      : color.red(`${failedChecks.length} of ${report.checks.length} checks failed: ${failedChecks.map((c) => c.id).join(', ')}${tail}.`),
  );
  return lines.join('\n');
}
