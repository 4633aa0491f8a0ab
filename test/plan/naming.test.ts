import { describe, expect, it } from 'vitest';
import { alternateName, fitName, isValidName, lbNames, MAX_NAME_LENGTH } from '../../src/model/naming.js';

describe('lbNames', () => {
  it('derives the documented names from the LB name', () => {
    const n = lbNames('shop');
    expect(n.address()).toBe('shop-ip');
    expect(n.address('europe-west1')).toBe('shop-ip-europe-west1');
    expect(n.certificate()).toBe('shop-cert');
    expect(n.neg('web', 'europe-west1')).toBe('shop-web-neg-europe-west1');
    expect(n.backendService('web')).toBe('shop-web-bs');
    expect(n.urlMap()).toBe('shop-urlmap');
    expect(n.redirectUrlMap()).toBe('shop-redirect-urlmap');
    expect(n.httpsProxy()).toBe('shop-https-proxy');
    expect(n.httpProxy()).toBe('shop-http-proxy');
    expect(n.httpsForwardingRule()).toBe('shop-https-fr');
    expect(n.httpForwardingRule()).toBe('shop-http-fr');
    expect(n.httpsForwardingRule('us-east1')).toBe('shop-https-fr-us-east1');
    expect(n.securityPolicy()).toBe('shop-armor');
    expect(n.proxyOnlySubnet('europe-west1')).toBe('shop-proxy-only-europe-west1');
  });

  it('keeps long names valid, at most 63 characters, and stable across calls', () => {
    const lb = 'a'.repeat(40);
    const backend = 'b'.repeat(63);
    const name = lbNames(lb).neg(backend, 'northamerica-northeast1');
    expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(isValidName(name)).toBe(true);
    expect(lbNames(lb).neg(backend, 'northamerica-northeast1')).toBe(name);
    expect(name.startsWith(`${lb}-bbb`)).toBe(true);
  });

  it('gives different names to long inputs that only differ after the cut', () => {
    const lb = 'x'.repeat(40);
    const one = lbNames(lb).neg('backend-with-a-long-name-number-1', 'europe-west1');
    const two = lbNames(lb).neg('backend-with-a-long-name-number-2', 'europe-west1');
    expect(one.length).toBeLessThanOrEqual(63);
    expect(two.length).toBeLessThanOrEqual(63);
    expect(one).not.toBe(two);
    // Same for the two regions of one backend.
    const a = lbNames(lb).neg('backend-with-a-long-name-number-1', 'europe-west1');
    const b = lbNames(lb).neg('backend-with-a-long-name-number-1', 'europe-west4');
    expect(a).not.toBe(b);
  });

  it('does not shorten names that fit', () => {
    const exactly63 = `a${'b'.repeat(61)}c`;
    expect(fitName([exactly63])).toBe(exactly63);
    expect(fitName([`${exactly63}d`])).not.toBe(`${exactly63}d`);
    expect(fitName([`${exactly63}d`]).length).toBe(63);
  });

  it('never ends a shortened name with a hyphen before the hash, nor starts with a digit', () => {
    const name = fitName(['a'.repeat(55), '-', 'b'.repeat(20)]);
    expect(isValidName(name)).toBe(true);
    expect(name).not.toMatch(/--/);
    expect(isValidName(fitName(['9lives']))).toBe(true);
    expect(isValidName(fitName(['Upper_Case.Name']))).toBe(true);
  });

  it('alternates between two stable names', () => {
    expect(alternateName('shop-web-neg-europe-west1')).toBe('shop-web-neg-europe-west1-b');
    const long = 'n'.repeat(63);
    expect(alternateName(long).length).toBeLessThanOrEqual(63);
    expect(alternateName(long)).not.toBe(long);
    expect(isValidName(alternateName(long))).toBe(true);
  });
});

describe('isValidName', () => {
  it('accepts compute names and refuses the rest', () => {
    expect(isValidName('shop-ip')).toBe(true);
    expect(isValidName('a')).toBe(true);
    expect(isValidName('')).toBe(false);
    expect(isValidName('-shop')).toBe(false);
    expect(isValidName('shop-')).toBe(false);
    expect(isValidName('Shop')).toBe(false);
    expect(isValidName('1shop')).toBe(false);
    expect(isValidName('a'.repeat(64))).toBe(false);
  });
});
