// Larder's list scorer: TIFU-KNN's time-decayed personal and neighbour frequencies (Hu et al., KDD 2020), with what
// it lacks — each repeat item's own repurchase timing (core/repurchase.ts): an item due now outranks one bought
// yesterday. Exploration items (never bought by the member) come from the neighbours and stay marked as such.
import type { ScoredItem, Trip } from './types.ts';
import { indexVectors, nearest, tifuScores, tifuVector, TIFU_TAFENG, type TifuParams, type VectorIndex } from './nbr-baselines.ts';
import { dueDay, dueness, priorFrom, type IntervalPrior } from './repurchase.ts';

/** The scorer's parameters: TIFU-KNN's plus the weight of timing. */
export interface ScorerParams extends TifuParams {
  /** 0 = pure TIFU-KNN; 1 = the frequency score is multiplied by how due the item is. */
  timingWeight: number;
  /** Intervals of the member's own that weigh as much as the item prior. */
  priorWeight: number;
}

export const DEFAULT_SCORER: ScorerParams = { ...TIFU_TAFENG, neighbours: 100, timingWeight: 0.5, priorWeight: 2 };

/** Store-wide state the scorer needs: every member's vector (for neighbours) and interval priors. Plain data. */
export interface StoreModel {
  itemCount: number;
  params: ScorerParams;
  index: VectorIndex;
  /** Per item: prior on the log repurchase interval (from all members), falling back to its category's. */
  itemPriors: IntervalPrior[];
}

/** Log intervals between consecutive purchases of each item by the same member, pooled per item. */
function pooledLogIntervals(histories: readonly (readonly Trip[])[], itemCount: number): number[][] {
  const pooled: number[][] = Array.from({ length: itemCount }, () => []);
  const last = new Map<number, number>();
  for (const trips of histories) {
    last.clear();
    for (const t of trips) {
      for (const i of t.items) {
        const prev = last.get(i);
        if (prev !== undefined && t.day > prev) pooled[i]!.push(Math.log(t.day - prev));
        last.set(i, t.day);
      }
    }
  }
  return pooled;
}

/** Build the store model from all members' histories (index = member position, used to exclude self). */
export function buildStoreModel(
  histories: readonly (readonly Trip[])[],
  options: { itemCount: number; itemCategory?: Int32Array; params?: Partial<ScorerParams> },
): StoreModel {
  const params = { ...DEFAULT_SCORER, ...options.params };
  const index = indexVectors(histories.map((h) => tifuVector(h, params)), options.itemCount);
  const pooled = pooledLogIntervals(histories, options.itemCount);
  // Category priors pool the category's items: a thin item borrows its category's rhythm (empirical Bayes, two levels).
  const catPooled = new Map<number, number[]>();
  if (options.itemCategory) pooled.forEach((xs, i) => {
    const c = options.itemCategory![i]!;
    const list = catPooled.get(c);
    if (list) { for (const x of xs) list.push(x); } else catPooled.set(c, [...xs]);
  });
  const all = pooled.flat();
  const storePrior = priorFrom(all, 14, params.priorWeight);
  const itemPriors = pooled.map((xs, i) => {
    const cat = options.itemCategory ? catPooled.get(options.itemCategory[i]!) : undefined;
    const fallback = cat && cat.length >= 3 ? priorFrom(cat, 14, params.priorWeight) : storePrior;
    if (xs.length < 5) return fallback;
    const own = priorFrom(xs, 14, params.priorWeight);
    // Shrink the item's mean toward the category's by the item's sample size.
    const k = 10;
    return { ...own, meanLog: (xs.length * own.meanLog + k * fallback.meanLog) / (xs.length + k) };
  });
  return { itemCount: options.itemCount, params, index, itemPriors };
}

/** Rank items for the member's next trip on `asOfDay`. `self` is the member's position in the model, if any. */
export function scoreMember(
  trips: readonly Trip[],
  model: StoreModel,
  asOfDay: number,
  options: { limit?: number; exploreLimit?: number; self?: number; params?: Partial<ScorerParams> } = {},
): ScoredItem[] {
  const p = { ...model.params, ...options.params };
  const history = trips.filter((t) => t.day <= asOfDay);
  const own = tifuVector(history, p);
  const neighbours = p.alpha < 1 && p.neighbours > 0 ? nearest(model.index, own, p.neighbours, options.self ?? -1) : [];
  const base = tifuScores(own, model.index, neighbours, p.alpha);
  const days = new Map<number, number[]>();
  for (const t of history) for (const i of t.items) {
    const list = days.get(i);
    if (list) list.push(t.day);
    else days.set(i, [t.day]);
  }
  const repeat: ScoredItem[] = [];
  const explore: ScoredItem[] = [];
  for (const [item, score] of base) {
    const seen = days.get(item);
    if (!seen) {
      explore.push({ item, score: score * (1 - p.timingWeight * 0.5), kind: 'explore', confidence: 0, count: 0 });
      continue;
    }
    const prior = model.itemPriors[item] ?? priorFrom([], 14, p.priorWeight);
    const due = dueDay(seen, { ...prior, weight: p.priorWeight });
    const last = seen[seen.length - 1]!;
    const timing = due ? dueness(last, due.intervalDays, asOfDay, prior.sdLog) : 1;
    repeat.push({
      item, score: score * (1 - p.timingWeight + p.timingWeight * timing), kind: 'repeat',
      confidence: due?.confidence ?? 0, lastDay: last, count: seen.length,
      ...(due ? { dueDay: due.dueDay, intervalDays: due.intervalDays } : {}),
    });
  }
  const byScore = (a: ScoredItem, b: ScoredItem) => b.score - a.score || a.item - b.item;
  const limit = options.limit ?? 20;
  const exploreLimit = options.exploreLimit ?? limit;
  return [...repeat, ...explore.sort(byScore).slice(0, exploreLimit)].sort(byScore).slice(0, limit + exploreLimit);
}
