// A member's purchase history packed into typed arrays: one record per member, as DESIGN.md's storage measurements advise.
import type { Basket, Trip } from './types.ts';

/** A member's baskets, sorted by day, lines in flat typed arrays (products as dense indexes). */
export interface PackedHistory {
  memberId: string;
  basketIds: string[];
  days: Int32Array;
  /** Minute of day, -1 when unknown. */
  minutes: Int16Array;
  /** Line offsets: basket b has lines lineStart[b] .. lineStart[b+1]-1. */
  lineStart: Int32Array;
  products: Int32Array;
  qty: Float32Array;
  priceCents: Int32Array;
  discountCents: Int32Array;
}

/** An empty history for a member. */
export function emptyHistory(memberId: string): PackedHistory {
  return {
    memberId, basketIds: [], days: new Int32Array(0), minutes: new Int16Array(0), lineStart: new Int32Array([0]),
    products: new Int32Array(0), qty: new Float32Array(0), priceCents: new Int32Array(0), discountCents: new Int32Array(0),
  };
}

/** Baskets of a packed history, with product ids restored. */
export function unpackHistory(h: PackedHistory, productIds: readonly string[]): Basket[] {
  const out: Basket[] = [];
  for (let b = 0; b < h.basketIds.length; b++) {
    const lines = [];
    for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) {
      lines.push({ productId: productIds[h.products[l]!]!, qty: h.qty[l]!, unitPriceCents: h.priceCents[l]!, discountCents: h.discountCents[l]! });
    }
    const minute = h.minutes[b]!;
    out.push({ id: h.basketIds[b]!, memberId: h.memberId, day: h.days[b]!, ...(minute >= 0 ? { minute } : {}), lines });
  }
  return out;
}

/** Add baskets to a history. Idempotent: a basket id already present is skipped, so re-importing is a no-op. */
export function mergeBaskets(
  h: PackedHistory,
  baskets: readonly Basket[],
  indexOf: (productId: string) => number,
): { history: PackedHistory; added: number; skipped: number } {
  const known = new Set(h.basketIds);
  const fresh = baskets.filter((b) => {
    if (known.has(b.id)) return false;
    known.add(b.id);
    return true;
  });
  if (fresh.length === 0) return { history: h, added: 0, skipped: baskets.length };
  type Row = { id: string; day: number; minute: number; from: PackedHistory | Basket; index: number };
  const rows: Row[] = h.basketIds.map((id, index) => ({ id, day: h.days[index]!, minute: h.minutes[index]!, from: h, index }));
  for (const b of fresh) rows.push({ id: b.id, day: b.day, minute: b.minute ?? -1, from: b, index: -1 });
  rows.sort((x, y) => x.day - y.day || x.minute - y.minute);
  let lineCount = h.products.length;
  for (const b of fresh) lineCount += b.lines.length;
  const out: PackedHistory = {
    memberId: h.memberId, basketIds: new Array(rows.length), days: new Int32Array(rows.length), minutes: new Int16Array(rows.length),
    lineStart: new Int32Array(rows.length + 1), products: new Int32Array(lineCount), qty: new Float32Array(lineCount),
    priceCents: new Int32Array(lineCount), discountCents: new Int32Array(lineCount),
  };
  let l = 0;
  rows.forEach((row, b) => {
    out.basketIds[b] = row.id;
    out.days[b] = row.day;
    out.minutes[b] = row.minute;
    out.lineStart[b] = l;
    if (row.index >= 0) {
      for (let s = h.lineStart[row.index]!; s < h.lineStart[row.index + 1]!; s++, l++) {
        out.products[l] = h.products[s]!; out.qty[l] = h.qty[s]!; out.priceCents[l] = h.priceCents[s]!; out.discountCents[l] = h.discountCents[s]!;
      }
    } else {
      for (const line of (row.from as Basket).lines) {
        out.products[l] = indexOf(line.productId); out.qty[l] = line.qty; out.priceCents[l] = line.unitPriceCents; out.discountCents[l] = line.discountCents;
        l++;
      }
    }
  });
  out.lineStart[rows.length] = l;
  return { history: out, added: fresh.length, skipped: baskets.length - fresh.length };
}

/** The trips of a history for the algorithms: day and unique product indexes, oldest first. */
export function tripsOf(h: PackedHistory): Trip[] {
  return tripsUntil(h, Infinity);
}

/** {@link tripsOf} for the baskets up to a day only (baskets are sorted by day, so later ones are never read). */
export function tripsUntil(h: PackedHistory, lastDay: number): Trip[] {
  let n = h.basketIds.length;
  while (n > 0 && h.days[n - 1]! > lastDay) n--;
  const trips: Trip[] = new Array(n);
  for (let b = 0; b < n; b++) {
    const from = h.lineStart[b]!;
    const to = h.lineStart[b + 1]!;
    const items: number[] = [];
    for (let l = from; l < to; l++) {
      const p = h.products[l]!;
      // A product repeated in a basket is rare and baskets are short: a backwards scan beats a Set.
      let dup = false;
      for (let k = items.length - 1; k >= 0; k--) if (items[k] === p) { dup = true; break; }
      if (!dup) items.push(p);
    }
    trips[b] = { day: h.days[b]!, items };
  }
  return trips;
}

/** Money spent in a history, in cents (price × qty − discount). */
export function spendCents(h: PackedHistory, fromDay = -Infinity): number {
  let total = 0;
  for (let b = 0; b < h.basketIds.length; b++) {
    if (h.days[b]! < fromDay) continue;
    for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) total += Math.round(h.priceCents[l]! * h.qty[l]!) - h.discountCents[l]!;
  }
  return total;
}

/** The history with each line's product index moved by `map` (old index → new; -1 or past the end: the product is
 * gone, and so are its lines; baskets stay, perhaps empty). A pack read against a catalogue, a catalogue whose
 * positions changed. */
export function remapHistory(h: PackedHistory, map: Int32Array): PackedHistory {
  const to = (i: number) => (i < map.length ? map[i]! : -1);
  const nb = h.basketIds.length;
  const keep: number[] = [];
  const lineStart = new Int32Array(nb + 1);
  for (let b = 0; b < nb; b++) {
    lineStart[b] = keep.length;
    for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) if (to(h.products[l]!) >= 0) keep.push(l);
  }
  lineStart[nb] = keep.length;
  return {
    memberId: h.memberId, basketIds: h.basketIds, days: h.days, minutes: h.minutes, lineStart,
    products: Int32Array.from(keep, (l) => to(h.products[l]!)), qty: Float32Array.from(keep, (l) => h.qty[l]!),
    priceCents: Int32Array.from(keep, (l) => h.priceCents[l]!), discountCents: Int32Array.from(keep, (l) => h.discountCents[l]!),
  };
}
