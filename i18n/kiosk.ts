// The kiosk's words for a locale; only the kiosk's part of each language is loaded.
import type { KioskTranslation, Locale } from './translation.ts';
import { kiosk as en } from './en/kiosk.ts';
import { kiosk as zh } from './zh-cn/kiosk.ts';

/** The kiosk's words in a locale. */
export const kioskStrings = (locale: Locale): KioskTranslation => (locale === 'zh-CN' ? zh : en);
