import { describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../src/cloud/memory-cloud.js';
import { findOwnedResources, readObservedState } from '../../src/cloud/read-state.js';
import type { DesiredGraph, Scope } from '../../src/model/resource-model.js';
import { resourceId } from '../../src/model/resource-model.js';
import { withOwnership } from '../../src/plan/ownership.js';
import { PROJECT, res } from '../apply/plan-fixtures.js';

const r1: Scope = 'regions/us-central1';

function graph(): DesiredGraph {
  return {
    lbName: 'shop',
    project: PROJECT,
    resources: [
      res('networkEndpointGroup', 'neg-a', {}, [], r1),
      res('networkEndpointGroup', 'neg-b', {}, [], r1),
      res('networkEndpointGroup', 'neg-c', {}, [], r1),
      res('backendService', 'bs'),
      res('urlMap', 'um'),
    ],
  };
}

function seeded(): MemoryCloud {
  return new MemoryCloud({
    project: PROJECT,
    resources: [
      { kind: 'networkEndpointGroup', scope: r1, name: 'neg-a', body: { description: '[serverless-lb:shop] a' } },
      { kind: 'networkEndpointGroup', scope: r1, name: 'neg-c', body: { description: '[serverless-lb:shop] c' } },
      { kind: 'networkEndpointGroup', scope: r1, name: 'other', body: { description: 'not ours' } },
      { kind: 'backendService', scope: 'global', name: 'bs', body: { description: '[serverless-lb:shop] bs' } },
    ],
  });
}

describe('readObservedState', () => {
  it('lists groups of 3 or more, gets the rest, and finds the same state either way', async () => {
    const auto = seeded();
    const state = await readObservedState(graph(), auto);
    expect([...state.keys()].sort()).toEqual([resourceId('backendService', 'global', 'bs'), resourceId('networkEndpointGroup', r1, 'neg-a'), resourceId('networkEndpointGroup', r1, 'neg-c')].sort());
    expect(auto.count('list')).toBe(1);
    expect(auto.count('get')).toBe(2);
    expect(auto.calls).toHaveLength(3);

    const gets = seeded();
    const state2 = await readObservedState(graph(), gets, { strategy: 'get' });
    expect(gets.calls).toHaveLength(5);
    expect([...state2.keys()].sort()).toEqual([...state.keys()].sort());
    expect(state2.get(resourceId('backendService', 'global', 'bs'))?.body.selfLink).toBe(`https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/backendServices/bs`);
  });

  it('reads Cloud Run ingress as {ingress, annotations}', async () => {
    const cloud = new MemoryCloud({ project: PROJECT, runServices: [{ name: 'web', region: 'us-central1', ingress: 'INGRESS_TRAFFIC_ALL', annotations: {} }] });
    const g: DesiredGraph = { lbName: 'shop', project: PROJECT, resources: [{ ...res('cloudRunIngress', 'web', {}, [], r1), body: { ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' } }] };
    const state = await readObservedState(g, cloud);
    expect(state.get(resourceId('cloudRunIngress', r1, 'web'))?.body).toEqual({ ingress: 'INGRESS_TRAFFIC_ALL', annotations: {} });
  });
});

describe('findOwnedResources', () => {
  it('keeps only what carries this load balancer mark, including DNS records at its addresses and Run services it changed', async () => {
    const cloud = new MemoryCloud({
      project: PROJECT,
      runServices: [
        { name: 'web', region: 'us-central1', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', annotations: { 'serverless-lb/owner': 'shop', 'serverless-lb/previous-ingress': 'INGRESS_TRAFFIC_ALL' } },
        { name: 'api', region: 'us-central1', ingress: 'INGRESS_TRAFFIC_ALL', annotations: {} },
      ],
      resources: [
        { kind: 'address', scope: 'global', name: 'shop-ip', body: withOwnership('address', 'shop', { address: '203.0.113.5' }, 'ip') },
        { kind: 'address', scope: 'global', name: 'other-ip', body: withOwnership('address', 'other', { address: '203.0.113.9' }, 'ip') },
        { kind: 'urlMap', scope: 'global', name: 'shop-um', body: withOwnership('urlMap', 'shop', {}, 'map') },
        { kind: 'urlMap', scope: 'global', name: 'shop-um-lookalike', body: { description: 'shop' } },
        { kind: 'networkEndpointGroup', scope: r1, name: 'shop-neg', body: withOwnership('networkEndpointGroup', 'shop', {}, 'neg') },
        { kind: 'dnsRecordSet', scope: 'global', name: 'shop.example.com./A', zone: 'zone', body: { name: 'shop.example.com.', type: 'A', ttl: 300, rrdatas: ['203.0.113.5'] } },
        { kind: 'dnsRecordSet', scope: 'global', name: 'other.example.com./A', zone: 'zone', body: { name: 'other.example.com.', type: 'A', ttl: 300, rrdatas: ['203.0.113.9'] } },
      ],
    });
    const owned = await findOwnedResources(cloud, 'shop', ['us-central1'], { dnsZone: 'zone' });
    expect([...owned.keys()].sort()).toEqual(
      [
        resourceId('address', 'global', 'shop-ip'),
        resourceId('urlMap', 'global', 'shop-um'),
        resourceId('networkEndpointGroup', r1, 'shop-neg'),
        resourceId('cloudRunIngress', r1, 'web'),
        resourceId('dnsRecordSet', 'global', 'shop.example.com.'),
      ].sort(),
    );
    expect((owned.get(resourceId('dnsRecordSet', 'global', 'shop.example.com.')) as { zone?: string }).zone).toBe('zone');
    // 15 global kinds (5 of them Certificate Manager, 1 Network Security) + 18 regional kinds (3 Certificate Manager, 1 Network Security) + 1 DNS list.
    expect(cloud.count('list')).toBe(34);
  });
});
