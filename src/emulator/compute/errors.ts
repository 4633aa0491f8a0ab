/** Compute Engine error bodies, with Google's reasons and message wording. */
import { ApiError } from '../core/http.js';

export function notFound(path: string): ApiError {
  return ApiError.compute(404, 'notFound', `The resource '${path}' was not found`);
}

export function alreadyExists(path: string): ApiError {
  return ApiError.compute(409, 'alreadyExists', `The resource '${path}' already exists`);
}

/** 400 `invalid`, e.g. `Invalid value for field 'resource.name': 'X'. Must be a match of regex ...`. */
export function invalid(message: string): ApiError {
  return ApiError.compute(400, 'invalid', message);
}

export function invalidField(field: string, value: unknown, why: string): ApiError {
  return invalid(`Invalid value for field '${field}': '${typeof value === 'string' ? value : JSON.stringify(value)}'. ${why}`);
}

export function required(field: string): ApiError {
  return ApiError.compute(400, 'required', `Required field '${field}' not specified`);
}

export function badRequest(message: string): ApiError {
  return ApiError.compute(400, 'badRequest', message);
}

export function conflictingFields(message: string): ApiError {
  return invalid(message);
}

export function inUse(snakeKind: string, path: string, userPath: string): ApiError {
  return ApiError.compute(
    400,
    'resourceInUseByAnotherResource',
    `The ${snakeKind} resource '${path}' is already being used by '${userPath}'`,
  );
}

export function fingerprintMismatch(): ApiError {
  return ApiError.compute(
    412,
    'conditionNotMet',
    'Supplied fingerprint does not match current metadata fingerprint.',
  );
}

export function resourceNotReady(path: string): ApiError {
  return ApiError.compute(
    400,
    'resourceNotReady',
    `The resource '${path}' is not ready`,
  );
}
