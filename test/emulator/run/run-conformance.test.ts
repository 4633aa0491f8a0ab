/** The Cloud Run v2 emulation replays the recorded 2024 create / patch / delete cassette. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRecording } from '../../../src/emulator/conformance/recording.js';
import { describeFailure, replayRecording } from '../../../src/emulator/conformance/runner.js';

const FILE = '/work/shared/gcp-recordings/run__runservice__runservicebasic@vcr-2024.yaml';

describe.skipIf(!existsSync(FILE))('Cloud Run recording conformance', () => {
  it('matches every exchange of the runservicebasic cassette', async () => {
    const results = await replayRecording(loadRecording(FILE));
    const failures = results.filter((r) => r.outcome === 'failed').map(describeFailure);
    expect(failures).toEqual([]);
    expect(results.filter((r) => r.outcome === 'passed').length).toBeGreaterThanOrEqual(12);
  });
});
