// A reason (code and parameters, as core emits it) in words of one language given, with the due day, dates and money
// formatted by Intl. Imports no language itself: i18n/reasons.ts gives it both (kiosk, CLI); the widget the one it loaded.
import type { Day, Reason } from '../core/types.ts';
import type { Locale, ReasonFormat, ReasonTranslation } from './translation.ts';
import { dayMonth, money, weekday } from './format.ts';

/** Options of {@link reasonTextIn}. */
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

/** An offer in a few words of `words` ("20% off", "立减20%"), for a pill or a printed offer line. */
export function offerLabelIn(words: ReasonTranslation, offer: { kind: string; value: number }, locale: Locale, opts: ReasonTextOptions = {}): string {
  const currency = opts.currency ?? 'USD';
  return words.offer({ kind: offer.kind, value: offer.value }, formatter(locale, words, currency));
}

/** A list's reason in `words` (the language of `locale`); a code this build does not know shows as itself (never English in Chinese). */
export function reasonTextIn(words: ReasonTranslation, reason: Pick<Reason<string>, 'code' | 'params'>, locale: Locale, opts: ReasonTextOptions = {}): string {
  const template = Object.hasOwn(words.templates, reason.code) ? words.templates[reason.code as keyof typeof words.templates] : undefined;
  if (!template) return reason.code;
  const currency = opts.currency ?? 'USD';
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = formatter(locale, words, currency)));
  return template(reason.params, f);
}
