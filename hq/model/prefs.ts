// A member's controls and shown-items memory at headquarters (`member_prefs`, 005-packs.sql): changes from their
// devices merged (core/lists/pref-merge.ts), and the member's stored pack patched in the same transaction, so the
// next `GET /v1/members/me/pack` carries them with a new ETag without rebuilding the store's model.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Member } from '../../core/types.ts';
import type { ShownMemory } from '../../core/lists/variety.ts';
import { mergePrefChanges, packControls, type KeptControl, type KeptPrefs, type PrefChangeInput } from '../../core/lists/pref-merge.ts';
import type { MemberPackWire } from '../../protocol/packs.ts';
import { sha256 } from '../crypto.ts';
import type { Db, Queryable } from '../db/db.ts';

/** A pack's ETag: the hash of its content with `etag` and `builtAt` blanked (so a rebuild that changes nothing keeps it). */
export function packEtag(body: MemberPackWire): string {
  return `"p-${sha256(JSON.stringify({ ...body, etag: 'pending', builtAt: '' })).slice(0, 24)}"`;
}

/** The day number of `at`. */
export const dayOf = (at: Date) => Math.floor(at.getTime() / 86_400_000);

/** A member's kept prefs as a pack carries them (nothing without consent to personalise, as packs do). */
export function prefsForPack(member: Member, prefs: KeptPrefs | undefined, today: number): { controls: MemberPackWire['controls']; shown: ShownMemory } {
  if (!member.consent.personalise || !prefs) return { controls: [], shown: {} };
  // Keys sorted: the database's jsonb keeps its own order, and the ETag must not depend on it.
  const shown: ShownMemory = {};
  for (const id of Object.keys(prefs.shown).sort()) shown[id] = prefs.shown[id]!;
  return { controls: packControls(prefs.controls, today), shown };
}

/** Patch the member's stored pack with their prefs as kept now; the pack's ETag after it (undefined: no pack stored). */
export async function patchPack(q: Queryable, memberId: string, now: Date): Promise<string | undefined> {
  const [row] = await q.query<{ body: Uint8Array; controls: KeptControl[] | null; shown: ShownMemory | null; data: Member }>(
    `SELECT p.body, r.controls, r.shown, m.data FROM member_packs p JOIN members m USING (member_id) LEFT JOIN member_prefs r USING (member_id)
     WHERE p.member_id = $1 FOR UPDATE OF p`, [memberId]);
  if (!row) return undefined;
  const old = JSON.parse(gunzipSync(row.body).toString('utf8')) as MemberPackWire;
  const prefs = row.controls ? { controls: row.controls, shown: row.shown ?? {} } : undefined;
  const patched: MemberPackWire = { ...old, ...prefsForPack(row.data, prefs, dayOf(now)) };
  const etag = packEtag(patched);
  if (etag === old.etag) return etag;
  const body: MemberPackWire = { ...patched, etag, builtAt: now.toISOString() };
  await q.query(`UPDATE member_packs SET seq = nextval('member_packs_seq'), etag = $2, body = $3, built_at = $4 WHERE member_id = $1`,
    [memberId, etag, gzipSync(JSON.stringify(body)), now]);
  return etag;
}

/** Merge `changes` into the member's prefs and patch their pack, in one transaction. Undefined for an unknown member. */
export async function savePrefChanges(db: Db, memberId: string, changes: readonly PrefChangeInput[], now: Date): Promise<{ etag?: string; prefs: KeptPrefs } | undefined> {
  return db.transaction(async (tx) => {
    const [member] = await tx.query<{ member_id: string }>('SELECT member_id FROM members WHERE member_id = $1 FOR UPDATE', [memberId]);
    if (!member) return undefined;
    const [row] = await tx.query<{ controls: KeptControl[]; shown: ShownMemory; changed_seq: string }>(
      'SELECT controls, shown, changed_seq::text AS changed_seq FROM member_prefs WHERE member_id = $1', [memberId]);
    const before: KeptPrefs = { controls: row?.controls ?? [], shown: row?.shown ?? {} };
    const prefs = mergePrefChanges(before, changes);
    if (!row || JSON.stringify(prefs) !== JSON.stringify(before)) {
      await tx.query(`INSERT INTO member_prefs (member_id, controls, shown, changed_seq) VALUES ($1, $2::jsonb, $3::jsonb, 1)
        ON CONFLICT (member_id) DO UPDATE SET controls = EXCLUDED.controls, shown = EXCLUDED.shown, changed_seq = member_prefs.changed_seq + 1`,
      [memberId, JSON.stringify(prefs.controls), JSON.stringify(prefs.shown)]);
    }
    const etag = await patchPack(tx, memberId, now);
    return { ...(etag ? { etag } : {}), prefs };
  });
}
