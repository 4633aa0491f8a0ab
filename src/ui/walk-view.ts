/**
 * Draws the walker's events (src/apply/events.ts): one line per finished step with its elapsed
 * time; on terminals an ora spinner names the steps running now; in plain mode a line when a step
 * starts; in json mode every event as one JSON line on stderr.
 */
import type { Ora } from 'ora';
import type { WalkEvent, WalkReport } from '../apply/events.js';
import { formatDuration, type Output } from './output.js';
import { spinnerStarter } from './spinner.js';

const OUTCOME_WORD: Record<string, string> = {
  created: 'created',
  updated: 'updated',
  replaced: 'replaced',
  deleted: 'deleted',
  noop: 'unchanged',
  adopted: 'adopted (already there)',
  absent: 'already gone',
};

export interface WalkView {
  onEvent(event: WalkEvent): void;
  /** Stops the spinner (on success, failure or interruption). */
  stop(): void;
}

export async function createWalkView(output: Output, title: string): Promise<WalkView> {
  const { color } = output;
  const startSpinner = await spinnerStarter(output);
  const running = new Map<string, string>();
  let spinner: Ora | undefined;
  let started = 0;

  const label = (e: { kind: string; name: string; scope: string }) => `${e.kind} ${e.name}${e.scope === 'global' ? '' : ` (${e.scope.replace('regions/', '')})`}`;

  const refreshSpinner = () => {
    if (!spinner) return;
    const names = [...running.values()];
    spinner.text = names.length === 0 ? title : `${title}: ${names.length} running: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}`;
  };
  const line = (text: string) => {
    if (spinner) {
      spinner.clear();
      output.stderr.write(text + '\n');
      spinner.render();
    } else {
      output.info(text);
    }
  };

  return {
    onEvent(event) {
      if (output.mode === 'json') {
        output.event(event);
        return;
      }
      switch (event.type) {
        case 'walk-start':
          started = event.total;
          output.info(`${title}: ${event.mutating} change${event.mutating === 1 ? '' : 's'} in ${event.total} step${event.total === 1 ? '' : 's'} (up to ${event.concurrency} at once)`);
          if (startSpinner && event.mutating > 0) spinner = startSpinner(title);
          break;
        case 'step-start':
          running.set(event.stepId, label(event));
          if (output.mode === 'plain' && event.action !== 'noop') output.info(`  ... ${event.action} ${label(event)}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
          refreshSpinner();
          break;
        case 'step-retry':
          line(color.yellow(`  ↻ ${label(event)}: ${event.error.message} (retrying in ${formatDuration(event.delayMs)})`));
          break;
        case 'step-done':
          running.delete(event.stepId);
          if (event.outcome !== 'noop') line(`  ${color.green('✔')} ${label(event)} ${OUTCOME_WORD[event.outcome] ?? event.outcome} ${color.dim(formatDuration(event.elapsedMs))}`);
          refreshSpinner();
          break;
        case 'step-failed':
          running.delete(event.stepId);
          line(`  ${color.red('✖')} ${label(event)} failed after ${formatDuration(event.elapsedMs)}: ${event.error.message}${event.error.hint ? `\n      ${color.dim(event.error.hint)}` : ''}`);
          refreshSpinner();
          break;
        case 'step-skipped':
          line(`  ${color.dim('-')} ${label(event)} skipped (${event.why === 'interrupted' ? 'interrupted' : `depends on ${event.blockedBy ?? 'a failed step'}`})`);
          break;
        case 'walk-interrupted':
          line(color.yellow(`  Interrupted: waiting for ${event.running.length} running step${event.running.length === 1 ? '' : 's'} to finish...`));
          break;
        case 'walk-done':
          spinner?.stop();
          spinner = undefined;
          output.info(
            `${event.ok ? color.green('Done') : event.interrupted ? color.yellow('Interrupted') : color.red('Failed')} in ${formatDuration(event.elapsedMs)}: ` +
              `${event.counts.done}/${started} done` +
              (event.counts.failed ? `, ${event.counts.failed} failed` : '') +
              (event.counts.skipped ? `, ${event.counts.skipped} skipped` : ''),
          );
          break;
      }
    },
    stop() {
      spinner?.stop();
      spinner = undefined;
    },
  };
}

/** The JSON twin of a walk report (stdout with --format json). */
export function walkReportJson(report: WalkReport): unknown {
  return {
    ok: report.ok,
    interrupted: report.interrupted,
    elapsedMs: Math.round(report.elapsedMs),
    mutatingCalls: report.mutatingCalls,
    counts: report.counts,
    steps: report.steps.map((s) => ({
      id: s.id,
      action: s.action,
      kind: s.kind,
      name: s.name,
      scope: s.scope,
      state: s.state,
      outcome: s.outcome,
      attempts: s.attempts,
      elapsedMs: Math.round(s.elapsedMs),
      ...(s.error ? { error: s.error } : {}),
      ...(s.skippedBecause ? { skippedBecause: s.skippedBecause } : {}),
    })),
  };
}
