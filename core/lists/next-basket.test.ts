import { describe, expect, it } from 'vitest';
import { buildStoreModel, scoreMember } from './next-basket.ts';
import type { Trip } from '../types.ts';

// A member who buys milk (0) weekly, coffee (1) every 4 weeks, and a store where bread (2) goes with milk.
function aMember(weeks: number, offset = 0): Trip[] {
  return Array.from({ length: weeks }, (_, w) => ({ day: w * 7 + offset, items: w % 4 === 0 ? [0, 1] : [0] }));
}
const store = (): Trip[][] => {
  const out: Trip[][] = [];
  for (let m = 0; m < 30; m++) out.push(Array.from({ length: 10 }, (_, w) => ({ day: w * 7, items: m % 2 ? [0, 2] : [0, 2, 3] })));
  out.push(aMember(16));
  return out;
};

describe('the list scorer', () => {
  const model = buildStoreModel(store(), { itemCount: 4, params: { neighbours: 5, timingWeight: 1 } });

  it('ranks coffee due today above coffee bought yesterday', () => {
    const trips = aMember(13); // coffee last bought on day 84 (week 12)
    const dueNow = scoreMember(trips, model, 84 + 28).find((s) => s.item === 1)!;
    const justBought = scoreMember(trips, model, 85).find((s) => s.item === 1)!;
    expect(dueNow.score).toBeGreaterThan(justBought.score);
    // its own 28-day rhythm, shrunk a little toward the store's weekly prior
    expect(dueNow.lastDay).toBe(84);
    expect(dueNow.dueDay).toBeGreaterThan(98);
    expect(dueNow.dueDay).toBeLessThanOrEqual(112);
  });

  it('puts a due item ahead of an item bought yesterday in the same list', () => {
    // milk every week, last on day 84; coffee bought on day 84 too, usually every 28 days; as of day 91 milk is due
    const list = scoreMember(aMember(13), model, 91);
    const rank = (item: number) => list.findIndex((s) => s.item === item);
    expect(rank(0)).toBeLessThan(rank(1));
  });

  it('marks only never-bought items as explore and keeps them within the explore limit', () => {
    const trips = aMember(8);
    const list = scoreMember(trips, model, 60, { limit: 10 });
    const bought = new Set(trips.flatMap((t) => t.items));
    for (const s of list) expect(s.kind).toBe(bought.has(s.item) ? 'repeat' : 'explore');
    expect(list.some((s) => s.kind === 'explore' && s.item === 2)).toBe(true);
    const none = scoreMember(trips, model, 60, { limit: 10, exploreLimit: 0 });
    expect(none.every((s) => s.kind === 'repeat')).toBe(true);
  });

  it('uses the member-neighbour index for a member of the model and item neighbours otherwise', () => {
    const indexed = scoreMember(store()[30]!, model, 120, { member: 30 });
    const unindexed = scoreMember(store()[30]!, model, 120);
    expect(indexed.length).toBeGreaterThan(0);
    expect(unindexed.some((s) => s.kind === 'explore')).toBe(true);
  });

  it('gives a new member store-wide picks and ignores trips after the as-of day', () => {
    expect(scoreMember([], model, 10).every((s) => s.kind === 'explore')).toBe(true);
    const future = scoreMember([{ day: 500, items: [3] }], model, 10);
    expect(future.find((s) => s.item === 3)?.kind ?? 'explore').toBe('explore');
  });

  it('keeps a due item bought on a rhythm ahead of a popular item the member never bought (default weights)', () => {
    // Every member of a store buys bread (2) and milk (0) weekly; this member buys coffee (1) every 4 weeks and no
    // bread. As of the day coffee is due, with two slots, coffee holds its slot against the store's bestseller.
    const plain = buildStoreModel(store(), { itemCount: 4 });
    const list = scoreMember(aMember(13), plain, 84 + 28, { limit: 2 }).map((s) => s.item);
    expect(list).toContain(1);
    expect(list).not.toContain(2);
    // Without the rhythm and frequency terms and with neighbours dominating, bread takes the slot: the terms decide.
    const without = scoreMember(aMember(13), plain, 84 + 28, { limit: 2, params: { alpha: 0.1, freqWeight: 0, dueWeight: 0, timingWeight: 0 } }).map((s) => s.item);
    expect(without).toContain(2);
  });

  it('judges due-ness in days over the member\'s own gap between trips when the horizon is 0', () => {
    // A fortnightly shopper who buys tea (1) every 4 weeks: 10 days after a skipped tea trip, tea falls before
    // their next trip (14 days) but not within a fixed 7-day window.
    const fortnightly: Trip[] = Array.from({ length: 12 }, (_, w) => ({ day: w * 14, items: w % 2 === 0 ? [0, 1] : [0] }));
    const plain = buildStoreModel(store(), { itemCount: 4 });
    const asOf = 11 * 14 + 4; // tea last bought on day 140, due about day 168
    const tea = (horizon: number) => scoreMember(fortnightly, plain, asOf, { params: { horizon, timingWeight: 1, dueWeight: 0, freqWeight: 0 } }).find((s) => s.item === 1)!;
    expect(tea(0).score).toBe(tea(14).score);
    expect(tea(0).score).toBeGreaterThan(tea(7).score * 1.3);
    expect(tea(0).intervalDays).toBeGreaterThan(21);
  });

  it('returns structured-cloneable data', () => {
    expect(() => structuredClone(model)).not.toThrow();
  });
});
