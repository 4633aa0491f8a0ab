/**
 * Rules of validateSpec: The certificate (and its files), CDN and IAP (and the OAuth client secret).
 */
import { LB_TYPE_INFO, type Spec } from './schema.js';
import { backendFeatures, certificateService, negRegions } from './derive.js';
import { domainReason, lowerIdReason } from './syntax.js';
import { checkCertificateFiles, checkSecretFile, looksLikeInlineContent } from './certificate-files.js';
import { GLOBAL_EXTERNAL_TYPES, Collector, type SpecIo, duplicates } from './check-kit.js';

const CERT_NAME_PATH = /^projects\/[^/]+\/locations\/[^/]+\/certificate(s|Maps)\/[^/]+$/;

export function checkCertificate(spec: Spec, c: Collector, io: SpecIo): void {
  const { certificate, type, frontend } = spec;
  const https = frontend.protocol !== 'http';
  if (!certificate) {
    if (https) c.error('certificate', `${frontend.protocol} needs a certificate`, type === 'global-external' || type === 'classic' ? 'set certificate (--certificate managed --domain app.example.com)' : 'set certificate (--certificate self-managed or certificate-manager)', 'protocol-certificate');
    return;
  }
  if (!https) {
    c.warn('certificate', 'is ignored with protocol http', 'use protocol https or https-redirect, or remove certificate', 'protocol-certificate');
    return;
  }
  const globalExternal = GLOBAL_EXTERNAL_TYPES.includes(type);
  switch (certificate.type) {
    case 'managed': {
      const certManager = certificateService(spec) === 'certificate-manager';
      if (!certManager && !globalExternal) {
        c.error('certificate.service', `Google-managed compute certificates are global and work only with the global external and classic types, not ${type}`, 'remove certificate.service (or set it to certificate-manager: --certificate-service certificate-manager) for a Certificate Manager certificate', 'certificate-type');
      }
      if (certManager && !spec.dns) {
        c.warn('dns', 'the Certificate Manager certificate becomes ACTIVE only once the CNAME record of each DNS authorization exists', 'set dns.managedZone (--dns-zone) to have the records created, or add the records the plan prints to your DNS', 'dns-authorization');
      }
      const key = certificate.domains ? 'certificate.domains' : 'frontend.domains';
      const domains = certificate.domains ?? frontend.domains;
      if (domains.length === 0) c.error(key, 'a Google-managed certificate needs at least one domain', 'set frontend.domains (--domain app.example.com)', 'managed-certificate');
      if (domains.length > 100) c.error(key, `a Google-managed certificate holds at most 100 domains, not ${domains.length}`, 'split the domains over several certificates (certificate-manager) or remove some', 'managed-certificate');
      domains.forEach((domain, i) => {
        const wildcard = certManager && /^\*\.[^*]+$/.test(domain);
        if (domain.includes('*') && !wildcard) {
          c.error(`${key}.${i}`, certManager ? `"${domain}" is not a wildcard Certificate Manager takes` : `Google-managed compute certificates cannot hold wildcard domains ("${domain}")`, certManager ? 'write a wildcard as *.example.com (one label, leftmost)' : 'list the host names, or use a Certificate Manager certificate (certificate.service: certificate-manager) with DNS authorization', 'managed-certificate');
        } else if (certificate.domains || wildcard) {
          const why = domainReason(wildcard ? domain.slice(2) : domain);
          if (why) c.error(`${key}.${i}`, `domain "${domain}" ${why}`, 'write a domain such as app.example.com', 'domain-syntax');
        }
      });
      if (certificate.domains) {
        const covered = (domain: string) => certificate.domains!.some((d) => d === domain || (d.startsWith('*.') && domain.endsWith(d.slice(1)) && !domain.slice(0, -d.length + 1).includes('.')));
        for (const domain of frontend.domains) {
          if (!covered(domain)) c.warn('certificate.domains', `frontend domain "${domain}" is not on the managed certificate`, 'add it to certificate.domains, or remove certificate.domains to use frontend.domains', 'certificate-domains');
        }
        for (const domain of certManager ? [] : certificate.domains) {
          if (!frontend.domains.includes(domain)) c.warn('certificate.domains', `"${domain}" is on the certificate but not in frontend.domains: it becomes ACTIVE only once its DNS points at the load balancer`, 'add it to frontend.domains so its DNS record is managed and verified', 'certificate-domains');
        }
      }
      break;
    }
    case 'self-managed': {
      if (type === 'cross-region-internal' && certificateService(spec) === 'compute') {
        c.error('certificate.service', 'the cross-region internal load balancer takes only Certificate Manager certificates', 'remove certificate.service, or set it to certificate-manager', 'certificate-type');
      }
      if (frontend.domains.length === 0) c.warn('frontend.domains', 'no domains: nothing checks that the certificate covers the names clients use', 'set frontend.domains (--domain)', 'certificate-domains');
      if (io.readFile) {
        const findings = checkCertificateFiles(certificate.certificateFile, certificate.privateKeyFile, frontend.domains, {
          readFile: io.readFile,
          ...(io.now ? { now: io.now } : {}),
        });
        for (const f of findings) c.add(f.severity, `certificate.${f.on}`, f.message, f.hint, 'certificate-files');
      } else {
        for (const on of ['certificateFile', 'privateKeyFile'] as const) {
          if (looksLikeInlineContent(certificate[on])) c.error(`certificate.${on}`, 'must be the path of a PEM file, not its contents', 'save it to a file and give its path', 'certificate-files');
        }
      }
      break;
    }
    case 'existing': {
      if (type === 'cross-region-internal') {
        c.error('certificate.type', 'the cross-region internal load balancer takes only Certificate Manager certificates', 'use certificate-manager', 'certificate-type');
      }
      const dup = duplicates(certificate.names);
      if (dup.length) c.error('certificate.names', `lists ${dup.join(', ')} twice`, 'list each certificate once', 'certificate-type');
      break;
    }
    case 'certificate-manager': {
      const hasCerts = certificate.certificates !== undefined;
      const hasMap = certificate.certificateMap !== undefined;
      if (hasCerts === hasMap) {
        c.error('certificate', hasCerts ? 'sets both certificates and certificateMap' : 'needs certificates or certificateMap', globalExternal ? 'set certificateMap (--certificate-map NAME)' : 'set certificates (--certificate-manager-certificate NAME)', 'certificate-manager');
      }
      if (hasMap && !globalExternal) {
        c.error('certificate.certificateMap', `certificate maps work only with the global external and classic types, not ${type}`, 'reference the certificates directly with certificate.certificates', 'certificate-manager');
      }
      if (hasCerts && globalExternal) {
        c.error('certificate.certificates', `the ${LB_TYPE_INFO[type].title} cannot reference Certificate Manager certificates directly`, 'put them in a certificate map and set certificate.certificateMap', 'certificate-manager');
      }
      certificate.certificates?.forEach((name, i) => {
        if (!CERT_NAME_PATH.test(name) && lowerIdReason(name)) c.error(`certificate.certificates.${i}`, `"${name}" is not a Certificate Manager certificate name`, 'use its name, or projects/P/locations/L/certificates/NAME', 'certificate-manager');
      });
      if (certificate.certificateMap !== undefined && !CERT_NAME_PATH.test(certificate.certificateMap) && lowerIdReason(certificate.certificateMap)) {
        c.error('certificate.certificateMap', `"${certificate.certificateMap}" is not a certificate map name`, 'use its name, or projects/P/locations/global/certificateMaps/NAME', 'certificate-manager');
      }
      break;
    }
  }
}

// --------------------------------------------------------------------------------------- CDN, IAP

export function checkCdnIap(spec: Spec, c: Collector, io: SpecIo): void {
  const globalExternal = GLOBAL_EXTERNAL_TYPES.includes(spec.type);
  if (spec.options.cdn.enabled && !globalExternal) {
    c.error('options.cdn.enabled', `Cloud CDN works only with the global external and classic types, not ${spec.type}`, 'turn CDN off (--no-cdn) or use type global-external', 'cdn');
  }
  const cdn = spec.options.cdn;
  if (cdn.cacheMode === 'USE_ORIGIN_HEADERS') {
    for (const k of ['defaultTtl', 'maxTtl', 'clientTtl'] as const) {
      if (cdn[k] !== undefined) c.error(`options.cdn.${k}`, `the USE_ORIGIN_HEADERS cache mode takes its times from the backend's Cache-Control, not ${k}`, `remove options.cdn.${k}, or use cache mode CACHE_ALL_STATIC or FORCE_CACHE_ALL`, 'cdn');
    }
  }
  if (cdn.cacheMode === 'FORCE_CACHE_ALL' && cdn.maxTtl !== undefined) c.error('options.cdn.maxTtl', 'the FORCE_CACHE_ALL cache mode caches for defaultTtl and takes no maxTtl', 'remove options.cdn.maxTtl', 'cdn');
  if (cdn.cacheKey?.queryParameters && cdn.cacheKey.includeQueryString === false) c.error('options.cdn.cacheKey', 'lists query parameters for the key and leaves the query string out of it', 'drop includeQueryString: false, or the queryParameters', 'cdn');
  let anyIap = false;
  spec.backends.forEach((backend, i) => {
    const features = backendFeatures(spec, backend);
    anyIap ||= features.iap;
    if (backend.cdn && !globalExternal) {
      c.error(`backends.${i}.cdn`, `Cloud CDN works only with the global external and classic types, not ${spec.type}`, 'remove cdn from this backend', 'cdn');
    }
    if (features.cdn && features.iap) {
      c.error(backend.cdn !== undefined ? `backends.${i}.cdn` : backend.iap !== undefined ? `backends.${i}.iap` : 'options.cdn.enabled', `backend "${backend.name}" has both Cloud CDN and IAP`, 'Cloud CDN cannot serve a backend behind IAP: turn one of them off for this backend', 'cdn-iap');
    }
    if (features.iap && spec.type === 'cross-region-internal' && negRegions(spec, backend).length > 1) {
      c.error(`backends.${i}.regions`, `with IAP, a cross-region internal backend service takes exactly one NEG; "${backend.name}" has ${negRegions(spec, backend).length}`, 'give this backend one region, or turn IAP off for it', 'iap');
    }
  });

  const iap = spec.options.iap;
  const secretSet = iap.oauth2ClientSecretFile !== undefined || iap.oauth2ClientSecretEnv !== undefined;
  if (!anyIap) {
    if (iap.oauth2ClientId !== undefined || secretSet) c.warn('options.iap', 'an OAuth client is set but no backend uses IAP', 'turn IAP on (--iap) or remove the OAuth client', 'iap');
    return;
  }
  if (iap.oauth2ClientSecretFile !== undefined && iap.oauth2ClientSecretEnv !== undefined) {
    c.error('options.iap.oauth2ClientSecretFile', 'sets both a secret file and a secret variable', 'keep one of oauth2ClientSecretFile and oauth2ClientSecretEnv', 'iap');
  }
  if (iap.oauth2ClientId !== undefined && !secretSet) {
    c.error('options.iap.oauth2ClientSecretFile', 'an OAuth client id needs its secret', 'set oauth2ClientSecretFile (--iap-client-secret-file) or oauth2ClientSecretEnv (--iap-client-secret-env)', 'iap');
  }
  if (iap.oauth2ClientId === undefined && secretSet) {
    c.error('options.iap.oauth2ClientId', 'an OAuth client secret needs its client id', 'set oauth2ClientId (--iap-client-id)', 'iap');
  }
  if (iap.oauth2ClientId === undefined && !secretSet) {
    c.warn('options.iap', 'no OAuth client: IAP uses the Google-managed OAuth client, which admits only users of your organization', 'set oauth2ClientId and a secret file or variable for your own OAuth client', 'iap');
  }
  if (iap.oauth2ClientId !== undefined && !/\.apps\.googleusercontent\.com$/.test(iap.oauth2ClientId)) {
    c.warn('options.iap.oauth2ClientId', 'does not look like an OAuth client id (NUMBER-ID.apps.googleusercontent.com)', 'copy the client id from the Google Auth Platform page', 'iap');
  }
  const file = iap.oauth2ClientSecretFile;
  if (file !== undefined) {
    if (looksLikeInlineContent(file) || /^GOCSPX-/.test(file)) {
      c.error('options.iap.oauth2ClientSecretFile', 'must be the path of a file that holds the secret, not the secret itself', 'save the secret to a file and give its path, or use oauth2ClientSecretEnv', 'secret-inline');
    } else if (io.readFile) {
      const problem = checkSecretFile(file, { readFile: io.readFile });
      if (problem) c.error('options.iap.oauth2ClientSecretFile', problem.message, problem.hint, 'iap');
    }
  }
  const variable = iap.oauth2ClientSecretEnv;
  if (variable !== undefined && io.env && !io.env(variable)) {
    c.error('options.iap.oauth2ClientSecretEnv', `the environment variable ${variable} is not set`, `export ${variable} with the OAuth client secret before running`, 'iap');
  }
}
