// What a list needs from a member's baskets, in one pass: the offer statistics, units per product, every product ever
// bought and the affinities. Computed straight from the packed history (no Basket objects) or from baskets; both give
// the same summary, so buildList reads the history once instead of once per campaign.
import type { Basket, Day, Member, Product } from './types.ts';
import type { PackedHistory } from './history.ts';
import { lineSpendCents, memberStats, shareOfWallet, type MemberStats, type MemberStatsOptions, type ProductLookup, type CategoryVolume } from './member-stats.ts';
import { affinities, productTags, type Affinity } from './affinity.ts';
import { tertileCuts } from './segments.ts';

/** A member's baskets summarised for one list as of a day. */
export interface MemberSummary {
  stats: MemberStats;
  /** Units per product id, baskets up to the day only. */
  productUnits: ReadonlyMap<string, number>;
  /** Every product id in the baskets given, whatever the day (as buildList has always counted "bought"). */
  everBought: ReadonlySet<string>;
  /** Affinities from baskets up to the day, strongest first (core/affinity.ts). */
  affinities: readonly Affinity[];
}

/** Thresholds of {@link affinities} (its defaults): share of units and trips carrying a tag. */
const MIN_AFFINITY_SHARE = 0.02;
const MIN_AFFINITY_TRIPS = 2;

/** The summary from baskets (the reference definition). */
export function summariseBaskets(member: Member, baskets: readonly Basket[], products: ProductLookup, asOfDay: Day, opts: MemberStatsOptions = {}): MemberSummary {
  const productUnits = new Map<string, number>();
  const everBought = new Set<string>();
  for (const b of baskets) {
    for (const l of b.lines) {
      everBought.add(l.productId);
      if (b.day <= asOfDay) productUnits.set(l.productId, (productUnits.get(l.productId) ?? 0) + l.qty);
    }
  }
  return { stats: memberStats(member, baskets, products, asOfDay, opts), productUnits, everBought, affinities: affinities(baskets, products, { asOfDay }) };
}

// Tags per catalogue array, computed once (the catalogue is cached by the engine).
const tagMemo = new WeakMap<readonly (Product | undefined)[], string[][]>();
function tagsByIndex(products: readonly (Product | undefined)[]): string[][] {
  let t = tagMemo.get(products);
  if (!t) tagMemo.set(products, (t = products.map((p) => (p ? productTags(p) : []))));
  return t;
}

/** The summary from a packed history, equal to {@link summariseBaskets} on `unpackHistory(h, ids)`; `products` is the
 * catalogue by dense index (holes allowed). */
export function summarisePacked(member: Member, h: PackedHistory, products: readonly (Product | undefined)[], asOfDay: Day, opts: MemberStatsOptions = {}): MemberSummary {
  const weeks = Math.max(1, opts.weeks ?? 13);
  const weekly = new Float64Array(weeks);
  const windowStart = asOfDay - weeks * 7 + 1;
  const categories = new Map<string, CategoryVolume>();
  const units = new Map<number, number>();
  const ever = new Set<number>();
  const tags = tagsByIndex(products);
  const tagUnits = new Map<string, number>();
  const tagTrips = new Map<string, number>();
  const seen = new Set<string>();
  let totalUnits = 0;
  let visits = 0;
  let recentVisits = 0;
  let firstDay: Day | undefined;
  let lastDay: Day | undefined;
  let valueCents = 0;
  const n = h.basketIds.length;
  for (let b = 0; b < n; b++) {
    const day = h.days[b]!;
    const from = h.lineStart[b]!;
    const to = h.lineStart[b + 1]!;
    if (day > asOfDay) {
      for (let l = from; l < to; l++) ever.add(h.products[l]!);
      continue;
    }
    visits++;
    if (firstDay === undefined || day < firstDay) firstDay = day;
    if (lastDay === undefined || day > lastDay) lastDay = day;
    const inWindow = day >= windowStart;
    if (inWindow) recentVisits++;
    const w = weeks - 1 - Math.floor((asOfDay - day) / 7);
    seen.clear();
    for (let l = from; l < to; l++) {
      const item = h.products[l]!;
      const qty = h.qty[l]!;
      ever.add(item);
      units.set(item, (units.get(item) ?? 0) + qty);
      const spend = lineSpendCents(qty, h.priceCents[l]!, h.discountCents[l]!);
      if (inWindow) {
        weekly[w]! += spend;
        valueCents += spend;
      }
      totalUnits += qty;
      const p = products[item];
      if (!p) continue;
      for (const t of tags[item]!) {
        tagUnits.set(t, (tagUnits.get(t) ?? 0) + qty);
        seen.add(t);
      }
      let c = categories.get(p.category);
      if (!c) categories.set(p.category, (c = { units: 0, spendCents: 0, nationalUnits: 0, storeUnits: 0 }));
      c.units += qty;
      c.spendCents += spend;
      if (p.brandType === 'national') c.nationalUnits += qty;
      else c.storeUnits += qty;
    }
    for (const t of seen) tagTrips.set(t, (tagTrips.get(t) ?? 0) + 1);
  }
  const start = member.joinedDay ?? firstDay;
  const avg = valueCents / weeks;
  const stats: MemberStats = {
    memberId: member.id, asOfDay, weeks, weeklySpendCents: weekly, avgWeeklySpendCents: avg, visits, recentVisits,
    tenureDays: start === undefined ? 0 : Math.max(0, asOfDay - start), categories,
    shareOfWallet: shareOfWallet(avg, member.householdSize, opts.expectedSpend), valueCents,
  };
  if (firstDay !== undefined) stats.firstDay = firstDay;
  if (lastDay !== undefined) stats.lastDay = lastDay;
  const idOf = (item: number) => products[item]?.id ?? '';
  const productUnits = new Map<string, number>();
  for (const [item, u] of units) productUnits.set(idOf(item), (productUnits.get(idOf(item)) ?? 0) + u);
  const everBought = new Set<string>();
  for (const item of ever) everBought.add(idOf(item));
  const aff: Affinity[] = [];
  for (const [tag, u] of tagUnits) {
    const share = totalUnits > 0 ? u / totalUnits : 0;
    const trips = tagTrips.get(tag) ?? 0;
    if (share >= MIN_AFFINITY_SHARE && trips >= MIN_AFFINITY_TRIPS) aff.push({ tag, units: u, share, trips });
  }
  aff.sort((a, b) => b.share - a.share || (a.tag < b.tag ? -1 : 1));
  return { stats, productUnits, everBought, affinities: aff };
}

/** Tertile cuts of category units across members (what `segmentCategories` in core/segments.ts computes from every member's
 * {@link memberStats}), straight from packed histories: units per exact category path, baskets up to `asOfDay`. */
export function segmentCutsPacked(histories: Iterable<PackedHistory>, products: readonly (Product | undefined)[], asOfDay: Day): Map<string, [number, number]> {
  const names: string[] = [];
  const catIndex = new Map<string, number>();
  const catOf = Int32Array.from(products, (p) => {
    if (!p) return -1;
    let c = catIndex.get(p.category);
    if (c === undefined) catIndex.set(p.category, (c = names.push(p.category) - 1));
    return c;
  });
  const units = new Float64Array(names.length);
  const volumes: number[][] = names.map(() => []);
  const touched: number[] = [];
  for (const h of histories) {
    touched.length = 0;
    for (let b = 0; b < h.basketIds.length && h.days[b]! <= asOfDay; b++) {
      for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) {
        const c = catOf[h.products[l]!] ?? -1;
        if (c < 0) continue;
        if (units[c] === 0) touched.push(c);
        units[c]! += h.qty[l]!;
      }
    }
    for (const c of touched) {
      if (units[c]! > 0) volumes[c]!.push(units[c]!);
      units[c] = 0;
    }
  }
  const cuts = new Map<string, [number, number]>();
  names.forEach((name, c) => { if (volumes[c]!.length) cuts.set(name, tertileCuts(volumes[c]!)); });
  return cuts;
}
