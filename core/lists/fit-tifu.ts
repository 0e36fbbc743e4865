// Stage 1 of the store's fit: TIFU-KNN tuned on the store's validation target (Hu et al., SIGIR 2020; published
// ranges). Larder's own weights start from the neighbourhood it chooses (core/lists/fit.ts).
import type { Holdout } from './fit.ts';
import { ndcgAt, recallAt } from './rank-metrics.ts';
import { nearestRows, tifuRows, topK, type SparseRows, type TifuParams } from './tifu.ts';

/** The TIFU-KNN authors' Ta-Feng setting, where the search starts. */
export const TIFU_START: TifuParams = { groupCount: 7, withinDecay: 0.9, groupDecay: 0.7, neighbours: 300, alpha: 0.7 };

/** The neighbourhood grid: vector settings by coordinate search, every k × α pair per setting (published ranges). */
export const TIFU_GRID = {
  groupCount: [3, 7, 14, 23],
  withinDecay: [0.5, 0.9, 1],
  groupDecay: [0.5, 0.7, 0.9],
  neighbours: [100, 300, 500, 700, 900, 1100, 1300],
  alpha: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
};

/** Tune TIFU-KNN on a holdout: coordinate search over the vector parameters (group count, r_b, r_g), each point scored
 * over the whole k × α grid from one nearest-neighbour pass of the sample. */
export function tuneTifu(holdout: Holdout, itemCount: number, sample: readonly number[], grid: typeof TIFU_GRID = TIFU_GRID, start: TifuParams = TIFU_START): { best: TifuParams; value: number; settings: number } {
  const cache = new Map<string, { params: TifuParams; value: number }>();
  const evalVector = (v: Pick<TifuParams, 'groupCount' | 'withinDecay' | 'groupDecay'>) => {
    const key = `${v.groupCount}|${v.withinDecay}|${v.groupDecay}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const rows = tifuRows(holdout.histories, itemCount, v);
    const kMax = Math.max(...grid.neighbours);
    const nbrs = nearestRows(rows, itemCount, kMax, sample);
    const res = kAlphaGrid(holdout, sample, rows, nbrs, kMax, itemCount, grid.neighbours, grid.alpha);
    const out = { params: { groupCount: v.groupCount, withinDecay: v.withinDecay, groupDecay: v.groupDecay, neighbours: res.k, alpha: res.alpha }, value: res.value };
    cache.set(key, out);
    return out;
  };
  let best = evalVector(start);
  for (const key of ['groupCount', 'withinDecay', 'groupDecay'] as const) {
    for (const value of grid[key]) {
      const r = evalVector({ ...best.params, [key]: value });
      if (r.value > best.value) best = r;
    }
  }
  return { best: best.params, value: best.value, settings: cache.size };
}

// Every (k, α) at once: neighbours are added nearest first, and at each k the top 10 of α·own + (1−α)·mean is taken
// over the member's own items plus the neighbour mean's top 10 (no other item can enter the top 10).
function kAlphaGrid(holdout: Holdout, sample: readonly number[], rows: SparseRows, nbrs: Int32Array, stride: number, itemCount: number, ks: readonly number[], alphas: readonly number[]): { k: number; alpha: number; value: number } {
  const sorted = [...ks].sort((a, b) => a - b);
  const sums = sorted.map(() => alphas.map(() => 0));
  const nb = new Float64Array(itemCount);
  const own = new Float64Array(itemCount);
  const score = new Float64Array(itemCount);
  const touched: number[] = [];
  const cand: number[] = [];
  for (let qi = 0; qi < sample.length; qi++) {
    const q = sample[qi]!;
    const target = new Set(holdout.targets[q]!);
    touched.length = 0;
    const ownItems: number[] = [];
    for (let e = rows.offsets[q]!; e < rows.offsets[q + 1]!; e++) {
      own[rows.items[e]!] = rows.values[e]!;
      ownItems.push(rows.items[e]!);
    }
    let added = 0;
    let used = 0;
    for (let ki = 0; ki < sorted.length; ki++) {
      const k = Math.min(sorted[ki]!, stride);
      for (; added < k; added++) {
        const r = nbrs[qi * stride + added]!;
        if (r < 0) continue;
        used++;
        for (let e = rows.offsets[r]!; e < rows.offsets[r + 1]!; e++) {
          const item = rows.items[e]!;
          if (nb[item] === 0) touched.push(item);
          nb[item]! += rows.values[e]!;
        }
      }
      const nbTop = topK(touched, touched.length, nb, 10);
      cand.length = 0;
      for (const i of ownItems) cand.push(i);
      for (const i of nbTop) if (own[i] === 0) cand.push(i);
      for (let ai = 0; ai < alphas.length; ai++) {
        const a = alphas[ai]!;
        for (const i of cand) score[i] = a * own[i]! + ((1 - a) * nb[i]!) / Math.max(1, used);
        const ranked = topK(cand, cand.length, score, 10);
        sums[ki]![ai]! += recallAt(ranked, target, 10) + ndcgAt(ranked, target, 10);
      }
    }
    for (const i of touched) nb[i] = 0;
    for (const i of ownItems) own[i] = 0;
    for (const i of cand) score[i] = 0;
  }
  let best = { k: sorted[0]!, alpha: alphas[0]!, value: -1 };
  for (let ki = 0; ki < sorted.length; ki++) {
    for (let ai = 0; ai < alphas.length; ai++) {
      const value = sample.length ? sums[ki]![ai]! / sample.length : 0;
      if (value > best.value) best = { k: sorted[ki]!, alpha: alphas[ai]!, value };
    }
  }
  return best;
}
