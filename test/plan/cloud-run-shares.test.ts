/**
 * What several load balancers need of one Cloud Run service, read from its annotations: the
 * ingress that serves them all, each one's invoker members, and the single-owner marks of earlier
 * versions read as one load balancer's share.
 */
import { describe, expect, it } from 'vitest';
import { addedMembers, ingressServingAll, ingressShares, invokerShares, sharesAnnotation, sharersText, withShare } from '../../src/kinds/cloud-run-shares.js';

describe('ingressServingAll', () => {
  it('is the widest need: external and internal together need internal-and-cloud-load-balancing', () => {
    expect(ingressServingAll(['INGRESS_TRAFFIC_INTERNAL_ONLY', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'])).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(ingressServingAll(['INGRESS_TRAFFIC_INTERNAL_ONLY', 'INGRESS_TRAFFIC_INTERNAL_ONLY'])).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(ingressServingAll(['INGRESS_TRAFFIC_INTERNAL_ONLY', 'INGRESS_TRAFFIC_ALL'])).toBe('INGRESS_TRAFFIC_ALL');
    expect(ingressServingAll([])).toBeUndefined();
  });
});

describe('shares on the service', () => {
  it('reads the JSON annotation, and an earlier single owner as that load balancer needing the current ingress', () => {
    expect([...ingressShares({ 'serverless-lb/ingress': '{"a":"INGRESS_TRAFFIC_INTERNAL_ONLY"}' }, 'INGRESS_TRAFFIC_INTERNAL_ONLY')]).toEqual([['a', 'INGRESS_TRAFFIC_INTERNAL_ONLY']]);
    expect([...ingressShares({ 'serverless-lb/owner': 'old' }, 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER')]).toEqual([['old', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER']]);
    expect([...invokerShares({ 'serverless-lb/invoker-owner': 'old', 'serverless-lb/invoker-added': 'allUsers' })]).toEqual([['old', ['allUsers']]]);
    expect(addedMembers({ 'serverless-lb/invoker-added': 'allUsers,user:a@example.com' })).toEqual(['allUsers', 'user:a@example.com']);
  });

  it('an annotation someone mangled reads as no share rather than failing', () => {
    expect(ingressShares({ 'serverless-lb/ingress': 'not json' }, 'INGRESS_TRAFFIC_ALL').size).toBe(0);
    expect(invokerShares({ 'serverless-lb/invoker': '["a"]' }).size).toBe(0);
  });

  it('writes sorted JSON, and null (remove the annotation) for no share', () => {
    const two = withShare(withShare(new Map<string, string>(), 'b', 'X'), 'a', 'Y');
    expect(sharesAnnotation(two)).toBe('{"a":"Y","b":"X"}');
    expect(sharesAnnotation(withShare(withShare(two, 'a', undefined), 'b', undefined))).toBeNull();
    expect(sharersText(['a'])).toBe('load balancer a');
    expect(sharersText(['a', 'b', 'c'])).toBe('load balancers a, b and c');
  });
});
