import { describe, expect, it } from 'vitest';
import { freeRanges, rangesOverlap } from '../../src/cloud/ip-ranges.js';

describe('IPv4 ranges of a network', () => {
  it('overlap when one holds the start of the other, in either order', () => {
    expect(rangesOverlap('10.132.0.0/23', '10.132.0.0/20')).toBe(true);
    expect(rangesOverlap('10.132.0.0/20', '10.132.14.0/23')).toBe(true);
    expect(rangesOverlap('10.129.0.0/23', '10.129.2.0/23')).toBe(false);
    expect(rangesOverlap('10.0.0.0/8', '192.168.0.0/16')).toBe(false);
    expect(rangesOverlap('not a range', '10.0.0.0/8')).toBe(false);
  });

  it('proposes free ranges that overlap nothing taken nor each other', () => {
    const taken = ['10.128.0.0/20', '10.129.0.0/23', '10.132.0.0/20'];
    const free = freeRanges(taken, 3);
    expect(free).toEqual(['10.129.2.0/23', '10.129.4.0/23', '10.129.6.0/23']);
    for (const f of free) expect(taken.some((t) => rangesOverlap(f, t))).toBe(false);
    // A taken block is skipped whole.
    expect(freeRanges(['10.129.0.0/16'], 1)).toEqual(['10.130.0.0/23']);
  });
});
