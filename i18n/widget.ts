// The widget's languages. English is in the bundle; Chinese is a chunk loaded the first time an element asks for it, so
// a retailer's page pays only for the language its shoppers read (the widget bundle counts against its 15 kB).
import type { Reason } from '../core/types.ts';
import type { Locale, ReasonTranslation, WidgetTranslation } from './translation.ts';
import { widget as enWidget } from './en/widget.ts';
import { reasons as enReasons } from './en/reasons.ts';
import { toLocale } from './locale.ts';
import { offerLabelIn, reasonTextIn, type ReasonTextOptions } from './reason-words.ts';

/** One language of the widget: its own words, and a list's reasons and offers in it. */
export interface WidgetLanguage {
  locale: Locale;
  t: WidgetTranslation;
  reason: (reason: Pick<Reason<string>, 'code' | 'params'>, opts?: ReasonTextOptions) => string;
  offer: (offer: { kind: string; value: number }, opts?: ReasonTextOptions) => string;
}

const language = (locale: Locale, t: WidgetTranslation, words: ReasonTranslation): WidgetLanguage => ({
  locale,
  t,
  reason: (r, opts) => reasonTextIn(words, r, locale, opts),
  offer: (o, opts) => offerLabelIn(words, o, locale, opts),
});

const loaded = new Map<Locale, WidgetLanguage>([['en', language('en', enWidget, enReasons)]]);
const loading = new Map<Locale, Promise<WidgetLanguage>>();

/** The language for a locale tag when it is here already (English always is); else undefined — {@link loadWidgetLanguage}. */
export const widgetLanguage = (tag: string): WidgetLanguage | undefined => loaded.get(toLocale(tag));

/** The language for a locale tag, fetched once for the page. A chunk that cannot be fetched (offline, a CDN fault) is
 * tried again at the next call; until then the caller may show English rather than nothing. */
export function loadWidgetLanguage(tag: string): Promise<WidgetLanguage> {
  const locale = toLocale(tag);
  const here = loaded.get(locale);
  if (here) return Promise.resolve(here);
  let job = loading.get(locale);
  if (!job) {
    job = import('./zh-cn/widget-language.ts').then(({ widget, reasons }) => {
      const lang = language(locale, widget, reasons);
      loaded.set(locale, lang);
      return lang;
    });
    job.catch(() => loading.delete(locale));
    loading.set(locale, job);
  }
  return job;
}
