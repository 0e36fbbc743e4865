import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyHistory, mergeBaskets, spendCents, tripsOf, unpackHistory } from './history.ts';
import type { Basket } from './types.ts';

const products = ['milk', 'bread', 'coffee', 'dog-food'];
const indexOf = (id: string) => products.indexOf(id);
const aBasket = (id: string, day: number, items: string[], minute?: number): Basket => ({
  id, memberId: 'm1', day, ...(minute === undefined ? {} : { minute }),
  lines: items.map((productId) => ({ productId, qty: 1, unitPriceCents: 100, discountCents: 0 })),
});

describe('packed member history', () => {
  it('keeps baskets sorted by day whatever order they arrive in', () => {
    const { history } = mergeBaskets(emptyHistory('m1'), [aBasket('b2', 20, ['milk']), aBasket('b1', 10, ['bread', 'milk'])], indexOf);
    expect(Array.from(history.days)).toEqual([10, 20]);
    expect(tripsOf(history)).toEqual([{ day: 10, items: [1, 0] }, { day: 20, items: [0] }]);
  });

  it('treats re-importing the same basket as a no-op', () => {
    const first = mergeBaskets(emptyHistory('m1'), [aBasket('b1', 10, ['milk'])], indexOf);
    const again = mergeBaskets(first.history, [aBasket('b1', 10, ['milk'])], indexOf);
    expect(again.added).toBe(0);
    expect(again.skipped).toBe(1);
    expect(again.history.basketIds).toEqual(['b1']);
  });

  it('round-trips baskets through packing', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), day: fc.integer({ min: 0, max: 800 }), minute: fc.integer({ min: 0, max: 1439 }), items: fc.subarray(products, { minLength: 1 }) }), { selector: (b) => b.id, maxLength: 30 }),
      (rows) => {
        const baskets = rows.map((r) => aBasket(r.id, r.day, r.items, r.minute));
        const { history } = mergeBaskets(emptyHistory('m1'), baskets, indexOf);
        const back = unpackHistory(history, products);
        expect(new Set(back.map((b) => b.id))).toEqual(new Set(baskets.map((b) => b.id)));
        for (const b of baskets) expect(back.find((x) => x.id === b.id)).toEqual(b);
        expect(back.map((b) => b.day)).toEqual([...back.map((b) => b.day)].sort((x, y) => x - y));
        expect(spendCents(history)).toBe(baskets.reduce((s, b) => s + b.lines.length * 100, 0));
      },
    ));
  });
});
