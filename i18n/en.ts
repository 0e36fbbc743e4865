// English: every surface's words, typed by one `Translation`.
import type { Translation } from './translation.ts';
import { kiosk } from './en/kiosk.ts';
import { widget } from './en/widget.ts';
import { reasons } from './en/reasons.ts';
import { rows } from './en/rows.ts';

/** Larder in English. */
export const en: Translation = { locale: 'en', kiosk, widget, reasons, rows };
