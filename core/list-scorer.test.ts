import { describe, expect, it } from 'vitest';
import { buildStoreModel, scoreMember } from './list-scorer.ts';
import { nearest, tifuScores, tifuVector } from './nbr-baselines.ts';
import type { Trip } from './types.ts';

// Items: 0 milk (weekly), 1 coffee (bought yesterday), 2 tea (only other members buy it).
const member: Trip[] = [0, 7, 14, 21].map((day) => ({ day, items: [0] })).concat([{ day: 2, items: [1] }, { day: 9, items: [1] }, { day: 16, items: [1] }, { day: 27, items: [1] }]).sort((a, b) => a.day - b.day);
const others: Trip[][] = Array.from({ length: 6 }, (_, m) => [0, 7, 14, 21, 28].map((day) => ({ day: day + m, items: [0, 2] })));

describe('list scorer', () => {
  const model = buildStoreModel([member, ...others], { itemCount: 3, params: { neighbours: 3, alpha: 0.7, timingWeight: 0.8 } });

  it('ranks an item due now above one bought yesterday', () => {
    const scored = scoreMember(member, model, 28, { self: 0 });
    const milk = scored.find((s) => s.item === 0)!, coffee = scored.find((s) => s.item === 1)!;
    expect(milk.score).toBeGreaterThan(coffee.score);
    expect(milk.dueDay).toBe(28);
  });

  it('marks items the member never bought as explore, and only those', () => {
    const scored = scoreMember(member, model, 28, { self: 0 });
    expect(scored.find((s) => s.item === 2)?.kind).toBe('explore');
    expect(scored.filter((s) => s.kind === 'repeat').map((s) => s.item).sort()).toEqual([0, 1]);
  });

  it('is TIFU-KNN exactly when timing has no weight and nothing is explored', () => {
    const plain = scoreMember(member, model, 28, { self: 0, params: { timingWeight: 0 } });
    const own = tifuVector(member, model.params);
    const tifu = tifuScores(own, model.index, nearest(model.index, own, 3, 0), 0.7);
    for (const s of plain) expect(s.score).toBeCloseTo(tifu.get(s.item)!, 12);
    expect(plain).toHaveLength(tifu.size);
  });
});
