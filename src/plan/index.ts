/**
 * The plan stage: Spec -> desired graph -> (with the observed state) Plan, and its renderings.
 * Everything here is pure: no SDK, no I/O, no clock, no environment.
 */
export * from '../model/resource-model.js';
export { buildDesiredGraph, DEFAULT_RULE_PRIORITY, DNS_TTL } from './build-graph.js';
export { diffPlan, teardownPlan, assertAcyclic, observedFor, PlanCycleError, KIND_ORDER, type DiffOptions } from './diff.js';
export { compareBodies, isImmutableChange } from './compare.js';
export { offlinePlan } from './offline-plan.js';
export { lbNames, fitName, alternateName, isValidName, shortHash, MAX_NAME_LENGTH, type LbNames } from '../model/naming.js';
export { ownerOf, isOwnedBy, withOwnership, ownerMarker, OWNER_LABEL, RUN_OWNER_ANNOTATION } from './ownership.js';
export { resourcePath, parseResourcePath, normalizeRef } from './paths.js';
export { renderPlanTable, renderSummaryLine, ACTION_SYMBOLS, type TableOptions } from './render-table.js';
export { planToJson, renderPlanJson, type PlanJson, type PlanJsonStep } from './render-json.js';
export { redactValue, formatValue } from './render-value.js';
export { renderGcloudScript } from './render-gcloud.js';
export { renderTerraform } from './render-terraform.js';
