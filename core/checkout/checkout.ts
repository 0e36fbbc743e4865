// Checkout: redeem a list's offers against a basket, each offer at most once per list, within limits and budgets.
import type { BasketLine, Day, ListOffer, Redemption, ShoppingList } from '../types.ts';

/** Why an offer on the list was not applied to this basket ('too-few': bought, but fewer than the offer needs to save
 * anything, as one unit on "buy 3, pay for 2"). */
export type RefusalReason = 'not-in-basket' | 'too-few' | 'already-redeemed' | 'budget-exhausted' | 'list-expired' | 'offline-cap';

/** One line of the savings receipt. */
export interface ReceiptLine {
  offerId: string;
  dealId: string;
  productId: string;
  name: string;
  units: number;
  savingCents: number;
}

/** What a checkout would do; nothing is stored by this function. */
export interface CheckoutPlan {
  receipt: ReceiptLine[];
  totalSavingCents: number;
  /** Redemptions to store (ids are the caller's: random per redemption). */
  redemptions: Omit<Redemption, 'id'>[];
  refusals: { offerId: string; productId: string; name: string; reason: RefusalReason }[];
}

/** What the store knows at the moment of checkout. */
export interface CheckoutContext {
  list: ShoppingList;
  basketId: string;
  lines: readonly BasketLine[];
  day: Day;
  /** Offer ids of this list already redeemed (by any basket, on any kiosk that synced). */
  redeemedOffers: ReadonlySet<string>;
  /** Budget left per deal id, in cents; absent means unlimited. */
  budgetLeftCents: ReadonlyMap<string, number>;
  /** Savings this kiosk may still give per deal id before headquarters has confirmed its earlier redemptions
   * (offline exposure cap); absent means uncapped. */
  exposureLeftCents?: ReadonlyMap<string, number>;
}

/** The idempotency key of one offer redeemed against one basket. */
export const redemptionKey = (listId: string, offerId: string, basketId: string) => `${listId}|${offerId}|${basketId}`;

/** Saving of an offer on `units` units at a shelf unit price (cents), never more than the price paid. */
export function offerSaving(offer: Pick<ListOffer, 'kind' | 'value'>, unitPriceCents: number, units: number): number {
  let saving: number;
  switch (offer.kind) {
    case 'percent':
      saving = Math.round((unitPriceCents * units * offer.value) / 100);
      break;
    case 'amount':
      saving = offer.value * units;
      break;
    case 'price':
      saving = Math.max(0, unitPriceCents - offer.value) * units;
      break;
    case 'multibuy':
      saving = offer.value > 0 ? Math.floor(units / offer.value) * unitPriceCents : 0;
      break;
  }
  return Math.max(0, Math.min(saving, unitPriceCents * units));
}

/** Plan the redemption of every list offer whose product is in the basket. */
export function planCheckout(ctx: CheckoutContext): CheckoutPlan {
  const plan: CheckoutPlan = { receipt: [], totalSavingCents: 0, redemptions: [], refusals: [] };
  const byProduct = new Map<string, { qty: number; unitPriceCents: number }>();
  for (const line of ctx.lines) {
    const seen = byProduct.get(line.productId);
    if (seen) seen.qty += line.qty;
    else byProduct.set(line.productId, { qty: line.qty, unitPriceCents: line.unitPriceCents });
  }
  const expired = ctx.day > ctx.list.validUntilDay;
  const budgets = new Map(ctx.budgetLeftCents);
  const exposure = new Map(ctx.exposureLeftCents ?? []);
  for (const item of ctx.list.items) {
    const offer = item.offer;
    if (!offer) continue;
    const refuse = (reason: RefusalReason) => plan.refusals.push({ offerId: offer.id, productId: offer.productId, name: item.name, reason });
    if (expired) { refuse('list-expired'); continue; }
    if (ctx.redeemedOffers.has(offer.id)) { refuse('already-redeemed'); continue; }
    const bought = byProduct.get(offer.productId);
    if (!bought || bought.qty <= 0) { refuse('not-in-basket'); continue; }
    const units = Math.min(Math.floor(bought.qty), offer.limit);
    let saving = offerSaving(offer, bought.unitPriceCents, units);
    const left = budgets.get(offer.dealId);
    if (left !== undefined && left <= 0) { refuse('budget-exhausted'); continue; }
    const exposed = exposure.get(offer.dealId);
    if (exposed !== undefined && exposed <= 0) { refuse('offline-cap'); continue; }
    saving = Math.min(saving, left ?? Infinity, exposed ?? Infinity);
    if (left !== undefined) budgets.set(offer.dealId, left - saving);
    if (exposed !== undefined) exposure.set(offer.dealId, exposed - saving);
    if (saving <= 0) { refuse('too-few'); continue; }
    plan.receipt.push({ offerId: offer.id, dealId: offer.dealId, productId: offer.productId, name: item.name, units, savingCents: saving });
    plan.totalSavingCents += saving;
    plan.redemptions.push({
      key: redemptionKey(ctx.list.id, offer.id, ctx.basketId), listId: ctx.list.id, offerId: offer.id, dealId: offer.dealId,
      memberId: ctx.list.memberId, basketId: ctx.basketId, units, amountCents: saving, day: ctx.day, synced: 0,
    });
  }
  return plan;
}
