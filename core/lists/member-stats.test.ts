import { describe, expect, it } from 'vitest';
import { brandShares, expectedWeeklyGroceryCents, memberStats, productMap, shareOfWallet } from './member-stats.ts';
import type { Basket, Member, Product } from '../types.ts';

const product = (id: string, category: string, brandType: 'national' | 'store', priceCents = 500): Product =>
  ({ id, name: id, category, brand: brandType === 'store' ? 'Own' : 'Acme', brandType, priceCents, tags: [] });
const products = productMap([product('asp', 'health/analgesics', 'national'), product('own-asp', 'health/analgesics', 'store'), product('milk', 'dairy/milk', 'store', 150)]);
const member: Member = { id: 'm1', cardCode: '2000000000008', consent: { personalise: true, contact: false }, householdSize: 2, joinedDay: 19000 };
const basket = (day: number, lines: [string, number, number][]): Basket => ({
  id: `b${day}`, memberId: 'm1', day, lines: lines.map(([productId, qty, unitPriceCents]) => ({ productId, qty, unitPriceCents, discountCents: 0 })),
});

describe('member statistics', () => {
  it('adds up weekly spend in the window ending on the as-of day and ignores later baskets', () => {
    const asOf = 20000;
    const s = memberStats(member, [basket(asOf, [['milk', 2, 150]]), basket(asOf - 7, [['asp', 1, 500]]), basket(asOf - 200, [['asp', 1, 500]]), basket(asOf + 1, [['milk', 9, 150]])], products, asOf, { weeks: 4 });
    expect(Array.from(s.weeklySpendCents)).toEqual([0, 0, 500, 300]);
    expect(s.valueCents).toBe(800);
    expect(s.avgWeeklySpendCents).toBe(200);
    expect(s.visits).toBe(3);
    expect(s.recentVisits).toBe(2);
    expect(s.tenureDays).toBe(1000);
    expect(s.categories.get('health/analgesics')).toEqual({ units: 2, spendCents: 1000, nationalUnits: 2, storeUnits: 0 });
  });

  it('averages over the whole window whatever the tenure, so a longer tenure never lowers it', () => {
    const b = [basket(19996, [['asp', 13, 500]])];
    const fresh = memberStats({ ...member, joinedDay: 19995 }, b, products, 20000, { weeks: 13 });
    const old = memberStats({ ...member, joinedDay: 10000 }, b, products, 20000, { weeks: 13 });
    expect(fresh.avgWeeklySpendCents).toBe(500);
    expect(old.avgWeeklySpendCents).toBe(fresh.avgWeeklySpendCents);
    expect(old.tenureDays).toBeGreaterThan(fresh.tenureDays);
  });

  it('caps share of wallet at 1 and grows it with spend', () => {
    expect(shareOfWallet(1e9, 2)).toBe(1);
    expect(shareOfWallet(0, 2)).toBe(0);
    expect(shareOfWallet(5000, 1)).toBeLessThan(shareOfWallet(6000, 1));
    expect(shareOfWallet(5000, 4)).toBeLessThan(shareOfWallet(5000, 1));
    expect(expectedWeeklyGroceryCents(3)).toBeGreaterThan(expectedWeeklyGroceryCents(2));
  });

  it('splits brand shares by units', () => {
    expect(brandShares({ units: 5, spendCents: 0, nationalUnits: 4, storeUnits: 1 })).toEqual({ national: 0.8, store: 0.2 });
    expect(brandShares({ units: 0, spendCents: 0, nationalUnits: 0, storeUnits: 0 })).toEqual({ national: 0, store: 0 });
  });
});
