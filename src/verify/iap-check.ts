/**
 * The iap check (backends with Identity-Aware Proxy): IAP is enabled on the backend service, read
 * through the Cloud port, and an unauthenticated request through the load balancer is sent to
 * Google sign-in (from the http/https check). Where the data plane does not enforce IAP (the local
 * emulator), the sign-in redirect cannot be observed: the check says so and judges the setting only.
 */
import type { Cloud, ResourceRef } from '../cloud/port.js';
import type { Network } from './network.js';
import type { ProbeOutcome } from './http-check.js';
import { fromItems, type CheckItem, type CheckResult } from './report.js';

export interface IapCheckInput {
  backends: ReadonlyArray<{ backend: string; backendService: ResourceRef }>;
  outcomes: readonly ProbeOutcome[];
}

export async function checkIap(input: IapCheckInput, cloud: Pick<Cloud, 'get'>, network: Network): Promise<CheckResult> {
  const items: CheckItem[] = await Promise.all(
    input.backends.map(async (b): Promise<CheckItem> => {
      const name = `backend ${b.backend} (${b.backendService.name})`;
      const bs = await cloud.get(b.backendService);
      const enabled = (bs?.body.iap as { enabled?: boolean } | undefined)?.enabled === true;
      if (!bs) return { name, ok: false, detail: 'backend service does not exist', hint: 're-run `serverless-lb apply`' };
      if (!enabled) return { name, ok: false, detail: 'IAP is not enabled on the backend service', hint: 're-run `serverless-lb apply` (options.iap / backends[].iap)' };
      const mine = input.outcomes.filter((o) => o.probe.expect.backend === b.backend);
      if (!network.enforcesIap) {
        return { name, ok: true, detail: `IAP enabled on the backend service; ${network.description} does not enforce IAP, so the sign-in redirect was not tested` };
      }
      if (mine.length === 0) return { name, ok: true, detail: 'IAP enabled on the backend service; no request routes to it' };
      const bad = mine.find((o) => !o.ok);
      if (bad) return { name, ok: false, detail: `IAP enabled, but an unauthenticated request to ${bad.result.url} answered ${bad.result.status ?? bad.result.error?.code}`, hint: 'IAP may still be starting, or the OAuth client is wrong: check the backend service\'s IAP settings in the console' };
      return { name, ok: true, detail: `IAP enabled; an unauthenticated request is sent to Google sign-in (${mine[0]!.result.status})` };
    }),
  );
  return fromItems('iap', items, `IAP protects ${input.backends.map((b) => b.backend).join(', ')}${network.enforcesIap ? '' : ` (setting checked; ${network.description} does not enforce IAP)`}`);
}
