import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeHistory, encodeHistory, narrowInts } from './history-codec.ts';
import { emptyHistory, mergeBaskets } from './history.ts';
import type { Basket } from './types.ts';

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

describe('stored history codec', () => {
  it('keeps every whole number exactly, in the narrowest type that holds them all', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: -40_000, max: 70_000 }), int32)), (values) => {
      const narrow = narrowInts(values);
      expect(Array.from(narrow)).toEqual(values);
      const min = Math.min(0, ...values);
      const max = Math.max(0, ...values);
      const bytes = min >= 0 && max <= 255 ? 1 : (min >= 0 && max <= 65_535) || (min >= -32_768 && max <= 32_767) ? 2 : 4;
      expect(narrow.BYTES_PER_ELEMENT).toBe(bytes);
    }));
  });

  it('round-trips any history, fractional quantities and discounts included', () => {
    const line = fc.record({
      productId: fc.integer({ min: 0, max: 70_000 }).map(String),
      qty: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.float({ min: Math.fround(0.01), max: Math.fround(50), noNaN: true })),
      unitPriceCents: fc.integer({ min: 0, max: 200_000 }),
      discountCents: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5_000 })),
    });
    const basket = fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), day: fc.integer({ min: 0, max: 40_000 }), minute: fc.option(fc.integer({ min: 0, max: 1439 }), { nil: undefined }), lines: fc.array(line, { minLength: 1, maxLength: 300 }) });
    fc.assert(fc.property(fc.uniqueArray(basket, { selector: (b) => b.id, maxLength: 12 }), (rows) => {
      const baskets: Basket[] = rows.map((r) => ({ id: r.id, memberId: 'm', day: r.day, ...(r.minute === undefined ? {} : { minute: r.minute }), lines: r.lines }));
      const { history } = mergeBaskets(emptyHistory('m'), baskets, Number);
      expect(decodeHistory(encodeHistory(history))).toEqual(history);
    }));
  });

  it('stores a typical grocery history in about a third of the bytes', () => {
    const baskets: Basket[] = Array.from({ length: 104 }, (_, b) => ({
      id: `B${b}`, memberId: 'm', day: 20_000 + 7 * b, minute: 600,
      lines: Array.from({ length: 10 }, (_, l) => ({ productId: String((b * 7 + l * 13) % 30_000), qty: 1 + (l % 3), unitPriceCents: 99 + l * 50, discountCents: 0 })),
    }));
    const { history } = mergeBaskets(emptyHistory('m'), baskets, Number);
    const bytes = (h: object) => Object.values(h).reduce((s: number, v) => s + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0);
    const ratio = bytes(encodeHistory(history)) / bytes(history);
    expect(ratio).toBeLessThan(0.4);
  });

  it('reads a record stored before the codec as it was', () => {
    const { history } = mergeBaskets(emptyHistory('m'), [{ id: 'b', memberId: 'm', day: 3, lines: [{ productId: '7', qty: 1.5, unitPriceCents: 100, discountCents: 10 }] }], Number);
    expect(decodeHistory(history)).toEqual(history);
  });
});
