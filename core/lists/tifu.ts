// TIFU-KNN (Hu et al., "Modeling Personalized Item Frequency Information for Next-basket Recommendation", SIGIR
// 2020): group-decayed frequency vectors blended with the mean of the k nearest (Euclidean) users. The list scorer's
// member and neighbour terms are built from these; core/eval/baselines.ts holds the published settings.
import type { Trip } from '../types.ts';

/** TIFU-KNN's hyper-parameters. */
export interface TifuParams {
  /** Groups the history is cut into (the authors' `group_count`). */
  groupCount: number;
  /** r_b: decay of older baskets inside a group. */
  withinDecay: number;
  /** r_g: decay of older groups. */
  groupDecay: number;
  /** Nearest neighbours k. */
  neighbours: number;
  /** α: weight of the member's own vector against the neighbours' mean. */
  alpha: number;
}

/** Sparse rows, one per member: CSR offsets into item ids and values, with each row's squared norm. */
export interface SparseRows {
  offsets: Int32Array;
  items: Int32Array;
  values: Float32Array;
  norms2: Float64Array;
}

/** Top `k` of `scores` over `candidates` into `out` (descending score, ties by lower position in `tieOrder`, then id). */
export function topK(candidates: ArrayLike<number>, count: number, scores: Float64Array, k: number, tieOrder?: Float64Array): Int32Array {
  const n = Math.min(k, count);
  const out = new Int32Array(n);
  let filled = 0;
  for (let c = 0; c < count; c++) {
    const item = candidates[c]!;
    const s = scores[item]!;
    if (filled === n && !better(item, out[n - 1]!, s, scores, tieOrder)) continue;
    let pos = filled < n ? filled++ : n - 1;
    while (pos > 0 && better(item, out[pos - 1]!, s, scores, tieOrder)) {
      out[pos] = out[pos - 1]!;
      pos--;
    }
    out[pos] = item;
  }
  return out;
}

function better(a: number, b: number, sa: number, scores: Float64Array, tie?: Float64Array): boolean {
  const sb = scores[b]!;
  if (sa !== sb) return sa > sb;
  if (tie && tie[a] !== tie[b]) return tie[a]! > tie[b]!;
  return a < b;
}


/** Add a member's TIFU vector (paper eq. 1–2) into `acc` (dense, indexed by item), pushing new items to `touched`. */
export function tifuVector(trips: readonly Trip[], p: Pick<TifuParams, 'groupCount' | 'withinDecay' | 'groupDecay'>, acc: Float64Array, touched: number[]): void {
  const n = trips.length;
  if (n === 0) return;
  const g = Math.min(p.groupCount, n);
  const base = Math.floor(n / g);
  const extra = n - base * g;
  let start = 0;
  for (let i = 0; i < g; i++) {
    // The earlier groups take the extra baskets, as the authors' code does.
    const size = base + (i < extra ? 1 : 0);
    const groupWeight = Math.pow(p.groupDecay, g - 1 - i) / g;
    for (let j = 0; j < size; j++) {
      const w = (groupWeight * Math.pow(p.withinDecay, size - 1 - j)) / size;
      for (const item of trips[start + j]!.items) {
        if (acc[item] === 0) touched.push(item);
        acc[item]! += w;
      }
    }
    start += size;
  }
}

/** Every member's TIFU vector as sparse rows. */
export function tifuRows(histories: readonly (readonly Trip[])[], itemCount: number, p: Pick<TifuParams, 'groupCount' | 'withinDecay' | 'groupDecay'>): SparseRows {
  const acc = new Float64Array(itemCount);
  const touched: number[] = [];
  const offsets = new Int32Array(histories.length + 1);
  let items = new Int32Array(1 << 16);
  let values = new Float32Array(1 << 16);
  const norms2 = new Float64Array(histories.length);
  let at = 0;
  for (let m = 0; m < histories.length; m++) {
    touched.length = 0;
    tifuVector(histories[m]!, p, acc, touched);
    if (at + touched.length > items.length) {
      const size = Math.max(items.length * 2, at + touched.length);
      const ni = new Int32Array(size);
      ni.set(items);
      items = ni;
      const nv = new Float32Array(size);
      nv.set(values);
      values = nv;
    }
    touched.sort((a, b) => a - b);
    let norm = 0;
    for (const item of touched) {
      items[at] = item;
      values[at] = acc[item]!;
      norm += values[at]! * values[at]!;
      acc[item] = 0;
      at++;
    }
    norms2[m] = norm;
    offsets[m + 1] = at;
  }
  return { offsets, items: items.slice(0, at), values: values.slice(0, at), norms2 };
}

/** The k nearest rows (Euclidean) of each query row (default: every row), excluding itself: a queries × k Int32Array
 * sorted nearest first (−1 pads). Exact, through an item → rows inverted index for the dot products. */
export function nearestRows(rows: SparseRows, itemCount: number, k: number, queries?: ArrayLike<number>): Int32Array {
  const n = rows.norms2.length;
  const kk = Math.min(k, Math.max(0, n - 1));
  // Inverted index: item → (row, value).
  const df = new Int32Array(itemCount + 1);
  for (let i = 0; i < rows.items.length; i++) df[rows.items[i]! + 1]!++;
  for (let i = 0; i < itemCount; i++) df[i + 1]! += df[i]!;
  const postRow = new Int32Array(rows.items.length);
  const postVal = new Float32Array(rows.items.length);
  const fill = df.slice(0, itemCount);
  for (let r = 0; r < n; r++) {
    for (let e = rows.offsets[r]!; e < rows.offsets[r + 1]!; e++) {
      const at = fill[rows.items[e]!]!++;
      postRow[at] = r;
      postVal[at] = rows.values[e]!;
    }
  }
  const qn = queries ? queries.length : n;
  const out = new Int32Array(qn * k).fill(-1);
  const dot = new Float64Array(n);
  const dist = new Float64Array(n);
  const order = new Int32Array(n);
  for (let qi = 0; qi < qn; qi++) {
    const q = queries ? queries[qi]! : qi;
    for (let e = rows.offsets[q]!; e < rows.offsets[q + 1]!; e++) {
      const item = rows.items[e]!;
      const v = rows.values[e]!;
      for (let p = df[item]!; p < df[item + 1]!; p++) dot[postRow[p]!]! += v * postVal[p]!;
    }
    const nq = rows.norms2[q]!;
    for (let r = 0; r < n; r++) {
      dist[r] = nq + rows.norms2[r]! - 2 * dot[r]!;
      dot[r] = 0;
      order[r] = r;
    }
    dist[q] = Number.POSITIVE_INFINITY;
    if (kk === 0) continue;
    selectSmallest(order, dist, kk);
    const head = order.subarray(0, kk);
    head.sort((a, b) => dist[a]! - dist[b]! || a - b);
    out.set(head, qi * k);
  }
  return out;
}

// Quickselect: move the k smallest `dist` of `order` to its front (unordered).
function selectSmallest(order: Int32Array, dist: Float64Array, k: number): void {
  let lo = 0;
  let hi = order.length - 1;
  while (lo < hi) {
    const pivot = dist[order[(lo + hi) >> 1]!]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (dist[order[i]!]! < pivot) i++;
      while (dist[order[j]!]! > pivot) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** Add the mean of the first `k` neighbours' rows (of `nbrs`, row `q`, stride `stride`) times `weight` into `acc`. */
export function addNeighbourMean(rows: SparseRows, nbrs: Int32Array, q: number, stride: number, k: number, weight: number, acc: Float64Array, touched: number[]): void {
  if (weight <= 0) return; // a zero weight would leave items at 0 and break the touched bookkeeping
  let used = 0;
  for (let j = 0; j < k; j++) if (nbrs[q * stride + j]! >= 0) used++;
  if (used === 0) return;
  const w = weight / used;
  for (let j = 0; j < k; j++) {
    const r = nbrs[q * stride + j]!;
    if (r < 0) continue;
    for (let e = rows.offsets[r]!; e < rows.offsets[r + 1]!; e++) {
      const item = rows.items[e]!;
      if (acc[item] === 0) touched.push(item);
      acc[item]! += w * rows.values[e]!;
    }
  }
}

/** Add row `q` times `weight` into `acc`. */
export function addRow(rows: SparseRows, q: number, weight: number, acc: Float64Array, touched: number[]): void {
  if (weight <= 0) return;
  for (let e = rows.offsets[q]!; e < rows.offsets[q + 1]!; e++) {
    const item = rows.items[e]!;
    if (acc[item] === 0) touched.push(item);
    acc[item]! += weight * rows.values[e]!;
  }
}

/** TIFU-KNN's top-`limit` for every member: α·own + (1−α)·mean of k nearest, given precomputed rows and neighbours. */
export function tifuRecommend(rows: SparseRows, nbrs: Int32Array, stride: number, itemCount: number, p: Pick<TifuParams, 'neighbours' | 'alpha'>, limit = 20): Int32Array[] {
  const n = rows.norms2.length;
  const acc = new Float64Array(itemCount);
  const touched: number[] = [];
  const out: Int32Array[] = [];
  for (let q = 0; q < n; q++) {
    touched.length = 0;
    addRow(rows, q, p.alpha, acc, touched);
    addNeighbourMean(rows, nbrs, q, stride, Math.min(p.neighbours, stride), 1 - p.alpha, acc, touched);
    out.push(topK(touched, touched.length, acc, limit));
    for (const item of touched) acc[item] = 0;
  }
  return out;
}
