// Next-basket baselines as published: G-TopFreq and P-TopFreq (Li et al., "A Next Basket Recommendation Reality
// Check", TOIS 2023), and TIFU-KNN's published settings (Hu et al., SIGIR 2020; the method itself is core/lists/tifu.ts).
import type { Trip } from '../types.ts';
import { topK, type TifuParams } from '../lists/tifu.ts';

/** The authors' Ta-Feng setting (the Reality Check repository's TIFU-KNN config). */
export const TIFU_TAFENG: TifuParams = { groupCount: 7, withinDecay: 0.9, groupDecay: 0.7, neighbours: 300, alpha: 0.7 };

/** The published search ranges (as in the authors' and reproductions' grids): k 100..1300 step 200, r_b and r_g
 * 0.1..1 step 0.1, α 0..1 step 0.1, groups 2..23. */
export const TIFU_RANGES = {
  neighbours: [100, 300, 500, 700, 900, 1100, 1300],
  withinDecay: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  groupDecay: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  alpha: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  groupCount: [2, 3, 5, 7, 10, 14, 18, 23],
} as const;

/** G-TopFreq: the items in most baskets of all histories. */
export function globalTopFreq(histories: readonly (readonly Trip[])[], itemCount: number, k = 20): Int32Array {
  const counts = new Float64Array(itemCount);
  for (const trips of histories) for (const t of trips) for (const item of t.items) counts[item]!++;
  const all = new Int32Array(itemCount);
  for (let i = 0; i < itemCount; i++) all[i] = i;
  return topK(all, itemCount, counts, k);
}

/** P-TopFreq: the member's items by number of baskets, ties broken by the most recent purchase. */
export function personalTopFreq(trips: readonly Trip[], scratch: Float64Array, recency: Float64Array, k = 20): Int32Array {
  const touched: number[] = [];
  for (let t = 0; t < trips.length; t++) {
    for (const item of trips[t]!.items) {
      if (scratch[item] === 0) touched.push(item);
      scratch[item]!++;
      recency[item] = t + 1;
    }
  }
  const out = topK(touched, touched.length, scratch, k, recency);
  for (const item of touched) {
    scratch[item] = 0;
    recency[item] = 0;
  }
  return out;
}