import { describe, expect, it } from 'vitest';
import type { ShoppingList } from '../types.ts';
import type { MemberStats } from '../lists/member-stats.ts';
import type { CategorySegments } from '../lists/segments.ts';
import { reportFacts } from './report-facts.ts';

const stats = (memberId: string, categories: [string, number, number][]) =>
  ({ memberId, categories: new Map(categories.map(([c, units, spendCents]) => [c, { units, spendCents }])) }) as unknown as MemberStats;
const segments = new Map<string, CategorySegments>([
  ['dairy', { category: 'dairy', members: new Map([['A', 'national-high'], ['B', 'store-low']]) } as unknown as CategorySegments],
  ['tea', { category: 'tea', members: new Map([['A', 'switcher-mid']]) } as unknown as CategorySegments],
]);
const item = (productId: string, category: string, offerId?: string) => ({ productId, category, ...(offerId ? { offer: { id: offerId } } : {}) });
const lists = [
  { id: 'LA', memberId: 'A', items: [item('milk', 'dairy', 'LA:D1:milk'), item('cheese', 'dairy', 'LA:D2:cheese'), item('tea', 'tea')] },
  { id: 'LB', memberId: 'B', items: [item('milk', 'dairy', 'LB:D1:milk')] },
] as unknown as ShoppingList[];
const categoryOf = new Map([['milk', 'dairy'], ['green-tea', 'tea']]);

describe('manufacturer report facts', () => {
  it('give each member their units, spend and segment per category, with the offers issued to them and redeemed there', () => {
    const facts = reportFacts([stats('A', [['dairy', 5, 900], ['tea', 1, 300]]), stats('B', [['dairy', 2, 200]])], segments, lists, [
      { memberId: 'A', listId: 'LA', offerId: 'LA:D1:milk' },
      { memberId: 'B', listId: 'LB', offerId: 'LB:D1:milk' },
      { memberId: 'B', listId: 'LB', offerId: 'LB:D1:milk' },
    ], categoryOf);
    expect(facts).toEqual([
      { memberId: 'A', category: 'dairy', segment: 'national-high', units: 5, spendCents: 900, offersIssued: 2, offersRedeemed: 1 },
      { memberId: 'A', category: 'tea', segment: 'switcher-mid', units: 1, spendCents: 300, offersIssued: 0, offersRedeemed: 0 },
      { memberId: 'B', category: 'dairy', segment: 'store-low', units: 2, spendCents: 200, offersIssued: 1, offersRedeemed: 2 },
    ]);
  });

  it('count a redemption whose list is gone in the category of the product its offer id ends with', () => {
    const facts = reportFacts([stats('A', [['tea', 1, 300]])], segments, [], [{ memberId: 'A', listId: 'L-erased', offerId: 'L-erased:D7:green-tea' }], categoryOf);
    expect(facts).toEqual([{ memberId: 'A', category: 'tea', segment: 'switcher-mid', units: 1, spendCents: 300, offersIssued: 0, offersRedeemed: 1 }]);
  });

  it('leave out a category in which the member has no segment', () => {
    expect(reportFacts([stats('B', [['tea', 3, 900]])], segments, lists, [], categoryOf)).toEqual([]);
  });
});
