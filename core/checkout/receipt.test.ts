import { describe, expect, it } from 'vitest';
import type { Redemption, ShoppingList } from '../types.ts';
import { planCheckout } from './checkout.ts';
import { basketLine, nothingApplies, previewReceipt, receiptOf } from './receipt.ts';

const offer = (productId: string, dealId: string, kind: 'amount' | 'percent', value: number) =>
  ({ id: `L1:${dealId}:${productId}`, dealId, productId, kind, value, funder: 'store', savingCents: value, limit: 4, reason: { code: 'deal', params: {} } });
const list: ShoppingList = {
  id: 'L1', code: 'C1', memberId: 'M1', issuedDay: 100, validUntilDay: 120, personalised: true, coupons: [], rewards: [],
  items: [
    { productId: 'milk', name: 'Milk', offer: offer('milk', 'D1', 'amount', 30) },
    { productId: 'tea', name: 'Tea', offer: offer('tea', 'D2', 'percent', 10) },
    { productId: 'bread', name: 'Bread' },
  ] as unknown as ShoppingList['items'],
};
const lines = [{ productId: 'milk', qty: 2, unitPriceCents: 150, discountCents: 0 }, { productId: 'bread', qty: 1, unitPriceCents: 300, discountCents: 0 }];
const till = { day: 110, basket: [basketLine('milk', 'Milk', 2, 150), basketLine('bread', 'Bread', 1, 300)], memberName: 'Olivia' };
const plan = planCheckout({ list, basketId: 'B1', lines, day: 110, redeemedOffers: new Set(), budgetLeftCents: new Map() });

describe('the savings receipt', () => {
  it('of a preview says what the plan would redeem, and that it is no replay', () => {
    expect(previewReceipt(list, 'B1', plan, till)).toEqual({
      listId: 'L1', listCode: 'C1', memberId: 'M1', memberName: 'Olivia', basketId: 'B1', day: 110,
      basket: [
        { productId: 'milk', name: 'Milk', qty: 2, unitPriceCents: 150, lineCents: 300 },
        { productId: 'bread', name: 'Bread', qty: 1, unitPriceCents: 300, lineCents: 300 },
      ],
      basketTotalCents: 600, receipt: plan.receipt, totalSavingCents: 60, refusals: plan.refusals, replay: false,
    });
    expect(plan.refusals.map((r) => [r.productId, r.reason])).toEqual([['tea', 'not-in-basket']]);
  });

  it('of stored redemptions names each line after the list item its offer was on, and totals them', () => {
    const stored: Redemption[] = plan.redemptions.map((r, i) => ({ ...r, id: `R${i}` }));
    const receipt = receiptOf(list, 'B1', stored, plan.refusals, false, till);
    // The same lines whether read from the plan before the commit or from the stored redemptions after it.
    expect(receipt).toEqual(previewReceipt(list, 'B1', plan, till));
    expect(receiptOf(list, 'B1', stored, [], true, till)).toMatchObject({ totalSavingCents: 60, refusals: [], replay: true, receipt: [{ name: 'Milk', units: 2, savingCents: 60 }] });
  });

  it('keeps a redemption whose offer is no longer on the list, unnamed, in the total', () => {
    const lost = { id: 'R9', key: 'k', listId: 'L1', offerId: 'L1:D9:gone', dealId: 'D9', memberId: 'M1', basketId: 'B1', units: 1, amountCents: 25, day: 110, synced: 0 } satisfies Redemption;
    expect(receiptOf(list, 'B1', [lost], [], true, till)).toMatchObject({ totalSavingCents: 25, receipt: [{ offerId: 'L1:D9:gone', productId: '', name: '', savingCents: 25 }] });
  });

  it('leaves the member unnamed when the store has no first name for them', () => {
    const r = previewReceipt(list, 'B1', plan, { day: 110, basket: [] });
    expect('memberName' in r).toBe(false);
    expect(r).toMatchObject({ basket: [], basketTotalCents: 0 });
  });

  it('says why nothing applies: every offer already redeemed, or none for this basket', () => {
    const used = planCheckout({ list, basketId: 'B2', lines, day: 110, redeemedOffers: new Set(list.items.flatMap((i) => (i.offer ? [i.offer.id] : []))), budgetLeftCents: new Map() });
    expect(nothingApplies(used)).toBe('no-offers-left');
    const none = planCheckout({ list, basketId: 'B3', lines: [lines[1]!], day: 110, redeemedOffers: new Set(), budgetLeftCents: new Map() });
    expect(nothingApplies(none)).toBe('none-apply');
    // Milk redeemed by an earlier basket, tea not bought: one offer is still open, so it is not "no offers left".
    const partly = planCheckout({ list, basketId: 'B4', lines, day: 110, redeemedOffers: new Set(['L1:D1:milk']), budgetLeftCents: new Map() });
    expect(nothingApplies(partly)).toBe('none-apply');
    expect(nothingApplies({ receipt: [], refusals: [] })).toBe('no-offers');
    expect(nothingApplies(plan)).toBe(undefined);
  });
});
