// Which of Larder's languages a locale tag asks for.
import type { Locale } from './translation.ts';

/** The Larder locale for a tag: Simplified Chinese for any `zh…` tag, English otherwise. */
export const toLocale = (tag: string): Locale => (tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
