// The evaluation protocol of DESIGN.md: members with ≥ 3 baskets; last basket = test target, the one before =
// validation target (tuning only, history before it), the rest history; metrics as in Li et al. (TOIS 2023).
import type { Trip } from '../types.ts';
import { addMember, averages, emptySums, naiveDueDay, splitTarget, timingSummary, type MetricAverages, type TimingSummary } from './metrics.ts';
import { globalTopFreq, personalTopFreq, TIFU_RANGES, TIFU_TAFENG } from './baselines.ts';
import { nearestRows, tifuRecommend, tifuRows, type TifuParams } from '../lists/tifu.ts';
import { buildDeviceStoreModel, scoreMember, SCORER_DEFAULTS, type ScorerParams, type StoreModel } from '../lists/next-basket.ts';
import { tuneTifu as fitTifu, type TIFU_GRID } from '../lists/fit.ts';
import { neighbourVectors, type NeighbourVector } from '../lists/neighbours.ts';
import { floorNeighbourVector } from '../lists/neighbour-floor.ts';
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

/** Tune TIFU-KNN on the validation split (core/lists/fit.ts, stage 1 of the scorer's fit): coordinate search over
 * the vector parameters (group count, r_b, r_g), each point scored over the whole k × α grid from one
 * nearest-neighbour pass. */
export function tuneTifu(split: Split, itemCount: number, sample: readonly number[] = tuningSample(split.targets.length), grid: typeof TIFU_GRID = COARSE_TIFU_GRID, start: TifuParams = TIFU_TAFENG): { best: TifuParams; value: number; settings: number } {
  return fitTifu(split, itemCount, sample, grid, start);
}

/** The coarse grid used by `larder eval`: the published ranges sampled (k and α in full, every k×α pair per setting). */
export const COARSE_TIFU_GRID = {
  groupCount: [3, 7, 14, 23],
  withinDecay: [0.5, 0.9, 1],
  groupDecay: [0.5, 0.7, 0.9],
  neighbours: [...TIFU_RANGES.neighbours],
  alpha: [...TIFU_RANGES.alpha],
};

/** Validation members tuning scores (evenly spaced, deterministic); every member stays a neighbour candidate. */
export function tuningSample(members: number, size = 2500): number[] {
  const n = Math.min(members, size);
  return Array.from({ length: n }, (_, i) => Math.floor((i * members) / n));
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

/** What headquarters hands the devices for `larder-device`: the store model built for devices (every statistic from
 * ≥ k members, no member index) and one neighbour vector per member, summed over their ≥ k nearest members. */
export function deviceInputs(split: Split, itemCount: number, params: ScorerParams): { model: StoreModel; vectors: NeighbourVector[] | undefined } {
  const model = buildDeviceStoreModel(split.histories, { itemCount, params });
  // As headquarters ships them (hq/model/build.ts): other members' items only where ≥ k members bought them.
  const vectors = params.neighbours > 0
    ? neighbourVectors(split.histories, { itemCount, params }).map((v, m) => floorNeighbourVector(v, split.histories[m]!, (i) => model.popularity[i]! > 0))
    : undefined;
  return { model, vectors };
}

/** `larder-device`: each member scored from only what their browser holds — their own history, the device store model
 * and their neighbour vector. */
export function runLarderDevice(split: Split, inputs: ReturnType<typeof deviceInputs>): Int32Array[] {
  const rankings: Int32Array[] = [];
  for (let m = 0; m < split.histories.length; m++) {
    const vector = inputs.vectors?.[m];
    const scored = scoreMember(split.histories[m]!, inputs.model, split.targetDays[m]!, vector ? { neighbour: vector } : {});
    rankings.push(Int32Array.from(scored, (s) => s.item));
  }
  return rankings;
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
