/** `serverless-lb plan`: what apply would do. `--offline` plans with no API call (everything a create). */
import type { Command } from 'commander';
import { addCommonOptions } from './common-options.js';
import { registerSpecOptions } from '../spec/fields.js';
import type { PlanOptions } from './run-plan.js';


export function definePlan(command: Command): void {
  command
    .option('--offline', 'plan without reading the API (no credentials needed, loads no SDK)', false);
  addCommonOptions(command, ['table', 'json', 'gcloud', 'terraform']);
  registerSpecOptions(command, ['--project']);
  command.action(async (options: PlanOptions, cmd: Command) => {
    const { runPlan } = await import('./run-plan.js');
    await runPlan(cmd, options);
  });
}
