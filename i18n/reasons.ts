// A reason (code and parameters, as core emits it) in words, with the due day, dates and money formatted by Intl.
import type { Day, Reason } from '../core/types.ts';
import type { Locale, ReasonFormat, ReasonTranslation } from './translation.ts';
import { reasons as en } from './en/reasons.ts';
import { reasons as zh } from './zh-cn/reasons.ts';
import { dayMonth, money, weekday } from './format.ts';

/** Options of {@link reasonText}. */
export interface ReasonTextOptions {
  /** ISO 4217 currency of money params (default USD). */
  currency?: string;
}

function formatter(locale: Locale, words: ReasonTranslation, currency: string): ReasonFormat {
  return {
    day: (d: Day, asOf: Day) => {
      if (asOf >= 0 && d <= asOf) return words.dueNow;
      if (asOf >= 0 && d - asOf < 7) return weekday(d, locale);
      return words.dueOn(dayMonth(d, locale));
    },
    date: (d) => dayMonth(d, locale),
    money: (c) => money(c, locale, currency),
    pct: (v) => `${Math.round(v)}%`,
  };
}

const formatters = new Map<string, ReasonFormat>();

/** An offer in a few words in a locale ("20% off", "立减20%"), for a pill or a printed offer line. */
export function offerLabel(offer: { kind: string; value: number }, locale: Locale = 'en', opts: ReasonTextOptions = {}): string {
  const words = locale === 'zh-CN' ? zh : en;
  const currency = opts.currency ?? 'USD';
  return words.offer({ kind: offer.kind, value: offer.value }, formatter(locale, words, currency));
}

/** The words of a list's reason in a locale; a code this build does not know shows as itself (never English in Chinese). */
export function reasonText(reason: Pick<Reason<string>, 'code' | 'params'>, locale: Locale = 'en', opts: ReasonTextOptions = {}): string {
  const words = locale === 'zh-CN' ? zh : en;
  const template = Object.hasOwn(words.templates, reason.code) ? words.templates[reason.code as keyof typeof words.templates] : undefined;
  if (!template) return reason.code;
  const currency = opts.currency ?? 'USD';
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = formatter(locale, words, currency)));
  return template(reason.params, f);
}
