import { describe, expect, it } from 'vitest';
import type { Redemption, ShoppingList } from '../types.ts';
import { planCheckout } from './checkout.ts';
import { previewReceipt, receiptOf } from './receipt.ts';

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
const plan = planCheckout({ list, basketId: 'B1', lines, day: 110, redeemedOffers: new Set(), budgetLeftCents: new Map() });

describe('the savings receipt', () => {
  it('of a preview says what the plan would redeem, and that it is no replay', () => {
    expect(previewReceipt(list, 'B1', plan)).toEqual({
      listId: 'L1', memberId: 'M1', basketId: 'B1', receipt: plan.receipt, totalSavingCents: 60, refusals: plan.refusals, replay: false,
    });
    expect(plan.refusals.map((r) => [r.productId, r.reason])).toEqual([['tea', 'not-in-basket']]);
  });

  it('of stored redemptions names each line after the list item its offer was on, and totals them', () => {
    const stored: Redemption[] = plan.redemptions.map((r, i) => ({ ...r, id: `R${i}` }));
    const receipt = receiptOf(list, 'B1', stored, plan.refusals, false);
    // The same lines whether read from the plan before the commit or from the stored redemptions after it.
    expect(receipt).toEqual(previewReceipt(list, 'B1', plan));
    expect(receiptOf(list, 'B1', stored, [], true)).toMatchObject({ totalSavingCents: 60, refusals: [], replay: true, receipt: [{ name: 'Milk', units: 2, savingCents: 60 }] });
  });

  it('keeps a redemption whose offer is no longer on the list, unnamed, in the total', () => {
    const lost = { id: 'R9', key: 'k', listId: 'L1', offerId: 'L1:D9:gone', dealId: 'D9', memberId: 'M1', basketId: 'B1', units: 1, amountCents: 25, day: 110, synced: 0 } satisfies Redemption;
    expect(receiptOf(list, 'B1', [lost], [], true)).toMatchObject({ totalSavingCents: 25, receipt: [{ offerId: 'L1:D9:gone', productId: '', name: '', savingCents: 25 }] });
  });
});
