import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { brandLoyalty, memberSegments, SEGMENT_KEYS, segmentCategories, segmentForCategory, tertileCuts, usageTier } from './segments.ts';
import type { MemberStats } from './member-stats.ts';

const stats = (memberId: string, cats: Record<string, [number, number]>): MemberStats => ({
  memberId, asOfDay: 0, weeks: 1, weeklySpendCents: new Float64Array(1), avgWeeklySpendCents: 0, visits: 1, recentVisits: 1, tenureDays: 0,
  shareOfWallet: 0, valueCents: 0,
  categories: new Map(Object.entries(cats).map(([c, [n, s]]) => [c, { units: n + s, spendCents: 0, nationalUnits: n, storeUnits: s }])),
});

describe('segments', () => {
  it('calls 80% national loyal to national brands, 80% store loyal to the store brand, else a switcher', () => {
    expect(brandLoyalty(8, 2)).toBe('national');
    expect(brandLoyalty(7, 3)).toBe('switcher');
    expect(brandLoyalty(2, 8)).toBe('store');
    expect(brandLoyalty(0, 0)).toBeUndefined();
  });

  it('has nine segment keys', () => {
    expect(new Set(SEGMENT_KEYS).size).toBe(9);
    expect(SEGMENT_KEYS).toContain('national-high');
  });

  it('splits members into thirds by category volume', () => {
    const vols = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const cuts = tertileCuts(vols);
    const tiers = vols.map((v) => usageTier(v, cuts));
    expect(tiers.filter((t) => t === 'low')).toHaveLength(3);
    expect(tiers.filter((t) => t === 'mid')).toHaveLength(3);
    expect(tiers.filter((t) => t === 'high')).toHaveLength(3);
  });

  it('keeps tiers monotone in volume', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (vols, a, b) => {
      const cuts = tertileCuts(vols);
      const rank = { low: 0, mid: 1, high: 2 };
      return a > b || rank[usageTier(a, cuts)] <= rank[usageTier(b, cuts)];
    }));
  });

  it('counts segment sizes per category and finds a member segment by category path', () => {
    const all = [stats('a', { 'health/analgesics': [10, 0] }), stats('b', { 'health/analgesics': [1, 1] }), stats('c', { 'health/analgesics': [0, 4] })];
    const segs = segmentCategories(all).get('health/analgesics')!;
    expect(segs.sizes['national-high']).toBe(1);
    expect(segs.sizes['switcher-low']).toBe(1);
    expect(segs.sizes['store-mid']).toBe(1);
    expect(Object.values(segs.sizes).reduce((x, y) => x + y, 0)).toBe(3);
    const mine = memberSegments(all[0]!, new Map([['health/analgesics', segs.cuts]]));
    expect(segmentForCategory(mine, 'health/analgesics')).toBe('national-high');
    expect(segmentForCategory(new Map([['health', 'store-low' as const]]), 'health/analgesics')).toBe('store-low');
  });
});
