// Feeds into headquarters (the importer, re-import changes nothing) and out to devices (the change list and files of
// worker/hq-feed.ts, generated from the database, per store), on both databases; and the device's own sync into
// IndexedDB against the real headquarters.
import 'fake-indexeddb/auto';
import { beforeAll, expect, it } from 'vitest';
import { openStore } from '../worker/store.ts';
import { loadImportState, type ImportState } from '../worker/import.ts';
import { syncFeeds } from '../worker/hq-feed.ts';
import type { ChangeList } from '../protocol/changes.ts';
import { describeEachDb } from './test-support/dbs.ts';
import { testHq } from './test-support/client.ts';
import { importCampaigns } from './campaigns.ts';
import { feedFileChunks } from './feed-files.ts';
import { formatDay } from '../core/dates.ts';
import { catalogueCsv, dealsCsv, importTexts, membersCsv } from './test-support/fixtures.ts';

const BASKETS = [
  ...['M1', 'M2', 'M3', 'M4'].flatMap((m, i) => [
    `{"basket_id":"B${i}a","member_id":"${m}","date":"2026-10-0${i + 1}","product_id":"P1","qty":2,"unit_price_cents":100}`,
    `{"basket_id":"B${i}a","member_id":"${m}","date":"2026-10-0${i + 1}","product_id":"P2","qty":1}`,
    `{"basket_id":"B${i}b","member_id":"${m}","date":"2026-10-1${i + 1}T09:30","product_id":"P3","qty":1,"discount_cents":10}`,
  ]),
  '{"basket_id":"X1","member_id":"M1","date":"2026-10-20","product_id":"P-NOPE","qty":1}',
  '{"basket_id":"X2","member_id":"M404","date":"2026-10-20","product_id":"P1","qty":1}',
].join('\n') + '\n';
const FILES = { 'products.csv': catalogueCsv(), 'members.csv': membersCsv(['M1', 'M2', 'M3', 'M4'], ['S01', 'S02']), 'deals.csv': dealsCsv(), 'baskets-1.ndjson': BASKETS };

describeEachDb('feeds', (getDb) => {
  let hq: Awaited<ReturnType<typeof testHq>>;
  let s1: string;
  let s2: string;
  beforeAll(async () => {
    hq = await testHq(getDb());
    s1 = (await hq.enrol('S01')).token;
    s2 = (await hq.enrol('S02')).token;
  }, 120_000);
  const changes = async (token: string, since = '') => (await hq.json(hq.request('GET', `/v1/changes?since=${since}`, { token }))).body as unknown as ChangeList;

  it('imports with the validators of larder validate, and a re-import changes nothing', async () => {
    const first = await importTexts(getDb(), FILES);
    expect(first.map((s) => [s.kind, s.accepted, s.rejected])).toEqual([['products', 4, 0], ['members', 4, 0], ['deals', 2, 0], ['baskets', 12, 2]]);
    expect(first.every((s) => s.changed > 0)).toBe(true);
    const cursor = (await changes(s1)).cursor;
    const again = await importTexts(getDb(), FILES);
    expect(again.map((s) => s.changed)).toEqual([0, 0, 0, 0]);
    expect((await changes(s1)).cursor).toBe(cursor);
    const [lines] = await getDb().query<{ n: number; qty: number }>('SELECT count(*)::int AS n, sum(qty)::int AS qty FROM basket_lines');
    expect(lines).toEqual({ n: 12, qty: 16 });
    // A changed row is written, and only it.
    const changed = await importTexts(getDb(), { 'products.csv': catalogueCsv().replace('Product 1,', 'Product One,') });
    expect(changed[0]!.changed).toBe(1);
  });

  it('sends every store the campaigns as campaigns.json once they change, and refuses a bad campaigns file whole', async () => {
    const before = await changes(s2);
    const campaign = { id: 'C-FEEDS', name: 'Tea', category: 'pantry/tea', goal: 'grow-category', segments: ['switcher-mid'], offerByTier: { low: 5, mid: 10, high: 15 }, funder: 'store', startDay: 20400, endDay: 20430, holdoutShare: 0.1 };
    await expect(importCampaigns(getDb(), JSON.stringify([{ ...campaign, goal: 'win' }]))).rejects.toThrow(/0\.goal/);
    expect((await changes(s2, before.cursor)).files).toEqual([]);
    expect(await importCampaigns(getDb(), JSON.stringify([campaign]))).toBe(1);
    const set = await changes(s2, before.cursor);
    expect(set.files.map((f) => f.name)).toEqual(['campaigns.json']);
    const file = await hq.request('GET', '/v1/files/campaigns.json', { token: s2 });
    expect(file.headers.get('etag')).toBe(set.files[0]!.etag);
    expect(await file.json()).toEqual([campaign]);
    // The same file again changes nothing and tells no device to fetch it.
    expect(await importCampaigns(getDb(), JSON.stringify([campaign]))).toBe(0);
    expect((await changes(s2, set.cursor)).files).toEqual([]);
    expect((await hq.request('GET', '/v1/files/campaigns.json')).status).toBe(401);
    await getDb().query("DELETE FROM campaigns WHERE campaign_id = 'C-FEEDS'");
  });

  it('sends each store its own members and their baskets, every file with an ETag, small ones with a Content-Length', async () => {
    const set = await changes(s1);
    expect(set.files.map((f) => f.name)).toEqual(['products.ndjson', 'members.ndjson', 'deals.ndjson', 'baskets.ndjson']);
    const file = async (name: string, token = s1, etag?: string) => hq.request('GET', `/v1/files/${name}`, { token, ...(etag ? { headers: { 'if-none-match': etag } } : {}) });
    const members = await file('members.ndjson');
    const text = await members.text();
    expect(text.trim().split('\n').map((l) => JSON.parse(l).member_id)).toEqual(['M1', 'M3']);
    expect(members.headers.get('content-length')).toBe(String(new TextEncoder().encode(text).byteLength));
    expect(members.headers.get('etag')).toBe(set.files[1]!.etag);
    expect((await file('members.ndjson', s1, set.files[1]!.etag)).status).toBe(304);
    // The baskets stream a page of members at a time: no Content-Length, every line whole, the same file whatever the page.
    const streamed = await file('baskets.ndjson');
    expect(streamed.headers.get('content-length')).toBeNull();
    const basketText = await streamed.text();
    expect(basketText.endsWith('\n')).toBe(true);
    let onePerPage = '';
    for await (const piece of feedFileChunks(getDb(), 'baskets', 'S01', 1)) onePerPage += piece;
    expect(onePerPage).toBe(basketText);
    // The database writes each row; the same rows as JavaScript writes them from the columns (no nulls, hh:mm times).
    const raw = await getDb().query<{ basket_id: string; member_id: string; store_id: string | null; day: number; minute: number | null; product_id: string; qty: number; unit_price_cents: number | null; discount_cents: number }>(
      `SELECT b.basket_id, b.member_id, b.store_id, b.day, b.minute, l.product_id, l.qty, l.unit_price_cents, l.discount_cents FROM baskets b JOIN basket_lines l USING (basket_id)
        WHERE b.member_id IN (SELECT member_id FROM members WHERE home_store = 'S01' OR home_store IS NULL) ORDER BY b.member_id, b.day, b.basket_id, l.product_id`);
    const two = (n: number) => String(n).padStart(2, '0');
    const rowOf = (l: (typeof raw)[number]) => Object.fromEntries(Object.entries({
      basket_id: l.basket_id, member_id: l.member_id, date: `${formatDay(l.day)}${l.minute === null ? '' : `T${two(Math.floor(l.minute / 60))}:${two(l.minute % 60)}`}`,
      product_id: l.product_id, qty: l.qty, unit_price_cents: l.unit_price_cents, discount_cents: l.discount_cents, store_id: l.store_id,
    }).filter(([, v]) => v !== null));
    expect(raw.length).toBeGreaterThan(4);
    expect(basketText).toBe(`${raw.map((l) => JSON.stringify(rowOf(l))).join('\n')}\n`);
    const baskets = basketText.trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(baskets.map((b) => b.member_id))).toEqual(new Set(['M1', 'M3']));
    expect(baskets.find((b) => b.basket_id === 'B0b')).toMatchObject({ date: '2026-10-11T09:30', discount_cents: 10 });
    const other = await (await file('members.ndjson', s2)).text();
    expect(other.trim().split('\n').map((l) => JSON.parse(l).member_id)).toEqual(['M2', 'M4']);
    expect((await file('nothing.ndjson')).status).toBe(404);
    expect(await changes(s1, set.cursor)).toEqual({ cursor: set.cursor, files: [], erasures: [] });
    expect((await hq.json(hq.request('GET', '/v1/changes?since=yesterday', { token: s1 })))).toMatchObject({ status: 400, body: { field: 'since' } });
  });

  it('lists a till basket and an erasure at the next contact, to the member\'s store only', async () => {
    const before = (await changes(s1)).cursor;
    const before2 = (await changes(s2)).cursor;
    const basket = { id: 'T1', memberId: 'M1', day: 20400, lines: [{ productId: 'P1', qty: 1, unitPriceCents: 100 }] };
    expect(await hq.json(hq.request('POST', '/v1/baskets', { token: s1, body: basket }))).toEqual({ status: 200, body: { ok: true, replay: false } });
    expect(await hq.json(hq.request('POST', '/v1/baskets', { token: s1, body: basket }))).toEqual({ status: 200, body: { ok: true, replay: true } });
    expect(await hq.json(hq.request('POST', '/v1/baskets', { token: s1, body: { ...basket, day: 20401 } }))).toMatchObject({ status: 409, body: { reason: 'key-reused' } });
    expect((await changes(s1, before)).files.map((f) => f.name)).toEqual(['baskets.ndjson']);
    expect((await changes(s2, before2)).files).toEqual([]);
    expect(await hq.json(hq.request('POST', '/v1/members/M3/erase', { token: s1 }))).toEqual({ status: 200, body: { ok: true, erased: true } });
    expect((await changes(s1, before)).erasures).toEqual(['M3']);
    expect((await changes(s2, before2)).erasures).toEqual([]);
    const rest = await getDb().query("SELECT 1 FROM baskets WHERE member_id = 'M3' UNION ALL SELECT 1 FROM members WHERE member_id = 'M3'");
    expect(rest).toEqual([]);
    const log = (await hq.json(hq.request('GET', '/v1/audit?since=0', { token: s1 }))).body.entries as { action: string; subject: string | null; detail: unknown }[];
    const erasure = log.find((e) => e.action === 'member-erased')!;
    expect(JSON.stringify(erasure)).not.toContain('M3');
  });

  it("fills a device's IndexedDB through worker/hq-feed.ts's own sync", async () => {
    const device = await openStore(`hq-feeds-${Math.random()}`);
    let state: Promise<ImportState> | undefined;
    const doFetch = ((url: string, init?: RequestInit) => hq.app.request(String(url).replace('http://hq.test', ''), { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${s1}` } })) as typeof fetch;
    const run = () => syncFeeds(device, () => (state ??= loadImportState(device)), { baseUrl: 'http://hq.test/v1', fetch: doFetch, sleep: async () => {} });
    const first = await run();
    expect(first.ok && first.value.files.map((f) => [f.name, f.outcome, f.rejected])).toEqual([
      ['products.ndjson', 'imported', 0], ['members.ndjson', 'imported', 0], ['deals.ndjson', 'imported', 0], ['baskets.ndjson', 'imported', 0],
    ]);
    expect((await device.getAll('packs')).map((p) => p.member).map((m) => m.id)).toEqual(['M1']);
    expect((await device.getAll('products')).length).toBe(4);
    const second = await run();
    expect(second.ok && second.value.files).toEqual([]);
  });
});
