import { describe, expect, it } from 'vitest';
import { CALIBRATION_FEATURES, candidateFeatures, FEATURE_COUNT } from './calibrated.ts';
import { fitLogistic } from './logistic.ts';
import { buildStoreModel, scoreMember } from './next-basket.ts';
import { calibrationRows, fitScorer, holdoutObjective, holdoutOf, evenSample, TIFU_GRID } from './fit.ts';
import { SCORER_DEFAULTS, type ScorerParams } from './scorer-params.ts';
import type { Trip } from '../types.ts';

// Goal of issue 22: a calibrated blend, each candidate's fitted chance of being in the next basket, so a store's own
// validation decides how far a regular member's repeat items outrank popular ones.

// Seeded uniform numbers in [0, 1).
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const weights = (set: Partial<Record<(typeof CALIBRATION_FEATURES)[number], number>>) =>
  CALIBRATION_FEATURES.map((f) => set[f] ?? 0);

// 60 members of a store where item 0 is the most popular and 1, 2 follow; member 60 buys items 7 and 8 every week.
const store = (): Trip[][] => {
  const out: Trip[][] = [];
  for (let m = 0; m < 60; m++) out.push(Array.from({ length: 6 }, (_, w) => ({ day: w * 7, items: [0, ...(m % 2 ? [1] : [2]), ...(m % 3 ? [] : [3 + (m % 4)])] })));
  out.push(Array.from({ length: 6 }, (_, w) => ({ day: w * 7, items: [7, 8] })));
  return out;
};

describe('the calibrated blend', () => {
  it('recovers the weights of a logistic model from its own draws', () => {
    const r = rng(7);
    const n = 20000;
    const x = new Float64Array(n * 3);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = r() * 2 - 1, b = r() * 2 - 1;
      x.set([1, a, b], i * 3);
      y[i] = r() < 1 / (1 + Math.exp(-(0.5 + 2 * a - 1 * b))) ? 1 : 0;
    }
    const w = fitLogistic(x, y, 3);
    expect(w[0]).toBeCloseTo(0.5, 0);
    expect(Math.abs(w[1]! - 2)).toBeLessThan(0.15);
    expect(Math.abs(w[2]! + 1)).toBeLessThan(0.15);
    // Row weights count: the same rows with the positives doubled move the bias up by about ln 2.
    const rw = Float64Array.from(y, (v) => (v ? 2 : 1));
    expect(fitLogistic(x, y, 3, rw)[0]! - w[0]!).toBeCloseTo(Math.log(2), 1);
  });

  const model = buildStoreModel(store(), { itemCount: 10, params: { neighbours: 5 } });
  const member = store()[60]!;

  it('ranks by popularity when only popularity counts, and puts the member\'s own items first when their frequency does', () => {
    const p = (calibration: number[]): ScorerParams => ({ ...model.params, repeatSlots: 0, calibration });
    const byPopularity = scoreMember(member, model, 42, { member: 60, limit: 3, params: p(weights({ logPopularity: 1 })) }).map((s) => s.item);
    expect(byPopularity).toEqual([0, 1, 2]);
    const byOwn = scoreMember(member, model, 42, { member: 60, limit: 3, params: p(weights({ logPopularity: 1, repeatShare: 20 })) });
    expect(byOwn.slice(0, 2).map((s) => s.item).sort()).toEqual([7, 8]);
    expect(byOwn.slice(0, 2).every((s) => s.kind === 'repeat' && s.count === 6)).toBe(true);
    expect(byOwn[2]).toMatchObject({ item: 0, kind: 'explore' });
    // Scores are chances, best first.
    expect(byOwn.every((s, i) => s.score > 0 && s.score < 1 && (i === 0 || s.score <= byOwn[i - 1]!.score))).toBe(true);
  });

  it('with the slots shared as the blend shares them, popularity cannot take a slot the blend gives a repeat item', () => {
    const pop = weights({ logPopularity: 1 });
    const blend = scoreMember(member, model, 42, { member: 60, limit: 3, params: { ...model.params, alpha: 1, calibration: undefined, repeatSlots: 0, popularityWeight: 0, freqWeight: 0, dueWeight: 0, timingWeight: 0, itemWeight: 0 } });
    expect(blend.slice(0, 2).every((s) => s.kind === 'repeat')).toBe(true);
    const shared = scoreMember(member, model, 42, { member: 60, limit: 3, params: { ...model.params, alpha: 1, repeatSlots: 1, calibration: pop } });
    expect(shared.slice(0, 2).map((s) => s.kind)).toEqual(['repeat', 'repeat']);
  });

  it('with the floor held by blocks of ten (repeatSlots 3), a likelier new item may come first but the first ten keep the blend\'s repeat items', () => {
    // 25 popular items, each bought by a different share of 60 members; member 60 buys 27 and 28 every week.
    const wide: Trip[][] = Array.from({ length: 60 }, (_, m) => Array.from({ length: 4 }, (_, w) => ({ day: w * 7, items: Array.from({ length: 25 }, (_, i) => i).filter((i) => (m + w) % (i + 2) === 0 || i === m % 25) })));
    wide.push(Array.from({ length: 6 }, (_, w) => ({ day: w * 7, items: [27, 28] })));
    const big = buildStoreModel(wide, { itemCount: 30, params: { neighbours: 5 } });
    const params = { ...big.params, alpha: 1, popularityWeight: 0, freqWeight: 0, dueWeight: 0, timingWeight: 0, itemWeight: 0, repeatBias: 0 };
    const own = wide[60]!;
    const blendRepeats = scoreMember(own, big, 42, { member: 60, limit: 10, params: { ...params, repeatSlots: 0 } }).filter((s) => s.kind === 'repeat').length;
    expect(blendRepeats).toBe(2);
    for (const limit of [3, 10, 20]) {
      const list = scoreMember(own, big, 42, { member: 60, limit, params: { ...params, repeatSlots: 3, calibration: weights({ logPopularity: 1 }) } });
      expect(list.length).toBe(limit);
      const first = list.slice(0, Math.min(limit, 10));
      // The two repeat items are in the first ten however long the list, after the likelier popular items.
      expect(first.filter((s) => s.kind === 'repeat').length).toBe(2);
      expect(first[0]).toMatchObject({ item: 0, kind: 'explore' });
      expect(first.every((s, i) => i === 0 || s.score <= first[i - 1]!.score)).toBe(true);
    }
  });

  it('builds the same features for training as for scoring, and labels them by the target', () => {
    const h = holdoutOf(store());
    const params = { ...SCORER_DEFAULTS, ...model.params };
    const rows = calibrationRows(h, model, params, [60]);
    const c = candidateFeatures(h.histories[60]!, model, h.targetDays[60]!, params, { member: 60 });
    expect(rows.x).toEqual(c.x);
    expect(rows.y.length).toBe(c.items.length);
    expect(c.items.filter((_, k) => rows.y[k])).toEqual(expect.arrayContaining([7, 8]));
    expect(rows.x.length).toBe(c.items.length * FEATURE_COUNT);
    // Repeat features are 0 on new items.
    c.items.forEach((item, k) => {
      if (c.repeat[k]) return;
      for (const f of ['repeat', 'repeatShare', 'repeatDue'] as const) expect(c.x[k * FEATURE_COUNT + CALIBRATION_FEATURES.indexOf(f)]).toBe(0);
    });
  });

  it('is chosen by a fit only when it holds the floor and keeps the searched weights\' repeat recall', () => {
    // A store whose members buy their own 3 items on rhythm among popular noise: the fit tries the calibration.
    const r = rng(11);
    const histories: Trip[][] = Array.from({ length: 300 }, (_, m) => Array.from({ length: 8 }, (_, w) => ({
      day: w * 7,
      items: [...new Set([...[0, 1, 2].map((j) => 10 + ((m * 3 + j) % 30)).filter(() => r() < 0.6), Math.floor(r() * r() * 10)])],
    })));
    const fit = fitScorer(histories, { itemCount: 40, unit: 'days', tifuGrid: { ...TIFU_GRID, groupCount: [3], withinDecay: [1], groupDecay: [0.9], neighbours: [10], alpha: [0.5, 0.9] } });
    expect(fit.calibration.length).toBeGreaterThan(0);
    for (const t of fit.calibration) if (t.kept) expect(t.repeat).toBeGreaterThanOrEqual(fit.floor.repeat);
    if (fit.params.calibration) {
      // Its validation score (fitted on the whole sample) is at least TIFU-KNN's on each of the floor's measures.
      const h = holdoutOf(histories);
      const sample = evenSample(h.histories.length, 6000);
      const m = buildStoreModel(h.histories, { itemCount: 40, params: fit.params, indexMembers: sample });
      const v = holdoutObjective(h, m, fit.params, sample);
      expect(v.recall).toBeGreaterThanOrEqual(fit.floor.recall - 0.01);
      expect(v.repeat).toBeGreaterThanOrEqual(fit.floor.repeat - 0.01);
    }
  });
});
