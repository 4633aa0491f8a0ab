/**
 * Discovery: what the wizard lists instead of making people type names: Cloud Run services (and
 * Cloud Run functions) per region, reserved addresses, SSL certificates, networks and subnets,
 * security policies and Cloud DNS managed zones. Read through the Cloud port only.
 *
 * Contract: every method resolves with the items or rejects with the Cloud port's CloudError; the
 * wizard turns a rejection into a note and a typed answer (see DiscoveryAccess in questions.ts).
 */
import type { Cloud, RunServiceInfo, SubnetworkInfo } from '../cloud/port.js';
import type { Scope } from '../model/resource-model.js';

export interface AddressInfo {
  name: string;
  address: string;
  /** RESERVED (free) or IN_USE. */
  status: string;
  addressType: string;
}

export interface CertificateInfo {
  name: string;
  /** MANAGED or SELF_MANAGED. */
  type: string;
  domains: string[];
}

export interface DnsZoneInfo {
  name: string;
  /** `example.com.` */
  dnsName: string;
}

export interface BackendServiceInfo {
  name: string;
  loadBalancingScheme: string;
  /** PREPARE, TEST_BY_PERCENTAGE or TEST_ALL_TRAFFIC while a classic one migrates. */
  migrationState?: string;
  migrationPercent?: number;
}

/** A Certificate Manager certificate or certificate map, for picking. */
export interface CertificateManagerItem {
  name: string;
  /** The certificate's domains (certificates only). */
  domains: string[];
}

export interface Discovery {
  /** Where the lists come from, for messages (`Google Cloud`, `emulator at 127.0.0.1:PORT`). */
  readonly target: string;
  /** The project exists, its Compute Engine API is on, and these credentials may read it; else the Cloud port's CloudError. */
  checkProject(): Promise<void>;
  /** The regions the project may use. */
  regions(): Promise<string[]>;
  /** Certificate Manager certificates in a location (`global`, or a region's `regions/R`). */
  certManagerCertificates(scope: Scope): Promise<CertificateManagerItem[]>;
  /** Certificate Manager certificate maps (global). */
  certificateMaps(): Promise<CertificateManagerItem[]>;
  /** Global backend services: name, scheme and classic migration state. */
  globalBackendServices(): Promise<BackendServiceInfo[]>;
  runServices(region: string): Promise<RunServiceInfo[]>;
  addresses(scope: Scope): Promise<AddressInfo[]>;
  sslCertificates(scope: Scope): Promise<CertificateInfo[]>;
  networks(): Promise<string[]>;
  subnetworks(region: string): Promise<SubnetworkInfo[]>;
  /** Every subnetwork of a VPC network, in every region (for free ranges). */
  networkSubnetworks(network: string): Promise<SubnetworkInfo[]>;
  securityPolicies(scope: Scope): Promise<string[]>;
  dnsZones(): Promise<DnsZoneInfo[]>;
}

function lastSegment(value: unknown): string {
  return String(value ?? '').split('/').pop() ?? '';
}

/** Discovery through the Cloud port. */
export function cloudDiscovery(cloud: Cloud): Discovery {
  const discovery: Discovery = {
    target: cloud.target,
    async checkProject() {
      await cloud.getProjectQuotas();
    },
    regions: () => cloud.listRegions(),
    async certManagerCertificates(scope) {
      const items = await cloud.list('certManagerCertificate', scope);
      return items.map((r) => ({ name: r.name, domains: ((r.body.sanDnsnames ?? (r.body.managed as { domains?: string[] } | undefined)?.domains ?? []) as string[]).map(String) }));
    },
    async globalBackendServices() {
      return (await cloud.list('backendService', 'global')).map((r) => ({
        name: r.name,
        loadBalancingScheme: String(r.body.loadBalancingScheme ?? ''),
        ...(typeof r.body.externalManagedMigrationState === 'string' ? { migrationState: r.body.externalManagedMigrationState } : {}),
        ...(typeof r.body.externalManagedMigrationTestingPercentage === 'number' ? { migrationPercent: r.body.externalManagedMigrationTestingPercentage } : {}),
      }));
    },
    async certificateMaps() {
      return (await cloud.list('certificateMap', 'global')).map((r) => ({ name: r.name, domains: [] }));
    },
    runServices: (region) => cloud.listRunServices(region),
    async addresses(scope) {
      const items = await cloud.list('address', scope);
      return items.map((r) => ({
        name: r.name,
        address: String(r.body.address ?? ''),
        status: String(r.body.status ?? ''),
        addressType: String(r.body.addressType ?? 'EXTERNAL'),
      }));
    },
    async sslCertificates(scope) {
      const items = await cloud.list('sslCertificate', scope);
      return items.map((r) => {
        const managed = r.body.managed as { domains?: string[] } | undefined;
        const sans = r.body.subjectAlternativeNames as string[] | undefined;
        return { name: r.name, type: String(r.body.type ?? 'SELF_MANAGED'), domains: managed?.domains ?? sans ?? [] };
      });
    },
    async networks() {
      return (await cloud.list('network', 'global')).map((r) => r.name);
    },
    subnetworks: (region) => cloud.listSubnetworks(region),
    networkSubnetworks: (network) => cloud.listNetworkSubnetworks(network),
    async securityPolicies(scope) {
      return (await cloud.list('securityPolicy', scope)).map((r) => r.name);
    },
    async dnsZones() {
      return (await cloud.listManagedZones()).map((z) => ({ name: lastSegment(z.name), dnsName: z.dnsName }));
    },
  };
  return discovery;
}
