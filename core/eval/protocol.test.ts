import { describe, expect, it } from 'vitest';
import { runPersonalTopFreq, scoreRankings, splitMembers, timingErrors, tuneTifu } from './protocol.ts';
import type { Trip } from '../types.ts';

const trips = (...baskets: number[][]): Trip[] => baskets.map((items, i) => ({ day: i * 7, items }));

describe('the evaluation protocol', () => {
  const members = [trips([1], [2], [3], [4]), trips([5], [6]), trips([1, 2], [2], [9])];

  it('keeps members with three baskets: last is the test target, the one before validation', () => {
    const { validation, test } = splitMembers(members);
    expect(test.histories.length).toBe(2);
    expect(test.targets[0]).toEqual([4]);
    expect(test.histories[0]!.length).toBe(3);
    expect(validation.targets[0]).toEqual([3]);
    expect(validation.histories[0]!.flatMap((t) => t.items)).toEqual([1, 2]);
    expect(validation.targetDays[1]).toBe(7);
  });

  it('never shows the test basket to tuning: validation histories end before the validation target', () => {
    const { validation, test } = splitMembers(members);
    for (let m = 0; m < test.targets.length; m++) {
      const seen = validation.histories[m]!.map((t) => t.day);
      expect(Math.max(...seen)).toBeLessThan(validation.targetDays[m]!);
      expect(validation.targetDays[m]!).toBeLessThan(test.targetDays[m]!);
    }
    // Tuning reads only the validation split: changing every test basket changes nothing.
    const altered = members.map((t) => [...t.slice(0, -1), { day: t[t.length - 1]!.day, items: [42] }]);
    const a = tuneTifu(splitMembers(members).validation, 50, undefined, { groupCount: [2], withinDecay: [1], groupDecay: [1], neighbours: [1], alpha: [0, 1] });
    const b = tuneTifu(splitMembers(altered).validation, 50, undefined, { groupCount: [2], withinDecay: [1], groupDecay: [1], neighbours: [1], alpha: [0, 1] });
    expect(b.best).toEqual(a.best);
  });

  it('scores P-TopFreq on the test targets, split into repeat and explore items', () => {
    const { test } = splitMembers(members);
    const m = scoreRankings(test, runPersonalTopFreq(test, 10));
    // member 0: target {4} never bought → explore miss; member 2: target {9} also new
    expect(m.all['recall@10']).toBe(0);
    expect(m.explore.members).toBe(2);
    expect(m.repeat.members).toBe(0);
  });

  it('measures timing on repeat target items against the naive mean interval', () => {
    const weekly = [trips([1], [1], [1], [1], [1])];
    const t = timingErrors(splitMembers(weekly).test, 2);
    expect(t.larder.n).toBe(1);
    expect(t.naive.medianAbs).toBe(0);
    expect(t.larder.medianAbs).toBeLessThanOrEqual(1);
  });
});
