// The calibrated blend (#22): each candidate's chance to be in the member's next basket, a logistic function of the
// scorer's own terms (personal frequency, decayed frequency, the last trip, rhythm and due-ness, neighbours, item
// pairs, popularity) with weights fitted per store on its validation target (fit.ts). The
// store's own data, not fixed exponents, then decides how far a regular member's repeat items outrank popular ones.
import type { ScoredItem, Trip } from '../types.ts';
import { tifuVector, topK } from './tifu.ts';
import { dueProbability, posterior, type Due } from './cycles.ts';
import type { StoreModel } from './store-model.ts';
import type { ScorerParams } from './scorer-params.ts';
import { accumulateIntervals, clearIntervals, eachNeighbour, intervalScratch, ownGap, type IntervalScratch, type NeighbourSource } from './member-terms.ts';

/** The features, in the order of `ScorerParams.calibration`'s weights. "repeat…" ones are 0 on new items. */
export const CALIBRATION_FEATURES = [
  'bias', 'logPopularity', 'repeat', 'repeatShare', 'repeatDecayed', 'repeatLastTrip', 'repeatDue', 'repeatRhythm',
  'repeatLogPopularity', 'neighbour', 'itemPairs',
] as const;
export const FEATURE_COUNT = CALIBRATION_FEATURES.length;
// Each feature's index. None grows with the length of a history: the fit sees histories one basket shorter than the
// lists it is for, and a weight on "how many trips" would be read where it was never fitted.
const F = Object.fromEntries(CALIBRATION_FEATURES.map((f, i) => [f, i])) as Record<(typeof CALIBRATION_FEATURES)[number], number>;

/** Candidates considered per member: their own items (most bought first), new items from neighbours, from item
 * pairs, and the most popular. */
const REPEAT_CANDIDATES = 60;
const NEIGHBOUR_CANDIDATES = 40;
const PAIR_CANDIDATES = 20;
const POPULAR_CANDIDATES = 30;
/** Slots per block of a list whose repeat floor holds by block (repeatSlots 3): a printed list's first ten. */
const BLOCK = 10;

/** Whether `p` carries a calibration the scorer uses. */
export const isCalibrated = (p: Pick<ScorerParams, 'calibration'>): boolean => p.calibration?.length === FEATURE_COUNT;

type Scratch = IntervalScratch & { own: Float64Array; nbr: Float64Array; pair: Float64Array; key: Float64Array; mark: Uint8Array };
const scratchOf = new WeakMap<StoreModel, Scratch>();
function scratch(model: StoreModel): Scratch {
  let s = scratchOf.get(model);
  if (!s) {
    const n = model.itemCount;
    s = { ...intervalScratch(n), own: new Float64Array(n), nbr: new Float64Array(n), pair: new Float64Array(n), key: new Float64Array(n), mark: new Uint8Array(n) };
    scratchOf.set(model, s);
  }
  return s;
}

/** One member's candidates with their features (row-major, FEATURE_COUNT per candidate), the neighbour blend's score
 * (TIFU-KNN's ranking, for the repeat-slot floor) and each repeat item's due estimate. */
export interface Candidates {
  items: number[];
  repeat: Uint8Array;
  x: Float64Array;
  blend: Float64Array;
  due: (Due | undefined)[];
}

/** The candidates of a member whose `history` (ascending, nothing after `asOfDay`) is scored as of `asOfDay`. */
export function candidateFeatures(history: readonly Trip[], model: StoreModel, asOfDay: number, p: ScorerParams, source: NeighbourSource = {}): Candidates {
  const s = scratch(model);
  const { own, nbr, pair, key, mark, count, last, sumW, sumWY } = s;
  const mine: number[] = [];
  tifuVector(history, p, own, mine);
  accumulateIntervals(history, p.recency, s);
  const nbrItems: number[] = [];
  const pairItems: number[] = [];
  eachNeighbour(model, source, (item, v) => addTo(nbr, nbrItems, item, v));
  const hasNbr = nbrItems.length > 0;
  let ownSum = 0;
  for (const i of mine) {
    ownSum += own[i]!;
    for (let e = model.itemNbrOffsets[i]!; e < model.itemNbrOffsets[i + 1]!; e++) addTo(pair, pairItems, model.itemNbrIds[e]!, own[i]! * model.itemNbrSims[e]!);
  }
  const trips = history.length;
  // Candidates: the member's items (most bought first when there are many), then new items by each source.
  const picked: number[] = [];
  const take = (items: ArrayLike<number>) => {
    for (let c = 0; c < items.length; c++) {
      const item = items[c]!;
      if (mark[item]) continue;
      mark[item] = 1;
      picked.push(item);
    }
  };
  if (mine.length <= REPEAT_CANDIDATES) take(mine);
  else {
    for (const i of mine) key[i] = count[i]! / trips + own[i]!;
    take(topK(mine, mine.length, key, REPEAT_CANDIDATES));
  }
  const repeats = picked.length;
  for (const i of mine) mark[i] = 1; // a repeat item left out above is not a new one
  take(topK(nbrItems, nbrItems.length, nbr, NEIGHBOUR_CANDIDATES));
  take(topK(pairItems, pairItems.length, pair, PAIR_CANDIDATES));
  take(model.popular.subarray(0, POPULAR_CANDIDATES));
  const lastTrip = trips ? history[trips - 1]!.items : [];
  const horizon = p.horizon > 0 ? p.horizon : ownGap(history);
  const itemW = hasNbr ? p.itemWeight : p.itemWeight + (1 - p.alpha);
  const n = picked.length;
  const x = new Float64Array(n * FEATURE_COUNT);
  const blend = new Float64Array(n);
  const repeat = new Uint8Array(n);
  const due: (Due | undefined)[] = new Array(n);
  const inLast = new Set(lastTrip);
  for (let c = 0; c < n; c++) {
    const item = picked[c]!;
    const o = c * FEATURE_COUNT;
    const logPop = Math.log(model.popularity[item]! + 1e-4);
    x[o + F.bias] = 1;
    x[o + F.logPopularity] = logPop;
    x[o + F.neighbour] = nbr[item]!;
    x[o + F.itemPairs] = ownSum > 0 ? pair[item]! / ownSum : 0;
    blend[c] = p.alpha * own[item]! + (1 - p.alpha) * nbr[item]! + itemW * pair[item]!;
    if (c >= repeats) continue;
    repeat[c] = 1;
    const d = posterior(sumW[item]!, sumWY[item]!, count[item]!, last[item]!, { mu: model.priorMu[item]!, tau2: model.priorTau2[item]!, sigma2: model.priorSigma2[item]! });
    due[c] = d;
    const h = dueProbability(d, asOfDay, horizon);
    x[o + F.repeat] = 1;
    x[o + F.repeatShare] = count[item]! / Math.max(1, trips);
    x[o + F.repeatDecayed] = own[item]!;
    x[o + F.repeatLastTrip] = inLast.has(item) ? 1 : 0;
    x[o + F.repeatDue] = h;
    x[o + F.repeatRhythm] = h * d.confidence;
    x[o + F.repeatLogPopularity] = logPop;
  }
  for (const i of picked) mark[i] = 0;
  for (const i of mine) {
    mark[i] = 0;
    own[i] = 0;
    key[i] = 0;
  }
  for (const i of nbrItems) nbr[i] = 0;
  for (const i of pairItems) pair[i] = 0;
  clearIntervals(s, mine);
  return { items: picked, repeat, x, blend, due };
}

function addTo(acc: Float64Array, touched: number[], item: number, v: number): void {
  if (v <= 0) return;
  if (acc[item] === 0) touched.push(item);
  acc[item]! += v;
}

/** The member's ranked list by calibrated chance. With `repeatSlots` 1 or 2 the first k slots hold at least as many
 * of the member's own items as the neighbour blend's first k do (as in next-basket.ts), so repeat items never lose
 * the slots TIFU-KNN's ranking gives them; 3: each block of ten slots ends with at least that many, in order of
 * chance inside the block; 0: by chance alone. */
export function scoreCalibrated(
  history: readonly Trip[], model: StoreModel, asOfDay: number, p: ScorerParams, source: NeighbourSource,
  limits: { limit: number; repeatLimit: number; exploreLimit: number },
): ScoredItem[] {
  const c = candidateFeatures(history, model, asOfDay, p, source);
  const w = p.calibration!;
  const n = c.items.length;
  const chance = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let z = 0;
    const o = k * FEATURE_COUNT;
    for (let f = 0; f < FEATURE_COUNT; f++) z += w[f]! * c.x[o + f]!;
    chance[k] = 1 / (1 + Math.exp(-z));
  }
  const order = (scores: Float64Array) => Array.from({ length: n }, (_, k) => k).sort((a, b) => scores[b]! - scores[a]! || c.items[a]! - c.items[b]!);
  const byChance = order(chance);
  const limit = limits.limit;
  // The blend's repeat count per slot (the floor), when the slots are shared.
  const floor = new Int32Array(limit);
  if (p.repeatSlots >= 1) {
    const byBlend = order(c.blend);
    let r = 0;
    for (let k = 0; k < limit; k++) {
      if (k < n && c.blend[byBlend[k]!]! > 0 && c.repeat[byBlend[k]!]) r++;
      floor[k] = r;
    }
  }
  const rep = byChance.filter((k) => c.repeat[k]).slice(0, Math.min(limit, limits.repeatLimit));
  const exp = byChance.filter((k) => !c.repeat[k]).slice(0, Math.min(limit, limits.exploreLimit));
  // repeatSlots 3: the floor holds at the end of each block of BLOCK slots (repeat items still owed take the last
  // slots of the block they need), and each block is then put in order of chance.
  const listFloor = p.repeatSlots === 3;
  const out: ScoredItem[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < rep.length || j < exp.length)) {
    const k = out.length;
    const end = Math.min(limit, (Math.floor(k / BLOCK) + 1) * BLOCK) - 1;
    const owed = i < rep.length && (listFloor ? floor[end]! - i >= end - k + 1 : i < floor[k]!);
    const takeRepeat = i < rep.length && (owed || j >= exp.length || chance[rep[i]!]! >= chance[exp[j]!]!);
    if (takeRepeat) {
      const r = rep[i++]!;
      const d = c.due[r]!;
      out.push({ item: c.items[r]!, score: chance[r]!, kind: 'repeat', dueDay: d.dueDay, confidence: d.confidence, intervalDays: d.intervalDays, lastDay: d.lastDay, count: d.count });
    } else {
      const e = exp[j++]!;
      const item = c.items[e]!;
      out.push({ item, score: chance[e]!, kind: 'explore', confidence: Math.min(1, model.popularity[item]! * 10), count: 0 });
    }
  }
  if (listFloor) {
    for (let from = 0; from < out.length; from += BLOCK) {
      const block = out.slice(from, from + BLOCK).sort((a, b) => b.score - a.score || a.item - b.item);
      out.splice(from, block.length, ...block);
    }
  }
  return out;
}
