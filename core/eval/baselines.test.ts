import { describe, expect, it } from 'vitest';
import { globalTopFreq, personalTopFreq } from './baselines.ts';
import { nearestRows, tifuRecommend, tifuRows, tifuVector } from '../lists/tifu.ts';
import type { Trip } from '../types.ts';

const trips = (...baskets: number[][]): Trip[] => baskets.map((items, day) => ({ day, items }));

describe('next-basket baselines', () => {
  it('ranks store-wide bestsellers for G-TopFreq', () => {
    const top = globalTopFreq([trips([1, 2], [2]), trips([2, 3], [3])], 4, 3);
    expect([...top]).toEqual([2, 3, 1]);
  });

  it('ranks the member\'s own items by count, ties to the most recent for P-TopFreq', () => {
    const counts = new Float64Array(5);
    const recency = new Float64Array(5);
    const top = personalTopFreq(trips([0, 1], [1, 2], [3]), counts, recency, 4);
    expect([...top]).toEqual([1, 3, 2, 0]);
    expect(counts.every((c) => c === 0)).toBe(true); // scratch is left clean
  });

  it('builds the TIFU vector from decayed groups (paper eq. 1-2)', () => {
    // 3 baskets, 2 groups: group 1 = baskets 0,1 (the earlier group takes the extra), group 2 = basket 2
    const acc = new Float64Array(3);
    const touched: number[] = [];
    tifuVector(trips([0], [1], [2]), { groupCount: 2, withinDecay: 0.5, groupDecay: 0.25 }, acc, touched);
    // group 1: (0.5·b0 + 1·b1)/2, weight 0.25/2; group 2: b2, weight 1/2
    expect(acc[0]).toBeCloseTo((0.25 / 2) * (0.5 / 2), 12);
    expect(acc[1]).toBeCloseTo((0.25 / 2) * (1 / 2), 12);
    expect(acc[2]).toBeCloseTo(0.5, 12);
    expect(touched.sort()).toEqual([0, 1, 2]);
  });

  it('finds the Euclidean nearest members, never the member itself', () => {
    const p = { groupCount: 1, withinDecay: 1, groupDecay: 1 };
    const rows = tifuRows([trips([0, 1]), trips([0, 1]), trips([0, 2]), trips([3])], 4, p);
    const nbrs = nearestRows(rows, 4, 2);
    expect(nbrs[0]).toBe(1);
    expect(nbrs[2]).toBe(0);
    expect(nbrs[4]).toBe(0); // member 2's nearest: 0 and 1 tie, lower id first
    const some = nearestRows(rows, 4, 1, [3]);
    expect(some.length).toBe(1);
    expect(some[0]).not.toBe(3);
  });

  it('blends the member with neighbours: alpha 1 is the own vector, alpha 0 the neighbours only', () => {
    const p = { groupCount: 1, withinDecay: 1, groupDecay: 1 };
    const rows = tifuRows([trips([0], [0, 1]), trips([0, 2], [2])], 3, p);
    const nbrs = nearestRows(rows, 3, 1);
    expect([...tifuRecommend(rows, nbrs, 1, 3, { neighbours: 1, alpha: 1 }, 3)[0]!]).toEqual([0, 1]);
    expect([...tifuRecommend(rows, nbrs, 1, 3, { neighbours: 1, alpha: 0 }, 3)[0]!]).toEqual([2, 0]);
  });
});
