// Next-basket metrics as in the Reality Check paper (Li et al., TOIS 2023): Recall@k, NDCG@k, PHR@k, each also over
// the repeat part (items the member bought before) and the explore part of the target basket.

/** Sums over members, turned into means by {@link summarise}. */
export interface MetricSums {
  users: number;
  recall: Record<number, number>;
  ndcg: Record<number, number>;
  phr: Record<number, number>;
}

/** Empty sums for the cut-offs `ks`. */
export const emptySums = (ks: readonly number[]): MetricSums => ({
  users: 0,
  recall: Object.fromEntries(ks.map((k) => [k, 0])),
  ndcg: Object.fromEntries(ks.map((k) => [k, 0])),
  phr: Object.fromEntries(ks.map((k) => [k, 0])),
});

/** Add one member's ranking against a non-empty target set. */
export function addMember(sums: MetricSums, ranked: readonly number[], target: ReadonlySet<number>, ks: readonly number[]): void {
  if (target.size === 0) return;
  sums.users++;
  for (const k of ks) {
    let hits = 0, dcg = 0, idcg = 0;
    for (let r = 0; r < Math.min(k, ranked.length); r++) {
      if (target.has(ranked[r]!)) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
      }
    }
    for (let r = 0; r < Math.min(k, target.size); r++) idcg += 1 / Math.log2(r + 2);
    sums.recall[k]! += hits / target.size;
    sums.ndcg[k]! += dcg / idcg;
    sums.phr[k]! += hits > 0 ? 1 : 0;
  }
}

/** Means per cut-off: `{ 'recall@10': …, 'ndcg@10': …, 'phr@10': …, users }`. */
export function summarise(sums: MetricSums): Record<string, number> {
  const out: Record<string, number> = { users: sums.users };
  for (const k of Object.keys(sums.recall)) {
    out[`recall@${k}`] = sums.users ? sums.recall[Number(k)]! / sums.users : 0;
    out[`ndcg@${k}`] = sums.users ? sums.ndcg[Number(k)]! / sums.users : 0;
    out[`phr@${k}`] = sums.users ? sums.phr[Number(k)]! / sums.users : 0;
  }
  return out;
}

/** Median and the share of values within ±`within` of zero, for absolute timing errors. */
export function errorSummary(absErrors: readonly number[], within = 3): { median: number; within: number; n: number } {
  if (!absErrors.length) return { median: NaN, within: NaN, n: 0 };
  const s = [...absErrors].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, within: s.filter((x) => x <= within).length / s.length, n: s.length };
}
