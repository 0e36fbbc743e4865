// Members' histories for the batch, kept packed at headquarters (`batch_histories`): a member's pack is current while
// their basket count matches the count in `baskets` (baskets are only ever added; an erased member's pack goes with
// them). A member behind gets the baskets since their pack's last day merged in (a basket arriving late, older than
// that, shows as a count that still differs: the member is then packed again from all their baskets).
import { mergeBaskets, unpackHistory, type PackedHistory } from '../../core/history.ts';
import type { Basket } from '../../core/types.ts';
import { byteaArray, type Queryable } from '../db/db.ts';
import { readHistories, type CatalogueIndex } from './histories.ts';

/** Pack layout, version 1: a header of 8 little-endian u32 (version, baskets, lines, dictionary size, flags, bytes of
 * basket ids, bytes of product ids, 0), then the 4-byte arrays (days, line starts, prices unless narrow, discounts
 * when any, quantities unless whole), the 2-byte ones (minutes, narrow prices, products past 255 ids), the 1-byte ones
 * (whole quantities, products), and the basket ids and product ids as UTF-8 joined by U+001E. Decoding is views on
 * one copy of the bytes, not a parse. */
const VERSION = 1;
const QTY_U8 = 1, PRICE_U16 = 2, DISCOUNT = 4, PRODUCTS_U8 = 8;
const HEADER = 32;

const fits = (values: ArrayLike<number>, lo: number, hi: number) => {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= hi && Number.isInteger(v))) return false;
  }
  return true;
};

/** Encode a history (products as catalogue indexes) as a pack. */
export function encodePack(h: PackedHistory, catalogue: CatalogueIndex): Buffer {
  const dict = new Map<number, number>();
  const productIds: string[] = [];
  const nl = h.products.length;
  const nb = h.basketIds.length;
  const products = new Uint16Array(nl);
  for (let l = 0; l < nl; l++) {
    const p = h.products[l]!;
    let d = dict.get(p);
    if (d === undefined) {
      dict.set(p, (d = productIds.length));
      productIds.push(catalogue.products[p]!.id);
    }
    products[l] = d;
  }
  if (productIds.length > 0xffff) throw new Error(`member ${h.memberId} bought more than 65,535 different products`);
  let flags = 0;
  if (fits(h.qty, 0, 255)) flags |= QTY_U8;
  if (fits(h.priceCents, 0, 0xffff)) flags |= PRICE_U16;
  if (!fits(h.discountCents, 0, 0)) flags |= DISCOUNT;
  if (productIds.length <= 256) flags |= PRODUCTS_U8;
  const ids = Buffer.from(h.basketIds.join('\x1e'));
  const names = Buffer.from(productIds.join('\x1e'));
  const four = 4 * (nb + nb + 1) + (flags & PRICE_U16 ? 0 : 4 * nl) + (flags & DISCOUNT ? 4 * nl : 0) + (flags & QTY_U8 ? 0 : 4 * nl);
  const two = 2 * nb + (flags & PRICE_U16 ? 2 * nl : 0) + (flags & PRODUCTS_U8 ? 0 : 2 * nl);
  const one = (flags & QTY_U8 ? nl : 0) + (flags & PRODUCTS_U8 ? nl : 0);
  const out = Buffer.alloc(HEADER + four + two + one + ids.length + names.length);
  const head = [VERSION, nb, nl, productIds.length, flags, ids.length, names.length, 0];
  head.forEach((v, i) => out.writeUInt32LE(v, 4 * i));
  let at = HEADER;
  const put = (values: ArrayLike<number>, Kind: Int32ArrayConstructor | Float32ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor) => {
    const typed = new Kind(values.length);
    for (let i = 0; i < values.length; i++) typed[i] = values[i]!;
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    out.set(bytes, at);
    at += bytes.length;
  };
  put(h.days, Int32Array);
  put(h.lineStart, Int32Array);
  if (!(flags & PRICE_U16)) put(h.priceCents, Int32Array);
  if (flags & DISCOUNT) put(h.discountCents, Int32Array);
  if (!(flags & QTY_U8)) put(h.qty, Float32Array);
  put(h.minutes, Int16Array);
  if (flags & PRICE_U16) put(h.priceCents, Uint16Array);
  if (!(flags & PRODUCTS_U8)) put(products, Uint16Array);
  if (flags & QTY_U8) put(h.qty, Uint8Array);
  if (flags & PRODUCTS_U8) put(products, Uint8Array);
  out.set(ids, at);
  out.set(names, at + ids.length);
  return out;
}

/** Decode a pack against the catalogue (lines of products gone from it are left out). */
export function decodePack(memberId: string, bytes: Uint8Array, catalogue: CatalogueIndex): PackedHistory {
  const buffer = new Uint8Array(bytes).buffer; // one aligned copy: the arrays below are views on it
  const head = new Uint32Array(buffer, 0, 8);
  if (head[0] !== VERSION) throw new Error(`pack of ${memberId}: unknown version ${head[0]}`);
  const [nb, nl, nd, flags, idBytes, nameBytes] = [head[1]!, head[2]!, head[3]!, head[4]!, head[5]!, head[6]!];
  let at = HEADER;
  const take = <T>(Kind: new (b: ArrayBuffer, o: number, n: number) => T & { byteLength: number }, n: number): T => {
    const v = new Kind(buffer, at, n);
    at += v.byteLength;
    return v;
  };
  const days = take(Int32Array, nb);
  const lineStart = take(Int32Array, nb + 1);
  const price32 = flags & PRICE_U16 ? undefined : take(Int32Array, nl);
  const discount = flags & DISCOUNT ? take(Int32Array, nl) : undefined;
  const qty32 = flags & QTY_U8 ? undefined : take(Float32Array, nl);
  const minutes = take(Int16Array, nb);
  const price16 = flags & PRICE_U16 ? take(Uint16Array, nl) : undefined;
  const products16 = flags & PRODUCTS_U8 ? undefined : take(Uint16Array, nl);
  const qty8 = flags & QTY_U8 ? take(Uint8Array, nl) : undefined;
  const products8 = flags & PRODUCTS_U8 ? take(Uint8Array, nl) : undefined;
  const text = Buffer.from(buffer, at, idBytes + nameBytes);
  const basketIds = nb ? text.toString('utf8', 0, idBytes).split('\x1e') : [];
  const names = nd ? text.toString('utf8', idBytes).split('\x1e') : [];
  const map = Int32Array.from(names, (id) => catalogue.index.get(id) ?? -1);
  const prices = (price32 ?? price16)!;
  const qty = (qty32 ?? qty8)!;
  const products = (products16 ?? products8)!;
  const h: PackedHistory = {
    memberId, basketIds, days, minutes, lineStart,
    products: new Int32Array(nl), qty: new Float32Array(nl), priceCents: new Int32Array(nl), discountCents: new Int32Array(nl),
  };
  let dropped = false;
  for (let l = 0; l < nl; l++) {
    const i = map[products[l]!]!;
    if (i < 0) dropped = true;
    h.products[l] = i; h.qty[l] = qty[l]!; h.priceCents[l] = prices[l]!;
    if (discount) h.discountCents[l] = discount[l]!;
  }
  return dropped ? withoutUnknown(h) : h;
}

/** The history without the lines whose product left the catalogue (index -1). */
function withoutUnknown(h: PackedHistory): PackedHistory {
  const nb = h.basketIds.length;
  const lineStart = new Int32Array(nb + 1);
  const keep: number[] = [];
  for (let b = 0; b < nb; b++) {
    lineStart[b] = keep.length;
    for (let l = h.lineStart[b]!; l < h.lineStart[b + 1]!; l++) if (h.products[l]! >= 0) keep.push(l);
  }
  lineStart[nb] = keep.length;
  const pick = <T extends Int32Array | Float32Array>(from: T, make: new (n: number) => T) => {
    const out = new make(keep.length);
    keep.forEach((l, i) => { out[i] = from[l]!; });
    return out;
  };
  return { ...h, lineStart, products: pick(h.products, Int32Array), qty: pick(h.qty, Float32Array), priceCents: pick(h.priceCents, Int32Array), discountCents: pick(h.discountCents, Int32Array) };
}

/** The history's baskets of days up to `day` (baskets are sorted by day). */
export function until(h: PackedHistory, day: number): PackedHistory {
  let n = h.basketIds.length;
  while (n > 0 && h.days[n - 1]! > day) n--;
  if (n === h.basketIds.length) return h;
  const end = h.lineStart[n]!;
  return {
    memberId: h.memberId, basketIds: h.basketIds.slice(0, n), days: h.days.slice(0, n), minutes: h.minutes.slice(0, n), lineStart: h.lineStart.slice(0, n + 1),
    products: h.products.slice(0, end), qty: h.qty.slice(0, end), priceCents: h.priceCents.slice(0, end), discountCents: h.discountCents.slice(0, end),
  };
}

/** What reading a page of histories did. */
export interface PackStats { current: number; merged: number; repacked: number }

/** The histories of these members up to `asOfDay`, from their packs, bringing packs that are behind up to date
 * (and storing them). Members without baskets are absent. */
export async function readPacked(q: Queryable, memberIds: readonly string[], asOfDay: number, catalogue: CatalogueIndex, stats?: PackStats): Promise<Map<string, PackedHistory>> {
  const out = new Map<string, PackedHistory>();
  if (!memberIds.length) return out;
  const [packs, counts] = await Promise.all([
    q.query<{ member_id: string; baskets: number; last_day: number; pack: Uint8Array }>('SELECT member_id, baskets, last_day, pack FROM batch_histories WHERE member_id = ANY($1::text[])', [memberIds]),
    q.query<{ member_id: string; n: number }>('SELECT member_id, count(*)::int AS n FROM baskets WHERE member_id = ANY($1::text[]) GROUP BY member_id', [memberIds]),
  ]);
  const count = new Map(counts.map((r) => [r.member_id, Number(r.n)]));
  const behind: { id: string; pack: PackedHistory; lastDay: number }[] = [];
  const unpacked: string[] = [];
  for (const p of packs) {
    const n = count.get(p.member_id) ?? 0;
    if (Number(p.baskets) === n) {
      out.set(p.member_id, decodePack(p.member_id, p.pack, catalogue));
      if (stats) stats.current++;
    } else behind.push({ id: p.member_id, pack: decodePack(p.member_id, p.pack, catalogue), lastDay: Number(p.last_day) });
  }
  const packed = new Set(packs.map((p) => p.member_id));
  for (const id of memberIds) if (!packed.has(id) && count.has(id)) unpacked.push(id);
  const fresh: PackedHistory[] = [];
  if (behind.length) {
    // Baskets from each member's pack's last day on (that day again: a basket may have come in later the same day).
    const since = await readHistories(q, behind.map((b) => b.id), Infinity, catalogue, behind.map((b) => b.lastDay));
    const ids = catalogue.products.map((p) => p.id);
    for (const b of behind) {
      const add = since.get(b.id);
      const baskets: Basket[] = add ? unpackHistory(add, ids) : [];
      const merged = mergeBaskets(b.pack, baskets, (id) => catalogue.index.get(id)!).history;
      if (merged.basketIds.length === count.get(b.id)) {
        fresh.push(merged);
        if (stats) stats.merged++;
      } else unpacked.push(b.id);
    }
  }
  if (unpacked.length) {
    const all = await readHistories(q, unpacked, Infinity, catalogue);
    for (const id of unpacked) {
      const h = all.get(id);
      if (h) fresh.push(h);
      if (stats) stats.repacked++;
    }
  }
  if (fresh.length) {
    await q.query(`INSERT INTO batch_histories (member_id, baskets, last_day, pack, packed_at)
      SELECT m, n, d, p, now() FROM unnest($1::text[], $2::int[], $3::int[], ${byteaArray(4, fresh.length)}) AS t(m, n, d, p)
      ON CONFLICT (member_id) DO UPDATE SET baskets = EXCLUDED.baskets, last_day = EXCLUDED.last_day, pack = EXCLUDED.pack, packed_at = EXCLUDED.packed_at`,
    [fresh.map((h) => h.memberId), fresh.map((h) => h.basketIds.length), fresh.map((h) => (h.days.length ? h.days[h.days.length - 1]! : 0)), ...fresh.map((h) => encodePack(h, catalogue))]);
    for (const h of fresh) out.set(h.memberId, h);
  }
  for (const [id, h] of out) out.set(id, until(h, asOfDay));
  return out;
}
