// Members' histories for the batch, kept packed at headquarters (`batch_histories`): a member's pack is current while
// their basket count matches the count in `baskets` (baskets are only ever added; an erased member's pack goes with
// them). A member behind gets the baskets since their pack's last day merged in (a basket arriving late, older than
// that, shows as a count that still differs: the member is then packed again from all their baskets).
import { deserialize, serialize } from 'node:v8';
import { mergeBaskets, unpackHistory, type PackedHistory } from '../../core/history.ts';
import { narrowInts } from '../../core/history-codec.ts';
import type { Basket } from '../../core/types.ts';
import type { Queryable } from '../db/db.ts';
import { readHistories, type CatalogueIndex } from './histories.ts';

/** A pack as stored: the history's arrays narrowed, products as indexes into its own dictionary of ids. */
interface StoredPack {
  basketIds: string[];
  days: ArrayLike<number>;
  minutes: ArrayLike<number>;
  lineStart: ArrayLike<number>;
  productIds: string[];
  products: ArrayLike<number>;
  qty: ArrayLike<number>;
  priceCents: ArrayLike<number>;
  discountCents: ArrayLike<number>;
}

/** Encode a history (products as catalogue indexes) as a pack. */
export function encodePack(h: PackedHistory, catalogue: CatalogueIndex): Buffer {
  const dict = new Map<number, number>();
  const productIds: string[] = [];
  const products = new Int32Array(h.products.length);
  for (let l = 0; l < h.products.length; l++) {
    const p = h.products[l]!;
    let d = dict.get(p);
    if (d === undefined) {
      dict.set(p, (d = productIds.length));
      productIds.push(catalogue.products[p]!.id);
    }
    products[l] = d;
  }
  const whole = h.qty.every((q) => Number.isInteger(q));
  const pack: StoredPack = {
    basketIds: h.basketIds, days: narrowInts(h.days), minutes: narrowInts(h.minutes), lineStart: narrowInts(h.lineStart), productIds,
    products: narrowInts(products), qty: whole ? narrowInts(h.qty) : h.qty, priceCents: narrowInts(h.priceCents), discountCents: narrowInts(h.discountCents),
  };
  return serialize(pack);
}

/** Decode a pack against the catalogue (lines of products gone from it are left out). */
export function decodePack(memberId: string, bytes: Uint8Array, catalogue: CatalogueIndex): PackedHistory {
  const p = deserialize(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)) as StoredPack;
  const map = Int32Array.from(p.productIds, (id) => catalogue.index.get(id) ?? -1);
  const nb = p.basketIds.length;
  const lines = p.products.length;
  const h: PackedHistory = {
    memberId, basketIds: p.basketIds, days: Int32Array.from(p.days), minutes: Int16Array.from(p.minutes), lineStart: new Int32Array(nb + 1),
    products: new Int32Array(lines), qty: new Float32Array(lines), priceCents: new Int32Array(lines), discountCents: new Int32Array(lines),
  };
  let l = 0;
  for (let b = 0; b < nb; b++) {
    h.lineStart[b] = l;
    for (let s = p.lineStart[b]!; s < p.lineStart[b + 1]!; s++) {
      const i = map[p.products[s]!]!;
      if (i < 0) continue;
      h.products[l] = i; h.qty[l] = p.qty[s]!; h.priceCents[l] = p.priceCents[s]!; h.discountCents[l] = p.discountCents[s]!;
      l++;
    }
  }
  h.lineStart[nb] = l;
  if (l < lines) {
    h.products = h.products.slice(0, l); h.qty = h.qty.slice(0, l); h.priceCents = h.priceCents.slice(0, l); h.discountCents = h.discountCents.slice(0, l);
  }
  return h;
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
      SELECT m, n, d, p, now() FROM unnest($1::text[], $2::int[], $3::int[], $4::bytea[]) AS t(m, n, d, p)
      ON CONFLICT (member_id) DO UPDATE SET baskets = EXCLUDED.baskets, last_day = EXCLUDED.last_day, pack = EXCLUDED.pack, packed_at = EXCLUDED.packed_at`,
    [fresh.map((h) => h.memberId), fresh.map((h) => h.basketIds.length), fresh.map((h) => (h.days.length ? h.days[h.days.length - 1]! : 0)), fresh.map((h) => encodePack(h, catalogue))]);
    for (const h of fresh) out.set(h.memberId, h);
  }
  for (const [id, h] of out) out.set(id, until(h, asOfDay));
  return out;
}
