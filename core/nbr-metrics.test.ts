import { describe, expect, it } from 'vitest';
import { addMember, emptySums, errorSummary, summarise } from './nbr-metrics.ts';

describe('next-basket metrics', () => {
  it('computes recall, NDCG and PHR by hand', () => {
    const sums = emptySums([2]);
    addMember(sums, [5, 1, 9], new Set([1, 7]), [2]); // hit at rank 2 of 2 targets
    addMember(sums, [3, 4], new Set([8]), [2]); // miss
    const m = summarise(sums);
    expect(m['recall@2']).toBeCloseTo((1 / 2 + 0) / 2);
    expect(m['ndcg@2']).toBeCloseTo((1 / Math.log2(3) / (1 + 1 / Math.log2(3)) + 0) / 2);
    expect(m['phr@2']).toBeCloseTo(0.5);
  });

  it('skips members without targets', () => {
    const sums = emptySums([10]);
    addMember(sums, [1], new Set(), [10]);
    expect(sums.users).toBe(0);
  });

  it('summarises absolute errors', () => {
    expect(errorSummary([0, 1, 5, 10])).toEqual({ median: 3, within: 0.5, n: 4 });
  });
});
