/**
 * Rules of validateSpec: The backends (their targets, per load balancer type) and the regions.
 */
import { LB_TYPE_INFO, type Spec, type Backend } from './schema.js';
import { forwardingRuleRegions, isRegionalType, negRegions, targetKinds, type TargetKind } from './derive.js';
import { appEngineIdReason, functionNameReason, lowerIdReason, urlMaskReasons } from './syntax.js';
import { KIND_LABEL, BACKEND_KINDS_BY_TYPE, Collector, duplicates } from './check-kit.js';

export function checkBackends(spec: Spec, c: Collector): void {
  const seen = new Map<string, number>();
  spec.backends.forEach((backend, i) => {
    const at = `backends.${i}`;
    const first = seen.get(backend.name);
    if (first !== undefined) c.error(`${at}.name`, `backend name "${backend.name}" is also used by backends.${first}`, 'give every backend its own name', 'backend-names-unique');
    else seen.set(backend.name, i);

    const kinds = targetKinds(backend);
    if (kinds.length === 0) {
      c.error(at, `backend "${backend.name}" has no target`, 'set exactly one of cloudRun, cloudFunction, appEngine, apiGateway (--backend NAME=run:SERVICE)', 'backend-target');
      return;
    }
    if (kinds.length > 1) {
      c.error(at, `backend "${backend.name}" sets ${kinds.join(' and ')}`, 'a serverless NEG points at exactly one kind of target: keep one, or split it into two backends', 'backend-target');
    }
    for (const kind of kinds) checkTarget(spec, backend, kind, at, c);
  });
}

export function checkTarget(spec: Spec, backend: Backend, kind: TargetKind, at: string, c: Collector): void {
  const key = `${at}.${kind}`;
  if (!BACKEND_KINDS_BY_TYPE[spec.type].includes(kind)) {
    c.error(
      key,
      `${KIND_LABEL[kind]} backends are not supported by the ${LB_TYPE_INFO[spec.type].title}`,
      kind === 'cloudRun' ? 'choose another LB type' : 'use type global-external or classic, or serve it from Cloud Run',
      'backend-type',
    );
  }
  const checkName = (sub: string, value: string | undefined, reason: (v: string) => string | undefined) => {
    if (value === undefined) return;
    const why = reason(value);
    if (why) c.error(`${key}.${sub}`, `"${value}" ${why}`, 'use the name exactly as Google shows it', 'target-name');
  };
  const checkMask = (mask: string | undefined, maskKind: Exclude<TargetKind, 'apiGateway'>) => {
    if (mask === undefined) return;
    for (const why of urlMaskReasons(mask, maskKind)) c.error(`${key}.urlMask`, `URL mask "${mask}" ${why}`, 'a mask looks like "<service>.example.com" or "example.com/<service>"', 'url-mask');
  };
  switch (kind) {
    case 'cloudRun': {
      const target = backend.cloudRun!;
      if ((target.service === undefined) === (target.urlMask === undefined)) {
        c.error(key, target.service ? 'sets both service and urlMask' : 'needs service or urlMask', 'set exactly one of cloudRun.service and cloudRun.urlMask', 'backend-target');
      }
      if (target.tag !== undefined && target.urlMask !== undefined) {
        c.error(`${key}.tag`, 'tag goes with service, not with urlMask', 'put <tag> in the URL mask instead', 'backend-target');
      }
      checkName('tag', target.tag, (v) => lowerIdReason(v, 46));
      checkMask(target.urlMask, 'cloudRun');
      break;
    }
    case 'cloudFunction': {
      const target = backend.cloudFunction!;
      if ((target.function === undefined) === (target.urlMask === undefined)) {
        c.error(key, target.function ? 'sets both function and urlMask' : 'needs function or urlMask', 'set exactly one of cloudFunction.function and cloudFunction.urlMask', 'backend-target');
      }
      checkName('function', target.function, functionNameReason);
      checkMask(target.urlMask, 'cloudFunction');
      break;
    }
    case 'appEngine': {
      const target = backend.appEngine!;
      if (target.urlMask !== undefined && (target.service !== undefined || target.version !== undefined)) {
        c.error(key, 'sets urlMask together with service or version', 'use either the mask or service/version', 'backend-target');
      }
      checkName('service', target.service, appEngineIdReason);
      checkName('version', target.version, appEngineIdReason);
      checkMask(target.urlMask, 'appEngine');
      break;
    }
    case 'apiGateway':
      checkName('gateway', backend.apiGateway!.gateway, (v) => lowerIdReason(v));
      break;
  }
}

// ----------------------------------------------------------------------------------------- regions


export function checkRegions(spec: Spec, c: Collector): void {
  const regional = isRegionalType(spec.type);
  if (spec.regions) {
    const dup = duplicates(spec.regions);
    if (dup.length) c.error('regions', `lists ${dup.join(', ')} more than once`, 'list each region once', 'neg-per-region');
  }
  if (regional) {
    if (!spec.region) c.error('region', `the ${LB_TYPE_INFO[spec.type].title} needs a region`, 'set region (--region europe-west1)', 'region-required');
    if (spec.regions && !(spec.regions.length === 1 && spec.regions[0] === spec.region)) {
      c.error('regions', `a ${spec.type} load balancer lives in one region`, 'remove regions and set region', 'regional-single-region');
    }
  }
  if (spec.type === 'cross-region-internal' && forwardingRuleRegions(spec).length === 0) {
    c.error('regions', 'a cross-region internal load balancer needs the regions of its forwarding rules', 'set regions (--regions europe-west1,us-central1)', 'region-required');
  }

  const appEngineRegions = new Map<string, number>();
  spec.backends.forEach((backend, i) => {
    const at = `backends.${i}`;
    const regions = negRegions(spec, backend);
    const kind = targetKinds(backend)[0];
    if (regions.length === 0) {
      c.error(`${at}.regions`, `backend "${backend.name}" has no region for its serverless NEG`, 'set region (or regions, or backends[].regions)', 'region-required');
      return;
    }
    const dup = duplicates(regions);
    if (dup.length) c.error(`${at}.regions`, `lists ${dup.join(', ')} more than once`, 'a backend has at most one serverless NEG per region', 'neg-per-region');
    if (regional && spec.region && (regions.length !== 1 || regions[0] !== spec.region)) {
      c.error(`${at}.regions`, `backend "${backend.name}" must be in ${spec.region}, the load balancer's region (a regional backend service takes exactly one NEG)`, 'remove backends[].regions or set it to the LB region', 'regional-single-region');
    }
    if (kind === 'appEngine') {
      if (regions.length > 1) {
        c.error(`${at}.regions`, 'App Engine exists in one region per project', 'give this backend a single region (the App Engine app\'s region)', 'app-engine-single-region');
      } else {
        for (const [region, j] of appEngineRegions) {
          if (region !== regions[0]) c.error(`${at}.regions`, `App Engine backends are in ${region} (backends.${j}) and ${regions[0]}`, 'a project has one App Engine app, in one region: use the same region', 'app-engine-single-region');
        }
        appEngineRegions.set(regions[0]!, i);
      }
    }
  });
}
