// Reasons: every item, offer, coupon and reward explains itself, as a code with parameters; i18n/ holds the sentence of
// each code in every language (i18n/en/reasons.ts, i18n/zh-cn/reasons.ts) and every surface renders it there.
import type { Day, Reason, ReasonParams } from '../types.ts';

/** Every reason code of a list: items, offers, coupons and rewards. */
export const REASON_CODES = [
  'due', 'bought-before', 'explore', 'popular', 'store-deal', 'deal', 'segment-deal', 'campaign-switch', 'campaign-try',
  'affinity-deal', 'loyalty-coupon', 'recipe', 'service', 'tip',
] as const;

/** A reason code of a list. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** Reason codes that use no personal history: the only ones a list without consent may carry. */
export const NON_PERSONAL_REASONS: ReadonlySet<string> = new Set<ReasonCode>(['popular', 'store-deal', 'tip']);

const KNOWN: ReadonlySet<string> = new Set(REASON_CODES);

/** Build a reason: a code and its parameters. */
export function makeReason(code: ReasonCode, params: ReasonParams): Reason {
  return { code, params };
}

/** "You buy coffee about every 12 days; it is due Thursday." */
export const dueReason = (name: string, intervalDays: number, dueDay: Day, asOfDay: Day): Reason =>
  makeReason('due', { name, interval: Math.max(1, Math.round(intervalDays)), dueDay, asOfDay });

/** "You have bought tea 3 times before." */
export const boughtBeforeReason = (name: string, count: number): Reason => makeReason('bought-before', { name, count });

/** "Shoppers with baskets like yours often buy …" */
export const exploreReason = (name: string): Reason => makeReason('explore', { name });

/** "… is one of this store's most popular items." */
export const popularReason = (name: string): Reason => makeReason('popular', { name });

/** A deal reason; `store-deal` for store-wide deals, `segment-deal` when targeted at the member's segment. */
export const dealReason = (
  code: 'store-deal' | 'deal' | 'segment-deal' | 'affinity-deal',
  p: { name: string; kind: string; value: number; endDay: Day; category?: string; tag?: string },
): Reason => makeReason(code, { name: p.name, kind: p.kind, value: p.value, endDay: p.endDay, category: p.category ?? '', tag: p.tag ?? '' });

/** A campaign offer's reason: switch to the store brand, or try more of a category. */
export const campaignReason = (
  code: 'campaign-switch' | 'campaign-try',
  p: { name: string; usual?: string; category: string; percent: number; from: Day; until: Day; asOfDay: Day },
): Reason => makeReason(code, { name: p.name, usual: p.usual ?? '', category: p.category, percent: p.percent, from: p.from, until: p.until, asOfDay: p.asOfDay });

/** A loyalty coupon's reason. */
export const couponReason = (shareOfWallet: number, valueCents: number, minSpendCents: number): Reason =>
  makeReason('loyalty-coupon', { sharePct: Math.round(shareOfWallet * 100), valueCents, minSpendCents });

/** A recipe matched to the list (`titleZh`: the title in Chinese, when the content has it). */
export const recipeReason = (title: string, dueCount: number, example: string, titleZh?: string): Reason =>
  makeReason('recipe', { title, dueCount, example, ...(titleZh ? { titleZh } : {}) });

/** A service for high-value members. */
export const serviceReason = (title: string, titleZh?: string): Reason => makeReason('service', { title, ...(titleZh ? { titleZh } : {}) });

/** A store tip (non-personal). */
export const tipReason = (title: string, titleZh?: string): Reason => makeReason('tip', { title, ...(titleZh ? { titleZh } : {}) });

/** True when a reason can be shown in every language: its code is one of {@link REASON_CODES}, each of which has a
 * template in English and in Chinese (i18n/i18n.test.ts checks every code against both). Checked on every item of
 * every list, so nothing is rendered here. */
export function reasonComplete(r: Reason | undefined): boolean {
  return !!r && KNOWN.has(r.code) && typeof r.params === 'object' && r.params !== null;
}
