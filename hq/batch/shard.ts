// One shard of the batch: the members of one store in a range of batch buckets. Each member's list is composed by the
// same core functions the device uses (core/lists/compose.ts: personal with consent, store-wide otherwise, the fairness
// guard on each), its code signed with the store's key ring, and stored with multi-row inserts. Idempotent: members
// whose list for the day is stored are skipped, and a member's list id and code depend only on the member, the day and
// the data, so a shard run twice, or taken over from a dead worker, stores every list once and the same lists.
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Day, Member } from '../../core/types.ts';
import { composeList, listEvidence } from '../../core/lists/compose.ts';
import { roundedList } from '../../core/lists/stored-list.ts';
import { issueListCode, type Mac } from '../../core/checkout/list-code.ts';
import { byteaArray, type Db, type Queryable } from '../db/db.ts';
import { keyRing } from '../keys.ts';
import type { StoreContext } from './context.ts';
import { readPacked, type PackStats } from './packs.ts';

/** Batch buckets (see 002-batch.sql's batch_bucket). */
export const BUCKETS = 1024;
/** Serials of a bucket: a store's bucket holds at most this many members (a store of up to ~1,000,000). */
export const SERIALS_PER_BUCKET = Math.floor(1_000_000 / BUCKETS);
/** Members read, composed and written together. */
export const PAGE = 250;

/** Which members: one store, buckets `from` ≤ b < `to`. */
export interface ShardSpec {
  asOfDay: Day;
  storeId: string;
  from: number;
  to: number;
}

/** What a shard did. */
export interface ShardResult {
  members: number;
  made: number;
  /** Already stored (an earlier run, or another worker). */
  skipped: number;
  personalised: number;
  refused: number;
  /** Histories read from a current pack, brought up to date by merging, or packed again from every basket. */
  packs: PackStats;
}

/** The store's MAC for list codes, from its key ring at headquarters. */
export async function storeMac(q: Queryable, storeId: string, now: Date): Promise<Mac> {
  const ring = await keyRing(q, storeId, now);
  return async (keyId, message) => {
    const secret = ring.keys.get(keyId);
    return secret ? new Uint8Array(createHmac('sha256', secret).update(message).digest()) : new Uint8Array(0);
  };
}

/** A member's list id and code serial for the day: the bucket's block plus the member's rank in it. */
export function serialOf(bucket: number, rank: number): number {
  if (rank >= SERIALS_PER_BUCKET) throw new Error(`batch bucket ${bucket} of a store holds more than ${SERIALS_PER_BUCKET} members: the store is larger than the list-code serials allow`);
  return bucket * SERIALS_PER_BUCKET + rank;
}

interface MemberRow { member_id: string; data: Member; bucket: number; rank: number; done: boolean }

/** Run one shard; `onPage` hears of each page written (for progress). */
export async function runShard(db: Db, shard: ShardSpec, ctx: StoreContext, mac: Mac, options: { now?: () => Date; onPage?: (r: ShardResult) => void; stopAfterPages?: number } = {}): Promise<ShardResult> {
  const now = options.now ?? (() => new Date());
  const { asOfDay: day, storeId } = shard;
  const rows = await db.query<MemberRow>(`
    SELECT m.member_id, m.data, batch_bucket(m.member_id) AS bucket,
      (row_number() OVER (PARTITION BY batch_bucket(m.member_id) ORDER BY m.member_id) - 1)::int AS rank,
      EXISTS (SELECT 1 FROM batch_lists l WHERE l.as_of_day = $4 AND l.member_id = m.member_id) AS done
    FROM members m WHERE m.home_store = $1 AND batch_bucket(m.member_id) >= $2 AND batch_bucket(m.member_id) < $3
    ORDER BY m.member_id`, [storeId, shard.from, shard.to, day]);
  const out: ShardResult = { members: rows.length, made: 0, skipped: 0, personalised: 0, refused: 0, packs: { current: 0, merged: 0, repacked: 0 } };
  const todo = rows.filter((r) => {
    if (r.done) out.skipped++;
    return !r.done;
  });
  // While page n is composed, page n-1 is written and page n+1's histories are read: the database's time hides behind
  // the composing.
  const pageCount = options.stopAfterPages === undefined ? Math.ceil(todo.length / PAGE) : Math.min(options.stopAfterPages, Math.ceil(todo.length / PAGE));
  const pageAt = (n: number) => todo.slice(n * PAGE, (n + 1) * PAGE);
  const read = (n: number) => {
    const reading = readPacked(db, pageAt(n).map((r) => r.member_id), day, ctx.catalogue, out.packs);
    reading.catch(() => undefined); // a failed read is seen when its page is composed
    return reading;
  };
  let writing: Promise<void> | undefined;
  let next = pageCount > 0 ? read(0) : undefined;
  try {
    for (let n = 0; n < pageCount; n++) {
      const page = pageAt(n);
      const histories = await next!;
      next = n + 1 < pageCount ? read(n + 1) : undefined;
      const step = await composePage(page, histories, day, ctx, mac);
      await writing;
      writing = writePage(db, step.lists, day, storeId, now()).then((stored) => {
        out.made += stored.made;
        out.skipped += stored.skipped;
        out.personalised += stored.personalised;
        out.refused += step.refused;
        options.onPage?.({ members: page.length, made: stored.made, skipped: stored.skipped, personalised: stored.personalised, refused: step.refused, packs: out.packs });
      });
      writing.catch(() => undefined); // failing is seen at the next page's await, not as an unhandled rejection
    }
  } finally {
    // A page that failed to compose still lets the page before it finish (or fail) before the shard answers.
    await writing?.catch(() => undefined);
    await next?.catch(() => undefined);
  }
  await writing;
  return out;
}

/** gzip of a stored list: level 1 (no other level, window or memory size measured faster for a ~8.5 kB list); output
 * in 2 kB chunks, so a body (~1.8 kB) sits in Node's shared buffer pool instead of keeping a 16 kB chunk of its own
 * alive until its page is written (the same bytes either way). */
const GZIP = { level: 1, chunkSize: 2048 };

/** A list ready to store: what the rows need, and the list itself as gzipped JSON. */
interface StoredList { memberId: string; id: string; code: string; personalised: boolean; body: Buffer }

/** Compose a page's lists. Each list is serialised as soon as it is made, so the list's objects die young (a page of
 * lists held until its write was what the young-generation collections kept copying). */
async function composePage(page: readonly MemberRow[], histories: Awaited<ReturnType<typeof readPacked>>, day: Day, ctx: StoreContext, mac: Mac): Promise<{ lists: StoredList[]; refused: number }> {
  const lists: StoredList[] = [];
  let refused = 0;
  const catalogue = ctx.data.catalogue;
  for (const r of page) {
    const serial = serialOf(Number(r.bucket), Number(r.rank));
    const listId = `${r.member_id}-${day}-${serial}`;
    const code = await issueListCode({ keyId: ctx.data.keyId, day, serial }, mac);
    const member: Member = { ...r.data, homeStore: r.data.homeStore ?? ctx.data.storeId };
    const who = { member, history: histories.get(r.member_id), hidden: new Set<string>(), shown: {} };
    histories.delete(r.member_id);
    const evidence = listEvidence(who, ctx.parts, catalogue, day);
    const made = composeList(who, ctx.parts, catalogue, day, { listId, code }, evidence);
    if (made.ok) {
      const l = made.value;
      lists.push({ memberId: l.memberId, id: l.id, code: l.code, personalised: l.personalised, body: gzipSync(JSON.stringify(roundedList(l)), GZIP) });
    } else refused++;
  }
  return { lists, refused };
}

/** Store a page of lists: `batch_lists` (the whole list) and `lists` (what redemptions look lists up by) in one
 * statement (one multi-row insert feeding the other: atomic, one round trip); a list already stored is left as it is,
 * and only the lists stored now go into `lists`. */
async function writePage(db: Db, lists: readonly StoredList[], day: Day, storeId: string, now: Date): Promise<{ made: number; skipped: number; personalised: number }> {
  if (!lists.length) return { made: 0, skipped: 0, personalised: 0 };
  const at = now.toISOString();
  const inserted = await db.query<{ member_id: string; personalised: boolean }>(`WITH stored AS (
      INSERT INTO batch_lists (as_of_day, member_id, store_id, list_id, code, personalised, list, made_at)
      SELECT $1, m, $2, i, c, p, b, $3 FROM unnest($4::text[], $5::text[], $6::text[], $7::boolean[], ${byteaArray(8, lists.length)}) AS t(m, i, c, p, b)
      ON CONFLICT DO NOTHING RETURNING member_id, list_id, code, personalised
    ), listed AS (
      INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at)
      SELECT list_id, $2, member_id, code, 'batch', $3 FROM stored ON CONFLICT DO NOTHING
    )
    SELECT member_id, personalised FROM stored`,
  [day, storeId, at, lists.map((l) => l.memberId), lists.map((l) => l.id), lists.map((l) => l.code), lists.map((l) => l.personalised), ...lists.map((l) => l.body)]);
  return { made: inserted.length, skipped: lists.length - inserted.length, personalised: inserted.filter((r) => r.personalised).length };
}
