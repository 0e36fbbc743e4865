// Content from headquarters (recipes, tips, services) in the shopper's language: the Chinese when the feed sent it,
// otherwise the original, shown as it is rather than guessed at.
import type { Locale } from './translation.ts';

/** A reward's or content's title in a locale. */
export const contentTitle = (c: { title: string; titleZh?: string }, locale: Locale): string => (locale === 'zh-CN' && c.titleZh) || c.title;

/** A reward's or content's body in a locale. */
export const contentBody = (c: { body: string; bodyZh?: string }, locale: Locale): string => (locale === 'zh-CN' && c.bodyZh) || c.body;
