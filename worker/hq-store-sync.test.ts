import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createEngine } from './engine-api.ts';
import { openStore } from './store.ts';
import { getMeta } from './meta.ts';
import { historyOf, reindexPack } from './packs.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { loadDemo } from '../hq/demo-data.ts';
import { importTexts } from '../hq/test-support/fixtures.ts';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';
import type { PackChangesWire } from '../protocol/packs.ts';

// An enrolled kiosk takes its store from headquarters as the store model and its own store's member packs (DESIGN.md
// "Who holds what"), never as feed files: the real headquarters in process, disturbed by MSW.

const server = useMockServer();
const BASE = 'http://hq.test/hq';
const STORE = 'S01';
const demo = generateDemoStore({ members: 60, days: 120, endDate: '2026-11-22' });
const ours = demo.members.filter((m) => m.homeStore === STORE);
const shopper = ours.find((m) => m.consent.personalise && demo.baskets.filter((b) => b.memberId === m.id).length >= 6)!;
let hq: InProcessHq;

beforeAll(async () => {
  hq = await inProcessHq(BASE, { serveStalePacks: false }); // each request sees the packs of the data as it is
  await loadDemo(hq.db, () => demo);
}, 120_000);
afterAll(async () => { await hq?.close(); });

async function kiosk(options: Parameters<typeof createEngine>[0] = {}) {
  const dbName = `store-sync-${Math.random()}`;
  const engine = createEngine({ dbName, today: () => 20_780, outbox: { baseDelayMs: 5, maxDelayMs: 20, retryDelayMs: 1, attemptsPerDrain: 1 }, ...options });
  const enrolled = await engine.enrolDevice(BASE, await hq.enrolmentCode(STORE));
  if (!enrolled.ok) throw new Error(enrolled.error);
  return { engine, dbName };
}

/** A pack's history as product ids per basket: comparable across catalogues. */
const basketsOf = (products: { id: string; idx: number }[], pack: Parameters<typeof historyOf>[0]) => {
  const byIdx = new Map(products.map((p) => [p.idx, p.id]));
  const h = historyOf(pack);
  if (!h) return [];
  return h.basketIds.map((id, b) => [id, Array.from(h.products.subarray(h.lineStart[b]!, h.lineStart[b + 1]!), (i) => byIdx.get(i)).sort()]);
};

describe('an enrolled kiosk syncs its store from headquarters', () => {
  it("takes the store model and its own store's packs, no feed file; its lists rank with headquarters' model and each pack's neighbour term", async () => {
    server.use(hq.handler);
    const { engine, dbName } = await kiosk();
    const from = hq.seen.length;
    const first = await engine.syncFromHeadquarters();
    expect(first).toMatchObject({ ok: true, value: { model: 'new', packs: ours.length, erased: 0, changed: true } });
    const asked = hq.seen.slice(from).map((r) => r.path);
    expect(asked.every((p) => p === `/v1/stores/${STORE}/model` || p === `/v1/stores/${STORE}/packs`)).toBe(true);
    expect(asked.some((p) => p.startsWith('/v1/changes') || p.startsWith('/v1/files'))).toBe(false);

    const served = await hq.json(hq.request('GET', `/v1/stores/${STORE}/model`));
    const wire = served.body as { etag: string; catalogue: { ids: string[] }; scorer: { params: unknown } };
    const d = await openStore(dbName);
    const products = await d.getAll('products');
    expect(products.sort((a, b) => a.idx - b.idx).map((p) => p.id)).toEqual(wire.catalogue.ids);
    const packs = await d.getAll('packs');
    expect(packs.map((p) => p.id).sort()).toEqual(ours.map((m) => m.id).sort());
    expect(packs.every((p) => p.member.homeStore === STORE && p.etag)).toBe(true);
    // No demographics on the kiosk: a first name at most.
    expect(packs.some((p) => 'birthYear' in p.member || 'gender' in p.member || 'householdSize' in p.member)).toBe(false);
    const withTerm = packs.filter((p) => p.neighbour);
    expect(withTerm.length).toBeGreaterThan(0);
    expect(withTerm.every((p) => p.neighbour!.neighbours >= 10)).toBe(true);
    expect((await getMeta(d, 'hq:storeModel'))).toMatchObject({ storeId: STORE, etag: wire.etag, model: { params: wire.scorer.params } });
    // The shopper's history is the one headquarters holds, basket for basket.
    const theirs = demo.baskets.filter((b) => b.memberId === shopper.id).map((b) => b.id).sort();
    expect([...historyOf(packs.find((p) => p.id === shopper.id))!.basketIds].sort()).toEqual(theirs);

    const list = await engine.listFor(shopper.id);
    expect(list.ok && list.value.personalised).toBe(true);
    await engine.settled();
    // Ranked with headquarters' model: nothing was built or fitted here.
    expect(await getMeta(d, 'storeModel')).toBeUndefined();
    d.close();

    const second = await engine.syncFromHeadquarters();
    expect(second).toMatchObject({ ok: true, value: { model: 'not-modified', packs: 0, erased: 0, changed: false } });
    expect(hq.seen.at(-2)).toMatchObject({ path: `/v1/stores/${STORE}/model`, status: 304 });
  }, 120_000);

  it("keeps a till basket headquarters has not received yet when a newer pack of that member arrives", async () => {
    server.use(hq.handler);
    const { engine, dbName } = await kiosk();
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    // The till's baskets and redemptions cannot reach headquarters; the rest of it answers.
    server.use(http.post(`${BASE}/v1/baskets`, () => new HttpResponse(null, { status: 503 })), http.post(`${BASE}/v1/redemptions`, () => new HttpResponse(null, { status: 503 })));
    const card = ours.find((m) => m.id === shopper.id)!.cardCode;
    const done = await engine.checkout({ code: card, basketId: 'TILL-1', lines: [{ productId: demo.products[0]!.id, qty: 1 }] });
    expect(done.ok).toBe(true);
    // Meanwhile headquarters takes a web-shop basket of the same member: their pack changes there.
    const web = await importTexts(hq.db, { 'baskets.csv': `basket_id,member_id,store_id,date,product_id,qty,unit_price_cents\nWEB-1,${shopper.id},${STORE},2026-11-21T10:00:00Z,${demo.products[1]!.id},2,150\n` });
    expect(web[0]).toMatchObject({ accepted: 1, rejected: 0 });
    const synced = await engine.syncFromHeadquarters();
    // (The member's pack, and those whose neighbour term the new basket moved.)
    expect(synced.ok && 'packs' in synced.value && synced.value.packs).toBeGreaterThan(0);
    const d = await openStore(dbName);
    const ids = historyOf(await d.get('packs', shopper.id))!.basketIds;
    d.close();
    expect(ids).toContain('WEB-1');
    expect(ids).toContain('TILL-1');
    expect((await engine.outboxStatus()).unsynced).toBeGreaterThan(0);
  }, 120_000);

  it('sends a consent withdrawn at the kiosk to headquarters, and no newer pack brings the history back meanwhile', async () => {
    server.use(hq.handler);
    const { engine, dbName } = await kiosk();
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const member = ours.find((m) => m.consent.personalise && m.id !== shopper.id && demo.baskets.some((b) => b.memberId === m.id))!;
    // Headquarters cannot take the change yet.
    server.use(http.post(`${BASE}/v1/consents`, () => new HttpResponse(null, { status: 503 })));
    expect(await engine.setConsent(member.id, false)).toMatchObject({ ok: true, value: { erased: true } });
    // Meanwhile headquarters takes a basket of that member: their pack there changes, with their history in it.
    await importTexts(hq.db, { 'baskets.csv': `basket_id,member_id,store_id,date,product_id,qty\nWEB-C,${member.id},${STORE},2026-11-21,${demo.products[2]!.id},1\n` });
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const d = await openStore(dbName);
    let pack = (await d.get('packs', member.id))!;
    expect(pack.member.consent.personalise).toBe(false);
    expect(pack.history).toBeUndefined();
    expect(pack.neighbour).toBeUndefined();
    // Headquarters answers again: the outbox delivers the change, and headquarters' pack says the same from then on.
    server.resetHandlers(hq.handler);
    await engine.syncOutbox();
    expect((await engine.outboxStatus()).unsynced).toBe(0);
    const [row] = await hq.rows<{ data: { consent: { personalise: boolean } } }>('SELECT data FROM members WHERE member_id = $1', [member.id]);
    expect(row!.data.consent.personalise).toBe(false);
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    pack = (await d.get('packs', member.id))!;
    d.close();
    expect(pack.member.consent.personalise).toBe(false);
    expect(pack.history).toBeUndefined();
    const list = await engine.listFor(member.id);
    expect(list.ok && list.value.personalised).toBe(false);
  }, 120_000);

  it("sends a control set at the kiosk to headquarters, where the member's pack then carries it", async () => {
    server.use(hq.handler);
    const { engine, dbName } = await kiosk();
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const product = demo.products[3]!.id;
    server.use(http.post(`${BASE}/v1/controls`, () => new HttpResponse(null, { status: 503 })));
    expect((await engine.setItemControl(shopper.id, product, 'not-for-me')).ok).toBe(true);
    // A newer pack while headquarters cannot take it: the control stands.
    await importTexts(hq.db, { 'baskets.csv': `basket_id,member_id,store_id,date,product_id,qty\nWEB-N,${shopper.id},${STORE},2026-11-22,${demo.products[4]!.id},1\n` });
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const d = await openStore(dbName);
    expect((await d.get('packs', shopper.id))!.controls?.notForMe).toHaveProperty(product);
    server.resetHandlers(hq.handler);
    await engine.syncOutbox();
    expect((await engine.outboxStatus()).unsynced).toBe(0);
    // Headquarters keeps it: the pack a signed-in shopper's browser would get carries it.
    const pack = await hq.json(hq.request('GET', '/v1/members/me/pack', { token: await hq.memberToken(shopper.id) }));
    expect((pack.body as { controls: { productId: string; kind: string }[] }).controls).toContainEqual({ productId: product, kind: 'not-for-me' });
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    expect((await d.get('packs', shopper.id))!.controls?.notForMe).toHaveProperty(product);
    d.close();
  }, 120_000);

  it('pages through the packs while headquarters says there are more', async () => {
    // Headquarters' answer cut into pages of five, each with its own cursor, as a large store's first sync is.
    server.use(http.get(`${BASE}/v1/stores/${STORE}/packs`, async ({ request }) => {
      const since = new URL(request.url).searchParams.get('since') ?? '';
      const whole = (await hq.json(hq.request('GET', `/v1/stores/${STORE}/packs?since=`, { token: await deviceToken() }))).body as PackChangesWire;
      const at = since.startsWith('page') ? Number(since.slice(4)) : 0;
      const packs = whole.packs.slice(at, at + 5);
      return HttpResponse.json({ ...whole, packs, cursor: `page${at + packs.length}`, more: at + 5 < whole.packs.length });
    }), hq.handler);
    const { engine, dbName } = await kiosk();
    const synced = await engine.syncFromHeadquarters();
    expect(synced).toMatchObject({ ok: true, value: { packs: ours.length, cursor: `page${ours.length}` } });
    const d = await openStore(dbName);
    expect(await d.count('packs')).toBe(ours.length);
    d.close();
  }, 120_000);

  it('retries an outage and a body cut short; refuses a web page and another store\'s model, keeping what it had', async () => {
    server.use(hq.handler);
    const { engine, dbName } = await kiosk();
    let faults = 0;
    server.use(http.get(`${BASE}/v1/stores/${STORE}/model`, async () => {
      faults++;
      if (faults === 1) return new HttpResponse(null, { status: 503 });
      if (faults === 2) return new HttpResponse('{"format":"larder-store-mo', { status: 200, headers: { 'content-type': 'application/json' } });
      return undefined; // passes through to headquarters
    }));
    const synced = await engine.syncFromHeadquarters();
    expect(synced.ok).toBe(true);
    expect(faults).toBe(3);
    const before = await openStore(dbName);
    const [packs, model] = [await before.count('packs'), await getMeta(before, 'hq:storeModel')];
    before.close();
    expect(packs).toBe(ours.length);

    server.resetHandlers(http.get(`${BASE}/v1/stores/${STORE}/model`, () => new HttpResponse('<html>Sign in to the Wi-Fi</html>', { status: 200, headers: { 'content-type': 'text/html' } })), hq.handler);
    const page = await engine.syncFromHeadquarters();
    expect(page).toMatchObject({ ok: false, error: 'bad-response' });
    expect((await engine.feedSyncStatus()).error).toMatch(/web page/);

    const other = (await hq.json(hq.request('GET', '/v1/stores/S02/model'))).body as Record<string, unknown>;
    server.resetHandlers(http.get(`${BASE}/v1/stores/${STORE}/model`, () => HttpResponse.json(other)), hq.handler);
    expect(await engine.syncFromHeadquarters()).toMatchObject({ ok: false, error: 'bad-response' });
    expect((await engine.feedSyncStatus()).error).toMatch(/S02/);

    const after = await openStore(dbName);
    expect(await after.count('packs')).toBe(packs);
    expect((await getMeta(after, 'hq:storeModel'))?.etag).toBe(model?.etag);
    after.close();
    // A feed file picked on this kiosk is refused: its data comes from headquarters.
    expect(await engine.importText('baskets.csv', 'basket_id,member_id,date,product_id,qty\n')).toMatchObject({ ok: false, error: 'device-has-store' });
  }, 120_000);

  it("moves every stored history to a new model's product positions, and erases a member headquarters erased", async () => {
    server.use(hq.handler);
    const { engine, dbName } = await kiosk();
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const d = await openStore(dbName);
    const before = basketsOf(await d.getAll('products'), await d.get('packs', shopper.id));
    // A product whose id sorts first: every product's position in the new model moves by one.
    await importTexts(hq.db, { 'products.csv': 'product_id,name,category,brand,brand_type,price_cents\nA0001,Oat milk,dairy/milk,Oatly,national,229\n' });
    const other = ours.find((m) => m.id !== shopper.id)!;
    expect((await hq.request('DELETE', '/v1/members/me', { token: await hq.memberToken(other.id) })).status).toBe(200);
    const synced = await engine.syncFromHeadquarters();
    expect(synced).toMatchObject({ ok: true, value: { model: 'new', erased: 1 } });
    const products = await d.getAll('products');
    expect(products.find((p) => p.id === 'A0001')?.idx).toBe(0);
    expect(basketsOf(products, await d.get('packs', shopper.id))).toEqual(before);
    expect(await d.get('packs', other.id)).toBeUndefined();
    expect(await engine.findMember(other.cardCode)).toMatchObject({ ok: false, error: 'unknown-card' });
    d.close();
    expect((await engine.listFor(shopper.id)).ok).toBe(true);
  }, 120_000);
});

describe("a synced kiosk's manager screen", () => {
  it("shows the store's visits and spend over every member from headquarters, and its own consenting members' offline", async () => {
    server.use(hq.handler);
    const { engine } = await kiosk();
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const ids = new Set(ours.map((m) => m.id));
    const consenting = new Set(ours.filter((m) => m.consent.personalise).map((m) => m.id));
    expect(consenting.size).toBeLessThan(ids.size); // else the two answers cannot differ
    const online = await engine.insights();
    expect(online.patternsFrom).toBe('headquarters');
    // Headquarters' baskets of the store's members (the web basket an earlier test added among them).
    const atHq = (await hq.rows<{ n: number }>('SELECT count(*)::int AS n FROM baskets b JOIN members m USING (member_id) WHERE m.home_store = $1', [STORE]))[0]!.n;
    expect(online.patterns.baskets).toBe(atHq);
    expect(online.patterns.byAgeBand.some((b) => b.label !== 'unknown' && (b.members > 0 || b.suppressed))).toBe(true);
    server.resetHandlers(http.get(`${BASE}/v1/reports/patterns`, () => HttpResponse.error()), hq.handler);
    const offline = await engine.insights();
    expect(offline).toMatchObject({ patternsFrom: 'device', patternsFallback: 'unreachable' });
    // The kiosk holds baskets only of members who consent, and no member's age.
    expect(offline.patterns.baskets).toBeLessThan(online.patterns.baskets);
    expect(offline.patterns.byAgeBand.filter((b) => b.members > 0).map((b) => b.label)).toEqual(['unknown']);
  }, 120_000);
});

describe('reindexPack', () => {
  it('moves history lines and neighbour items to new positions and drops those of a product gone', () => {
    const pack = {
      id: 'M1', member: { id: 'M1', cardCode: '4006381333931', consent: { personalise: true, contact: false } },
      history: { memberId: 'M1', basketIds: ['B1', 'B2'], days: Uint16Array.of(1, 5), minutes: Uint16Array.of(0, 0), lineStart: Uint8Array.of(0, 2, 3), products: Uint8Array.of(0, 2, 1), qty: Uint8Array.of(1, 2, 3), priceCents: Uint16Array.of(10, 20, 30) },
      neighbour: { items: Int32Array.of(1, 2), values: Float32Array.of(0.5, 0.25), neighbours: 10 },
    };
    const moved = reindexPack(pack, Int32Array.of(1, -1, 0));
    const h = historyOf(moved)!;
    expect(Array.from(h.products)).toEqual([1, 0]);
    expect(Array.from(h.lineStart)).toEqual([0, 2, 2]);
    expect(Array.from(h.qty)).toEqual([1, 2]);
    expect(Array.from(moved.neighbour!.items)).toEqual([0]);
    expect(Array.from(moved.neighbour!.values)).toEqual([0.25]);
  });
});

/** A device token of the store, for the test's own requests behind the paging handler. */
let token: string | undefined;
async function deviceToken(): Promise<string> {
  if (token) return token;
  const enrolled = await hq.json(hq.request('POST', '/v1/devices/enroll', { body: { code: await hq.enrolmentCode(STORE) } }));
  return (token = String((enrolled.body as { deviceToken: string }).deviceToken));
}
