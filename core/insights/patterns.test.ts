import { describe, expect, it } from 'vitest';
import { parseDay } from '../dates.ts';
import { ageBand, householdBand, quintileScores, shoppingPatterns } from './patterns.ts';
import type { Basket, Member, Product } from '../types.ts';

const day = (iso: string) => parseDay(iso)!;
const aProduct = (id: string, category: string): Product => ({ id, name: id, category, brand: 'b', brandType: 'national', priceCents: 100, tags: [] });
const aMember = (id: string, more: Partial<Member> = {}): Member => ({ id, cardCode: '0000000000000', consent: { personalise: true, contact: false }, ...more });
let n = 0;
const aBasket = (memberId: string, iso: string, lines: [string, number, number, number?][], minute?: number): Basket => ({
  id: `b${n++}`, memberId, day: day(iso), ...(minute !== undefined ? { minute } : {}),
  lines: lines.map(([productId, qty, unitPriceCents, discountCents]) => ({ productId, qty, unitPriceCents, discountCents: discountCents ?? 0 })),
});

const products = [aProduct('milk', 'dairy/milk'), aProduct('cheese', 'dairy/cheese'), aProduct('aspirin', 'health/analgesics')];
const members = [
  aMember('ann', { birthYear: 1990, householdSize: 2 }), // 34 in 2024
  aMember('bob', { birthYear: 1950, householdSize: 1 }), // 74
  aMember('cy'), // nothing known
];
// 2024-03-04 is a Monday, 2024-03-09 a Saturday.
const baskets = [
  aBasket('ann', '2024-03-04', [['milk', 2, 100], ['cheese', 1, 400, 50]], 9 * 60 + 30), // 550
  aBasket('ann', '2024-03-09', [['milk', 1, 100]], 17 * 60), // 100
  aBasket('bob', '2024-03-09', [['aspirin', 1, 300]]), // 300, no time
  aBasket('cy', '2024-03-04', [['milk', 1, 100]], 9 * 60 + 59), // 100
  aBasket('zed', '2024-03-05', [['unknown-sku', 1, 50]], 12 * 60), // not in the member list, unknown product
  aBasket('ann', '2024-04-01', [['milk', 1, 100]], 8 * 60), // after asOf: ignored
];
const asOfDay = day('2024-03-10');
const p = shoppingPatterns(baskets, members, products, { asOfDay });

describe('shopping patterns', () => {
  it('counts visits and spend by weekday, Monday first, with discounts taken off', () => {
    expect(p.baskets).toBe(5);
    expect(p.spendCents).toBe(550 + 100 + 300 + 100 + 50);
    expect(p.byWeekday.visits).toEqual([2, 1, 0, 0, 0, 2, 0]);
    expect(p.byWeekday.spendCents).toEqual([650, 50, 0, 0, 0, 400, 0]);
  });

  it('puts timed baskets in their hour and keeps untimed ones apart', () => {
    expect(p.byWeekdayHour.visits[0]![9]).toBe(2);
    expect(p.byWeekdayHour.spendCents[0]![9]).toBe(650);
    expect(p.byWeekdayHour.visits[5]![17]).toBe(1);
    expect(p.byWeekdayHour.unknownHour).toEqual([0, 0, 0, 0, 0, 1, 0]);
    const timed = p.byWeekdayHour.visits.flat().reduce((a, b) => a + b, 0);
    expect(timed + p.byWeekdayHour.unknownHour.reduce((a, b) => a + b, 0)).toBe(p.baskets);
  });

  it('groups members by age band and household size, unknowns apart', () => {
    const age = Object.fromEntries(p.byAgeBand.map((b) => [b.label, b]));
    expect(age['25-34']).toMatchObject({ members: 1, visits: 2, spendCents: 650 });
    expect(age['65+']).toMatchObject({ members: 1, visits: 1, spendCents: 300 });
    expect(age.unknown).toMatchObject({ members: 1, visits: 2, spendCents: 150 });
    expect(p.byAgeBand.map((b) => b.label)).toEqual(['<25', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown']);
    const hh = Object.fromEntries(p.byHouseholdSize.map((b) => [b.label, b]));
    expect(hh['2']).toMatchObject({ members: 1, visits: 2 });
    expect(hh['1']).toMatchObject({ members: 1, visits: 1 });
    expect(hh.unknown).toMatchObject({ members: 1, visits: 2 });
  });

  it('shares spend by top-level category', () => {
    expect(p.categories.map((c) => [c.category, c.spendCents])).toEqual([['dairy', 750], ['health', 300], ['unknown', 50]]);
    expect(p.categories.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 12);
    const deep = shoppingPatterns(baskets, members, products, { asOfDay, categoryDepth: 2 });
    expect(deep.categories.map((c) => c.category)).toContain('dairy/cheese');
  });

  it('scores recency, frequency and money by quintiles, best member highest', () => {
    const ann = p.rfm.find((r) => r.memberId === 'ann')!;
    expect(ann).toMatchObject({ recencyDays: 1, frequency: 2, monetaryCents: 650, f: 5, m: 5 });
    const zed = p.rfm.find((r) => r.memberId === 'zed')!;
    expect(zed.m).toBe(1);
    expect(p.rfm.find((r) => r.memberId === 'bob')!.r).toBe(ann.r); // same last day, same score
    expect(ann.code).toBe(`${ann.r}${ann.f}${ann.m}`);
  });

  it('ignores baskets outside the window', () => {
    const march4 = shoppingPatterns(baskets, members, products, { asOfDay: day('2024-03-04'), fromDay: day('2024-03-04') });
    expect(march4.baskets).toBe(2);
  });
});

describe('pattern helpers', () => {
  it('splits values into quintiles by mid-rank, ties sharing a score', () => {
    expect([...quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([...quintileScores([7, 7, 7])]).toEqual([3, 3, 3]); // nobody stands out
    expect([...quintileScores([2, 1, 1, 1])]).toEqual([5, 2, 2, 2]);
    expect([...quintileScores([])]).toEqual([]);
  });

  it('bands ages and households, unknown when missing or impossible', () => {
    expect(ageBand(2000, 2024)).toBe('<25');
    expect(ageBand(1999, 2024)).toBe('25-34');
    expect(ageBand(1959, 2024)).toBe('65+');
    expect(ageBand(undefined, 2024)).toBe('unknown');
    expect(ageBand(2030, 2024)).toBe('unknown');
    expect(householdBand(7)).toBe('5+');
    expect(householdBand(0)).toBe('unknown');
  });
});
