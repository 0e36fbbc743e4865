import { describe, expect, it } from 'vitest';
import { K_ANONYMITY, neighbourVectors } from './neighbours.ts';
import { buildDeviceStoreModel, buildStoreModel } from './store-model.ts';
import { scoreMember } from './next-basket.ts';
import type { Trip } from '../types.ts';

const weekly = (items: number[]): Trip[] => Array.from({ length: 8 }, (_, w) => ({ day: w * 7, items }));
const params = { groupCount: 3, withinDecay: 1, groupDecay: 0.9, neighbours: 1 };

describe('the neighbour term headquarters puts in a member pack', () => {
  it('is a mean over at least k members even when the fit asked for fewer', () => {
    // Ten tea buyers (0) and twelve coffee buyers (1): a tea buyer's single nearest member buys tea, but their ten
    // nearest are the nine other tea buyers and one coffee buyer.
    const store = [...Array.from({ length: 10 }, () => weekly([0])), ...Array.from({ length: 12 }, () => weekly([1]))];
    const [v] = neighbourVectors(store, { itemCount: 2, params, queries: [0] });
    expect(v!.neighbours).toBe(K_ANONYMITY);
    // Nine other tea buyers and one coffee buyer: coffee is in the vector with a tenth of the weight.
    const coffee = v!.values[[...v!.items].indexOf(1)]!;
    const tea = v!.values[[...v!.items].indexOf(0)]!;
    expect(coffee).toBeCloseTo(tea / 9, 5);
  });

  it('is empty in a store too small to hide a member among k others', () => {
    const store = Array.from({ length: K_ANONYMITY }, () => weekly([0]));
    const vectors = neighbourVectors(store, { itemCount: 1, params: { ...params, neighbours: 300 } });
    expect(vectors.every((v) => v.items.length === 0 && v.neighbours === 0)).toBe(true);
  });

  it('ranks a member as the model\'s own index does, from the member\'s history, the device model and the vector only', () => {
    const store = Array.from({ length: 40 }, (_, m) => weekly(m % 3 ? [0, 1 + (m % 4)] : [2, 3, 1 + (m % 5)]));
    const p = { groupCount: 3, withinDecay: 1, groupDecay: 0.9, neighbours: 12, alpha: 0.4, itemWeight: 0, popularityWeight: 0, timingWeight: 0 };
    const full = buildStoreModel(store, { itemCount: 8, params: p });
    const device = buildDeviceStoreModel(store, { itemCount: 8, params: p });
    const vectors = neighbourVectors(store, { itemCount: 8, params: p });
    for (const m of [0, 7, 13]) {
      const indexed = scoreMember(store[m]!, full, 60, { member: m }).map((s) => s.item);
      const packed = scoreMember(store[m]!, device, 60, { neighbour: vectors[m]! }).map((s) => s.item);
      expect(packed).toEqual(indexed);
    }
  });
});
