/** The plan as a human reads it: the plan module's plain table, coloured by action on terminals. */
import type { Plan } from '../model/resource-model.js';
import { renderPlanTable } from '../plan/render-table.js';
import type { Output } from './output.js';

export function renderPlanForHumans(plan: Plan, output: Output, width?: number): string {
  const { color } = output;
  const table = renderPlanTable(plan, width === undefined ? {} : { width });
  return table
    .split('\n')
    .map((line) => {
      if (/^\+ /.test(line)) return color.green(line);
      if (/^~ /.test(line)) return color.yellow(line);
      if (/^(-\/\+|±|\+\/-) /.test(line)) return color.magenta(line);
      if (/^- /.test(line)) return color.red(line);
      if (/^! |blocker|BLOCKED/i.test(line)) return color.red(line);
      if (/^= /.test(line)) return color.dim(line);
      return line;
    })
    .join('\n');
}
