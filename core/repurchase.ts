// Repurchase timing: a member's interval for an item, shrunk toward the item's and its category's intervals when the
// member's own history is thin (empirical Bayes on the log interval, normal–normal), recent intervals weighted more.
import type { Day } from './types.ts';

/** A prior on the log of the repurchase interval: mean and the weight (pseudo-observations) it carries. */
export interface IntervalPrior {
  meanLog: number;
  /** Spread of one member's log interval around their own mean. */
  sdLog: number;
  /** How many of the member's own intervals the prior is worth. */
  weight: number;
}

/** When a member is due to buy an item again. */
export interface Due {
  dueDay: Day;
  intervalDays: number;
  /** 0..1: grows with the member's own evidence and the regularity of their rhythm. */
  confidence: number;
  /** Intervals of the member's own that went into it. */
  own: number;
}

/** A prior from a sample of log intervals (pooled over members), with a default when there are none. */
export function priorFrom(logIntervals: ArrayLike<number>, fallbackDays = 14, weight = 2): IntervalPrior {
  const n = logIntervals.length;
  if (n < 3) return { meanLog: Math.log(fallbackDays), sdLog: 0.8, weight };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += logIntervals[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (logIntervals[i]! - mean) ** 2;
  return { meanLog: mean, sdLog: Math.max(0.15, Math.sqrt(ss / (n - 1))), weight };
}

/** Predicted next purchase of one item from the days it was bought (ascending), shrunk toward `prior`.
 * Recent intervals count more (half-life of `halfLife` intervals), so a changed rhythm wins within a few purchases. */
export function dueDay(purchaseDays: readonly number[], prior: IntervalPrior, halfLife = 3): Due | undefined {
  const n = purchaseDays.length;
  if (n === 0) return undefined;
  const last = purchaseDays[n - 1]!;
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) if (purchaseDays[i]! > purchaseDays[i - 1]!) gaps.push(purchaseDays[i]! - purchaseDays[i - 1]!);
  // A changed rhythm: when the last three intervals agree with each other but not with the older ones, drop the old.
  if (gaps.length >= 5) {
    const recent = gaps.slice(-3).map(Math.log);
    const older = gaps.slice(0, -3).map(Math.log);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const spread = Math.max(...recent) - Math.min(...recent);
    if (spread < 0.4 && Math.abs(mean(recent) - mean(older)) > 0.5) gaps.splice(0, gaps.length - 3);
  }
  let wSum = 0, wLog = 0, wSq = 0, own = 0;
  for (let i = gaps.length - 1; i >= 0; i--) {
    const w = 0.5 ** (own / halfLife);
    const lg = Math.log(gaps[i]!);
    wSum += w;
    wLog += w * lg;
    wSq += w * lg * lg;
    own++;
  }
  // Regularity: the member's own spread when they have one, else the prior's. A regular member needs less prior:
  // the prior's weight scales with the ratio of their variance to the prior's (normal–normal shrinkage).
  const ownSd = own >= 2 ? Math.sqrt(Math.max(0, wSq / wSum - (wLog / wSum) ** 2)) : prior.sdLog;
  const priorWeight = own >= 2 ? prior.weight * Math.min(1, Math.max(0.1, (ownSd * ownSd + 0.01) / (prior.sdLog * prior.sdLog))) : prior.weight;
  const meanLog = (wLog + priorWeight * prior.meanLog) / (wSum + priorWeight);
  const intervalDays = Math.max(1, Math.exp(meanLog));
  const sd = (own * ownSd + priorWeight * prior.sdLog) / (own + priorWeight);
  const evidence = own / (own + priorWeight);
  const confidence = Math.max(0.05, Math.min(1, evidence * Math.exp(-sd)));
  return { dueDay: Math.round(last + intervalDays), intervalDays, confidence, own };
}

/** How due an item is on `day`: 1 at the due day, falling off on a log-time scale before and (slower) after it. */
export function dueness(lastDay: Day, intervalDays: number, day: Day, sdLog: number): number {
  const elapsed = Math.max(0.5, day - lastDay);
  const z = (Math.log(elapsed) - Math.log(intervalDays)) / Math.max(0.2, sdLog);
  return z < 0 ? Math.exp(-0.5 * z * z) : Math.exp(-0.25 * z * z) * 0.8 + 0.2;
}
