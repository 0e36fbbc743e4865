// Day numbers inside, ISO strings at the edges.
import type { Day } from './types.ts';

const MS_PER_DAY = 86_400_000;

/** Day number of a `yyyy-mm-dd` (or ISO date-time) string, or undefined when it is not a real date. */
export function parseDay(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return undefined;
  return Math.floor(ms / MS_PER_DAY);
}

/** Minute of the day of an ISO date-time (local wall time as written), or undefined for a plain date. */
export function parseMinute(text: string): number | undefined {
  const m = /[T ](\d{2}):(\d{2})/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** `yyyy-mm-dd` of a day number. */
export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number, 0 = Monday … 6 = Sunday. */
export function weekday(day: Day): number {
  return (day + 3) % 7; // 1970-01-01 was a Thursday
}
