/**
 * Preflight, what the config names and the plan does not create: the Certificate Manager
 * certificates and certificate map the HTTPS proxy points at, and the Cloud DNS zone the records go
 * in, must exist in the project (and the zone must hold the records' names). Google would otherwise
 * refuse the proxy or the records after everything before them was made. Reads only.
 */
import { CERT_MANAGER_PREFIX, parseCertManagerRef } from '../kinds/cert-manager-ref.js';
import { fqdn } from '../kinds/dns-record-set.js';
import { resourceId, type DesiredGraph, type ResourceKind, type Scope } from '../model/resource-model.js';
import type { CallOptions, Cloud } from './port.js';

export interface ReferenceProblem {
  code: string;
  message: string;
  hint: string;
  id?: string;
}

interface CertManagerUse {
  kind: ResourceKind;
  scope: Scope;
  name: string;
  /** The proxy that points at it. */
  by: string;
  key: string;
}

/** Certificate Manager resources the graph's proxies point at that the graph does not create. */
function certManagerUses(graph: DesiredGraph): CertManagerUse[] {
  const made = new Set(graph.resources.filter((r) => r.managed).map((r) => r.id));
  const uses = new Map<string, CertManagerUse>();
  for (const r of graph.resources) {
    if (!r.managed || (r.kind !== 'targetHttpsProxy' && r.kind !== 'targetHttpProxy')) continue;
    const refs: Array<[unknown, string]> = [
      [r.body.certificateMap, 'certificate.certificateMap (--certificate-map)'],
      ...[...((r.body.certificateManagerCertificates as unknown[]) ?? []), ...((r.body.sslCertificates as unknown[]) ?? []).filter((c) => typeof c === 'string' && c.startsWith(CERT_MANAGER_PREFIX))].map(
        (c): [unknown, string] => [c, 'certificate.certificates (--certificate-manager-certificate)'],
      ),
    ];
    for (const [value, key] of refs) {
      const ref = typeof value === 'string' ? parseCertManagerRef(value) : undefined;
      if (!ref || ref.project !== graph.project) continue;
      const kind: ResourceKind = ref.collection === 'certificateMaps' ? 'certificateMap' : 'certManagerCertificate';
      const scope: Scope = ref.location === 'global' ? 'global' : `regions/${ref.location}`;
      const id = resourceId(kind, scope, ref.name);
      if (!made.has(id) && !uses.has(id)) uses.set(id, { kind, scope, name: ref.name, by: r.name, key });
    }
  }
  return [...uses.values()];
}

export async function referenceProblems(graph: DesiredGraph, cloud: Cloud, options: CallOptions): Promise<ReferenceProblem[]> {
  const problems: ReferenceProblem[] = [];
  const reads: Array<Promise<void>> = certManagerUses(graph).map(async (use) => {
    if (await cloud.get({ kind: use.kind, scope: use.scope, name: use.name }, options)) return;
    const where = use.scope === 'global' ? 'global' : use.scope.slice('regions/'.length);
    const what = use.kind === 'certificateMap' ? 'Certificate Manager certificate map' : 'Certificate Manager certificate';
    problems.push({
      id: resourceId(use.kind, use.scope, use.name),
      code: 'preflight.reference-missing',
      message: `${what} ${use.name} (${where}), named in ${use.key}, does not exist in project ${cloud.project}: Google would refuse ${use.by}.`,
      hint: `Create it first (gcloud certificate-manager ${use.kind === 'certificateMap' ? 'maps' : 'certificates'} list --location=${where}), or correct the name in the config.`,
    });
  });

  // The Cloud DNS zone of the records, in this project (a zone in another project is that project's to check).
  const zones = new Map<string, string[]>();
  for (const r of graph.resources) if (r.kind === 'dnsRecordSet' && r.zone && r.project === graph.project) zones.set(r.zone, [...(zones.get(r.zone) ?? []), String(r.body.name ?? r.name)]);
  if (zones.size > 0) {
    reads.push(
      cloud.listManagedZones(options).then((found) => {
        for (const [zone, names] of zones) {
          const info = found.find((z) => z.name === zone);
          if (!info) {
            problems.push({
              code: 'preflight.zone-missing',
              message: `Cloud DNS zone ${zone}, named in dns.managedZone (--dns-zone), does not exist in project ${cloud.project}.`,
              hint: found.length ? `Use one of the project's zones (${found.map((z) => `${z.name}: ${z.dnsName}`).join(', ')}), or create it.` : 'Create the zone first (gcloud dns managed-zones create), or remove dns.managedZone and create the records yourself.',
            });
            continue;
          }
          const outside = names.filter((n) => !fqdn(n).endsWith(`.${info.dnsName}`) && fqdn(n) !== info.dnsName);
          if (outside.length) {
            problems.push({
              code: 'preflight.zone-mismatch',
              message: `Cloud DNS zone ${zone} holds ${info.dnsName}, not ${outside.join(', ')}: Google would refuse those records.`,
              hint: 'Name the zone that holds these domains in dns.managedZone (--dns-zone), or change frontend.domains.',
            });
          }
        }
      }),
    );
  }
  await Promise.all(reads);
  return problems;
}
