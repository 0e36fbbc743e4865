// Stage 3 of the scorer's fit (fit.ts): the calibrated blend (calibrated.ts), fitted and judged on the store's own
// validation target, kept only where it gains beyond noise and keeps the member's own items.
import type { StoreModel } from './store-model.ts';
import type { ScorerParams } from './scorer-params.ts';
import { CALIBRATION_FEATURES, candidateFeatures, FEATURE_COUNT } from './calibrated.ts';
import { fitLogistic } from './logistic.ts';
import { EXPLORE_KEPT, holdoutObjective, mergeHalves, moveKept, subsetScore, type FitFloor, type Holdout, type HoldoutScore } from './holdout.ts';

/** Fewest validation members with ≥ 2 trips the calibrated blend is judged on (else it is judged on all). */
const JUDGED_MIN = 200;
/** Paired standard errors a calibrated setting must gain by: it is one of 2 × REPEAT_BONUS.length tried at once, so
 * one standard error would keep a lucky one. */
const CALIBRATION_SE = 2;

/** One calibrated setting the fit tried: its cross-fitted validation scores and whether it was kept. */
export interface CalibrationTrial { repeatSlots: number; repeatBonus: number; value: number; repeat: number; explore: number; kept: boolean }

/** Added to the calibrated logit of the member's own items: the search's way to hold the repeat floor at the least
 * cost (the Lagrangian of "most hits, repeat recall ≥ TIFU-KNN's"). */
export const REPEAT_BONUS = [0, 0.25, 0.5, 1, 1.5, 2, 3];
const REPEAT_FEATURE = CALIBRATION_FEATURES.indexOf('repeat');

// Stage 3: fit the calibration on each half of the sample and score the other half with it, for each repeat bonus,
// with at least the blend's repeat items by each slot (repeatSlots 1) or by each block of ten, in order of chance
// (3). A setting is kept as a move is (moveKept against the searched weights: the floor, and a gain beyond
// CALIBRATION_SE paired standard errors) and when it keeps the searched weights' repeat recall; the best kept one
// wins, and its weights are then fitted on the whole sample.
export function calibrate(holdout: Holdout, model: StoreModel, params: ScorerParams, sample: readonly number[], repeatTargets: readonly Set<number>[], searched: HoldoutScore, tifu: HoldoutScore): { tried: CalibrationTrial[]; chosen?: { best: ScorerParams; score: HoldoutScore } } {
  if (sample.length < 2) return { tried: [] };
  // Judged on the members whose validation history is as long as the shortest a list is made from in use (≥ 2
  // trips): one basket says nothing of which of a member's items come back, and a calibration judged there
  // keeps repeat items on validation that it drops once histories grow.
  const long = sample.map((_, j) => j).filter((j) => holdout.histories[sample[j]!]!.length >= 2);
  const judged = long.length >= JUDGED_MIN ? long : sample.map((_, j) => j);
  const base = subsetScore(searched, judged);
  const t = subsetScore(tifu, judged);
  const floor: FitFloor = { repeat: t.repeat, explore: EXPLORE_KEPT * t.explore, value: t.value, recall: t.recall, ndcg: t.ndcg };
  const halves = [0, 1].map((h) => sample.map((_, j) => j).filter((j) => j % 2 === h));
  const rows = halves.map((half) => calibrationRows(holdout, model, params, half.map((j) => sample[j]!)));
  const weights = rows.map((r) => fitLogistic(r.x, r.y, FEATURE_COUNT, r.w));
  const withBonus = (w: Float64Array, bonus: number) => Array.from(w, (v, f) => Number((f === REPEAT_FEATURE ? v + bonus : v).toPrecision(6)));
  const tried: CalibrationTrial[] = [];
  let chosen: { repeatSlots: number; repeatBonus: number; score: HoldoutScore; full: HoldoutScore } | undefined;
  for (const repeatSlots of [1, 3]) {
    for (const repeatBonus of REPEAT_BONUS) {
      const parts = halves.map((half, h) => holdoutObjective(holdout, model, { ...params, repeatSlots, calibration: withBonus(weights[1 - h]!, repeatBonus) }, half.map((j) => sample[j]!), half.map((j) => repeatTargets[j]!)));
      const full = mergeHalves(parts, halves, sample.length);
      const score = subsetScore(full, judged);
      // Repeat items stay first-class: the calibration may not give away repeat hits the searched weights make.
      const kept = moveKept('value', score, base, floor, CALIBRATION_SE) && score.repeat >= base.repeat;
      tried.push({ repeatSlots, repeatBonus, value: score.value, repeat: score.repeat, explore: score.explore, kept });
      if (kept && (!chosen || score.value > chosen.score.value)) chosen = { repeatSlots, repeatBonus, score, full };
    }
  }
  if (!chosen) return { tried };
  const all = { x: concat(rows.map((r) => r.x), Float64Array), y: concat(rows.map((r) => r.y), Uint8Array), w: concat(rows.map((r) => r.w), Float64Array) };
  const w = fitLogistic(all.x, all.y, FEATURE_COUNT, all.w);
  return { tried, chosen: { best: { ...params, repeatSlots: chosen.repeatSlots, calibration: withBonus(w, chosen.repeatBonus) }, score: chosen.full } };
}

/** Training rows for a fit: every candidate of each `members` row of the holdout, labelled by its target and
 * weighted 1 / the target's size, as Recall@10 counts a hit. */
export function calibrationRows(holdout: Holdout, model: StoreModel, p: ScorerParams, members: readonly number[]): { x: Float64Array; y: Uint8Array; w: Float64Array } {
  const xs: Float64Array[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const m of members) {
    const h = holdout.histories[m]!;
    const day = holdout.targetDays[m]!;
    const c = candidateFeatures(h, model, day, p, { member: m });
    const target = new Set(holdout.targets[m]!);
    xs.push(c.x);
    for (const item of c.items) {
      ys.push(target.has(item) ? 1 : 0);
      ws.push(1 / Math.max(1, target.size));
    }
  }
  return { x: concat(xs, Float64Array), y: Uint8Array.from(ys), w: Float64Array.from(ws) };
}

function concat<T extends Float64Array | Uint8Array>(parts: readonly T[], Type: { new (n: number): T }): T {
  const out = new Type(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p as never, o);
    o += p.length;
  }
  return out;
}
