// A pack decodes to the history it was made from, whatever its values (narrow or wide, discounts or none, a large
// dictionary), and leaves out lines of products gone from the catalogue.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { PackedHistory } from '../../core/history.ts';
import type { Product } from '../../core/types.ts';
import { decodePack, encodePack } from './packs.ts';

const products: Product[] = Array.from({ length: 400 }, (_, i) => ({ id: `P${i}`, name: `p${i}`, category: 'c/d', brand: 'b', brandType: 'store', priceCents: 100, tags: [] }));
const catalogue = { index: new Map(products.map((p, i) => [p.id, i])), products };

const history = fc.record({
  baskets: fc.array(fc.record({
    day: fc.integer({ min: 0, max: 30000 }), minute: fc.integer({ min: -1, max: 1439 }),
    lines: fc.array(fc.record({
      product: fc.integer({ min: 0, max: 399 }), qty: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0.5, 1.25, 300)),
      price: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 70_000, max: 200_000 })), discount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 })),
    }), { minLength: 1, maxLength: 8 }),
  }), { maxLength: 30 }),
}).map(({ baskets }): PackedHistory => {
  baskets.sort((a, b) => a.day - b.day);
  const lines = baskets.flatMap((b) => b.lines);
  const lineStart = new Int32Array(baskets.length + 1);
  let l = 0;
  baskets.forEach((b, i) => { lineStart[i] = l; l += b.lines.length; });
  lineStart[baskets.length] = l;
  return {
    memberId: 'M1', basketIds: baskets.map((_, i) => `B${i}-é`), days: Int32Array.from(baskets, (b) => b.day), minutes: Int16Array.from(baskets, (b) => b.minute), lineStart,
    products: Int32Array.from(lines, (x) => x.product), qty: Float32Array.from(lines, (x) => x.qty), priceCents: Int32Array.from(lines, (x) => x.price), discountCents: Int32Array.from(lines, (x) => x.discount),
  };
});

const plain = (h: PackedHistory) => ({ ...h, days: [...h.days], minutes: [...h.minutes], lineStart: [...h.lineStart], products: [...h.products], qty: [...h.qty], priceCents: [...h.priceCents], discountCents: [...h.discountCents] });

it('decodes what it encodes', () => {
  fc.assert(fc.property(history, (h) => {
    const bytes = encodePack(h, catalogue);
    // From a Buffer at an odd offset, as a database driver may hand it over.
    const shifted = Buffer.concat([Buffer.from([7]), bytes]).subarray(1);
    expect(plain(decodePack('M1', shifted, catalogue))).toEqual(plain(h));
  }), { numRuns: 200 });
});

it('leaves out lines of products no longer in the catalogue', () => {
  fc.assert(fc.property(history, (h) => {
    const bytes = encodePack(h, catalogue);
    const smaller = { index: new Map([...catalogue.index].filter(([id]) => id !== 'P3')), products };
    const d = decodePack('M1', bytes, smaller);
    expect([...d.products]).toEqual([...h.products].filter((p) => p !== 3));
    expect(d.basketIds).toEqual(h.basketIds);
    expect(d.lineStart[d.basketIds.length]).toBe(d.products.length);
  }), { numRuns: 100 });
});
