// Money and dates for people, through Intl, shared by the widget and the kiosk.
import type { Day } from '../core/types.ts';

/** Format cents as money in the locale and currency. */
export const money = (cents: number, locale: string, currency = 'USD') =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);

/** Format a day number as a short weekday and date, e.g. "Tue, Nov 24". */
export const shortDate = (day: Day, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(day * 86_400_000));
