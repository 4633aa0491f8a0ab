/**
 * The emulator's seed file: what exists in the emulated Google Cloud before any API call.
 * JSON or YAML; every list is optional; `project` is the default project of every entry that does
 * not name its own. See docs/emulator.md ("Seed file") for an annotated example.
 *
 * Contract: `parseSeed` returns a fully defaulted `Seed` or throws a `SeedError` listing every
 * problem, each with the path of the offending entry (`runServices[2].ingress: ...`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12][0-9]|3[0-2])$/;

const name = (what: string, max = 63) =>
  z
    .string()
    .max(max, `${what} must be at most ${max} characters`)
    .regex(NAME, `${what} must match ${NAME.source} (lower-case letters, digits, hyphens)`);
const region = z.string().regex(REGION, 'region must look like europe-west1');
const project = z.string().regex(PROJECT_ID, 'project must be a project id such as demo-project (6-30 characters)');

export const INGRESS_VALUES = [
  'INGRESS_TRAFFIC_ALL',
  'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  'INGRESS_TRAFFIC_NONE',
] as const;

const runService = z.strictObject({
  project: project.optional(),
  region,
  name: name('a Cloud Run service name', 49),
  ingress: z.enum(INGRESS_VALUES).default('INGRESS_TRAFFIC_ALL'),
  /** Members granted roles/run.invoker (`allUsers`, `user:a@b.c`, `serviceAccount:...`). */
  invokers: z.array(z.string().min(1)).default(['allUsers']),
  /** Revision tags; each gets its own `TAG---` URL. */
  tags: z.array(name('a revision tag')).default([]),
  /** A Cloud Run function (2nd gen): carries a buildConfig. */
  function: z.boolean().default(false),
  image: z.string().default('us-docker.pkg.dev/cloudrun/container/hello'),
  labels: z.record(z.string(), z.string()).default({}),
  description: z.string().optional(),
  defaultUriDisabled: z.boolean().default(false),
  invokerIamDisabled: z.boolean().default(false),
  iapEnabled: z.boolean().default(false),
  /** How long the service's code takes to answer a request, in ms (route timeouts are tested against it). */
  responseDelayMs: z.number().int().min(0).max(600000).default(0),
});

const cloudFunction = z.strictObject({
  project: project.optional(),
  region,
  name: name('a function name'),
  runtime: z.string().default('nodejs20'),
  entryPoint: z.string().optional(),
  ingressSettings: z.enum(['ALLOW_ALL', 'ALLOW_INTERNAL_ONLY', 'ALLOW_INTERNAL_AND_GCLB']).default('ALLOW_ALL'),
  invokers: z.array(z.string().min(1)).default(['allUsers']),
});

const appEngineApp = z.strictObject({
  project: project.optional(),
  /** App Engine location id: `europe-west` means europe-west1, `us-central` means us-central1. */
  locationId: z.string().min(1),
  services: z
    .array(
      z.strictObject({
        name: name('an App Engine service name'),
        versions: z.array(name('an App Engine version id')).min(1, 'a service needs at least one version'),
        /** The version that receives traffic; default the last one listed. */
        serving: z.string().optional(),
      }),
    )
    .default([{ name: 'default', versions: ['v1'] }]),
});

const apiGateway = z.strictObject({
  project: project.optional(),
  region,
  name: name('a gateway id'),
  api: name('an API id').optional(),
  apiConfig: name('an API config id').optional(),
});

const subnetwork = z.strictObject({
  name: name('a subnetwork name'),
  region,
  ipCidrRange: z.string().regex(CIDR, 'ipCidrRange must be an IPv4 CIDR such as 10.0.0.0/20'),
  purpose: z
    .enum(['PRIVATE', 'REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'PRIVATE_SERVICE_CONNECT'])
    .default('PRIVATE'),
  role: z.enum(['ACTIVE', 'BACKUP']).optional(),
});

const network = z.strictObject({
  project: project.optional(),
  name: name('a network name'),
  autoCreateSubnetworks: z.boolean().default(false),
  routingMode: z.enum(['REGIONAL', 'GLOBAL']).default('REGIONAL'),
  subnetworks: z.array(subnetwork).default([]),
});

const address = z.strictObject({
  project: project.optional(),
  name: name('an address name'),
  /** Omit for a global address. */
  region: region.optional(),
  addressType: z.enum(['EXTERNAL', 'INTERNAL']).default('EXTERNAL'),
  ipVersion: z.enum(['IPV4', 'IPV6']).default('IPV4'),
  address: z.string().optional(),
  networkTier: z.enum(['PREMIUM', 'STANDARD']).optional(),
});

const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SOA', 'CAA', 'SRV', 'PTR'] as const;

const recordSet = z.strictObject({
  name: z.string().min(1),
  type: z.enum(RECORD_TYPES),
  ttl: z.number().int().min(0).default(300),
  rrdatas: z.array(z.string().min(1)).min(1, 'a record set needs at least one rrdata'),
});

const dnsZone = z.strictObject({
  project: project.optional(),
  name: name('a managed zone name'),
  dnsName: z
    .string()
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?\.?$/i, 'dnsName must be a domain such as example.com.')
    .transform((s) => (s.endsWith('.') ? s.toLowerCase() : `${s.toLowerCase()}.`)),
  description: z.string().default(''),
  visibility: z.enum(['public', 'private']).default('public'),
  /** Private zones: network names (or URLs) the zone is visible to. */
  networks: z.array(z.string().min(1)).default([]),
  records: z.array(recordSet).default([]),
});

export const seedSchema = z.strictObject({
  project: project.default('demo-project'),
  /** Project numbers by project id; projects not listed get a number derived from their id. */
  projectNumbers: z.record(z.string(), z.string().regex(/^\d{6,19}$/, 'a project number is 6-19 digits')).default({}),
  /**
   * Projects under an organisation policy of domain restricted sharing
   * (iam.allowedPolicyMemberDomains): setIamPolicy refuses allUsers and allAuthenticatedUsers there
   * with FAILED_PRECONDITION, as Google does.
   */
  domainRestrictedSharing: z.array(project).default([]),
  /** IAM permissions the caller lacks in a project, by project id (projects.testIamPermissions leaves them out). */
  deniedPermissions: z.record(project, z.array(z.string().regex(/^[a-z]+(\.[A-Za-z]+)+$/, 'a permission looks like compute.backendServices.create'))).default({}),
  /** APIs turned off in a project, by project id (Service Usage lists them as DISABLED): `compute.googleapis.com`, ... */
  disabledApis: z.record(project, z.array(z.string().regex(/^[a-z]+\.googleapis\.com$/, 'an API is named like compute.googleapis.com'))).default({}),
  runServices: z.array(runService).default([]),
  functions: z.array(cloudFunction).default([]),
  appEngine: z.array(appEngineApp).default([]),
  apiGateways: z.array(apiGateway).default([]),
  networks: z.array(network).default([]),
  addresses: z.array(address).default([]),
  dnsZones: z.array(dnsZone).default([]),
});

export type Seed = z.output<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type SeedRunService = Seed['runServices'][number];
export type SeedZone = Seed['dnsZones'][number];

export class SeedError extends Error {
  constructor(
    readonly problems: string[],
    source?: string,
  ) {
    super(`Invalid emulator seed${source ? ` ${source}` : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** Checks that need several entries at once: duplicates, records inside their zone, App Engine once per project. */
function crossChecks(seed: Seed): string[] {
  const problems: string[] = [];
  const dup = (list: string, keys: string[]) => {
    const seen = new Map<string, number>();
    keys.forEach((k, i) => {
      const j = seen.get(k);
      if (j !== undefined) problems.push(`${list}[${i}]: duplicates ${list}[${j}] (${k})`);
      else seen.set(k, i);
    });
  };
  const p = (x: { project?: string | undefined }) => x.project ?? seed.project;
  dup('runServices', seed.runServices.map((s) => `${p(s)}/${s.region}/${s.name}`));
  dup('functions', seed.functions.map((s) => `${p(s)}/${s.region}/${s.name}`));
  dup('appEngine', seed.appEngine.map((a) => p(a)));
  dup('apiGateways', seed.apiGateways.map((g) => `${p(g)}/${g.region}/${g.name}`));
  dup('networks', seed.networks.map((n) => `${p(n)}/${n.name}`));
  dup('addresses', seed.addresses.map((a) => `${p(a)}/${a.region ?? 'global'}/${a.name}`));
  dup('dnsZones', seed.dnsZones.map((z) => `${p(z)}/${z.name}`));
  seed.networks.forEach((n, i) => {
    const seen = new Set<string>();
    n.subnetworks.forEach((s, j) => {
      const k = `${s.region}/${s.name}`;
      if (seen.has(k)) problems.push(`networks[${i}].subnetworks[${j}]: duplicate subnetwork ${k}`);
      seen.add(k);
      if (s.purpose === 'PRIVATE' && s.role) problems.push(`networks[${i}].subnetworks[${j}].role: only proxy-only subnetworks have a role`);
      if ((s.purpose === 'REGIONAL_MANAGED_PROXY' || s.purpose === 'GLOBAL_MANAGED_PROXY') && !s.role) {
        problems.push(`networks[${i}].subnetworks[${j}].role: a proxy-only subnetwork needs role ACTIVE or BACKUP`);
      }
    });
    if (n.autoCreateSubnetworks && n.subnetworks.length > 0) {
      problems.push(`networks[${i}].subnetworks: an auto-mode network creates its own subnetworks; set autoCreateSubnetworks: false`);
    }
  });
  seed.appEngine.forEach((a, i) =>
    a.services.forEach((s, j) => {
      if (s.serving && !s.versions.includes(s.serving)) {
        problems.push(`appEngine[${i}].services[${j}].serving: ${s.serving} is not one of its versions`);
      }
    }),
  );
  seed.addresses.forEach((a, i) => {
    if (a.address && a.ipVersion === 'IPV4' && !IPV4.test(a.address)) problems.push(`addresses[${i}].address: not an IPv4 address`);
    if (a.addressType === 'INTERNAL' && !a.region) problems.push(`addresses[${i}].region: an INTERNAL address is regional`);
  });
  seed.runServices.forEach((s, i) => {
    if (new Set(s.tags).size !== s.tags.length) problems.push(`runServices[${i}].tags: duplicate tag`);
  });
  seed.dnsZones.forEach((z, i) => {
    if (z.visibility === 'public' && z.networks.length > 0) problems.push(`dnsZones[${i}].networks: only private zones have networks`);
    z.records.forEach((r, j) => {
      const n = r.name.toLowerCase().endsWith('.') ? r.name.toLowerCase() : `${r.name.toLowerCase()}.`;
      if (n !== z.dnsName && !n.endsWith(`.${z.dnsName}`)) {
        problems.push(`dnsZones[${i}].records[${j}].name: ${r.name} is not inside the zone ${z.dnsName}`);
      }
      if (r.type === 'A') r.rrdatas.forEach((d) => IPV4.test(d) || problems.push(`dnsZones[${i}].records[${j}].rrdatas: ${d} is not an IPv4 address`));
      if (r.type === 'CNAME' && r.rrdatas.length !== 1) problems.push(`dnsZones[${i}].records[${j}].rrdatas: a CNAME has exactly one rrdata`);
    });
  });
  return problems;
}

/** Validates a parsed seed document (JSON value). */
export function parseSeed(input: unknown, source?: string): Seed {
  if (input === null || input === undefined) input = {};
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    throw new SeedError(
      result.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`),
      source,
    );
  }
  const problems = crossChecks(result.data);
  if (problems.length > 0) throw new SeedError(problems, source);
  return result.data;
}

/** Parses seed text: JSON when it parses as JSON, otherwise YAML. */
export function parseSeedText(text: string, source?: string): Seed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new SeedError([`not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`], source);
    }
  }
  return parseSeed(doc, source);
}

export function readSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError([`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`], path);
  }
  return parseSeedText(text, path);
}
