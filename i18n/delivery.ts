// A list as headquarters delivers it (the e-mail and the printed letter of the fortnightly batch), in the member's
// language: the kiosk's words for the list (greeting, prices, reasons, offers, the slip's dates — the same calls as the
// kiosk's member-list screen) and a few words only a delivered list needs. Node only (headquarters), so both
// languages live in this one file.
import type { ShoppingList } from '../core/types.ts';
import { contentBody, contentTitle } from './content.ts';
import { money, shortDate, mediumDate } from './format.ts';
import { kioskStrings } from './kiosk.ts';
import { reasonText } from './reasons.ts';
import type { Locale } from './translation.ts';

/** The words only a delivered list has. */
export interface DeliveryWords {
  subject: (store: string, validUntil: string) => string;
  intro: string;
  noConsent: string;
  showCode: string;
  whyYou: string;
  unsubscribe: string;
  unsubscribed: string;
  unsubscribeConfirm: string;
  unsubscribeButton: string;
  member: (id: string) => string;
}

const WORDS: Readonly<Record<Locale, DeliveryWords>> = {
  en: {
    subject: (store, until) => `Your ${store} list, valid until ${until}`,
    intro: 'Here is your shopping list for the next two weeks.',
    noConsent: 'You have not turned on personal lists, so these are this fortnight\'s offers for everyone. Ask at the service desk to turn them on.',
    showCode: 'Show this code at the till for your offers.',
    whyYou: 'You receive this because you agreed to be contacted by the club.',
    unsubscribe: 'Stop these messages',
    unsubscribed: 'Done: the club will not send you lists by e-mail or letter any more.',
    unsubscribeConfirm: 'Stop receiving your list by e-mail and letter?',
    unsubscribeButton: 'Stop these messages',
    member: (id) => `Member ${id}`,
  },
  'zh-CN': {
    subject: (store, until) => `您的${store}购物清单（有效期至 ${until}）`,
    intro: '这是您未来两周的购物清单。',
    noConsent: '您尚未开启个性化清单，以下是本期面向所有会员的优惠。请到服务台开启。',
    showCode: '结账时出示此码即可享受优惠。',
    whyYou: '您收到此邮件，是因为您同意接收会员俱乐部的联系。',
    unsubscribe: '不再接收',
    unsubscribed: '已完成：会员俱乐部将不再通过电子邮件或信件向您发送清单。',
    unsubscribeConfirm: '不再通过电子邮件和信件接收您的清单？',
    unsubscribeButton: '不再接收',
    member: (id) => `会员 ${id}`,
  },
};

/** The delivery words of a locale. */
export const deliveryWords = (locale: Locale): DeliveryWords => WORDS[locale];

/** One line of a delivered list. */
export interface ItemWords {
  name: string;
  price: string;
  /** The shelf price struck through when an offer lowers it. */
  was?: string;
  /** "due now" / "due Tue, Dec 1", when the item is due. */
  due?: string;
  reason?: string;
  offer?: string;
}

/** A list in words, laid out as the kiosk's A4 print: what the e-mail and the letter show. */
export interface ListWords {
  locale: Locale;
  store: string;
  subject: string;
  hello: string;
  sub: string;
  intro: string;
  note?: string;
  dates: string;
  /** "valid until …" alone (the e-mail's header: it was not printed). */
  valid: string;
  items: ItemWords[];
  coupons: string[];
  rewards: { title: string; body: string }[];
  code: string;
  showCode: string;
  whyYou: string;
  unsubscribe: string;
}

/** A member's list in their language, as the kiosk words it (reasons and offers rendered from their codes). */
export function listWords(list: ShoppingList, member: { firstName?: string }, locale: Locale): ListWords {
  const t = kioskStrings(locale);
  const w = WORDS[locale];
  const today = list.issuedDay;
  const items = list.items.map((item): ItemWords => {
    const offered = item.priceCents < item.shelfPriceCents;
    // As the kiosk: a `due` reason says when in its sentence, and an offer's sentence is its offer line.
    const sameAsOffer = item.offer && item.offer.reason.code === item.reason.code;
    return {
      name: item.name,
      price: money(item.priceCents, locale),
      ...(offered ? { was: money(item.shelfPriceCents, locale) } : {}),
      ...(item.dueDay !== undefined && item.reason.code !== 'due' ? { due: item.dueDay <= today ? t.slip.dueNow : t.slip.due(shortDate(item.dueDay, locale)) } : {}),
      ...(sameAsOffer ? {} : { reason: reasonText(item.reason, locale) }),
      ...(item.offer ? { offer: reasonText(item.offer.reason, locale) } : {}),
    };
  });
  const note = !list.personalised ? (list.basis === 'below-threshold' ? t.errors['not-eligible'] : w.noConsent)
    : items.length === 0 ? t.nothingDue : undefined;
  return {
    locale,
    store: t.store,
    subject: w.subject(t.store, mediumDate(list.validUntilDay, locale)),
    hello: t.hello(member.firstName),
    sub: t.yourList,
    intro: w.intro,
    ...(note ? { note } : {}),
    dates: `${t.slip.printed(shortDate(list.issuedDay, locale))} · ${t.slip.validUntil(shortDate(list.validUntilDay, locale))}`,
    valid: t.slip.validUntil(shortDate(list.validUntilDay, locale)),
    items,
    coupons: list.coupons.map((c) => `${money(c.valueCents, locale)} · ${reasonText(c.reason, locale)}`),
    rewards: list.rewards.map((r) => ({ title: contentTitle(r, locale), body: contentBody(r, locale) })),
    code: list.code,
    showCode: w.showCode,
    whyYou: w.whyYou,
    unsubscribe: w.unsubscribe,
  };
}
