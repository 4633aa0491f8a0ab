/**
 * `certificateMapEntry`: an entry of the load balancer's certificate map: one per certificate
 * domain (`hostname`, a `*.` wildcard included) and one PRIMARY entry that serves clients sending
 * no or another server name, each pointing at the load balancer's Certificate Manager certificate.
 * Its graph name is `MAP/ENTRY` (entries live under their map). The certificates change in place
 * (a replaced certificate); the hostname and matcher cannot.
 */
import { attr, expr } from '../model/hcl.js';
import { managedCertificateDomains } from '../spec/derive.js';
import { resourceId } from '../model/resource-model.js';
import { str, strings } from '../model/body.js';
import { certManagerName } from './cert-manager-ref.js';
import { certManagerService } from './cert-manager-service.js';
import { certManagerCommon, certManagerFlags } from './cert-manager-words.js';
import { bare, flag, gcloud, type Word } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';

/** The domains a certificate map entry is made for: the managed certificate's, else frontend.domains. */
function entryHostnames(spec: Parameters<typeof managedCertificateDomains>[0]): string[] {
  const domains = spec.certificate?.type === 'managed' ? managedCertificateDomains(spec) : spec.frontend.domains;
  return [...new Set(domains.map((d) => d.toLowerCase()))];
}

export const certificateMapEntry = {
  kind: 'certificateMapEntry',
  words: 'certificate map entry',
  scopes: { global: true, regional: false },

  build(g) {
    const { shared } = g;
    const certificate = shared.certManagerCertificate;
    const map = g.resources.find((r) => r.kind === 'certificateMap');
    if (!certificate || !map) return;
    const certificates = [certManagerName(g.path(certificate))];
    const entries: Array<{ key: string | 'primary'; body: Record<string, unknown>; purpose: string }> = [
      ...entryHostnames(g.spec).map((hostname) => ({ key: hostname, body: { hostname, certificates }, purpose: `serves ${hostname}` })),
      { key: 'primary', body: { matcher: 'PRIMARY', certificates }, purpose: 'serves clients that send no or another server name' },
    ];
    for (const e of entries) {
      const entry = g.add('certificateMapEntry', 'global', `${map.name}/${g.names.certificateMapEntry(e.key)}`, e.body, [map.id, certificate.id], `certificate map entry: ${e.purpose}`);
      shared.certificateDeps.push(entry.id);
    }
  },

  service: certManagerService('certificateMapEntry', 'certificateMapEntries', ['certificates']),
  certManager: { collection: 'certificateMapEntries', referencedAs: 'name', iam: 'certificatemanager.certmapentries' },
  compare: {
    immutable: () => new Set(['hostname', 'matcher']),
    rotatable: false,
    // An entry moves to new certificates only once they serve; until then it keeps those it has.
    hold(desired, observed, serving) {
      const waitsFor = strings(desired, 'certificates').filter((c) => !serving(c));
      const current = observed ? strings(observed, 'certificates') : [];
      if (waitsFor.length === 0 || current.length === 0 || !current.every(serving)) return { body: desired, waitsFor: [] };
      return { body: { ...desired, certificates: current }, waitsFor };
    },
  },
  ownership: { labels: true, description: true },

  gcloud(s, r) {
    const [map, entry] = r.name.split('/') as [string, string];
    const hostname = str(r.body, 'hostname');
    const flags: Word[] = [flag('map', map), hostname ? flag('hostname', hostname) : bare('set-primary')];
    const certificates = strings(r.body, 'certificates').map((c) => s.refName(c));
    if (certificates.length > 0) flags.push(flag('certificates', certificates.join(',')));
    s.command(r.project, { head: gcloud('certificate-manager', 'maps', 'entries', 'create', entry), flags: [...flags, ...certManagerFlags(r)] });
  },
  terraform: {
    resourceType: () => 'google_certificate_manager_certificate_map_entry',
    convert(t, r) {
      const [map, entry] = r.name.split('/') as [string, string];
      const mapId = resourceId('certificateMap', 'global', map);
      const mapAddress = t.addressOf(mapId);
      if (mapAddress) t.referenced(mapId);
      const hostname = str(r.body, 'hostname');
      return [
        ...certManagerCommon(t, r, entry),
        ...attr('map', mapAddress ? expr(`${mapAddress.address}.name`) : map),
        ...attr('certificates', strings(r.body, 'certificates').map((c) => t.ref(c))),
        ...(hostname ? attr('hostname', hostname) : attr('matcher', str(r.body, 'matcher'))),
      ];
    },
  },
} satisfies ResourceKindModule;
