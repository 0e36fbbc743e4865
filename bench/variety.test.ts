// The bench's variety figure (bench/variety.ts) on a small run: memory widens what members discover, never at the cost of a due item.
import { describe, expect, it } from 'vitest';
import { varietyRun } from './variety.ts';

describe('variety figure on the demo store (small run)', () => {
  it('memory shows each member more distinct discovery items, and drops no due item', () => {
    const { before, after } = varietyRun({ members: 80, visits: 5 });
    expect(after.lists).toBe(80 * 5);
    expect(after.personalLists).toBe(before.personalLists);
    expect(after.personalSlots).toBeGreaterThan(0);
    expect(after.personalPairs / after.personalSlots).toBeGreaterThan(before.personalPairs / before.personalSlots);
    expect(after.personalItems).toBeGreaterThanOrEqual(before.personalItems);
    expect(after.dueDropped).toBe(0);
  }, 60_000);
});
