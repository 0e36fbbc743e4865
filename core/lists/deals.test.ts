import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyDeal, bestDeal, dealCovers, savingCents, unitPriceAfter } from './deals.ts';
import type { Deal, DealKind, Product } from '../types.ts';

const coffee: Product = { id: 'cof', name: 'Coffee', category: 'drinks/coffee', brand: 'Acme', brandType: 'national', priceCents: 800, tags: [] };
const deal = (o: Partial<Deal>): Deal => ({ id: 'd', scopeType: 'product', scope: 'cof', kind: 'percent', value: 25, startDay: 10, endDay: 20, funder: 'store', ...o });

describe('deals', () => {
  it('applies each kind to the shelf price', () => {
    expect(unitPriceAfter('percent', 25, 800)).toBe(600);
    expect(unitPriceAfter('amount', 150, 800)).toBe(650);
    expect(unitPriceAfter('price', 499, 800)).toBe(499);
    expect(unitPriceAfter('multibuy', 2, 800)).toBe(400);
    expect(savingCents('multibuy', 3, 800)).toBe(800);
  });

  it('never prices below zero or above the shelf, whatever the deal says', () => {
    const kinds: DealKind[] = ['percent', 'amount', 'price', 'multibuy'];
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 100_000 }), (kind, value, shelf) => {
      const price = unitPriceAfter(kind, value, shelf);
      const saving = savingCents(kind, value, shelf);
      return price >= 0 && price <= shelf && saving >= 0 && saving <= shelf;
    }), { numRuns: 3000 });
  });

  it('covers products by id, category prefix and brand', () => {
    expect(dealCovers({ scopeType: 'category', scope: 'drinks' }, coffee)).toBe(true);
    expect(dealCovers({ scopeType: 'category', scope: 'drin' }, coffee)).toBe(false);
    expect(dealCovers({ scopeType: 'brand', scope: 'Acme' }, coffee)).toBe(true);
  });

  it('applies only within its dates, to its segments and within the member limit', () => {
    expect(applyDeal(deal({}), coffee, 9)).toMatchObject({ ok: false, error: 'not-active' });
    expect(applyDeal(deal({}), coffee, 20).ok).toBe(true);
    expect(applyDeal(deal({ segments: ['national-high'] }), coffee, 15, { segment: 'store-low' })).toMatchObject({ ok: false, error: 'not-targeted' });
    expect(applyDeal(deal({ segments: ['national-high'] }), coffee, 15, { segment: 'national-high' }).ok).toBe(true);
    expect(applyDeal(deal({ perMemberLimit: 2 }), coffee, 15, { usedUnits: 2 })).toMatchObject({ ok: false, error: 'limit-reached' });
    expect(applyDeal(deal({ perMemberLimit: 3 }), coffee, 15, { usedUnits: 1 })).toMatchObject({ ok: true, value: { limit: 2, savingCents: 200 } });
  });

  it('limits units so the worst case fits the budget left', () => {
    expect(applyDeal(deal({}), coffee, 15, { budgetLeftCents: 450 })).toMatchObject({ ok: true, value: { limit: 2 } });
    expect(applyDeal(deal({}), coffee, 15, { budgetLeftCents: 100 })).toMatchObject({ ok: false, error: 'budget-exhausted' });
  });

  it('picks the deal with the lowest price', () => {
    const best = bestDeal([deal({ id: 'a', value: 10 }), deal({ id: 'b', kind: 'price', value: 500 }), deal({ id: 'c', value: 50, startDay: 30, endDay: 40 })], coffee, 15);
    expect(best?.deal.id).toBe('b');
  });
});
