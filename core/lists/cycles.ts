// Repurchase timing by empirical Bayes on log intervals: a member's recency-weighted mean log interval shrunk toward the
// product's (then category's, then store's) prior with precision weights — the normal–normal model of Efron & Morris
// (1975) applied to log-normal inter-purchase times, as in repeat-buying models (Ehrenberg; Fader & Hardie).
import type { Day, Trip } from '../types.ts';

/** The prior on one product's inter-purchase interval: log interval ~ N(mu, sigma2) within a member; the member's
 * own mean log interval ~ N(mu, tau2) across members. */
export interface IntervalPrior {
  /** Mean log interval across members. */
  mu: number;
  /** Between-member variance of the mean log interval. */
  tau2: number;
  /** Within-member variance of one log interval. */
  sigma2: number;
}

/** A member's predicted repurchase of one product. */
export interface Due {
  /** Predicted next purchase day (last purchase + the posterior median interval, rounded). */
  dueDay: Day;
  /** Posterior median interval. */
  intervalDays: number;
  /** Posterior mean of the log interval. */
  mu: number;
  /** Predictive standard deviation of the next log interval. */
  sd: number;
  /** 0..1: how much of the estimate is the member's own and how tight it is. */
  confidence: number;
  lastDay: Day;
  /** Distinct purchase days. */
  count: number;
  /** The interval is close to a year: a seasonal item. */
  seasonal: boolean;
}

/** Options of the timing model. */
export interface CycleOptions {
  /** Weight factor per older interval (1 = all equal): recent rhythm counts more when it changed. */
  recency: number;
  /** Shortest interval considered, in the dataset's unit (same-day repeats are merged before). */
  minInterval: number;
}

/** Defaults: an interval one step older weighs 0.8 of the next. */
export const CYCLE_DEFAULTS: CycleOptions = { recency: 0.8, minInterval: 1 };

/** Store-wide fallback when nothing is known: about a month, very uncertain. */
export const FLAT_PRIOR: IntervalPrior = { mu: Math.log(30), tau2: 1, sigma2: 0.6 };

/** Predict the member's next purchase of a product from the days they bought it (ascending, duplicates allowed).
 * Returns undefined when there is no purchase on or before `asOfDay`. */
export function dueDay(purchaseDays: readonly number[], prior: IntervalPrior, asOfDay: number, options: CycleOptions = CYCLE_DEFAULTS): Due | undefined {
  // Newest purchase on or before asOfDay; later ones are the future.
  let end = purchaseDays.length - 1;
  while (end >= 0 && purchaseDays[end]! > asOfDay) end--;
  if (end < 0) return undefined;
  const last = purchaseDays[end]!;
  // Newest interval gets weight 1, the one before `recency`, then recency², …
  let weight = 1;
  let sumW = 0;
  let sumWY = 0;
  let newer = last;
  let count = 1;
  for (let i = end - 1; i >= 0; i--) {
    const d = purchaseDays[i]!;
    if (d >= newer) continue;
    const y = Math.log(Math.max(options.minInterval, newer - d));
    sumW += weight;
    sumWY += weight * y;
    weight *= options.recency;
    newer = d;
    count++;
  }
  return posterior(sumW, sumWY, count, last, prior);
}

/** Combine a member's weighted log-interval sums with the prior (precision-weighted posterior mean). */
export function posterior(sumW: number, sumWY: number, count: number, lastDay: Day, prior: IntervalPrior): Due {
  const precPrior = 1 / prior.tau2;
  const precData = sumW / prior.sigma2;
  const mu = (prior.mu * precPrior + sumWY / prior.sigma2) / (precPrior + precData);
  const postVar = 1 / (precPrior + precData);
  const sd = Math.sqrt(prior.sigma2 + postVar);
  const intervalDays = Math.exp(mu);
  // Share of the estimate that is the member's own, damped by how spread the next interval is.
  const own = precData / (precPrior + precData);
  const confidence = Math.max(0, Math.min(1, (0.15 + 0.85 * own) * Math.exp(-0.5 * sd)));
  return { dueDay: Math.round(lastDay + intervalDays), intervalDays, mu, sd, confidence, lastDay, count, seasonal: intervalDays > 300 && intervalDays < 430 };
}

/** Probability that the next purchase falls within `horizon` after `asOfDay`, given none since the last one
 * (the log-normal conditional hazard over the horizon): high when due, low just after a purchase. */
export function dueProbability(due: Due, asOfDay: number, horizon: number): number {
  const elapsed = Math.max(0, asOfDay - due.lastDay);
  const before = elapsed <= 0 ? 0 : normalCdf((Math.log(elapsed) - due.mu) / due.sd);
  const after = normalCdf((Math.log(elapsed + horizon) - due.mu) / due.sd);
  const survive = 1 - before;
  return survive <= 1e-9 ? 0 : Math.max(0, Math.min(1, (after - before) / survive));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Interval priors for every product (and category), fitted from all members by the method of moments. */
export interface IntervalPriors {
  mu: Float64Array;
  tau2: Float64Array;
  sigma2: Float64Array;
  /** Members with ≥ 2 distinct purchase days of the product. */
  members: Int32Array;
  /** The store-wide prior used when a product and its category know little. */
  store: IntervalPrior;
}

/** Fit per-product priors from every member's trips; products with few members are shrunk toward their
 * category's prior (when `itemCategory` is given) and then the store's, with `strength` pseudo-members. */
export function fitIntervalPriors(
  histories: readonly (readonly Trip[])[],
  itemCount: number,
  options: { itemCategory?: Int32Array; strength?: number; minInterval?: number } = {},
): IntervalPriors {
  const strength = options.strength ?? 5;
  const minInterval = options.minInterval ?? 1;
  // Per item: members, Σ member means, Σ member means², Σ within squared deviations, Σ within degrees of freedom.
  const members = new Int32Array(itemCount);
  const sumM = new Float64Array(itemCount);
  const sumM2 = new Float64Array(itemCount);
  const within = new Float64Array(itemCount);
  const dof = new Float64Array(itemCount);
  const lastDay = new Float64Array(itemCount);
  const stamp = new Int32Array(itemCount); // member index + 1 that last touched the item
  const n = new Int32Array(itemCount);
  const s1 = new Float64Array(itemCount);
  const s2 = new Float64Array(itemCount);
  const touched: number[] = [];
  for (let m = 0; m < histories.length; m++) {
    touched.length = 0;
    for (const trip of histories[m]!) {
      for (const item of trip.items) {
        if (stamp[item] !== m + 1) {
          stamp[item] = m + 1;
          touched.push(item);
          lastDay[item] = trip.day;
          n[item] = 0;
          s1[item] = 0;
          s2[item] = 0;
          continue;
        }
        if (trip.day <= lastDay[item]!) continue;
        const y = Math.log(Math.max(minInterval, trip.day - lastDay[item]!));
        n[item]!++;
        s1[item]! += y;
        s2[item]! += y * y;
        lastDay[item] = trip.day;
      }
    }
    for (const item of touched) {
      const k = n[item]!;
      if (k === 0) continue;
      const mean = s1[item]! / k;
      members[item]!++;
      sumM[item]! += mean;
      sumM2[item]! += mean * mean;
      within[item]! += s2[item]! - k * mean * mean;
      dof[item]! += k - 1;
    }
  }
  const store = poolPrior(sum(members), sum(sumM), sum(sumM2), sum(within), sum(dof), FLAT_PRIOR, 0);
  const cat = options.itemCategory;
  const catPrior = new Map<number, IntervalPrior>();
  if (cat) {
    const acc = new Map<number, number[]>();
    for (let i = 0; i < itemCount; i++) {
      const a = acc.get(cat[i]!) ?? [0, 0, 0, 0, 0];
      a[0]! += members[i]!;
      a[1]! += sumM[i]!;
      a[2]! += sumM2[i]!;
      a[3]! += within[i]!;
      a[4]! += dof[i]!;
      acc.set(cat[i]!, a);
    }
    for (const [c, a] of acc) catPrior.set(c, poolPrior(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, store, strength));
  }
  const mu = new Float64Array(itemCount);
  const tau2 = new Float64Array(itemCount);
  const sigma2 = new Float64Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    const parent = (cat && catPrior.get(cat[i]!)) || store;
    const p = poolPrior(members[i]!, sumM[i]!, sumM2[i]!, within[i]!, dof[i]!, parent, strength);
    mu[i] = p.mu;
    tau2[i] = p.tau2;
    sigma2[i] = p.sigma2;
  }
  return { mu, tau2, sigma2, members, store };
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

// Method-of-moments prior from member means, each moment shrunk toward the parent's with `strength` pseudo-members.
function poolPrior(m: number, sM: number, sM2: number, within: number, dof: number, parent: IntervalPrior, strength: number): IntervalPrior {
  const sigma2 = (within + strength * parent.sigma2) / (dof + strength) || parent.sigma2;
  const mean = (sM + strength * parent.mu) / (m + strength);
  const between = m > 1 ? (sM2 - (sM * sM) / m) / (m - 1) : parent.tau2;
  // Between-member variance of means includes within noise of ~σ²/2 per member mean; keep a floor.
  const tau2Raw = Math.max(0.05, between - sigma2 / 2);
  const tau2 = (m * tau2Raw + strength * parent.tau2) / (m + strength);
  return { mu: mean, tau2: Math.max(0.05, tau2), sigma2: Math.max(0.05, sigma2) };
}

/** The prior of one product. */
export function priorOf(priors: IntervalPriors, item: number): IntervalPrior {
  return { mu: priors.mu[item]!, tau2: priors.tau2[item]!, sigma2: priors.sigma2[item]! };
}
