import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indexVectors, nearest, personalTopFreq, tifuVector, toSparse, type SparseVector } from './nbr-baselines.ts';

const dist = (a: SparseVector, b: SparseVector) => {
  const m = new Map<number, number>();
  a.items.forEach((i, k) => m.set(i, a.values[k]!));
  b.items.forEach((i, k) => m.set(i, (m.get(i) ?? 0) - b.values[k]!));
  return [...m.values()].reduce((s, x) => s + x * x, 0);
};

describe('next-basket baselines', () => {
  it('ranks personal items by frequency, ties by recency (P-TopFreq)', () => {
    const trips = [{ day: 0, items: [1, 2] }, { day: 1, items: [2, 3] }, { day: 2, items: [1] }];
    expect(personalTopFreq(trips, 3)).toEqual([1, 2, 3]);
  });

  it('decays older groups and older baskets within a group (TIFU vector)', () => {
    const v = tifuVector([{ day: 0, items: [0] }, { day: 1, items: [1] }], { groups: 2, withinDecay: 0.9, groupDecay: 0.5 });
    expect(Array.from(v.items)).toEqual([0, 1]);
    expect(v.values[0]).toBeCloseTo(0.5);
    expect(v.values[1]).toBeCloseTo(1);
  });

  it('finds exactly the k nearest members, as a brute-force search does', () => {
    const vec = fc.dictionary(fc.integer({ min: 0, max: 15 }).map(String), fc.double({ min: 0.01, max: 3, noNaN: true }), { maxKeys: 6 })
      .map((d) => toSparse(new Map(Object.entries(d).map(([k, v]) => [Number(k), v]))));
    fc.assert(fc.property(fc.array(vec, { minLength: 2, maxLength: 25 }), fc.integer({ min: 1, max: 8 }), (vectors, k) => {
      const index = indexVectors(vectors, 16);
      const q = 0;
      const got = nearest(index, vectors[q]!, k, q);
      const want = vectors.map((v, m) => ({ m, d: dist(vectors[q]!, v) })).filter((x) => x.m !== q).sort((a, b) => a.d - b.d || a.m - b.m).slice(0, k);
      expect(got.map((m) => dist(vectors[q]!, vectors[m]!))).toEqual(want.map((w) => expect.closeTo(w.d, 9)) as unknown as number[]);
    }), { numRuns: 500 });
  });
});
