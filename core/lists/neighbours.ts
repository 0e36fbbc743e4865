// The scorer's neighbour term (TIFU-KNN's user-KNN part, Hu et al. SIGIR 2020): one vector per member, the mean of
// their nearest members' decayed-frequency vectors. Headquarters computes it and ships only the sum in the member's
// pack (DESIGN.md "Who holds what"), so a device never sees a neighbour's history.
import type { Trip } from '../types.ts';
import { addRow, nearestRows, tifuRows, topK, type SparseRows, type TifuParams } from './tifu.ts';

/** Fewest members any statistic a device receives may come from (DESIGN.md: k = 10). */
export const K_ANONYMITY = 10;

/** Items of a member's neighbour mean kept besides the member's own (the rest cannot reach a list). */
export const NEIGHBOUR_ITEMS = 200;

/** One member's neighbour term: sparse item ids and values (the mean over `neighbours` members). */
export interface NeighbourVector {
  items: Int32Array;
  values: Float32Array;
  /** Members the mean was taken over (0 when the store had too few). */
  neighbours: number;
}

/** The vector with its items moved by `map` as {@link remapHistory} moves a history's products (gone items dropped). */
export function remapNeighbour(n: NeighbourVector, map: Int32Array): NeighbourVector {
  const to = (i: number) => (i < map.length ? map[i]! : -1);
  const kept = Array.from(n.items.keys()).filter((e) => to(n.items[e]!) >= 0);
  return { items: Int32Array.from(kept, (e) => to(n.items[e]!)), values: Float32Array.from(kept, (e) => n.values[e]!), neighbours: n.neighbours };
}

/** The neighbour vectors of `queries` (default: every member) over the members' decayed-frequency rows: the mean of
 * each query's `k` nearest rows (Euclidean, itself excluded), exact on the query's own items plus the top others. */
export function neighbourRows(rows: SparseRows, itemCount: number, k: number, queries?: readonly number[]): SparseRows {
  const n = rows.norms2.length;
  const qs = queries ?? Array.from({ length: n }, (_, i) => i);
  const nbrs = nearestRows(rows, itemCount, k, qs);
  const acc = new Float64Array(itemCount);
  const touched: number[] = [];
  const rowItems: Int32Array[] = new Array(n);
  const rowValues: Float32Array[] = new Array(n);
  for (let qi = 0; qi < qs.length; qi++) {
    const q = qs[qi]!;
    touched.length = 0;
    let used = 0;
    for (let j = 0; j < k; j++) if (nbrs[qi * k + j]! >= 0) used++;
    for (let j = 0; j < k && used > 0; j++) {
      const r = nbrs[qi * k + j]!;
      if (r >= 0) addRow(rows, r, 1 / used, acc, touched);
    }
    const keep: number[] = [];
    for (let e = rows.offsets[q]!; e < rows.offsets[q + 1]!; e++) {
      const i = rows.items[e]!;
      if (acc[i]! > 0) {
        keep.push(i);
        acc[i] = -acc[i]!; // mark as kept
      }
    }
    const others = touched.filter((i) => acc[i]! > 0);
    for (const i of topK(others, others.length, acc, NEIGHBOUR_ITEMS)) keep.push(i);
    rowItems[q] = Int32Array.from(keep);
    rowValues[q] = Float32Array.from(keep, (i) => Math.abs(acc[i]!));
    for (const j of touched) acc[j] = 0;
  }
  const offsets = new Int32Array(n + 1);
  for (let q = 0; q < n; q++) offsets[q + 1] = offsets[q]! + (rowItems[q]?.length ?? 0);
  const items = new Int32Array(offsets[n]!);
  const values = new Float32Array(offsets[n]!);
  for (let q = 0; q < n; q++) {
    if (!rowItems[q]) continue;
    items.set(rowItems[q]!, offsets[q]!);
    values.set(rowValues[q]!, offsets[q]!);
  }
  return { offsets, items, values, norms2: new Float64Array(n) };
}

/** Headquarters' neighbour vectors for member packs: each the mean over at least K_ANONYMITY nearest members (more
 * when the fitted `neighbours` says so); a store with fewer than K_ANONYMITY + 1 members gets empty vectors. */
export function neighbourVectors(
  histories: readonly (readonly Trip[])[],
  options: { itemCount: number; params: Pick<TifuParams, 'groupCount' | 'withinDecay' | 'groupDecay' | 'neighbours'>; queries?: readonly number[] },
): NeighbourVector[] {
  const queries = options.queries ?? Array.from({ length: histories.length }, (_, i) => i);
  const k = Math.max(K_ANONYMITY, options.params.neighbours);
  if (histories.length - 1 < K_ANONYMITY) return queries.map(() => ({ items: new Int32Array(0), values: new Float32Array(0), neighbours: 0 }));
  const rows = tifuRows(histories, options.itemCount, options.params);
  const means = neighbourRows(rows, options.itemCount, k, queries);
  const used = Math.min(k, histories.length - 1);
  return queries.map((q) => {
    const from = means.offsets[q]!;
    const to = means.offsets[q + 1]!;
    return { items: means.items.slice(from, to), values: means.values.slice(from, to), neighbours: used };
  });
}
