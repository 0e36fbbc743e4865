// Deals applied to a list item: percent, amount, fixed price, multibuy; dates; segment targeting; per-member limits.
// The price after an offer is never above the shelf price and never below zero.
import type { Day, Deal, ListOffer, Product } from './types.ts';
import { offerSaving } from './checkout.ts';
import { formatDay } from './dates.ts';

/** Does a deal cover a product? (product id, category prefix, or brand.) */
export function dealCovers(deal: Deal, product: Product): boolean {
  switch (deal.scopeType) {
    case 'product':
      return deal.scope === product.id;
    case 'category':
      return product.category === deal.scope || product.category.startsWith(`${deal.scope}/`);
    case 'brand':
      return product.brand === deal.scope;
  }
}

/** Units an offer needs to give its saving (a multibuy needs a full set). */
const unitsFor = (deal: Deal) => (deal.kind === 'multibuy' ? Math.max(1, deal.value) : 1);

/** Words for an offer, e.g. "25% off", "$2.00 off", "Now $8.99", "Buy 3, pay 2". */
export function offerLabel(deal: Pick<Deal, 'kind' | 'value'>): string {
  const money = (c: number) => `$${(c / 100).toFixed(2)}`;
  switch (deal.kind) {
    case 'percent': return `${deal.value}% off`;
    case 'amount': return `${money(deal.value)} off`;
    case 'price': return `Now ${money(deal.value)}`;
    case 'multibuy': return `Buy ${deal.value}, pay ${deal.value - 1}`;
  }
}

/** The best offer for a product on a day among the deals open to the member (untargeted, or targeted at one of
 * `segments`), as a ListOffer whose saving is per unit (or per multibuy set) at the shelf price. */
export function bestOffer(product: Product, deals: readonly Deal[], day: Day, segments: ReadonlySet<string>, listId: string): ListOffer | undefined {
  let best: { deal: Deal; saving: number } | undefined;
  for (const deal of deals) {
    if (day < deal.startDay || day > deal.endDay || !dealCovers(deal, product)) continue;
    if (deal.segments?.length && !deal.segments.some((s) => segments.has(s))) continue;
    const saving = offerSaving(deal, product.priceCents, unitsFor(deal));
    if (saving > 0 && (!best || saving > best.saving)) best = { deal, saving };
  }
  if (!best) return undefined;
  const { deal, saving } = best;
  const funded = deal.funder === 'store' ? '' : `, funded by ${deal.funder}`;
  return {
    id: `${listId}:${deal.id}:${product.id}`, dealId: deal.id, productId: product.id, kind: deal.kind, value: deal.value,
    funder: deal.funder, savingCents: saving, limit: deal.perMemberLimit ?? (deal.kind === 'multibuy' ? deal.value * 2 : 4),
    reason: {
      code: 'deal', params: { label: offerLabel(deal), until: formatDay(deal.endDay), funder: deal.funder },
      text: `${offerLabel(deal)} until ${formatDay(deal.endDay)}${funded}.`,
    },
  };
}

/** The unit price a member pays with an offer: shelf price less the per-unit saving, within [0, shelf]. */
export function offerPrice(shelfCents: number, offer: ListOffer | undefined): number {
  if (!offer) return shelfCents;
  const units = offer.kind === 'multibuy' ? Math.max(1, offer.value) : 1;
  return Math.max(0, Math.min(shelfCents, Math.round(shelfCents - offer.savingCents / units)));
}
