/**
 * What the conformance comparison does not hold the emulator to, each with its reason. Everything
 * else in a recorded status and JSON body must match. docs/emulator.md repeats this list.
 */

export interface IgnoredField {
  /** Top-level `kind` of the body the rule applies to (any body when absent). */
  kind?: string;
  /** JSON path within the body, e.g. `status` or `template.revision`; `*` matches one segment. */
  path: string;
  reason: string;
}

export const IGNORED_FIELDS: IgnoredField[] = [
  { kind: 'compute#operation', path: 'user', reason: 'the account that made the call; the emulator has no accounts' },
  { kind: 'compute#urlMap', path: 'status', reason: 'Google-internal quota accounting (quotaUsage.units) with no documented formula' },
  { path: 'metadata.endTime', reason: 'Certificate Manager answers some creates with an endTime in the metadata and finished operations without one (both recorded); the emulator sends none' },
  { path: 'managed.state', reason: 'Certificate Manager provisioning follows DNS: the recorded project\'s DNS held the authorization records, replays run without DNS or data plane (provisioning is tested on its own)' },
  { path: 'managed.authorizationAttemptInfo.state', reason: 'as managed.state' },
  { path: 'response.managed.state', reason: 'as managed.state' },
  { path: 'response.managed.authorizationAttemptInfo.state', reason: 'as managed.state' },
  { path: 'response.createTime', reason: 'a finished certificate operation is recorded with and without the certificate\'s createTime (its GET has none)' },
];

/** Value-level leniencies, applied when the recorded value is a string. */
export const VALUE_RULES: Array<{ name: string; reason: string }> = [
  { name: 'placeholders', reason: '${...} placeholders match any value; ${projectId} and ${projectNumber} must be the same throughout a file' },
  { name: 'numeric ids', reason: 'a string of 10 or more digits (ids, targetId; 000... is the recordings\' normalised id) matches any such string' },
  { name: 'timestamps', reason: 'an RFC 3339 timestamp matches any RFC 3339 timestamp (creation, operation and expiry times differ per run)' },
  { name: 'fingerprints', reason: 'fingerprint, labelFingerprint and etag values match any non-empty string (hashes of state)' },
  { name: 'ip addresses', reason: 'address / IPAddress values match any address of the same family (Google allocates them)' },
  { name: 'uuids', reason: 'a UUID matches any UUID (operation ids, uids)' },
  { name: 'generated names', reason: 'UUIDs inside strings (operation names), Cloud Run revision suffixes (-00001-abc) and run.app URL hashes match any generated value of the same shape' },
  { name: 'emails', reason: 'an e-mail address matches any e-mail address (creator, lastModifier: the calling account)' },
  { name: 'compute api version', reason: 'references spelled .../compute/beta/... match .../compute/v1/... (Google answers some v1 calls with beta URLs)' },
  { name: 'internalIpv6Range', reason: 'a ULA /48 Google picks at random for the network; any fdXX:.../48 matches' },
  { name: 'operationType aliases', reason: 'updateNetwork and compute.networks.patch name the same networks.patch call (recordings of different years)' },
  { name: 'usedBy', reason: 'Google updates a backend service\'s usedBy lazily (a recording still lists a URL map deleted just before); the emulator\'s current list must be a subset of the recorded one' },
  { name: 'proto3 defaults', reason: 'a field holding its default ("" / 0 / false / [] / {}) matches an absent field, as proto3 JSON may emit or omit defaults' },
  { name: 'authorization records', reason: 'a DNS authorization\'s dnsResourceRecord.data (recorded normalised to authorize.certificatemanager.goog. or a placeholder) matches any target under authorize.certificatemanager.goog.' },
  { name: 'enum names for numbers', reason: 'Certificate Manager answered one GET asking for int enums with an enum name; a recorded enum name matches the emulator\'s number for it' },
  { name: 'not-found wording', reason: 'Certificate Manager words a 404 both as `Resource \'NAME\' was not found` and as `dnsAuthorization "NAME" not found` (both recorded for the same call); either matches the other when NAME matches' },
  { name: 'non-JSON bodies', reason: 'a recorded body that is not JSON (the Run cassette\'s "fake error message") is not compared; the status is' },
];
