// `larder hq import`: feed files into the member database with the validators of `larder validate`; a re-import
// writes nothing (rows are upserted only when their content changed). Rows go in batches of arrays unnested into
// one INSERT … ON CONFLICT per table (no COPY: the same statement runs on PGlite and on a server).
import {
  FEED_KINDS, createFeedParser, type BasketRow, type FeedBatch, type FeedFormat, type FeedKind, type FeedRowMap, type RowError, type ValidationContext, basketsAcrossFiles,
} from '../core/feeds/index.ts';
import type { FileSummary } from '../cli/validate.ts';
import { feedChange } from './audit.ts';
import { canonicalJson, sha256 } from './crypto.ts';
import type { Db, Queryable } from './db/db.ts';
import { insertLines, mergeLines } from './till-baskets.ts';

/** One file to import. */
export interface ImportInput {
  /** Shown in reports (a path). */
  file: string;
  kind: FeedKind;
  format: FeedFormat;
  chunks: () => AsyncIterable<string>;
}

/** What one file did, as `larder validate` reports it, plus what changed in the database. */
export interface ImportSummary extends FileSummary {
  /** Rows (basket lines for baskets) written because they were new or changed. */
  changed: number;
}

/** Rows per INSERT. */
export const IMPORT_BATCH = 5_000;

type Upsert<K extends FeedKind> = (q: Queryable, rows: FeedRowMap[K][], seq: number) => Promise<number>;

/** Upsert rows of a keyed table whose `row_hash` differs (a row seen before with the same content is left alone). */
function keyed(table: string, key: string, extra: { name: string; type: string; of: (r: never) => unknown }[]) {
  const cols = [key, ...extra.map((e) => e.name), 'data', 'row_hash'];
  const types = ['text', ...extra.map((e) => e.type), 'text', 'text'];
  const sql = `INSERT INTO ${table} (${cols.join(', ')}, changed_seq)
    SELECT ${cols.map((c) => (c === 'data' ? 'data::jsonb' : c)).join(', ')}, $${cols.length + 1}::bigint
      FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) AS t(${cols.join(', ')})
    ON CONFLICT (${key}) DO UPDATE SET ${cols.slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, changed_seq = EXCLUDED.changed_seq
      WHERE ${table}.row_hash <> EXCLUDED.row_hash
    RETURNING 1`;
  return async (q: Queryable, rows: { id: string }[], seq: number): Promise<number> => {
    const unique = [...new Map(rows.map((r) => [r.id, r])).values()]; // the last row of an id wins, as in the worker
    const data = unique.map((r) => canonicalJson(r));
    const params: unknown[] = [unique.map((r) => r.id), ...extra.map((e) => unique.map((r) => e.of(r as never) ?? null)), data, data.map(sha256), seq];
    return (await q.query(sql, params)).length;
  };
}

const upserts: { [K in Exclude<FeedKind, 'baskets'>]: Upsert<K> } = {
  products: keyed('products', 'product_id', [
    { name: 'category', type: 'text', of: (p: FeedRowMap['products']) => p.category },
    { name: 'brand', type: 'text', of: (p: FeedRowMap['products']) => p.brand },
    { name: 'brand_type', type: 'text', of: (p: FeedRowMap['products']) => p.brandType },
  ]),
  members: keyed('members', 'member_id', [
    { name: 'card_code', type: 'text', of: (m: FeedRowMap['members']) => m.cardCode },
    { name: 'home_store', type: 'text', of: (m: FeedRowMap['members']) => m.homeStore },
  ]),
  deals: async (q, rows, seq) => {
    const n = await keyed('deals', 'deal_id', [{ name: 'funder', type: 'text', of: (d: FeedRowMap['deals']) => d.funder }])(q, rows, seq);
    const budgeted = rows.filter((d) => d.budgetCents !== undefined);
    if (budgeted.length) {
      // A budget lowered below what was already spent stops at the spent amount (the ledger never overspends).
      await q.query(`INSERT INTO budgets (deal_id, budget_cents) SELECT * FROM unnest($1::text[], $2::bigint[])
        ON CONFLICT (deal_id) DO UPDATE SET budget_cents = GREATEST(EXCLUDED.budget_cents, budgets.spent_cents)`,
      [budgeted.map((d) => d.id), budgeted.map((d) => d.budgetCents)]);
    }
    return n;
  },
  content: keyed('content', 'content_id', []),
};

/** Baskets (first row of an id wins, as `groupBaskets` keeps it) and their lines, one product once per basket. */
async function insertBaskets(q: Queryable, rows: BasketRow[], seq: number): Promise<number> {
  const heads = new Map<string, BasketRow>();
  for (const r of rows) if (!heads.has(r.basketId)) heads.set(r.basketId, r);
  const b = [...heads.values()];
  const [added] = await q.query<{ n: number }>(`WITH added AS (INSERT INTO baskets (basket_id, member_id, store_id, day, minute, source, changed_seq)
    SELECT id, m, s, d, mi, 'feed', $6::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) AS t(id, m, s, d, mi)
    ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM added`, [b.map((r) => r.basketId), b.map((r) => r.memberId), b.map((r) => r.storeId ?? null), b.map((r) => r.day), b.map((r) => r.minute ?? null), seq]);
  const byBasket = new Map<string, BasketRow[]>();
  for (const r of rows) {
    let list = byBasket.get(r.basketId);
    if (!list) byBasket.set(r.basketId, (list = []));
    list.push(r);
  }
  const lines = [...byBasket].flatMap(([basketId, ls]) => mergeLines(ls).map((l) => ({ ...l, basketId })));
  return Number(added!.n) + (await insertLines(q, lines));
}

/** Import files in dependency order (products and members before what names them); `onErrors` gets every rejected
 * row as it is found, `onSummary` each file's summary. One transaction per batch; a file that changed anything appends
 * one feed change, so devices fetch it at their next sync. */
export async function importFeeds(db: Db, inputs: ImportInput[], hooks: { now: () => Date; onErrors?: (e: RowError[]) => void; onSummary?: (s: ImportSummary) => void }): Promise<ImportSummary[]> {
  const sorted = [...inputs].sort((x, y) => FEED_KINDS.indexOf(x.kind) - FEED_KINDS.indexOf(y.kind));
  const given = new Set(sorted.map((i) => i.kind));
  const known = async (sql: string) => new Set((await db.query<{ id: string }>(sql)).map((r) => r.id));
  const productIds = given.has('products') || given.has('deals') || given.has('content') || given.has('baskets') ? await known('SELECT product_id AS id FROM products') : new Set<string>();
  const memberIds = given.has('baskets') ? await known('SELECT member_id AS id FROM members') : new Set<string>();
  const ctx: ValidationContext = {
    hasProduct: productIds.size || given.has('products') ? (id) => productIds.has(id) : undefined,
    hasMember: memberIds.size || given.has('members') ? (id) => memberIds.has(id) : undefined,
    seenBasket: basketsAcrossFiles(),
  };
  const out: ImportSummary[] = [];
  for (const input of sorted) {
    const t0 = performance.now();
    const s: ImportSummary = { file: input.file, kind: input.kind, accepted: 0, rejected: 0, errors: 0, lines: 0, changed: 0, seconds: 0 };
    const [{ seq }] = (await db.query<{ seq: number }>("SELECT nextval('feed_changes_seq_seq')::int AS seq")) as [{ seq: number }];
    let pending: unknown[] = [];
    // One batch is written while the next is parsed (the database works beside the parser); batches commit in order.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (!pending.length) return;
      const rows = pending;
      pending = [];
      await writing;
      writing = db.transaction((tx) => (input.kind === 'baskets'
        ? insertBaskets(tx, rows as BasketRow[], seq)
        : (upserts[input.kind as Exclude<FeedKind, 'baskets'>] as Upsert<FeedKind>)(tx, rows as never[], seq))).then((n) => { s.changed += n; });
      // A failed write stops the import at the next batch, not later.
      writing.catch(() => undefined);
    };
    const take = async (b: FeedBatch<unknown>) => {
      s.accepted += b.rows.length;
      s.rejected += b.rejected;
      s.lines += b.lines;
      s.errors += b.errors.length;
      if (b.errors.length) hooks.onErrors?.(b.errors);
      if (input.kind === 'products') for (const p of b.rows as { id: string }[]) productIds.add(p.id);
      if (input.kind === 'members') for (const m of b.rows as { id: string }[]) memberIds.add(m.id);
      for (const r of b.rows) pending.push(r);
      // A basket's lines stay in one batch: flush only at a basket boundary.
      if (pending.length >= IMPORT_BATCH) {
        if (input.kind !== 'baskets') await flush();
        else {
          const last = (pending[pending.length - 1] as BasketRow).basketId;
          let cut = pending.length;
          while (cut > 0 && (pending[cut - 1] as BasketRow).basketId === last) cut--;
          if (cut > 0) {
            const rest = pending.slice(cut);
            pending = pending.slice(0, cut);
            await flush();
            pending = rest;
          }
        }
      }
    };
    const parser = createFeedParser(input.kind, input.format, input.file, ctx);
    for await (const chunk of input.chunks()) await take(parser.push(chunk));
    await take(parser.end());
    await flush();
    await writing;
    if (s.changed > 0) await db.transaction((tx) => feedChange(tx, hooks.now(), input.kind));
    s.seconds = (performance.now() - t0) / 1000;
    out.push(s);
    hooks.onSummary?.(s);
  }
  return out;
}
