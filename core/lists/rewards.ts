// Loyalty rewards: coupons that grow with share of wallet and value (the most loyal get $30–40 per list), within a
// store budget per list cycle; non-price rewards from Content matched to the list (recipes, tips, services).
import type { Content, Coupon, Reward } from '../types.ts';
import { couponReason, recipeReason, serviceReason, tipReason } from './reasons.ts';

/** How loyalty coupons are sized. */
export interface CouponPolicy {
  /** Members doing less than this share of their shopping here get no coupon (default 0.3). */
  minShare: number;
  /** Coupon at full share of wallet before the value bonus, in cents (default 3000). */
  fullShareCents: number;
  /** Extra for high weekly spend: `valueStepCents` per `valueStepSpendCents` of average weekly spend, up to `maxValueBonusCents`. */
  valueStepCents: number;
  valueStepSpendCents: number;
  maxValueBonusCents: number;
  /** Coupons are whole multiples of this (default 100). */
  roundCents: number;
  /** Minimum shop, as a multiple of the coupon's value (default 5). */
  minSpendFactor: number;
}

/** Default coupon policy: $0 below 30% share, rising to $30 at full share, plus up to $10 for high weekly spend. */
export const DEFAULT_COUPON_POLICY: CouponPolicy = {
  minShare: 0.3,
  fullShareCents: 3000,
  valueStepCents: 200,
  valueStepSpendCents: 5000,
  maxValueBonusCents: 1000,
  roundCents: 100,
  minSpendFactor: 5,
};

/** Coupon value for a loyalty level, capped by the budget left; non-decreasing in share of wallet and weekly spend. */
export function loyaltyCouponCents(shareOfWallet: number, avgWeeklySpendCents: number, budgetLeftCents: number, policy: CouponPolicy = DEFAULT_COUPON_POLICY): number {
  const share = Math.max(0, Math.min(1, shareOfWallet || 0));
  if (share < policy.minShare) return 0;
  // Linear from minShare (0) to full share (fullShareCents), so the coupon grows with share of wallet.
  const shareCents = (policy.fullShareCents * (share - policy.minShare)) / (1 - policy.minShare);
  const bonus = Math.min(policy.maxValueBonusCents, Math.floor(Math.max(0, avgWeeklySpendCents) / policy.valueStepSpendCents) * policy.valueStepCents);
  const raw = Math.min(shareCents + bonus, Math.max(0, budgetLeftCents));
  return Math.floor(raw / policy.roundCents) * policy.roundCents;
}

/** The loyalty coupon of a list, or none when the member is below the threshold or the budget is spent. */
export function loyaltyCoupons(
  p: { listId: string; shareOfWallet: number; avgWeeklySpendCents: number; budgetLeftCents: number },
  policy: CouponPolicy = DEFAULT_COUPON_POLICY,
): Coupon[] {
  const value = loyaltyCouponCents(p.shareOfWallet, p.avgWeeklySpendCents, p.budgetLeftCents, policy);
  if (value <= 0) return [];
  const minSpend = value * policy.minSpendFactor;
  return [{ id: `${p.listId}:loyalty`, valueCents: value, minSpendCents: minSpend, reason: couponReason(p.shareOfWallet, value, minSpend) }];
}

/** What the reward matcher knows about the list and the member. */
export interface RewardContext {
  /** Product ids on the list that are due (recipes use these). */
  dueProductIds: ReadonlySet<string>;
  /** Names of those products, for the reason sentence. */
  nameOf: (productId: string) => string;
  /** Category paths on the list. */
  categories: readonly string[];
  /** High-value members get services (express lane, home delivery). */
  highValue: boolean;
  /** Without consent only general tips are allowed. */
  personalised: boolean;
  max?: number;
}

const underAny = (cats: readonly string[], c: string) => cats.some((x) => x === c || x.startsWith(c + '/'));

/** Non-price rewards matched to the list: recipes using due items (most first), services for high-value members, tips. */
export function matchRewards(content: readonly Content[], ctx: RewardContext): Reward[] {
  const max = ctx.max ?? 3;
  const recipes: { c: Content; due: string[] }[] = [];
  const services: Content[] = [];
  const tips: Content[] = [];
  for (const c of content) {
    if (c.kind === 'recipe' || c.kind === 'meal-plan') {
      if (!ctx.personalised) continue;
      const due = (c.productIds ?? []).filter((id) => ctx.dueProductIds.has(id));
      if (due.length > 0) recipes.push({ c, due });
    } else if (c.kind === 'service') {
      if (ctx.personalised && ctx.highValue) services.push(c);
    } else if (!ctx.personalised ? c.categories.length === 0 : c.categories.length === 0 || c.categories.some((cat) => underAny(ctx.categories, cat))) {
      tips.push(c);
    }
  }
  recipes.sort((a, b) => b.due.length - a.due.length || (a.c.id < b.c.id ? -1 : 1));
  const out: Reward[] = [];
  // The Chinese title and body travel with the reward, so a surface in Chinese shows them where headquarters sent them.
  const reward = (c: Content, reason: Reward['reason']): Reward => ({
    id: c.id, kind: c.kind, title: c.title, body: c.body, ...(c.titleZh ? { titleZh: c.titleZh } : {}), ...(c.bodyZh ? { bodyZh: c.bodyZh } : {}), reason,
  });
  for (const r of recipes.slice(0, 2)) out.push(reward(r.c, recipeReason(r.c.title, r.due.length, ctx.nameOf(r.due[0]!), r.c.titleZh)));
  for (const s of services.slice(0, 1)) out.push(reward(s, serviceReason(s.title, s.titleZh)));
  for (const t of tips) {
    if (out.length >= max) break;
    out.push(reward(t, tipReason(t.title, t.titleZh)));
  }
  return out.slice(0, max);
}
