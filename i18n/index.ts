// The one translation layer: pick a language, render a reason or a row error, format money and dates. Surfaces that
// count their bytes (the widget, the kiosk's first screen) import the part they need (./widget.ts, ./kiosk.ts).
import type { Locale, Translation } from './translation.ts';
import { en } from './en.ts';
import { zhCN } from './zh-cn.ts';

export type * from './translation.ts';
export { lookup } from './translation.ts';
export { toLocale } from './locale.ts';
export { offerLabel, reasonText, type ReasonTextOptions } from './reasons.ts';
export { describeRowError, rowErrorText } from './rows.ts';
export { contentBody, contentTitle } from './content.ts';
export { kioskStrings } from './kiosk.ts';
export { loadWidgetLanguage, widgetLanguage, type WidgetLanguage } from './widget.ts';
export * from './format.ts';

/** Every language, by locale. */
export const TRANSLATIONS: Readonly<Record<Locale, Translation>> = { en, 'zh-CN': zhCN };

/** Everything a locale says. */
export const translation = (locale: Locale): Translation => TRANSLATIONS[locale];
