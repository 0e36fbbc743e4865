// Validation for the scorer's fit (fit.ts, fit-calibrated.ts): hold out each member's latest basket, score a
// setting's lists for it (Recall@10 + NDCG@10, on repeat and on explore items, per member), and decide whether a move
// is kept (the floor, and a gain beyond the paired noise).
import type { Trip } from '../types.ts';
import { ndcgAt, pairedMean, recallAt } from './rank-metrics.ts';
import type { StoreModel } from './store-model.ts';
import { scoreMember } from './next-basket.ts';
import type { ScorerParams } from './scorer-params.ts';

/** Histories with one held-out target basket per member. */
export interface Holdout {
  histories: readonly (readonly Trip[])[];
  targets: readonly (readonly number[])[];
  targetDays: readonly number[];
}

/** Hold out each member's latest basket (members with ≥ 2 trips); `members` maps holdout rows to input indexes. */
export function holdoutOf(histories: readonly (readonly Trip[])[]): Holdout & { members: number[] } {
  const out = { histories: [] as (readonly Trip[])[], targets: [] as (readonly number[])[], targetDays: [] as number[], members: [] as number[] };
  for (let m = 0; m < histories.length; m++) {
    const h = histories[m]!;
    if (h.length < 2) continue;
    out.histories.push(h.slice(0, -1));
    out.targets.push(h[h.length - 1]!.items);
    out.targetDays.push(h[h.length - 1]!.day);
    out.members.push(m);
  }
  return out;
}

/** Evenly spaced, deterministic sample of `size` of `members` indexes. */
export function evenSample(members: number, size = 2500): number[] {
  const n = Math.min(members, size);
  return Array.from({ length: n }, (_, i) => Math.floor((i * members) / n));
}

/** Share of TIFU-KNN's validation explore recall a fitted setting must keep: a store whose validation says repeat
 * items are the likelier hits may give a repeat item a slot TIFU-KNN's blend gives a new one, never most of them. */
export const EXPLORE_KEPT = 0.9;

/** One HoldoutScore over the whole sample from the scores of its parts (`parts[h]` scored sample rows `rows[h]`). */
export function mergeHalves(parts: readonly HoldoutScore[], rows: readonly (readonly number[])[], size: number): HoldoutScore {
  const per = new Float64Array(size);
  const perRecall = new Float64Array(size);
  const perRepeat = new Float64Array(size).fill(Number.NaN);
  const perExplore = new Float64Array(size).fill(Number.NaN);
  parts.forEach((part, h) => rows[h]!.forEach((j, k) => {
    per[j] = part.per[k]!;
    perRecall[j] = part.perRecall[k]!;
    perRepeat[j] = part.perRepeat[k]!;
    perExplore[j] = part.perExplore[k]!;
  }));
  return fromPerMember(per, perRecall, perRepeat, perExplore);
}

/** The score of sample rows `rows` of `score` alone. */
export function subsetScore(score: HoldoutScore, rows: readonly number[]): HoldoutScore {
  const pick = (a: Float64Array) => Float64Array.from(rows, (j) => a[j]!);
  return fromPerMember(pick(score.per), pick(score.perRecall), pick(score.perRepeat), pick(score.perExplore));
}

function fromPerMember(per: Float64Array, perRecall: Float64Array, perRepeat: Float64Array, perExplore: Float64Array): HoldoutScore {
  const mean = (a: Float64Array) => {
    let sum = 0;
    let n = 0;
    for (const v of a) if (!Number.isNaN(v)) { sum += v; n++; }
    return n ? sum / n : 0;
  };
  const value = mean(per);
  const recall = mean(perRecall);
  return { value, recall, ndcg: value - recall, repeat: mean(perRepeat), explore: mean(perExplore), per, perRecall, perRepeat, perExplore };
}

/** What every kept move must hold on validation: TIFU-KNN's repeat Recall@10, EXPLORE_KEPT of its explore
 * Recall@10, and its whole objective (its Recall@10 and NDCG@10 are kept for the report). */
export interface FitFloor { repeat: number; explore: number; value: number; recall: number; ndcg: number }

/** Whether the search keeps a move from `b` to `v` judged on `kind` (the whole objective, repeat or explore hits): it
 * holds the floor and gains more than `standardErrors` paired standard errors of the per-member difference on that
 * metric. */
export function moveKept(kind: 'value' | 'repeat' | 'explore', v: HoldoutScore, b: HoldoutScore, floor: FitFloor, standardErrors = 1): boolean {
  if (v.repeat < floor.repeat || v.explore < floor.explore || v.value < floor.value) return false;
  const [pv, pb] = kind === 'value' ? [v.per, b.per] : kind === 'repeat' ? [v.perRepeat, b.perRepeat] : [v.perExplore, b.perExplore];
  const { se } = pairedMean(pv, pb);
  return v[kind] - b[kind] > standardErrors * (Number.isFinite(se) ? se : 0); // one validation member: any gain is kept
}

/** A setting's validation score: mean Recall@10 + NDCG@10 (and per sample member), mean Recall@10 on repeat target
 * items (members with some) and on explore target items (members with some). */
export interface HoldoutScore {
  value: number;
  /** Mean Recall@10 and NDCG@10 (their sum is `value`). */
  recall: number;
  ndcg: number;
  repeat: number;
  explore: number;
  per: Float64Array;
  /** Per sample member, Recall@10 (its part of `per`). */
  perRecall: Float64Array;
  /** Per sample member, Recall@10 on their repeat (explore) target items; NaN for a member without any. */
  perRepeat: Float64Array;
  perExplore: Float64Array;
}

/** The target items a member bought before. */
export function repeatsOf(history: readonly Trip[], target: readonly number[]): Set<number> {
  const bought = new Set<number>();
  for (const t of history) for (const i of t.items) bought.add(i);
  return new Set(target.filter((i) => bought.has(i)));
}

/** Score the scorer with `params` over the `sample` of the holdout (model built on its histories); `repeatTargets`
 * (per sample member) default to the targets' repeat items. */
export function holdoutObjective(holdout: Holdout, model: StoreModel, params: Partial<ScorerParams>, sample: readonly number[], repeatTargets?: readonly Set<number>[]): HoldoutScore {
  let sum = 0;
  let recall = 0;
  let ndcg = 0;
  let rep = 0;
  let repMembers = 0;
  let exp = 0;
  let expMembers = 0;
  const per = new Float64Array(sample.length);
  const perRecall = new Float64Array(sample.length);
  const perRepeat = new Float64Array(sample.length).fill(Number.NaN);
  const perExplore = new Float64Array(sample.length).fill(Number.NaN);
  for (let j = 0; j < sample.length; j++) {
    const m = sample[j]!;
    const ranked = scoreMember(holdout.histories[m]!, model, holdout.targetDays[m]!, { member: m, params, limit: 10 });
    const target = new Set(holdout.targets[m]!);
    const ids = ranked.map((s) => s.item);
    const r = recallAt(ids, target, 10);
    const g = ndcgAt(ids, target, 10);
    per[j] = r + g;
    perRecall[j] = r;
    sum += per[j]!;
    recall += r;
    ndcg += g;
    const repeats = repeatTargets?.[j] ?? repeatsOf(holdout.histories[m]!, holdout.targets[m]!);
    if (repeats.size) {
      repMembers++;
      perRepeat[j] = recallAt(ids, repeats, 10);
      rep += perRepeat[j]!;
    }
    if (repeats.size < target.size) {
      const explore = new Set([...target].filter((i) => !repeats.has(i)));
      expMembers++;
      perExplore[j] = recallAt(ids, explore, 10);
      exp += perExplore[j]!;
    }
  }
  const n = sample.length || 1;
  return { value: sum / n, recall: recall / n, ndcg: ndcg / n, perRecall, repeat: repMembers ? rep / repMembers : 0, explore: expMembers ? exp / expMembers : 0, per, perRepeat, perExplore };
}
