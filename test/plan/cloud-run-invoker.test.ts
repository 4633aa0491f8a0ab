/**
 * cloudRunInvoker's grant under failure: a conflicting concurrent policy change keeps the record of
 * what it is adding (another run may have recorded the same members in it), any other failure takes
 * the record back. Over a hand-made ServiceCalls, so each call can fail on purpose.
 */
import { describe, expect, it } from 'vitest';
import { cloudRunInvoker } from '../../src/kinds/cloud-run-invoker.js';
import { cloudError } from '../../src/cloud/normalise-error.js';
import { RUN_INVOKER_ADDED_ANNOTATION } from '../../src/model/ownership-marks.js';
import type { DesiredResource } from '../../src/model/resource-model.js';
import type { IamPolicy, ServiceCalls } from '../../src/kinds/service-calls.js';

function fakeCalls(setError: string) {
  const annotations: Record<string, string> = {};
  const writes: Array<Record<string, string | null>> = [];
  const calls = {
    project: 'demo-project',
    owner: 'shop',
    fail: (operation: string, reason: string, message: string) => cloudError(operation, reason, message),
    getRunService: async (region: string, name: string) => ({ name, region, annotations: { ...annotations } }),
    getRunIamPolicy: async (): Promise<IamPolicy> => ({ bindings: [], etag: 'e1' }),
    projectNumber: async () => '123',
    annotateRunService: async (_region: string, _name: string, record: Record<string, string | null>) => {
      writes.push(record);
      for (const [k, v] of Object.entries(record)) if (v === null) delete annotations[k];
      else annotations[k] = v;
    },
    setRunIamPolicy: async () => {
      throw cloudError('set IAM policy of web', setError, 'refused');
    },
  } as unknown as ServiceCalls;
  return { calls, annotations, writes };
}

const resource = { id: 'cloudRunInvoker:regions/europe-west1:web', kind: 'cloudRunInvoker', scope: 'regions/europe-west1', name: 'web', body: { role: 'roles/run.invoker', members: ['allUsers'] } } as unknown as DesiredResource;

describe('cloudRunInvoker grant', () => {
  it('keeps the record when the policy changed under it (conflict), for the retry and for another run', async () => {
    const { calls, annotations } = fakeCalls('conflict');
    await expect(cloudRunInvoker.service.insert(calls, resource, 'grant')).rejects.toMatchObject({ reason: 'conflict' });
    expect(annotations[RUN_INVOKER_ADDED_ANNOTATION]).toBe('allUsers');
  });

  it('takes the record back when Google refused for any other reason', async () => {
    const { calls, annotations, writes } = fakeCalls('forbidden');
    await expect(cloudRunInvoker.service.insert(calls, resource, 'grant')).rejects.toMatchObject({ reason: 'forbidden' });
    expect(writes).toHaveLength(2);
    expect(annotations[RUN_INVOKER_ADDED_ANNOTATION]).toBeUndefined();
  });
});
