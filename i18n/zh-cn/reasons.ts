// Why an item, offer, coupon or reward is on a list, in Simplified Chinese: one sentence per reason code. A title the
// content feed sent in Chinese (`titleZh`) is used; without one the original title shows.
import type { ReasonParams } from '../../core/types.ts';
import type { ReasonFormat, ReasonTranslation } from '../translation.ts';

const n = (p: ReasonParams, k: string) => Number(p[k] ?? 0);
const s = (p: ReasonParams, k: string) => String(p[k] ?? '');
const title = (p: ReasonParams) => s(p, 'titleZh') || s(p, 'title');

const deal = (p: ReasonParams, f: ReasonFormat): string => {
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

/** 每个清单理由的中文句子。 */
export const reasons: ReasonTranslation = {
  // Within the coming week the weekday reads better than a date; on or before the list's day it is due now.
  dueNow: '现在',
  dueOn: (date) => date,
  offer: deal,
  templates: {
    due: (p, f) => `您大约每${n(p, 'interval')}天购买一次${s(p, 'name')}，预计${f.day(n(p, 'dueDay'), n(p, 'asOfDay'))}需要补货。`,
    'bought-before': (p) => `您之前购买过${s(p, 'name')}${n(p, 'count')}次。`,
    explore: (p) => `与您购物习惯相似的顾客常买${s(p, 'name')}。`,
    popular: (p) => `${s(p, 'name')}是本店最受欢迎的商品之一。`,
    'store-deal': (p, f) => `${s(p, 'name')}：全店${deal(p, f)}，截至${f.date(n(p, 'endDay'))}。`,
    deal: (p, f) => `${s(p, 'name')}正在促销：${deal(p, f)}，截至${f.date(n(p, 'endDay'))}。`,
    'segment-deal': (p, f) => `因为您常买${s(p, 'category')}：${s(p, 'name')}${deal(p, f)}，截至${f.date(n(p, 'endDay'))}。`,
    'campaign-switch': (p, f) => `试试我们的自有品牌${s(p, 'name')}，代替${s(p, 'usual')}：${f.pct(n(p, 'percent'))}优惠，有效期${f.date(n(p, 'from'))}至${f.date(n(p, 'until'))}，正是您该补货的时候。`,
    'campaign-try': (p, f) => `您经常购买${s(p, 'category')}：${s(p, 'name')}${f.pct(n(p, 'percent'))}优惠，截至${f.date(n(p, 'until'))}。`,
    'affinity-deal': (p, f) => `为您的${s(p, 'tag')}购物：${s(p, 'name')}${deal(p, f)}。`,
    'loyalty-coupon': (p, f) => `感谢您将${n(p, 'sharePct')}%的日常采购交给我们：满${f.money(n(p, 'minSpendCents'))}减${f.money(n(p, 'valueCents'))}。`,
    recipe: (p) => `${title(p)}用到您清单上的${n(p, 'dueCount')}件商品，例如${s(p, 'example')}。`,
    service: (p) => `作为我们最尊贵的会员，您可以使用${title(p)}。`,
    tip: (p) => `${title(p)}：来自本店的小贴士。`,
  },
};

