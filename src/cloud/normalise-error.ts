/**
 * Turns whatever the SDKs, gaxios or a finished operation report into one CloudError with
 * Google's reason, the HTTP status, a hint and whether retrying can help. docs/errors.md lists
 * every reason below; keep the two in step.
 *
 * Sources, as measured against Google and the SDKs:
 *   - gax GoogleError: gRPC `code`, `httpStatusCode`, the raw JSON body under
 *     Symbol.for('google-gax.rawHttpResponsePayload'); Compute's `errors[0].reason` is only there.
 *   - Connection failures: a GoogleError with code 14 whose `cause` (or message) carries ECONNREFUSED etc.
 *   - A Compute operation that is DONE with `error.errors[{code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message}]`.
 *   - Cloud Run (google.rpc style): `error.status` (`NOT_FOUND`) and ErrorInfo details (`SERVICE_DISABLED`).
 */
import { CloudError } from '../errors.js';

interface ReasonInfo {
  status: number;
  retryable: boolean;
  hint: string;
}

/** Every reason serverless-lb recognises, with its usual HTTP status, retryability and hint. */
export const REASONS: Record<string, ReasonInfo> = {
  alreadyExists: {
    status: 409,
    retryable: false,
    hint: 'A resource with this name already exists. If serverless-lb created it for this load balancer, re-run: it is adopted. Otherwise delete it or choose another load balancer name.',
  },
  notFound: {
    status: 404,
    retryable: false,
    hint: 'Check the project, region and name. A resource it references may not exist (yet).',
  },
  resourceInUseByAnotherResource: {
    status: 400,
    retryable: false,
    hint: 'Another resource still uses it (named in the message). Detach or delete that one first; `serverless-lb teardown` deletes in dependency order.',
  },
  resourceNotReady: {
    status: 400,
    retryable: true,
    hint: 'A resource it depends on is still being changed by another operation; retrying usually succeeds.',
  },
  quotaExceeded: {
    status: 403,
    retryable: false,
    hint: 'A quota ran out. Delete unused resources of this kind or request more in the console (IAM & Admin > Quotas); `serverless-lb plan` shows which quota.',
  },
  rateLimitExceeded: {
    status: 429,
    retryable: true,
    hint: 'Google is rate-limiting the calls; serverless-lb retries with backoff. Lower --concurrency if it persists.',
  },
  userRateLimitExceeded: {
    status: 429,
    retryable: true,
    hint: 'Google is rate-limiting the calls; serverless-lb retries with backoff. Lower --concurrency if it persists.',
  },
  forbidden: {
    status: 403,
    retryable: false,
    hint: 'The credentials lack a permission. Grant roles/compute.loadBalancerAdmin, roles/compute.networkAdmin (proxy-only subnets), roles/compute.securityAdmin (Cloud Armor), roles/run.admin (ingress and invoker access), roles/dns.admin (records) and roles/certificatemanager.editor (Certificate Manager certificates and trust configs), roles/networksecurity.admin (mutual TLS server TLS policies), or run as a principal that has them.',
  },
  accessNotConfigured: {
    status: 403,
    retryable: false,
    hint: 'An API is not enabled in this project: gcloud services enable compute.googleapis.com run.googleapis.com dns.googleapis.com certificatemanager.googleapis.com --project PROJECT (Certificate Manager only when the certificate is made there)',
  },
  unauthenticated: {
    status: 401,
    retryable: false,
    hint: 'The credentials were refused. Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a valid service account key file.',
  },
  credentialsMissing: {
    status: 0,
    retryable: false,
    hint: 'Run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or point at the local emulator with SERVERLESS_LB_EMULATOR_HOST=127.0.0.1:PORT (or --emulator).',
  },
  invalid: {
    status: 400,
    retryable: false,
    hint: 'Google rejected a field of the request (named in the message). Check the config value behind it; `serverless-lb plan --format json` shows the request.',
  },
  badRequest: {
    status: 400,
    retryable: false,
    hint: 'Google rejected the request (see the message). Check the config value behind it.',
  },
  failedPrecondition: {
    status: 400,
    retryable: false,
    hint: 'The resource is not in a state that allows this change (see the message).',
  },
  conditionNotMet: {
    status: 412,
    retryable: true,
    hint: 'The resource changed while it was being updated (fingerprint mismatch); it is read again and retried.',
  },
  conflict: {
    status: 409,
    retryable: true,
    hint: 'Another operation is changing the same resource; retrying usually succeeds.',
  },
  notUpdatable: {
    status: 0,
    retryable: false,
    hint: 'This field cannot be changed in place; the plan must replace the resource (delete and create).',
  },
  internalError: {
    status: 500,
    retryable: true,
    hint: 'A transient error at Google; retried with backoff. If it persists, check https://status.cloud.google.com.',
  },
  backendError: {
    status: 500,
    retryable: true,
    hint: 'A transient error at Google; retried with backoff. If it persists, check https://status.cloud.google.com.',
  },
  unavailable: {
    status: 503,
    retryable: true,
    hint: 'The API is temporarily unavailable; retried with backoff.',
  },
  deadlineExceeded: {
    status: 504,
    retryable: true,
    hint: 'The call or its operation did not finish in time. Re-running is safe: finished steps are not repeated.',
  },
  connection: {
    status: 0,
    retryable: true,
    hint: 'Could not reach the API. Check the network (or that the emulator is running when SERVERLESS_LB_EMULATOR_HOST is set).',
  },
  cancelled: {
    status: 0,
    retryable: false,
    hint: 'The call was cancelled (Ctrl-C). Re-running is safe.',
  },
  secretUnreadable: {
    status: 0,
    retryable: false,
    hint: 'A certificate, key or secret named in the config could not be read; check the file path or environment variable.',
  },
  unknown: {
    status: 0,
    retryable: false,
    hint: 'An unexpected error; re-run with --verbose to see its details.',
  },
};

/** Google's per-error reasons that mean the same as one of ours. */
const REASON_ALIASES: Record<string, string> = {
  SERVICE_DISABLED: 'accessNotConfigured',
  API_DISABLED: 'accessNotConfigured',
  RATE_LIMIT_EXCEEDED: 'rateLimitExceeded',
  RESOURCE_EXHAUSTED: 'rateLimitExceeded',
  ACCESS_TOKEN_SCOPE_INSUFFICIENT: 'forbidden',
  IAM_PERMISSION_DENIED: 'forbidden',
  insufficientPermissions: 'forbidden',
  required: 'invalid',
  invalidParameter: 'invalid',
  invalidArgument: 'invalid',
  duplicate: 'alreadyExists',
  resourceAlreadyExists: 'alreadyExists',
  RESOURCE_ALREADY_EXISTS: 'alreadyExists',
  RESOURCE_NOT_FOUND: 'notFound',
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: 'resourceInUseByAnotherResource',
  RESOURCE_NOT_READY: 'resourceNotReady',
  QUOTA_EXCEEDED: 'quotaExceeded',
  INVALID_USAGE: 'invalid',
  INVALID_FIELD_VALUE: 'invalid',
  BAD_REQUEST: 'badRequest',
  INTERNAL_ERROR: 'internalError',
  limitExceeded: 'quotaExceeded',
  preconditionFailed: 'conditionNotMet',
  CONDITION_NOT_MET: 'conditionNotMet',
  authError: 'unauthenticated',
};

/** google.rpc status names (Cloud Run, Cloud DNS errors) and gRPC codes, to our reasons. */
const RPC_STATUS: Record<string, string> = {
  INVALID_ARGUMENT: 'invalid',
  FAILED_PRECONDITION: 'failedPrecondition',
  OUT_OF_RANGE: 'invalid',
  UNAUTHENTICATED: 'unauthenticated',
  PERMISSION_DENIED: 'forbidden',
  NOT_FOUND: 'notFound',
  ABORTED: 'conflict',
  ALREADY_EXISTS: 'alreadyExists',
  RESOURCE_EXHAUSTED: 'rateLimitExceeded',
  CANCELLED: 'cancelled',
  DATA_LOSS: 'internalError',
  UNKNOWN: 'internalError',
  INTERNAL: 'internalError',
  NOT_IMPLEMENTED: 'badRequest',
  UNIMPLEMENTED: 'badRequest',
  UNAVAILABLE: 'unavailable',
  DEADLINE_EXCEEDED: 'deadlineExceeded',
};
const GRPC_CODE_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function reasonFromStatus(status: number): string {
  if (status === 400) return 'badRequest';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 412) return 'conditionNotMet';
  if (status === 429) return 'rateLimitExceeded';
  if (status === 502 || status === 503) return 'unavailable';
  if (status === 504) return 'deadlineExceeded';
  if (status >= 500) return 'internalError';
  return 'unknown';
}

function canonical(reason: string): string {
  if (reason in REASONS) return reason;
  if (reason in REASON_ALIASES) return REASON_ALIASES[reason]!;
  if (reason in RPC_STATUS) return RPC_STATUS[reason]!;
  // UPPER_SNAKE operation codes we do not list: camelCase them (QUOTA_EXCEEDED -> quotaExceeded).
  if (/^[A-Z0-9_]+$/.test(reason)) {
    return reason.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  }
  return reason;
}

/** Builds a CloudError for a reason, filling status, retryable and hint from REASONS. */
export function cloudError(
  operation: string,
  reason: string,
  message: string,
  extra: { status?: number; hint?: string; retryable?: boolean; fromOperation?: boolean; cause?: unknown } = {},
): CloudError {
  const info = REASONS[reason];
  const status = extra.status ?? info?.status ?? 0;
  // Retryability follows the reason; HTTP 5xx and 429 without a known reason are transient.
  const retryable = extra.retryable ?? info?.retryable ?? (status === 429 || status >= 500);
  return new CloudError({
    operation,
    status,
    reason,
    message,
    hint: extra.hint ?? info?.hint ?? REASONS.unknown!.hint,
    retryable,
    fromOperation: extra.fromOperation,
    cause: extra.cause,
  });
}

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    errors?: Array<{ reason?: string; message?: string }>;
    details?: Array<{ '@type'?: string; reason?: string }>;
  };
}

function parseBody(raw: unknown): GoogleErrorBody | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as GoogleErrorBody;
    } catch {
      return undefined;
    }
  }
  if (raw instanceof Uint8Array) return parseBody(Buffer.from(raw).toString('utf8'));
  if (typeof raw === 'object') return raw as GoogleErrorBody;
  return undefined;
}

/** Reason, status and message from a Google JSON error body (`{"error": {...}}`). */
export function fromErrorBody(body: unknown): { reason?: string; status?: number; message?: string } {
  const parsed = parseBody(body)?.error;
  if (!parsed) return {};
  const specific = parsed.errors?.find((e) => e.reason)?.reason;
  const infoReason = parsed.details?.find((d) => d['@type']?.endsWith('google.rpc.ErrorInfo') && d.reason)?.reason;
  let reason: string | undefined;
  // ErrorInfo's SERVICE_DISABLED is more precise than Compute's generic 403 `forbidden`.
  if (infoReason && canonical(infoReason) === 'accessNotConfigured') reason = 'accessNotConfigured';
  else if (specific) reason = canonical(specific);
  else if (infoReason && canonical(infoReason) in REASONS) reason = canonical(infoReason);
  else if (parsed.status) reason = canonical(parsed.status);
  return { reason, status: parsed.code, message: parsed.message };
}

function connectionCode(err: Record<string, unknown>): string | undefined {
  const candidates = [err.code, (err.cause as Record<string, unknown> | undefined)?.code, ((err.cause as Record<string, unknown> | undefined)?.cause as Record<string, unknown> | undefined)?.code];
  for (const c of candidates) if (typeof c === 'string' && CONNECTION_CODES.has(c)) return c;
  const msg = typeof err.message === 'string' ? err.message : '';
  const m = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH)\b/.exec(msg);
  return m?.[1];
}

const RAW_PAYLOAD = Symbol.for('google-gax.rawHttpResponsePayload');

/**
 * Normalises any thrown value into a CloudError. `operation` says what was attempted
 * (`insert backendService shop-web-bs`). A CloudError passes through unchanged.
 */
export function normaliseError(error: unknown, operation: string): CloudError {
  if (error instanceof CloudError) return error;
  if (!error || typeof error !== 'object') return cloudError(operation, 'unknown', String(error));
  const err = error as Record<string | symbol, unknown>;
  const message = typeof err.message === 'string' ? err.message : String(error);

  if (err.name === 'AbortError' || err.code === 'ABORT_ERR') return cloudError(operation, 'cancelled', 'cancelled', { cause: error });

  const conn = connectionCode(err as Record<string, unknown>);
  if (conn) return cloudError(operation, 'connection', `${conn}: ${message}`, { cause: error });

  // gax GoogleError (and gaxios errors, whose body is in response.data).
  const raw = err[RAW_PAYLOAD] ?? (err.response as { data?: unknown } | undefined)?.data;
  const fromBody = fromErrorBody(raw);
  const httpStatus =
    (typeof err.httpStatusCode === 'number' ? err.httpStatusCode : undefined) ??
    (typeof err.status === 'number' ? err.status : undefined) ??
    ((err.response as { status?: number } | undefined)?.status) ??
    fromBody.status;
  let reason = fromBody.reason;
  if (!reason && typeof err.reason === 'string' && err.reason) reason = canonical(err.reason);
  if (!reason && httpStatus) reason = reasonFromStatus(httpStatus);
  if (!reason && typeof err.code === 'number') {
    const name = GRPC_CODE_NAMES[err.code];
    if (name) reason = RPC_STATUS[name];
    if (err.code === 4) reason = 'deadlineExceeded';
  }
  if (!reason && /Could not load the default credentials|Unable to detect a Project Id/i.test(message)) reason = 'credentialsMissing';
  if (!reason && /invalid_grant|invalid_client|unauthorized_client/i.test(message)) reason = 'unauthenticated';
  if (!reason && /timeout|timed out|deadline/i.test(message)) reason = 'deadlineExceeded';
  reason ??= 'unknown';
  // gax puts Google's message in .message; keep it, without a gRPC code prefix.
  const googleMessage = fromBody.message ?? message.replace(/^\d+ [A-Z_]+: /, '');
  const status = httpStatus ?? REASONS[reason]?.status ?? 0;
  // A 403 rate/quota reason is not a permission problem: the reason decides retryability.
  return cloudError(operation, reason, googleMessage, { status, cause: error });
}

/** A finished Compute operation's `error` (and HTTP status), as a CloudError. */
export function operationError(
  op: { error?: { errors?: Array<{ code?: string | null; message?: string | null }> | null } | null; httpErrorStatusCode?: number | null; httpErrorMessage?: string | null },
  operation: string,
): CloudError {
  const first = op.error?.errors?.[0];
  const reason = canonical(first?.code ?? (op.httpErrorStatusCode ? reasonFromStatus(op.httpErrorStatusCode) : 'unknown'));
  const messages = (op.error?.errors ?? []).map((e) => e.message).filter((m): m is string => !!m);
  const message = messages.length > 0 ? messages.join('; ') : (op.httpErrorMessage ?? 'operation failed');
  return cloudError(operation, reason, message, {
    status: op.httpErrorStatusCode ?? REASONS[reason]?.status ?? 0,
    fromOperation: true,
  });
}
