import { describe, expect, it } from 'vitest';
import { addMember, averages, emptySums, naiveDueDay, ndcgAt, phrAt, recallAt, splitTarget, timingSummary } from './metrics.ts';

describe('next-basket metrics', () => {
  const ranked = [5, 1, 9, 2];
  const target = new Set([1, 2, 7]);

  it('counts recall as the share of the basket found in the first k', () => {
    expect(recallAt(ranked, target, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAt(ranked, target, 4)).toBeCloseTo(2 / 3, 12);
  });

  it('discounts hits by position against the ideal ordering of min(k, basket size) hits', () => {
    // hits at ranks 2 and 4: 1/log2(3) + 1/log2(5); ideal for 3 items within k=4: 1 + 1/log2(3) + 1/2
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    expect(ndcgAt(ranked, target, 4)).toBeCloseTo(dcg / (1 + 1 / Math.log2(3) + 0.5), 12);
    // with k = 1 the ideal is one hit at rank 1 and there is none
    expect(ndcgAt(ranked, target, 1)).toBe(0);
  });

  it('gives a personal hit when any basket item is listed', () => {
    expect(phrAt(ranked, target, 1)).toBe(0);
    expect(phrAt(ranked, target, 2)).toBe(1);
  });

  it('splits the basket into items bought before and new ones', () => {
    const parts = splitTarget([1, 2, 7, 7], new Set([2, 3]));
    expect([...parts.repeat]).toEqual([2]);
    expect([...parts.explore].sort()).toEqual([1, 7]);
    expect(parts.all.size).toBe(3);
  });

  it('averages only over members whose basket has items of the group', () => {
    const sums = emptySums();
    addMember(sums, [1, 2], new Set([1]));
    addMember(sums, [1, 2], new Set());
    addMember(sums, [3], new Set([1, 2]));
    const avg = averages(sums);
    expect(avg.members).toBe(2);
    expect(avg['recall@10']).toBeCloseTo(0.5, 12);
    expect(avg['phr@10']).toBeCloseTo(0.5, 12);
  });

  it('summarises timing errors by median and share within three days', () => {
    const s = timingSummary(Float64Array.from([5, 0, 2, 10]));
    expect(s.medianAbs).toBe(3.5);
    expect(s.within3).toBe(0.5);
    expect(s.meanAbs).toBe(4.25);
  });

  it('predicts the naive due day from the item mean interval, else the member gap', () => {
    expect(naiveDueDay([0, 10, 30], 4)).toBe(45);
    expect(naiveDueDay([7], 4)).toBe(11);
  });
});
