/**
 * Network Security v1 server TLS policies over REST (no Google SDK of the project covers the API):
 * get, list, create, patch and delete on full resource names, each mutation waited on until its
 * long-running operation is done, by polling `GET v1/{operation}` with a growing delay under the
 * call's deadline. A failed operation throws a CloudError with Google's reason and message.
 */
import { CloudError } from '../errors.js';
import { cloudError } from './normalise-error.js';
import type { NetworkSecurityCalls } from '../kinds/service-calls.js';

/** One REST call (the transport's: credentials, deadline, error normalisation). */
export type RestCall = (operation: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, params?: Record<string, string>) => Promise<Record<string, unknown>>;

interface Operation {
  name?: string;
  done?: boolean;
  error?: { code?: number; message?: string };
}

const REASON_BY_CODE: Record<number, string> = { 3: 'invalid', 4: 'deadlineExceeded', 5: 'notFound', 6: 'alreadyExists', 7: 'forbidden', 8: 'rateLimitExceeded', 9: 'failedPrecondition', 10: 'conflict', 13: 'internalError', 14: 'unavailable' };

export function networkSecurityCalls(rest: RestCall, base: string, timeoutMs: number, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): NetworkSecurityCalls {
  const url = (path: string) => `${base}/v1/${path}`;
  const waitFor = async (first: Record<string, unknown>, operation: string): Promise<void> => {
    let op = first as Operation;
    const deadline = Date.now() + timeoutMs;
    let delay = 100;
    while (!op.done) {
      if (Date.now() > deadline) throw cloudError(operation, 'deadlineExceeded', `the operation ${op.name ?? ''} was not done after ${Math.round(timeoutMs / 1000)} s`, { retryable: true });
      await sleep(delay);
      delay = Math.min(delay * 1.5, 2000);
      op = (await rest(`${operation} (waiting for ${op.name})`, 'GET', url(String(op.name)))) as Operation;
    }
    if (op.error) {
      throw cloudError(operation, REASON_BY_CODE[op.error.code ?? 2] ?? 'unknown', op.error.message ?? 'the operation failed', { fromOperation: true });
    }
  };
  return {
    async get(name, operation) {
      try {
        return await rest(operation, 'GET', url(name));
      } catch (error) {
        if (error instanceof CloudError && error.reason === 'notFound') return undefined;
        throw error;
      }
    },
    async list(parent, operation) {
      const out: Record<string, unknown>[] = [];
      let pageToken: string | undefined;
      do {
        const page = await rest(operation, 'GET', url(`${parent}/serverTlsPolicies`), undefined, pageToken ? { pageToken } : undefined);
        out.push(...((page.serverTlsPolicies as Record<string, unknown>[] | undefined) ?? []));
        pageToken = typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
      } while (pageToken);
      return out;
    },
    create: async (parent, id, body, operation) => waitFor(await rest(operation, 'POST', url(`${parent}/serverTlsPolicies`), body, { serverTlsPolicyId: id }), operation),
    update: async (name, body, mask, operation) => waitFor(await rest(operation, 'PATCH', url(name), body, { updateMask: mask.join(',') }), operation),
    delete: async (name, operation) => waitFor(await rest(operation, 'DELETE', url(name)), operation),
  };
}
