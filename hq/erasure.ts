// Erasing a member at headquarters: their record, baskets and lists go; ledger rows keep their money but lose the
// member id; devices learn of it from the change list; the audit log records that an erasure happened, not who.
import { audit, feedChange } from './audit.ts';
import type { Db } from './db/db.ts';

/** Erase one member (the member themselves, or a manager of their store). Returns false when no such member. */
export async function eraseMember(db: Db, memberId: string, by: { actor: string; storeId: string | null }, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [m] = await tx.query<{ home_store: string | null }>('SELECT home_store FROM members WHERE member_id = $1 FOR UPDATE', [memberId]);
    if (!m) return false;
    await tx.query('DELETE FROM baskets WHERE member_id = $1', [memberId]);
    await tx.query('DELETE FROM lists WHERE member_id = $1', [memberId]);
    await tx.query("UPDATE redemptions SET member_id = 'erased', list_id = 'erased:' || redemption_id WHERE member_id = $1", [memberId]);
    await tx.query('DELETE FROM members WHERE member_id = $1', [memberId]);
    const seq = await feedChange(tx, now, 'erasure', m.home_store);
    await tx.query('INSERT INTO erasures (seq, member_id, store_id, at) VALUES ($1, $2, $3, $4)', [seq, memberId, m.home_store, now.toISOString()]);
    await audit(tx, now, { storeId: m.home_store, actor: by.actor, action: 'member-erased', subject: null });
    return true;
  });
}

/** The home store of a member, or undefined for an unknown member. */
export async function homeStoreOf(db: Db, memberId: string): Promise<{ homeStore: string | null } | undefined> {
  const [m] = await db.query<{ home_store: string | null }>('SELECT home_store FROM members WHERE member_id = $1', [memberId]);
  return m ? { homeStore: m.home_store } : undefined;
}
