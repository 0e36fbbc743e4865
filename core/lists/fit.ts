// Fit the list scorer per store on the store's own validation target: each member's latest basket is held out, the
// weights that rank it best from the history before it are kept (coordinate search, Recall@10 + NDCG@10). The eval
// (core/eval/protocol.ts) and headquarters' store-model build call this same function, once per store.
import type { Trip } from '../types.ts';
import { ndcgAt, pairedMean, recallAt } from './rank-metrics.ts';
import type { TifuParams } from './tifu.ts';
import { TIFU_GRID, TIFU_START, tuneTifu } from './fit-tifu.ts';
import { buildStoreModel, type StoreModel, type StoreModelOptions } from './store-model.ts';
import { scoreMember } from './next-basket.ts';
import { SCORER_DEFAULTS, type ScorerParams } from './scorer-params.ts';
import { CALIBRATION_FEATURES, candidateFeatures, FEATURE_COUNT } from './calibrated.ts';
import { fitLogistic } from './logistic.ts';

export { TIFU_GRID, TIFU_START, tuneTifu } from './fit-tifu.ts';

/** Histories with one held-out target basket per member. */
export interface Holdout {
  histories: readonly (readonly Trip[])[];
  targets: readonly (readonly number[])[];
  targetDays: readonly number[];
}

/** Larder's scoring-time weights tried by coordinate search (the neighbourhood stays as stage 1 chose it). */
export const SCORER_GRID = {
  freqWeight: [0, 0.05, 0.2, 0.5, 1, 3],
  dueWeight: [0, 0.05, 0.2, 0.5, 1],
  alpha: TIFU_GRID.alpha,
  timingWeight: [0, 0.1, 0.25, 0.5, 1],
  itemWeight: [0, 0.02, 0.05, 0.2],
  popularityWeight: [0, 0.005, 0.02, 0.1, 0.5, 2],
  recency: [0.6, 0.8, 1],
  repeatBias: [0, 0.5, 1, 2],
  // Never 0 (merged by score alone): a store's list always holds at least as many of the member's own items as
  // TIFU-KNN's blend, so repeat items cannot lose their slots to popular ones between validation and the next basket.
  repeatSlots: [2, 1],
};

/** Weights that order the member's own items (scored on repeat hits), new items (explore hits), and the blend and
 * the sharing of slots between the two (the whole objective). */
/** Share of TIFU-KNN's validation explore recall a fitted setting must keep: a store whose validation says repeat
 * items are the likelier hits may give a repeat item a slot TIFU-KNN's blend gives a new one, never most of them. */
export const EXPLORE_KEPT = 0.9;
/** Fewest validation members with ≥ 2 trips the calibrated blend is judged on (else it is judged on all). */
const JUDGED_MIN = 200;
/** Paired standard errors a calibrated setting must gain by: it is one of 2 × REPEAT_BONUS.length tried at once, so
 * one standard error would keep a lucky one. */
const CALIBRATION_SE = 2;
const REPEAT_KEYS = ['freqWeight', 'dueWeight', 'timingWeight', 'recency', 'horizon'];
const EXPLORE_KEYS = ['popularityWeight'];
const BLEND_KEYS = ['alpha', 'itemWeight', 'repeatSlots', 'repeatBias'];

/** What a fit chose and what it cost. */
export interface ScorerFit {
  params: ScorerParams;
  /** Stage 1: the best pure TIFU-KNN neighbourhood (Larder's own terms off). */
  tifu: TifuParams;
  /** Validation objective (mean Recall@10 + NDCG@10) of `params`, of stage 1 alone, and of SCORER_DEFAULTS' weights. */
  value: number;
  tifuValue: number;
  defaultsValue: number;
  /** Members with a held-out basket, and how many the search scored. */
  members: number;
  scored: number;
  /** Scoring runs of stage 2 and vector settings of stage 1. */
  runs: number;
  vectorSettings: number;
  /** The calibrated settings stage 3 tried (cross-fitted validation scores). */
  calibration: CalibrationTrial[];
  /** What every kept setting held on validation (TIFU-KNN's repeat recall, most of its explore recall). */
  floor: FitFloor;
}

/** Options of a fit. */
export interface FitOptions {
  itemCount: number;
  /** 'trips' when days are basket positions (the horizon is then one trip). */
  unit?: 'days' | 'trips';
  /** Validation members the search scores (evenly spaced; every member stays a neighbour candidate). */
  sample?: number;
  tifuGrid?: typeof TIFU_GRID;
  scorerGrid?: Partial<Record<keyof typeof SCORER_GRID, readonly number[]>>;
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

/** Fit the store's scorer weights on its training histories (ascending trips per member; the latest basket of each
 * is the validation target). Cost: stage 1 builds ≤ 8 decayed-frequency settings, each with one exact nearest-
 * neighbour pass of the sample against every member (O(sample × members)); stage 2 scores the sample ≤ 2 × Σ grid. */
export function fitScorer(histories: readonly (readonly Trip[])[], options: FitOptions): ScorerFit {
  const holdout = holdoutOf(histories);
  const sample = evenSample(holdout.histories.length, options.sample ?? FIT_SAMPLE);
  const stage1 = tuneTifu(holdout, options.itemCount, sample, options.tifuGrid ?? TIFU_GRID, TIFU_START);
  const horizons = options.unit === 'trips' ? [1] : [0, 7];
  const start: ScorerParams = { ...SCORER_DEFAULTS, ...stage1.best, horizon: horizons[0]!, timingWeight: 0, itemWeight: 0, popularityWeight: 0, freqWeight: 0, dueWeight: 0, repeatBias: 0, repeatSlots: 2 };
  const model = buildStoreModel(holdout.histories, { itemCount: options.itemCount, params: start, indexMembers: sample });
  const grid: Record<string, readonly number[]> = { ...SCORER_GRID, horizon: horizons, ...options.scorerGrid };
  const repeatTargets = sample.map((m) => repeatsOf(holdout.histories[m]!, holdout.targets[m]!));
  const seen = new Map<string, HoldoutScore>();
  const run = (p: ScorerParams) => {
    const key = JSON.stringify(p);
    let v = seen.get(key);
    if (v === undefined) seen.set(key, (v = holdoutObjective(holdout, model, p, sample, repeatTargets)));
    return v;
  };
  const startScore = run(start);
  // The start is TIFU-KNN itself (Larder's terms off, slots allocated as its blend allocates them). Repeat items are
  // first-class and explore is not given up: a move is kept only when it ranks the members' repeat items at least as
  // well as TIFU-KNN does on validation and keeps EXPLORE_KEPT of its new-item recall, and gains more than the noise of the sample (one paired
  // standard error of the per-member difference), so the search does not chase what 2,500 members happen to buy.
  const floor: FitFloor = { repeat: startScore.repeat, explore: EXPLORE_KEPT * startScore.explore, value: startScore.value, recall: startScore.recall, ndcg: startScore.ndcg };
  const tifuValue = startScore.value;
  // Three groups, each judged where it acts. With the slots shared as the blend shares them, the repeat terms only
  // choose which of the member's items fill the repeat slots, so they are tuned on repeat hits (a store whose members
  // rebuy few products gets P-TopFreq's ordering there if its validation says so, without a repeat item's share of
  // the whole objective hiding the gain); popularity on explore hits; the blend and the slot sharing on the whole.
  const gains = (kind: 'value' | 'repeat' | 'explore') => (v: HoldoutScore, b: HoldoutScore) => moveKept(kind, v, b, floor);
  const part = (keys: readonly string[]) => Object.fromEntries(Object.entries(grid).filter(([k]) => keys.includes(k)));
  let searched = { best: start, score: startScore };
  for (let pass = 0; pass < 2; pass++) {
    const before = searched.best;
    searched = coordinateSearch(searched.best, part(REPEAT_KEYS), run, gains('repeat'));
    searched = coordinateSearch(searched.best, part(EXPLORE_KEYS), run, gains('explore'));
    // How the slots are shared and the member's repeat odds act together (the odds move nothing while the blend's
    // sharing holds): every pair is tried as one move, then the blend's own weights one at a time.
    const joint = gains('value');
    for (const repeatSlots of grid.repeatSlots ?? []) {
      for (const repeatBias of grid.repeatBias ?? []) {
        const p = { ...searched.best, repeatSlots, repeatBias };
        const v = run(p);
        if (joint(v, searched.score)) searched = { best: p, score: v };
      }
    }
    searched = coordinateSearch(searched.best, part(BLEND_KEYS), run, joint);
    if (searched.best === before) break;
  }
  // Stage 3, the calibrated blend (calibrated.ts): the same terms as chances fitted on this store's validation target.
  // Judged cross-fitted (each half of the sample ranked with weights fitted on the other half), under the same floor.
  const calibration = calibrate(holdout, model, searched.best, sample, repeatTargets, searched.score, startScore);
  const { best, score: bestScore } = calibration.chosen ?? searched;
  const bestValue = bestScore.value;
  const { calibration: _calibrated, ...uncalibrated } = best;
  const defaultsValue = run({ ...uncalibrated, ...pick(SCORER_DEFAULTS, ['alpha', 'timingWeight', 'itemWeight', 'popularityWeight', 'recency', 'freqWeight', 'dueWeight', 'repeatBias']), horizon: horizons.includes(SCORER_DEFAULTS.horizon) ? SCORER_DEFAULTS.horizon : horizons[0]! }).value;
  return { params: best, tifu: stage1.best, value: bestValue, tifuValue, defaultsValue, members: holdout.histories.length, scored: sample.length, runs: seen.size, vectorSettings: stage1.settings, calibration: calibration.tried, floor };
}

/** One calibrated setting the fit tried: its cross-fitted validation scores and whether it was kept. */
export interface CalibrationTrial { repeatSlots: number; repeatBonus: number; value: number; repeat: number; explore: number; kept: boolean }

/** Added to the calibrated logit of the member's own items: the search's way to hold the repeat floor at the least
 * cost (the Lagrangian of "most hits, repeat recall ≥ TIFU-KNN's"). */
export const REPEAT_BONUS = [0, 0.25, 0.5, 1, 1.5, 2, 3];
const REPEAT_FEATURE = CALIBRATION_FEATURES.indexOf('repeat');

// Stage 3: fit the calibration on each half of the sample and score the other half with it, for each repeat bonus,
// with at least the blend's repeat items by each slot (repeatSlots 1) or over the whole list in order of chance (3).
// A setting is kept as any move is
// (moveKept against the searched weights: the floor, and a gain beyond one paired standard error) and when it keeps
// the searched weights' repeat recall; the best kept one wins, and its weights are then fitted on the whole sample.
function calibrate(holdout: Holdout, model: StoreModel, params: ScorerParams, sample: readonly number[], repeatTargets: readonly Set<number>[], searched: HoldoutScore, tifu: HoldoutScore): { tried: CalibrationTrial[]; chosen?: { best: ScorerParams; score: HoldoutScore } } {
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
export function calibrationRows(
  holdout: { histories: readonly (readonly Trip[])[]; targets: readonly (readonly number[])[]; targetDays: readonly number[] },
  model: StoreModel, p: ScorerParams, members: readonly number[],
): { x: Float64Array; y: Uint8Array; w: Float64Array } {
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
  const x = new Float64Array(ys.length * FEATURE_COUNT);
  let o = 0;
  for (const part of xs) {
    x.set(part, o);
    o += part.length;
  }
  return { x, y: Uint8Array.from(ys), w: Float64Array.from(ws) };
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

// One HoldoutScore over the whole sample from the scores of its parts (`parts[h]` scored sample rows `rows[h]`).
function mergeHalves(parts: readonly HoldoutScore[], rows: readonly (readonly number[])[], size: number): HoldoutScore {
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

/** Validation members a fit scores by default (evenly spaced; every member stays a neighbour candidate): enough that
 * one paired standard error is small against the gains the search looks for (on Ta-Feng, 2,500 kept k 100 where
 * 6,000 finds k 300). */
export const FIT_SAMPLE = 6000;

/** Fewest members with a held-out basket a fit needs: below it the validation sample is noise, SCORER_DEFAULTS stay. */
export const MIN_FIT_MEMBERS = 200;

/** The engine's budget when a device fits its own store after an import (a few seconds for a 1,500-member store):
 * fewer validation members and a coarser neighbourhood grid than `larder eval`'s, the same search. */
export const ENGINE_FIT: Pick<FitOptions, 'sample' | 'tifuGrid'> = {
  sample: 150,
  tifuGrid: { groupCount: [3, 7], withinDecay: [0.9, 1], groupDecay: [0.7, 0.9], neighbours: [50, 100, 300], alpha: [0.1, 0.3, 0.5, 0.7, 0.9] },
};

/** The store model with weights fitted on the store's own validation target (each member's latest basket in
 * `histories`): the one path `larder eval` measures and the engine builds. `fixed` overrides fitted weights (the
 * engine drops member neighbours past its index size); a store too small to fit keeps SCORER_DEFAULTS. */
export function fitStoreModel(
  histories: readonly (readonly Trip[])[],
  options: FitOptions & Omit<StoreModelOptions, 'params' | 'itemCount'> & { fixed?: Partial<ScorerParams> },
): { model: StoreModel; fit: ScorerFit | undefined } {
  const { fixed, sample, tifuGrid, scorerGrid, unit, ...build } = options;
  const members = histories.reduce((n, h) => n + (h.length >= 2 ? 1 : 0), 0);
  const fit = members >= MIN_FIT_MEMBERS ? fitScorer(histories, { itemCount: options.itemCount, ...(unit ? { unit } : {}), ...(sample ? { sample } : {}), ...(tifuGrid ? { tifuGrid } : {}), ...(scorerGrid ? { scorerGrid } : {}) }) : undefined;
  const params: ScorerParams = { ...SCORER_DEFAULTS, ...(unit === 'trips' ? { horizon: 1 } : {}), ...fit?.params, ...fixed };
  return { model: buildStoreModel(histories, { ...build, params }), fit };
}

// Coordinate search: each key over its grid values in turn, keeping a change when `better`; at most two passes.
function coordinateSearch(start: ScorerParams, grid: Record<string, readonly number[]>, run: (p: ScorerParams) => HoldoutScore, better: (v: HoldoutScore, b: HoldoutScore) => boolean): { best: ScorerParams; score: HoldoutScore } {
  let best = start;
  let score = run(start);
  for (let pass = 0; pass < 2; pass++) {
    let moved = false;
    for (const key of Object.keys(grid) as (keyof ScorerParams)[]) {
      for (const value of grid[key]!) {
        const p = { ...best, [key]: value };
        const v = run(p);
        if (better(v, score)) {
          best = p;
          score = v;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return { best, score };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
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
