// What the BG/NBD fit means for the store (Fader, Hardie & Lee 2005): how many members are probably still shopping
// here, how many have probably lapsed, and how many visits the members are expected to make over the next weeks —
// the numbers a manager can act on, where the four fitted parameters are not.
import { expectedTransactions, pAlive, type ActivitySummary, type BgNbdParams } from './activity.ts';

/** The store's activity outlook from a fitted model. */
export interface ActivityOutlook {
  /** Members in the fit (at least one visit). */
  members: number;
  /** Members whose P(alive) is below `lapsedBelow`. */
  likelyLapsed: number;
  /** The threshold used, 0–1. */
  lapsedBelow: number;
  /** Expected visits of all these members over the next `horizonWeeks`. */
  expectedVisits: number;
  horizonWeeks: number;
  /** Visits the members made over the last `horizonWeeks`, for comparison. */
  recentVisits?: number;
}

/** Count the likely lapsed and sum the expected visits over `horizonWeeks` (the summary in weeks, as fitted).
 * Members with the same (x, t_x, T) share one computation. */
export function activityOutlook(p: BgNbdParams, s: Pick<ActivitySummary, 'x' | 'tx' | 'T'>, opts: { horizonWeeks?: number; lapsedBelow?: number; recentVisits?: number } = {}): ActivityOutlook {
  const horizonWeeks = opts.horizonWeeks ?? 4, lapsedBelow = opts.lapsedBelow ?? 0.5;
  const seen = new Map<string, { alive: number; expected: number }>();
  let likelyLapsed = 0, expectedVisits = 0;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i]!, tx = s.tx[i]!, T = s.T[i]!;
    const key = `${x} ${tx} ${T}`;
    let v = seen.get(key);
    if (!v) seen.set(key, (v = { alive: pAlive(p, x, tx, T), expected: expectedTransactions(p, x, tx, T, horizonWeeks) }));
    if (v.alive < lapsedBelow) likelyLapsed++;
    if (Number.isFinite(v.expected)) expectedVisits += v.expected;
  }
  return {
    members: s.x.length, likelyLapsed, lapsedBelow, expectedVisits, horizonWeeks,
    ...(opts.recentVisits !== undefined ? { recentVisits: opts.recentVisits } : {}),
  };
}
