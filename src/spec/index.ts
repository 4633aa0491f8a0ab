/**
 * The Spec's public surface: the schema and types, the field registry (docs, flags, wizard ids),
 * flags and config files to SpecInput, validation, and facts derived from a valid Spec.
 * Light: imports only zod, yaml and node built-ins.
 */
export * from './schema.js';
export {
  SPEC_FIELDS,
  flagForKey,
  fieldForKey,
  flagName,
  normalizeKey,
  optionAttribute,
  specOptions,
  registerSpecOptions,
  type SpecField,
  type SpecOption,
  type OptionTarget,
} from './fields.js';
export { makeProblem, hasErrors, formatProblem, type Problem, type Severity } from './problem.js';
export {
  specInputFromFlags,
  mergeSpecInput,
  parseBackendFlag,
  parseRouteFlag,
  parseRateLimitFlag,
  routesToHostRules,
  BACKEND_KINDS,
  RATE_LIMIT_RULE_PRIORITY,
  type SpecInputPatch,
  type DeepPartial,
  type FlagsResult,
  type Route,
} from './from-flags.js';
export {
  readConfigFile,
  parseConfigText,
  writeConfigFile,
  renderConfigYaml,
  resolveFileReferences,
  locateProblems,
  DEFAULT_CONFIG_FILE,
  FILE_REFERENCE_KEYS,
  type ReadConfigResult,
} from './config-file.js';
export { validateSpec, BACKEND_KINDS_BY_TYPE, type SpecIo, type ValidateResult } from './validate.js';
export { nodeSpecIo } from './node-io.js';
export { SPEC_RULES, type SpecRuleId } from './rules.js';
export * from './derive.js';
export { certificateDnsNames, EXPIRY_WARNING_DAYS } from './certificate-files.js';
