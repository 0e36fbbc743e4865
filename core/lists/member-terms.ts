// What the list scorers (next-basket.ts, and its calibrated form, calibrated.ts) read off one member's own history:
// each item's recency-weighted purchase intervals, the member's typical gap between trips and their repeat odds.
import type { Trip } from '../types.ts';
import type { StoreModel } from './store-model.ts';
import type { NeighbourVector } from './neighbours.ts';

/** Gaps between trips averaged for the member's own horizon (`horizon: 0`). */
const OWN_GAP_TRIPS = 10;
/** Pseudo-items of the store's repeat share a member's own share is shrunk with. */
const REPEAT_PSEUDO = 10;

/** Per-item interval sums, dense by item (zero outside the member's items). */
export interface IntervalScratch {
  last: Float64Array;
  newer: Float64Array;
  sumW: Float64Array;
  sumWY: Float64Array;
  w: Float64Array;
  count: Int32Array;
}

/** Dense interval sums for `itemCount` items. */
export function intervalScratch(itemCount: number): IntervalScratch {
  return { last: new Float64Array(itemCount), newer: new Float64Array(itemCount), sumW: new Float64Array(itemCount), sumWY: new Float64Array(itemCount), w: new Float64Array(itemCount), count: new Int32Array(itemCount) };
}

/** Each item's intervals, newest first, recency-weighted (core/cycles.ts dueDay, vectorised over items): its last
 * day, its distinct purchase days (`count`) and the weighted sums of the log intervals the posterior reads. */
export function accumulateIntervals(history: readonly Trip[], recency: number, s: IntervalScratch): void {
  const { last, newer, sumW, sumWY, w, count } = s;
  for (let t = history.length - 1; t >= 0; t--) {
    const day = history[t]!.day;
    for (const item of history[t]!.items) {
      if (count[item] === 0) {
        count[item] = 1;
        last[item] = day;
        newer[item] = day;
        w[item] = 1;
        continue;
      }
      if (day >= newer[item]!) continue;
      const y = Math.log(Math.max(1, newer[item]! - day));
      sumW[item]! += w[item]!;
      sumWY[item]! += w[item]! * y;
      w[item]! *= recency;
      newer[item] = day;
      count[item]!++;
    }
  }
}

/** Zero the sums of `items` again. */
export function clearIntervals(s: IntervalScratch, items: readonly number[]): void {
  for (const item of items) {
    s.last[item] = 0;
    s.newer[item] = 0;
    s.sumW[item] = 0;
    s.sumWY[item] = 0;
    s.w[item] = 0;
    s.count[item] = 0;
  }
}

/** Where the member's neighbour term comes from: the model's member index, or the member pack's vector. */
export interface NeighbourSource {
  member?: number;
  neighbour?: Pick<NeighbourVector, 'items' | 'values'>;
}

/** Visit the member's neighbour term: their row of the model's member index, else their pack's vector. Whether there
 * was one (an index row, or a pack vector with items). */
export function eachNeighbour(model: StoreModel, source: NeighbourSource, visit: (item: number, value: number) => void): boolean {
  const nb = model.memberNbr;
  const m = source.member;
  if (m !== undefined && m >= 0 && m < nb.offsets.length - 1) {
    for (let e = nb.offsets[m]!; e < nb.offsets[m + 1]!; e++) visit(nb.items[e]!, nb.values[e]!);
    return true;
  }
  const v = source.neighbour;
  if (!v || v.items.length === 0) return false;
  for (let e = 0; e < v.items.length; e++) visit(v.items[e]!, v.values[e]!);
  return true;
}

export const clampShare = (x: number): number => Math.min(0.99, Math.max(0.01, x));

/** A member's share of items bought again (items of their trips after the first that they had bought before),
 * shrunk toward the store's share with REPEAT_PSEUDO pseudo-items; `distinct` is their number of distinct items. */
export function memberRepeatShare(history: readonly Trip[], distinct: number, storeShare: number): number {
  if (history.length < 2) return clampShare(storeShare);
  let total = 0;
  for (const t of history) total += t.items.length;
  const chances = total - history[0]!.items.length;
  return clampShare((total - distinct + REPEAT_PSEUDO * storeShare) / (chances + REPEAT_PSEUDO));
}

/** The member's typical gap between trips, in the data's unit: the mean of their last OWN_GAP_TRIPS gaps (≥ 1). */
export function ownGap(history: readonly Trip[]): number {
  const n = history.length;
  if (n < 2) return 1;
  const from = Math.max(0, n - 1 - OWN_GAP_TRIPS);
  return Math.max(1, (history[n - 1]!.day - history[from]!.day) / (n - 1 - from));
}
