// Enrolling a store device: a one-time code made with the admin key, exchanged once for a device token.
import { randomBytes } from 'node:crypto';
import type { EnrollAnswer } from '../protocol/devices.ts';
import { DEVICE_PREFIX, FUNDER_PREFIX } from './auth.ts';
import { audit } from './audit.ts';
import { randomToken, sha256 } from './crypto.ts';
import type { Db } from './db/db.ts';
import { HqError } from './errors.ts';
import { ensureStore } from './keys.ts';

/** How long a code can be used, and a device token lasts. */
export const CODE_HOURS = 24;
export const DEVICE_TOKEN_DAYS = 365;

/** A one-time code: 12 letters and digits without look-alikes, in groups of four, easy to type at a kiosk. */
export function enrolmentCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

const normalised = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Make a code for a store. */
export async function createEnrolment(db: Db, storeId: string, now: Date): Promise<{ code: string; storeId: string; expiresAt: string }> {
  const code = enrolmentCode();
  const expiresAt = new Date(now.getTime() + CODE_HOURS * 3_600_000).toISOString();
  await db.transaction(async (tx) => {
    await ensureStore(tx, storeId);
    await tx.query('INSERT INTO enrollments (code_hash, store_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [sha256(normalised(code)), storeId, now.toISOString(), expiresAt]);
    await audit(tx, now, { storeId, actor: 'admin', action: 'enrolment-code-made', subject: null });
  });
  return { code, storeId, expiresAt };
}

/** Exchange a code for a device token (once): 401 for a code that is unknown, used or expired. */
export async function enrolDevice(db: Db, code: string, label: string | undefined, now: Date): Promise<EnrollAnswer> {
  const deviceId = randomBytes(8).toString('hex');
  const secret = randomToken();
  const storeId = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ store_id: string; expires_at: Date | string; used_at: Date | null }>(
      'SELECT store_id, expires_at, used_at FROM enrollments WHERE code_hash = $1 FOR UPDATE', [sha256(normalised(code))]);
    if (!row) throw new HqError(401, 'bad-code', 'this enrolment code is not known');
    if (row.used_at) throw new HqError(401, 'bad-code', 'this enrolment code was used already: make a new one');
    if (new Date(row.expires_at) <= now) throw new HqError(401, 'expired-credential', 'this enrolment code has expired: make a new one');
    await tx.query('UPDATE enrollments SET used_at = $2, device_id = $3 WHERE code_hash = $1', [sha256(normalised(code)), now.toISOString(), deviceId]);
    await tx.query('INSERT INTO devices (device_id, store_id, token_hash, label, enrolled_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      deviceId, row.store_id, sha256(secret), label ?? null, now.toISOString(), new Date(now.getTime() + DEVICE_TOKEN_DAYS * 86_400_000).toISOString(),
    ]);
    await audit(tx, now, { storeId: row.store_id, actor: `device:${deviceId}`, action: 'device-enrolled', subject: deviceId });
    return row.store_id;
  });
  return { deviceToken: `${DEVICE_PREFIX}${deviceId}.${secret}`, deviceId, storeId };
}

/** Revoke a device: its token is refused from the next request on. Returns false for an unknown device. */
export async function revokeDevice(db: Db, deviceId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ store_id: string }>('UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE device_id = $1 RETURNING store_id', [deviceId, now.toISOString()]);
    if (!row) return false;
    await audit(tx, now, { storeId: row.store_id, actor: 'admin', action: 'device-revoked', subject: deviceId });
    return true;
  });
}

/** Make (or replace) a funder's API key; the key is shown once. */
export async function createFunderKey(db: Db, funder: string, now: Date): Promise<string> {
  const key = `${FUNDER_PREFIX}${randomToken()}`;
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO funders (funder, key_hash, created_at) VALUES ($1, $2, $3)
      ON CONFLICT (funder) DO UPDATE SET key_hash = EXCLUDED.key_hash, created_at = EXCLUDED.created_at`, [funder, sha256(key), now.toISOString()]);
    await audit(tx, now, { actor: 'admin', action: 'funder-key-made', subject: funder });
  });
  return key;
}
