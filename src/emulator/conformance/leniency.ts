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
  { kind: 'compute#forwardingRule', path: 'selfLinkWithId', reason: 'newer recordings carry it on forwarding rules and older ones do not (the same API version): neither its presence nor its absence is held to' },
  { path: 'pemCertificate', reason: 'output fields of a self-managed Certificate Manager certificate in Google\'s v1 reference (pemCertificate, sanDnsnames, expireTime) that the recordings do not show: the emulator answers them as the reference documents (the product reads sanDnsnames)' },
  { path: 'sanDnsnames', reason: 'as pemCertificate' },
  { path: 'expireTime', reason: 'as pemCertificate' },
  { path: 'response.pemCertificate', reason: 'as pemCertificate' },
  { path: 'response.sanDnsnames', reason: 'as pemCertificate' },
  { path: 'response.expireTime', reason: 'as pemCertificate' },
  { path: 'selfManaged.pemPrivateKey', reason: 'one recording (certificatemapentry) shows a private key echoed back, the other (certificate__selfmanaged) none, and the v1 reference makes it input only: the emulator never sends a private key back, and the product never reads one' },
  { path: 'response.selfManaged.pemPrivateKey', reason: 'as selfManaged.pemPrivateKey' },
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
  { name: 'KCC-normalised values', reason: 'the recording tool wrote a subnet\'s gatewayAddress as 10.0.0.1 and some Cloud DNS creationTimes as a number: those match any IPv4 address and any timestamp' },
  { name: 'Cloud DNS name servers', reason: 'Google picks a zone\'s name-server shard (ns-cloud-a1 ... ns-cloud-e4) per zone: any ns-cloud-XN.googledomains.com. matches any other, in nameServers, in the zone\'s NS record and at the start of its SOA record' },
  { name: 'request IP placeholder', reason: 'the recording tool wrote request IPs as 8.8.8.8, also where Google checked the real one against a subnet\'s range: a request IPAddress or address of 8.8.8.8 is not sent, and the emulator allocates one (answers match by the ip addresses rule)' },
  { name: 'one placeholder, several resources', reason: 'the recording tool wrote one ${...ID} for several resources of a kind (two subnets): the resource a URL means is the one the exchange\'s own answer names (its selfLink, its operation\'s targetLink, its 404 message)' },
  { name: 'Cloud DNS change ids', reason: 'the recording tool wrote the id of a Cloud DNS change as empty (`GET .../changes/`): such a poll reads the change the emulator made last' },
  { name: 'non-JSON bodies', reason: 'a recorded body that is not JSON (the Run cassette\'s "fake error message") is not compared; the status is' },
];
