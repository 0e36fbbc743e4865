// Larder's list scorer: TIFU-KNN's group-decayed personal frequencies (Hu et al., SIGIR 2020) blended with neighbours
// (a precomputed member-neighbour index, else item-item cosine neighbours as in item-based CF, Sarwar et al. 2001),
// the repeat/explore split of Li et al. (TOIS 2023), and what those lack: each repeat item's own timing (core/cycles.ts),
// so an item due now outranks one bought yesterday.
import type { ScoredItem, Trip } from '../types.ts';
import { addRow, nearestRows, tifuRows, tifuVector, topK, type SparseRows } from './tifu.ts';
import { CYCLE_DEFAULTS, dueProbability, fitIntervalPriors, posterior, type IntervalPrior } from './cycles.ts';

/** Larder's scorer parameters. */
export interface ScorerParams {
  /** Personal vector: groups, decay of older trips inside a group, decay of older groups (TIFU's r_b, r_g). */
  groupCount: number;
  withinDecay: number;
  groupDecay: number;
  /** Weight of the personal vector against the collaborative one. */
  alpha: number;
  /** Member neighbours kept in the model's index (0 = none: item-item neighbours only). */
  neighbours: number;
  /** Exponent of the due probability on repeat items (0 = timing ignored). */
  timingWeight: number;
  /** Window, in the data's time unit, over which "due" is judged (7 days; 1 when time is trip positions). */
  horizon: number;
  /** Weight of item-item neighbours of the member's items. */
  itemWeight: number;
  /** Weight of store-wide popularity (cold start and explore). */
  popularityWeight: number;
  /** Recency factor of the interval model. */
  recency: number;
}

/** Defaults: the TIFU-KNN Ta-Feng setting plus a moderate timing weight. */
export const SCORER_DEFAULTS: ScorerParams = {
  groupCount: 7,
  withinDecay: 0.9,
  groupDecay: 0.7,
  alpha: 0.7,
  neighbours: 300,
  timingWeight: 0.3,
  horizon: 7,
  itemWeight: 0.05,
  popularityWeight: 0.01,
  recency: CYCLE_DEFAULTS.recency,
};

/** Item-item neighbours kept per item. */
const ITEM_NEIGHBOURS = 20;
/** Items of a member's neighbour mean kept in the model. */
const MEMBER_NEIGHBOUR_ITEMS = 200;

/** Everything the scorer needs about the store, precomputed: plain data and typed arrays (structured-cloneable). */
export interface StoreModel {
  itemCount: number;
  params: ScorerParams;
  /** Share of members who bought each item. */
  popularity: Float32Array;
  /** Items by popularity, most popular first (first 100). */
  popular: Int32Array;
  /** Interval priors per item (log-normal; see core/cycles.ts). */
  priorMu: Float64Array;
  priorTau2: Float64Array;
  priorSigma2: Float64Array;
  /** Item-item cosine neighbours, CSR. */
  itemNbrOffsets: Int32Array;
  itemNbrIds: Int32Array;
  itemNbrSims: Float32Array;
  /** Per model member (index in the histories given to buildStoreModel): the mean of their nearest members'
   * personal vectors, top items only, CSR. Empty when `neighbours` is 0. */
  memberNbr: SparseRows;
}

/** Build the store model from every member's trips (ascending by day; items are dense indexes). */
export function buildStoreModel(
  histories: readonly (readonly Trip[])[],
  options: { itemCount: number; itemCategory?: Int32Array; params?: Partial<ScorerParams>; indexMembers?: readonly number[] },
): StoreModel {
  const params: ScorerParams = { ...SCORER_DEFAULTS, ...options.params };
  const itemCount = options.itemCount;
  const rows = tifuRows(histories, itemCount, params);
  const members = histories.length;
  const df = new Float64Array(itemCount);
  for (let e = 0; e < rows.items.length; e++) df[rows.items[e]!]!++;
  const popularity = new Float32Array(itemCount);
  for (let i = 0; i < itemCount; i++) popularity[i] = members ? df[i]! / members : 0;
  const popular = topByValue(df, 100);
  const priors = fitIntervalPriors(histories, itemCount, options.itemCategory ? { itemCategory: options.itemCategory } : {});
  const item = itemNeighbours(rows, df, itemCount);
  const memberNbr = params.neighbours > 0 ? memberNeighbourMeans(rows, itemCount, params.neighbours, options.indexMembers) : emptyRows(0);
  return {
    itemCount,
    params,
    popularity,
    popular,
    priorMu: priors.mu,
    priorTau2: priors.tau2,
    priorSigma2: priors.sigma2,
    itemNbrOffsets: item.offsets,
    itemNbrIds: item.ids,
    itemNbrSims: item.sims,
    memberNbr,
  };
}

function emptyRows(n: number): SparseRows {
  return { offsets: new Int32Array(n + 1), items: new Int32Array(0), values: new Float32Array(0), norms2: new Float64Array(n) };
}

function topByValue(values: Float64Array, k: number): Int32Array {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => values[b]! - values[a]! || a - b);
  return Int32Array.from(idx.slice(0, Math.min(k, idx.length)));
}

// Item-item cosine over members' item sets, shrunk by +10 in the denominator so rare pairs do not dominate.
function itemNeighbours(rows: SparseRows, df: Float64Array, itemCount: number): { offsets: Int32Array; ids: Int32Array; sims: Float32Array } {
  const n = rows.norms2.length;
  // Inverted index item → members, members' item lists capped to their 100 heaviest items to bound Σ|m|².
  const capped: Int32Array[] = [];
  for (let m = 0; m < n; m++) {
    const from = rows.offsets[m]!;
    const to = rows.offsets[m + 1]!;
    const ids = rows.items.subarray(from, to);
    if (ids.length <= 100) {
      capped.push(ids);
      continue;
    }
    const order = Array.from(ids.keys()).sort((a, b) => rows.values[from + b]! - rows.values[from + a]!);
    capped.push(Int32Array.from(order.slice(0, 100), (j) => ids[j]!));
  }
  const postStart = new Int32Array(itemCount + 1);
  for (const ids of capped) for (const i of ids) postStart[i + 1]!++;
  for (let i = 0; i < itemCount; i++) postStart[i + 1]! += postStart[i]!;
  const post = new Int32Array(postStart[itemCount]!);
  const fill = postStart.slice(0, itemCount);
  for (let m = 0; m < n; m++) for (const i of capped[m]!) post[fill[i]!++] = m;
  const co = new Float64Array(itemCount);
  const touched: number[] = [];
  const offsets = new Int32Array(itemCount + 1);
  const ids: number[] = [];
  const sims: number[] = [];
  for (let i = 0; i < itemCount; i++) {
    touched.length = 0;
    for (let p = postStart[i]!; p < postStart[i + 1]!; p++) {
      for (const j of capped[post[p]!]!) {
        if (j === i) continue;
        if (co[j] === 0) touched.push(j);
        co[j]!++;
      }
    }
    for (const j of touched) co[j] = co[j]! / (Math.sqrt(df[i]! * df[j]!) + 10);
    for (const j of topK(touched, touched.length, co, ITEM_NEIGHBOURS)) {
      ids.push(j);
      sims.push(co[j]!);
    }
    for (const j of touched) co[j] = 0;
    offsets[i + 1] = ids.length;
  }
  return { offsets, ids: Int32Array.from(ids), sims: Float32Array.from(sims) };
}

// Each indexed member's mean of their k nearest members' personal vectors (TIFU-KNN's neighbour part), kept for the
// member's own items (exact, so the blend equals TIFU-KNN's on them) and the top other items.
function memberNeighbourMeans(rows: SparseRows, itemCount: number, k: number, indexMembers?: readonly number[]): SparseRows {
  const n = rows.norms2.length;
  const queries = indexMembers ?? Array.from({ length: n }, (_, i) => i);
  const nbrs = nearestRows(rows, itemCount, k, queries);
  const acc = new Float64Array(itemCount);
  const touched: number[] = [];
  const rowItems: Int32Array[] = new Array(n);
  const rowValues: Float32Array[] = new Array(n);
  for (let qi = 0; qi < queries.length; qi++) {
    const q = queries[qi]!;
    touched.length = 0;
    let used = 0;
    for (let j = 0; j < k; j++) if (nbrs[qi * k + j]! >= 0) used++;
    for (let j = 0; j < k && used > 0; j++) {
      const r = nbrs[qi * k + j]!;
      if (r >= 0) addRow(rows, r, 1 / used, acc, touched);
    }
    const keep: number[] = [];
    for (let e = rows.offsets[q]!; e < rows.offsets[q + 1]!; e++) {
      const i = rows.items[e]!;
      if (acc[i]! > 0) {
        keep.push(i);
        acc[i] = -acc[i]!; // mark as kept
      }
    }
    const others = touched.filter((i) => acc[i]! > 0);
    for (const i of topK(others, others.length, acc, MEMBER_NEIGHBOUR_ITEMS)) keep.push(i);
    rowItems[q] = Int32Array.from(keep);
    rowValues[q] = Float32Array.from(keep, (i) => Math.abs(acc[i]!));
    for (const j of touched) acc[j] = 0;
  }
  const offsets = new Int32Array(n + 1);
  for (let q = 0; q < n; q++) offsets[q + 1] = offsets[q]! + (rowItems[q]?.length ?? 0);
  const items = new Int32Array(offsets[n]!);
  const values = new Float32Array(offsets[n]!);
  for (let q = 0; q < n; q++) {
    if (!rowItems[q]) continue;
    items.set(rowItems[q]!, offsets[q]!);
    values.set(rowValues[q]!, offsets[q]!);
  }
  return { offsets, items, values, norms2: new Float64Array(n) };
}

// Per-model scratch buffers, reused across calls (the scorer is called once per member in batch runs).
const scratchOf = new WeakMap<StoreModel, { score: Float64Array; own: Float64Array; last: Float64Array; newer: Float64Array; sumW: Float64Array; sumWY: Float64Array; w: Float64Array; count: Int32Array }>();

function scratch(model: StoreModel) {
  let s = scratchOf.get(model);
  if (!s) {
    const n = model.itemCount;
    s = { score: new Float64Array(n), own: new Float64Array(n), last: new Float64Array(n), newer: new Float64Array(n), sumW: new Float64Array(n), sumWY: new Float64Array(n), w: new Float64Array(n), count: new Int32Array(n) };
    scratchOf.set(model, s);
  }
  return s;
}

/** Score a member's candidates for their next trip as of `asOfDay` (trips ascending, those after asOfDay ignored):
 * repeat items (bought before) by decayed frequency × how due they are, explore items from neighbours and
 * item associations. `member` is the member's index in the model's histories, when it has one. */
export function scoreMember(
  trips: readonly Trip[],
  model: StoreModel,
  asOfDay: number,
  options: { limit?: number; exploreLimit?: number; member?: number; params?: Partial<ScorerParams> } = {},
): ScoredItem[] {
  const p = options.params ? { ...model.params, ...options.params } : model.params;
  const limit = options.limit ?? 20;
  const exploreLimit = options.exploreLimit ?? limit;
  let end = trips.length;
  while (end > 0 && trips[end - 1]!.day > asOfDay) end--;
  const history = end === trips.length ? trips : trips.slice(0, end);
  const s = scratch(model);
  const { score, own, last, newer, sumW, sumWY, w, count } = s;
  // Personal vector (TIFU eq. 1–2) into `own`; `mine` lists the member's items.
  const mine: number[] = [];
  tifuVector(history, p, own, mine);
  // Intervals per item, newest first, recency-weighted (core/cycles.ts dueDay, vectorised over items).
  for (let t = history.length - 1; t >= 0; t--) {
    const day = history[t]!.day;
    for (const item of history[t]!.items) {
      if (count[item] === 0) {
        count[item] = 1;
        last[item] = day;
        newer[item] = day;
        w[item] = 1;
        continue;
      }
      if (day >= newer[item]!) continue;
      const y = Math.log(Math.max(1, newer[item]! - day));
      sumW[item]! += w[item]!;
      sumWY[item]! += w[item]! * y;
      w[item]! *= p.recency;
      newer[item] = day;
      count[item]!++;
    }
  }
  const touched: number[] = [];
  const add = (item: number, v: number) => {
    if (v <= 0) return;
    if (score[item] === 0) touched.push(item);
    score[item]! += v;
  };
  for (const item of mine) add(item, p.alpha * own[item]!);
  const nb = model.memberNbr;
  const m = options.member;
  const hasIndex = m !== undefined && m >= 0 && m < nb.offsets.length - 1;
  if (hasIndex) {
    for (let e = nb.offsets[m]!; e < nb.offsets[m + 1]!; e++) add(nb.items[e]!, (1 - p.alpha) * nb.values[e]!);
  }
  // Item-item neighbours of the member's items stand in for member neighbours when the member is not indexed.
  const itemW = hasIndex ? p.itemWeight : p.itemWeight + (1 - p.alpha);
  if (itemW > 0) {
    for (const i of mine) {
      const wi = itemW * own[i]!;
      for (let e = model.itemNbrOffsets[i]!; e < model.itemNbrOffsets[i + 1]!; e++) add(model.itemNbrIds[e]!, wi * model.itemNbrSims[e]!);
    }
  }
  if (p.popularityWeight > 0) for (const item of model.popular) add(item, p.popularityWeight * model.popularity[item]!);
  // Timing: repeat items scaled by the probability they are bought within the horizon.
  const dueOf = new Map<number, ReturnType<typeof posterior>>();
  for (const item of mine) {
    const prior: IntervalPrior = { mu: model.priorMu[item]!, tau2: model.priorTau2[item]!, sigma2: model.priorSigma2[item]! };
    const due = posterior(sumW[item]!, sumWY[item]!, count[item]!, last[item]!, prior);
    dueOf.set(item, due);
    if (p.timingWeight > 0 && score[item]! > 0) {
      const h = dueProbability(due, asOfDay, p.horizon);
      score[item]! *= Math.pow((h + 0.02) / 1.02, p.timingWeight);
    }
  }
  // Rank: best `limit`, at most `exploreLimit` of them explore items.
  touched.sort((a, b) => score[b]! - score[a]! || a - b);
  const out: ScoredItem[] = [];
  let explore = 0;
  for (const item of touched) {
    if (out.length >= limit) break;
    const due = dueOf.get(item);
    if (due) {
      out.push({ item, score: score[item]!, kind: 'repeat', dueDay: due.dueDay, confidence: due.confidence, intervalDays: due.intervalDays, lastDay: due.lastDay, count: due.count });
    } else {
      if (explore >= exploreLimit) continue;
      explore++;
      out.push({ item, score: score[item]!, kind: 'explore', confidence: Math.min(1, model.popularity[item]! * 10), count: 0 });
    }
  }
  for (const item of touched) score[item] = 0;
  for (const item of mine) {
    own[item] = 0;
    last[item] = 0;
    newer[item] = 0;
    sumW[item] = 0;
    sumWY[item] = 0;
    w[item] = 0;
    count[item] = 0;
  }
  return out;
}
