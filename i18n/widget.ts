// The widget's words for a locale tag; only the widget's part of each language is loaded (it counts in the retailer's page).
import type { WidgetTranslation } from './translation.ts';
import { widget as en } from './en/widget.ts';
import { widget as zh } from './zh-cn/widget.ts';
import { toLocale } from './locale.ts';

/** The widget's words for a locale tag (English unless it is Chinese). */
export const widgetStrings = (tag: string): WidgetTranslation => (toLocale(tag) === 'zh-CN' ? zh : en);
