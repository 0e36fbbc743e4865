// The evaluation protocol of DESIGN.md: members with ≥ 3 baskets; the last basket is the test target, the one before
// it the validation target (for tuning), the rest history. Pure: the CLI reads the files and prints.
import type { Trip } from './types.ts';
import { globalTopFreq, indexVectors, nearest, personalTopFreq, tifuScores, tifuVector, topK, type TifuParams } from './nbr-baselines.ts';
import { buildStoreModel, scoreMember, type ScorerParams } from './list-scorer.ts';
import { dueDay } from './repurchase.ts';
import { addMember, emptySums, errorSummary, summarise } from './nbr-metrics.ts';

/** A normalised dataset: every member's trips (time = day, or basket position), oldest first, ≥ 3 trips each. */
export interface NbrDataset {
  name: string;
  members: Trip[][];
  itemCount: number;
  /** What one unit of `Trip.day` is. */
  timeUnit: 'days' | 'trips';
}

export type MethodName = 'larder' | 'p-topfreq' | 'g-topfreq' | 'tifu-knn';
export type Stage = 'validation' | 'test';

/** One method's figures on one stage. */
export interface StageResult {
  overall: Record<string, number>;
  repeat: Record<string, number>;
  explore: Record<string, number>;
  timing: { median_abs: number; within_3: number; n: number; naive_median_abs: number; naive_within_3: number };
}

const KS = [10, 20] as const;

/** History and target of each member for a stage. */
export function split(ds: NbrDataset, stage: Stage): { history: Trip[]; target: Trip }[] {
  return ds.members.map((trips) => {
    const cut = stage === 'test' ? trips.length - 1 : trips.length - 2;
    return { history: trips.slice(0, cut), target: trips[cut]! };
  });
}

/** Evaluate one method on one stage. `sample` limits which members are scored (all are neighbours). */
export function evaluate(
  ds: NbrDataset, stage: Stage, method: MethodName, params: { tifu: TifuParams; scorer: ScorerParams }, sample?: readonly number[],
): StageResult {
  const parts = split(ds, stage);
  const histories = parts.map((p) => p.history);
  const who = sample ?? parts.map((_, i) => i);
  const overall = emptySums(KS), repeat = emptySums(KS), explore = emptySums(KS);
  const larderErr: number[] = [], naiveErr: number[] = [];
  let rank: (i: number) => number[];
  if (method === 'g-topfreq') {
    const top = Array.from(globalTopFreq(histories, ds.itemCount).subarray(0, 20));
    rank = () => top;
  } else if (method === 'p-topfreq') {
    rank = (i) => personalTopFreq(histories[i]!, 20);
  } else if (method === 'tifu-knn') {
    const index = indexVectors(histories.map((h) => tifuVector(h, params.tifu)), ds.itemCount);
    const scratch = new Float64Array(histories.length);
    rank = (i) => topK(tifuScores(index.vectors[i]!, index, nearest(index, index.vectors[i]!, params.tifu.neighbours, i, scratch), params.tifu.alpha), 20);
  } else {
    const model = buildStoreModel(histories, { itemCount: ds.itemCount, params: params.scorer });
    rank = (i) => scoreMember(histories[i]!, model, parts[i]!.target.day, { self: i, limit: 20, exploreLimit: 20 }).slice(0, 20).map((s) => s.item);
    // Timing: for target items bought at least twice before, predicted vs observed next purchase time.
    for (const i of who) {
      const { history, target } = parts[i]!;
      for (const item of target.items) {
        const seen = history.filter((t) => t.items.includes(item)).map((t) => t.day);
        if (seen.length < 2) continue;
        const due = dueDay(seen, { ...model.itemPriors[item]!, weight: params.scorer.priorWeight });
        const naive = seen[seen.length - 1]! + (seen[seen.length - 1]! - seen[0]!) / (seen.length - 1);
        larderErr.push(Math.abs(due!.dueDay - target.day));
        naiveErr.push(Math.abs(Math.round(naive) - target.day));
      }
    }
  }
  for (const i of who) {
    const { history, target } = parts[i]!;
    const ranked = rank(i);
    const before = new Set<number>();
    for (const t of history) for (const x of t.items) before.add(x);
    const all = new Set(target.items);
    addMember(overall, ranked, all, KS);
    addMember(repeat, ranked, new Set(target.items.filter((x) => before.has(x))), KS);
    addMember(explore, ranked, new Set(target.items.filter((x) => !before.has(x))), KS);
  }
  const lt = errorSummary(larderErr), nt = errorSummary(naiveErr);
  return {
    overall: summarise(overall), repeat: summarise(repeat), explore: summarise(explore),
    timing: { median_abs: lt.median, within_3: lt.within, n: lt.n, naive_median_abs: nt.median, naive_within_3: nt.within },
  };
}

/** Coordinate search over a grid, one parameter at a time from `start`, maximising `objective`. */
export function coordinateSearch<P extends object>(start: P, grid: { [K in keyof P]?: readonly P[K][] }, objective: (p: P) => number): { best: P; score: number; tried: number } {
  let best = start;
  let score = objective(start);
  let tried = 1;
  for (const key of Object.keys(grid) as (keyof P)[]) {
    for (const value of grid[key]!) {
      if (best[key] === value) continue;
      const candidate = { ...best, [key]: value };
      const s = objective(candidate);
      tried++;
      if (s > score) { best = candidate; score = s; }
    }
  }
  return { best, score, tried };
}
