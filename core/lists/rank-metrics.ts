// How well a ranking finds a target basket: Recall@k and NDCG@k (binary relevance; Li et al., TOIS 2023), and the
// paired difference of two methods' per-member values. The store's own fit (core/lists/fit.ts) judges weights with
// them, and the eval (core/eval/metrics.ts, core/eval/paired.ts) reports them.

/** Recall@k: share of the target's items found in the first k of `ranked`. */
export function recallAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  if (target.size === 0) return 0;
  let hits = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (target.has(ranked[i]!)) hits++;
  return hits / target.size;
}

/** NDCG@k with binary relevance: DCG of the first k over the ideal DCG of min(k, |target|) hits. */
export function ndcgAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  if (target.size === 0) return 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (target.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  const m = Math.min(k, target.size);
  for (let i = 0; i < m; i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Paired difference of per-member values a − b: its mean, the standard error of that mean and the members used
 * (members where either value is NaN are left out). With fewer than two members the error is unknown: Infinity. */
export function pairedMean(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; se: number; n: number } {
  if (a.length !== b.length) throw new Error(`pairedMean: ${a.length} against ${b.length} members`);
  let n = 0, sum = 0, sq = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d === d) (n++, sum += d, sq += d * d); // NaN !== NaN: a member without both values is left out
  }
  const mean = n ? sum / n : 0;
  return { mean, se: n > 1 ? Math.sqrt(Math.max(0, sq - n * mean * mean) / (n - 1) / n) : Infinity, n };
}
