// Reasons: every item, offer, coupon and reward explains itself in one sentence, as a code with parameters and an
// English text; `reasonText` renders the same reason in English or Simplified Chinese, formatting dates and money with Intl.
import type { Day, Reason } from '../types.ts';

/** Locales with templates. */
export type ReasonLocale = 'en' | 'zh-CN';

/** Every reason code. */
export type ReasonCode =
  | 'due' | 'bought-before' | 'explore' | 'popular' | 'store-deal' | 'deal' | 'segment-deal' | 'campaign-switch'
  | 'campaign-try' | 'affinity-deal' | 'loyalty-coupon' | 'recipe' | 'service' | 'tip';

/** Reason codes that use no personal history: the only ones a list without consent may carry. */
export const NON_PERSONAL_REASONS: ReadonlySet<string> = new Set(['popular', 'store-deal', 'tip']);

type Params = Record<string, string | number>;
type Fmt = { day: (d: number, asOf: number) => string; date: (d: number) => string; money: (c: number) => string; pct: (v: number) => string };
type Template = (p: Params, f: Fmt) => string;

const MS_PER_DAY = 86_400_000;
const n = (p: Params, k: string) => Number(p[k] ?? 0);
const s = (p: Params, k: string) => String(p[k] ?? '');

const EN: Record<ReasonCode, Template> = {
  due: (p, f) => `You buy ${s(p, 'name')} about every ${n(p, 'interval')} days; it is due ${f.day(n(p, 'dueDay'), n(p, 'asOfDay'))}.`,
  'bought-before': (p) => `You have bought ${s(p, 'name')} ${n(p, 'count')} time${n(p, 'count') === 1 ? '' : 's'} before.`,
  explore: (p) => `Shoppers with baskets like yours often buy ${s(p, 'name')}.`,
  popular: (p) => `${s(p, 'name')} is one of this store's most popular items.`,
  'store-deal': (p, f) => `${s(p, 'name')}: ${dealEn(p, f)} for everyone until ${f.date(n(p, 'endDay'))}.`,
  deal: (p, f) => `${s(p, 'name')} is on offer: ${dealEn(p, f)} until ${f.date(n(p, 'endDay'))}.`,
  'segment-deal': (p, f) => `Because you often buy ${s(p, 'category')}: ${dealEn(p, f)} on ${s(p, 'name')} until ${f.date(n(p, 'endDay'))}.`,
  'campaign-switch': (p, f) => `Try our own ${s(p, 'name')} instead of ${s(p, 'usual')}: ${f.pct(n(p, 'percent'))} off, valid from ${f.date(n(p, 'from'))} to ${f.date(n(p, 'until'))}, when you are due to buy it.`,
  'campaign-try': (p, f) => `You buy ${s(p, 'category')} regularly: ${f.pct(n(p, 'percent'))} off ${s(p, 'name')}, valid until ${f.date(n(p, 'until'))}.`,
  'affinity-deal': (p, f) => `For your ${s(p, 'tag')} shopping: ${dealEn(p, f)} on ${s(p, 'name')}.`,
  'loyalty-coupon': (p, f) => `Thank you for doing ${n(p, 'sharePct')}% of your grocery shopping with us: ${f.money(n(p, 'valueCents'))} off a shop of ${f.money(n(p, 'minSpendCents'))} or more.`,
  recipe: (p) => `${s(p, 'title')} uses ${n(p, 'dueCount')} item${n(p, 'dueCount') === 1 ? '' : 's'} on your list, such as ${s(p, 'example')}.`,
  service: (p) => `As one of our most valued members you can use ${s(p, 'title')}.`,
  tip: (p) => `${s(p, 'title')}: a tip from your store.`,
};

const dealEn = (p: Params, f: Fmt): string => {
  const v = n(p, 'value');
  switch (s(p, 'kind')) {
    case 'percent':
      return `${f.pct(v)} off`;
    case 'amount':
      return `${f.money(v)} off`;
    case 'price':
      return `now ${f.money(v)}`;
    default:
      return `buy ${v}, pay for ${v - 1}`;
  }
};

const dealZh = (p: Params, f: Fmt): string => {
  const v = n(p, 'value');
  switch (s(p, 'kind')) {
    case 'percent':
      return `立减${f.pct(v)}`;
    case 'amount':
      return `立减${f.money(v)}`;
    case 'price':
      return `特价${f.money(v)}`;
    default:
      return `买${v}付${v - 1}`;
  }
};

const ZH: Record<ReasonCode, Template> = {
  due: (p, f) => `您大约每${n(p, 'interval')}天购买一次${s(p, 'name')}，预计${f.day(n(p, 'dueDay'), n(p, 'asOfDay'))}需要补货。`,
  'bought-before': (p) => `您之前购买过${s(p, 'name')}${n(p, 'count')}次。`,
  explore: (p) => `与您购物习惯相似的顾客常买${s(p, 'name')}。`,
  popular: (p) => `${s(p, 'name')}是本店最受欢迎的商品之一。`,
  'store-deal': (p, f) => `${s(p, 'name')}：全店${dealZh(p, f)}，截至${f.date(n(p, 'endDay'))}。`,
  deal: (p, f) => `${s(p, 'name')}正在促销：${dealZh(p, f)}，截至${f.date(n(p, 'endDay'))}。`,
  'segment-deal': (p, f) => `因为您常买${s(p, 'category')}：${s(p, 'name')}${dealZh(p, f)}，截至${f.date(n(p, 'endDay'))}。`,
  'campaign-switch': (p, f) => `试试我们的自有品牌${s(p, 'name')}，代替${s(p, 'usual')}：${f.pct(n(p, 'percent'))}优惠，有效期${f.date(n(p, 'from'))}至${f.date(n(p, 'until'))}，正是您该补货的时候。`,
  'campaign-try': (p, f) => `您经常购买${s(p, 'category')}：${s(p, 'name')}${f.pct(n(p, 'percent'))}优惠，截至${f.date(n(p, 'until'))}。`,
  'affinity-deal': (p, f) => `为您的${s(p, 'tag')}购物：${s(p, 'name')}${dealZh(p, f)}。`,
  'loyalty-coupon': (p, f) => `感谢您将${n(p, 'sharePct')}%的日常采购交给我们：满${f.money(n(p, 'minSpendCents'))}减${f.money(n(p, 'valueCents'))}。`,
  recipe: (p) => `${s(p, 'title')}用到您清单上的${n(p, 'dueCount')}件商品，例如${s(p, 'example')}。`,
  service: (p) => `作为我们最尊贵的会员，您可以使用${s(p, 'title')}。`,
  tip: (p) => `${s(p, 'title')}：来自本店的小贴士。`,
};

/** Options of {@link reasonText}. */
export interface ReasonTextOptions {
  /** ISO 4217 currency of money params (default USD). */
  currency?: string;
}

function formatter(locale: ReasonLocale, currency: string): Fmt {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const weekdayFmt = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const dateFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' });
  return {
    // Within the coming week a weekday reads better than a date; on or before `asOf` it is due now.
    day: (d, asOf) => {
      if (asOf >= 0 && d <= asOf) return locale === 'en' ? 'now' : '现在';
      const date = new Date(d * MS_PER_DAY);
      if (asOf >= 0 && d - asOf < 7) return weekdayFmt.format(date);
      return locale === 'en' ? `on ${dateFmt.format(date)}` : dateFmt.format(date);
    },
    date: (d) => dateFmt.format(new Date(d * MS_PER_DAY)),
    money: (c) => money.format(c / 100),
    pct: (v) => `${Math.round(v)}%`,
  };
}

const formatters = new Map<string, Fmt>();

/** The sentence of a reason in a locale (unknown codes fall back to the stored English text). */
export function reasonText(reason: Pick<Reason, 'code' | 'params'> & { text?: string }, locale: ReasonLocale = 'en', opts: ReasonTextOptions = {}): string {
  const table = locale === 'zh-CN' ? ZH : EN;
  const t = table[reason.code as ReasonCode];
  if (!t) return reason.text ?? reason.code;
  const key = `${locale}|${opts.currency ?? 'USD'}`;
  // Intl constructors are slow; one formatter per locale and currency serves every list.
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = formatter(locale, opts.currency ?? 'USD')));
  return t(reason.params, f);
}

/** Build a reason: code, params and the English sentence. */
export function makeReason(code: ReasonCode, params: Params): Reason {
  return { code, params, text: reasonText({ code, params }, 'en') };
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

/** A recipe matched to the list. */
export const recipeReason = (title: string, dueCount: number, example: string): Reason => makeReason('recipe', { title, dueCount, example });

/** A service for high-value members. */
export const serviceReason = (title: string): Reason => makeReason('service', { title });

/** A store tip (non-personal). */
export const tipReason = (title: string): Reason => makeReason('tip', { title });

/** True when a reason has a non-empty sentence in every supported locale: its English text is there, and every code
 * has a Chinese template with words of its own around the parameters (reasons.test.ts renders each one; a code
 * without one shows the English text). Checked on every item of every list, so nothing is rendered here. */
export function reasonComplete(r: Reason | undefined): boolean {
  return !!r && typeof r.text === 'string' && r.text.trim().length > 0;
}
