// Members' histories at headquarters, read for the batch: the baskets (up to the batch day) of a key range of members in
// one query, aggregated by the database into one row per member, and turned into the packed histories core uses.
import type { PackedHistory } from '../../core/history.ts';
import type { Product } from '../../core/types.ts';
import type { Db, Queryable } from '../db/db.ts';

/** One row per member: basket ids, "day,minute" pairs, product ids and "qty,price,discount" triples; baskets separated
 * by the record separator (U+001E), product ids by the unit separator (U+001F), numbers by commas. */
const HISTORY_SQL = `
  WITH bl AS (
    SELECT b.member_id, b.basket_id, b.day, coalesce(b.minute, -1) AS minute,
      string_agg(l.product_id, chr(31) ORDER BY l.product_id) AS p,
      string_agg(l.qty || ',' || coalesce(l.unit_price_cents, -1) || ',' || l.discount_cents, ',' ORDER BY l.product_id) AS n
    FROM unnest($1::text[], $3::int[]) AS s(member_id, since)
      JOIN baskets b ON b.member_id = s.member_id AND b.day >= s.since AND b.day <= $2
      JOIN basket_lines l ON l.basket_id = b.basket_id
    GROUP BY b.basket_id
  )
  SELECT member_id,
    string_agg(basket_id, chr(30) ORDER BY day, minute, basket_id) AS ids,
    string_agg(day || ',' || minute, chr(30) ORDER BY day, minute, basket_id) AS dm,
    string_agg(p, chr(30) ORDER BY day, minute, basket_id) AS p,
    string_agg(n, chr(30) ORDER BY day, minute, basket_id) AS n
  FROM bl GROUP BY member_id`;

interface HistoryRow { member_id: string; ids: string; dm: string; p: string; n: string }

/** The catalogue as the histories need it: product id → dense index, and shelf prices for lines that carry none. */
export interface CatalogueIndex {
  index: ReadonlyMap<string, number>;
  products: readonly Product[];
}

/** The last day a query can name (`Infinity` stands for it). */
const LAST_DAY = 2_147_483_647;

/** Packed histories of these members, baskets of days up to `asOfDay` only (a batch re-run for a past day reads what
 * it read the first time, whatever came in since) and, when given, from each member's `sinceDays` on. Members without
 * baskets are absent. Lines of products no longer in the catalogue are left out. */
export async function readHistories(q: Queryable, memberIds: readonly string[], asOfDay: number, cat: CatalogueIndex, sinceDays?: readonly number[]): Promise<Map<string, PackedHistory>> {
  const out = new Map<string, PackedHistory>();
  if (!memberIds.length) return out;
  const params = [memberIds, Math.min(asOfDay, LAST_DAY), sinceDays ?? memberIds.map(() => -LAST_DAY)];
  // The lines of a page are sorted twice (by basket, by member): with the default work_mem (4 MB) a page's sort spills
  // to disk, so a transaction of its own raises it for this query.
  const rows = 'transaction' in q
    ? await (q as Db).transaction(async (tx) => {
      await tx.query("SET LOCAL work_mem = '32MB'");
      return tx.query<HistoryRow>(HISTORY_SQL, params);
    })
    : await q.query<HistoryRow>(HISTORY_SQL, params);
  for (const r of rows) out.set(r.member_id, packRow(r, cat));
  return out;
}

/** One aggregated row as a packed history. */
export function packRow(r: HistoryRow, cat: CatalogueIndex): PackedHistory {
  const basketIds = r.ids.split('\x1e');
  const dm = r.dm.split('\x1e');
  const products = r.p.split('\x1e');
  const numbers = r.n.split('\x1e');
  const nb = basketIds.length;
  let lines = 0;
  const perBasket = products.map((p) => p.split('\x1f'));
  for (const ps of perBasket) lines += ps.length;
  const h: PackedHistory = {
    memberId: r.member_id, basketIds, days: new Int32Array(nb), minutes: new Int16Array(nb), lineStart: new Int32Array(nb + 1),
    products: new Int32Array(lines), qty: new Float32Array(lines), priceCents: new Int32Array(lines), discountCents: new Int32Array(lines),
  };
  let l = 0;
  for (let b = 0; b < nb; b++) {
    const comma = dm[b]!.indexOf(',');
    h.days[b] = Number(dm[b]!.slice(0, comma));
    h.minutes[b] = Number(dm[b]!.slice(comma + 1));
    h.lineStart[b] = l;
    const ps = perBasket[b]!;
    const ns = numbers[b]!.split(',');
    for (let k = 0; k < ps.length; k++) {
      const i = cat.index.get(ps[k]!);
      if (i === undefined) continue;
      const price = Number(ns[3 * k + 1]);
      h.products[l] = i;
      h.qty[l] = Number(ns[3 * k]);
      h.priceCents[l] = price < 0 ? (cat.products[i]?.priceCents ?? 0) : price;
      h.discountCents[l] = Number(ns[3 * k + 2]);
      l++;
    }
  }
  h.lineStart[nb] = l;
  if (l < lines) {
    // Some lines named products gone from the catalogue: trim the line arrays to what was kept.
    h.products = h.products.slice(0, l);
    h.qty = h.qty.slice(0, l);
    h.priceCents = h.priceCents.slice(0, l);
    h.discountCents = h.discountCents.slice(0, l);
  }
  return h;
}
