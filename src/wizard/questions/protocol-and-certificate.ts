/**
 * Wizard questions: The frontend: protocol and port, the domains, the certificate, and the Cloud DNS zone for the records.
 */
import { type LbType, type Spec } from '../../spec/schema.js';
import { certificateService, defaultPort, isInternalType } from '../../spec/derive.js';
import type { Choice } from '../prompter.js';
import { deleteIn, setIn } from '../patch.js';
import { checkCertificateFiles } from '../../spec/certificate-files.js';

import { P, HostRuleInput, WizardState, Question, typeOf, isGlobalExternal, protocolOf, domainsOf, scopeOf, uniqueReason, listInput, textInput, select, absolutePath, pickSeveral } from './kit.js';

export const protocol: Question<string> = {
  id: 'protocol',
  label: 'Protocol',
  keys: ['frontend.protocol'],
  relevant: () => true,
  read: (p) => p.frontend?.protocol,
  apply: (p, v) => void ((p.frontend ??= {}).protocol = v as 'https'),
  show: (v) => v,
  default: (s) => (isInternalType(typeOf(s)) ? 'https' : 'https-redirect'),
  ask: (kit) =>
    select(
      'protocol',
      'Which protocol do clients use?',
      [
        { value: 'https-redirect', name: 'HTTPS, and HTTP redirected to HTTPS (https-redirect)', description: 'an HTTPS listener plus one on port 80 that answers with a redirect' },
        { value: 'https', name: 'HTTPS only (https)', description: 'one HTTPS listener' },
        { value: 'http', name: 'HTTP only (http)', description: 'no certificate; for trials and private traffic' },
      ],
      kit,
    ),
};

export const port: Question<number> = {
  id: 'port',
  label: 'Port',
  keys: ['frontend.port'],
  relevant: () => true,
  read: (p) => p.frontend?.port,
  apply: (p, v) => {
    // The protocol's own port is the default: leave it out, so a later protocol change keeps it right.
    if (v === defaultPort((p.frontend?.protocol ?? 'https') as 'https')) deleteIn(p as Record<string, unknown>, 'frontend.port');
    else (p.frontend ??= {}).port = v;
  },
  show: (v) => String(v),
  default: (s) => defaultPort(protocolOf(s) as 'https'),
  ask: (kit) =>
    kit.prompter.number({
      id: 'port',
      message: `Port of the ${protocolOf(kit.state) === 'http' ? 'HTTP' : 'HTTPS'} listener`,
      min: 1,
      max: 65535,
      ...(kit.initial !== undefined ? { default: kit.initial } : {}),
      validate: (v) => kit.validate(v),
    }),
};

export const domains: Question<string[]> = {
  id: 'domains',
  label: 'Domains',
  keys: ['frontend.domains'],
  relevant: () => true,
  optional: true,
  read: (p) => (p.frontend?.domains as string[] | undefined)?.length ? (p.frontend!.domains as string[]) : undefined,
  apply: (p, v) => {
    if (v.length > 0) (p.frontend ??= {}).domains = v;
  },
  show: (v) => (v.length ? v.join(', ') : 'none'),
  suggest: (s) => {
    const hosts = ((s.input.routing?.hosts ?? []) as HostRuleInput[]).flatMap((r) => r.hosts ?? []).filter((h) => h !== '*' && !h.startsWith('*') && !h.includes(':'));
    return hosts.length ? [...new Set(hosts)] : undefined;
  },
  ask: (kit) =>
    listInput(
      'domains',
      protocolOf(kit.state) === 'http'
        ? 'Domains clients use, comma-separated (optional: for DNS records and checks)'
        : 'Domains clients use, comma-separated (for the certificate, DNS records and checks)',
      kit,
      true,
    ),
};

/**
 * The certificate choices: a certificate kind, and for Google-managed and self-managed ones where
 * it is made (`-cm`: Certificate Manager, `certificate.service: certificate-manager`).
 */
type CertificateKind = 'managed' | 'managed-cm' | 'self-managed' | 'self-managed-cm' | 'existing' | 'certificate-manager';

/** The choices a type offers, the first the default: Certificate Manager's Google-managed one first where Compute Engine cannot hold it. */
function certificateKinds(type: LbType): CertificateKind[] {
  if (type === 'cross-region-internal') return ['managed-cm', 'self-managed-cm', 'certificate-manager'];
  if (isGlobalExternal(type)) return ['managed', 'managed-cm', 'self-managed', 'self-managed-cm', 'existing', 'certificate-manager'];
  return ['managed-cm', 'self-managed', 'self-managed-cm', 'existing', 'certificate-manager'];
}

const CERTIFICATE_CHOICES: Record<CertificateKind, Omit<Choice, 'value'>> = {
  managed: { name: 'Google-managed (managed)', description: 'Google issues and renews it once the domains point at the load balancer (recommended)' },
  'managed-cm': { name: 'Google-managed (Certificate Manager)', description: 'issued through DNS authorization, so it can be ACTIVE before DNS points here; takes wildcards (*.example.com)' },
  'self-managed': { name: 'Your own, from PEM files (self-managed)', description: 'a certificate chain and its private key; the key is read only when applying' },
  'self-managed-cm': { name: 'Your own, from PEM files (self-managed, Certificate Manager)', description: 'uploaded to Certificate Manager; the key is read only when applying' },
  existing: { name: 'Existing SSL certificates in the project (existing)', description: 'compute SSL certificates by name' },
  'certificate-manager': { name: 'Existing Certificate Manager certificates or map (certificate-manager)', description: 'a certificate map (global types) or certificates (regional and cross-region types)' },
};

function certificateOf(state: WizardState): string | undefined {
  return state.input.certificate?.type;
}
function https(state: WizardState): boolean {
  return protocolOf(state) !== 'http';
}

export const certificate: Question<CertificateKind> = {
  id: 'certificate',
  label: 'Certificate',
  keys: ['certificate.type', 'certificate.service'],
  relevant: https,
  read: (p) => {
    const c = p.certificate;
    if (!c?.type) return undefined;
    if (c.type !== 'managed' && c.type !== 'self-managed') return c.type as CertificateKind;
    const service = certificateService({ type: (p.type ?? 'global-external') as LbType, certificate: c as Spec['certificate'] });
    return service === 'certificate-manager' ? `${c.type}-cm` : c.type;
  },
  apply: (p, v) => {
    const type = v.replace(/-cm$/, '') as 'managed' | 'self-managed' | 'existing' | 'certificate-manager';
    if (p.certificate?.type !== type) p.certificate = { type } as P['certificate'];
    const cert = p.certificate as Record<string, unknown>;
    if (v.endsWith('-cm')) cert.service = 'certificate-manager';
    else if (type === 'managed' || type === 'self-managed') delete cert.service;
  },
  show: (v) => (v.endsWith('-cm') ? `${v.replace(/-cm$/, '')} (Certificate Manager)` : v),
  default: (s) => certificateKinds(typeOf(s))[0],
  suggest: () => 'self-managed',
  ask: (kit) =>
    select(
      'certificate',
      'Which certificate does the HTTPS listener present?',
      certificateKinds(typeOf(kit.state)).map((kind) => ({ value: kind, ...CERTIFICATE_CHOICES[kind] })),
      kit,
    ),
};


export const certificateFile: Question<string> = {
  id: 'certificateFile',
  label: 'Certificate file',
  keys: ['certificate.certificateFile'],
  relevant: (s) => https(s) && certificateOf(s) === 'self-managed',
  read: (p) => (p.certificate?.type === 'self-managed' ? p.certificate.certificateFile : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.certificateFile', absolutePath(v)),
  show: (v) => v,
  // Read and checked when given (exists, PEM certificates, valid now, covers the domains), not at the end.
  check: (v, s) => fileErrors(s, 'certificateFile', absolutePath(v), undefined),
  ask: (kit) => textInput('certificateFile', 'Path of the PEM certificate chain (leaf first)', kit),
};

export const privateKeyFile: Question<string> = {
  id: 'privateKeyFile',
  label: 'Private key file',
  keys: ['certificate.privateKeyFile'],
  relevant: (s) => https(s) && certificateOf(s) === 'self-managed',
  read: (p) => (p.certificate?.type === 'self-managed' ? p.certificate.privateKeyFile : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.privateKeyFile', absolutePath(v)),
  show: (v) => v,
  // Read when given (a PEM key Google takes, matching the certificate); never printed or stored.
  check: (v, s) => {
    const certificate = s.input.certificate?.type === 'self-managed' ? s.input.certificate.certificateFile : undefined;
    return fileErrors(s, 'privateKeyFile', certificate, absolutePath(v));
  },
  ask: (kit) => textInput('privateKeyFile', 'Path of the PEM private key (read only when applying, never printed or stored)', kit),
};

/** The errors the certificate-file rules find on one of the two files, as one answer refusal. */
function fileErrors(state: WizardState, on: 'certificateFile' | 'privateKeyFile', certificateFile: string | undefined, privateKeyFile: string | undefined): string | undefined {
  const readFile = state.io.readFile;
  if (!readFile || (on === 'certificateFile' ? !certificateFile : !privateKeyFile)) return undefined;
  const findings = checkCertificateFiles(certificateFile ?? '', privateKeyFile ?? '', domainsOf(state), { readFile, ...(state.io.now ? { now: state.io.now } : {}) });
  const mine = findings.filter((f) => f.on === on && f.severity === 'error' && (on === 'certificateFile' || certificateFile || !/does not match/.test(f.message)));
  return mine.length ? mine.map((f) => `${f.message} (${f.hint})`).join('; ') : undefined;
}

export const existingCertificate: Question<string[]> = {
  id: 'existingCertificate',
  label: 'Existing certificates',
  keys: ['certificate.names'],
  relevant: (s) => https(s) && certificateOf(s) === 'existing',
  read: (p) => (p.certificate?.type === 'existing' && p.certificate.names?.length ? (p.certificate.names as string[]) : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.names', v),
  show: (v) => v.join(', '),
  check: (v) => uniqueReason(v, 'certificate'),
  async ask(kit) {
    const scope = scopeOf(kit.state);
    const found = scope ? await kit.state.discover.list(`SSL certificates (${scope})`, (d) => d.sslCertificates(scope)) : undefined;
    return pickSeveral(
      'existingCertificate',
      'Which SSL certificates?',
      (found ?? []).map((c) => ({ value: c.name, name: `${c.name}  (${c.type.toLowerCase()}${c.domains.length ? `: ${c.domains.join(', ')}` : ''})` })),
      'Names of the existing SSL certificates, comma-separated',
      kit,
    );
  },
};

export const certificateMap: Question<string> = {
  id: 'certificateMap',
  label: 'Certificate map',
  keys: ['certificate.certificateMap'],
  relevant: (s) => https(s) && certificateOf(s) === 'certificate-manager' && isGlobalExternal(typeOf(s)),
  read: (p) => (p.certificate?.type === 'certificate-manager' ? p.certificate.certificateMap : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.certificateMap', v),
  show: (v) => v,
  async ask(kit) {
    const found = await kit.state.discover.list('Certificate Manager certificate maps', (d) => d.certificateMaps());
    if (found && found.length > 0) {
      return select('certificateMap', 'Which Certificate Manager certificate map?', found.map((m) => ({ value: m.name, name: m.name })), kit);
    }
    return textInput('certificateMap', 'Certificate Manager certificate map (its name)', kit);
  },
};

export const certificateManagerCertificate: Question<string[]> = {
  id: 'certificateManagerCertificate',
  label: 'Certificate Manager certificates',
  keys: ['certificate.certificates'],
  relevant: (s) => https(s) && certificateOf(s) === 'certificate-manager' && !isGlobalExternal(typeOf(s)),
  read: (p) => (p.certificate?.type === 'certificate-manager' && p.certificate.certificates?.length ? (p.certificate.certificates as string[]) : undefined),
  apply: (p, v) => void setIn(p as Record<string, unknown>, 'certificate.certificates', v),
  show: (v) => v.join(', '),
  check: (v) => uniqueReason(v, 'certificate'),
  async ask(kit) {
    // Regional types take certificates of their region; the cross-region type takes global ones.
    const scope = scopeOf(kit.state) ?? 'global';
    const found = await kit.state.discover.list(`Certificate Manager certificates (${scope})`, (d) => d.certManagerCertificates(scope));
    return pickSeveral(
      'certificateManagerCertificate',
      'Which Certificate Manager certificates?',
      (found ?? []).map((c) => ({ value: c.name, name: `${c.name}${c.domains.length ? `  (${c.domains.join(', ')})` : ''}` })),
      'Certificate Manager certificates (names), comma-separated',
      kit,
    );
  },
};

export const dnsZone: Question<string> = {
  id: 'dnsZone',
  label: 'DNS zone',
  keys: ['dns.managedZone'],
  relevant: (s) => domainsOf(s).length > 0,
  optional: true,
  read: (p) => p.dns?.managedZone,
  apply: (p, v) => void ((p.dns ??= {}).managedZone = v),
  show: (v) => v,
  async ask(kit) {
    const { state } = kit;
    const message = `Cloud DNS managed zone for the records of ${domainsOf(state).join(', ')}`;
    const zones = await state.discover.list('Cloud DNS managed zones', (d) => d.dnsZones());
    if (zones && zones.length > 0) {
      const covers = (z: { dnsName: string }) => domainsOf(state).some((d) => `${d}.`.endsWith(`.${z.dnsName}`) || `${d}.` === z.dnsName);
      const sorted = [...zones].sort((a, b) => Number(covers(b)) - Number(covers(a)));
      const choice = await kit.prompter.select({
        id: 'dnsZone',
        message,
        choices: [
          ...sorted.map((z) => ({ value: z.name, name: `${z.name}  (${z.dnsName})` })),
          { value: '', name: 'None: I create the DNS records myself' },
        ],
        default: kit.initial ?? (sorted[0] && covers(sorted[0]) ? sorted[0].name : ''),
        validate: (v) => (v === '' ? undefined : kit.validate(v)),
      });
      return choice === '' ? undefined : choice;
    }
    return textInput('dnsZone', `${message} (its name; empty: you create the records yourself)`, kit, true);
  },
};
