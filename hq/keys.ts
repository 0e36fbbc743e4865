// The store's list-code key ring at headquarters: one ring per store shared by every device, rotated here.
import { createHmac, randomBytes } from 'node:crypto';
import { parseListCode, verifyListCode } from '../core/checkout/list-code.ts';
import type { KeyRingWire } from '../protocol/devices.ts';
import type { Queryable } from './db/db.ts';
import { HqError } from './errors.ts';

/** Days a retired key stays in the ring: longer than any printed list stays valid. */
export const RETIRED_KEY_DAYS = 60;
const DAY_MS = 86_400_000;

/** Make sure a store exists (a first enrolment or PIN creates it). */
export async function ensureStore(q: Queryable, storeId: string): Promise<void> {
  await q.query('INSERT INTO stores (store_id) VALUES ($1) ON CONFLICT DO NOTHING', [storeId]);
}

/** The store's ring, with a first random key (id 1) made when it has none. */
export async function keyRing(q: Queryable, storeId: string, now: Date): Promise<{ current: number; keys: Map<number, Buffer> }> {
  await ensureStore(q, storeId);
  await q.query(`INSERT INTO store_keys (store_id, key_id, secret, created_at)
    SELECT $1, 1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM store_keys WHERE store_id = $1) ON CONFLICT DO NOTHING`, [storeId, randomBytes(32), now.toISOString()]);
  await q.query('UPDATE stores SET current_key_id = 1 WHERE store_id = $1 AND current_key_id IS NULL', [storeId]);
  const [store] = await q.query<{ current_key_id: number }>('SELECT current_key_id FROM stores WHERE store_id = $1', [storeId]);
  const since = new Date(now.getTime() - RETIRED_KEY_DAYS * DAY_MS).toISOString();
  const rows = await q.query<{ key_id: number; secret: Uint8Array }>(
    'SELECT key_id, secret FROM store_keys WHERE store_id = $1 AND (retired_at IS NULL OR retired_at > $2) ORDER BY key_id', [storeId, since]);
  return { current: Number(store!.current_key_id), keys: new Map(rows.map((r) => [Number(r.key_id), Buffer.from(r.secret)])) };
}

/** The ring as `GET /v1/stores/{store}/keys` sends it. */
export async function keyRingWire(q: Queryable, storeId: string, now: Date): Promise<KeyRingWire> {
  const ring = await keyRing(q, storeId, now);
  return { storeId, current: ring.current, keys: Object.fromEntries([...ring.keys].map(([id, s]) => [String(id), s.toString('base64')])) };
}

/** Start signing with a new key; the old one is retired but stays in the ring for {@link RETIRED_KEY_DAYS}. */
export async function rotateKey(q: Queryable, storeId: string, now: Date): Promise<number> {
  const ring = await keyRing(q, storeId, now);
  await q.query('SELECT store_id FROM stores WHERE store_id = $1 FOR UPDATE', [storeId]);
  const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ((ring.current - 1 + i) % 9) + 1).find((id) => !ring.keys.has(id));
  if (free === undefined) throw new HqError(409, 'ring-full', `store ${storeId} rotated every key id within ${RETIRED_KEY_DAYS} days: wait for an old key to expire`);
  await q.query('UPDATE store_keys SET retired_at = $3 WHERE store_id = $1 AND key_id = $2', [storeId, ring.current, now.toISOString()]);
  // A key id long retired is reused with a new secret.
  await q.query(`INSERT INTO store_keys (store_id, key_id, secret, created_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (store_id, key_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at, retired_at = NULL`,
  [storeId, free, randomBytes(32), now.toISOString()]);
  await q.query('UPDATE stores SET current_key_id = $2 WHERE store_id = $1', [storeId, free]);
  return free;
}

/** Whether a list code verifies against the store's ring (the same check every till makes offline). */
export async function codeVerifies(q: Queryable, storeId: string, code: string, now: Date): Promise<boolean> {
  const parts = parseListCode(code);
  if (!parts.ok) return false;
  const ring = await keyRing(q, storeId, now);
  return verifyListCode(parts.value, async (keyId, message) => {
    const secret = ring.keys.get(keyId);
    return secret ? new Uint8Array(createHmac('sha256', secret).update(message).digest()) : new Uint8Array(0);
  });
}
