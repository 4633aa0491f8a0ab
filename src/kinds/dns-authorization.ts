/**
 * `dnsAuthorization`: a Certificate Manager DNS authorization, one per base domain of a
 * Google-managed Certificate Manager certificate (`*.example.com` and `example.com` share the one
 * for `example.com`). Google answers it with the CNAME record that proves control of the domain
 * (`dnsResourceRecord`: `_acme-challenge.DOMAIN.` -> `....authorize.certificatemanager.goog.`);
 * dnsRecordSet creates that record when the config names the managed zone, and the plan, apply
 * and verify print it otherwise.
 *
 * Global for the global types and cross-region internal; in the load balancer's region, of type
 * PER_PROJECT_RECORD, for the regional types (regional certificates take only those). The domain
 * and type cannot change: another domain is another authorization.
 */
import { attr, expr } from '../model/hcl.js';
import { certificateService, certManagerLocation, dnsAuthorizationDomains, managedCertificateDomains } from '../spec/derive.js';
import { obj, str } from '../model/body.js';
import { certManagerFlags, certManagerCommon } from './cert-manager-words.js';
import { certManagerService, scopeOfLocation } from './cert-manager-service.js';
import { flag, gcloud } from '../model/gcloud-words.js';
import type { ResourceKindModule } from './kind.js';

/** The CNAME record an observed authorization asks for: `{name, type, data}`, when Google has made it. */
export function authorizationRecord(body: Record<string, unknown>): { name: string; type: string; data: string } | undefined {
  const record = obj(body, 'dnsResourceRecord');
  const name = str(record, 'name');
  const data = str(record, 'data');
  return name && data ? { name, type: str(record, 'type') ?? 'CNAME', data } : undefined;
}

export const dnsAuthorization = {
  kind: 'dnsAuthorization',
  words: 'Certificate Manager DNS authorization',
  scopes: { global: true, regional: true },

  build(g) {
    const { spec } = g;
    if (spec.certificate?.type !== 'managed' || certificateService(spec) !== 'certificate-manager') return;
    if (!g.listeners.some((l) => l.protocol === 'HTTPS')) return;
    const location = certManagerLocation(spec);
    const scope = scopeOfLocation(location);
    for (const domain of dnsAuthorizationDomains(managedCertificateDomains(spec))) {
      const name = g.names.dnsAuthorization(domain);
      const body: Record<string, unknown> = { domain };
      if (scope !== 'global') body.type = 'PER_PROJECT_RECORD';
      g.shared.dnsAuthorizations.set(domain, g.add('dnsAuthorization', scope, name, body, [], `DNS authorization of ${domain} for the managed certificate`));
    }
  },

  service: certManagerService('dnsAuthorization', 'dnsAuthorizations', []),
  certManager: { collection: 'dnsAuthorizations', referencedAs: 'name', iam: 'certificatemanager.dnsauthorizations' },
  compare: { immutable: () => new Set(['domain', 'type']), rotatable: false },
  plan: {
    // Without dns.managedZone no step creates the authorization's CNAME record: the user adds it.
    byHand(step, plan) {
      const domain = str(step.resource?.body, 'domain');
      if (!domain || step.action === 'delete') return undefined;
      const record = `_acme-challenge.${domain}.`;
      if (plan.steps.some((s) => s.kind === 'dnsRecordSet' && s.name === record && s.action !== 'delete')) return undefined;
      return `add the CNAME record ${record} with the target Google answers for DNS authorization ${step.name} (apply's verification and \`serverless-lb verify\` print it); the certificate becomes ACTIVE once it resolves`;
    },
  },
  ownership: { labels: true, description: true },
  ipOf: (body) => authorizationRecord(body)?.data,

  gcloud(s, r) {
    const type = str(r.body, 'type');
    s.command(r.project, {
      head: gcloud('certificate-manager', 'dns-authorizations', 'create', r.name),
      flags: [flag('domain', str(r.body, 'domain') ?? ''), ...(type ? [flag('type', type.toLowerCase().replace(/_/g, '-'))] : []), ...certManagerFlags(r)],
    });
  },
  terraform: {
    resourceType: () => 'google_certificate_manager_dns_authorization',
    convert(t, r) {
      const type = str(r.body, 'type');
      return [...certManagerCommon(t, r), ...attr('domain', str(r.body, 'domain')), ...(type ? attr('type', type) : [])];
    },
  },
} satisfies ResourceKindModule;

/** The Terraform expression of an authorization's CNAME target. */
export const authorizationRecordData = (address: string) => expr(`${address}.dns_resource_record[0].data`);
