// The kiosk's words, English and Simplified Chinese.

const en = {
  store: 'Larder Market',
  scanTitle: 'Scan your club card',
  scanHint: 'Hold your card under the scanner, or type the 13 digits below.',
  cardLabel: 'Card number',
  show: 'Show my list',
  clear: 'Clear',
  loading: (n: number) => (n ? `Loading store data… ${n.toLocaleString('en')} lines` : 'Starting…'),
  hello: (name?: string) => (name ? `Hello, ${name}!` : 'Hello!'),
  yourList: 'Your list for this shop',
  nothingDue: 'Nothing is due right now.',
  noConsent: 'You have not turned on personalised lists. Ask at the service desk or turn it on here.',
  done: 'Done',
  errors: {
    'wrong-length': 'A card number has 13 digits. Please scan again.',
    'bad-check-digit': 'That card number did not scan correctly. Please scan again.',
    'unknown-card': 'We do not know this card. Please ask at the service desk.',
    'unknown-member': 'We do not know this card. Please ask at the service desk.',
    'no-data': 'The store data is not loaded yet.',
    failed: 'Something went wrong. Please try again.',
  } as Record<string, string>,
  language: '中文',
};
type Strings = typeof en;
const zh: Strings = {
  store: 'Larder 超市',
  scanTitle: '请扫描您的会员卡',
  scanHint: '将会员卡放在扫描器下，或在下方输入 13 位卡号。',
  cardLabel: '卡号',
  show: '查看我的清单',
  clear: '清除',
  loading: (n: number) => (n ? `正在载入商店数据… ${n.toLocaleString('zh-CN')} 行` : '正在启动…'),
  hello: (name?: string) => (name ? `${name}，您好！` : '您好！'),
  yourList: '本次购物清单',
  nothingDue: '目前没有需要购买的商品。',
  noConsent: '您尚未开启个性化清单。请到服务台咨询，或在此开启。',
  done: '完成',
  errors: {
    'wrong-length': '会员卡号为 13 位数字，请重新扫描。',
    'bad-check-digit': '卡号扫描有误，请重新扫描。',
    'unknown-card': '无法识别此卡，请到服务台咨询。',
    'unknown-member': '无法识别此卡，请到服务台咨询。',
    'no-data': '商店数据尚未载入。',
    failed: '出现问题，请重试。',
  },
  language: 'English',
};

export type Locale = 'en' | 'zh-CN';
/** The strings for a locale. */
export const strings = (locale: Locale): Strings => (locale === 'zh-CN' ? zh : en);
