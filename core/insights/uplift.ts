// Honest campaign measurement: treated vs held-out control members of a campaign, outcome = purchases in the
// campaign's category during its window. The difference of buyer shares gets Newcombe's hybrid score interval
// (Newcombe 1998, "Interval estimation for the difference between independent proportions", method 10: Wilson score
// intervals of each share combined), units per member a Welch normal interval. Only aggregate counts leave this
// module, and a group of fewer than k members is suppressed (no figures at all).
import type { Basket, Campaign, Day, Member, SegmentKey, ShoppingList } from '../types.ts';
import { inCategory, inHoldout } from '../lists/campaigns.ts';
import { memberStats, type CategoryVolume, type ProductLookup } from '../lists/member-stats.ts';
import { segmentCategories } from '../lists/segments.ts';

/** Smallest group the report publishes (members). */
export const UPLIFT_MIN_CELL = 10;
/** z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** One group's aggregate counts: members, members who bought, units bought and the sum of squared units per member. */
export interface GroupCounts {
  members: number;
  buyers: number;
  units: number;
  /** Σ units², for the variance of units per member. */
  unitsSq: number;
}

/** A two-sided interval. */
export interface Interval {
  low: number;
  high: number;
}

/** A published group: its counts and rates, or null figures when it is below k members. */
export interface GroupResult {
  members: number | null;
  buyers: number | null;
  /** Share of members who bought in the category. */
  buyRate: number | null;
  unitsPerMember: number | null;
  suppressed: boolean;
}

/** Uplift of one campaign: treated minus control, with 95% intervals (null when a group is suppressed). */
export interface Uplift {
  treated: GroupResult;
  control: GroupResult;
  /** Treated buy rate minus control buy rate (percentage points as a fraction). */
  uplift: number | null;
  /** Newcombe hybrid score 95% interval of {@link uplift}. */
  interval: Interval | null;
  /** uplift / control rate (null when the control rate is 0 or suppressed). */
  relativeUplift: number | null;
  /** Treated minus control units per member, with a Welch normal 95% interval. */
  unitsUplift: number | null;
  unitsInterval: Interval | null;
  /** The buy-rate interval excludes 0. */
  significant: boolean;
  k: number;
}

/** Wilson score interval of a proportion `x / n` (n > 0). */
export function wilson(x: number, n: number, z = Z95): Interval {
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval of p1 − p2 (method 10), from the Wilson intervals of each share. */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1, p2 = x2 / n2;
  const a = wilson(x1, n1, z), b = wilson(x2, n2, z);
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: d + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

const sampleVariance = (g: GroupCounts) => {
  if (g.members < 2) return 0;
  const mean = g.units / g.members;
  return Math.max(0, (g.unitsSq - g.members * mean * mean) / (g.members - 1));
};

function publish(g: GroupCounts, k: number): GroupResult {
  if (g.members < k) return { members: null, buyers: null, buyRate: null, unitsPerMember: null, suppressed: true };
  return { members: g.members, buyers: g.buyers, buyRate: g.buyers / g.members, unitsPerMember: g.units / g.members, suppressed: false };
}

/** Uplift of treated over control with 95% intervals; either group under `k` members suppresses the comparison. */
export function upliftWithInterval(treated: GroupCounts, control: GroupCounts, k = UPLIFT_MIN_CELL): Uplift {
  const t = publish(treated, k), c = publish(control, k);
  if (t.suppressed || c.suppressed) {
    return { treated: t, control: c, uplift: null, interval: null, relativeUplift: null, unitsUplift: null, unitsInterval: null, significant: false, k };
  }
  const uplift = t.buyRate! - c.buyRate!;
  const interval = newcombeInterval(treated.buyers, treated.members, control.buyers, control.members);
  const unitsUplift = t.unitsPerMember! - c.unitsPerMember!;
  const se = Math.sqrt(sampleVariance(treated) / treated.members + sampleVariance(control) / control.members);
  return {
    treated: t, control: c, uplift, interval,
    relativeUplift: c.buyRate! > 0 ? uplift / c.buyRate! : null,
    unitsUplift, unitsInterval: { low: unitsUplift - Z95 * se, high: unitsUplift + Z95 * se },
    significant: interval.low > 0 || interval.high < 0,
    k,
  };
}

/** A member as a campaign's measurement sees them. */
export interface CampaignOutcome {
  memberId: string;
  /** The member's segment in the campaign's category before the campaign started (eligibility, pre-treatment). */
  segment?: SegmentKey;
  /** Units bought in the campaign's category during the measured window. */
  units: number;
}

/** Treated and control counts of a campaign: eligible = targeted segment; control = the campaign's holdout. */
export function campaignGroups(c: Pick<Campaign, 'id' | 'segments' | 'holdoutShare'>, outcomes: Iterable<CampaignOutcome>): { treated: GroupCounts; control: GroupCounts } {
  const treated: GroupCounts = { members: 0, buyers: 0, units: 0, unitsSq: 0 };
  const control: GroupCounts = { members: 0, buyers: 0, units: 0, unitsSq: 0 };
  for (const o of outcomes) {
    if (!o.segment || !c.segments.includes(o.segment)) continue;
    const g = inHoldout(o.memberId, c.id, c.holdoutShare) ? control : treated;
    g.members++;
    if (o.units > 0) g.buyers++;
    g.units += o.units;
    g.unitsSq += o.units * o.units;
  }
  return { treated, control };
}

/** The days a campaign's outcome is measured over: from its start to its end or the last day with data. */
export function measuredWindow(c: Pick<Campaign, 'startDay' | 'endDay'>, lastDataDay: Day): { fromDay: Day; untilDay: Day } | undefined {
  const untilDay = Math.min(c.endDay, lastDataDay);
  return untilDay < c.startDay ? undefined : { fromDay: c.startDay, untilDay };
}

/** A member's baskets, as the measurement reads them. */
export interface MemberBaskets {
  member: Member;
  baskets: readonly Basket[];
}

/** What a member bought before a campaign and during it, as its measurement needs it. */
export interface CampaignVolumes {
  memberId: string;
  /** Units before the campaign's start day, per category (leaf path), national and store brand apart. The categories
   * that matter are the campaign's own, those under it and those above it; any other is ignored. */
  before: ReadonlyMap<string, CategoryVolume>;
  /** Units bought in the campaign's category during the measured window. */
  windowUnits: number;
}

/** The ancestors of a category path, nearest first (`a/b/c` → `a/b`, `a`). */
export const categoryAncestors = (category: string): string[] => {
  const out: string[] = [];
  for (let at = category.lastIndexOf('/'); at > 0; at = category.lastIndexOf('/', at - 1)) out.push(category.slice(0, at));
  return out;
};

/** Each member's pre-campaign segment in the campaign's category, from volumes however they were counted (a device's
 * histories, headquarters' SQL): the campaign's category itself, else the nearest category above it, else the leaf
 * under it where the member bought most (ties: the first by name), each against the category's tertile cuts over
 * every member given. */
export function outcomesFromVolumes(c: Pick<Campaign, 'category'>, volumes: readonly CampaignVolumes[]): CampaignOutcome[] {
  const segments = segmentCategories(volumes.map((v) => ({ memberId: v.memberId, categories: v.before })));
  const walk = [c.category, ...categoryAncestors(c.category)];
  const under = c.category + '/';
  return volumes.map((v) => {
    let segment: SegmentKey | undefined;
    for (const cat of walk) if (!segment) segment = segments.get(cat)?.members.get(v.memberId);
    if (!segment) {
      let bestUnits = 0, bestCat = '';
      for (const [cat, vol] of v.before) {
        if (!cat.startsWith(under)) continue;
        if (!(vol.units > bestUnits || (vol.units === bestUnits && vol.units > 0 && cat < bestCat))) continue;
        const s = segments.get(cat)?.members.get(v.memberId);
        if (s) [segment, bestUnits, bestCat] = [s, vol.units, cat];
      }
    }
    return { memberId: v.memberId, units: v.windowUnits, ...(segment ? { segment } : {}) };
  });
}

/** Each member's pre-campaign segment in the campaign's category and units bought in it during `window`.
 * Segments are computed from baskets before the start day, so the campaign itself cannot move anyone between groups. */
export function campaignOutcomes(
  c: Pick<Campaign, 'category' | 'startDay'>,
  members: readonly MemberBaskets[],
  products: ProductLookup,
  window: { fromDay: Day; untilDay: Day },
): CampaignOutcome[] {
  const before = c.startDay - 1;
  return outcomesFromVolumes(c, members.map((m) => {
    let windowUnits = 0;
    for (const b of m.baskets) {
      if (b.day < window.fromDay || b.day > window.untilDay) continue;
      for (const l of b.lines) {
        const p = products.get(l.productId);
        if (p && inCategory(c.category, p)) windowUnits += l.qty;
      }
    }
    return { memberId: m.member.id, before: memberStats(m.member, m.baskets, products, before).categories, windowUnits };
  }));
}

/** A campaign's measured result, as the manager screen shows it: aggregates only. */
export interface CampaignResult {
  campaignId: string;
  name: string;
  category: string;
  goal: Campaign['goal'];
  startDay: Day;
  endDay: Day;
  holdoutShare: number;
  /** The days measured; absent before the campaign starts (no uplift yet). */
  window?: { fromDay: Day; untilDay: Day };
  uplift: Uplift;
  offersIssued: number;
  offersRedeemed: number;
}

/** Measure one campaign: treated vs holdout over its window (`lastDataDay` = the last day baskets are known for). */
export function measureCampaign(
  c: Campaign,
  members: readonly MemberBaskets[],
  products: ProductLookup,
  lastDataDay: Day,
  offers: { issued: number; redeemed: number },
  k = UPLIFT_MIN_CELL,
): CampaignResult {
  const window = measuredWindow(c, lastDataDay);
  return campaignResult(c, window, window ? campaignOutcomes(c, members, products, window) : [], offers, k);
}

/** A campaign's result from its members' outcomes over `window` (none before it starts). */
export function campaignResult(
  c: Campaign,
  window: { fromDay: Day; untilDay: Day } | undefined,
  outcomes: readonly CampaignOutcome[],
  offers: { issued: number; redeemed: number },
  k = UPLIFT_MIN_CELL,
): CampaignResult {
  const empty: GroupCounts = { members: 0, buyers: 0, units: 0, unitsSq: 0 };
  const groups = window ? campaignGroups(c, outcomes) : { treated: empty, control: empty };
  return {
    campaignId: c.id, name: c.name, category: c.category, goal: c.goal, startDay: c.startDay, endDay: c.endDay, holdoutShare: c.holdoutShare,
    ...(window ? { window } : {}),
    uplift: upliftWithInterval(groups.treated, groups.control, k),
    offersIssued: offers.issued, offersRedeemed: offers.redeemed,
  };
}

/** Offers on `lists` by deal (a campaign's offers carry its id as their deal): what a campaign's "on lists" counts. */
export function offersByDeal(lists: Iterable<Pick<ShoppingList, 'items'>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lists) for (const i of l.items) if (i.offer) out.set(i.offer.dealId, (out.get(i.offer.dealId) ?? 0) + 1);
  return out;
}
