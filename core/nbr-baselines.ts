// Next-basket baselines, implemented from their papers: G-TopFreq and P-TopFreq (as in Li et al., "A Next Basket
// Recommendation Reality Check", TOIS 2023) and TIFU-KNN (Hu et al., KDD 2020: temporal-item-frequency vectors with
// within-group and group decay, blended with the mean of the k nearest neighbours' vectors).
import type { Trip } from './types.ts';

/** A sparse vector over items: parallel arrays, items ascending. */
export interface SparseVector {
  items: Int32Array;
  values: Float64Array;
  /** Squared Euclidean norm. */
  norm2: number;
}

/** TIFU-KNN hyper-parameters. The paper searches group count 1..20 (Ta-Feng best 7), r_b and r_g in 0.1..1,
 * α in 0..1, k in 100..1000 (step 100). */
export interface TifuParams {
  groups: number;
  withinDecay: number;
  groupDecay: number;
  alpha: number;
  neighbours: number;
}

/** The TIFU-KNN authors' Ta-Feng settings. */
export const TIFU_TAFENG: TifuParams = { groups: 7, withinDecay: 0.9, groupDecay: 0.7, alpha: 0.7, neighbours: 300 };

/** Items ranked by how many baskets they are in across all histories (G-TopFreq). */
export function globalTopFreq(histories: readonly (readonly Trip[])[], itemCount: number): Int32Array {
  const counts = new Float64Array(itemCount);
  for (const h of histories) for (const t of h) for (const i of t.items) counts[i]!++;
  return Int32Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || a - b);
}

/** The member's items by how many of their baskets contain them, ties broken by recency (P-TopFreq). */
export function personalTopFreq(trips: readonly Trip[], k: number): number[] {
  const count = new Map<number, number>();
  const last = new Map<number, number>();
  trips.forEach((t, pos) => {
    for (const i of t.items) {
      count.set(i, (count.get(i) ?? 0) + 1);
      last.set(i, pos);
    }
  });
  return [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || last.get(b)! - last.get(a)!).slice(0, k);
}

/** Split a history into `groups` consecutive groups of near-equal size, as the authors' code does. */
function grouped(trips: readonly Trip[], groups: number): (readonly Trip[])[] {
  if (trips.length <= groups) return trips.map((t) => [t]);
  const out: (readonly Trip[])[] = [];
  const base = Math.floor(trips.length / groups);
  const extra = trips.length - base * groups; // the last `extra` groups take one more basket
  let at = 0;
  for (let g = 0; g < groups; g++) {
    const size = base + (g >= groups - extra ? 1 : 0);
    out.push(trips.slice(at, at + size));
    at += size;
  }
  return out;
}

/** The member's TIFU vector: group vectors (within-group decay, averaged) summed with group decay. */
export function tifuVector(trips: readonly Trip[], p: Pick<TifuParams, 'groups' | 'withinDecay' | 'groupDecay'>): SparseVector {
  const acc = new Map<number, number>();
  const groups = grouped(trips, p.groups);
  groups.forEach((group, g) => {
    const gw = p.groupDecay ** (groups.length - 1 - g) / group.length;
    group.forEach((t, j) => {
      const w = gw * p.withinDecay ** (group.length - 1 - j);
      for (const i of t.items) acc.set(i, (acc.get(i) ?? 0) + w);
    });
  });
  return toSparse(acc);
}

/** A sparse vector from a map. */
export function toSparse(acc: Map<number, number>): SparseVector {
  const items = Int32Array.from(acc.keys()).sort();
  const values = Float64Array.from(items, (i) => acc.get(i)!);
  let norm2 = 0;
  for (const v of values) norm2 += v * v;
  return { items, values, norm2 };
}

/** Vectors of many members with an inverted index, for exact nearest-neighbour search by Euclidean distance. */
export interface VectorIndex {
  vectors: SparseVector[];
  /** Per item: members having it and their value. */
  postings: { members: Int32Array; values: Float64Array }[];
  /** Members by norm ascending: the nearest among those sharing no item with the query. */
  byNorm: Int32Array;
}

/** Build the index over member vectors. */
export function indexVectors(vectors: SparseVector[], itemCount: number): VectorIndex {
  const lengths = new Int32Array(itemCount);
  for (const v of vectors) for (const i of v.items) lengths[i]!++;
  const postings = Array.from(lengths, (n) => ({ members: new Int32Array(n), values: new Float64Array(n) }));
  const fill = new Int32Array(itemCount);
  vectors.forEach((v, m) => {
    for (let k = 0; k < v.items.length; k++) {
      const i = v.items[k]!;
      postings[i]!.members[fill[i]!] = m;
      postings[i]!.values[fill[i]!++] = v.values[k]!;
    }
  });
  const byNorm = Int32Array.from(vectors.keys()).sort((a, b) => vectors[a]!.norm2 - vectors[b]!.norm2);
  return { vectors, postings, byNorm };
}

/** The k members nearest to `query` (Euclidean), excluding `self`. Exact: ‖q−v‖² = ‖q‖² + ‖v‖² − 2 q·v. */
export function nearest(index: VectorIndex, query: SparseVector, k: number, self = -1, scratch?: Float64Array): number[] {
  const dot = scratch ?? new Float64Array(index.vectors.length);
  const touched: number[] = [];
  for (let a = 0; a < query.items.length; a++) {
    const post = index.postings[query.items[a]!];
    if (!post) continue;
    const qv = query.values[a]!;
    for (let b = 0; b < post.members.length; b++) {
      const m = post.members[b]!;
      if (dot[m] === 0) touched.push(m);
      dot[m]! += qv * post.values[b]!;
    }
  }
  // Keep the k best in a max-heap on distance (ties: larger member id is "worse"), O(n log k) instead of a sort.
  const heapM = new Int32Array(k), heapD = new Float64Array(k);
  let size = 0;
  const worse = (a: number, b: number) => heapD[a]! > heapD[b]! || (heapD[a] === heapD[b] && heapM[a]! > heapM[b]!);
  const offer = (m: number, d: number) => {
    if (size < k) {
      let c = size++;
      heapM[c] = m; heapD[c] = d;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!worse(c, parent)) break;
        [heapM[c], heapM[parent]] = [heapM[parent]!, heapM[c]!];
        [heapD[c], heapD[parent]] = [heapD[parent]!, heapD[c]!];
        c = parent;
      }
      return;
    }
    if (d > heapD[0]! || (d === heapD[0] && m > heapM[0]!)) return;
    heapM[0] = m; heapD[0] = d;
    for (let c = 0; ;) {
      const l = 2 * c + 1, r = l + 1;
      let w = c;
      if (l < size && worse(l, w)) w = l;
      if (r < size && worse(r, w)) w = r;
      if (w === c) break;
      [heapM[c], heapM[w]] = [heapM[w]!, heapM[c]!];
      [heapD[c], heapD[w]] = [heapD[w]!, heapD[c]!];
      c = w;
    }
  };
  if (k > 0) {
    for (const m of touched) if (m !== self) offer(m, index.vectors[m]!.norm2 - 2 * dot[m]!);
    // Members sharing nothing are at ‖v‖² (+‖q‖²): only the smallest norms can still be among the k nearest.
    let taken = 0;
    for (let r = 0; r < index.byNorm.length && taken < k; r++) {
      const m = index.byNorm[r]!;
      if (m === self || dot[m] !== 0) continue;
      offer(m, index.vectors[m]!.norm2);
      taken++;
    }
  }
  for (const m of touched) dot[m] = 0;
  const out = Array.from({ length: size }, (_, i) => i).sort((a, b) => heapD[a]! - heapD[b]! || heapM[a]! - heapM[b]!);
  return out.map((i) => heapM[i]!);
}

/** TIFU-KNN scores: α · own vector + (1 − α) · mean of the neighbours' vectors. */
export function tifuScores(own: SparseVector, index: VectorIndex, neighbours: readonly number[], alpha: number): Map<number, number> {
  const scores = new Map<number, number>();
  for (let a = 0; a < own.items.length; a++) scores.set(own.items[a]!, alpha * own.values[a]!);
  const w = neighbours.length ? (1 - alpha) / neighbours.length : 0;
  for (const m of neighbours) {
    const v = index.vectors[m]!;
    for (let a = 0; a < v.items.length; a++) scores.set(v.items[a]!, (scores.get(v.items[a]!) ?? 0) + w * v.values[a]!);
  }
  return scores;
}

/** The top-k items of a score map (ties by item id for determinism). */
export function topK(scores: Map<number, number>, k: number): number[] {
  return [...scores].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, k).map(([i]) => i);
}
