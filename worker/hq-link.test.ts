import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createEngine } from './engine-api.ts';
import { openStore } from './store.ts';
import { PIN_LOCK_MS } from './hq-link.ts';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';
import { CARDS, serveStore, TEST_STORE } from '../test/mocks/handlers.ts';

const TEST_STORE_CARD = CARDS.olivia;
import { loadDemo } from '../hq/demo-data.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { parseDay } from '../core/dates.ts';

// The device side of enrolment against the real headquarters in process: one store per device, the store's key ring
// and manager PIN from headquarters, the PIN's lock kept across reloads.

const server = useMockServer();
const BASE = 'http://hq.test/hq';
let hq: InProcessHq;
beforeAll(async () => { hq = await inProcessHq(BASE); }, 60_000);
afterAll(async () => { await hq?.close(); });

let clock = Date.parse('2026-03-02T09:00:00Z');
const device = (dbName = `link-${Math.random()}`) => ({ dbName, engine: createEngine({ dbName, clock: () => clock, outbox: { baseDelayMs: 5, retryDelayMs: 1 } }) });

describe('enrolment', () => {
  it('enrols with a one-time code, keeps the token and the store, and refuses the code a second time', async () => {
    server.use(hq.handler);
    const code = await hq.enrolmentCode('S01');
    const { engine, dbName } = device();
    expect(await engine.deviceLink()).toEqual({ enrolled: false, keyRing: false, pin: false });
    const r = await engine.enrolDevice(BASE, code);
    expect(r).toMatchObject({ ok: true, value: { link: { enrolled: true, storeId: 'S01', keyRing: true, pin: false }, wiped: false } });
    // The token is in the worker's meta, never in what a page sees.
    const d = await openStore(dbName);
    const link = await d.get('meta', 'hq:link') as { deviceToken: string; storeId: string };
    d.close();
    expect(link.deviceToken).toMatch(/^\S+$/);
    expect(JSON.stringify(await engine.deviceLink())).not.toContain(link.deviceToken);
    // The same code on another device: refused, in words for the manager.
    expect(await device().engine.enrolDevice(BASE, code)).toMatchObject({ ok: false, error: 'bad-code' });
    expect(await device().engine.enrolDevice(BASE, 'NOPE-NOPE-NOPE')).toMatchObject({ ok: false, error: 'bad-code' });
  });

  it('says offline when headquarters cannot be reached, and the code stays usable', async () => {
    const code = await hq.enrolmentCode('S01');
    server.use(http.all(`${BASE}/*`, () => HttpResponse.error()));
    const { engine } = device();
    expect(await engine.enrolDevice(BASE, code)).toMatchObject({ ok: false, error: 'offline' });
    server.resetHandlers(hq.handler);
    expect(await engine.enrolDevice(BASE, code)).toMatchObject({ ok: true });
  });

  it('belongs to one store: a second enrolment is asked for, and another store replaces the data, never merges', async () => {
    server.use(hq.handler);
    const { engine } = device();
    expect(await engine.enrolDevice(BASE, await hq.enrolmentCode('S01'))).toMatchObject({ ok: true });
    await engine.importText('products.csv', TEST_STORE['products.csv']!);
    expect((await engine.status()).products).toBe(3);
    const other = await hq.enrolmentCode('S02');
    // Not asked: refused before the code is spent.
    expect(await engine.enrolDevice(BASE, other)).toMatchObject({ ok: false, error: 'already-enrolled', detail: 'S01' });
    // The demo's feed folder never loads into a device that holds a store.
    expect(await engine.loadDemo('http://hq.test/demo/')).toMatchObject({ ok: false, error: 'device-has-store' });
    const replaced = await engine.enrolDevice(BASE, other, { replace: true });
    expect(replaced).toMatchObject({ ok: true, value: { link: { storeId: 'S02', keyRing: true }, wiped: true } });
    expect((await engine.status()).products).toBe(0);
  });
});

describe('the store key ring and the PIN from headquarters', () => {
  it('signs lists at one till that every till of the store verifies, also after a rotation', async () => {
    server.use(hq.handler);
    const [a, b] = [device(), device()];
    for (const t of [a, b]) expect(await t.engine.enrolDevice(BASE, await hq.enrolmentCode('S03'))).toMatchObject({ ok: true });
    const dA = await openStore(a.dbName), dB = await openStore(b.dbName);
    const ringA = await dA.get('meta', 'listKeys') as { current: number; keys: Record<number, Uint8Array> };
    const ringB = await dB.get('meta', 'listKeys') as typeof ringA;
    expect(ringA.current).toBe(ringB.current);
    expect([...ringA.keys[ringA.current]!]).toEqual([...ringB.keys[ringB.current]!]);
    dA.close();
    dB.close();
    // A store's ring rotated at headquarters: the new key signs, the old one still verifies.
    const rotated = await hq.json(hq.request('POST', '/v1/admin/stores/S03/keys/rotate', { token: hq.adminKey }));
    expect(rotated.status).toBe(200);
    expect(await b.engine.refreshDeviceLink()).toMatchObject({ ok: true });
    const dB2 = await openStore(b.dbName);
    const after = await dB2.get('meta', 'listKeys') as typeof ringA;
    dB2.close();
    expect(after.current).not.toBe(ringA.current);
    expect([...after.keys[ringA.current]!]).toEqual([...ringA.keys[ringA.current]!]);
  });

  it('opens with the PIN headquarters set, locks after five wrong tries for five minutes, across reloads', async () => {
    server.use(hq.handler);
    const { engine, dbName } = device();
    await engine.enrolDevice(BASE, await hq.enrolmentCode('S04'));
    // No PIN at headquarters: none on the device, no default.
    expect(await engine.checkManagerPin('2468')).toMatchObject({ ok: false, error: 'no-pin' });
    expect(await engine.checkManagerPin('1234')).toMatchObject({ ok: false, error: 'no-pin' });
    await hq.setPin('S04', '8642');
    expect(await engine.refreshDeviceLink()).toMatchObject({ ok: true, value: { pin: true } });
    // Offline from here on: the check is the device's own.
    server.resetHandlers(http.all(`${BASE}/*`, () => HttpResponse.error()));
    expect(await engine.checkManagerPin('8642')).toEqual({ ok: true, value: { opened: true } });
    for (let i = 1; i <= 4; i++) expect(await engine.checkManagerPin('0000')).toMatchObject({ ok: false, error: 'wrong-pin', detail: String(5 - i) });
    expect(await engine.checkManagerPin('0000')).toMatchObject({ ok: false, error: 'locked' });
    // Locked: even the right PIN is refused, and a reload (a new engine on the same database) keeps the lock.
    expect(await engine.checkManagerPin('8642')).toMatchObject({ ok: false, error: 'locked' });
    const reloaded = createEngine({ dbName, clock: () => clock });
    expect(await reloaded.managerPinState()).toMatchObject({ pinSet: true, lockedUntil: clock + PIN_LOCK_MS });
    expect(await reloaded.checkManagerPin('8642')).toMatchObject({ ok: false, error: 'locked' });
    clock += PIN_LOCK_MS;
    expect(await reloaded.checkManagerPin('8642')).toEqual({ ok: true, value: { opened: true } });
    expect(await reloaded.managerPinState()).toEqual({ pinSet: true, triesLeft: 5 });
  });

  it('refuses another store\'s token (403) and no token (401) at the key ring and the PIN', async () => {
    server.use(hq.handler);
    const { token } = await hq.enrol('S05');
    for (const path of ['/v1/stores/S06/keys', '/v1/stores/S06/pin']) {
      expect((await hq.request('GET', path)).status).toBe(401);
      expect((await hq.request('GET', path, { token })).status).toBe(403);
    }
  });
});

describe('the demo kiosk', () => {
  const DEMO = 'http://demo-hq.test/hq';
  let demo: InProcessHq;
  beforeAll(async () => { demo = await inProcessHq(DEMO, { demo: true }); }, 60_000);
  afterAll(async () => { await demo?.close(); });

  it('enrols itself only at a --demo headquarters, through an ordinary one-time code', async () => {
    server.use(hq.handler, demo.handler);
    // A real headquarters has no demo route: nothing is enrolled.
    const real = device();
    expect(await real.engine.enrolDemo(BASE)).toMatchObject({ ok: false, error: 'not-demo' });
    expect(await real.engine.deviceLink()).toMatchObject({ enrolled: false });
    const { engine } = device();
    const r = await engine.enrolDemo(DEMO);
    expect(r).toMatchObject({ ok: true, value: { link: { enrolled: true, storeId: 'S01', demo: true, keyRing: true } } });
    // The code went through the real enrolment route, once.
    expect(demo.seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual(expect.arrayContaining(['POST /v1/demo/enrollment 201', 'POST /v1/devices/enroll 201']));
    // Starting again does not enrol twice.
    const seen = demo.seen.length;
    expect(await engine.enrolDemo(DEMO)).toMatchObject({ ok: true });
    expect(demo.seen.length).toBe(seen);
  });

  it("takes the demo's day from headquarters and syncs only the demo store's members", async () => {
    server.use(demo.handler);
    const store = generateDemoStore({ members: 30, days: 60, endDate: '2026-11-22' });
    await loadDemo(demo.db, () => store);
    const last = Math.max(...store.baskets.filter((b) => b.storeId === 'S01').map((b) => b.day));
    const { engine, dbName } = device();
    expect(await engine.enrolDemo(DEMO)).toMatchObject({ ok: true });
    // The kiosk's clock is the demo's day, not the real date (the test's clock is in March).
    expect(await engine.today()).toBe(last + 1);
    expect(last + 1).toBeGreaterThan(parseDay('2026-11-01')!);
    const synced = await engine.syncFromHeadquarters();
    expect(synced).toMatchObject({ ok: true });
    const d = await openStore(dbName);
    const held = new Set((await d.getAll('packs')).map((p) => p.member).map((m) => m.id));
    // The chain's campaigns come with the sync (campaigns.json): the kiosk's lists and its manager screen need them.
    const campaigns = (await d.getAll('campaigns')).map((c) => c.id);
    d.close();
    expect(campaigns.sort()).toEqual(store.campaigns.map((c) => c.id).sort());
    expect(campaigns.length).toBeGreaterThan(0);
    const ours = store.members.filter((m) => m.homeStore === 'S01' || m.homeStore === undefined);
    const others = store.members.filter((m) => m.homeStore !== undefined && m.homeStore !== 'S01');
    expect(others.length).toBeGreaterThan(0);
    expect([...held].sort()).toEqual(ours.map((m) => m.id).sort());
    // A reset (to start again from headquarters) keeps the demo's day.
    expect(await engine.resetDevice()).toMatchObject({ ok: true });
    expect(await engine.today()).toBe(last + 1);
  }, 120_000);

  it("erases what the old public demo folder put on a demo kiosk before its first sync, so it holds only its store's", async () => {
    server.use(demo.handler, ...serveStore('old-demo', TEST_STORE));
    await loadDemo(demo.db, () => generateDemoStore({ members: 30, days: 60, endDate: '2026-11-22' }));
    const { engine, dbName } = device();
    expect(await engine.enrolDemo(DEMO)).toMatchObject({ ok: true });
    // What the demo kiosk did until now: load a folder of every store's members.
    expect(await engine.loadDemo('http://demo-hq.test/old-demo/')).toMatchObject({ ok: true });
    expect(await engine.findMember(TEST_STORE_CARD)).toMatchObject({ ok: true });
    expect(await engine.syncFromHeadquarters()).toMatchObject({ ok: true });
    expect(await engine.findMember(TEST_STORE_CARD)).toMatchObject({ ok: false, error: 'unknown-card' });
    const d = await openStore(dbName);
    const ids = (await d.getAll('packs')).map((p) => p.member).map((m) => m.id);
    const folder = await d.get('meta', 'demoLoaded');
    d.close();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => id.startsWith('T-'))).toEqual([]);
    expect(folder).toBeUndefined();
  }, 120_000);
});
