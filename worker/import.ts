// Feed import into IndexedDB: parse and validate with the core parsers, commit in bounded transactions.
import type { Basket, Campaign, Content, Deal, Member, Product } from '../core/types.ts';
import { createFeedParser, groupBaskets, type BasketRow, type FeedFormat, type FeedKind, type RowError } from '../core/feeds/index.ts';
import { emptyHistory, mergeBaskets } from '../core/history.ts';
import { settle, type LarderDB, type ProductRecord } from './store.ts';
import { historyOf, withHistory } from './packs.ts';
import { getMeta, putMeta } from './meta.ts';
import { RejectGroups, type RejectGroup } from './reject-groups.ts';
import { rowErrorEnglish } from '../i18n/rows.ts';

/** Progress of a long import, for the kiosk and widget to show. */
export interface ImportProgress {
  file: string;
  kind: FeedKind;
  lines: number;
  /** Data rows read so far, rejected and already-imported ones included (a file of rejects still moves). */
  rows: number;
  accepted: number;
  rejected: number;
  /** 0..1 when the size is known. */
  fraction?: number;
  rowsPerSecond: number;
}

/** What an import did. */
export interface ImportSummary {
  importId: string;
  file: string;
  kind: FeedKind;
  accepted: number;
  rejected: number;
  /** Lines already stored that were skipped (re-importing a basket is a no-op). */
  duplicates: number;
  /** Data rows read, whatever became of them. */
  rows: number;
  /** Basket lines without `unit_price_cents`, stored at the catalogue's shelf price. */
  shelfPriced: number;
  /** The rejections by file, field and reason, largest first (every row is in the rejects store for the CSV). */
  rejections: RejectGroup[];
  seconds: number;
}

/** In-memory indexes the validators need: which products and members exist, dense product indexes. */
export interface ImportState {
  productIdx: Map<string, number>;
  /** Shelf price of each product id: the price of a basket line that carries none. */
  productPrice: Map<string, number>;
  memberIds: Set<string>;
  /** Basket id → member id, for this session's imports (duplicate basket ids across members are rejected). */
  basketOwner: Map<string, string>;
}

/** Load the indexes from the database. */
export async function loadImportState(db: LarderDB): Promise<ImportState> {
  const productIdx = new Map<string, number>();
  const productPrice = new Map<string, number>();
  for (const p of await db.getAll('products')) {
    productIdx.set(p.id, p.idx);
    productPrice.set(p.id, p.priceCents);
  }
  return { productIdx, productPrice, memberIds: new Set(await db.getAllKeys('packs')), basketOwner: new Map() };
}

// Rows per transaction. Basket batches are large because each one rewrites the packed history of every member it
// touches (baskets arrive sorted by date, so a small batch touches nearly every member).
const BATCH_ROWS: Record<FeedKind, number> = { products: 20_000, members: 20_000, deals: 20_000, content: 20_000, baskets: 250_000 };

/** How a resumable import runs (the headquarters sync, worker/hq-feed.ts). */
export interface ImportOptions {
  /** A stable id for this version of the file: rejects already stored under it are not stored again. */
  importId?: string;
  /** Physical lines an earlier attempt committed (CSV, NDJSON): parsed again so the parser knows the header and the
   * baskets seen, but nothing of them is stored. */
  skipLines?: number;
  /** Rows per transaction (default: per kind). */
  batchRows?: number;
  /** Called after each commit with the number of physical lines every row of which is now stored. */
  onCommit?(committedLines: number): Promise<void> | void;
}

/** Import one feed from text chunks. Valid rows are stored in bounded transactions; rejected rows go to `rejects`. */
export async function importFeed(
  db: LarderDB,
  state: ImportState,
  file: { name: string; kind: FeedKind; format: FeedFormat; size?: number },
  chunks: AsyncIterable<string>,
  onProgress?: (p: ImportProgress) => void,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const importId = options.importId ?? `${file.name}@${Date.now().toString(36)}`;
  const batchRows = options.batchRows ?? BATCH_ROWS[file.kind];
  const parser = createFeedParser(file.kind, file.format, file.name, {
    hasProduct: (id) => state.productIdx.has(id),
    hasMember: (id) => state.memberIds.has(id),
    seenBasket: (id) => (state.basketOwner.has(id) ? 'same' : 'new'),
  });
  let lines = 0, accepted = 0, rejected = 0, duplicates = 0, bytes = 0, rows = 0, shelfPriced = 0;
  let pending: unknown[] = [];
  const errors: RowError[] = [];
  const groups = new RejectGroups();
  const report = () => onProgress?.({
    file: file.name, kind: file.kind, lines, rows, accepted, rejected,
    ...(file.size ? { fraction: Math.min(1, bytes / file.size) } : {}),
    rowsPerSecond: Math.round(lines / Math.max(1e-3, (performance.now() - started) / 1000)),
  });

  const flush = async (final: boolean) => {
    let batch = pending;
    pending = [];
    let safeLines = lines;
    if (!final && file.kind === 'baskets') {
      // A basket's lines commit together: the last basket's lines wait for the next batch (a second part stored
      // later would be taken for a duplicate basket and dropped, and a resume must not start inside a basket).
      // When the whole batch is one basket it all waits (its next line may be in the next chunk).
      const held = heldBasketTail(batch as BasketRow[]);
      if (held > 0) {
        pending = batch.slice(batch.length - held);
        batch = batch.slice(0, batch.length - held);
        safeLines = (pending[0] as BasketRow).line! - 1;
      }
    }
    if (batch.length) {
      const result = await storeRows(db, state, file.kind, batch);
      accepted += result.accepted;
      duplicates += result.duplicates;
      shelfPriced += result.shelfPriced;
      rejected += result.errors.length;
      for (const e of result.errors) {
        errors.push(e);
        groups.add(e);
      }
    }
    if (errors.length) {
      const tx = db.transaction('rejects', 'readwrite');
      // A resumed import meets again the rejects of lines after its last checkpoint: store each one once.
      const known = options.importId ? new Set((await tx.store.index('by-import').getAll(importId)).map(rejectKey)) : undefined;
      for (const e of errors.splice(0)) if (!known?.has(rejectKey(e))) void tx.store.add({ ...e, message: rowErrorEnglish(e), importId });
      await settle(tx);
    }
    await options.onCommit?.(safeLines);
    report();
  };
  const take = async (batch: { rows: unknown[]; errors: RowError[]; lines: number; rejected: number; skipped: number }) => {
    lines += batch.lines;
    rows += batch.rows.length + batch.rejected + batch.skipped;
    duplicates += batch.skipped;
    for (const row of batch.rows) pending.push(row); // a whole file may arrive as one batch: no spread
    rejected += batch.errors.length;
    for (const e of batch.errors) {
      errors.push(e);
      groups.add(e);
    }
    if (pending.length >= batchRows) await flush(false);
    // Every chunk read moves the progress, not only a commit: a file whose rows are all rejected commits nothing.
    else if (batch.lines > 0) report();
  };
  let toSkip = options.skipLines ?? 0;
  for await (let chunk of chunks) {
    bytes += chunk.length;
    if (toSkip > 0) {
      // Cut the text right after the last line already stored; what comes before is parsed and dropped.
      let cut = 0;
      while (toSkip > 0 && cut >= 0) {
        const lf = chunk.indexOf('\n', cut);
        if (lf < 0) cut = -1;
        else {
          cut = lf + 1;
          toSkip--;
        }
      }
      lines += parser.push(cut < 0 ? chunk : chunk.slice(0, cut)).lines;
      if (cut < 0) continue;
      chunk = chunk.slice(cut);
    }
    await take(parser.push(chunk));
  }
  await take(parser.end());
  await flush(true);
  return {
    importId, file: file.name, kind: file.kind, accepted, rejected, duplicates, rows, shelfPriced, rejections: groups.list(),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Whether a file named `.gz` is not gzip (its first bytes are not 1f 8b): a file the manager picked is never inflated
 * on the way, so it would be read as text and fail as a strange header instead of saying what it is. */
export async function notGzip(name: string, file: Blob): Promise<boolean> {
  if (!name.endsWith('.gz')) return false;
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return !(head[0] === 0x1f && head[1] === 0x8b);
}

/** How many rows at the end of a batch belong to its last basket (0 when the rows carry no line numbers). */
function heldBasketTail(rows: readonly BasketRow[]): number {
  const last = rows[rows.length - 1];
  if (!last || last.line === undefined) return 0;
  let i = rows.length - 1;
  while (i > 0 && rows[i - 1]!.basketId === last.basketId) i--;
  return rows.length - i;
}

// Keyed on the English words, which rejects stored before rows carried codes also have.
const rejectKey = (e: RowError & { message?: string }) => `${e.line}|${e.field ?? ''}|${e.message ?? rowErrorEnglish(e)}`;

/** What one commit stored. */
interface Stored {
  accepted: number;
  duplicates: number;
  /** Basket lines priced at the shelf price (they carried no `unit_price_cents`). */
  shelfPriced: number;
  errors: RowError[];
}

async function storeRows(db: LarderDB, state: ImportState, kind: FeedKind, rows: unknown[]): Promise<Stored> {
  switch (kind) {
    case 'products': {
      const tx = db.transaction(['products', 'meta'], 'readwrite');
      let next = (await getMeta(tx.objectStore('meta'), 'productCount')) ?? 0;
      for (const p of rows as Product[]) {
        let idx = state.productIdx.get(p.id);
        if (idx === undefined) state.productIdx.set(p.id, (idx = next++));
        state.productPrice.set(p.id, p.priceCents);
        void tx.objectStore('products').put({ ...p, idx } satisfies ProductRecord);
      }
      void putMeta(tx.objectStore('meta'), 'productCount', next);
      await settle(tx);
      return { accepted: rows.length, duplicates: 0, shelfPriced: 0, errors: [] };
    }
    case 'members': {
      const tx = db.transaction('packs', 'readwrite');
      let merged = 0;
      for (const m of rows as Member[]) {
        // The same card under another id is the same person: keep the stored id, take the newer details. The rest of
        // the pack (history, controls) stays as it is.
        const byCard = await tx.store.index('by-card').get(m.cardCode);
        if (byCard && byCard.id !== m.id) merged++;
        const pack = byCard ?? (await tx.store.get(m.id));
        state.memberIds.add(m.id);
        void tx.store.put(pack ? { ...pack, member: { ...pack.member, ...m, id: pack.id } } : { id: m.id, member: m });
      }
      await settle(tx);
      return { accepted: rows.length, duplicates: merged, shelfPriced: 0, errors: [] };
    }
    case 'deals':
    case 'content': {
      const name = kind === 'deals' ? 'deals' : 'content';
      const tx = db.transaction(name, 'readwrite');
      for (const row of rows as (Deal | Content)[]) void tx.store.put(row as Deal & Content);
      await settle(tx);
      return { accepted: rows.length, duplicates: 0, shelfPriced: 0, errors: [] };
    }
    case 'baskets':
      return storeBaskets(db, state, rows as BasketRow[]);
  }
}

async function storeBaskets(db: LarderDB, state: ImportState, rows: BasketRow[]): Promise<Stored> {
  // A line without a price was sold at the shelf price: without it the member would count as spending nothing.
  const { baskets, errors } = groupBaskets(rows, { priceOf: (id) => state.productPrice.get(id) });
  let shelfPriced = 0;
  for (const r of rows) if (r.unitPriceCents === undefined) shelfPriced++;
  const byMember = new Map<string, Basket[]>();
  for (const b of baskets) {
    const list = byMember.get(b.memberId);
    if (list) list.push(b);
    else byMember.set(b.memberId, [b]);
  }
  const tx = db.transaction('packs', 'readwrite');
  const members = [...byMember.keys()];
  const packs = await Promise.all(members.map((id) => tx.store.get(id)));
  let duplicates = 0;
  let accepted = 0;
  members.forEach((memberId, i) => {
    const pack = packs[i];
    const { history, added, skipped } = mergeBaskets(historyOf(pack) ?? emptyHistory(memberId), byMember.get(memberId)!, (id) => state.productIdx.get(id)!);
    duplicates += skipped;
    for (const b of byMember.get(memberId)!) state.basketOwner.set(b.id, memberId);
    if (added && pack) void tx.store.put(withHistory(pack, history));
  });
  await settle(tx);
  for (const b of baskets) accepted += b.lines.length;
  return { accepted, duplicates, shelfPriced, errors };
}

/** Store campaigns (the manager's own feed, JSON). */
export async function importCampaigns(db: LarderDB, campaigns: readonly Campaign[]): Promise<void> {
  const tx = db.transaction('campaigns', 'readwrite');
  for (const c of campaigns) void tx.store.put(c);
  await settle(tx);
}
