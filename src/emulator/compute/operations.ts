/**
 * Compute Engine operations (`compute#operation`), global and regional.
 *
 * Contract:
 * - A mutation returns its operation at once with status RUNNING (progress 0). After the
 *   emulator's operation latency it becomes DONE (progress 100, endTime) and only then is the
 *   effect applied: an inserted resource appears, a deleted one disappears.
 * - `sync: true` operations (setLabels, as Google does) are applied at once and returned DONE.
 * - A fault's `operationError` makes the operation end DONE with `error.errors[]`,
 *   `httpErrorStatusCode` and `httpErrorMessage`, without applying the effect.
 * - `requestId`: the same requestId on the same project returns the first operation again
 *   (whatever its state), without doing anything a second time.
 * - An effect that throws an ApiError when applied ends the operation DONE with that error.
 */
import type { EmulatorContext } from '../core/context.js';
import { ApiError, type ApiRequest, type ApiResponse } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { operationStartOptions } from '../core/operations.js';
import { selfLinkOf } from './urls.js';
import { errorCodeForReason } from './fields.js';

export const OPERATION_USER = 'emulator@serverless-lb.iam.gserviceaccount.com';

export interface OperationSpec {
  project: string;
  /** Region name for a regional operation; undefined for a global one. */
  region?: string;
  operationType: string;
  targetPath: string;
  /** Numeric id of the target resource. */
  targetId: string;
  /** Applies the effect; may throw ApiError (the operation then ends with that error). */
  apply: () => void;
  sync?: boolean;
  description?: string;
}

export function operationsCollection(project: string, region?: string): string {
  return region ? `projects/${project}/regions/${region}/operations` : `projects/${project}/global/operations`;
}

function newOperationName(ctx: EmulatorContext): string {
  const hex = (n: number) => ctx.ids.token().slice(0, n);
  return `operation-${ctx.now().getTime()}-${hex(13)}-${hex(8)}-${hex(8)}`;
}

const requestIndexes = new WeakMap<EmulatorContext, Map<string, string>>();

/** `project/requestId` -> operation path, per emulator; cleared on reset. */
export function requestIdIndex(ctx: EmulatorContext): Map<string, string> {
  let m = requestIndexes.get(ctx);
  if (!m) {
    m = new Map();
    requestIndexes.set(ctx, m);
    const mm = m;
    ctx.onReset(() => mm.clear());
  }
  return m;
}

/** Starts (or, for a repeated requestId, finds) an operation and returns the HTTP response. */
export function runOperation(ctx: EmulatorContext, req: ApiRequest, spec: OperationSpec): ApiResponse {
  const requestId = req.query.get('requestId');
  const ids = requestIdIndex(ctx);
  const requestKey = requestId ? `${spec.project}/${requestId}` : undefined;
  if (requestKey) {
    const earlier = ids.get(requestKey);
    const op = earlier ? ctx.store.get(earlier) : undefined;
    if (op) return { status: 200, body: op };
  }

  const name = newOperationName(ctx);
  const opPath = `${operationsCollection(spec.project, spec.region)}/${name}`;
  const now = ctx.now().toISOString();
  const op: JsonObject = {
    kind: 'compute#operation',
    id: ctx.ids.numeric(),
    name,
    operationType: spec.operationType,
    targetLink: selfLinkOf(spec.targetPath),
    targetId: spec.targetId,
    status: 'RUNNING',
    user: OPERATION_USER,
    progress: 0,
    insertTime: now,
    startTime: now,
    selfLink: selfLinkOf(opPath),
  };
  if (spec.description) op['description'] = spec.description;
  if (spec.region) op['region'] = selfLinkOf(`projects/${spec.project}/regions/${spec.region}`);
  ctx.store.put(opPath, op);
  if (requestKey) ids.set(requestKey, opPath);

  const fault = req.operationFault;
  const finish = () => {
    const done: JsonObject = { ...op, status: 'DONE', progress: 100, endTime: ctx.now().toISOString() };
    if (fault) {
      done['error'] = { errors: fault.errors.map((e) => ({ ...e })) };
      done['httpErrorStatusCode'] = fault.httpErrorStatusCode;
      done['httpErrorMessage'] = fault.httpErrorMessage;
    } else {
      try {
        spec.apply();
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const body = e.response.body as { error?: { message?: string; errors?: Array<{ reason?: string }> } };
        const message = body.error?.message ?? e.message;
        done['error'] = { errors: [{ code: errorCodeForReason(body.error?.errors?.[0]?.reason), message }] };
        done['httpErrorStatusCode'] = e.response.status;
        done['httpErrorMessage'] = httpErrorMessage(e.response.status);
      }
    }
    ctx.store.put(opPath, done);
    return done;
  };

  if (spec.sync) return { status: 200, body: finish() };
  ctx.operations.start(opPath, () => void finish(), operationStartOptions(req));
  return { status: 200, body: op };
}

export function httpErrorMessage(status: number): string {
  switch (status) {
    case 400:
      return 'BAD REQUEST';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT FOUND';
    case 409:
      return 'CONFLICT';
    case 412:
      return 'PRECONDITION FAILED';
    default:
      return status >= 500 ? 'INTERNAL SERVER ERROR' : 'ERROR';
  }
}

/** Route handlers for `.../operations`: get, wait, list, delete. */
export function operationPath(project: string, name: string, region?: string): string {
  return `${operationsCollection(project, region)}/${name}`;
}
