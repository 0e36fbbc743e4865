// The store model: every aggregate the list scorer reads about the store (popularity, interval priors, item-item
// neighbours, the fitted weights). Headquarters builds the device copy with every statistic from ≥ k members
// (DESIGN.md "Who holds what"); the eval and the worker's own model build the same thing with an optional member index.
import type { Trip } from '../types.ts';
import { tifuRows, topK, type SparseRows } from './tifu.ts';
import { FLAT_PRIOR, fitIntervalPriors } from './cycles.ts';
import { K_ANONYMITY, neighbourRows } from './neighbours.ts';
import { SCORER_DEFAULTS, type ScorerParams } from './scorer-params.ts';

/** Item-item neighbours kept per item. */
const ITEM_NEIGHBOURS = 20;

/** Everything the scorer needs about the store, precomputed: plain data and typed arrays (structured-cloneable). */
export interface StoreModel {
  itemCount: number;
  params: ScorerParams;
  /** Share of members who bought each item (0 for items below the model's member floor). */
  popularity: Float32Array;
  /** Items by popularity, most popular first (first 100). */
  popular: Int32Array;
  /** Interval priors per item (log-normal; see core/lists/cycles.ts). */
  priorMu: Float64Array;
  priorTau2: Float64Array;
  priorSigma2: Float64Array;
  /** Item-item cosine neighbours, CSR. */
  itemNbrOffsets: Int32Array;
  itemNbrIds: Int32Array;
  itemNbrSims: Float32Array;
  /** Per model member (index in the histories given to buildStoreModel): the mean of their nearest members'
   * personal vectors, top items only, CSR. Empty when `neighbours` is 0 and in a device's model. */
  memberNbr: SparseRows;
  /** Store-wide share of items members bought again (items of their trips after the first already bought before). */
  repeatRate: number;
}

/** Options of a store model build. */
export interface StoreModelOptions {
  itemCount: number;
  itemCategory?: Int32Array;
  params?: Partial<ScorerParams>;
  /** Members whose neighbour means are indexed (default all, when `params.neighbours` > 0). */
  indexMembers?: readonly number[];
  /** Fewest members behind any item statistic (popularity, priors, item pairs); 1 keeps everything. */
  minMembers?: number;
  /** false: no per-member index inside (a device's model). */
  memberIndex?: boolean;
}

/** Build the store model from every member's trips (ascending by day; items are dense indexes). */
export function buildStoreModel(histories: readonly (readonly Trip[])[], options: StoreModelOptions): StoreModel {
  const params: ScorerParams = { ...SCORER_DEFAULTS, ...options.params };
  const itemCount = options.itemCount;
  const floor = Math.max(1, options.minMembers ?? 1);
  const rows = tifuRows(histories, itemCount, params);
  const members = histories.length;
  const df = new Float64Array(itemCount);
  for (let e = 0; e < rows.items.length; e++) df[rows.items[e]!]!++;
  for (let i = 0; i < itemCount; i++) if (df[i]! < floor) df[i] = 0;
  const popularity = new Float32Array(itemCount);
  for (let i = 0; i < itemCount; i++) popularity[i] = members ? df[i]! / members : 0;
  const popular = topByValue(df, 100);
  const priors = fitIntervalPriors(histories, itemCount, options.itemCategory ? { itemCategory: options.itemCategory } : {});
  if (floor > 1) {
    // A prior from fewer than `floor` members would describe them: fall back to the store's (itself flat when the
    // store has too few), and drop category priors, which can be as small.
    let pooled = 0;
    for (let i = 0; i < itemCount; i++) pooled += priors.members[i]!;
    const store = pooled >= floor ? priors.store : FLAT_PRIOR;
    for (let i = 0; i < itemCount; i++) {
      if (priors.members[i]! >= floor) continue;
      priors.mu[i] = store.mu;
      priors.tau2[i] = store.tau2;
      priors.sigma2[i] = store.sigma2;
    }
  }
  const item = itemNeighbours(rows, df, itemCount, floor);
  const indexed = options.memberIndex !== false && params.neighbours > 0;
  const memberNbr = indexed ? neighbourRows(rows, itemCount, params.neighbours, options.indexMembers) : emptyRows(0);
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
    repeatRate: members >= floor ? storeRepeatRate(histories) : 0.5,
  };
}

/** The store model a device receives: no member index, and every popularity, prior and item pair from at least
 * `k` training members (a store with fewer than `k` members yields no item statistics at all). */
export function buildDeviceStoreModel(histories: readonly (readonly Trip[])[], options: Omit<StoreModelOptions, 'minMembers' | 'memberIndex' | 'indexMembers'> & { k?: number }): StoreModel {
  const k = Math.max(K_ANONYMITY, options.k ?? K_ANONYMITY);
  const { k: _k, ...rest } = options;
  return buildStoreModel(histories, { ...rest, minMembers: histories.length < k ? Number.POSITIVE_INFINITY : k, memberIndex: false });
}

/** Pooled share of repeat items over the members' trips after their first, and what a member's own share needs. */
export function repeatCounts(trips: readonly Trip[]): { repeats: number; chances: number } {
  if (trips.length < 2) return { repeats: 0, chances: 0 };
  const seen = new Set<number>(trips[0]!.items);
  let repeats = 0;
  let chances = 0;
  for (let t = 1; t < trips.length; t++) {
    for (const i of trips[t]!.items) {
      chances++;
      if (seen.has(i)) repeats++;
    }
    for (const i of trips[t]!.items) seen.add(i);
  }
  return { repeats, chances };
}

function storeRepeatRate(histories: readonly (readonly Trip[])[]): number {
  let r = 0;
  let c = 0;
  for (const h of histories) {
    const x = repeatCounts(h);
    r += x.repeats;
    c += x.chances;
  }
  return c ? r / c : 0.5;
}

function emptyRows(n: number): SparseRows {
  return { offsets: new Int32Array(n + 1), items: new Int32Array(0), values: new Float32Array(0), norms2: new Float64Array(n) };
}

function topByValue(values: Float64Array, k: number): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i]! > 0) idx.push(i);
  idx.sort((a, b) => values[b]! - values[a]! || a - b);
  return Int32Array.from(idx.slice(0, Math.min(k, idx.length)));
}

// Item-item cosine over members' item sets, shrunk by +10 in the denominator so rare pairs do not dominate; pairs
// bought together by fewer than `floor` members are dropped.
function itemNeighbours(rows: SparseRows, df: Float64Array, itemCount: number, floor: number): { offsets: Int32Array; ids: Int32Array; sims: Float32Array } {
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
    if (df[i]! > 0) {
      for (let p = postStart[i]!; p < postStart[i + 1]!; p++) {
        for (const j of capped[post[p]!]!) {
          if (j === i || df[j]! === 0) continue;
          if (co[j] === 0) touched.push(j);
          co[j]!++;
        }
      }
    }
    for (const j of touched) co[j] = co[j]! < floor ? 0 : co[j]! / (Math.sqrt(df[i]! * df[j]!) + 10);
    const kept = touched.filter((j) => co[j]! > 0);
    for (const j of topK(kept, kept.length, co, ITEM_NEIGHBOURS)) {
      ids.push(j);
      sims.push(co[j]!);
    }
    for (const j of touched) co[j] = 0;
    offsets[i + 1] = ids.length;
  }
  return { offsets, ids: Int32Array.from(ids), sims: Float32Array.from(sims) };
}
