/**
 * `cloudRunDefaultUrl`: the default `run.app` URL of a Cloud Run service behind the load balancer,
 * turned off (`defaultUriDisabled`, `options.defaultUrl: disabled`): the strongest guard against
 * bypassing the load balancer, since nothing answers there at all. The service is the user's and
 * several load balancers may front it: each records its need in the `serverless-lb/default-url`
 * annotation (JSON from load balancer name to "disabled"); `serverless-lb/default-url-restore`
 * says serverless-lb turned the URL off, so the last load balancer to leave turns it back on
 * (never one the user turned off). What the operations mean here:
 *
 *   get     -> `{defaultUriDisabled, annotations}` of the service (undefined: no such service)
 *   insert  -> record this load balancer's need and turn the URL off, in one masked update
 *   update  -> the same
 *   delete  -> take this load balancer's need out; with none remaining, turn the URL back on where
 *              serverless-lb turned it off, and drop the annotations
 */
import { cloudRunServices } from '../spec/derive.js';
import { RUN_DEFAULT_URL_RESTORE_ANNOTATION, RUN_DEFAULT_URL_SHARES_ANNOTATION } from '../model/ownership-marks.js';
import { regionOf, resourceId } from '../model/resource-model.js';
import { bare, flag, gcloud, shellQuote } from '../model/gcloud-words.js';
import { annotationsOf, otherSharers, sharersText, sharesAnnotation, stringShares, withShare } from './cloud-run-shares.js';
import { observedRunSetting, requireService, runServiceReads } from './cloud-run-ingress.js';
import type { ResourceKindModule } from './kind.js';
import type { RunService, ServiceCalls } from './service-calls.js';
import type { DesiredResource } from '../model/resource-model.js';

const observedDefaultUrl = (service: RunService) =>
  observedRunSetting('cloudRunDefaultUrl', service, { defaultUriDisabled: service.defaultUriDisabled === true, annotations: { ...service.annotations } });

const sharesOf = (annotations: Record<string, string>) => stringShares(annotations, RUN_DEFAULT_URL_SHARES_ANNOTATION);

async function disable(calls: ServiceCalls, resource: DesiredResource, operation: string): Promise<void> {
  const { region, current } = await requireService(calls, resource.scope, resource.name, operation);
  const owner = calls.owner;
  if (!owner) throw calls.fail(operation, 'invalid', 'no load balancer named for the change (CallOptions.owner)');
  const shares = withShare(sharesOf(current.annotations), owner, 'disabled');
  const annotations: Record<string, string | null> = { [RUN_DEFAULT_URL_SHARES_ANNOTATION]: sharesAnnotation(shares) };
  // Remember to turn it back on only when serverless-lb is the one turning it off.
  if (current.defaultUriDisabled !== true) annotations[RUN_DEFAULT_URL_RESTORE_ANNOTATION] = 'enabled';
  await calls.annotateRunService(region, current.name, annotations, current, current.defaultUriDisabled === true ? undefined : { defaultUriDisabled: true });
}

export const cloudRunDefaultUrl = {
  kind: 'cloudRunDefaultUrl',
  words: 'Cloud Run default URL',
  scopes: { global: false, regional: true },

  build(g) {
    if (g.spec.options.defaultUrl !== 'disabled') return;
    const ruleIds = g.shared.forwardingRules.map((r) => r.id);
    for (const { service, region } of cloudRunServices(g.spec)) {
      if (g.has(resourceId('cloudRunDefaultUrl', `regions/${region}`, service))) continue;
      // It writes the service's annotations: after the ingress and invoker changes, never beside them.
      const before = (['cloudRunIngress', 'cloudRunInvoker'] as const).map((k) => resourceId(k, `regions/${region}`, service)).filter((id) => g.has(id));
      g.add('cloudRunDefaultUrl', `regions/${region}`, service, { defaultUriDisabled: true }, [...ruleIds, ...before], `turn off the run.app URL of Cloud Run service ${service} in ${region}: nothing bypasses the load balancer`);
    }
  },

  service: {
    ...runServiceReads(observedDefaultUrl),
    insert: disable,
    update: disable,
    async delete(calls, ref, operation) {
      const { region, current } = await requireService(calls, ref.scope, ref.name, operation);
      const shares = sharesOf(current.annotations);
      const leaving = calls.owner ?? (shares.size === 1 ? [...shares.keys()][0] : undefined);
      if (leaving === undefined || !shares.has(leaving)) throw calls.fail(operation, 'notFound', `Cloud Run service ${ref.name} records no default URL need of this load balancer`);
      const remaining = withShare(shares, leaving, undefined);
      if (remaining.size > 0) {
        await calls.annotateRunService(region, current.name, { [RUN_DEFAULT_URL_SHARES_ANNOTATION]: sharesAnnotation(remaining) }, current);
        return;
      }
      const restore = current.annotations[RUN_DEFAULT_URL_RESTORE_ANNOTATION] === 'enabled';
      await calls.annotateRunService(region, current.name, { [RUN_DEFAULT_URL_SHARES_ANNOTATION]: null, [RUN_DEFAULT_URL_RESTORE_ANNOTATION]: null }, current, restore ? { defaultUriDisabled: false } : undefined);
    },
  },
  compare: { immutable: () => new Set(), rotatable: false },
  plan: {
    teardownReason(observed, lb) {
      const annotations = annotationsOf(observed);
      const remaining = withShare(sharesOf(annotations), lb, undefined);
      if (remaining.size > 0) return `keeps the run.app URL off for ${sharersText([...remaining.keys()].sort())}`;
      return annotations[RUN_DEFAULT_URL_RESTORE_ANNOTATION] === 'enabled' ? 'turns the run.app URL back on' : 'leaves the run.app URL off, as it was before';
    },
    deleteAfter: ['cloudRunInvoker'],
    decide(d) {
      if (!d.observed) return { action: 'create', changes: [], reason: d.offline ? 'turns off the run.app URL (current value not read offline)' : 'service not found' };
      const shares = sharesOf(annotationsOf(d.observed.body));
      const others = otherSharers(shares, d.lbName);
      const shared = others.length > 0 ? `; shared with ${sharersText(others)}` : '';
      const off = d.observed.body.defaultUriDisabled === true;
      if (off && shares.has(d.lbName)) return { action: 'noop', changes: [], reason: `run.app URL already off${shared}` };
      if (off) return { action: 'update', changes: [{ field: 'annotations.serverless-lb/default-url', from: null, to: `${d.lbName}: disabled` }], reason: `records this load balancer's need; the run.app URL is already off${shared}` };
      return { action: shares.has(d.lbName) ? 'update' : 'create', changes: [{ field: 'defaultUriDisabled', from: false, to: true }], reason: `the run.app URL answers${shared}` };
    },
  },
  access: { permissions: () => ['run.services.update'], apis: () => ['run.googleapis.com'] },
  setting: { inEffect: (_desired, observed) => observed.defaultUriDisabled === true },
  ownership: {
    labels: false,
    description: false,
    owners: (body) => [...sharesOf(annotationsOf(body)).keys()],
  },

  gcloud(s, r) {
    const region = regionOf(r.scope);
    s.command(r.project, { head: gcloud('run', 'services', 'update', r.name), flags: [...(region ? [flag('region', region)] : []), bare('no-default-url')] });
  },
  terraform: {
    // The service is not managed by the Terraform configuration: the change is a comment.
    resourceType: () => undefined,
    comment(r) {
      const region = regionOf(r.scope);
      return [
        `Cloud Run service ${r.name}${region ? ` (${region})` : ''}: not managed by this configuration.`,
        'Turn its run.app URL off (default_uri_disabled = true on google_cloud_run_v2_service), so nothing bypasses the load balancer:',
        `  gcloud run services update ${shellQuote(r.name)}${region ? ` --region=${shellQuote(region)}` : ''} --no-default-url --project=${shellQuote(r.project)}`,
      ];
    },
  },
} satisfies ResourceKindModule;
