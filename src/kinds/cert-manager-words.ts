/**
 * What the Certificate Manager kinds' exports share: the gcloud flags every
 * `gcloud certificate-manager ... create` takes (location, description, labels) and the Terraform
 * arguments (name, location, project, description, labels). Pure.
 */
import { attr, type BlockItem } from '../model/hcl.js';
import { regionOf, type DesiredResource } from '../model/resource-model.js';
import { str, stringMap } from '../model/body.js';
import { descriptionFlag, flag, labelsValue, type Word } from '../model/gcloud-words.js';
import type { TerraformConfig } from './kind.js';
import { labelsItems } from './terraform-words.js';

/** `--location` (the region, or global), description, labels. */
export function certManagerFlags(r: DesiredResource): Word[] {
  const region = regionOf(r.scope);
  const labels = labelsValue(stringMap(r.body, 'labels'));
  return [flag('location', region ?? 'global'), ...descriptionFlag(r.body), ...(labels ? [flag('labels', labels)] : [])];
}

/** name, location (regional only), project (when not the configuration's), description, labels. */
export function certManagerCommon(t: TerraformConfig, r: DesiredResource, name = r.name): BlockItem[] {
  const region = regionOf(r.scope);
  return [
    ...attr('name', name),
    ...(region ? attr('location', region) : []),
    ...(r.project !== t.graph.project ? attr('project', r.project) : []),
    ...attr('description', str(r.body, 'description')),
    ...labelsItems(r),
  ];
}
