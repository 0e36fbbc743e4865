import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStore, type LarderDB } from './store.ts';
import { readAllHistories } from './packs.ts';
import { importFeed, loadImportState, type ImportState } from './import.ts';
import { HQ_META, feedSyncFor, parseChangeSet, syncFeeds, type FeedSyncOptions, type FeedSyncStatus } from './hq-feed.ts';
import { fakeFeedHq, hqFiles, TRANSIENT_FAULTS, type HqFault } from '../test/mocks/hq-feed.ts';
import { aProduct, aRhythm } from '../test/mocks/store-builders.ts';
import { toEan13 } from '../core/ean.ts';
import { createEngine } from './engine-api.ts';
import { useMockServer } from '../test/mocks/node.ts';

const server = useMockServer();

const BASE = 'http://hq.test/feeds';
const PRODUCTS = hqFiles.products([aProduct('P-MILK', 'Whole Milk', 209), aProduct('P-BREAD', 'Sourdough', 299, 'bakery/bread'), aProduct('P-TEA', 'Green Tea', 450, 'pantry/tea')]);
const MEMBERS = hqFiles.members([{ id: 'M1', card: toEan13('200000000101'), firstName: 'Ada' }, { id: 'M2', card: toEan13('200000000102') }, { id: 'M3', card: toEan13('200000000103'), consent: false }]);
// Day one: baskets of three members, two lines each, and five bad rows (unknown product, malformed JSON, unknown
// member), two of them between the two lines of a basket (lines 4 and 13), where a batch may end and a resume start.
const withBadLine = (text: string, at: number, bad: string) => {
  const lines = text.split('\n');
  lines.splice(at - 1, 0, bad);
  return lines.join('\n');
};
const DAY1 = withBadLine(hqFiles.baskets([
  ...aRhythm('M1', ['P-MILK', 'P-BREAD'], 7, '2026-10-01', 4, 'A'),
  ...aRhythm('M2', ['P-TEA', 'P-MILK'], 10, '2026-10-02', 3, 'B'),
  ...aRhythm('M3', ['P-BREAD', 'P-TEA'], 5, '2026-10-03', 3, 'C'),
], [
  '{"basket_id":"X1","member_id":"M1","date":"2026-10-20","product_id":"P-NOPE","qty":1}',
  '{"basket_id":"X2","member_id":"M1",',
  '{"basket_id":"X3","member_id":"M404","date":"2026-10-20","product_id":"P-MILK","qty":1}',
]), 4, '{"basket_id":"A1","member_id":"M1","date":"2026-10-08","product_id":"P-MILK","qty":-1}').replace(/("basket_id":"B1".*\n)/, '$1{"basket_id":"B1","qty":2}\n');
// Day two: new baskets, one basket of day one again (a duplicate), and the products file unchanged.
const DAY2 = hqFiles.baskets([
  ...aRhythm('M1', ['P-MILK', 'P-TEA'], 7, '2026-11-01', 3, 'D'),
  ...aRhythm('M1', ['P-MILK', 'P-BREAD'], 7, '2026-10-01', 1, 'A'),
  ...aRhythm('M2', ['P-BREAD'], 9, '2026-11-02', 2, 'E'),
]);
const SET1 = { 'products.csv': PRODUCTS, 'members.csv': MEMBERS, 'baskets-2026-11-27.ndjson': DAY1 };
const SET2 = { 'products.csv': PRODUCTS, 'baskets-2026-11-28.ndjson': DAY2 };

let dbNo = 0;
const freshDb = () => openStore(`hq-feed-test-${++dbNo}-${Math.random()}`);

/** A sync as the engine runs it: one import state per database, instant backoff, a short timeout. */
function syncer(db: LarderDB, extra: Partial<FeedSyncOptions> = {}) {
  let state: Promise<ImportState> | undefined;
  const statuses: FeedSyncStatus[] = [];
  const sleeps: number[] = [];
  const run = (more: Partial<FeedSyncOptions> = {}) => syncFeeds(db, () => (state ??= loadImportState(db)), {
    baseUrl: BASE, timeoutMs: 80, maxAttempts: 4, random: () => 0.5, batchRows: 2,
    sleep: async (ms) => { sleeps.push(ms); }, onStatus: (s) => statuses.push(s), ...extra, ...more,
  }).finally(() => { state = undefined; }); // each run starts from what is stored, as after a restart
  return { run, statuses, sleeps };
}

/** Everything the sync may change, in a comparable form. */
async function stored(db: LarderDB) {
  const rejects = (await db.getAll('rejects')).map(({ file, line, field, message }) => ({ file, line, field: field ?? '', message }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.message.localeCompare(b.message));
  return {
    products: await db.getAll('products'), members: (await db.getAll('packs')).map((p) => p.member), histories: await readAllHistories(db),
    rejects, cursor: await db.get('meta', HQ_META.cursor),
  };
}

/** The stored state after a fault-free sync of each change set in turn. */
async function cleanRun(sets: Record<string, string>[]) {
  const hq = fakeFeedHq(BASE);
  server.use(...hq.handlers);
  const db = await freshDb();
  for (const set of sets) {
    hq.publish(set);
    const r = await syncer(db).run();
    expect(r.ok).toBe(true);
  }
  const state = await stored(db);
  db.close();
  server.resetHandlers();
  return state;
}

describe('resumable import', () => {
  const line = (basket: string, product: string, qty = 1) => JSON.stringify({ basket_id: basket, member_id: 'M1', date: '2026-10-01', product_id: product, qty });
  // Line 3 is a bad row inside basket Y, whose lines 2 and 4 wait for the next batch when the first batch ends.
  const TEXT = [line('Z', 'P-MILK'), line('Y', 'P-MILK'), line('Y', 'P-TEA', -2), line('Y', 'P-BREAD'), line('W', 'P-TEA'), line('V', 'P-MILK')].join('\n') + '\n';
  const setUp = async () => {
    const db = await freshDb();
    const state = await loadImportState(db);
    await importFeed(db, state, { name: 'products.csv', kind: 'products', format: 'csv' }, (async function* () { yield PRODUCTS; })());
    await importFeed(db, state, { name: 'members.csv', kind: 'members', format: 'csv' }, (async function* () { yield MEMBERS; })());
    return { db, state };
  };
  const file = { name: 'baskets-1.ndjson', kind: 'baskets', format: 'ndjson' } as const;

  it('commits no basket in halves and, resumed after a dropped connection, stores every row and each reject once', async () => {
    const clean = await setUp();
    await importFeed(clean.db, clean.state, file, (async function* () { yield TEXT; })(), undefined, { importId: 'x', batchRows: 3 });

    const { db, state } = await setUp();
    const checkpoints: number[] = [];
    const options = { importId: 'x', batchRows: 3, onCommit: (n: number) => { checkpoints.push(n); } };
    const dropped = (async function* () {
      yield TEXT.split('\n').slice(0, 4).join('\n') + '\n';
      throw new TypeError('connection reset');
    })();
    await expect(importFeed(db, state, file, dropped, undefined, options)).rejects.toThrow('connection reset');
    expect(checkpoints).toEqual([1]); // basket Z stored; basket Y held back whole, though the bad line 3 was reported
    expect((await db.get('packs', 'M1'))!.history!.basketIds).toEqual(['Z']);
    const resumed = await importFeed(db, state, file, (async function* () { yield TEXT; })(), undefined, { ...options, skipLines: 1 });
    expect(resumed.accepted).toBe(4);
    expect(await readAllHistories(db)).toEqual(await readAllHistories(clean.db));
    expect((await db.getAll('rejects')).map((r) => r.line)).toEqual([3]);
  });
});

describe('feed sync from headquarters', () => {
  it('imports a change set, then only what changed since the stored cursor', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    const first = await syncer(db).run();
    expect(first.ok && first.value.files.map((f) => f.outcome)).toEqual(['imported', 'imported', 'imported']);
    expect(await db.get('meta', HQ_META.cursor)).toBe('c1');
    expect(await db.countFromIndex('packs', 'by-history')).toBe(3);
    expect((await db.getAll('rejects')).map((r) => r.line).sort((a, b) => a - b)).toEqual([4, 13, 23, 24, 25]);

    hq.publish({ 'baskets-2026-11-28.ndjson': DAY2 });
    const second = await syncer(db).run();
    expect(hq.requests.filter((r) => r.path === 'changes').map((r) => r.since)).toEqual(['', 'c1']);
    expect(second.ok && second.value.files.map((f) => f.name)).toEqual(['baskets-2026-11-28.ndjson']);
    expect(second.ok && second.value.files[0]).toMatchObject({ accepted: 10, duplicates: 1 });
    expect(await db.get('meta', HQ_META.cursor)).toBe('c2');
    const ada = ((await db.get('packs', 'M1'))?.history)!;
    expect(ada.basketIds).toEqual(['A0', 'A1', 'A2', 'A3', 'D0', 'D1', 'D2']);

    const third = await syncer(db).run();
    expect(third.ok && third.value).toMatchObject({ cursor: 'c2', files: [], changed: false });
    expect(hq.requests.length).toBe(7); // changes, 3 files; changes, 1 file; changes
  });

  it('skips a file whose ETag has not changed (304) and leaves its rows alone', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    await syncer(db).run();
    const before = await db.getAll('products');
    hq.publish(SET2);
    const r = await syncer(db).run();
    expect(r.ok && r.value.files.map((f) => [f.name, f.outcome])).toEqual([['products.csv', 'not-modified'], ['baskets-2026-11-28.ndjson', 'imported']]);
    const productRequest = hq.requests.filter((q) => q.path === 'products.csv');
    expect(productRequest.map((q) => [q.ifNoneMatch !== undefined, q.status])).toEqual([[false, 200], [true, 304]]);
    expect(await db.getAll('products')).toEqual(before);
  });

  const clean = () => cleanRun([SET1, SET2]);

  // request 0 is the change list, 1 products.csv, 2 members.csv, 3 the baskets; 4.. the second sync.
  for (const fault of TRANSIENT_FAULTS) {
    for (const at of [0, 1, 3, 5]) {
      it(`ends in the same stored state as a clean sync after "${fault}" at request ${at}, within one sync`, async () => {
        const expected = await clean();
        const hq = fakeFeedHq(BASE);
        server.use(...hq.handlers);
        const db = await freshDb();
        hq.inject(...Array<HqFault>(at).fill('ok'), fault);
        const s = syncer(db);
        hq.publish(SET1);
        const one = await s.run();
        hq.publish(SET2);
        const two = await s.run();
        expect([one.ok, two.ok]).toEqual([true, true]);
        expect(hq.pendingFaults()).toBe(0);
        expect(s.statuses.some((st) => st.state === 'retrying' && st.error)).toBe(true);
        expect(s.statuses.at(-1)).toMatchObject({ state: 'up-to-date', cursor: 'c2' });
        expect(await stored(db)).toEqual(expected);
      });
    }
  }

  it('resumes a file after a dropped connection from the last committed batch, storing no reject twice', async () => {
    const expected = await clean();
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    hq.inject('ok', 'ok', 'ok', 'cut');
    const s = syncer(db);
    const r = await s.run();
    expect(r.ok).toBe(true);
    const baskets = r.ok ? r.value.files[2]! : undefined;
    expect(baskets?.resumedAfterLine).toBeGreaterThan(0);
    // The retry stored only rows after the checkpoint: fewer than the whole file's 20 good lines.
    expect(baskets!.accepted).toBeLessThan(20);
    hq.publish(SET2);
    await s.run();
    expect(await stored(db)).toEqual(expected);
  });

  it('re-runs an unfinished change set after a crash without fetching the files it finished, and moves the cursor last', async () => {
    const expected = await clean();
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    hq.inject('ok', 'ok', 'ok', '503', '503', '503', '503'); // the baskets never come: the sync gives up
    const s = syncer(db);
    const failed = await s.run();
    expect(failed).toMatchObject({ ok: false, error: 'network' });
    expect(await db.get('meta', HQ_META.cursor)).toBeUndefined();
    expect(s.statuses.at(-1)).toMatchObject({ state: 'failed', file: 'baskets-2026-11-27.ndjson' });
    expect(s.statuses.at(-1)!.error).toMatch(/HTTP 503.*gave up after 4 attempts/);
    const again = await s.run();
    expect(again.ok && again.value.files.map((f) => f.outcome)).toEqual(['done-before', 'done-before', 'imported']);
    expect(hq.requests.filter((q) => q.path === 'products.csv')).toHaveLength(1);
    hq.publish(SET2);
    await s.run();
    expect(await stored(db)).toEqual(expected);
  });

  it('backs off exponentially with jitter between attempts', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    hq.inject('500', '500', '500', '500');
    const s = syncer(db, { baseDelayMs: 100, random: () => 1, maxAttempts: 4 });
    const r = await s.run();
    expect(r).toMatchObject({ ok: false, error: 'network' });
    expect(s.sleeps).toEqual([100, 200, 400]);
    const low = syncer(db, { baseDelayMs: 100, random: () => 0, maxAttempts: 3 });
    hq.inject('500', '500', '500');
    await low.run();
    expect(low.sleeps).toEqual([50, 100]);
  });

  it('does not retry a 4xx answer', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    hq.inject('404');
    const s = syncer(db);
    const r = await s.run();
    expect(r).toMatchObject({ ok: false, error: 'bad-response' });
    expect(hq.requests).toHaveLength(1);
    expect(s.sleeps).toEqual([]);
  });

  for (const [fault, at, what] of [['malformed', 0, 'a change list that is not JSON'], ['html', 0, 'an HTML page for the change list'],
    ['html', 3, 'an HTML page for the baskets file'], ['malformed', 3, 'HTML served as NDJSON for the baskets file']] as const) {
    it(`fails with bad-response on ${what}, stores nothing of it, and the next sync completes`, async () => {
      const expected = await clean();
      const hq = fakeFeedHq(BASE);
      server.use(...hq.handlers);
      const db = await freshDb();
      hq.publish(SET1);
      hq.inject(...Array<HqFault>(at).fill('ok'), fault);
      const s = syncer(db);
      const r = await s.run();
      expect(r).toMatchObject({ ok: false, error: 'bad-response' });
      expect(s.statuses.at(-1)!.state).toBe('failed');
      expect(s.statuses.at(-1)!.error).toMatch(/JSON|web page|markup/);
      expect(await db.get('meta', HQ_META.cursor)).toBeUndefined();
      expect(await db.countFromIndex('packs', 'by-history')).toBe(0);
      expect(await db.count('rejects')).toBe(0);
      await s.run();
      hq.publish(SET2);
      await s.run();
      expect(await stored(db)).toEqual(expected);
    });
  }

  it('takes a JSON array without a final line break as whole, and one cut off before its bracket as cut off', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    const products = JSON.stringify([{ product_id: 'P-JAM', name: 'Jam', category: 'pantry/jam', brand: 'Acme', brand_type: 'store', price_cents: 350 },
      { product_id: 'P-HONEY', name: 'Honey', category: 'pantry/jam', brand: 'Acme', brand_type: 'national', price_cents: 650 }]);
    hq.publish({ 'products-extra.json': products });
    hq.inject('truncate');
    const s = syncer(db);
    const r = await s.run();
    expect(r.ok).toBe(true);
    expect(s.statuses.some((st) => st.state === 'retrying' && /cut off/.test(st.error ?? ''))).toBe(true);
    expect((await db.getAll('products')).map((p) => p.id)).toEqual(['P-HONEY', 'P-JAM']);
    expect(await db.count('rejects')).toBe(0);
  });

  it('stores the campaigns file whole, and refuses a bad one without storing any of it or moving the cursor', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    const good = { id: 'C1', name: 'Tea to the store brand', category: 'pantry/tea', goal: 'to-store-brand', segments: ['national-high'], offerByTier: { low: 10, mid: 15, high: 25 }, funder: 'store', startDay: 20400, endDay: 20430, holdoutShare: 0.1 };
    hq.publish({ 'campaigns.json': JSON.stringify([good, { ...good, id: 'C2', holdoutShare: 2 }]) });
    const bad = await syncer(db).run();
    expect(bad).toMatchObject({ ok: false, error: 'bad-response', detail: expect.stringContaining('1.holdoutShare') });
    expect(await db.count('campaigns')).toBe(0);
    expect(await db.get('meta', HQ_META.cursor)).toBeUndefined();
    hq.publish({ 'campaigns.json': JSON.stringify([good]) });
    const r = await syncer(db).run();
    expect(r.ok && r.value.files).toEqual([{ name: 'campaigns.json', outcome: 'imported', accepted: 1, rejected: 0, duplicates: 0 }]);
    expect(await db.getAll('campaigns')).toEqual([good]);
    expect(await db.get('meta', HQ_META.cursor)).toBe('c2');
  });

  it('checks the change list strictly', () => {
    expect(parseChangeSet('{"cursor":"c1","files":[{"name":"baskets-1.ndjson","url":"f/b"}]}')).toMatchObject({ ok: true });
    expect(parseChangeSet('{"cursor":"c1","files":[{"name":"report.pdf","url":"f/r"}]}')).toMatchObject({ ok: false, error: 'bad-response' });
    expect(parseChangeSet('{"cursor":"c1","files":[{"name":"campaigns.json","url":"files/campaigns.json"}]}')).toMatchObject({ ok: true });
    expect(parseChangeSet('{"cursor":"","files":[]}')).toMatchObject({ ok: false });
    expect(parseChangeSet('{"cursor":"c1","files":[{"name":"products.csv"}]}')).toMatchObject({ ok: false });
    expect(parseChangeSet('[1,2]')).toMatchObject({ ok: false });
  });

  it('keeps the last status readable and joins a second sync asked for while one runs', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    const db = await freshDb();
    hq.publish(SET1);
    const sync = feedSyncFor(db.name);
    expect(sync.status()).toMatchObject({ state: 'idle' });
    const state = () => loadImportState(db);
    const a = sync.run(db, state, { baseUrl: BASE, sleep: async () => {} });
    const b = sync.run(db, state, { baseUrl: BASE, sleep: async () => {} });
    expect(b).toBe(a);
    await a;
    expect(sync.status()).toMatchObject({ state: 'up-to-date', cursor: 'c1', rowsDone: 31 });
    expect(hq.requests.filter((q) => q.path === 'changes')).toHaveLength(1);
  });

  it('property: any sequence of faults before success leaves exactly what a clean sync stores', async () => {
    const expected = await clean();
    const allFaults: HqFault[] = [...TRANSIENT_FAULTS, 'malformed', 'html', '404'];
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...allFaults, 'ok'), { maxLength: 14 }), fc.integer({ min: 1, max: 7 }), async (faults, batchRows) => {
      const hq = fakeFeedHq(BASE, { waitMs: 60 });
      server.resetHandlers(...hq.handlers);
      const db = await freshDb();
      hq.inject(...faults);
      const s = syncer(db, { batchRows, timeoutMs: 25, maxAttempts: 3 });
      for (const set of [SET1, SET2]) {
        hq.publish(set);
        let done = false;
        for (let i = 0; i < 20 && !done; i++) done = (await s.run()).ok;
        expect(done).toBe(true);
      }
      expect(await stored(db)).toEqual(expected);
      db.close();
    }), { numRuns: 40 });
  }, 120_000);

  it('through the engine: syncs, reports its status, and syncs again from scratch after the database vanished', async () => {
    const hq = fakeFeedHq(BASE);
    server.use(...hq.handlers);
    hq.publish(SET1);
    const dbName = `hq-engine-${Math.random()}`;
    const engine = createEngine({ dbName });
    expect(await engine.feedSyncStatus()).toMatchObject({ state: 'idle' });
    const seen: string[] = [];
    const first = await engine.syncFromHeadquarters(BASE, (st) => seen.push(st.state));
    expect(first).toMatchObject({ ok: true, value: { cursor: 'c1', changed: true } });
    expect(seen.at(-1)).toBe('up-to-date');
    expect(await engine.feedSyncStatus()).toMatchObject({ state: 'up-to-date', cursor: 'c1' });
    expect(await engine.status()).toMatchObject({ members: 3, products: 3, histories: 3 });

    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(dbName);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
    const again = await engine.syncFromHeadquarters(BASE);
    expect(again).toMatchObject({ ok: true, value: { cursor: 'c1', changed: true } });
    expect(hq.requests.filter((q) => q.path === 'changes').map((q) => q.since)).toEqual(['', '']);
    expect(await engine.status()).toMatchObject({ members: 3, histories: 3 });
  });
});
