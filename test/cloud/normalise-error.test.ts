import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASONS, cloudError, fromErrorBody, normaliseError } from '../../src/cloud/normalise-error.js';
import { CloudError, exitCodeOf, InterruptedError, UsageError } from '../../src/errors.js';

describe('normaliseError (plain values)', () => {
  it('passes a CloudError through and wraps anything else', () => {
    const e = cloudError('get x', 'notFound', 'gone');
    expect(normaliseError(e, 'other')).toBe(e);
    expect(normaliseError('boom', 'op')).toMatchObject({ reason: 'unknown', retryable: false });
    expect(normaliseError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'op')).toMatchObject({ reason: 'connection', retryable: true });
    expect(normaliseError(new Error('Could not load the default credentials. Browse to ...'), 'op')).toMatchObject({ reason: 'credentialsMissing', retryable: false });
  });

  it('reads gaxios errors (Cloud DNS REST) from response.data', () => {
    const gaxios = Object.assign(new Error('Request failed with status code 409'), {
      status: 409,
      response: { status: 409, data: { error: { code: 409, message: "The resource 'entity.change.additions[0]' named 'a.example.com. (A)' already exists", errors: [{ reason: 'alreadyExists', domain: 'global' }] } } },
    });
    expect(normaliseError(gaxios, 'insert dnsRecordSet a.example.com.')).toMatchObject({ reason: 'alreadyExists', status: 409, retryable: false });
  });

  it('prefers ErrorInfo SERVICE_DISABLED over a generic forbidden', () => {
    expect(fromErrorBody({ error: { code: 403, errors: [{ reason: 'forbidden' }], details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' }] } }).reason).toBe('accessNotConfigured');
  });
});

describe('error classes', () => {
  it('carry the exit codes of the contract', () => {
    expect(exitCodeOf(new UsageError('bad'))).toBe(2);
    expect(exitCodeOf(cloudError('op', 'forbidden', 'no'))).toBe(1);
    expect(exitCodeOf(new InterruptedError())).toBe(130);
    expect(exitCodeOf(new Error('x'))).toBe(1);
    const e = cloudError('insert backendService b', 'quotaExceeded', "Quota 'BACKEND_SERVICES' exceeded.");
    expect(e).toBeInstanceOf(CloudError);
    expect(e.message).toBe("insert backendService b: Quota 'BACKEND_SERVICES' exceeded.");
    expect(e.toJSON()).toEqual({ code: 'cloud.quotaExceeded', operation: 'insert backendService b', status: 403, reason: 'quotaExceeded', message: "Quota 'BACKEND_SERVICES' exceeded.", hint: REASONS.quotaExceeded!.hint, retryable: false });
  });
});

describe('docs/errors.md', () => {
  it('lists every reason the tool maps, with its code', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const missing = Object.keys(REASONS).filter((r) => !doc.includes(`\`cloud.${r}\``));
    expect(missing).toEqual([]);
  });
});
