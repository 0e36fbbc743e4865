// Fit the list scorer per store on the store's own validation target: each member's latest basket is held out, the
// weights that rank it best from the history before it are kept (coordinate search, Recall@10 + NDCG@10). The eval
// (core/eval/protocol.ts) and headquarters' store-model build call this same function, once per store.
import type { Trip } from '../types.ts';
import type { TifuParams } from './tifu.ts';
import { TIFU_GRID, TIFU_START, tuneTifu } from './fit-tifu.ts';
import { buildStoreModel, type StoreModel, type StoreModelOptions } from './store-model.ts';
import { SCORER_DEFAULTS, type ScorerParams } from './scorer-params.ts';
import { EXPLORE_KEPT, evenSample, holdoutObjective, holdoutOf, moveKept, repeatsOf, type FitFloor, type HoldoutScore } from './holdout.ts';
import { calibrate, type CalibrationTrial } from './fit-calibrated.ts';

export { TIFU_GRID, TIFU_START, tuneTifu } from './fit-tifu.ts';
export { EXPLORE_KEPT, evenSample, holdoutObjective, holdoutOf, moveKept, repeatsOf, subsetScore, type FitFloor, type Holdout, type HoldoutScore } from './holdout.ts';
export { calibrationRows, REPEAT_BONUS, type CalibrationTrial } from './fit-calibrated.ts';

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
