// Simplified Chinese: every surface's words, typed by one `Translation`, so a key English has and Chinese lacks fails the build.
import type { Translation } from './translation.ts';
import { kiosk } from './zh-cn/kiosk.ts';
import { widget } from './zh-cn/widget.ts';
import { reasons } from './zh-cn/reasons.ts';
import { rows } from './zh-cn/rows.ts';

/** Larder in Simplified Chinese. */
export const zhCN: Translation = { locale: 'zh-CN', kiosk, widget, reasons, rows };
