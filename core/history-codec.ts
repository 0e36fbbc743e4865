// A packed history as IndexedDB stores it: every array in the narrowest type its values fit (a store with fewer than
// 65,536 products needs 2 bytes per product, not 4; whole quantities below 256 need 1; discounts that are all zero
// need none). Reading a record costs in proportion to its bytes (bench/README.md), and a list reads one history.
import type { PackedHistory } from './history.ts';

/** Whole numbers, in the narrowest of these that holds them. */
export type IntArray = Uint8Array | Uint16Array | Int16Array | Int32Array;

/** A {@link PackedHistory} as stored. Records written before the codec (plain `PackedHistory`) decode too. */
export interface StoredHistory {
  memberId: string;
  basketIds: string[];
  days: IntArray;
  minutes: IntArray;
  lineStart: IntArray;
  products: IntArray;
  /** Whole quantities narrowed like the rest; a history with any fractional quantity (loose weight) keeps Float32. */
  qty: IntArray | Float32Array;
  priceCents: IntArray;
  /** Absent when every line has no discount. */
  discountCents?: IntArray;
}

/** The narrowest whole-number array that holds `values` exactly. */
export function narrowInts(values: ArrayLike<number>): IntArray {
  let min = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0 && max <= 0xff) return Uint8Array.from(values);
  if (min >= 0 && max <= 0xffff) return Uint16Array.from(values);
  if (min >= -0x8000 && max <= 0x7fff) return Int16Array.from(values);
  return Int32Array.from(values);
}

function wholeNumbers(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return false;
  return true;
}

function allZero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

/** The stored form of a history. */
export function encodeHistory(h: PackedHistory): StoredHistory {
  return {
    memberId: h.memberId,
    basketIds: h.basketIds,
    days: narrowInts(h.days),
    minutes: narrowInts(h.minutes),
    lineStart: narrowInts(h.lineStart),
    products: narrowInts(h.products),
    qty: wholeNumbers(h.qty) ? narrowInts(h.qty) : h.qty,
    priceCents: narrowInts(h.priceCents),
    ...(allZero(h.discountCents) ? {} : { discountCents: narrowInts(h.discountCents) }),
  };
}

/** The history a stored record holds, in the arrays the algorithms use (one element type each, so their loops stay
 * monomorphic). The arrays are views on one buffer: one allocation instead of seven. */
export function decodeHistory(s: StoredHistory): PackedHistory {
  const baskets = s.days.length;
  const lines = s.products.length;
  const buffer = new ArrayBuffer(4 * (baskets + baskets + 1 + 4 * lines) + 2 * baskets);
  let at = 0;
  const view = <T extends Int32Array | Float32Array | Int16Array>(make: new (b: ArrayBuffer, offset: number, length: number) => T, length: number, from: ArrayLike<number> | undefined): T => {
    const out = new make(buffer, at, length);
    at += length * out.BYTES_PER_ELEMENT;
    if (from) out.set(from);
    return out;
  };
  return {
    memberId: s.memberId,
    basketIds: s.basketIds,
    days: view(Int32Array, baskets, s.days),
    lineStart: view(Int32Array, baskets + 1, s.lineStart),
    products: view(Int32Array, lines, s.products),
    qty: view(Float32Array, lines, s.qty),
    priceCents: view(Int32Array, lines, s.priceCents),
    discountCents: view(Int32Array, lines, s.discountCents),
    minutes: view(Int16Array, baskets, s.minutes),
  };
}
