// Why an item, offer, coupon or reward is on a list, in English: one sentence per reason code.
import type { ReasonParams } from '../../core/types.ts';
import type { ReasonFormat, ReasonTranslation } from '../translation.ts';

const n = (p: ReasonParams, k: string) => Number(p[k] ?? 0);
const s = (p: ReasonParams, k: string) => String(p[k] ?? '');

const deal = (p: ReasonParams, f: ReasonFormat): string => {
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

/** The English sentence of every list reason. */
export const reasons: ReasonTranslation = {
  // Within the coming week the weekday reads better than a date; on or before the list's day it is due now.
  dueNow: 'now',
  dueOn: (date) => `on ${date}`,
  offer: deal,
  templates: {
    due: (p, f) => `You buy ${s(p, 'name')} about every ${n(p, 'interval')} days; it is due ${f.day(n(p, 'dueDay'), n(p, 'asOfDay'))}.`,
    'bought-before': (p) => `You have bought ${s(p, 'name')} ${n(p, 'count')} time${n(p, 'count') === 1 ? '' : 's'} before.`,
    explore: (p) => `Shoppers with baskets like yours often buy ${s(p, 'name')}.`,
    popular: (p) => `${s(p, 'name')} is one of this store's most popular items.`,
    'store-deal': (p, f) => `${s(p, 'name')}: ${deal(p, f)} for everyone until ${f.date(n(p, 'endDay'))}.`,
    deal: (p, f) => `${s(p, 'name')} is on offer: ${deal(p, f)} until ${f.date(n(p, 'endDay'))}.`,
    'segment-deal': (p, f) => `Because you often buy ${s(p, 'category')}: ${deal(p, f)} on ${s(p, 'name')} until ${f.date(n(p, 'endDay'))}.`,
    'campaign-switch': (p, f) => `Try our own ${s(p, 'name')} instead of ${s(p, 'usual')}: ${f.pct(n(p, 'percent'))} off, valid from ${f.date(n(p, 'from'))} to ${f.date(n(p, 'until'))}, when you are due to buy it.`,
    'campaign-try': (p, f) => `You buy ${s(p, 'category')} regularly: ${f.pct(n(p, 'percent'))} off ${s(p, 'name')}, valid until ${f.date(n(p, 'until'))}.`,
    'affinity-deal': (p, f) => `For your ${s(p, 'tag')} shopping: ${deal(p, f)} on ${s(p, 'name')}.`,
    'loyalty-coupon': (p, f) => `Thank you for doing ${n(p, 'sharePct')}% of your grocery shopping with us: ${f.money(n(p, 'valueCents'))} off a shop of ${f.money(n(p, 'minSpendCents'))} or more.`,
    recipe: (p) => `${s(p, 'title')} uses ${n(p, 'dueCount')} item${n(p, 'dueCount') === 1 ? '' : 's'} on your list, such as ${s(p, 'example')}.`,
    service: (p) => `As one of our most valued members you can use ${s(p, 'title')}.`,
    tip: (p) => `${s(p, 'title')}: a tip from your store.`,
  },
};

