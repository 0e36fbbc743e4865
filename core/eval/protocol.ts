// The evaluation protocol of DESIGN.md: members with ≥ 3 baskets; last basket = test target, the one before =
// validation target (tuning only, history before it), the rest history; metrics as in Li et al. (TOIS 2023).
import type { Trip } from '../types.ts';
import { addMember, averages, emptySums, naiveDueDay, splitTarget, timingSummary, type MetricAverages, type MetricSums, type TimingSummary } from './metrics.ts';
import { globalTopFreq, personalTopFreq, TIFU_RANGES, TIFU_TAFENG } from './baselines.ts';
import { nearestRows, tifuRecommend, tifuRows, topK, type SparseRows, type TifuParams } from '../lists/tifu.ts';
import { buildStoreModel, scoreMember, SCORER_DEFAULTS, type ScorerParams, type StoreModel } from '../lists/next-basket.ts';
import { dueDay, fitIntervalPriors, priorOf } from '../lists/cycles.ts';

/** One prediction task per member: the history and the target basket. */
export interface Split {
  histories: Trip[][];
  targets: (readonly number[])[];
  targetDays: number[];
}

/** Validation and test splits of the same members (those with ≥ 3 baskets, trips ascending by day). */
export function splitMembers(members: readonly (readonly Trip[])[]): { validation: Split; test: Split } {
  const validation: Split = { histories: [], targets: [], targetDays: [] };
  const test: Split = { histories: [], targets: [], targetDays: [] };
  for (const trips of members) {
    const n = trips.length;
    if (n < 3) continue;
    validation.histories.push(trips.slice(0, n - 2));
    validation.targets.push(trips[n - 2]!.items);
    validation.targetDays.push(trips[n - 2]!.day);
    test.histories.push(trips.slice(0, n - 1));
    test.targets.push(trips[n - 1]!.items);
    test.targetDays.push(trips[n - 1]!.day);
  }
  return { validation, test };
}

/** Metrics of one method on one split, overall and on repeat and explore target items. */
export interface SplitMetrics {
  all: MetricAverages;
  repeat: MetricAverages;
  explore: MetricAverages;
}

/** Score rankings (one per member of the split, or per member of `members` when given; best first) against the targets. */
export function scoreRankings(split: Split, rankings: readonly ArrayLike<number>[], members?: readonly number[]): SplitMetrics {
  const sums = { all: emptySums(), repeat: emptySums(), explore: emptySums() };
  const count = members ? members.length : split.targets.length;
  for (let j = 0; j < count; j++) {
    const m = members ? members[j]! : j;
    const parts = splitTarget(split.targets[m]!, boughtSet(split.histories[m]!));
    addMember(sums.all, rankings[j]!, parts.all);
    addMember(sums.repeat, rankings[j]!, parts.repeat);
    addMember(sums.explore, rankings[j]!, parts.explore);
  }
  return { all: averages(sums.all), repeat: averages(sums.repeat), explore: averages(sums.explore) };
}

function boughtSet(trips: readonly Trip[]): Set<number> {
  const s = new Set<number>();
  for (const t of trips) for (const i of t.items) s.add(i);
  return s;
}

/** The objective tuning maximises: Recall@10 + NDCG@10 on the validation targets. */
export const objective = (m: SplitMetrics): number => m.all['recall@10'] + m.all['ndcg@10'];

/** G-TopFreq rankings. */
export function runGlobalTopFreq(split: Split, itemCount: number): Int32Array[] {
  const top = globalTopFreq(split.histories, itemCount, 20);
  return split.histories.map(() => top);
}

/** P-TopFreq rankings. */
export function runPersonalTopFreq(split: Split, itemCount: number): Int32Array[] {
  const counts = new Float64Array(itemCount);
  const recency = new Float64Array(itemCount);
  return split.histories.map((h) => personalTopFreq(h, counts, recency, 20));
}

/** TIFU-KNN rankings with fixed parameters. */
export function runTifu(split: Split, itemCount: number, p: TifuParams): Int32Array[] {
  const rows = tifuRows(split.histories, itemCount, p);
  const nbrs = nearestRows(rows, itemCount, p.neighbours);
  return tifuRecommend(rows, nbrs, p.neighbours, itemCount, p, 20);
}

/** A tuning trace line: the parameters tried and the validation objective. */
export interface Trial<P> {
  params: P;
  value: number;
}

/** Tune TIFU-KNN on the validation split: coordinate search over the vector parameters (group count, r_b, r_g),
 * each point scored over the whole k × α grid of the published ranges from one nearest-neighbour pass. */
export function tuneTifu(split: Split, itemCount: number, sample: readonly number[] = tuningSample(split.targets.length), grid: { groupCount: readonly number[]; withinDecay: readonly number[]; groupDecay: readonly number[]; neighbours: readonly number[]; alpha: readonly number[] } = COARSE_TIFU_GRID, start: TifuParams = TIFU_TAFENG): { best: TifuParams; trials: Trial<TifuParams>[] } {
  const trials: Trial<TifuParams>[] = [];
  const cache = new Map<string, { params: TifuParams; value: number }>();
  const evalVector = (v: Pick<TifuParams, 'groupCount' | 'withinDecay' | 'groupDecay'>) => {
    const key = `${v.groupCount}|${v.withinDecay}|${v.groupDecay}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const rows = tifuRows(split.histories, itemCount, v);
    const kMax = Math.max(...grid.neighbours);
    const nbrs = nearestRows(rows, itemCount, kMax, sample);
    const res = kAlphaGrid(split, sample, rows, nbrs, kMax, itemCount, grid.neighbours, grid.alpha);
    const params = { ...v, neighbours: res.k, alpha: res.alpha };
    trials.push({ params, value: res.value });
    const out = { params, value: res.value };
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
  return { best: best.params, trials };
}

/** The coarse grid used by `larder eval`: the published ranges sampled (k and α in full, every k×α pair per setting). */
export const COARSE_TIFU_GRID = {
  groupCount: [3, 7, 14, 23],
  withinDecay: [0.5, 0.9, 1],
  groupDecay: [0.5, 0.7, 0.9],
  neighbours: TIFU_RANGES.neighbours,
  alpha: TIFU_RANGES.alpha,
};

/** Validation members tuning scores (evenly spaced, deterministic); every member stays a neighbour candidate. */
export function tuningSample(members: number, size = 2500): number[] {
  const n = Math.min(members, size);
  return Array.from({ length: n }, (_, i) => Math.floor((i * members) / n));
}

// Every (k, α) at once: neighbours are added nearest first, and at each k the top 20 of α·own + (1−α)·mean is taken
// over the member's own items plus the neighbour mean's top 20 (no other item can enter the top 20).
function kAlphaGrid(split: Split, sample: readonly number[], rows: SparseRows, nbrs: Int32Array, stride: number, itemCount: number, ks: readonly number[], alphas: readonly number[]): { k: number; alpha: number; value: number } {
  const sorted = [...ks].sort((a, b) => a - b);
  const sums: MetricSums[][] = sorted.map(() => alphas.map(() => emptySums()));
  const nb = new Float64Array(itemCount);
  const own = new Float64Array(itemCount);
  const score = new Float64Array(itemCount);
  const touched: number[] = [];
  const cand: number[] = [];
  for (let qi = 0; qi < sample.length; qi++) {
    const q = sample[qi]!;
    const target = new Set(split.targets[q]!);
    touched.length = 0;
    const ownItems: number[] = [];
    for (let e = rows.offsets[q]!; e < rows.offsets[q + 1]!; e++) {
      own[rows.items[e]!] = rows.values[e]!;
      ownItems.push(rows.items[e]!);
    }
    let added = 0;
    for (let ki = 0; ki < sorted.length; ki++) {
      const k = Math.min(sorted[ki]!, stride);
      for (; added < k; added++) {
        const r = nbrs[qi * stride + added]!;
        if (r < 0) continue;
        for (let e = rows.offsets[r]!; e < rows.offsets[r + 1]!; e++) {
          const item = rows.items[e]!;
          if (nb[item] === 0) touched.push(item);
          nb[item]! += rows.values[e]!;
        }
      }
      const used = Math.max(1, Math.min(k, countValid(nbrs, qi, stride, k)));
      const nbTop = topK(touched, touched.length, nb, 20);
      cand.length = 0;
      for (const i of ownItems) cand.push(i);
      for (const i of nbTop) if (own[i] === 0) cand.push(i);
      for (let ai = 0; ai < alphas.length; ai++) {
        const a = alphas[ai]!;
        for (const i of cand) score[i] = a * own[i]! + ((1 - a) * nb[i]!) / used;
        const ranked = topK(cand, cand.length, score, 20);
        addMember(sums[ki]![ai]!, ranked, target);
      }
    }
    for (const i of touched) nb[i] = 0;
    for (const i of ownItems) own[i] = 0;
    for (const i of cand) score[i] = 0;
  }
  let best = { k: sorted[0]!, alpha: alphas[0]!, value: -1 };
  for (let ki = 0; ki < sorted.length; ki++) {
    for (let ai = 0; ai < alphas.length; ai++) {
      const avg = averages(sums[ki]![ai]!);
      const value = avg['recall@10'] + avg['ndcg@10'];
      if (value > best.value) best = { k: sorted[ki]!, alpha: alphas[ai]!, value };
    }
  }
  return best;
}

function countValid(nbrs: Int32Array, q: number, stride: number, k: number): number {
  let c = 0;
  for (let j = 0; j < k; j++) if (nbrs[q * stride + j]! >= 0) c++;
  return c;
}

/** Larder's rankings for a split (or its `members`) from a model built on the split's histories. */
export function runLarder(split: Split, model: StoreModel, params?: Partial<ScorerParams>, members?: readonly number[]): Int32Array[] {
  const out: Int32Array[] = [];
  const count = members ? members.length : split.histories.length;
  for (let j = 0; j < count; j++) {
    const m = members ? members[j]! : j;
    const scored = scoreMember(split.histories[m]!, model, split.targetDays[m]!, params ? { member: m, params } : { member: m });
    out.push(Int32Array.from(scored, (s) => s.item));
  }
  return out;
}

/** Larder's scoring-time parameters tried by coordinate search (the model's neighbour index stays fixed). */
export const LARDER_GRID = {
  alpha: TIFU_RANGES.alpha,
  timingWeight: [0, 0.1, 0.25, 0.5, 1],
  itemWeight: [0, 0.02, 0.05, 0.2],
  popularityWeight: [0, 0.005, 0.02],
  recency: [0.6, 0.8, 1],
};

/** Tune Larder on the validation split, starting from `start` (TIFU-KNN's tuned vector and neighbours). */
export function tuneLarder(split: Split, itemCount: number, start: ScorerParams, sample: readonly number[] = tuningSample(split.targets.length)): { best: ScorerParams; trials: Trial<ScorerParams>[] } {
  const model = buildStoreModel(split.histories, { itemCount, params: start, indexMembers: sample });
  const trials: Trial<ScorerParams>[] = [];
  const run = (p: ScorerParams) => {
    const value = objective(scoreRankings(split, runLarder(split, model, p, sample), sample));
    trials.push({ params: p, value });
    return value;
  };
  let best = start;
  let bestValue = run(start);
  for (let pass = 0; pass < 2; pass++) {
    for (const key of Object.keys(LARDER_GRID) as (keyof typeof LARDER_GRID)[]) {
      for (const value of LARDER_GRID[key]) {
        if (best[key] === value) continue;
        const p = { ...best, [key]: value };
        const v = run(p);
        if (v > bestValue) {
          best = p;
          bestValue = v;
        }
      }
    }
  }
  return { best, trials };
}

/** Larder's start point: exactly TIFU-KNN's tuned parameters (timing, item neighbours and popularity off), so tuning
 * only moves away from TIFU-KNN when the validation targets say so. */
export function larderStart(tifu: TifuParams, horizon: number): ScorerParams {
  return { ...SCORER_DEFAULTS, groupCount: tifu.groupCount, withinDecay: tifu.withinDecay, groupDecay: tifu.groupDecay, neighbours: tifu.neighbours, alpha: tifu.alpha, horizon, timingWeight: 0, itemWeight: 0, popularityWeight: 0 };
}

/** Timing error on the split's repeat target items: Larder's empirical-Bayes due day (rounded, as lists show it)
 * against the naive "last purchase + the member's mean interval", unrounded and rounded (no target information is
 * used by either). */
export function timingErrors(split: Split, itemCount: number, recency = SCORER_DEFAULTS.recency): { larder: TimingSummary; naive: TimingSummary; naiveRounded: TimingSummary } {
  const priors = fitIntervalPriors(split.histories, itemCount);
  const larder: number[] = [];
  const naive: number[] = [];
  const naiveRounded: number[] = [];
  const days = new Map<number, number[]>();
  for (let m = 0; m < split.histories.length; m++) {
    const h = split.histories[m]!;
    days.clear();
    for (const t of h) {
      for (const i of t.items) {
        const d = days.get(i);
        if (!d) days.set(i, [t.day]);
        else if (d[d.length - 1] !== t.day) d.push(t.day);
      }
    }
    const distinct = new Set(h.map((t) => t.day));
    const firstDay = h[0]!.day;
    const lastDay = h[h.length - 1]!.day;
    const memberGap = distinct.size > 1 ? (lastDay - firstDay) / (distinct.size - 1) : 1;
    const observed = split.targetDays[m]!;
    for (const item of new Set(split.targets[m]!)) {
      const d = days.get(item);
      if (!d) continue;
      const due = dueDay(d, priorOf(priors, item), lastDay, { recency, minInterval: 1 });
      if (!due) continue;
      larder.push(Math.abs(due.dueDay - observed));
      const n = naiveDueDay(d, memberGap);
      naive.push(Math.abs(n - observed));
      naiveRounded.push(Math.abs(Math.round(n) - observed));
    }
  }
  return { larder: timingSummary(Float64Array.from(larder)), naive: timingSummary(Float64Array.from(naive)), naiveRounded: timingSummary(Float64Array.from(naiveRounded)) };
}
