// Member statistics for offers: weekly spend, visits, tenure, category volumes and brand shares, share of wallet.
// Share of wallet is estimated as observed weekly spend over an expected household grocery spend (capped at 1).
import type { Basket, Day, Member, Product } from '../types.ts';

/** Units and spend of one member in one category, split by brand type. */
export interface CategoryVolume {
  units: number;
  spendCents: number;
  nationalUnits: number;
  storeUnits: number;
}

/** What the offer modules need to know about one member as of a day. */
export interface MemberStats {
  memberId: string;
  asOfDay: Day;
  /** Weeks covered by `weeklySpendCents`. */
  weeks: number;
  /** Spend per week, oldest first; the last entry is the week ending on `asOfDay`. */
  weeklySpendCents: Float64Array;
  /** Mean of `weeklySpendCents`. */
  avgWeeklySpendCents: number;
  /** Baskets (trips) ever, up to `asOfDay`. */
  visits: number;
  /** Trips within the `weeks` window. */
  recentVisits: number;
  firstDay?: Day;
  lastDay?: Day;
  /** Days since joining (or since the first basket when the join date is unknown). */
  tenureDays: number;
  /** Per category path (exact), units and spend over the whole history up to `asOfDay`. */
  categories: Map<string, CategoryVolume>;
  /** 0..1: observed weekly spend over the expected grocery spend of the household. */
  shareOfWallet: number;
  /** Spend within the window, the member's value to the store. */
  valueCents: number;
}

/** Anything that finds a product by id (a Map works). */
export interface ProductLookup {
  get(id: string): Product | undefined;
}

/** Options of {@link memberStats}. */
export interface MemberStatsOptions {
  /** Weeks of spend to look at (default 13, a quarter). */
  weeks?: number;
  /** Expected weekly grocery spend for a household of `size` people (default {@link expectedWeeklyGroceryCents}). */
  expectedSpend?: (size: number) => number;
}

/** Expected weekly grocery spend of a household, in cents: $90 for one person, $60 more per extra person (USDA-like moderate plan). */
export function expectedWeeklyGroceryCents(householdSize: number): number {
  const n = Math.max(1, Math.min(8, Math.round(householdSize || 1)));
  return 9000 + (n - 1) * 6000;
}

/** Share of wallet from average weekly spend and household size, in 0..1. */
export function shareOfWallet(avgWeeklySpendCents: number, householdSize: number | undefined, expected = expectedWeeklyGroceryCents): number {
  const e = expected(householdSize ?? 2);
  if (!(e > 0) || !(avgWeeklySpendCents > 0)) return 0;
  return Math.min(1, avgWeeklySpendCents / e);
}

/** Spend of one basket line in cents (quantity × unit price − discount, never negative). */
export const lineSpendCents = (qty: number, unitPriceCents: number, discountCents: number): number =>
  Math.max(0, qty * unitPriceCents - discountCents);

/** Compute a member's statistics from their baskets as of a day (later baskets are ignored). */
export function memberStats(
  member: Member,
  baskets: readonly Basket[],
  products: ProductLookup,
  asOfDay: Day,
  opts: MemberStatsOptions = {},
): MemberStats {
  const weeks = Math.max(1, opts.weeks ?? 13);
  const weekly = new Float64Array(weeks);
  const windowStart = asOfDay - weeks * 7 + 1;
  const categories = new Map<string, CategoryVolume>();
  let visits = 0;
  let recentVisits = 0;
  let firstDay: Day | undefined;
  let lastDay: Day | undefined;
  let valueCents = 0;
  for (const b of baskets) {
    if (b.day > asOfDay) continue;
    visits++;
    if (firstDay === undefined || b.day < firstDay) firstDay = b.day;
    if (lastDay === undefined || b.day > lastDay) lastDay = b.day;
    const inWindow = b.day >= windowStart;
    if (inWindow) recentVisits++;
    // Week index counted back from asOfDay so the last bucket always ends today.
    const w = weeks - 1 - Math.floor((asOfDay - b.day) / 7);
    for (const l of b.lines) {
      const spend = lineSpendCents(l.qty, l.unitPriceCents, l.discountCents);
      if (inWindow) {
        weekly[w]! += spend;
        valueCents += spend;
      }
      const p = products.get(l.productId);
      if (!p) continue;
      let c = categories.get(p.category);
      if (!c) categories.set(p.category, (c = { units: 0, spendCents: 0, nationalUnits: 0, storeUnits: 0 }));
      c.units += l.qty;
      c.spendCents += spend;
      if (p.brandType === 'national') c.nationalUnits += l.qty;
      else c.storeUnits += l.qty;
    }
  }
  const start = member.joinedDay ?? firstDay;
  // Averaged over the whole window even for new members: a longer tenure must never lower the average (fairness 2).
  const avg = valueCents / weeks;
  const stats: MemberStats = {
    memberId: member.id,
    asOfDay,
    weeks,
    weeklySpendCents: weekly,
    avgWeeklySpendCents: avg,
    visits,
    recentVisits,
    tenureDays: start === undefined ? 0 : Math.max(0, asOfDay - start),
    categories,
    shareOfWallet: shareOfWallet(avg, member.householdSize, opts.expectedSpend),
    valueCents,
  };
  if (firstDay !== undefined) stats.firstDay = firstDay;
  if (lastDay !== undefined) stats.lastDay = lastDay;
  return stats;
}

/** Share of national and store-brand units in a category volume (both 0 when nothing was bought). */
export function brandShares(v: CategoryVolume): { national: number; store: number } {
  const total = v.nationalUnits + v.storeUnits;
  return total > 0 ? { national: v.nationalUnits / total, store: v.storeUnits / total } : { national: 0, store: 0 };
}

/** A map from product id to product, for {@link memberStats}. */
export function productMap(products: readonly Product[]): Map<string, Product> {
  const m = new Map<string, Product>();
  for (const p of products) m.set(p.id, p);
  return m;
}
