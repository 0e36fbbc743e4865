// Churn warning: a member's own rhythm (current gap vs median inter-visit interval) plus BG/NBD P(alive)
// (Fader, Hardie & Lee 2005) now and a few weeks ago; ranked by spend. Actions never involve a price.
import type { Day, Reason } from '../types.ts';
import { pAlive, type BgNbdParams } from './activity.ts';

/** Every reason a member is flagged at risk; i18n/ gives each its sentence. */
export const CHURN_REASON_CODES = ['gap-over-rhythm', 'p-alive-falling', 'p-alive-low'] as const;

/** Why a member is flagged at risk. */
export type ChurnReasonCode = (typeof CHURN_REASON_CODES)[number];

/** What the store knows about one member for the churn check. */
export interface ChurnMember {
  memberId: string;
  /** Days with a purchase (any order, repeats allowed). */
  days: readonly Day[];
  /** The member's value to the store, e.g. spend over the last year. */
  spendCents: number;
}

/** Thresholds of {@link churnWarnings}. */
export interface ChurnOptions {
  asOfDay: Day;
  /** A fitted BG/NBD model (time unit `unitDays`); without it only the rhythm rule applies. */
  model?: BgNbdParams;
  unitDays?: number;
  /** Warn when the current gap exceeds this many typical intervals (default 2). */
  gapFactor?: number;
  /** Visits needed before a member has a rhythm of their own (default 3). */
  minVisits?: number;
  /** Warn when P(alive) is below this (default 0.3). */
  pAliveBelow?: number;
  /** Warn when P(alive) fell by at least this over `lookbackDays` (default 0.25 over 28 days). */
  fallBy?: number;
  lookbackDays?: number;
}

/** The only actions a churn warning may recommend: nothing that is a deeper discount than a loyal member gets. */
export type ChurnAction = 'reminder' | 'non-price-reward';

/** One member at risk, with the reasons and what to do. */
export interface ChurnWarning {
  memberId: string;
  spendCents: number;
  visits: number;
  lastDay: Day;
  gapDays: number;
  typicalIntervalDays?: number;
  pAlive?: number;
  pAliveBefore?: number;
  /** The first reason is the main one. */
  reasons: Reason<ChurnReasonCode>[];
  action: ChurnAction;
}

const pct = (p: number) => Math.round(p * 100);

/** Members whose current gap breaks their own rhythm or whose P(alive) is low or falling, most valuable first. */
export function churnWarnings(members: readonly ChurnMember[], opts: ChurnOptions): ChurnWarning[] {
  const { asOfDay, model } = opts;
  const unit = opts.unitDays ?? 7, factor = opts.gapFactor ?? 2, minVisits = opts.minVisits ?? 3;
  const low = opts.pAliveBelow ?? 0.3, fallBy = opts.fallBy ?? 0.25, lookback = opts.lookbackDays ?? 28;
  const out: ChurnWarning[] = [];
  for (const m of members) {
    const days = [...new Set(m.days.filter((d) => d <= asOfDay))].sort((a, b) => a - b);
    if (!days.length) continue;
    const first = days[0]!, last = days[days.length - 1]!, gap = asOfDay - last;
    const reasons: Reason<ChurnReasonCode>[] = [];
    let typical: number | undefined;
    if (days.length >= minVisits) {
      const gaps = days.slice(1).map((d, i) => d - days[i]!).sort((a, b) => a - b);
      const mid = gaps.length >> 1;
      typical = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
      if (gap > factor * typical) {
        reasons.push({ code: 'gap-over-rhythm', params: { gapDays: gap, typicalDays: typical, factor } });
      }
    }
    let now: number | undefined, before: number | undefined;
    if (model) {
      now = pAlive(model, days.length - 1, (last - first) / unit, (asOfDay - first) / unit);
      const then = asOfDay - lookback;
      const earlier = days.filter((d) => d <= then);
      if (earlier.length) {
        before = pAlive(model, earlier.length - 1, (earlier[earlier.length - 1]! - first) / unit, (then - first) / unit);
      }
      if (before !== undefined && before - now >= fallBy) {
        reasons.push({ code: 'p-alive-falling', params: { fromPercent: pct(before), toPercent: pct(now), days: lookback } });
      } else if (now < low) {
        reasons.push({ code: 'p-alive-low', params: { percent: pct(now) } });
      }
    }
    if (!reasons.length) continue;
    // A slipping habit gets a reminder; a real risk of leaving gets a non-price reward (recipe, service), never a discount.
    const action: ChurnAction = reasons.some((r) => r.code !== 'gap-over-rhythm') ? 'non-price-reward' : 'reminder';
    out.push({
      memberId: m.memberId, spendCents: m.spendCents, visits: days.length, lastDay: last, gapDays: gap,
      ...(typical !== undefined ? { typicalIntervalDays: typical } : {}),
      ...(now !== undefined ? { pAlive: now } : {}),
      ...(before !== undefined ? { pAliveBefore: before } : {}),
      reasons, action,
    });
  }
  return out.sort((a, b) => b.spendCents - a.spendCents || (a.pAlive ?? 1) - (b.pAlive ?? 1) || b.gapDays - a.gapDays
    || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}
