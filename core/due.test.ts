import { describe, expect, it } from 'vitest';
import { dueItems } from './due.ts';

describe('due items', () => {
  it('ranks an item that is due now above one bought yesterday', () => {
    // item 0 every 7 days, last on day 21 → due on day 28; item 1 every 7 days, last bought day 27.
    const trips = [
      { day: 0, items: [0] }, { day: 7, items: [0] }, { day: 14, items: [0] }, { day: 21, items: [0] },
      { day: 6, items: [1] }, { day: 13, items: [1] }, { day: 20, items: [1] }, { day: 27, items: [1] },
    ].sort((a, b) => a.day - b.day);
    const scored = dueItems(trips, 28);
    expect(scored.map((s) => s.item)).toEqual([0, 1]);
    expect(scored[0]!.dueDay).toBe(28);
  });

  it('ignores trips after the as-of day', () => {
    expect(dueItems([{ day: 5, items: [3] }], 4)).toEqual([]);
  });
});
