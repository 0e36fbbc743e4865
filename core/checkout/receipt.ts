// What a savings receipt says: the lines a checkout redeemed (or would redeem), their total, and what was refused.
import type { Redemption, ShoppingList } from '../types.ts';
import type { CheckoutPlan, ReceiptLine } from './checkout.ts';

/** The savings receipt of a checkout. */
export interface CheckoutReceipt {
  listId: string;
  memberId: string;
  basketId: string;
  receipt: ReceiptLine[];
  totalSavingCents: number;
  refusals: CheckoutPlan['refusals'];
  /** True when this basket had been redeemed before: the stored receipt, nothing applied again. */
  replay: boolean;
  /** The code of the next list, when one was issued by this checkout. */
  nextListCode?: string;
}

/** The receipt of stored redemptions of `list` against one basket (a checkout just committed, or one replayed):
 * each line named after the list's item the offer was on. */
export function receiptOf(list: ShoppingList, basketId: string, redemptions: readonly Redemption[], refusals: CheckoutPlan['refusals'], replay: boolean): CheckoutReceipt {
  const names = new Map(list.items.map((i) => [i.productId, i.name]));
  const receipt = redemptions.map((r) => {
    const offer = list.items.find((i) => i.offer?.id === r.offerId)?.offer;
    return { offerId: r.offerId, dealId: r.dealId, productId: offer?.productId ?? '', name: names.get(offer?.productId ?? '') ?? '', units: r.units, savingCents: r.amountCents };
  });
  return { listId: list.id, memberId: list.memberId, basketId, receipt, totalSavingCents: receipt.reduce((s, r) => s + r.savingCents, 0), refusals, replay };
}

/** The receipt a checkout would give, from its plan, before anything is stored (the till's preview). */
export function previewReceipt(list: ShoppingList, basketId: string, plan: CheckoutPlan): CheckoutReceipt {
  return { listId: list.id, memberId: list.memberId, basketId, receipt: plan.receipt, totalSavingCents: plan.totalSavingCents, refusals: plan.refusals, replay: false };
}
