/** The verify flags' syntax, checked by every command that verifies (light: no SDK, no network). */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseDnsServer } from '../verify/network.js';
import { parseDuration } from '../verify/poll.js';

/**
 * Checks the flags verify will use (`--wait`, `--dns-server`); apply and init call it before they
 * change anything, so a typo there does not surface only after the load balancer was built.
 */
export function checkVerifyFlags(options: { wait?: string | undefined; dnsServer?: string | undefined; waitCertificates?: string | undefined; clientCert?: string | undefined; clientKey?: string | undefined }): void {
  if ((options.clientCert === undefined) !== (options.clientKey === undefined)) {
    throw new UsageError(options.clientCert === undefined ? '--client-key needs --client-cert' : '--client-cert needs --client-key', { code: 'usage.client-certificate', hint: 'give both: --client-cert FILE --client-key FILE (PEM); nothing was changed' });
  }
  for (const [flag, file] of [['--client-cert', options.clientCert], ['--client-key', options.clientKey]] as const) {
    if (file !== undefined && !existsSync(file)) throw new UsageError(`${flag}: ${file} does not exist`, { code: 'usage.client-certificate', hint: 'give the path of a PEM file; nothing was changed' });
  }
  if (options.waitCertificates !== undefined) {
    try {
      parseDuration(options.waitCertificates);
    } catch (error) {
      throw new UsageError(`--wait-certificates: ${(error as Error).message}`, { code: 'usage.wait', hint: 'give a duration such as 30m or 1h; nothing was changed' });
    }
  }
  if (options.wait !== undefined) {
    try {
      parseDuration(options.wait);
    } catch (error) {
      throw new UsageError(`--wait: ${(error as Error).message}`, { code: 'usage.wait', hint: 'give a duration such as 0, 30s, 2m or 1m30s; nothing was changed' });
    }
  }
  if (options.dnsServer !== undefined) {
    try {
      parseDnsServer(options.dnsServer);
    } catch (error) {
      throw new UsageError((error as Error).message, { code: 'usage.dns-server', hint: 'give the IP address of a DNS server, with :PORT if it is not 53; nothing was changed' });
    }
  }
}

