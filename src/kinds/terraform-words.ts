/**
 * What the kinds' Terraform exports share: the arguments every resource takes (name, region,
 * project, description), labels, nested blocks and durations. Pure.
 */
import { attr, block, nested, type BlockItem } from '../model/hcl.js';
import { regionOf, type DesiredResource } from '../model/resource-model.js';
import { num, str, stringMap } from '../model/body.js';
import type { TerraformConfig } from './kind.js';

/** A nested block `type { items }`. */
export const sub = (type: string, items: BlockItem[]): BlockItem => nested(block(type, [], items));

/** name, region, project (when not the configuration's), description. */
export function common(t: TerraformConfig, r: DesiredResource): BlockItem[] {
  const items: BlockItem[] = [...attr('name', r.name)];
  const region = regionOf(r.scope);
  if (region) items.push(...attr('region', region));
  if (r.project !== t.graph.project) items.push(...attr('project', r.project));
  const description = str(r.body, 'description');
  if (description) items.push(...attr('description', description));
  return items;
}

export function labelsItems(r: DesiredResource): BlockItem[] {
  const labels = stringMap(r.body, 'labels');
  return Object.keys(labels).length > 0 ? attr('labels', labels) : [];
}

/** A `{seconds, nanos}` duration as a nested block. */
export function durationBlock(type: string, value: Record<string, unknown> | undefined): BlockItem[] {
  if (!value) return [];
  const seconds = num(value, 'seconds') ?? (typeof value.seconds === 'string' ? Number(value.seconds) : undefined);
  if (seconds === undefined) return [];
  return [sub(type, [...attr('seconds', seconds), ...attr('nanos', num(value, 'nanos'))])];
}
