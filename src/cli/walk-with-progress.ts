/**
 * Walks a plan (apply or teardown) with progress drawn as it goes and Ctrl-C turned into an
 * orderly stop (running steps finish, nothing new starts; the report says what was done).
 */
import { walkPlan } from '../apply/walker.js';
import type { WalkReport } from '../apply/events.js';
import type { Cloud } from '../cloud/port.js';
import type { ObservedState, Plan } from '../model/resource-model.js';
import type { Output } from '../ui/output.js';
import { createWalkView } from '../ui/walk-view.js';
import { abortOnSigint } from './interrupt.js';

export async function walkWithProgress(
  plan: Plan,
  cloud: Cloud,
  output: Output,
  options: { title: string; concurrency: number; observed: ObservedState },
): Promise<WalkReport> {
  const view = await createWalkView(output, options.title);
  const interrupt = abortOnSigint();
  try {
    return await walkPlan(plan, cloud, { concurrency: options.concurrency, signal: interrupt.signal, onEvent: (e) => view.onEvent(e), observed: options.observed });
  } finally {
    view.stop();
    interrupt.dispose();
  }
}
