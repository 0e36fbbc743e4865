// The widget's words in English and Simplified Chinese; prices and dates through Intl.

const en = {
  title: 'Your shopping list',
  loading: 'Preparing your list…',
  importing: (n: number) => `Loading store data… ${n.toLocaleString('en')} lines`,
  empty: 'Nothing is due right now. Check back after your next shop.',
  noConsent: 'Turn on personalised lists in your account to see what you are due to buy.',
  notEligible: 'Your personal list starts once you shop with us most weeks. This week\'s offers are open to everyone.',
  failed: 'We could not load your list.',
  retry: 'Try again',
  add: 'Add to cart',
  addAll: 'Add all to cart',
  due: (d: string) => `Due ${d}`,
  dueNow: 'Due now',
  was: 'was',
  updated: (n: number) => `Your list has ${n} items.`,
  buyAgainTitle: 'Buy it again',
  togetherTitle: 'Often bought together',
  forYouTitle: 'Picked for you',
  recsLoading: 'Finding products for you…',
  recsEmpty: 'No suggestions yet. Check back after your next shop.',
  togetherEmpty: 'No products are often bought with this one yet.',
  recsNoConsent: 'Turn on personalised lists in your account to see suggestions from your shopping.',
  recsFailed: 'We could not load suggestions.',
  suggestions: (n: number) => (n === 1 ? '1 suggestion.' : `${n} suggestions.`),
};
type Strings = typeof en;
const zh: Strings = {
  title: '您的购物清单',
  loading: '正在准备您的清单…',
  importing: (n: number) => `正在载入商店数据… ${n.toLocaleString('zh-CN')} 行`,
  empty: '目前没有需要购买的商品。下次购物后再来看看。',
  noConsent: '请在账户中开启个性化清单，以查看您需要购买的商品。',
  notEligible: '当您每周在本店购物后，个人清单就会开启。本周优惠对所有人开放。',
  failed: '无法载入您的清单。',
  retry: '重试',
  add: '加入购物车',
  addAll: '全部加入购物车',
  due: (d: string) => `${d} 到期`,
  dueNow: '现在需要',
  was: '原价',
  updated: (n: number) => `您的清单有 ${n} 件商品。`,
  buyAgainTitle: '再次购买',
  togetherTitle: '经常一起购买',
  forYouTitle: '为您推荐',
  recsLoading: '正在为您查找商品…',
  recsEmpty: '暂无推荐。下次购物后再来看看。',
  togetherEmpty: '暂时没有经常与此商品一起购买的商品。',
  recsNoConsent: '请在账户中开启个性化清单，以查看根据您的购物记录推荐的商品。',
  recsFailed: '无法载入推荐。',
  suggestions: (n: number) => `${n} 件推荐商品。`,
};

/** The strings for a locale (English unless it is Chinese). */
export const strings = (locale: string): Strings => (locale.toLowerCase().startsWith('zh') ? zh : en);

export { money, shortDate } from '../core/format.ts';
