// Money, dates and numbers for people, through Intl, once for every surface (kiosk, widget, CLI, reasons).
import type { Day } from '../core/types.ts';

const MS_PER_DAY = 86_400_000;
const dateOf = (day: Day) => new Date(day * MS_PER_DAY);

// Intl constructors are slow and a list renders dozens of prices: one formatter per locale and options.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}
/** A formatter of `options` in `locale`; store days in UTC (a `Day` is a UTC date), unless `timeZone` says another
 * (undefined: the device's own, for a time of day). */
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions, timeZone: string | undefined = 'UTC'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, timeZone === undefined ? options : { ...options, timeZone })));
  return f;
}

/** Format cents as money in the locale and currency. */
export const money = (cents: number, locale: string, currency = 'USD') =>
  numberFormat(locale, { style: 'currency', currency }).format(cents / 100);

/** Format cents as whole money units, e.g. "$1,235" (the manager's totals). */
export const wholeMoney = (cents: number, locale: string, currency = 'USD') =>
  numberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(cents / 100);

/** Format a day number as a short weekday and date, e.g. "Tue, Nov 24". */
export const shortDate = (day: Day, locale: string) =>
  dateFormat(locale, { weekday: 'short', month: 'short', day: 'numeric' }).format(dateOf(day));

/** Format a day number as a medium date, e.g. "Nov 24, 2026". */
export const mediumDate = (day: Day, locale: string) =>
  dateFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(dateOf(day));

/** Format a day number as day and month, e.g. "December 13" / "12月13日". */
export const dayMonth = (day: Day, locale: string) => dateFormat(locale, { day: 'numeric', month: 'long' }).format(dateOf(day));

/** Format a day number as its weekday, e.g. "Thursday" / "星期四". */
export const weekday = (day: Day, locale: string) => dateFormat(locale, { weekday: 'long' }).format(dateOf(day));

/** Format a share (0..1) as a percent with at most one decimal. */
export const percent = (share: number, locale: string) => numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);

/** Format a count with the locale's grouping, e.g. "12,345". */
export const count = (n: number, locale: string) => numberFormat(locale, {}).format(n);

/** Format bytes as MB or GB. */
export function bytes(n: number, locale: string): string {
  const gb = n >= 1e9;
  return numberFormat(locale, { style: 'unit', unit: gb ? 'gigabyte' : 'megabyte', maximumFractionDigits: 1 }).format(n / (gb ? 1e9 : 1e6));
}

/** Percentage points of a share difference, unsigned: one decimal, two below one point so a bound near zero never reads 0.0. */
export const pointsText = (v: number) => Math.abs(v * 100).toFixed(v !== 0 && Math.abs(v * 100) < 1 ? 2 : 1);

/** A time of day on this device's clock (its own time zone), hours and minutes: when the kiosk syncs next. */
export const clockTime = (ms: number, locale: string) => dateFormat(locale, { hour: '2-digit', minute: '2-digit' }, undefined).format(new Date(ms));
