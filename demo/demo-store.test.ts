import { describe, expect, it } from 'vitest';
import { generateDemoStore } from './demo-store.ts';
import { parseDay } from '../core/dates.ts';

describe('the demo store', () => {
  it('has no basket after its end date, in any store', () => {
    for (const seed of [1, 7, 23]) {
      const s = generateDemoStore({ members: 400, days: 120, endDate: '2026-11-22', seed });
      const end = parseDay('2026-11-22')!;
      expect(s.baskets.filter((b) => b.day > end).map((b) => b.id)).toEqual([]);
      expect(new Set(s.baskets.map((b) => b.storeId))).toEqual(new Set(['S01', 'S02']));
    }
  });

  it('is the same store for the same seed', () => {
    const a = generateDemoStore({ members: 50, days: 60, endDate: '2026-11-22', seed: 3 });
    const b = generateDemoStore({ members: 50, days: 60, endDate: '2026-11-22', seed: 3 });
    expect(b).toEqual(a);
  });
});
