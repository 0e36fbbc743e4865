// What a savings receipt says: the store's till slip for one basket against one list — who, when, which list, the
// basket as rung up with its total, the offers redeemed (or that would be) with their total, and what was refused.
import type { Day, Redemption, ShoppingList } from '../types.ts';
import type { CheckoutPlan, ReceiptLine } from './checkout.ts';

/** One line of the basket as the till rang it up, at the shelf price. */
export interface BasketReceiptLine {
  productId: string;
  name: string;
  qty: number;
  unitPriceCents: number;
  /** qty × unit price. */
  lineCents: number;
}

/** What the till knows of a checkout beyond the list and its redemptions. */
export interface TillFacts {
  /** The day of the checkout (the store's clock). */
  day: Day;
  /** The basket, in the order it was rung up. */
  basket: readonly BasketReceiptLine[];
  /** The member's first name, when the store has one. */
  memberName?: string;
}

/** The savings receipt of a checkout. */
export interface CheckoutReceipt {
  listId: string;
  /** The printed code of the list the basket was checked against. */
  listCode: string;
  memberId: string;
  memberName?: string;
  basketId: string;
  day: Day;
  /** The basket as rung up, and its total before savings. */
  basket: BasketReceiptLine[];
  basketTotalCents: number;
  receipt: ReceiptLine[];
  totalSavingCents: number;
  refusals: CheckoutPlan['refusals'];
  /** True when this basket had been redeemed before: the stored receipt, nothing applied again. */
  replay: boolean;
  /** The code of the next list, when one was issued by this checkout. */
  nextListCode?: string;
}

/** A basket line with its name and line total, from the catalogue's name and shelf price. */
export const basketLine = (productId: string, name: string, qty: number, unitPriceCents: number): BasketReceiptLine =>
  ({ productId, name, qty, unitPriceCents, lineCents: qty * unitPriceCents });

function slip(list: ShoppingList, basketId: string, till: TillFacts, receipt: ReceiptLine[], refusals: CheckoutPlan['refusals'], replay: boolean): CheckoutReceipt {
  return {
    listId: list.id, listCode: list.code, memberId: list.memberId, ...(till.memberName ? { memberName: till.memberName } : {}), basketId, day: till.day,
    basket: [...till.basket], basketTotalCents: till.basket.reduce((s, l) => s + l.lineCents, 0),
    receipt, totalSavingCents: receipt.reduce((s, r) => s + r.savingCents, 0), refusals, replay,
  };
}

/** The receipt of stored redemptions of `list` against one basket (a checkout just committed, or one replayed):
 * each line named after the list's item the offer was on. */
export function receiptOf(list: ShoppingList, basketId: string, redemptions: readonly Redemption[], refusals: CheckoutPlan['refusals'], replay: boolean, till: TillFacts): CheckoutReceipt {
  const names = new Map(list.items.map((i) => [i.productId, i.name]));
  const receipt = redemptions.map((r) => {
    const offer = list.items.find((i) => i.offer?.id === r.offerId)?.offer;
    return { offerId: r.offerId, dealId: r.dealId, productId: offer?.productId ?? '', name: names.get(offer?.productId ?? '') ?? '', units: r.units, savingCents: r.amountCents };
  });
  return slip(list, basketId, till, receipt, refusals, replay);
}

/** The receipt a checkout would give, from its plan, before anything is stored (the till's preview). */
export function previewReceipt(list: ShoppingList, basketId: string, plan: CheckoutPlan, till: TillFacts): CheckoutReceipt {
  return slip(list, basketId, till, plan.receipt, plan.refusals, false);
}

/** Why a receipt redeems nothing, when it does not: every offer on the list was redeemed already, none of the offers
 * left applies to this basket (not in it, too few, its budget spent), or the list carries no offers at all. */
export type NothingApplies = 'no-offers-left' | 'none-apply' | 'no-offers';

/** Whether a checkout would redeem anything, and if not why. The till offers no confirm on a list whose offers are
 * all used or none of which applies; a list without offers still records the basket for the member's next list. */
export function nothingApplies(r: Pick<CheckoutReceipt, 'receipt' | 'refusals'>): NothingApplies | undefined {
  if (r.receipt.length) return undefined;
  if (!r.refusals.length) return 'no-offers';
  return r.refusals.every((x) => x.reason === 'already-redeemed') ? 'no-offers-left' : 'none-apply';
}
