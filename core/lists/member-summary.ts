// What a list needs from a member's baskets, in one pass: the offer statistics, units per product, every product ever
// bought and the affinities. Computed straight from the packed history (no Basket objects) or from baskets; both give
// the same summary, so buildList reads the history once instead of once per campaign.
import type { Basket, Day, Member, Product } from '../types.ts';
import type { PackedHistory } from '../history.ts';
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

/** A catalogue (by dense index) as numbers: each product's category and tags as small indexes, plus scratch arrays the
 * summary accumulates in (reset after each use), so a summary makes no Map lookups per basket line. Computed once per
 * catalogue array (the engine caches its catalogue); JavaScript runs one summary at a time, so the scratch is shared. */
interface CatalogueIndex {
  known: Uint8Array;
  category: Int32Array;
  categoryNames: string[];
  national: Uint8Array;
  /** Tags of product i: tagList[tagStart[i] .. tagStart[i + 1] - 1]. */
  tagStart: Int32Array;
  tagList: Int32Array;
  tagNames: string[];
  units: Float64Array;
  inUnits: Uint8Array;
  ever: Uint8Array;
  catUnits: Float64Array;
  catSpend: Float64Array;
  catNational: Float64Array;
  catStore: Float64Array;
  catSeen: Uint8Array;
  tagUnits: Float64Array;
  tagTrips: Int32Array;
  /** The last trip (its index + 1) that counted each tag, so a trip counts a tag once. */
  tagTrip: Int32Array;
}

const catalogueMemo = new WeakMap<readonly (Product | undefined)[], CatalogueIndex>();

/** Make the per-product arrays hold product index `item`, past the catalogue's end, as a hole (not expected:
 * histories index the catalogue; summarised as a hole in it would be). */
function widen(x: CatalogueIndex, item: number): void {
  const n = item + 1;
  const grown = <A extends Uint8Array | Int32Array | Float64Array>(a: A, length = n): A => {
    const b = new (a.constructor as new (length: number) => A)(length);
    b.set(a);
    return b;
  };
  const from = x.known.length;
  x.known = grown(x.known);
  x.national = grown(x.national);
  x.units = grown(x.units);
  x.inUnits = grown(x.inUnits);
  x.ever = grown(x.ever);
  x.category = grown(x.category);
  x.category.fill(-1, from);
  x.tagStart = grown(x.tagStart, n + 1);
  x.tagStart.fill(x.tagList.length, from + 1);
}
function catalogueIndex(products: readonly (Product | undefined)[]): CatalogueIndex {
  const memo = catalogueMemo.get(products);
  if (memo) return memo;
  const n = products.length;
  const categoryNames: string[] = [], tagNames: string[] = [];
  const catIdx = new Map<string, number>(), tagIdx = new Map<string, number>();
  const category = new Int32Array(n).fill(-1), national = new Uint8Array(n), known = new Uint8Array(n);
  const tagStart = new Int32Array(n + 1);
  const tagList: number[] = [];
  products.forEach((p, i) => {
    tagStart[i] = tagList.length;
    if (!p) return;
    known[i] = 1;
    let c = catIdx.get(p.category);
    if (c === undefined) catIdx.set(p.category, (c = categoryNames.push(p.category) - 1));
    category[i] = c;
    national[i] = p.brandType === 'national' ? 1 : 0;
    for (const t of productTags(p)) {
      let k = tagIdx.get(t);
      if (k === undefined) tagIdx.set(t, (k = tagNames.push(t) - 1));
      tagList.push(k);
    }
  });
  tagStart[n] = tagList.length;
  for (let i = n - 1; i >= 0 && !products[i]; i--) tagStart[i] = tagList.length;
  const cats = categoryNames.length, tags = tagNames.length;
  const index: CatalogueIndex = {
    known, category, categoryNames, national, tagStart, tagList: Int32Array.from(tagList), tagNames,
    units: new Float64Array(n), inUnits: new Uint8Array(n), ever: new Uint8Array(n),
    catUnits: new Float64Array(cats), catSpend: new Float64Array(cats), catNational: new Float64Array(cats), catStore: new Float64Array(cats), catSeen: new Uint8Array(cats),
    tagUnits: new Float64Array(tags), tagTrips: new Int32Array(tags), tagTrip: new Int32Array(tags),
  };
  catalogueMemo.set(products, index);
  return index;
}

/** The summary from a packed history, equal to {@link summariseBaskets} on `unpackHistory(h, ids)`; `products` is the
 * catalogue by dense index (holes allowed). Maps and sets come out in the order their keys are first met, as in
 * the baskets. */
export function summarisePacked(member: Member, h: PackedHistory, products: readonly (Product | undefined)[], asOfDay: Day, opts: MemberStatsOptions = {}): MemberSummary {
  const weeks = Math.max(1, opts.weeks ?? 13);
  const weekly = new Float64Array(weeks);
  const windowStart = asOfDay - weeks * 7 + 1;
  const x = catalogueIndex(products);
  // First-met order of products with units, products ever bought, categories and tags.
  const unitOrder: number[] = [], everOrder: number[] = [], catOrder: number[] = [], tagOrder: number[] = [];
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
      for (let l = from; l < to; l++) {
        const item = h.products[l]!;
        if (item >= x.known.length) widen(x, item);
        if (x.ever[item] === 0) { x.ever[item] = 1; everOrder.push(item); }
      }
      continue;
    }
    visits++;
    if (firstDay === undefined || day < firstDay) firstDay = day;
    if (lastDay === undefined || day > lastDay) lastDay = day;
    const inWindow = day >= windowStart;
    if (inWindow) recentVisits++;
    const w = weeks - 1 - Math.floor((asOfDay - day) / 7);
    for (let l = from; l < to; l++) {
      const item = h.products[l]!;
      const qty = h.qty[l]!;
      if (item >= x.known.length) widen(x, item);
      if (x.ever[item] === 0) { x.ever[item] = 1; everOrder.push(item); }
      if (x.inUnits[item] === 0) { x.inUnits[item] = 1; unitOrder.push(item); }
      x.units[item]! += qty;
      const spend = lineSpendCents(qty, h.priceCents[l]!, h.discountCents[l]!);
      if (inWindow) {
        weekly[w]! += spend;
        valueCents += spend;
      }
      totalUnits += qty;
      if (x.known[item] === 0) continue;
      for (let t = x.tagStart[item]!; t < x.tagStart[item + 1]!; t++) {
        const tag = x.tagList[t]!;
        if (x.tagTrip[tag] === 0 && x.tagTrips[tag] === 0) tagOrder.push(tag);
        x.tagUnits[tag]! += qty;
        if (x.tagTrip[tag] !== b + 1) { x.tagTrip[tag] = b + 1; x.tagTrips[tag]!++; }
      }
      const c = x.category[item]!;
      if (x.catSeen[c] === 0) { x.catSeen[c] = 1; catOrder.push(c); }
      x.catUnits[c]! += qty;
      x.catSpend[c]! += spend;
      if (x.national[item] === 1) x.catNational[c]! += qty;
      else x.catStore[c]! += qty;
    }
  }
  const categories = new Map<string, CategoryVolume>();
  for (const c of catOrder) {
    categories.set(x.categoryNames[c]!, { units: x.catUnits[c]!, spendCents: x.catSpend[c]!, nationalUnits: x.catNational[c]!, storeUnits: x.catStore[c]! });
    x.catSeen[c] = 0; x.catUnits[c] = 0; x.catSpend[c] = 0; x.catNational[c] = 0; x.catStore[c] = 0;
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
  for (const item of unitOrder) {
    productUnits.set(idOf(item), (productUnits.get(idOf(item)) ?? 0) + x.units[item]!);
    x.units[item] = 0;
    x.inUnits[item] = 0;
  }
  const everBought = new Set<string>();
  for (const item of everOrder) {
    everBought.add(idOf(item));
    x.ever[item] = 0;
  }
  const aff: Affinity[] = [];
  for (const tag of tagOrder) {
    const u = x.tagUnits[tag]!, trips = x.tagTrips[tag]!;
    const share = totalUnits > 0 ? u / totalUnits : 0;
    if (share >= MIN_AFFINITY_SHARE && trips >= MIN_AFFINITY_TRIPS) aff.push({ tag: x.tagNames[tag]!, units: u, share, trips });
    x.tagUnits[tag] = 0; x.tagTrips[tag] = 0; x.tagTrip[tag] = 0;
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
