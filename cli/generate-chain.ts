// `larder generate --chain --members N --stores S [--seed N] [--weeks W] [--end yyyy-mm-dd] (--out DIR | --db URL | --data DIR)`:
// a synthetic chain (demo/chain.ts) as feed files, or loaded straight into headquarters' member database (the rows
// `larder hq import` would write for the same feeds: members through the same feed parser, baskets and their lines in
// multi-row inserts), in constant memory whatever the number of members.
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import Papa from 'papaparse';
import type { Writable } from 'node:stream';
import { createFeedParser, type FeedRowMap } from '../core/feeds/index.ts';
import { formatDay } from '../core/dates.ts';
import { chainCatalogue, chainMembers, DEFAULT_CHAIN, type ChainMember, type ChainOptions } from '../demo/chain.ts';
import type { Db } from '../hq/db/db.ts';
import { migrate } from '../hq/db/migrate.ts';
import { importFeeds } from '../hq/import.ts';
import { feedChange } from '../hq/audit.ts';
import { canonicalJson, sha256 } from '../hq/crypto.ts';
import { demoFeedFiles } from './generate.ts';
import type { Args } from './args.ts';

/** Members generated and written together. */
const CHUNK = 1000;

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const memberRows = (chunk: readonly ChainMember[]) => chunk.map(({ member: m }) => ({
  member_id: m.id, card_code: m.cardCode, consent_personalise: m.consent.personalise, consent_contact: m.consent.contact,
  first_name: m.firstName ?? '', birth_year: m.birthYear ?? '', gender: m.gender ?? '', household_size: m.householdSize ?? '',
  home_store: m.homeStore ?? '', joined: m.joinedDay === undefined ? '' : formatDay(m.joinedDay),
}));

const basketRows = (chunk: readonly ChainMember[]) => chunk.flatMap(({ baskets }) => baskets.flatMap((b) => b.lines.map((l) => ({
  basket_id: b.id, member_id: b.memberId, date: `${formatDay(b.day)}T${hhmm(b.minute ?? 0)}`, product_id: l.productId, qty: l.qty,
  unit_price_cents: l.unitPriceCents, discount_cents: l.discountCents, store_id: b.storeId ?? '',
}))));

/** What was generated. */
export interface ChainCounts { products: number; members: number; baskets: number; lines: number; seconds: number }

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Write the chain as feed files in `dir`. */
export async function writeChainFeeds(dir: string, options: ChainOptions, progress?: (done: number) => void): Promise<ChainCounts> {
  const t0 = performance.now();
  await mkdir(dir, { recursive: true });
  const catalogue = chainCatalogue(options);
  const small = demoFeedFiles({ ...catalogue, members: [], baskets: [] });
  for (const name of ['products.csv', 'deals.csv', 'content.json', 'campaigns.json']) await writeFile(join(dir, name), small[name]!);
  const members = createWriteStream(join(dir, 'members.csv'));
  const gzip = createGzip({ level: 1 });
  const baskets = gzip.pipe(createWriteStream(join(dir, 'baskets.csv.gz')));
  const gen = chainMembers(options, catalogue);
  const counts: ChainCounts = { products: catalogue.products.length, members: 0, baskets: 0, lines: 0, seconds: 0 };
  for (let at = 0; at < options.members; at += CHUNK) {
    const chunk = [...gen.range(at, Math.min(options.members, at + CHUNK))];
    const header = at === 0;
    await write(members, Papa.unparse(memberRows(chunk), { newline: '\n', header }) + '\n');
    const rows = basketRows(chunk);
    await write(gzip, Papa.unparse(rows, { newline: '\n', header }) + '\n');
    counts.members += chunk.length;
    for (const c of chunk) counts.baskets += c.baskets.length;
    counts.lines += rows.length;
    progress?.(counts.members);
  }
  members.end();
  gzip.end();
  await Promise.all([once(members, 'finish'), once(baskets, 'finish')]);
  counts.seconds = (performance.now() - t0) / 1000;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ chain: options, counts }, null, 1));
  return counts;
}

/** Load the chain straight into headquarters (migrated first): the catalogue, deals and content through the importer,
 * members and baskets in multi-row inserts, `concurrency` chunks at a time (1 on the embedded database). A re-load of
 * the same chain adds nothing, and a load stopped halfway skips the chunks it stored (the counts then include them,
 * except their baskets and lines). */
export async function loadChain(db: Db, options: ChainOptions, progress?: (done: number) => void): Promise<ChainCounts> {
  const t0 = performance.now();
  await migrate(db);
  const catalogue = chainCatalogue(options);
  const small = demoFeedFiles({ ...catalogue, members: [], baskets: [] });
  const text = (name: string, kind: 'products' | 'deals' | 'content', format: 'csv' | 'json') => ({ file: name, kind, format, chunks: async function* () { yield small[name]!; } });
  await importFeeds(db, [text('products.csv', 'products', 'csv'), text('deals.csv', 'deals', 'csv'), text('content.json', 'content', 'json')], { now: () => new Date() });
  const [{ seq }] = (await db.query<{ seq: number }>("SELECT nextval('feed_changes_seq_seq')::int AS seq")) as [{ seq: number }];
  const gen = chainMembers(options, catalogue);
  const counts: ChainCounts = { products: catalogue.products.length, members: 0, baskets: 0, lines: 0, seconds: 0 };
  // A bulk load checks its lines' baskets itself (they are inserted just before, in the same transaction): a superuser
  // skips the per-row foreign-key triggers, which otherwise cost the server more than the rows.
  const [role] = await db.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  const bulk = role?.rolsuper === true;
  const loadChunk = async (from: number, to: number) => {
    // A chunk is one transaction: one of its members stored means all of it is (a load stopped halfway resumes here).
    const lastId = gen.make(to - 1).member.id;
    if ((await db.query('SELECT 1 FROM members WHERE member_id = $1', [lastId])).length) {
      counts.members += to - from;
      progress?.(counts.members);
      return;
    }
    const chunk = [...gen.range(from, to)];
    // Members through the feed parser, so their stored rows are the ones `hq import` stores.
    const parser = createFeedParser('members', 'csv', 'chain-members.csv');
    const parsed = [parser.push(Papa.unparse(memberRows(chunk), { newline: '\n' }) + '\n'), parser.end()];
    const rows = parsed.flatMap((b) => b.rows) as FeedRowMap['members'][];
    if (parsed.some((b) => b.errors.length)) throw new Error(`chain members refused by the feed parser: ${JSON.stringify(parsed.flatMap((b) => b.errors).slice(0, 3))}`);
    const data = rows.map((r) => canonicalJson(r));
    const baskets = chunk.flatMap((c) => c.baskets);
    const lines = baskets.flatMap((b) => b.lines.map((l) => ({ ...l, basketId: b.id })));
    await db.transaction(async (tx) => {
      if (bulk) await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(`INSERT INTO members (member_id, card_code, home_store, data, row_hash, changed_seq)
        SELECT i, c, s, d::jsonb, h, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(i, c, s, d, h) ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.id), rows.map((r) => r.cardCode), rows.map((r) => r.homeStore ?? null), data, data.map(sha256), seq]);
      await tx.query(`INSERT INTO baskets (basket_id, member_id, store_id, day, minute, source, changed_seq)
        SELECT i, m, s, d, mi, 'feed', $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) AS t(i, m, s, d, mi) ON CONFLICT DO NOTHING`,
      [baskets.map((b) => b.id), baskets.map((b) => b.memberId), baskets.map((b) => b.storeId ?? null), baskets.map((b) => b.day), baskets.map((b) => b.minute ?? null), seq]);
      const inserted = await tx.query<{ id: string }>(`SELECT basket_id AS id FROM baskets WHERE basket_id = ANY($1::text[])`, [baskets.map((b) => b.id)]);
      if (inserted.length !== baskets.length) throw new Error('chain load: a basket of this chunk is missing');
      await tx.query(`INSERT INTO basket_lines (basket_id, product_id, qty, unit_price_cents, discount_cents)
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[]) ON CONFLICT DO NOTHING`, [
        lines.map((l) => l.basketId), lines.map((l) => l.productId), lines.map((l) => l.qty), lines.map((l) => l.unitPriceCents), lines.map((l) => l.discountCents),
      ]);
    });
    counts.members += chunk.length;
    counts.baskets += baskets.length;
    counts.lines += lines.length;
    progress?.(counts.members);
  };
  const concurrency = db.kind === 'postgres' ? 2 : 1;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < options.members) {
      const from = next;
      next = Math.min(options.members, next + CHUNK);
      await loadChunk(from, next);
    }
  }));
  if (counts.members) {
    await db.transaction((tx) => feedChange(tx, new Date(), 'members'));
    await db.transaction((tx) => feedChange(tx, new Date(), 'baskets'));
  }
  await db.query('ANALYZE members; ANALYZE baskets; ANALYZE basket_lines').catch(() => undefined);
  counts.seconds = (performance.now() - t0) / 1000;
  return counts;
}

/** Run `larder generate --chain …`. */
export async function run(a: Args): Promise<number> {
  const num = (name: string, fallback: number) => {
    const v = a.values.get(name);
    const n = v === undefined ? fallback : Number(v);
    return Number.isInteger(n) && n >= 0 ? n : NaN;
  };
  const options: ChainOptions = {
    members: num('members', DEFAULT_CHAIN.members), stores: num('stores', DEFAULT_CHAIN.stores), seed: num('seed', DEFAULT_CHAIN.seed),
    endDate: a.values.get('end') ?? DEFAULT_CHAIN.endDate, weeks: num('weeks', DEFAULT_CHAIN.weeks),
  };
  const out = a.values.get('out');
  const dbUrl = a.values.get('db');
  const data = a.values.get('data');
  const targets = [out, dbUrl, data].filter(Boolean).length;
  if (targets !== 1 || [options.members, options.stores, options.seed, options.weeks].some(Number.isNaN) || options.stores < 1 || options.stores > 99 || options.weeks < 1) {
    console.error('usage: larder generate --chain --members N --stores S (1-99) [--seed N] [--weeks W] [--end yyyy-mm-dd] (--out DIR | --db postgres://… | --data DIR)');
    return 2;
  }
  const t0 = performance.now();
  let last = 0;
  const progress = (done: number) => {
    const t = performance.now();
    if (t - last < 2000 && done < options.members) return;
    last = t;
    const rate = done / ((t - t0) / 1000);
    process.stderr.write(`chain: ${done.toLocaleString('en')}/${options.members.toLocaleString('en')} members, ${Math.round(rate).toLocaleString('en')}/s, ${Math.ceil((options.members - done) / Math.max(rate, 1))} s left\n`);
  };
  let counts: ChainCounts;
  if (out) counts = await writeChainFeeds(out, options, progress);
  else {
    const { openDb } = await import('../hq/server.ts');
    const db = await openDb({ ...(dbUrl ? { db: dbUrl } : {}), data: data ?? '.larder-hq' });
    try {
      counts = await loadChain(db, options, progress);
    } finally {
      await db.close();
    }
  }
  console.error(`chain of ${options.stores} stores: ${counts.members.toLocaleString('en')} members, ${counts.baskets.toLocaleString('en')} baskets, ${counts.lines.toLocaleString('en')} lines, ${counts.products} products in ${counts.seconds.toFixed(1)} s → ${out ?? (dbUrl ? 'PostgreSQL' : data)}`);
  return 0;
}
