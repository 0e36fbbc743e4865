// First, simple "due items" scorer: personal item frequency weighted by how due the item is from its mean interval.
import type { Day, ScoredItem, Trip } from './types.ts';

/** Score the items a member bought before: frequency × closeness of today to (last purchase + mean interval). */
export function dueItems(trips: readonly Trip[], asOfDay: Day, limit = 20): ScoredItem[] {
  const days = new Map<number, number[]>();
  for (const t of trips) {
    if (t.day > asOfDay) continue;
    for (const item of t.items) {
      const list = days.get(item);
      if (list) list.push(t.day);
      else days.set(item, [t.day]);
    }
  }
  const out: ScoredItem[] = [];
  const tripCount = Math.max(1, trips.length);
  for (const [item, seen] of days) {
    const last = seen[seen.length - 1]!;
    const count = seen.length;
    if (count < 2) {
      out.push({ item, score: (0.2 * count) / tripCount, kind: 'repeat', confidence: 0.1, lastDay: last, count });
      continue;
    }
    const interval = (last - seen[0]!) / (count - 1);
    const dueDay = Math.round(last + interval);
    // 1 when due today, falling off as today moves away from the due day (in units of the interval).
    const closeness = Math.exp(-Math.abs(asOfDay - dueDay) / Math.max(1, interval));
    out.push({ item, score: (count / tripCount) * (0.3 + closeness), kind: 'repeat', dueDay, confidence: Math.min(1, count / 8), intervalDays: interval, lastDay: last, count });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}
