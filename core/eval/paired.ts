// Is one method's gain over another beyond noise? Both rank the same members, so the difference is judged per member:
// the mean of the per-member differences, its standard error and a normal 95 % interval (a paired test; the members'
// shared difficulty cancels, which is why it is much tighter than comparing two means).
import { ndcgAt, recallAt } from './metrics.ts';
import { pairedMean } from '../lists/rank-metrics.ts';
import { Z95 } from '../insights/uplift.ts';

/** Per-member Recall@k and NDCG@k of rankings against target baskets (NaN where a target group is empty). */
export interface PerMember {
  recall: Float64Array;
  ndcg: Float64Array;
  /** Recall@k on the member's repeat target items (bought before); NaN for a member without any. */
  repeatRecall: Float64Array;
}

/** Per-member metrics at `k` of `rankings[j]` against `targets[j]`; `bought[j]` is what member j bought before. */
export function perMember(rankings: readonly ArrayLike<number>[], targets: readonly (readonly number[])[], bought: readonly ReadonlySet<number>[], k = 10): PerMember {
  if (rankings.length !== targets.length || bought.length !== targets.length) throw new Error(`perMember: ${rankings.length} rankings, ${targets.length} targets and ${bought.length} histories must match`);
  const n = targets.length;
  const out: PerMember = { recall: new Float64Array(n), ndcg: new Float64Array(n), repeatRecall: new Float64Array(n).fill(Number.NaN) };
  for (let j = 0; j < n; j++) {
    const target = new Set(targets[j]!);
    if (target.size === 0) {
      out.recall[j] = Number.NaN;
      out.ndcg[j] = Number.NaN;
      continue;
    }
    out.recall[j] = recallAt(rankings[j]!, target, k);
    out.ndcg[j] = ndcgAt(rankings[j]!, target, k);
    const repeats = new Set([...target].filter((i) => bought[j]!.has(i)));
    if (repeats.size) out.repeatRecall[j] = recallAt(rankings[j]!, repeats, k);
  }
  return out;
}

/** The paired difference a − b over members: mean, standard error of the mean, 95 % normal interval, members used. */
export interface PairedDifference {
  mean: number;
  se: number;
  low: number;
  high: number;
  n: number;
}


/** Paired difference of per-member values a − b; members where either is NaN are left out. With fewer than two
 * members the error is unknown (Infinity), so nothing is ever called beyond noise on one member. */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): PairedDifference {
  const { mean, se, n } = pairedMean(a, b);
  return { mean, se, low: mean - Z95 * se, high: mean + Z95 * se, n };
}

/** How a paired difference reads: 'better' / 'worse' when its 95 % interval excludes 0, else 'within noise'. */
export function verdict(d: PairedDifference): 'better' | 'worse' | 'within noise' {
  if (d.low > 0) return 'better';
  if (d.high < 0) return 'worse';
  return 'within noise';
}

/** Larder's margin over one baseline on R@10, NDCG@10 and repeat R@10. */
export interface Margin {
  'recall@10': PairedDifference;
  'ndcg@10': PairedDifference;
  'repeat recall@10': PairedDifference;
}

/** The paired margins of `a` over `b`. */
export function marginOf(a: PerMember, b: PerMember): Margin {
  return { 'recall@10': pairedDifference(a.recall, b.recall), 'ndcg@10': pairedDifference(a.ndcg, b.ndcg), 'repeat recall@10': pairedDifference(a.repeatRecall, b.repeatRecall) };
}
