// Next-basket metrics: Recall@k, NDCG@k (binary relevance) and PHR@k as defined in Li et al., "A Next Basket
// Recommendation Reality Check" (TOIS 2023), each also split into repeat and explore target items; plus timing error.

/** Sums of per-member metrics for one group of target items (all, repeat or explore); divide by `members`. */
export interface MetricSums {
  /** Members whose target has at least one item of this group. */
  members: number;
  recall10: number;
  ndcg10: number;
  phr10: number;
  recall20: number;
  ndcg20: number;
}

/** Averages of one group, as reported. */
export interface MetricAverages {
  members: number;
  'recall@10': number;
  'ndcg@10': number;
  'phr@10': number;
  'recall@20': number;
  'ndcg@20': number;
}

/** Empty sums. */
export function emptySums(): MetricSums {
  return { members: 0, recall10: 0, ndcg10: 0, phr10: 0, recall20: 0, ndcg20: 0 };
}

export { ndcgAt, recallAt } from '../lists/rank-metrics.ts';
import { ndcgAt, recallAt } from '../lists/rank-metrics.ts';

/** PHR@k (personal hit ratio): 1 when at least one target item is in the first k, else 0. */
export function phrAt(ranked: ArrayLike<number>, target: ReadonlySet<number>, k: number): number {
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (target.has(ranked[i]!)) return 1;
  return 0;
}

/** Add one member's ranking against one target group to `sums` (members with an empty group are skipped). */
export function addMember(sums: MetricSums, ranked: ArrayLike<number>, target: ReadonlySet<number>): void {
  if (target.size === 0) return;
  sums.members++;
  sums.recall10 += recallAt(ranked, target, 10);
  sums.ndcg10 += ndcgAt(ranked, target, 10);
  sums.phr10 += phrAt(ranked, target, 10);
  sums.recall20 += recallAt(ranked, target, 20);
  sums.ndcg20 += ndcgAt(ranked, target, 20);
}

/** Averages of `sums` over its members (zeros when there are none). */
export function averages(sums: MetricSums): MetricAverages {
  const d = sums.members || 1;
  return {
    members: sums.members,
    'recall@10': sums.recall10 / d,
    'ndcg@10': sums.ndcg10 / d,
    'phr@10': sums.phr10 / d,
    'recall@20': sums.recall20 / d,
    'ndcg@20': sums.ndcg20 / d,
  };
}

/** The target split by the member's history: repeat items were bought before, explore items were not. */
export function splitTarget(target: readonly number[], bought: ReadonlySet<number>): { all: Set<number>; repeat: Set<number>; explore: Set<number> } {
  const all = new Set(target);
  const repeat = new Set<number>();
  const explore = new Set<number>();
  for (const item of all) (bought.has(item) ? repeat : explore).add(item);
  return { all, repeat, explore };
}

/** Timing error of due-day predictions against observed purchase days, for one predictor. */
export interface TimingSummary {
  /** Predictions scored (repeat items of the target baskets). */
  n: number;
  /** Median of |predicted − observed| in the dataset's time unit. */
  medianAbs: number;
  /** Share of predictions within ±3 units. */
  within3: number;
  /** Mean of |predicted − observed|. */
  meanAbs: number;
}

/** Summarise absolute errors (the array is sorted in place). */
export function timingSummary(absErrors: Float64Array): TimingSummary {
  const n = absErrors.length;
  if (n === 0) return { n: 0, medianAbs: 0, within3: 0, meanAbs: 0 };
  absErrors.sort();
  const medianAbs = n % 2 ? absErrors[(n - 1) / 2]! : (absErrors[n / 2 - 1]! + absErrors[n / 2]!) / 2;
  let within = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (absErrors[i]! <= 3) within++;
    sum += absErrors[i]!;
  }
  return { n, medianAbs, within3: within / n, meanAbs: sum / n };
}

/** The naive due day: last purchase + the member's mean interval for the item, else their mean gap between trips. */
export function naiveDueDay(itemDays: readonly number[], memberGap: number): number {
  const n = itemDays.length;
  const last = itemDays[n - 1]!;
  if (n >= 2) return last + (last - itemDays[0]!) / (n - 1);
  return last + memberGap;
}
