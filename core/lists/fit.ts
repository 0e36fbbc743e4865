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
  repeatSlots: [2, 1, 0],
};

/** Weights that order the member's own items (scored on repeat hits), new items (explore hits), and the blend and
 * the sharing of slots between the two (the whole objective). */
/** Share of TIFU-KNN's validation explore recall a fitted setting must keep: a store whose validation says repeat
 * items are the likelier hits may give a repeat item a slot TIFU-KNN's blend gives a new one, never most of them. */
export const EXPLORE_KEPT = 0.9;
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
  const floor: FitFloor = { repeat: startScore.repeat, explore: EXPLORE_KEPT * startScore.explore, value: startScore.value };
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
  const { best, score: bestScore } = searched;
  const bestValue = bestScore.value;
  const defaultsValue = run({ ...best, ...pick(SCORER_DEFAULTS, ['alpha', 'timingWeight', 'itemWeight', 'popularityWeight', 'recency', 'freqWeight', 'dueWeight', 'repeatBias']), horizon: horizons.includes(SCORER_DEFAULTS.horizon) ? SCORER_DEFAULTS.horizon : horizons[0]! }).value;
  return { params: best, tifu: stage1.best, value: bestValue, tifuValue, defaultsValue, members: holdout.histories.length, scored: sample.length, runs: seen.size, vectorSettings: stage1.settings };
}

/** What every kept move must hold on validation: TIFU-KNN's repeat Recall@10, EXPLORE_KEPT of its explore
 * Recall@10, and its whole objective. */
export interface FitFloor { repeat: number; explore: number; value: number }

/** Whether the search keeps a move from `b` to `v` judged on `kind` (the whole objective, repeat or explore hits): it
 * holds the floor and gains more than one paired standard error of the per-member difference on that metric. */
export function moveKept(kind: 'value' | 'repeat' | 'explore', v: HoldoutScore, b: HoldoutScore, floor: FitFloor): boolean {
  if (v.repeat < floor.repeat || v.explore < floor.explore || v.value < floor.value) return false;
  const [pv, pb] = kind === 'value' ? [v.per, b.per] : kind === 'repeat' ? [v.perRepeat, b.perRepeat] : [v.perExplore, b.perExplore];
  const { se } = pairedMean(pv, pb);
  return v[kind] - b[kind] > (Number.isFinite(se) ? se : 0); // one validation member: any gain is kept
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
  repeat: number;
  explore: number;
  per: Float64Array;
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
  let rep = 0;
  let repMembers = 0;
  let exp = 0;
  let expMembers = 0;
  const per = new Float64Array(sample.length);
  const perRepeat = new Float64Array(sample.length).fill(Number.NaN);
  const perExplore = new Float64Array(sample.length).fill(Number.NaN);
  for (let j = 0; j < sample.length; j++) {
    const m = sample[j]!;
    const ranked = scoreMember(holdout.histories[m]!, model, holdout.targetDays[m]!, { member: m, params, limit: 10 });
    const target = new Set(holdout.targets[m]!);
    const ids = ranked.map((s) => s.item);
    per[j] = recallAt(ids, target, 10) + ndcgAt(ids, target, 10);
    sum += per[j]!;
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
  return { value: sample.length ? sum / sample.length : 0, repeat: repMembers ? rep / repMembers : 0, explore: expMembers ? exp / expMembers : 0, per, perRepeat, perExplore };
}
