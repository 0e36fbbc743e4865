import { describe, expect, it } from 'vitest';
import { buildDeviceStoreModel, buildStoreModel } from './store-model.ts';
import { FLAT_PRIOR } from './cycles.ts';
import { K_ANONYMITY } from './neighbours.ts';
import type { Trip } from '../types.ts';

// Members who buy milk (0) and bread (1) weekly, half of them jam (2) every other week.
const everyday = (m: number): Trip[] => Array.from({ length: 12 }, (_, w) => ({ day: w * 7, items: m % 2 && w % 2 ? [0, 1, 2] : [0, 1] }));
const UNIQUE = 9;

describe('the store model a device receives', () => {
  it('holds no item statistic at all when built from fewer than k members', () => {
    const few = Array.from({ length: K_ANONYMITY - 1 }, (_, m) => everyday(m));
    const model = buildDeviceStoreModel(few, { itemCount: 10 });
    expect([...model.popularity].every((x) => x === 0)).toBe(true);
    expect(model.popular.length).toBe(0);
    expect(model.itemNbrIds.length).toBe(0);
    expect([...model.priorMu].every((mu) => mu === FLAT_PRIOR.mu)).toBe(true);
    expect(model.memberNbr.items.length).toBe(0);
    // The same members in headquarters' own model do show their items: the floor is what removes them.
    expect(buildStoreModel(few, { itemCount: 10 }).popularity[0]).toBeGreaterThan(0);
  });

  it('drops a product only one member buys from popularity, item pairs and priors', () => {
    const members = Array.from({ length: 30 }, (_, m) => everyday(m));
    // One member buys a product nobody else does, on a steady rhythm that would show in its prior.
    members[5] = members[5]!.map((t, w) => ({ day: t.day, items: w % 3 ? t.items : [...t.items, UNIQUE] }));
    const full = buildStoreModel(members, { itemCount: 10 });
    const device = buildDeviceStoreModel(members, { itemCount: 10 });
    expect(full.popularity[UNIQUE]).toBeGreaterThan(0);
    expect(device.popularity[UNIQUE]).toBe(0);
    expect([...device.popular]).not.toContain(UNIQUE);
    expect([...device.itemNbrIds]).not.toContain(UNIQUE);
    expect(device.itemNbrOffsets[UNIQUE + 1]! - device.itemNbrOffsets[UNIQUE]!).toBe(0);
    expect(full.priorMu[UNIQUE]).not.toBe(device.priorMu[UNIQUE]);
    // Items every member buys keep their statistics.
    expect(device.popularity[0]).toBe(1);
    expect([...device.popular]).toContain(2);
    expect(device.memberNbr.items.length).toBe(0);
  });

  it('keeps an item pair only when at least k members bought both', () => {
    const members = Array.from({ length: 30 }, (_, m) => everyday(m));
    // Jam (2) goes with milk for 15 members; butter (3) with milk for only 4.
    for (let m = 0; m < 4; m++) members[m * 2] = members[m * 2]!.map((t) => ({ day: t.day, items: [...t.items, 3] }));
    const device = buildDeviceStoreModel(members, { itemCount: 10 });
    const nbrsOf = (i: number) => [...device.itemNbrIds.subarray(device.itemNbrOffsets[i]!, device.itemNbrOffsets[i + 1]!)];
    expect(nbrsOf(0)).toContain(2);
    expect(nbrsOf(0)).not.toContain(3);
    expect(nbrsOf(3)).toEqual([]);
  });
});
