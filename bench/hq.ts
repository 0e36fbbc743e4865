// Headquarters figures: redemptions per second from 50 simulated tills over loopback HTTP to a `larder hq` child
// process (a throwaway PostgreSQL server, and PGlite beside it), and 1,000,000 basket lines imported through the code
// of `larder hq import`, each beside a baseline measured in the same run.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readChunks } from '../cli/files.ts';
import { basketsAcrossFiles, createFeedParser, type BasketRow } from '../core/feeds/index.ts';
import type { Db } from '../hq/db/db.ts';
import { migrate } from '../hq/db/migrate.ts';
import { openPglite } from '../hq/db/pglite.ts';
import { openPostgres } from '../hq/db/postgres.ts';
import { IMPORT_BATCH, importFeeds } from '../hq/import.ts';
import { membersCsv } from '../hq/test-support/fixtures.ts';
import { startPostgres, type TestPostgres } from '../hq/test-support/postgres.ts';
import { freePort, spawnHq, type HqProcess, type TillRecord } from '../hq/test-support/tills.ts';
import { figure, type Figure } from './figures.ts';

const TILLS = 50;
const DEALS = 20;
const ADMIN = 'ladm.bench';
const STORE = 'S01';

/** Redemptions of lists headquarters knows, each till its own lists (4 offers each), in `rounds` of `perTill`. */
function tillQueues(prefix: string, perTill: number): { queues: TillRecord[][]; lists: [string, string][] } {
  const lists: [string, string][] = [];
  const queues = Array.from({ length: TILLS }, (_, t) => Array.from({ length: perTill }, (_, i): TillRecord => {
    const listId = `${prefix}-t${t}-L${i >> 2}`;
    const memberId = `M${(t * 7 + (i >> 2)) % 997}`;
    if (i % 4 === 0) lists.push([listId, memberId]);
    const dealId = `D${(t + i) % DEALS}`;
    const key = `${prefix}-t${t}-r${i}`;
    return { key, kind: 'first', pair: t * perTill + i, body: { id: key, listId, offerId: `${listId}:${dealId}:P${i % 4}`, dealId, memberId, basketId: `${prefix}-t${t}-B${i >> 2}`, amountCents: 50 + ((i * 37) % 100) } };
  }));
  return { queues, lists };
}

/** One HTTP call over a kept-alive connection (node:http: the bench's tills share the machine with headquarters, and
 * cost about a third of the CPU of fetch per call: 0.4 against 1.1 ms). */
function call(agent: Agent, url: string, method: string, path: string, token: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent, method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every till drains its queue one redemption at a time, all tills at once, each on its own connection; the count of
 * answers by status. */
async function drain(url: string, tokens: string[], queues: TillRecord[][]): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await Promise.all(queues.map(async (queue, t) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (const r of queue) {
      const res = await call(agent, url, 'POST', '/v1/redemptions', tokens[t]!, { 'idempotency-key': r.key }, JSON.stringify(r.body));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    agent.destroy();
  }));
  return statuses;
}

/** Lists headquarters issued and budgets that do not run out during the run. */
async function seed(db: Db, lists: [string, string][]): Promise<void> {
  for (let i = 0; i < lists.length; i += 20_000) {
    const part = lists.slice(i, i + 20_000);
    await db.query(`INSERT INTO lists (list_id, store_id, member_id, code, source, seen_at)
      SELECT id, $3, m, 'code-' || id, 'issued', now() FROM unnest($1::text[], $2::text[]) AS t(id, m)`, [part.map((l) => l[0]), part.map((l) => l[1]), STORE]);
  }
  await db.query('INSERT INTO budgets (deal_id, budget_cents) SELECT d, 1000000000 FROM unnest($1::text[]) AS t(d) ON CONFLICT DO NOTHING',
    [Array.from({ length: DEALS }, (_, i) => `D${i}`)]);
}

async function enrolTills(url: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let t = 0; t < TILLS; t++) {
    const made = await (await fetch(`${url}/v1/admin/enrollments`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId: STORE }) })).json() as { code: string };
    const enrolled = await (await fetch(`${url}/v1/devices/enroll`, { method: 'POST', body: JSON.stringify({ code: made.code }) })).json() as { deviceToken: string };
    tokens.push(enrolled.deviceToken);
  }
  await fetch(`${url}/v1/admin/stores/${STORE}/pin`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ pin: '424242' }) });
  return tokens;
}

/** The same 50 tills each asking for the store's PIN hash `n` times: the HTTP, token check and one-row read every
 * redemption pays too, the ceiling of any route that checks a device. */
async function readCeiling(url: string, tokens: string[], n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(tokens.map(async (token) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < n; i++) {
      const res = await call(agent, url, 'GET', `/v1/stores/${STORE}/pin`, token);
      if (res.status !== 200) throw new Error(`PIN read: HTTP ${res.status}`);
    }
    agent.destroy();
  }));
  return (tokens.length * n) / ((performance.now() - t0) / 1000);
}

/** Redemptions per second of one headquarters, after a warm-up, and its read ceiling. */
async function redemptionRate(hq: HqProcess, perTill: number, seedWith: (lists: [string, string][]) => Promise<void>, tokens: string[]): Promise<{ rate: number; ceiling: number }> {
  const warm = tillQueues('warm', 20);
  const run = tillQueues('run', perTill);
  await seedWith([...warm.lists, ...run.lists]);
  await drain(hq.url, tokens, warm.queues);
  const t0 = performance.now();
  const answered = await drain(hq.url, tokens, run.queues);
  const seconds = (performance.now() - t0) / 1000;
  const n = TILLS * perTill;
  if (answered.get(200) !== n) throw new Error(`redemptions refused: ${JSON.stringify([...answered])}`);
  const ceiling = await readCeiling(hq.url, tokens, Math.max(10, perTill / 4));
  return { rate: n / seconds, ceiling };
}

/** Feed files for the import: products, members, and `lines` basket lines (10 a basket). */
async function writeFeeds(dir: string, lines: number): Promise<{ products: string; members: string; baskets: string }> {
  const products = join(dir, 'products.csv');
  const members = join(dir, 'members.csv');
  const baskets = join(dir, 'baskets.csv');
  const P = 3000;
  const M = 20_000;
  await writeFile(products, ['product_id,name,category,brand,brand_type,price_cents',
    ...Array.from({ length: P }, (_, i) => `P${i},Product ${i},cat${i % 40}/sub${i % 7},B${i % 90},${i % 3 ? 'national' : 'store'},${100 + (i % 900)}`)].join('\n') + '\n');
  await writeFile(members, membersCsv(Array.from({ length: M }, (_, i) => `M${i}`), [STORE, 'S02']));
  const out: string[] = ['basket_id,member_id,date,product_id,qty,unit_price_cents'];
  for (let b = 0; b < lines / 10; b++) {
    const member = `M${(b * 7919) % M}`;
    const day = `2026-${String(1 + (b % 12)).padStart(2, '0')}-${String(1 + (b % 28)).padStart(2, '0')}`;
    for (let l = 0; l < 10; l++) out.push(`B${b},${member},${day},P${(b * 31 + l * 97) % P},${1 + (l % 3)},${100 + ((b + l) % 400)}`);
  }
  await writeFile(baskets, out.join('\n') + '\n');
  return { products, members, baskets };
}

/** Import through `larder hq import`'s code: products and members first (not timed), then the basket lines. */
async function importSeconds(db: Db, files: { products: string; members: string; baskets: string }): Promise<{ seconds: number; changed: number }> {
  const input = (file: string, kind: 'products' | 'members' | 'baskets') => ({ file, kind, format: 'csv' as const, chunks: () => readChunks(file) });
  await importFeeds(db, [input(files.products, 'products'), input(files.members, 'members')], { now: () => new Date() });
  const t0 = performance.now();
  const [s] = await importFeeds(db, [input(files.baskets, 'baskets')], { now: () => new Date() });
  if (s!.rejected) throw new Error(`import rejected ${s!.rejected} rows`);
  return { seconds: (performance.now() - t0) / 1000, changed: s!.changed };
}

/** The straightforward import: the same parse and validation, then one INSERT per basket and per line (transactions of
 * the importer's batch size), for the first `limit` lines. */
async function oneRowPerInsertSeconds(db: Db, baskets: string, limit: number): Promise<number> {
  const t0 = performance.now();
  const parser = createFeedParser('baskets', 'csv', baskets, { hasProduct: () => true, hasMember: () => true, seenBasket: basketsAcrossFiles() });
  let done = 0;
  const heads = new Set<string>();
  const write = async (rows: BasketRow[]) => {
    await db.transaction(async (tx) => {
      for (const r of rows) {
        if (!heads.has(r.basketId)) {
          heads.add(r.basketId);
          await tx.query(`INSERT INTO baskets (basket_id, member_id, store_id, day, minute, source, changed_seq) VALUES ($1, $2, $3, $4, $5, 'feed', 1)
            ON CONFLICT DO NOTHING`, [r.basketId, r.memberId, r.storeId ?? null, r.day, r.minute ?? null]);
        }
        await tx.query(`INSERT INTO basket_lines (basket_id, product_id, qty, unit_price_cents, discount_cents) VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT DO NOTHING`, [r.basketId, r.productId, r.qty, r.unitPriceCents ?? null, r.discountCents]);
      }
    });
  };
  let pending: BasketRow[] = [];
  for await (const chunk of readChunks(baskets)) {
    pending.push(...parser.push(chunk).rows);
    while (pending.length >= IMPORT_BATCH && done < limit) {
      await write(pending.slice(0, IMPORT_BATCH));
      pending = pending.slice(IMPORT_BATCH);
      done += IMPORT_BATCH;
    }
    if (done >= limit) break;
  }
  return (performance.now() - t0) / 1000;
}

/** Every `hq.*` figure. */
export async function* hqFigures(o: { quick: boolean; log?: (text: string) => void }): AsyncGenerator<Figure> {
  const log = o.log ?? (() => undefined);
  const perTill = o.quick ? 100 : 400;
  // PGlite runs every statement on one connection in headquarters' own thread: a quarter of the redemptions give as
  // steady a rate in a quarter of the time.
  const pgliteTill = perTill / 4;
  let pg: TestPostgres | undefined;
  let hq: HqProcess | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'larder-bench-hq-'));
  try {
    pg = await startPostgres();
    // PostgreSQL server: headquarters as `larder hq --db`, the bench seeding through its own connection.
    {
      hq = await spawnHq(['--db', await pg.database('redeem'), '--port', String(await freePort())], { LARDER_ADMIN_KEY: ADMIN });
      const db = await openPostgres(await pg.database('redeem'), { max: 2 });
      try {
        const tokens = await enrolTills(hq.url);
        const r = await redemptionRate(hq, perTill, (lists) => seed(db, lists), tokens);
        yield figure('hq.redemptions.per_s', r.rate, '/s', {
          baseline: r.ceiling, baselineName: 'authenticated one-row read', target: '≥ 1,000',
          note: `${TILLS * perTill} redemptions from ${TILLS} tills (one at a time each), PostgreSQL 15 server (fsync off), every answer 200`,
        });
      } finally {
        await db.close();
        hq.child.kill('SIGTERM');
        await hq.exited;
        hq = undefined;
      }
    }
    // PGlite: seeded before headquarters opens the folder (one process per folder).
    {
      const data = join(dir, 'pglite-hq');
      const warm = tillQueues('warm', 20);
      const run = tillQueues('run', pgliteTill);
      await mkdir(data, { recursive: true });
      const db = await openPglite(join(data, 'pglite'));
      await migrate(db);
      await seed(db, [...warm.lists, ...run.lists]);
      await db.close();
      hq = await spawnHq(['--data', data, '--port', String(await freePort())], { LARDER_ADMIN_KEY: ADMIN });
      try {
        const tokens = await enrolTills(hq.url);
        const r = await redemptionRate(hq, pgliteTill, async () => undefined, tokens);
        yield figure('hq.redemptions.pglite.per_s', r.rate, '/s', {
          baseline: r.ceiling, baselineName: 'authenticated one-row read',
          note: `${TILLS * pgliteTill} redemptions from ${TILLS} tills, embedded PGlite (one connection)`,
        });
      } finally {
        hq.child.kill('SIGTERM');
        await hq.exited;
        hq = undefined;
      }
    }
    // Import of basket lines into the PostgreSQL server.
    {
      const lines = o.quick ? 250_000 : 1_000_000;
      log(`writing ${lines.toLocaleString('en')} basket lines…`);
      const files = await writeFeeds(dir, lines);
      const db = await openPostgres(await pg.database('import'));
      const base = await openPostgres(await pg.database('import_baseline'));
      try {
        await migrate(db);
        await migrate(base);
        const r = await importSeconds(db, files);
        const sample = o.quick ? 25_000 : 100_000;
        const baseline = await oneRowPerInsertSeconds(base, files.baskets, sample);
        const scale = 1_000_000 / lines;
        yield figure('hq.import.1m_lines.s', r.seconds * scale, 's', {
          baseline: baseline * (1_000_000 / sample), baselineName: 'one INSERT per line',
          note: `${lines.toLocaleString('en')} lines (${(lines / 10).toLocaleString('en')} baskets) in ${r.seconds.toFixed(1)} s${scale === 1 ? '' : ', scaled'}, PostgreSQL server; baseline ${sample.toLocaleString('en')} lines, scaled`,
        });
      } finally {
        await db.close();
        await base.close();
      }
    }
  } finally {
    if (hq) hq.child.kill('SIGKILL');
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
