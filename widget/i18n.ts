// The widget's words in English and Simplified Chinese; prices and dates through Intl.

const en = {
  title: 'Your shopping list',
  loading: 'Preparing your list…',
  importing: (n: number) => `Loading store data… ${n.toLocaleString('en')} lines`,
  empty: 'Nothing is due right now. Check back after your next shop.',
  noConsent: 'Turn on personalised lists in your account to see what you are due to buy.',
  failed: 'We could not load your list.',
  retry: 'Try again',
  add: 'Add to cart',
  addAll: 'Add all to cart',
  due: (d: string) => `Due ${d}`,
  dueNow: 'Due now',
  was: 'was',
  updated: (n: number) => `Your list has ${n} items.`,
};
type Strings = typeof en;
const zh: Strings = {
  title: '您的购物清单',
  loading: '正在准备您的清单…',
  importing: (n: number) => `正在载入商店数据… ${n.toLocaleString('zh-CN')} 行`,
  empty: '目前没有需要购买的商品。下次购物后再来看看。',
  noConsent: '请在账户中开启个性化清单，以查看您需要购买的商品。',
  failed: '无法载入您的清单。',
  retry: '重试',
  add: '加入购物车',
  addAll: '全部加入购物车',
  due: (d: string) => `${d} 到期`,
  dueNow: '现在需要',
  was: '原价',
  updated: (n: number) => `您的清单有 ${n} 件商品。`,
};

/** The strings for a locale (English unless it is Chinese). */
export const strings = (locale: string): Strings => (locale.toLowerCase().startsWith('zh') ? zh : en);

/** Format cents as money in the locale and currency. */
export const money = (cents: number, locale: string, currency: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);

/** Format a day number as a short weekday + date. */
export const shortDate = (day: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(day * 86_400_000));
