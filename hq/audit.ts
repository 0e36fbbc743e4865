// The append-only audit log: that something happened, who did it and to which record, never the personal data.
import type { Queryable } from './db/db.ts';

/** One entry to append. `subject` names a record (a redemption id, a device id), never a person's data. */
export interface AuditEntry {
  storeId?: string | null;
  actor: string;
  action: string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

/** Append one entry (inside the caller's transaction, so it commits with the change it records). */
export async function audit(q: Queryable, at: Date, e: AuditEntry): Promise<void> {
  await q.query('INSERT INTO audit_log (at, store_id, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    at.toISOString(), e.storeId ?? null, e.actor, e.action, e.subject ?? null, e.detail ? JSON.stringify(e.detail) : null,
  ]);
}

/** A row of the log as `GET /v1/audit` answers it. */
export interface AuditRow {
  seq: number;
  at: string;
  storeId: string | null;
  actor: string;
  action: string;
  subject: string | null;
  detail: unknown;
}

/** Entries after `since` (a seq), of one store or (`storeId` null) of all, oldest first, at most `limit`. */
export async function auditSince(q: Queryable, since: number, storeId: string | null, limit = 1000): Promise<AuditRow[]> {
  const rows = await q.query<{ seq: number; at: Date | string; store_id: string | null; actor: string; action: string; subject: string | null; detail: unknown }>(
    `SELECT seq, at, store_id, actor, action, subject, detail FROM audit_log
      WHERE seq > $1 AND ($2::text IS NULL OR store_id = $2) ORDER BY seq LIMIT $3`, [since, storeId, limit]);
  return rows.map((r) => ({
    seq: Number(r.seq), at: new Date(r.at).toISOString(), storeId: r.store_id, actor: r.actor, action: r.action, subject: r.subject,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
  }));
}

/** Append a feed change for one store's devices (or all, `storeId` null) at the end of the caller's transaction;
 * returns its seq, the new cursor. */
export async function feedChange(q: Queryable, at: Date, kind: string, storeId: string | null = null): Promise<number> {
  // Held to the commit: changes commit in seq order, so a device's cursor never passes a change still uncommitted.
  await q.query('SELECT pg_advisory_xact_lock(7007)');
  const [row] = await q.query<{ seq: number }>('INSERT INTO feed_changes (kind, store_id, at) VALUES ($1, $2, $3) RETURNING seq', [kind, storeId, at.toISOString()]);
  return Number(row!.seq);
}
