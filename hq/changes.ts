// `GET /v1/changes?since=` and `GET /v1/files/{name}`: today's feed protocol (worker/hq-feed.ts), from the database:
// the feeds of DESIGN.md as NDJSON, and the campaigns as `campaigns.json`.
// The cursor is the last feed change a device imported (`c<seq>`); a file's ETag is the last change of its kind.
import { FEED_KINDS, type FeedKind } from '../core/feeds/schemas.ts';
import type { ChangeList } from '../protocol/changes.ts';
import type { Queryable } from './db/db.ts';
import { HqError } from './errors.ts';
import { CAMPAIGNS_FILE } from '../protocol/changes.ts';
import { FEED_FILE, feedFileChunks, feedFileHasRows } from './feed-files.ts';

/** The seq of a cursor (`""` or absent is the start), or a 400. */
export function parseCursor(since: string | undefined): number {
  if (!since) return 0;
  const m = /^c(\d{1,15})$/.exec(since);
  if (!m) throw new HqError(400, 'bad-body', 'since is a cursor of a change list (c<number>)', 'since');
  return Number(m[1]);
}

const VISIBLE = '(store_id IS NULL OR store_id = $1)';

/** Last change seq per kind a store's devices see. */
async function lastChanges(q: Queryable, storeId: string): Promise<Map<string, number>> {
  const rows = await q.query<{ kind: string; seq: number }>(`SELECT kind, max(seq) AS seq FROM feed_changes WHERE ${VISIBLE} GROUP BY kind`, [storeId]);
  return new Map(rows.map((r) => [r.kind, Number(r.seq)]));
}

const etagOf = (kind: string, seq: number) => `"${kind}-${seq}"`;

/** The change list for a store's device since a cursor. */
export async function changesSince(q: Queryable, storeId: string, since: number): Promise<ChangeList> {
  const last = await lastChanges(q, storeId);
  const cursor = Math.max(since, ...last.values());
  const files: ChangeList['files'] = [];
  for (const kind of FEED_KINDS) {
    const seq = last.get(kind);
    if (seq === undefined || seq <= since || !(await feedFileHasRows(q, kind, storeId))) continue;
    files.push({ name: FEED_FILE[kind], url: `files/${FEED_FILE[kind]}`, etag: etagOf(kind, seq) });
  }
  // Campaigns last: a JSON file beside the feeds (a device's lists carry their first offers, its manager screen measures them).
  const campaigns = last.get('campaigns');
  if (campaigns !== undefined && campaigns > since && (await q.query('SELECT 1 FROM campaigns LIMIT 1')).length) {
    files.push({ name: CAMPAIGNS_FILE, url: `files/${CAMPAIGNS_FILE}`, etag: etagOf('campaigns', campaigns) });
  }
  const erased = await q.query<{ member_id: string }>(`SELECT member_id FROM erasures WHERE seq > $2 AND ${VISIBLE} ORDER BY seq`, [storeId, since]);
  return { cursor: `c${cursor}`, files, erasures: erased.map((r) => r.member_id) };
}

/** One file for a store: its ETag, its type, and its text in pieces (not made for a 304). `whole`: small enough to
 * send with a Content-Length; else (the baskets) it is streamed, and a device tells a cut body by its chunked
 * encoding or its last line (worker/hq-feed.ts). */
export interface FeedFileAnswer { etag: string; type: string; whole: boolean; chunks: () => AsyncIterable<string> }

/** One file for a store. */
export async function feedFile(q: Queryable, storeId: string, name: string): Promise<FeedFileAnswer> {
  if (name === CAMPAIGNS_FILE) {
    const seq = (await lastChanges(q, storeId)).get('campaigns') ?? 0;
    const text = async () => JSON.stringify((await q.query<{ data: unknown }>('SELECT data FROM campaigns ORDER BY campaign_id'))
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data)));
    return { etag: etagOf('campaigns', seq), type: 'application/json', whole: true, chunks: async function* () { yield await text(); } };
  }
  const kind = (Object.keys(FEED_FILE) as FeedKind[]).find((k) => FEED_FILE[k] === name);
  if (!kind) throw new HqError(404, 'not-found', `no feed file ${name}`);
  const seq = (await lastChanges(q, storeId)).get(kind) ?? 0;
  return { etag: etagOf(kind, seq), type: 'application/x-ndjson', whole: kind !== 'baskets', chunks: () => feedFileChunks(q, kind, storeId) };
}
