// A member's consent to personalisation as a store's device recorded it (the kiosk's member screen): kept on the member
// record at headquarters, so the member's pack (which carries no history without it) and every device agree. The
// change made last (by the device's clock, `at`) wins, so a device that sends again after a fault never overturns a
// newer one.
import type { Member } from '../core/types.ts';
import { audit, feedChange } from './audit.ts';
import type { Db } from './db/db.ts';

export interface ConsentChange { memberId: string; personalise: boolean; atDay: number; at: number }

/** Record a consent change of a member of `storeId`: `unknown` (no such member), `other-store`, or whether it changed
 * what headquarters holds (false for a replay or a change older than the one kept). */
export async function recordConsent(db: Db, change: ConsentChange, by: { deviceId: string; storeId: string }, now: Date): Promise<'unknown' | 'other-store' | { changed: boolean }> {
  return db.transaction(async (tx) => {
    const [m] = await tx.query<{ data: Member & { consent: Member['consent'] & { at?: number } }; home_store: string | null }>(
      'SELECT data, home_store FROM members WHERE member_id = $1 FOR UPDATE', [change.memberId]);
    if (!m) return 'unknown';
    if (m.home_store !== by.storeId) return 'other-store';
    const kept = m.data.consent;
    if ((kept.at ?? -Infinity) >= change.at) return { changed: false };
    const consent = { ...kept, personalise: change.personalise, atDay: change.atDay, at: change.at };
    await tx.query('UPDATE members SET data = $2 WHERE member_id = $1', [change.memberId, JSON.stringify({ ...m.data, consent })]);
    // The store's model and packs are rebuilt from the new consent at the next request.
    await feedChange(tx, now, 'members', by.storeId);
    await audit(tx, now, { storeId: by.storeId, actor: `device:${by.deviceId}`, action: change.personalise ? 'consent-given' : 'consent-withdrawn', subject: null });
    return { changed: true };
  });
}
