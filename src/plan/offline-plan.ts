/**
 * The plan without reading the API (`plan --offline`): nothing exists yet, so every resource
 * serverless-lb manages is a create; existing resources named in the config are noops, assumed
 * to exist. Loads no SDK code. Pure.
 */
import type { Spec } from '../spec/schema.js';
import { buildDesiredGraph } from './build-graph.js';
import { diffPlan } from './diff.js';
import type { Plan } from '../model/resource-model.js';

export function offlinePlan(spec: Spec): Plan {
  return diffPlan(buildDesiredGraph(spec), new Map(), { offline: true });
}
