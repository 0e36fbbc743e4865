// Baskets the tills send back (`POST /v1/baskets`), idempotent by basket id, into the member database.
import type { BasketBody } from '../protocol/basket.ts';
import { feedChange } from './audit.ts';
import { canonicalJson, sha256 } from './crypto.ts';
import type { Db, Queryable } from './db/db.ts';
import { HqError } from './errors.ts';

/** Lines of one basket with a product at most once (quantities added), as the lines table keys them. */
export function mergeLines<L extends { productId: string; qty: number; unitPriceCents?: number | undefined; discountCents: number }>(lines: readonly L[]): L[] {
  const byProduct = new Map<string, L>();
  for (const l of lines) {
    const seen = byProduct.get(l.productId);
    if (seen) byProduct.set(l.productId, { ...seen, qty: seen.qty + l.qty, discountCents: seen.discountCents + l.discountCents });
    else byProduct.set(l.productId, { ...l });
  }
  return [...byProduct.values()];
}

/** Insert lines of baskets in one statement (arrays unnested, so a batch is one round trip). */
export async function insertLines(q: Queryable, rows: { basketId: string; productId: string; qty: number; unitPriceCents?: number | undefined; discountCents: number }[]): Promise<number> {
  if (!rows.length) return 0;
  // The count comes back as one row, not one row per line.
  const [out] = await q.query<{ n: number }>(`WITH added AS (INSERT INTO basket_lines (basket_id, product_id, qty, unit_price_cents, discount_cents)
    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[]) ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM added`, [
    rows.map((r) => r.basketId), rows.map((r) => r.productId), rows.map((r) => r.qty), rows.map((r) => r.unitPriceCents ?? null), rows.map((r) => r.discountCents),
  ]);
  return Number(out!.n);
}

/** Store a till's basket: 200 new or replay (same id, same contents), 409 key-reused for the same id with others. */
export async function receiveBasket(db: Db, body: BasketBody, device: { deviceId: string; storeId: string }, now: Date): Promise<{ ok: true; replay: boolean }> {
  if (body.storeId !== undefined && body.storeId !== device.storeId) throw new HqError(403, 'forbidden', `this device belongs to ${device.storeId}, not ${body.storeId}`);
  const hash = sha256(canonicalJson(body));
  const stored = await db.transaction(async (tx) => {
    const inserted = await tx.query(`INSERT INTO baskets (basket_id, member_id, store_id, day, minute, source, device_id, body_hash, changed_seq)
      VALUES ($1, $2, $3, $4, $5, 'till', $6, $7, 0) ON CONFLICT DO NOTHING RETURNING 1`,
    [body.id, body.memberId, device.storeId, body.day, body.minute ?? null, device.deviceId, hash]);
    if (!inserted.length) return false;
    await insertLines(tx, mergeLines(body.lines).map((l) => ({ ...l, basketId: body.id })));
    const [m] = await tx.query<{ home_store: string | null }>('SELECT home_store FROM members WHERE member_id = $1', [body.memberId]);
    const seq = await feedChange(tx, now, 'baskets', m?.home_store ?? device.storeId);
    await tx.query('UPDATE baskets SET changed_seq = $2 WHERE basket_id = $1', [body.id, seq]);
    return true;
  });
  if (stored) return { ok: true, replay: false };
  const [row] = await db.query<{ body_hash: string | null }>('SELECT body_hash FROM baskets WHERE basket_id = $1', [body.id]);
  if (row?.body_hash === hash) return { ok: true, replay: true };
  throw new HqError(409, 'key-reused', 'a basket with this id is already stored with other contents');
}
