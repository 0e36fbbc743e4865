import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { offerSaving, planCheckout, type CheckoutContext } from './checkout.ts';
import type { ListItem, ListOffer, ShoppingList } from '../types.ts';

const reason = { code: 'popular' as const, params: { name: 'test' } };
const anOffer = (productId: string, extra: Partial<ListOffer> = {}): ListOffer => ({
  id: `o-${productId}`, dealId: `d-${productId}`, productId, kind: 'percent', value: 20, funder: 'store', savingCents: 0, limit: 2, reason, ...extra,
});
const anItem = (productId: string, offer?: ListOffer): ListItem => ({
  productId, name: productId, category: 'c', kind: 'repeat', confidence: 1, score: 1, shelfPriceCents: 500, priceCents: 400, reason, ...(offer ? { offer } : {}),
});
const aList = (items: ListItem[], validUntilDay = 100): ShoppingList => ({
  id: 'L1', code: '1', memberId: 'm1', issuedDay: 90, validUntilDay, personalised: true, items, coupons: [], rewards: [],
});
const ctx = (list: ShoppingList, lines: CheckoutContext['lines'], extra: Partial<CheckoutContext> = {}): CheckoutContext => ({
  list, basketId: 'b1', lines, day: 95, redeemedOffers: new Set(), budgetLeftCents: new Map(), ...extra,
});

describe('offer saving', () => {
  it('computes each kind of deal', () => {
    expect(offerSaving({ kind: 'percent', value: 25 }, 400, 2)).toBe(200);
    expect(offerSaving({ kind: 'amount', value: 150 }, 400, 1)).toBe(150);
    expect(offerSaving({ kind: 'price', value: 299 }, 400, 3)).toBe(303);
    expect(offerSaving({ kind: 'multibuy', value: 3 }, 100, 7)).toBe(200);
  });

  it('never saves more than the price paid', () => {
    fc.assert(fc.property(fc.constantFrom('percent', 'amount', 'price', 'multibuy' as const), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 20 }),
      (kind, value, price, units) => {
        const s = offerSaving({ kind, value: kind === 'percent' ? value % 101 : value }, price, units);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(price * units);
      }), { numRuns: 2000 });
  });
});

describe('checkout', () => {
  it('applies each offer whose product is in the basket, within its unit limit', () => {
    const list = aList([anItem('milk', anOffer('milk')), anItem('tea', anOffer('tea'))]);
    const plan = planCheckout(ctx(list, [{ productId: 'milk', qty: 5, unitPriceCents: 500, discountCents: 0 }]));
    expect(plan.receipt).toEqual([{ offerId: 'o-milk', dealId: 'd-milk', productId: 'milk', name: 'milk', units: 2, savingCents: 200 }]);
    expect(plan.refusals).toEqual([{ offerId: 'o-tea', productId: 'tea', name: 'tea', reason: 'not-in-basket' }]);
    expect(plan.redemptions[0]!.key).toBe('L1|o-milk|b1');
  });

  it('caps what one kiosk gives per deal before headquarters confirmed it, shared by offers of the same deal', () => {
    const list = aList([anItem('milk', anOffer('milk', { dealId: 'd' })), anItem('tea', anOffer('tea', { dealId: 'd' }))]);
    const lines = [{ productId: 'milk', qty: 1, unitPriceCents: 500, discountCents: 0 }, { productId: 'tea', qty: 1, unitPriceCents: 500, discountCents: 0 }];
    const plan = planCheckout(ctx(list, lines, { exposureLeftCents: new Map([['d', 150]]) }));
    expect(plan.receipt.map((r) => r.savingCents)).toEqual([100, 50]);
    expect(plan.totalSavingCents).toBe(150);
    // 50 cents left after milk: tea gets the rest; a zero cap refuses with its own reason and no budget is spent on it.
    const capped = planCheckout(ctx(list, lines, { exposureLeftCents: new Map([['d', 0]]), budgetLeftCents: new Map([['d', 1000]]) }));
    expect(capped.refusals.map((r) => r.reason)).toEqual(['offline-cap', 'offline-cap']);
    expect(capped.receipt).toEqual([]);
  });

  it('refuses an offer already redeemed, an expired list and an exhausted budget', () => {
    const list = aList([anItem('milk', anOffer('milk'))]);
    const line = [{ productId: 'milk', qty: 1, unitPriceCents: 500, discountCents: 0 }];
    expect(planCheckout(ctx(list, line, { redeemedOffers: new Set(['o-milk']) })).refusals[0]!.reason).toBe('already-redeemed');
    expect(planCheckout(ctx(list, line, { day: 101 })).refusals[0]!.reason).toBe('list-expired');
    expect(planCheckout(ctx(list, line, { budgetLeftCents: new Map([['d-milk', 0]]) })).refusals[0]!.reason).toBe('budget-exhausted');
  });

  it('says an offer bought too few times to save anything was too few, not absent from the basket', () => {
    const list = aList([anItem('yogurt', anOffer('yogurt', { kind: 'multibuy', value: 3, limit: 3 }))]);
    const one = planCheckout(ctx(list, [{ productId: 'yogurt', qty: 1, unitPriceCents: 400, discountCents: 0 }]));
    expect(one.refusals.map((r) => r.reason)).toEqual(['too-few']);
    expect(one.receipt).toEqual([]);
    const three = planCheckout(ctx(list, [{ productId: 'yogurt', qty: 3, unitPriceCents: 400, discountCents: 0 }]));
    expect(three.refusals).toEqual([]);
    expect(three.totalSavingCents).toBe(400);
  });

  it('never spends past a budget, whatever the baskets', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }), (budget, qtys) => {
      const items = qtys.map((_, i) => anItem(`p${i}`, anOffer(`p${i}`, { dealId: 'shared', kind: 'amount', value: 150 })));
      const lines = qtys.map((qty, i) => ({ productId: `p${i}`, qty, unitPriceCents: 300, discountCents: 0 }));
      const plan = planCheckout(ctx(aList(items), lines, { budgetLeftCents: new Map([['shared', budget]]) }));
      expect(plan.totalSavingCents).toBeLessThanOrEqual(budget);
    }), { numRuns: 1000 });
  });
});
