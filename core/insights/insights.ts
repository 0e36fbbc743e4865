// The store's insight report, composed from the models: frequently bought together (product and category rules),
// member activity (BG/NBD) with churn warnings, and shopping patterns. Pure: the engine caches the result.
import type { Day, Member, Product } from '../types.ts';
import { categoryBaskets, mineRules, type Rule } from './rules.ts';
import { fitBgNbd, summarisePurchases, type BgNbdFit } from './activity.ts';
import { activityOutlook, type ActivityOutlook } from './outlook.ts';
import { digestRules } from './rule-digest.ts';
import { churnWarnings, type ChurnWarning } from './churn.ts';
import { shoppingPatterns, type ShoppingPatterns } from './patterns.ts';
import { spendCents, tripsOf, unpackHistory, type PackedHistory } from '../history.ts';

/** A rule with names, ready to show. */
export interface NamedRule extends Rule {
  lhsNames: string[];
  rhsName: string;
}

/** Everything the manager screen and the recommendations need from the whole store. */
export interface Insights {
  asOfDay: Day;
  productRules: Rule[];
  categoryRules: NamedRule[];
  categories: string[];
  activity?: BgNbdFit;
  /** What the activity fit means for the store: members likely lapsed, visits expected over the next weeks. */
  outlook?: ActivityOutlook;
  /** The rules the manager screen shows: product pairs and category rules, without restatements (rule-digest.ts). */
  topRules: { products: NamedRule[]; categories: NamedRule[] };
  churn: ChurnWarning[];
  patterns: ShoppingPatterns;
}

/** Thresholds of the insight report. */
export interface InsightOptions {
  asOfDay: Day;
  productSupport?: number;
  productConfidence?: number;
  categorySupport?: number;
  categoryConfidence?: number;
  /** Keep this many churn warnings (most valuable first). */
  churnLimit?: number;
}

/** Compute the insight report over every member's packed history. `products` is indexed by dense product index. */
export function computeInsights(histories: readonly PackedHistory[], members: readonly Member[], products: readonly Product[], opts: InsightOptions): Insights {
  const baskets: number[][] = [];
  const eventMember: number[] = [];
  const eventDay: number[] = [];
  histories.forEach((h, m) => {
    for (const trip of tripsOf(h)) {
      if (trip.day > opts.asOfDay) continue;
      baskets.push(trip.items as number[]);
      eventMember.push(m);
      eventDay.push(trip.day);
    }
  });
  const productRules = mineRules(baskets, products.length, { minSupport: opts.productSupport ?? 0.002, minConfidence: opts.productConfidence ?? 0.2, maxLength: 3 });
  const categories = [...new Set(products.map((p) => p.category))].sort();
  const catIndex = new Map(categories.map((c, i) => [c, i]));
  const categoryOf = Int32Array.from(products, (p) => (p ? catIndex.get(p.category)! : 0));
  const categoryRules = mineRules(categoryBaskets(baskets, categoryOf), categories.length, {
    minSupport: opts.categorySupport ?? 0.01, minConfidence: opts.categoryConfidence ?? 0.3, maxLength: 3,
  }).map((r) => ({ ...r, lhsNames: r.lhs.map((c) => categories[c]!), rhsName: categories[r.rhs]! }));

  let activity: BgNbdFit | undefined;
  let outlook: ActivityOutlook | undefined;
  if (histories.length >= 20) {
    const summary = summarisePurchases(eventMember, eventDay, histories.length, opts.asOfDay, 7);
    activity = fitBgNbd(summary);
    // Visits in the last four weeks, to set the expected ones beside (same-day visits of a member count once, as fitted).
    const recent = new Set<string>();
    eventDay.forEach((d, i) => { if (d > opts.asOfDay - 28) recent.add(`${eventMember[i]} ${d}`); });
    outlook = activityOutlook(activity.params, summary, { horizonWeeks: 4, recentVisits: recent.size });
  }
  const churn = churnWarnings(
    histories.map((h) => ({ memberId: h.memberId, days: Array.from(h.days), spendCents: spendCents(h, opts.asOfDay - 365) })),
    { asOfDay: opts.asOfDay, ...(activity ? { model: activity.params } : {}) },
  ).slice(0, opts.churnLimit ?? 200);

  const productIds = products.map((p) => p?.id ?? '');
  const patterns = shoppingPatterns(histories.flatMap((h) => unpackHistory(h, productIds)), members, products.filter(Boolean), { asOfDay: opts.asOfDay });
  const aisle = (category: string | undefined) => (category ?? '').split('/')[0]!;
  const topRules = {
    products: digestRules(productRules, { maxLhs: 1, groupOf: (i) => aisle(products[i]?.category) })
      .map((r) => ({ ...r, lhsNames: r.lhs.map((i) => products[i]?.name ?? ''), rhsName: products[r.rhs]?.name ?? '' })),
    categories: digestRules(categoryRules, { groupOf: (i) => aisle(categories[i]) }),
  };
  return { asOfDay: opts.asOfDay, productRules, categoryRules, categories, ...(activity ? { activity } : {}), ...(outlook ? { outlook } : {}), topRules, churn, patterns };
}
