/**
 * regionNetworkEndpointGroups (serverless).
 *
 * SERVERLESS NEGs take exactly one of cloudRun, appEngine, cloudFunction, serverlessDeployment,
 * each with its target (`service` / `function` / `resource`) or a `urlMask` whose placeholders fit
 * the platform (`<service>`, `<tag>` for Cloud Run; `<function>`; `<service>`, `<version>` for App
 * Engine; `<gateway>` for API Gateway) and which carries no scheme. `size` is 0. NEGs are immutable.
 * PRIVATE_SERVICE_CONNECT, INTERNET_FQDN_PORT and INTERNET_IP_PORT regional NEGs are stored as given.
 */
import type { JsonObject } from '../core/store.js';
import type { BuildContext, KindSpec } from './engine.js';
import { invalid, invalidField, required } from './errors.js';
import { asObject, asString, checkEnum } from './fields.js';

const PLATFORMS = ['cloudRun', 'appEngine', 'cloudFunction', 'serverlessDeployment'] as const;
export type ServerlessPlatform = (typeof PLATFORMS)[number];

const PLACEHOLDERS: Record<ServerlessPlatform, string[]> = {
  cloudRun: ['service', 'tag'],
  appEngine: ['service', 'version'],
  cloudFunction: ['function'],
  serverlessDeployment: ['gateway'],
};

function checkMask(platform: ServerlessPlatform, mask: string): void {
  const field = `resource.${platform}.urlMask`;
  if (mask.includes('://')) throw invalidField(field, mask, 'A URL mask must not contain a scheme.');
  const used = [...mask.matchAll(/<([^>]*)>/g)].map((m) => m[1]!);
  const allowed = PLACEHOLDERS[platform];
  for (const p of used) {
    if (!allowed.includes(p)) throw invalidField(field, mask, `Unknown placeholder <${p}>; ${platform} URL masks may use ${allowed.map((a) => `<${a}>`).join(', ')}.`);
  }
  if (used.length === 0) throw invalidField(field, mask, 'A URL mask must contain at least one placeholder.');
}

/** The serverless platform of a stored NEG, if it is serverless. */
export function serverlessPlatform(neg: JsonObject): ServerlessPlatform | undefined {
  if (neg['networkEndpointType'] !== 'SERVERLESS') return undefined;
  return PLATFORMS.find((p) => neg[p] !== undefined);
}

export const negSpec: KindSpec = {
  collection: 'networkEndpointGroups',
  kind: 'compute#networkEndpointGroup',
  snake: 'network_endpoint_group',
  scope: 'regional',
  opTypes: { insert: 'compute.regionNetworkEndpointGroups.insert', delete: 'compute.regionNetworkEndpointGroups.delete' },
  build(b: BuildContext): JsonObject {
    const body = b.body;
    const type = checkEnum(
      body['networkEndpointType'],
      ['SERVERLESS', 'PRIVATE_SERVICE_CONNECT', 'INTERNET_FQDN_PORT', 'INTERNET_IP_PORT', 'GCE_VM_IP_PORTMAP', 'GCE_VM_IP_PORT', 'GCE_VM_IP', 'NON_GCP_PRIVATE_IP_PORT'] as const,
      'resource.networkEndpointType',
      'GCE_VM_IP_PORT',
    )!;
    if (['GCE_VM_IP_PORT', 'GCE_VM_IP', 'NON_GCP_PRIVATE_IP_PORT'].includes(type)) {
      throw invalidField('resource.networkEndpointType', type, 'This network endpoint type is only supported by zonal network endpoint groups.');
    }
    const out: JsonObject = {};
    if (body['description'] !== undefined) out['description'] = String(body['description']);
    out['networkEndpointType'] = type;
    if (type === 'SERVERLESS') {
      const present = PLATFORMS.filter((p) => body[p] !== undefined && body[p] !== null);
      if (present.length !== 1) {
        throw invalid(
          present.length === 0
            ? 'Invalid value for field \'resource\': a serverless network endpoint group must specify exactly one of cloudRun, appEngine, cloudFunction or serverlessDeployment.'
            : `Invalid value for field 'resource': a serverless network endpoint group must specify exactly one of cloudRun, appEngine, cloudFunction or serverlessDeployment; got ${present.join(', ')}.`,
        );
      }
      const platform = present[0]!;
      const target = asObject(body[platform]);
      const mask = asString(target['urlMask']);
      if (mask !== undefined) checkMask(platform, mask);
      switch (platform) {
        case 'cloudRun':
          if (!target['service'] && mask === undefined) throw required('resource.cloudRun.service');
          if (target['tag'] !== undefined && !target['service']) throw invalidField('resource.cloudRun.tag', target['tag'], 'A tag needs a service.');
          break;
        case 'cloudFunction':
          if (!target['function'] && mask === undefined) throw required('resource.cloudFunction.function');
          break;
        case 'serverlessDeployment':
          if (target['platform'] !== undefined && target['platform'] !== 'apigateway.googleapis.com') {
            throw invalidField('resource.serverlessDeployment.platform', target['platform'], 'Only apigateway.googleapis.com is supported.');
          }
          if (!target['resource'] && mask === undefined) throw required('resource.serverlessDeployment.resource');
          break;
        case 'appEngine':
          break;
      }
      out[platform] = target;
      for (const other of ['network', 'subnetwork'] as const) {
        if (body[other] !== undefined) throw invalidField(`resource.${other}`, body[other], 'Serverless network endpoint groups take no network or subnetwork.');
      }
    } else {
      for (const k of ['network', 'subnetwork', 'pscTargetService', 'pscData'] as const) if (body[k] !== undefined) out[k] = body[k];
    }
    out['size'] = 0;
    return out;
  },
};
