// How well a ranking finds a target basket: Recall@k and NDCG@k (binary relevance; Li et al., TOIS 2023). The store's
// own fit (core/lists/fit.ts) judges weights with them, and the eval (core/eval/metrics.ts) reports them.

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
