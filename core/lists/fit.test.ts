import { describe, expect, it } from 'vitest';
import { evenSample, fitScorer, fitStoreModel, holdoutObjective, holdoutOf, MIN_FIT_MEMBERS, moveKept, TIFU_GRID, type HoldoutScore } from './fit.ts';
import { splitMembers } from '../eval/protocol.ts';
import { buildStoreModel } from './store-model.ts';
import { SCORER_DEFAULTS } from './scorer-params.ts';
import type { Trip } from '../types.ts';

// A store where the answer is known: every member has 15 products, each bought on its own steady rhythm (every 2 to 6
// weeks, its own phase), so a basket holds exactly the products due that week; 15 candidates compete for 10 slots
// and only timing tells them apart.
const ITEMS = 40;
function rhythmStore(members: number, weeks: number): Trip[][] {
  return Array.from({ length: members }, (_, m) => {
    const own = Array.from({ length: 15 }, (_, j) => ({ item: (m * 7 + j * 3) % ITEMS, period: 2 + ((m + j) % 5), phase: (m * 3 + j) % 7 }));
    const trips: Trip[] = [];
    for (let w = 0; w < weeks; w++) {
      const items = own.filter((o) => (w + o.phase) % o.period === 0).map((o) => o.item);
      if (items.length) trips.push({ day: w * 7, items: [...new Set(items)] });
    }
    return trips;
  });
}

const smallTifu = { ...TIFU_GRID, groupCount: [3], withinDecay: [1], groupDecay: [0.9], neighbours: [10], alpha: [0.5, 0.9] };

describe('fitting the scorer per store', () => {
  it('holds out each member\'s latest basket, and nothing after it exists for the fit', () => {
    const h = holdoutOf([[{ day: 0, items: [1] }, { day: 7, items: [2] }], [{ day: 0, items: [3] }]]);
    expect(h.targets).toEqual([[2]]);
    expect(h.histories[0]!.map((t) => t.day)).toEqual([0]);
    expect(h.members).toEqual([0]);
  });

  it('chooses weights that beat the defaults where timing is the answer, on validation and on the next basket', () => {
    const store = rhythmStore(60, 40);
    // Fit on everything but each member's last basket (the unseen test), as the eval does.
    const training = store.map((t) => t.slice(0, -1));
    const fit = fitScorer(training, { itemCount: ITEMS, unit: 'days', tifuGrid: smallTifu });
    expect(fit.value).toBeGreaterThan(fit.defaultsValue + 0.05);
    expect(fit.params.timingWeight + fit.params.dueWeight).toBeGreaterThan(SCORER_DEFAULTS.timingWeight + SCORER_DEFAULTS.dueWeight);
    // The test baskets, never seen by the fit: the fitted weights rank them better than the defaults.
    const test = holdoutOf(store);
    const model = buildStoreModel(test.histories, { itemCount: ITEMS, params: fit.params });
    const all = evenSample(test.histories.length, 1000);
    const fitted = holdoutObjective(test, model, fit.params, all).value;
    const defaults = holdoutObjective(test, model, { ...SCORER_DEFAULTS, neighbours: fit.params.neighbours, calibration: undefined }, all).value;
    expect(fitted).toBeGreaterThan(defaults + 0.05);
  });

  it('fits the same weights whatever the test baskets hold: the eval passes only what comes before them', () => {
    const store = rhythmStore(MIN_FIT_MEMBERS + 20, 12);
    const changed = store.map((t) => [...t.slice(0, -1), { day: t[t.length - 1]!.day, items: [ITEMS - 1 - (t[t.length - 1]!.items[0]! % 5)] }]);
    const fitOf = (s: Trip[][]) => fitStoreModel(splitMembers(s).test.histories, { itemCount: ITEMS, unit: 'days', tifuGrid: smallTifu, sample: 200 });
    const a = fitOf(store);
    expect(a.fit).toBeDefined();
    expect(fitOf(changed).model.params).toEqual(a.model.params);
    // And a store too small to fit keeps the defaults (with the horizon of its time unit).
    expect(fitStoreModel(store.slice(0, 20), { itemCount: ITEMS, unit: 'trips' }).model.params).toEqual({ ...SCORER_DEFAULTS, horizon: 1 });
  });

  it('never takes a setting that ranks repeat items worse than TIFU-KNN does on validation', () => {
    const store = rhythmStore(40, 20);
    const fit = fitScorer(store, { itemCount: ITEMS, unit: 'days', tifuGrid: smallTifu });
    const h = holdoutOf(store);
    const model = buildStoreModel(h.histories, { itemCount: ITEMS, params: { ...SCORER_DEFAULTS, ...fit.tifu, timingWeight: 0, itemWeight: 0, popularityWeight: 0, freqWeight: 0, dueWeight: 0, repeatBias: 0 } });
    const sample = evenSample(h.histories.length);
    const tifuOnly = holdoutObjective(h, model, model.params, sample);
    expect(holdoutObjective(h, model, fit.params, sample).repeat).toBeGreaterThanOrEqual(tifuOnly.repeat);
  });

  // A validation score from per-member values (repeat and explore recall per member; NaN = no such items).
  const scoreOf = (per: number[], perRepeat: number[], perExplore: number[]): HoldoutScore => {
    const mean = (xs: number[]) => { const ok = xs.filter((x) => !Number.isNaN(x)); return ok.reduce((a, b) => a + b, 0) / ok.length; };
    return { value: mean(per), recall: mean(per) / 2, ndcg: mean(per) / 2, perRecall: Float64Array.from(per, (x) => x / 2), repeat: mean(perRepeat), explore: mean(perExplore), per: Float64Array.from(per), perRepeat: Float64Array.from(perRepeat), perExplore: Float64Array.from(perExplore) };
  };
  const floor = { repeat: 0.4, explore: 0.09, value: 0.3, recall: 0.15, ndcg: 0.15 };
  const base = scoreOf([0.4, 0.4, 0.4, 0.4], [0.5, 0.5, 0.5, 0.5], [0.1, 0.1, 0.1, 0.1]);

  it('keeps a move only beyond one paired standard error of its own metric, and never below the floor', () => {
    const steady = scoreOf([0.42, 0.42, 0.42, 0.42], [0.5, 0.5, 0.5, 0.5], [0.1, 0.1, 0.1, 0.1]);
    expect(moveKept('value', steady, base, floor)).toBe(true);
    // The same mean gain, up on some members and down on others: within noise.
    const lucky = scoreOf([0.5, 0.36, 0.44, 0.38], [0.5, 0.5, 0.5, 0.5], [0.1, 0.1, 0.1, 0.1]);
    expect(moveKept('value', lucky, base, floor)).toBe(false);
    // A clear gain that gives up explore below the floor.
    const greedy = scoreOf([0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5], [0.08, 0.08, 0.08, 0.08]);
    expect(moveKept('value', greedy, base, floor)).toBe(false);
  });
});
