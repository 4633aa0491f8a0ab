/**
 * The emulator replayed against real Google traffic (test/fixtures/gcp-recordings): every exchange the
 * emulator models must match, in every recording listed below.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareJson, Bindings } from '../../../src/emulator/conformance/match.js';
import { loadRecording, parseLog, parseVcr } from '../../../src/emulator/conformance/recording.js';
import { describeFailure, replayRecording } from '../../../src/emulator/conformance/runner.js';
import { runConformance } from '../../../src/emulator/conformance/cli.js';

/** The recordings, vendored with their provenance (test/fixtures/gcp-recordings/README.md). */
const DIR = fileURLToPath(new URL('../../fixtures/gcp-recordings', import.meta.url));


/** Recordings that must replay with 0 differing exchanges. */
const EXPECTED_TO_PASS = [
  'certificatemanager__certificate__manageddns@cdb85ecf17.log',
  'certificatemanager__certificate__selfmanaged@cdb85ecf17.log',
  'certificatemanager__certificatemap@cdb85ecf17.log',
  'certificatemanager__certificatemapentry@cdb85ecf17.log',
  'certificatemanager__dnsauthorization__full@581339ae55.log',
  'certificatemanager__dnsauthorization__minimal@581339ae55.log',
  'certificatemanager__dnsauthorization__perproject@cdb85ecf17.log',
  'certificatemanager__trustconfig__maximal@5ca31e1b58.log',
  'certificatemanager__trustconfig__minimal@5ca31e1b58.log',
  'compute__computeaddress__globalcomputeaddress@1e63b160c8.log',
  'compute__computeaddress__regionalcomputeaddress@1e63b160c8.log',
  'compute__computebackendservice__globalcomputebackendservice@1e63b160c8.log',
  'compute__computebackendservice__regionalcomputebackendservice@1e63b160c8.log',
  'compute__computeforwardingrule__globalcomputeforwardingrule@c6986ff4f3.log',
  'compute__computeforwardingrule__globalcomputeforwardingrulehttps@c6986ff4f3.log',
  'compute__computeforwardingrule__regionalcomputeforwardingrule@c6986ff4f3.log',
  'compute__computeforwardingrule__regionalcomputeforwardingruletcp@ee88294b1f.log',
  'compute__computemanagedsslcertificate@1e63b160c8.log',
  'compute__computenetwork__computenetworkautocreatesubnets@1e63b160c8.log',
  'compute__computenetwork__computenetworkbasic@5acedd73f5.log',
  'compute__computeregionnetworkendpointgroup__cloudfunctioncomputeregionnetworkendpointgroup@bcc2c360ec.log',
  'compute__computeregionnetworkendpointgroup__cloudruncomputeregionnetworkendpointgroup@1e63b160c8.log',
  'compute__computesecuritypolicy@43f198e5cd.log',
  'compute__computesecuritypolicy__computesecuritypolicy-regional@2ba640e263.log',
  'compute__computesslcertificate__globalcomputesslcertificate@1e63b160c8.log',
  'compute__computesslcertificate__regionalcomputesslcertificate@1e63b160c8.log',
  'compute__computesslpolicy@23ffd6cf4f.log',
  'compute__computesubnetwork__computesubnetwork@757547d9c9.log',
  'compute__computetargethttpproxy__globaltargethttpproxy@1e63b160c8.log',
  'compute__computetargethttpproxy__regionaltargethttpproxy@1e63b160c8.log',
  'compute__computetargethttpsproxy__crossregiontargethttpsproxy@9fefa2c4ca.log',
  'compute__computetargethttpsproxy__globaltargethttpsproxy-certmap@9fefa2c4ca.log',
  'compute__computetargethttpsproxy__globaltargethttpsproxy@9fefa2c4ca.log',
  'compute__computetargethttpsproxy__globaltargethttpsproxycertificatemanagercertificates@9fefa2c4ca.log',
  'compute__computetargethttpsproxy__globaltargethttpsproxycertificatemap@9fefa2c4ca.log',
  'compute__computetargethttpsproxy__regionaltargethttpsproxy@9fefa2c4ca.log',
  'compute__computetargethttpsproxy__regionaltargethttpsproxycertificatemanagercertificates@8230c6bcc7.log',
  'compute__computeurlmap__globalcomputeurlmap@ca9a9de42b.log',
  'compute__computeurlmap__globalcomputeurlmapadditive@ca9a9de42b.log',
  'compute__computeurlmap__globalcomputeurlmapreducer@ca9a9de42b.log',
  'compute__computeurlmap__regionalcomputeurlmap@ca9a9de42b.log',
  'dns__dnsrecordset__dnsrecordset@5347d07021.log',
  'dns__managed-zone__crud@fff9bc9e1a.log',
  'dns__record-set__crud@f5e59bfac4.log',
  'networksecurity__servertlspolicy__crud@66ca2fee22.log',
  'networkservices__networkservicesauthzextension__networkservicesauthzextension-minimal@168db9c225.log',
  'networkservices__networkserviceslbrouteextension__lbrouteextension-basic@18453874b9.log',
  'run__runservice__runservicebasic@vcr-2024.yaml',
];

describe('conformance with the recorded Google traffic', () => {
  it('has the recordings', () => expect(existsSync(DIR)).toBe(true));

  it('lists every recording in the directory', () => {
    const present = readdirSync(DIR).filter((f) => /\.(log|ya?ml)$/.test(f)).sort();
    expect(present).toEqual([...EXPECTED_TO_PASS].sort());
  });

  for (const file of EXPECTED_TO_PASS) {
    it(`replays ${file} with no differences`, async () => {
      const results = await replayRecording(loadRecording(`${DIR}/${file}`));
      expect(results.filter((r) => r.outcome === 'failed').map(describeFailure)).toEqual([]);
      expect(results.filter((r) => r.outcome === 'passed').length).toBeGreaterThan(3);
    });
  }

  it('prints one line per differing exchange and the final count', async () => {
    const lines: string[] = [];
    const s = await runConformance(DIR, ['computesecuritypolicy'], (l) => lines.push(l));
    expect(lines.at(-1)).toBe(`${s.passed} passed, 0 failed`);
    expect(s.passed).toBeGreaterThan(10);
  });
});

describe('the comparison catches differences', () => {
  const log = `GET https://compute.googleapis.com/compute/v1/projects/\${projectId}/global/backendServices/\${backendServiceID}?alt=json
Content-Type: application/json

404 Not Found
Content-Type: application/json

{"error":{"code":404,"errors":[{"domain":"global","message":"The resource 'projects/\${projectId}/global/backendServices/\${backendServiceID}' was not found","reason":"notFound"}],"message":"The resource 'projects/\${projectId}/global/backendServices/\${backendServiceID}' was not found"}}

---

POST https://compute.googleapis.com/compute/v1/projects/\${projectId}/global/backendServices?alt=json
Content-Type: application/json

{"name":"\${backendServiceID}","loadBalancingScheme":"EXTERNAL_MANAGED"}

200 OK

{"kind":"compute#operation","id":"000000000000000000000","name":"\${operationID}","operationType":"insert","status":"RUNNING","progress":0,"insertTime":"2024-04-01T12:34:56.123456Z","startTime":"2024-04-01T12:34:56.123456Z","user":"user@example.com","targetId":"\${backendServiceID}","selfLink":"https://www.googleapis.com/compute/v1/projects/\${projectId}/global/operations/\${operationID}","targetLink":"https://www.googleapis.com/compute/v1/projects/\${projectId}/global/backendServices/\${backendServiceID}"}

---

GET https://compute.googleapis.com/compute/v1/projects/\${projectId}/global/backendServices/\${backendServiceID}?alt=json

200 OK

{"kind":"compute#backendService","id":"000000000000000000000","creationTimestamp":"2024-04-01T12:34:56.123456Z","name":"\${backendServiceID}","affinityCookieTtlSec":0,"connectionDraining":{"drainingTimeoutSec":300},"description":"","enableCDN":false,"fingerprint":"abcdef0123A=","loadBalancingScheme":"EXTERNAL_MANAGED","port":80,"portName":"http","protocol":"HTTP","sessionAffinity":"NONE","timeoutSec":30,"selfLink":"https://www.googleapis.com/compute/v1/projects/\${projectId}/global/backendServices/\${backendServiceID}"}`;

  it('parses the .log format', () => {
    const ex = parseLog(log);
    expect(ex.map((e) => [e.method, e.status])).toEqual([
      ['GET', 404],
      ['POST', 200],
      ['GET', 200],
    ]);
    expect(JSON.parse(ex[1]!.requestBody)).toEqual({ name: '${backendServiceID}', loadBalancingScheme: 'EXTERNAL_MANAGED' });
  });

  it('parses a go-vcr cassette', () => {
    const ex = parseVcr(`---\nversion: 2\ninteractions:\n  - id: 0\n    request:\n      url: https://run.googleapis.com/v2/projects/p/locations/l/services/s?alt=json\n      method: GET\n      body: ""\n    response:\n      body: nope\n      status: 404 Not Found\n      code: 404\n`);
    expect(ex).toHaveLength(1);
    expect(ex[0]).toMatchObject({ method: 'GET', status: 404, responseBody: 'nope' });
  });

  it('passes a faithful recording and fails one that disagrees with the emulator', async () => {
    const ok = await replayRecording({ file: 'x', name: 'compute__inline.log', format: 'log', exchanges: parseLog(log) });
    expect(ok.map((r) => r.outcome)).toEqual(['passed', 'passed', 'passed']);
    const wrong = await replayRecording({ file: 'x', name: 'compute__inline.log', format: 'log', exchanges: parseLog(log.replace('"timeoutSec":30', '"timeoutSec":45')) });
    expect(wrong.map((r) => r.outcome)).toEqual(['passed', 'passed', 'failed']);
    expect(describeFailure(wrong[2]!)).toContain('timeoutSec');
  });

  it('binds ${projectId} strictly and other placeholders loosely', () => {
    const b = new Bindings();
    expect(compareJson({ selfLink: 'https://x/projects/${projectId}/a' }, { selfLink: 'https://x/projects/p1/a' }, b)).toEqual([]);
    expect(compareJson({ selfLink: 'https://x/projects/${projectId}/a' }, { selfLink: 'https://x/projects/p2/a' }, b)).not.toEqual([]);
    expect(compareJson({ id: '000000000000000000000', t: '2024-04-01T12:34:56.123456Z' }, { id: '123', t: '2025-01-01T00:00:00Z' }, b)).toEqual([]);
    expect(compareJson({ id: '000000000000000000000' }, { id: 'abc' }, b)).not.toEqual([]);
    expect(compareJson({ description: '' }, {}, b)).toEqual([]);
    expect(compareJson({ description: 'x' }, {}, b)).not.toEqual([]);
  });
});
