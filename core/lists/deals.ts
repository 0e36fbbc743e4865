// Deals applied to a product on a day: percent, amount, fixed price, multibuy; date windows, segment targeting,
// per-member limits. The unit price after a deal is always within [0, shelf price].
import type { Day, Deal, DealKind, Product, SegmentKey } from '../types.ts';
import { err, ok, type Result } from '../result.ts';

/** Units an offer may be used on when the deal sets no per-member limit. */
export const DEFAULT_OFFER_LIMIT = 5;

/** Why a deal does not apply. */
export type DealRefusal = 'invalid' | 'out-of-scope' | 'not-active' | 'not-targeted' | 'limit-reached' | 'budget-exhausted' | 'no-saving';

/** A deal as it applies to one product for one member. */
export interface AppliedDeal {
  deal: Deal;
  /** Effective unit price after the deal (for multibuy: per unit when buying whole sets). */
  unitPriceCents: number;
  /** Saving on one unit, or on one multibuy set. */
  savingCents: number;
  /** Units the member may use it on. */
  limit: number;
}

/** What a member brings to deal targeting and limits. */
export interface DealContext {
  /** The member's segment in the product's category, when known. */
  segment?: SegmentKey;
  /** Units of this deal the member already used. */
  usedUnits?: number;
  /** Budget left for this deal, in cents; absent means the deal's own budget, or unlimited. */
  budgetLeftCents?: number;
}

/** True when the deal's kind and value make sense (percent 0..100, amounts and prices ≥ 0, multibuy N ≥ 2). */
export function dealValid(kind: DealKind, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  switch (kind) {
    case 'percent':
      return value > 0 && value <= 100;
    case 'amount':
      return value > 0;
    case 'price':
      return value >= 0;
    case 'multibuy':
      return Number.isInteger(value) && value >= 2;
  }
}

/** True when the product is in the deal's scope (product id, category path prefix, or brand). */
export function dealCovers(deal: Pick<Deal, 'scopeType' | 'scope'>, p: Product): boolean {
  switch (deal.scopeType) {
    case 'product':
      return p.id === deal.scope;
    case 'category':
      return p.category === deal.scope || p.category.startsWith(deal.scope.endsWith('/') ? deal.scope : deal.scope + '/');
    case 'brand':
      return p.brand === deal.scope;
  }
}

/** True when the deal runs on the day (both ends included). */
export const dealActive = (deal: Pick<Deal, 'startDay' | 'endDay'>, day: Day): boolean => day >= deal.startDay && day <= deal.endDay;

/** True when the deal is open to everyone (no segment targeting). */
export const isStoreWide = (deal: Pick<Deal, 'segments'>): boolean => !deal.segments || deal.segments.length === 0;

/** Unit price after a deal of this kind and value, clamped to [0, shelf]. */
export function unitPriceAfter(kind: DealKind, value: number, shelfCents: number): number {
  if (!dealValid(kind, value) || !(shelfCents > 0)) return Math.max(0, shelfCents);
  let price: number;
  switch (kind) {
    case 'percent':
      price = Math.round((shelfCents * (100 - value)) / 100);
      break;
    case 'amount':
      price = shelfCents - Math.round(value);
      break;
    case 'price':
      price = Math.round(value);
      break;
    case 'multibuy':
      price = Math.round((shelfCents * (value - 1)) / value);
      break;
  }
  return Math.max(0, Math.min(shelfCents, price));
}

/** Saving on one unit (one whole set for multibuy: the free unit), never negative and never more than paid. */
export function savingCents(kind: DealKind, value: number, shelfCents: number): number {
  if (!dealValid(kind, value) || !(shelfCents > 0)) return 0;
  return kind === 'multibuy' ? shelfCents : shelfCents - unitPriceAfter(kind, value, shelfCents);
}

/** Apply one deal to one product for one member on a day, or say why it does not apply. */
export function applyDeal(deal: Deal, p: Product, day: Day, ctx: DealContext = {}): Result<AppliedDeal, DealRefusal> {
  if (!dealValid(deal.kind, deal.value)) return err('invalid', `${deal.kind} ${deal.value}`);
  if (!dealCovers(deal, p)) return err('out-of-scope');
  if (!dealActive(deal, day)) return err('not-active');
  if (!isStoreWide(deal) && (ctx.segment === undefined || !deal.segments!.includes(ctx.segment))) return err('not-targeted');
  const saving = savingCents(deal.kind, deal.value, p.priceCents);
  if (saving <= 0) return err('no-saving');
  let limit = deal.perMemberLimit !== undefined ? deal.perMemberLimit - (ctx.usedUnits ?? 0) : DEFAULT_OFFER_LIMIT;
  if (limit <= 0) return err('limit-reached');
  // The list reserves its worst case (every unit redeemed), so a budget never overspends.
  const budget = ctx.budgetLeftCents ?? deal.budgetCents;
  if (budget !== undefined) {
    const perUnit = deal.kind === 'multibuy' ? saving / deal.value : saving;
    limit = Math.min(limit, Math.floor(budget / (perUnit || 1)));
    if (deal.kind === 'multibuy') limit -= limit % deal.value;
    if (limit <= 0) return err('budget-exhausted');
  }
  if (deal.kind === 'multibuy' && limit < deal.value) return err('limit-reached');
  return ok({ deal, unitPriceCents: unitPriceAfter(deal.kind, deal.value, p.priceCents), savingCents: saving, limit });
}

/** Worst-case cost of an applied deal: every allowed unit redeemed. */
export function worstCaseCents(a: Pick<AppliedDeal, 'savingCents' | 'limit'> & { deal: Pick<Deal, 'kind' | 'value'> }): number {
  return a.deal.kind === 'multibuy' ? Math.floor(a.limit / a.deal.value) * a.savingCents : a.limit * a.savingCents;
}

/** The deal that saves the member most per unit on the product today, if any applies. */
export function bestDeal(
  deals: readonly Deal[],
  p: Product,
  day: Day,
  ctxOf: (deal: Deal) => DealContext = () => ({}),
): AppliedDeal | undefined {
  let best: AppliedDeal | undefined;
  for (const d of deals) {
    const r = applyDeal(d, p, day, ctxOf(d));
    if (!r.ok) continue;
    if (!best || p.priceCents - r.value.unitPriceCents > p.priceCents - best.unitPriceCents) best = r.value;
  }
  return best;
}
