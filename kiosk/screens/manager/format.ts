// Number and date formats of the manager screen's panels.
import type { Day } from '../../../core/types.ts';

/** A share as a percent with at most one decimal. */
export const percent = (share: number, locale: string) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
/** A day as a medium date. */
export const dayDate = (day: Day, locale: string) =>
  new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(day * 86_400_000));
/** Whole dollars. */
export const dollars = (cents: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(cents / 100);
/** Bytes as MB or GB. */
export function bytes(n: number, locale: string): string {
  const gb = n >= 1e9;
  return new Intl.NumberFormat(locale, { style: 'unit', unit: gb ? 'gigabyte' : 'megabyte', maximumFractionDigits: 1 }).format(n / (gb ? 1e9 : 1e6));
}
/** A category path for people: "dairy/milk" → "Dairy › milk". */
export const categoryName = (path: string) => {
  const text = path.split('/').join(' › ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};
