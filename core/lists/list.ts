// Assemble one member's ShoppingList as of a day: eligibility, due items with reasons, offers from deals and campaigns
// timed to the member's cycle, loyalty coupons and rewards; store-wide only without consent; then the fairness guard.
import type { Basket, Campaign, Content, Day, Deal, ListItem, ListOffer, Member, Product, ScoredItem, SegmentKey, ShoppingList } from '../types.ts';
import { err, ok, type Result } from '../result.ts';
import type { MemberStats, ProductLookup } from './member-stats.ts';
import { summariseBaskets, type MemberSummary } from './member-summary.ts';
import { memberSegments, segmentForCategory } from './segments.ts';
import { productTags } from './affinity.ts';
import { applyDeal, bestDeal, isStoreWide, type AppliedDeal } from './deals.ts';
import { campaignOffer, inCategory, type CampaignOffer } from './campaigns.ts';
import { DEFAULT_COUPON_POLICY, loyaltyCouponCents, loyaltyCoupons, matchRewards, type CouponPolicy } from './rewards.ts';
import { boughtBeforeReason, campaignReason, dealReason, dueReason, exploreReason, popularReason } from './reasons.ts';
import { guardList, type CampaignRule, type FairnessError } from './fairness.ts';
import { rotateScored, type ShownEntry } from './variety.ts';

/** Settings of list building. */
export interface ListSettings {
  /** Members spending less than this per week on average get no personalised list (default 2500). */
  thresholdCentsPerWeek: number;
  /** Days a list stays valid (default 14). */
  cadenceDays: number;
  maxItems: number;
  /** Weeks of spend behind eligibility and share of wallet (default 13). */
  weeks: number;
  /** Offers for the member's affinities (pet, baby, …) beyond the due items (default 3). */
  maxAffinityOffers: number;
  maxRewards: number;
  /** Weekly spend above which a member is high-value and gets services (default 15000). */
  highValueCentsPerWeek: number;
  couponPolicy: CouponPolicy;
}

/** Default settings. */
export const DEFAULT_LIST_SETTINGS: ListSettings = {
  thresholdCentsPerWeek: 2500,
  cadenceDays: 14,
  maxItems: 20,
  weeks: 13,
  maxAffinityOffers: 3,
  maxRewards: 3,
  highValueCentsPerWeek: 15000,
  couponPolicy: DEFAULT_COUPON_POLICY,
};

/** Everything one list needs. */
export interface BuildListInput {
  member: Member;
  /** The member's baskets (ignored without consent). */
  baskets: readonly Basket[];
  /** From the list scorer, best first or not; dense item indexes into `products`. */
  scored: readonly ScoredItem[];
  /** Index = dense item index. */
  products: readonly Product[];
  deals: readonly Deal[];
  campaigns: readonly Campaign[];
  content: readonly Content[];
  settings?: Partial<ListSettings>;
  asOfDay: Day;
  listId: string;
  code: string;
  /** Store coupon budget left for this list cycle, in cents (default: no coupons). */
  storeBudgetLeftCents?: number;
  /** Budget left per deal id, in cents. */
  dealBudgetLeftCents?: ReadonlyMap<string, number>;
  /** Units already used per deal id by this member. */
  usedUnits?: ReadonlyMap<string, number>;
  /** Tertile cuts per category from {@link segmentCategories}; without them tiers default to mid. */
  segmentCuts?: ReadonlyMap<string, readonly [number, number]>;
  /** Store-wide popular item indexes, for members without consent or history. */
  popular?: readonly number[];
  /** Product id → dense index, to skip rebuilding it per member. */
  productIndex?: ReadonlyMap<string, number>;
  /** The member's baskets already summarised as of `asOfDay` with `settings.weeks` (core/member-summary.ts, e.g. from
   * the packed history): used instead of reading `baskets`, which may then be empty. */
  memberSummary?: MemberSummary;
  /** Products the shopper asked not to see (core/preferences.ts): skipped before the list is cut, so it refills. */
  hidden?: ReadonlySet<string>;
  /** What the member was shown before (core/variety.ts): discovery slots rotate to items not shown lately. */
  shownBefore?: ReadonlyMap<string, ShownEntry>;
  /** Discovery slots among the scored candidates and the most candidates kept (see {@link rotateScored}). */
  discovery?: { slots: number; limit?: number };
}

/** Why there is no list. */
export type ListError = 'not-eligible' | FairnessError;

/** A list together with the figures behind it (for the engine and tests). */
export interface BuiltList {
  list: ShoppingList;
  stats?: MemberStats;
  segments?: Map<string, SegmentKey>;
}

/** Build the member's list as of a day and pass it through the fairness guard. */
export function buildList(input: BuildListInput): Result<ShoppingList, ListError> {
  const r = buildListDetailed(input);
  return r.ok ? ok(r.value.list) : r;
}

/** {@link buildList}, also returning the member statistics and segments it used. */
export function buildListDetailed(input: BuildListInput): Result<BuiltList, ListError> {
  const s: ListSettings = { ...DEFAULT_LIST_SETTINGS, ...input.settings };
  const { member, products, asOfDay } = input;
  const validUntilDay = asOfDay + s.cadenceDays;
  const index = input.productIndex ?? new Map(products.map((p, i) => [p.id, i]));
  const byId: ProductLookup = { get: (id: string) => { const i = index.get(id); return i === undefined ? undefined : products[i]; } };
  const rules = new Map<string, CampaignRule>();
  for (const d of input.deals) rules.set(d.id, d);
  for (const c of input.campaigns) rules.set(c.id, c);
  const guardCtx = { member, shelfPriceOf: (id: string) => byId.get(id)?.priceCents, rules };

  if (!member.consent.personalise) {
    // Nothing from the member's history: store-wide deals and store-wide popular items only.
    const list = storeWideList(input, s, validUntilDay);
    const g = guardList(list, guardCtx);
    return g.ok ? ok({ list }) : g;
  }

  // One pass over the history for everything below (statistics, usual products, affinities), unless given.
  const summary = input.memberSummary ?? summariseBaskets(member, input.baskets, byId, asOfDay, { weeks: s.weeks });
  const stats = summary.stats;
  if (stats.avgWeeklySpendCents < s.thresholdCentsPerWeek) return err('not-eligible', `spends ${Math.round(stats.avgWeeklySpendCents)} cents a week`);
  const segments = memberSegments(stats, input.segmentCuts);
  const dealCtx = (p: Product) => (d: Deal) => {
    const c: { segment?: SegmentKey; usedUnits?: number; budgetLeftCents?: number } = {};
    const seg = segmentForCategory(segments, p.category);
    if (seg) c.segment = seg;
    const used = input.usedUnits?.get(d.id);
    if (used !== undefined) c.usedUnits = used;
    const left = input.dealBudgetLeftCents?.get(d.id);
    if (left !== undefined) c.budgetLeftCents = left;
    return c;
  };

  // Campaign offers first: they decide which extra items the list needs.
  const dueByCategory = new Map<string, Day>();
  for (const sc of input.scored) {
    const p = products[sc.item];
    if (!p || sc.dueDay === undefined) continue;
    const prev = dueByCategory.get(p.category);
    if (prev === undefined || sc.dueDay < prev) dueByCategory.set(p.category, sc.dueDay);
  }
  const campaignOffers: CampaignOffer[] = [];
  for (const c of input.campaigns) {
    const usual = usualProduct(summary.productUnits, byId, c.category);
    const seg = usual ? segmentForCategory(segments, usual.category) : segmentForCategory(segments, c.category);
    const cm: Parameters<typeof campaignOffer>[2] = { memberId: member.id, asOfDay, listUntilDay: validUntilDay };
    if (seg) cm.segment = seg;
    if (usual) cm.usual = usual;
    const due = usual ? dueByCategory.get(usual.category) : undefined;
    if (due !== undefined) cm.dueDay = due;
    const o = campaignOffer(c, products, cm);
    if (o.ok) campaignOffers.push(o.value);
  }

  const items: ListItem[] = [];
  const onList = new Set<string>();
  const hidden = input.hidden;
  const visible = hidden?.size ? input.scored.filter((sc) => !hidden.has(products[sc.item]?.id ?? '')) : input.scored;
  const pool = input.discovery || input.shownBefore
    ? rotateScored(visible, (i) => products[i]?.id, input.shownBefore, { asOfDay, listEndDay: validUntilDay, slots: input.discovery?.slots ?? visible.length, ...(input.discovery?.limit !== undefined ? { limit: input.discovery.limit } : {}) })
    : visible;
  const sorted = [...pool].sort((a, b) => b.score - a.score);
  const reserved = Math.min(s.maxItems, campaignOffers.length + s.maxAffinityOffers);
  let next = 0;
  // Scored items fill the list, leaving room for campaign and affinity offers; the room left over is topped up below.
  const addScored = (room: number) => {
    for (; next < sorted.length && items.length < room; next++) {
      const sc = sorted[next]!;
      const p = products[sc.item];
      if (!p || onList.has(p.id)) continue;
      const reason =
        sc.kind === 'explore' ? exploreReason(p.name)
        : sc.dueDay !== undefined && sc.intervalDays !== undefined ? dueReason(p.name, sc.intervalDays, sc.dueDay, asOfDay)
        : boughtBeforeReason(p.name, sc.count);
      const item: ListItem = {
        productId: p.id, name: p.name, category: p.category, kind: sc.kind, confidence: sc.confidence, score: sc.score,
        shelfPriceCents: p.priceCents, priceCents: p.priceCents, reason,
      };
      if (sc.dueDay !== undefined) item.dueDay = sc.dueDay;
      const d = bestDeal(input.deals, p, asOfDay, dealCtx(p));
      if (d) attachDeal(item, d, p, input.listId, isStoreWide(d.deal) ? 'deal' : 'segment-deal');
      items.push(item);
      onList.add(p.id);
    }
  };
  addScored(s.maxItems - reserved);

  for (const o of campaignOffers) {
    if (items.length >= s.maxItems) break;
    if (hidden?.has(o.product.id)) continue;
    const offer = campaignListOffer(o, input.listId, asOfDay);
    const existing = items.find((i) => i.productId === o.product.id);
    if (existing) {
      if (!existing.offer || existing.offer.savingCents < offer.savingCents) setOffer(existing, offer, o.product);
      continue;
    }
    const item: ListItem = {
      productId: o.product.id, name: o.product.name, category: o.product.category, kind: 'explore', confidence: 0.5, score: 0,
      shelfPriceCents: o.product.priceCents, priceCents: o.product.priceCents, reason: offer.reason,
    };
    setOffer(item, offer, o.product);
    items.push(item);
    onList.add(o.product.id);
  }

  // Deals matching the member's affinities (dog food for a dog owner), for products not on the list yet.
  const aff = summary.affinities;
  if (aff.length > 0 && s.maxAffinityOffers > 0) {
    const tags = new Set(aff.map((a) => a.tag));
    const bought = summary.everBought;
    const candidates: { p: Product; d: AppliedDeal; tag: string; rank: number }[] = [];
    const allTags = tagsOf(products);
    for (let i = 0; i < products.length; i++) {
      const p = products[i]!;
      const tag = allTags[i]!.find((t) => tags.has(t));
      if (!tag || onList.has(p.id) || hidden?.has(p.id)) continue;
      const d = bestDeal(input.deals, p, asOfDay, dealCtx(p));
      // Products the member already buys first, then the larger saving.
      if (d) candidates.push({ p, d, tag, rank: (bought.has(p.id) ? 1e9 : 0) + d.savingCents });
    }
    candidates.sort((a, b) => b.rank - a.rank);
    let added = 0;
    for (const c of candidates) {
      if (added >= s.maxAffinityOffers || items.length >= s.maxItems) break;
      const item: ListItem = {
        productId: c.p.id, name: c.p.name, category: c.p.category, kind: bought.has(c.p.id) ? 'repeat' : 'explore', confidence: 0.3, score: 0,
        shelfPriceCents: c.p.priceCents, priceCents: c.p.priceCents, reason: exploreReason(c.p.name),
      };
      attachDeal(item, c.d, c.p, input.listId, 'affinity-deal', c.tag);
      item.reason = item.offer!.reason;
      items.push(item);
      onList.add(c.p.id);
      added++;
    }
  }

  addScored(s.maxItems);

  const budget = input.storeBudgetLeftCents ?? 0;
  const coupons = loyaltyCoupons({ listId: input.listId, shareOfWallet: stats.shareOfWallet, avgWeeklySpendCents: stats.avgWeeklySpendCents, budgetLeftCents: budget }, s.couponPolicy);
  const dueIds = new Set(items.filter((i) => i.dueDay !== undefined && i.dueDay <= validUntilDay).map((i) => i.productId));
  const rewards = matchRewards(input.content, {
    dueProductIds: dueIds,
    nameOf: (id) => byId.get(id)?.name ?? id,
    categories: [...new Set(items.map((i) => i.category))],
    highValue: stats.avgWeeklySpendCents >= s.highValueCentsPerWeek,
    personalised: true,
    max: s.maxRewards,
  });
  const list: ShoppingList = { id: input.listId, code: input.code, memberId: member.id, issuedDay: asOfDay, validUntilDay, personalised: true, items, coupons, rewards };
  const g = guardList(list, {
    ...guardCtx,
    loyalty: {
      shareOfWallet: stats.shareOfWallet,
      tenureDays: stats.tenureDays,
      valueAt: (share) => loyaltyCouponCents(share, stats.avgWeeklySpendCents, budget, s.couponPolicy),
    },
  });
  return g.ok ? ok({ list, stats, segments }) : g;
}

/** The product the member bought most units of in a category (path prefix), from units per product up to the day. */
function usualProduct(productUnits: ReadonlyMap<string, number>, byId: ProductLookup, category: string): Product | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [id, u] of productUnits) {
    if (!(u > most || (u === most && best !== undefined && id < best))) continue;
    const p = byId.get(id);
    if (p && inCategory(category, p)) [best, most] = [id, u];
  }
  return best === undefined ? undefined : byId.get(best);
}

function attachDeal(item: ListItem, d: AppliedDeal, p: Product, listId: string, code: 'deal' | 'segment-deal' | 'affinity-deal' | 'store-deal', tag?: string) {
  const reason = dealReason(code, { name: p.name, kind: d.deal.kind, value: d.deal.value, endDay: d.deal.endDay, category: lastPart(p.category), ...(tag ? { tag } : {}) });
  setOffer(item, {
    id: `${listId}:${d.deal.id}:${p.id}`, dealId: d.deal.id, productId: p.id, kind: d.deal.kind, value: d.deal.value,
    funder: d.deal.funder, savingCents: d.savingCents, limit: d.limit, reason,
  }, p);
}

function campaignListOffer(o: CampaignOffer, listId: string, asOfDay: Day): ListOffer {
  const p = o.product;
  const saving = p.priceCents - Math.max(0, Math.min(p.priceCents, Math.round((p.priceCents * (100 - o.percent)) / 100)));
  const reason = o.usual
    ? campaignReason('campaign-switch', { name: p.name, usual: o.usual.name, category: lastPart(p.category), percent: o.percent, from: o.fromDay, until: o.untilDay, asOfDay })
    : campaignReason('campaign-try', { name: p.name, category: lastPart(p.category), percent: o.percent, from: o.fromDay, until: o.untilDay, asOfDay });
  // A campaign's offer is a first purchase: one unit.
  return { id: `${listId}:${o.campaign.id}:${p.id}`, dealId: o.campaign.id, productId: p.id, kind: 'percent', value: o.percent, funder: o.campaign.funder, savingCents: saving, limit: 1, reason };
}

function setOffer(item: ListItem, offer: ListOffer, p: Product) {
  item.offer = offer;
  // Multibuy shows the per-unit price when buying whole sets; every kind stays within [0, shelf].
  const per = offer.kind === 'multibuy' ? Math.round(offer.savingCents / offer.value) : offer.savingCents;
  item.priceCents = Math.max(0, Math.min(p.priceCents, p.priceCents - per));
}

// Tags per catalogue, computed once per catalogue array rather than once per member.
const tagMemo = new WeakMap<readonly Product[], string[][]>();
function tagsOf(products: readonly Product[]): string[][] {
  let t = tagMemo.get(products);
  if (!t) tagMemo.set(products, (t = products.map(productTags)));
  return t;
}

const lastPart = (category: string) => category.slice(category.lastIndexOf('/') + 1).replace(/-/g, ' ');

/** The store-wide offers of a day, best saving first, one per product (the member's hidden items not yet left out):
 * the same for every member without consent, so made once per (catalogue, deals, day, budgets left) and kept while
 * the next list asks for the same. */
const storeWideMemo = new WeakMap<readonly Deal[], { products: readonly Product[]; key: string; offers: readonly { p: Product; d: AppliedDeal }[] }>();
function storeWideOffers(input: BuildListInput): readonly { p: Product; d: AppliedDeal }[] {
  const { products, asOfDay } = input;
  const openDeals = input.deals.filter((d) => isStoreWide(d));
  const key = `${asOfDay}|${openDeals.map((d) => input.dealBudgetLeftCents?.get(d.id) ?? '').join(',')}`;
  const hit = storeWideMemo.get(input.deals);
  if (hit && hit.products === products && hit.key === key) return hit.offers;
  const offers: { p: Product; d: AppliedDeal }[] = [];
  for (const p of products) {
    let best: AppliedDeal | undefined;
    for (const d of openDeals) {
      const left = input.dealBudgetLeftCents?.get(d.id);
      const r = applyDeal(d, p, asOfDay, left === undefined ? {} : { budgetLeftCents: left });
      if (r.ok && (!best || r.value.unitPriceCents < best.unitPriceCents)) best = r.value;
    }
    if (best) offers.push({ p, d: best });
  }
  offers.sort((a, b) => b.d.savingCents - a.d.savingCents || (a.p.id < b.p.id ? -1 : 1));
  storeWideMemo.set(input.deals, { products, key, offers });
  return offers;
}

/** The list of a member without consent: store-wide deals and popular items, nothing from their history. */
function storeWideList(input: BuildListInput, s: ListSettings, validUntilDay: Day): ShoppingList {
  const { products, asOfDay } = input;
  const items: ListItem[] = [];
  const onList = new Set<string>();
  const offers = storeWideOffers(input).filter((o) => !input.hidden?.has(o.p.id));
  const half = Math.ceil(s.maxItems / 2);
  for (const { p, d } of offers.slice(0, input.popular?.length ? half : s.maxItems)) {
    const item: ListItem = {
      productId: p.id, name: p.name, category: p.category, kind: 'cold-start', confidence: 0, score: 0,
      shelfPriceCents: p.priceCents, priceCents: p.priceCents, reason: popularReason(p.name),
    };
    attachDeal(item, d, p, input.listId, 'store-deal');
    item.reason = item.offer!.reason;
    items.push(item);
    onList.add(p.id);
  }
  for (const i of input.popular ?? []) {
    if (items.length >= s.maxItems) break;
    const p = products[i];
    if (!p || onList.has(p.id) || input.hidden?.has(p.id)) continue;
    items.push({ productId: p.id, name: p.name, category: p.category, kind: 'cold-start', confidence: 0, score: 0, shelfPriceCents: p.priceCents, priceCents: p.priceCents, reason: popularReason(p.name) });
    onList.add(p.id);
  }
  const rewards = matchRewards(input.content, { dueProductIds: new Set(), nameOf: (id) => id, categories: [], highValue: false, personalised: false, max: s.maxRewards });
  return { id: input.listId, code: input.code, memberId: input.member.id, issuedDay: asOfDay, validUntilDay, personalised: false, items, coupons: [], rewards };
}
