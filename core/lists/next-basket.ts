// Larder's list scorer: TIFU-KNN's group-decayed personal frequencies (Hu et al., SIGIR 2020) blended with neighbours
// (a member-neighbour mean, from the model's index or the member pack, else item-item cosine neighbours as in
// item-based CF, Sarwar et al. 2001), the repeat/explore split of Li et al. (TOIS 2023), and what those lack: each
// repeat item's own timing (core/lists/cycles.ts), so an item due now outranks one bought yesterday, and a plain
// personal-frequency and rhythm term a store of regular members can let dominate (weights fitted per store, fit.ts).
// A store whose fit kept the calibrated blend (`params.calibration`) is ranked by calibrated.ts instead.
import type { ScoredItem, Trip } from '../types.ts';
import { tifuVector, topK } from './tifu.ts';
import { dueProbability, posterior, type IntervalPrior } from './cycles.ts';
import type { StoreModel } from './store-model.ts';
import type { NeighbourVector } from './neighbours.ts';
import type { ScorerParams } from './scorer-params.ts';
import { isCalibrated, scoreCalibrated } from './calibrated.ts';
import { accumulateIntervals, clampShare, clearIntervals, eachNeighbour, intervalScratch, memberRepeatShare, ownGap, type IntervalScratch } from './member-terms.ts';

export { SCORER_DEFAULTS, type ScorerParams } from './scorer-params.ts';
export { buildStoreModel, buildDeviceStoreModel, type StoreModel, type StoreModelOptions } from './store-model.ts';
export { memberRepeatShare } from './member-terms.ts';

// Per-model scratch buffers, reused across calls (the scorer is called once per member in batch runs).
const scratchOf = new WeakMap<StoreModel, IntervalScratch & { score: Float64Array; own: Float64Array }>();

function scratch(model: StoreModel) {
  let s = scratchOf.get(model);
  if (!s) {
    const n = model.itemCount;
    s = { score: new Float64Array(n), own: new Float64Array(n), ...intervalScratch(n) };
    scratchOf.set(model, s);
  }
  return s;
}

/** Options of one member's scoring. */
export interface ScoreOptions {
  limit?: number;
  exploreLimit?: number;
  /** At most this many repeat items (default `limit`). */
  repeatLimit?: number;
  /** The member's index in the model's histories, when the model has a member index. */
  member?: number;
  /** The member's neighbour term as headquarters computed it for the member pack (used when `member` is not indexed). */
  neighbour?: Pick<NeighbourVector, 'items' | 'values'>;
  params?: Partial<ScorerParams>;
}

/** Score a member's candidates for their next trip as of `asOfDay` (trips ascending, those after asOfDay ignored):
 * repeat items (bought before) by decayed frequency, plain frequency and rhythm × how due they are, explore items
 * from neighbours and item associations. */
export function scoreMember(
  trips: readonly Trip[],
  model: StoreModel,
  asOfDay: number,
  options: ScoreOptions = {},
): ScoredItem[] {
  const p = options.params ? { ...model.params, ...options.params } : model.params;
  const limit = options.limit ?? 20;
  const exploreLimit = options.exploreLimit ?? limit;
  let end = trips.length;
  while (end > 0 && trips[end - 1]!.day > asOfDay) end--;
  const history = end === trips.length ? trips : trips.slice(0, end);
  if (isCalibrated(p)) {
    const limits = { limit, exploreLimit, repeatLimit: options.repeatLimit ?? limit };
    return scoreCalibrated(history, model, asOfDay, p, options, limits);
  }
  const s = scratch(model);
  const { score, own, last, sumW, sumWY, count } = s;
  // Personal vector (TIFU eq. 1–2) into `own`; `mine` lists the member's items.
  const mine: number[] = [];
  tifuVector(history, p, own, mine);
  accumulateIntervals(history, p.recency, s);
  const touched: number[] = [];
  const add = (item: number, v: number) => {
    if (v <= 0) return;
    if (score[item] === 0) touched.push(item);
    score[item]! += v;
  };
  for (const item of mine) add(item, p.alpha * own[item]!);
  const hasIndex = eachNeighbour(model, options, (item, v) => add(item, (1 - p.alpha) * v));
  // Item-item neighbours of the member's items stand in for member neighbours when the member is not indexed.
  const itemW = hasIndex ? p.itemWeight : p.itemWeight + (1 - p.alpha);
  if (itemW > 0) {
    for (const i of mine) {
      const wi = itemW * own[i]!;
      for (let e = model.itemNbrOffsets[i]!; e < model.itemNbrOffsets[i + 1]!; e++) add(model.itemNbrIds[e]!, wi * model.itemNbrSims[e]!);
    }
  }
  // The collaborative blend as TIFU-KNN ranks it (own + neighbours, before popularity and the repeat-only terms):
  // with `repeatSlots`, the list's first k slots hold at least as many of the member's own items as its first k do,
  // so a popular new item never takes a slot a repeat item holds in the blend (Li et al.: repeat items are the sure
  // hits); the repeat-only terms then only reorder the member's items.
  const floor = p.repeatSlots > 0 && (hasIndex || itemW > 0) ? repeatFloor(touched, score, mine, Math.min(limit, options.repeatLimit ?? limit)) : undefined;
  if (p.popularityWeight > 0) for (const item of model.popular) add(item, p.popularityWeight * model.popularity[item]!);
  // Repeat items: plain frequency (share of the member's trips), then scaled by the probability they are bought
  // within the horizon, plus a rhythm bonus trusted as far as the member's own intervals are steady.
  const trips_ = history.length;
  const horizon = p.horizon > 0 ? p.horizon : ownGap(history);
  const dueOf = new Map<number, ReturnType<typeof posterior>>();
  for (const item of mine) {
    const prior: IntervalPrior = { mu: model.priorMu[item]!, tau2: model.priorTau2[item]!, sigma2: model.priorSigma2[item]! };
    const due = posterior(sumW[item]!, sumWY[item]!, count[item]!, last[item]!, prior);
    dueOf.set(item, due);
    if (p.freqWeight > 0) add(item, (p.freqWeight * count[item]!) / trips_);
    if (p.timingWeight <= 0 && p.dueWeight <= 0) continue;
    const h = dueProbability(due, asOfDay, horizon);
    if (p.timingWeight > 0 && score[item]! > 0) score[item]! *= Math.pow((h + 0.02) / 1.02, p.timingWeight);
    if (p.dueWeight > 0) add(item, p.dueWeight * h * due.confidence);
  }
  // The member's repeat odds against the store's: a member who rebuys gets repeat items first, an explorer new ones.
  const rm = memberRepeatShare(history, mine.length, model.repeatRate);
  if (p.repeatBias !== 0 && history.length >= 2) {
    const rs = clampShare(model.repeatRate);
    const factor = Math.pow((rm / (1 - rm)) * ((1 - rs) / rs), p.repeatBias);
    for (const item of mine) score[item]! *= factor;
  }
  // Rank: repeat and explore candidates each by score, merged by score (within the slots `repeatSlots` shares out).
  const repeatIds: number[] = [];
  const exploreIds: number[] = [];
  for (const item of touched) (dueOf.has(item) ? repeatIds : exploreIds).push(item);
  const rTop = topK(repeatIds, repeatIds.length, score, Math.min(limit, options.repeatLimit ?? limit));
  const eTop = topK(exploreIds, exploreIds.length, score, Math.min(limit, exploreLimit));
  const out: ScoredItem[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < rTop.length || j < eTop.length)) {
    const vr = i < rTop.length ? score[rTop[i]!]! : -1;
    const ve = j < eTop.length ? score[eTop[j]!]! : -1;
    const k = out.length;
    const owed = floor !== undefined && i < rTop.length && i < floor[k]!;
    // Allocation as the blend's (repeatSlots 2): past the repeat items it holds by slot k, the slot is an explore one.
    const spare = floor !== undefined && p.repeatSlots === 2 && j < eTop.length && i >= floor[k]!;
    const takeRepeat = owed || (!spare && vr > ve) || (vr === ve && (j >= eTop.length || (i < rTop.length && rTop[i]! < eTop[j]!)));
    if (takeRepeat) {
      const item = rTop[i++]!;
      const due = dueOf.get(item)!;
      out.push({ item, score: vr, kind: 'repeat', dueDay: due.dueDay, confidence: due.confidence, intervalDays: due.intervalDays, lastDay: due.lastDay, count: due.count });
    } else {
      const item = eTop[j++]!;
      out.push({ item, score: ve, kind: 'explore', confidence: Math.min(1, model.popularity[item]! * 10), count: 0 });
    }
  }
  for (const item of touched) score[item] = 0;
  for (const item of mine) own[item] = 0;
  clearIntervals(s, mine);
  return out;
}


/** Per slot k (0-based), how many of the member's own items (`mine`) the blend's first k + 1 hold. */
function repeatFloor(touched: readonly number[], score: Float64Array, mine: readonly number[], limit: number): Int32Array {
  const top = topK(touched, touched.length, score, limit);
  const own = new Set<number>(mine);
  const out = new Int32Array(limit);
  let r = 0;
  for (let k = 0; k < limit; k++) {
    if (k < top.length && own.has(top[k]!)) r++;
    out[k] = r;
  }
  return out;
}
