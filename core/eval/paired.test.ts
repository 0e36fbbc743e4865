import { describe, expect, it } from 'vitest';
import { marginOf, pairedDifference, perMember, verdict } from './paired.ts';
import { Z95 } from '../insights/uplift.ts';

describe('paired margins', () => {
  it('takes the mean and standard error of the per-member differences', () => {
    // differences 1, 2, 3: mean 2, sample sd 1, se 1/√3
    const d = pairedDifference([1, 2, 3], [0, 0, 0]);
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.se).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(d.low).toBeCloseTo(2 - Z95 / Math.sqrt(3), 12);
    expect(d.high).toBeCloseTo(2 + Z95 / Math.sqrt(3), 12);
  });

  it('cancels what the members share: a constant gain on very different members has no error', () => {
    const a = [0.9, 0.1, 0.5, 0.3];
    const d = pairedDifference(a.map((x) => x + 0.01), a);
    expect(d.mean).toBeCloseTo(0.01, 12);
    expect(d.se).toBeCloseTo(0, 12);
    expect(verdict(d)).toBe('better');
  });

  it('calls a gain that flips sign between members within noise, and a consistent loss worse', () => {
    expect(verdict(pairedDifference([1, 0, 1, 0], [0, 1, 0, 1]))).toBe('within noise');
    expect(verdict(pairedDifference([0, 0, 0.1, 0], [0.5, 0.4, 0.5, 0.6]))).toBe('worse');
  });

  it('leaves out members where either value is missing, and never judges one member', () => {
    const d = pairedDifference([1, Number.NaN, 3], [0, 0, Number.NaN]);
    expect(d.n).toBe(1);
    expect(d.mean).toBe(1);
    expect(d.se).toBe(Number.POSITIVE_INFINITY);
    expect(verdict(d)).toBe('within noise');
  });

  it('refuses arrays of different members', () => {
    expect(() => pairedDifference([1, 2], [1])).toThrow(/2 against 1 members/);
    expect(() => perMember([[1]], [[1], [2]], [new Set(), new Set()])).toThrow(/must match/);
  });

  it('scores each member at k, repeat recall only where the target has items bought before', () => {
    const pm = perMember([[1, 2, 3], [4, 5]], [[1, 9], [7]], [new Set([9]), new Set()], 2);
    expect(Array.from(pm.recall)).toEqual([0.5, 0]);
    expect(pm.ndcg[0]).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(pm.repeatRecall[0]).toBe(0);
    expect(Number.isNaN(pm.repeatRecall[1]!)).toBe(true);
  });

  it('gives the margin of one method over another on every metric', () => {
    const targets = [[1], [2], [3]];
    const bought = [new Set([1]), new Set([2]), new Set<number>()];
    const a = perMember([[1], [2], [3]], targets, bought);
    const b = perMember([[9], [2], [9]], targets, bought);
    const m = marginOf(a, b);
    expect(m['recall@10'].mean).toBeCloseTo(2 / 3, 12);
    expect(m['repeat recall@10'].n).toBe(2);
    expect(m['repeat recall@10'].mean).toBeCloseTo(0.5, 12);
  });
});
