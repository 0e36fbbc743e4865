// The manager PIN of a store: kept and shipped as a salted PBKDF2-SHA-256 hash, never as the PIN.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { PinWire } from '../protocol/devices.ts';
import type { Queryable } from './db/db.ts';
import { ensureStore } from './keys.ts';

/** PBKDF2 iterations: slow enough to make guessing a stolen hash costly, fast enough for a kiosk (Web Crypto). */
export const PIN_ITERATIONS = 100_000;

/** The PBKDF2 hash of a PIN with a salt. */
export const pinHash = (pin: string, salt: Buffer, iterations = PIN_ITERATIONS): Buffer => pbkdf2Sync(pin, salt, iterations, 32, 'sha256');

/** A PIN is 4 to 12 digits. */
export const isPin = (pin: string): boolean => /^\d{4,12}$/.test(pin);

/** Set (or replace) a store's PIN. */
export async function setPin(q: Queryable, storeId: string, pin: string, now: Date): Promise<void> {
  await ensureStore(q, storeId);
  const salt = randomBytes(16);
  await q.query(`INSERT INTO store_pins (store_id, iterations, salt, hash, set_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (store_id) DO UPDATE SET iterations = EXCLUDED.iterations, salt = EXCLUDED.salt, hash = EXCLUDED.hash, set_at = EXCLUDED.set_at`,
  [storeId, PIN_ITERATIONS, salt, pinHash(pin, salt), now.toISOString()]);
}

/** The store's PIN hash as devices receive it, or undefined when none is set. */
export async function pinWire(q: Queryable, storeId: string): Promise<PinWire | undefined> {
  const [row] = await q.query<{ iterations: number; salt: Uint8Array; hash: Uint8Array }>('SELECT iterations, salt, hash FROM store_pins WHERE store_id = $1', [storeId]);
  if (!row) return undefined;
  return { storeId, algorithm: 'PBKDF2-SHA-256', iterations: Number(row.iterations), salt: Buffer.from(row.salt).toString('base64'), hash: Buffer.from(row.hash).toString('base64') };
}
