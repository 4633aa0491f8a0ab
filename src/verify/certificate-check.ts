/**
 * The certificate check (HTTPS load balancers): the state of each certificate on the HTTPS proxy,
 * read through the Cloud port, and whether together they cover every domain.
 *
 * - Google-managed: ACTIVE passes. PROVISIONING, FAILED_NOT_VISIBLE, FAILED_CAA_* and
 *   FAILED_RATE_LIMITED fail, per domain, with the reason (DNS not pointing at the load balancer,
 *   from the dns check; not attached to a proxy) and what to do.
 * - Self-managed: passes when not expired; its names are reported.
 * - Every frontend domain must be covered by some certificate's names (wildcards count).
 * - Certificate Manager certificates (the load balancer's, directly or through its certificate map,
 *   and those the user named directly): ACTIVE passes; PROVISIONING and FAILED fail with each
 *   domain's authorization state, the reason Google gives, and the CNAME record each DNS
 *   authorization asks for (to add to DNS where the config names no managed zone). Self-managed
 *   ones pass when not expired.
 * - A certificate map the user named is not read: reported, not judged.
 */
import type { ObservedResource } from '../model/resource-model.js';
import { parseResourcePath } from '../plan/paths.js';
import type { Cloud } from '../cloud/port.js';
import type { DomainResolution } from './dns-check.js';
import { fromItems, skipped, type CheckItem, type CheckResult } from './report.js';
import type { CertificateTarget } from './target.js';

export interface CertificateCheckInput {
  certificates: readonly CertificateTarget[];
  certificateManager: readonly string[];
  domains: readonly string[];
  /** What the dns check found, to explain a certificate that is not provisioned. */
  dns: readonly DomainResolution[];
  now: number;
}

/** Whether a certificate name (`*.example.com` or exact) covers a host. */
export function nameCovers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n.startsWith('*.')) {
    const rest = h.slice(h.indexOf('.') + 1);
    return h.includes('.') && rest === n.slice(2);
  }
  return n === h;
}

const STATUS_HINTS: Record<string, string> = {
  FAILED_NOT_VISIBLE: 'Google could not see the domain pointing at this load balancer: make its A/AAAA records point at the address (see the dns check). Provisioning retries for a while; if the status stays failed, re-run apply to replace the certificate',
  FAILED_CAA_CHECKING: 'Google could not check the domain\'s CAA records: make sure its DNS answers CAA queries (or has none)',
  FAILED_CAA_FORBIDDEN: 'the domain\'s CAA records do not allow Google\'s CAs: add a CAA record `0 issue "pki.goog"` (and `letsencrypt.org` for fallback)',
  FAILED_RATE_LIMITED: 'the CA rate-limited this domain: wait and re-run apply later',
};

function managedItems(o: ObservedResource, attached: boolean, dns: readonly DomainResolution[]): CheckItem[] {
  const managed = (o.body.managed ?? {}) as { status?: string; domains?: string[]; domainStatus?: Record<string, string> };
  const status = managed.status ?? 'UNKNOWN';
  const name = `managed certificate ${o.name}`;
  const domains = managed.domains ?? Object.keys(managed.domainStatus ?? {});
  if (status === 'ACTIVE') {
    const expires = typeof o.body.expireTime === 'string' ? `, expires ${o.body.expireTime.slice(0, 10)}` : '';
    return [{ name, ok: true, detail: `ACTIVE for ${domains.join(', ')}${expires}` }];
  }
  const perDomain = domains.map((d) => {
    const ds = managed.domainStatus?.[d] ?? status;
    const r = dns.find((x) => x.domain.toLowerCase() === d.toLowerCase());
    const reasons: string[] = [];
    if (!attached) reasons.push('not attached to the HTTPS proxy');
    if (r && !r.ok) reasons.push(`DNS does not point here yet: ${r.problem ?? 'not the load balancer'}`);
    return `${d} ${ds}${reasons.length ? ` (${reasons.join('; ')})` : ''}`;
  });
  const failedStatus = Object.values(managed.domainStatus ?? {}).find((s) => s.startsWith('FAILED')) ?? (status.startsWith('FAILED') ? status : undefined);
  const dnsBad = dns.some((r) => !r.ok && domains.some((d) => d.toLowerCase() === r.domain.toLowerCase()));
  let hint: string;
  if (!attached) hint = 'Google provisions a managed certificate only while an HTTPS proxy uses it: re-run `serverless-lb apply`';
  else if (failedStatus && STATUS_HINTS[failedStatus]) hint = STATUS_HINTS[failedStatus]!;
  else if (dnsBad) hint = 'point every domain on the certificate at the load balancer first (see the dns check); Google then provisions it, usually within 15-60 minutes. Re-run with --wait 60m to wait';
  else hint = 'DNS points here and the certificate is attached: Google is provisioning it, which usually takes 15-60 minutes. Re-run with --wait 60m to wait';
  return [{ name, ok: false, detail: `${status}: ${perDomain.join(', ')}`, hint }];
}

/** A self-managed certificate (Compute Engine or Certificate Manager, named `name`): its names and expiry. */
function selfManagedItem(o: ObservedResource, attached: boolean, now: number, name = `certificate ${o.name}`): CheckItem {
  const names = ((o.body.subjectAlternativeNames ?? o.body.sanDnsnames ?? []) as string[]).map(String);
  const expire = typeof o.body.expireTime === 'string' ? o.body.expireTime : undefined;
  if (expire && Date.parse(expire) <= now) return { name, ok: false, detail: `expired ${expire.slice(0, 10)} (names: ${names.join(', ')})`, hint: 'renew it: point certificate.certificateFile/privateKeyFile at the new files and re-run apply' };
  if (!attached) return { name, ok: false, detail: `not attached to the HTTPS proxy (names: ${names.join(', ')})`, hint: 're-run `serverless-lb apply`' };
  return { name, ok: true, detail: `self-managed for ${names.join(', ') || '(no names read)'}${expire ? `, expires ${expire.slice(0, 10)}` : ''}` };
}

interface CertManagerManaged {
  state?: string;
  domains?: string[];
  dnsAuthorizations?: string[];
  authorizationAttemptInfo?: Array<{ domain?: string; state?: string; failureReason?: string; details?: string }>;
  provisioningIssue?: { reason?: string; details?: string };
}

const ATTEMPT_HINTS: Record<string, string> = {
  CONFIG: 'the CNAME record of its DNS authorization is missing or wrong',
  CAA: 'the domain\'s CAA records do not allow Google\'s CAs: add a CAA record `0 issue "pki.goog"`',
  RATE_LIMITED: 'the CA rate-limited this domain: wait and re-run verify later',
};

/** A Certificate Manager certificate: its state, and for a managed one each domain's authorization and the record it needs. */
async function certManagerItems(o: ObservedResource, attached: boolean, cloud: Pick<Cloud, 'get'>, now: number): Promise<CheckItem[]> {
  const name = `Certificate Manager certificate ${o.name}`;
  const managed = o.body.managed as CertManagerManaged | undefined;
  if (!managed) return [selfManagedItem(o, attached, now, name)];
  const domains = (managed.domains ?? []).map(String);
  const state = managed.state ?? 'UNKNOWN';
  if (state === 'ACTIVE' && attached) {
    const expires = typeof o.body.expireTime === 'string' ? `, expires ${o.body.expireTime.slice(0, 10)}` : '';
    return [{ name, ok: true, detail: `ACTIVE for ${domains.join(', ')}${expires}` }];
  }
  // The records the authorizations ask for, read from the authorizations themselves.
  const records = await Promise.all(
    (managed.dnsAuthorizations ?? []).map(async (path) => {
      const parsed = parseResourcePath(path);
      const auth = parsed ? await cloud.get({ kind: parsed.kind, scope: parsed.scope, name: parsed.name }).catch(() => undefined) : undefined;
      const record = auth?.body.dnsResourceRecord as { name?: string; type?: string; data?: string } | undefined;
      return { domain: String(auth?.body.domain ?? ''), record };
    }),
  );
  const perDomain = domains.map((d) => {
    const attempt = managed.authorizationAttemptInfo?.find((a) => a.domain === d);
    const why = attempt?.failureReason ? `${attempt.failureReason}${attempt.details ? `: ${attempt.details}` : ''}` : attempt?.details;
    return `${d} ${attempt?.state ?? 'AUTHORIZING'}${why ? ` (${why})` : ''}`;
  });
  const needed = records.filter((r) => r.record?.name && r.record.data).map((r) => `${r.record!.name} ${r.record!.type ?? 'CNAME'} ${r.record!.data}`);
  const failures = [...new Set((managed.authorizationAttemptInfo ?? []).map((a) => a.failureReason).filter((r): r is string => !!r))];
  const issue = managed.provisioningIssue?.reason ? `; provisioning issue ${managed.provisioningIssue.reason}${managed.provisioningIssue.details ? `: ${managed.provisioningIssue.details.replace(/\.$/, '')}` : ''}` : '';
  let hint: string;
  if (!attached) hint = 're-run `serverless-lb apply`: the certificate is not on the HTTPS proxy or its certificate map';
  else if (failures.some((f) => f !== 'CONFIG')) hint = failures.map((f) => ATTEMPT_HINTS[f] ?? f).join('; ');
  else hint = `the certificate becomes ACTIVE once these DNS records resolve publicly: ${needed.map((r) => `\`${r}\``).join(', ') || '(the DNS authorizations have no record yet)'}; with dns.managedZone serverless-lb creates them, otherwise add them to your DNS; then re-run verify (--wait 30m to wait)`;
  return [{ name, ok: false, detail: `${state}: ${perDomain.join(', ')}${issue}`, hint }];
}

/** The names a certificate covers (managed: its domains; self-managed: its SANs). */
function namesOf(o: ObservedResource): string[] {
  if (o.kind === 'certManagerCertificate') return (o.body.managed ? ((o.body.managed as CertManagerManaged).domains ?? []) : ((o.body.sanDnsnames ?? []) as string[])).map(String);
  if (o.body.type === 'MANAGED') return (((o.body.managed ?? {}) as { domains?: string[] }).domains ?? []).map(String);
  return ((o.body.subjectAlternativeNames ?? []) as string[]).map(String);
}

/** Runs the certificate check once. */
export async function checkCertificates(input: CertificateCheckInput, cloud: Pick<Cloud, 'get'>): Promise<CheckResult> {
  if (input.certificates.length === 0 && input.certificateManager.length > 0) {
    return skipped('certificate', `Certificate Manager: ${input.certificateManager.join(', ')} (not read by serverless-lb)`, 'check it with `gcloud certificate-manager certificates describe`');
  }
  const observed = await Promise.all(input.certificates.map(async (c) => ({ target: c, o: await cloud.get(c.ref) })));
  const items: CheckItem[] = [];
  const covering: string[] = [];
  for (const { target, o } of observed) {
    if (!o) {
      items.push({ name: `certificate ${target.ref.name}`, ok: false, detail: 'does not exist', hint: 're-run `serverless-lb apply`' });
      continue;
    }
    if (target.attached) covering.push(...namesOf(o));
    if (o.kind === 'certManagerCertificate') items.push(...(await certManagerItems(o, target.attached, cloud, input.now)));
    else if (o.body.type === 'MANAGED' || o.body.managed) items.push(...managedItems(o, target.attached, input.dns));
    else items.push(selfManagedItem(o, target.attached, input.now));
  }
  for (const ref of input.certificateManager) items.push({ name: `Certificate Manager ${ref.split('/').pop()}`, ok: true, detail: 'not read by serverless-lb (check with gcloud certificate-manager)' });
  if (input.certificateManager.length === 0) {
    for (const d of input.domains) {
      if (!covering.some((n) => nameCovers(n, d))) {
        items.push({
          name: d,
          ok: false,
          detail: `no certificate on the HTTPS proxy covers ${d}${covering.length ? ` (they cover ${[...new Set(covering)].join(', ')})` : ''}`,
          hint: `use a certificate whose names include ${d}: add it to certificate.domains (managed), or a self-managed certificate for it, and re-run apply`,
        });
      }
    }
  }
  if (items.length === 0) return skipped('certificate', 'no certificate on the HTTPS proxy');
  const managedNames = observed.filter((x) => x.o?.body.type === 'MANAGED' || (x.o?.kind === 'certManagerCertificate' && x.o.body.managed)).map((x) => x.o!.name);
  const okDetail = `${managedNames.length ? `Google-managed certificate ${managedNames.join(', ')} ACTIVE` : 'certificate valid'}; covers ${input.domains.length ? input.domains.join(', ') : 'the proxy'}`;
  return fromItems('certificate', items, okDetail);
}
