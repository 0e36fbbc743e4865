import { describe, expect, it } from 'vitest';
import { dueDay, dueProbability, fitIntervalPriors, normalCdf, priorOf, type IntervalPrior } from './cycles.ts';
import type { Trip } from '../types.ts';

const weekly: IntervalPrior = { mu: Math.log(7), tau2: 0.2, sigma2: 0.1 };

describe('repurchase cycles', () => {
  it('falls back to the product prior for a one-off purchase, with low confidence', () => {
    const due = dueDay([100], weekly, 100)!;
    expect(due.intervalDays).toBeCloseTo(7, 6);
    expect(due.dueDay).toBe(107);
    expect(due.confidence).toBeLessThan(0.3);
  });

  it('shrinks a thin history toward the prior and trusts a long one', () => {
    const monthly = (n: number) => Array.from({ length: n }, (_, i) => i * 30);
    const thin = dueDay(monthly(2), weekly, 1000)!;
    const thick = dueDay(monthly(30), weekly, 1000)!;
    expect(thin.intervalDays).toBeGreaterThan(7);
    expect(thin.intervalDays).toBeLessThan(20);
    // recency weighting caps the effective history at ~5 intervals, so some shrinkage stays
    expect(thick.intervalDays).toBeGreaterThan(25);
    expect(dueDay(monthly(30), weekly, 1000, { recency: 1, minInterval: 1 })!.intervalDays).toBeGreaterThan(29);
    expect(thick.confidence).toBeGreaterThan(thin.confidence);
  });

  it('follows a changed rhythm: recent intervals weigh more', () => {
    const days = [0, 30, 60, 90, 120, 127, 134, 141];
    const recent = dueDay(days, weekly, 200, { recency: 0.5, minInterval: 1 })!;
    const flat = dueDay(days, weekly, 200, { recency: 1, minInterval: 1 })!;
    expect(recent.intervalDays).toBeLessThan(flat.intervalDays);
    expect(recent.intervalDays).toBeLessThan(10);
  });

  it('ignores purchases after the as-of day and merges same-day repeats', () => {
    expect(dueDay([50], weekly, 10)).toBeUndefined();
    const due = dueDay([0, 7, 7, 14, 40], weekly, 20)!;
    expect(due.lastDay).toBe(14);
    expect(due.count).toBe(3);
  });

  it('marks a yearly item as seasonal', () => {
    const yearly: IntervalPrior = { mu: Math.log(365), tau2: 0.05, sigma2: 0.02 };
    expect(dueDay([0, 365], yearly, 400)!.seasonal).toBe(true);
  });

  it('says an item is more likely bought when due than the day after buying it', () => {
    const due = dueDay([0, 7, 14, 21], weekly, 21)!;
    expect(dueProbability(due, 28, 1)).toBeGreaterThan(5 * dueProbability(due, 22, 1));
  });

  it('computes the normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1)).toBeCloseTo(0.1587, 3);
  });

  it('fits product priors from all members and shrinks rare products toward the store', () => {
    // item 0: bought every 7 days by 20 members; item 1: one member, every 70 days
    const members: Trip[][] = [];
    for (let m = 0; m < 20; m++) members.push(Array.from({ length: 6 }, (_, i) => ({ day: i * 7 + (m % 3), items: [0] })));
    members.push([0, 70, 140].map((day) => ({ day, items: [1] })));
    const priors = fitIntervalPriors(members, 2);
    expect(Math.exp(priorOf(priors, 0).mu)).toBeGreaterThan(6);
    expect(Math.exp(priorOf(priors, 0).mu)).toBeLessThan(8);
    const rare = Math.exp(priorOf(priors, 1).mu);
    expect(rare).toBeLessThan(70);
    expect(rare).toBeGreaterThan(7);
    expect(priors.members[1]).toBe(1);
  });
});
