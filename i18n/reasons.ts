// A reason or an offer in words, in either language (the kiosk and the CLI hold both; the widget loads only the
// shopper's, through i18n/widget.ts).
import type { Reason } from '../core/types.ts';
import type { Locale } from './translation.ts';
import { reasons as en } from './en/reasons.ts';
import { reasons as zh } from './zh-cn/reasons.ts';
import { offerLabelIn, reasonTextIn, type ReasonTextOptions } from './reason-words.ts';

export type { ReasonTextOptions } from './reason-words.ts';

const wordsOf = (locale: Locale) => (locale === 'zh-CN' ? zh : en);

/** An offer in a few words in a locale ("20% off", "立减20%"), for a pill or a printed offer line. */
export const offerLabel = (offer: { kind: string; value: number }, locale: Locale = 'en', opts: ReasonTextOptions = {}): string =>
  offerLabelIn(wordsOf(locale), offer, locale, opts);

/** The words of a list's reason in a locale; a code this build does not know shows as itself (never English in Chinese). */
export const reasonText = (reason: Pick<Reason<string>, 'code' | 'params'>, locale: Locale = 'en', opts: ReasonTextOptions = {}): string =>
  reasonTextIn(wordsOf(locale), reason, locale, opts);
