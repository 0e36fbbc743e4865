import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createEngine } from './engine-api.ts';
import { catalogueCsv, dealsCsv, importTexts, membersCsv } from '../hq/test-support/fixtures.ts';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';

// The engine and the real headquarters in process: feeds come from headquarters with the device token, an erasure
// there reaches the device at its next sync, and the outbox drains by itself once the network is back.

const server = useMockServer();
const BASE = 'http://hq.test/hq';
let hq: InProcessHq;
const STORE = 'S07';
const members = membersCsv(['E1', 'E2'], [STORE]);
const card = (id: string) => members.split('\n').find((l) => l.startsWith(`${id},`))!.split(',')[1]!;
beforeAll(async () => {
  hq = await inProcessHq(BASE);
  await importTexts(hq.db, { 'products.csv': catalogueCsv(), 'members.csv': members, 'deals.csv': dealsCsv() });
}, 60_000);
afterAll(async () => { await hq?.close(); });

async function device() {
  const engine = createEngine({ dbName: `hq-engine-${Math.random()}`, outbox: { baseDelayMs: 5, maxDelayMs: 20, retryDelayMs: 1, attemptsPerDrain: 1 } });
  const r = await engine.enrolDevice(BASE, await hq.enrolmentCode(STORE));
  if (!r.ok) throw new Error(r.error);
  return engine;
}

describe('feeds from headquarters', () => {
  it('syncs with the device token, and erases on the device a member headquarters erased', async () => {
    server.use(hq.handler);
    const engine = await device();
    const first = await engine.syncFromHeadquarters();
    expect(first).toMatchObject({ ok: true, value: { changed: true, erased: 0 } });
    expect((await engine.status()).members).toBe(2);
    expect(hq.seen.filter((r) => r.path.startsWith('/v1/changes') || r.path.startsWith('/v1/files/')).every((r) => r.status === 200 || r.status === 304)).toBe(true);
    // The member erases themselves at headquarters (DELETE /v1/members/me with their own token).
    const gone = await hq.request('DELETE', '/v1/members/me', { token: await hq.memberToken('E1') });
    expect(gone.status).toBe(200);
    const next = await engine.syncFromHeadquarters();
    expect(next).toMatchObject({ ok: true, value: { erased: 1, changed: true } });
    expect((await engine.status()).members).toBe(1);
    expect(await engine.findMember(card('E1'))).toMatchObject({ ok: false, error: 'unknown-card' });
    expect(await engine.findMember(card('E2'))).toMatchObject({ ok: true });
  });

  it('is refused without enrolment, and headquarters refuses a feed request without a token', async () => {
    const engine = createEngine({ dbName: `hq-engine-none-${Math.random()}` });
    expect(await engine.syncFromHeadquarters()).toMatchObject({ ok: false, error: 'not-enrolled' });
    expect((await hq.request('GET', '/v1/changes?since=')).status).toBe(401);
  });
});

describe('the engine syncs by itself during the day', () => {
  /** Poll the device until `probe` holds (5 s at most): what a person at the kiosk would see. */
  async function eventually(probe: () => Promise<boolean>) {
    for (let i = 0; i < 200 && !(await probe()); i++) await new Promise((r) => setTimeout(r, 25));
    return probe();
  }

  it('brings a member enrolled at headquarters after the morning sync to this kiosk without anyone asking', async () => {
    server.use(hq.handler);
    const engine = createEngine({ dbName: `hq-engine-day-${Math.random()}`, feedSync: { everyMs: 40, retryBaseMs: 10 } });
    expect((await engine.enrolDevice(BASE, await hq.enrolmentCode(STORE))).ok).toBe(true);
    expect(await engine.syncFromHeadquarters()).toMatchObject({ ok: true });
    const before = (await engine.status()).members;
    expect((await engine.feedSyncStatus()).nextAt).toBeGreaterThan(Date.now() - 1000);
    const later = membersCsv(['E9'], [STORE]);
    await importTexts(hq.db, { 'members.csv': later });
    const e9 = later.split('\n').find((l) => l.startsWith('E9,'))!.split(',')[1]!;
    expect(await eventually(async () => (await engine.findMember(e9)).ok)).toBe(true);
    expect((await engine.status()).members).toBe(before + 1);
  });

  it('tries again sooner after headquarters did not answer, and catches up once it does', async () => {
    server.use(hq.handler);
    const engine = createEngine({ dbName: `hq-engine-down-${Math.random()}`, feedSync: { everyMs: 60_000, retryBaseMs: 10 } });
    expect((await engine.enrolDevice(BASE, await hq.enrolmentCode(STORE))).ok).toBe(true);
    server.resetHandlers(http.all(`${BASE}/*`, () => HttpResponse.error()));
    expect(await engine.syncFromHeadquarters()).toMatchObject({ ok: false });
    // The next try is planned well before the period: a failed sync is not left for 60 s.
    expect((await engine.feedSyncStatus()).nextAt!).toBeLessThan(Date.now() + 30_000);
    server.resetHandlers(hq.handler);
    expect(await eventually(async () => (await engine.status()).members > 0)).toBe(true);
  });

  it('plans nothing on a device that is not enrolled', async () => {
    const engine = createEngine({ dbName: `hq-engine-alone-${Math.random()}`, feedSync: { everyMs: 10 } });
    expect(await engine.syncFromHeadquarters()).toMatchObject({ ok: false, error: 'not-enrolled' });
    expect((await engine.feedSyncStatus()).nextAt).toBeUndefined();
  });
});

describe('the engine owns the outbox', () => {
  it('keeps a checkout queued while headquarters is unreachable and sends it by itself once it is back', async () => {
    server.use(hq.handler);
    const engine = await device();
    await engine.syncFromHeadquarters();
    server.resetHandlers(http.all(`${BASE}/*`, () => HttpResponse.error()));
    const done = await engine.checkout({ code: card('E2'), basketId: 'auto-1', lines: [{ productId: 'P1', qty: 2 }, { productId: 'P2', qty: 1 }] });
    expect(done.ok).toBe(true);
    const queued = await engine.outboxStatus();
    expect(queued.unsynced).toBeGreaterThan(0);
    // Nobody calls syncOutbox: the engine's own retries reach headquarters when it answers again.
    server.resetHandlers(hq.handler);
    let status = queued;
    for (let i = 0; i < 200 && status.unsynced > 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await engine.outboxStatus();
    }
    expect(status).toMatchObject({ unsynced: 0, conflicts: 0, enrolled: true });
    const basket = await hq.rows('SELECT basket_id FROM baskets WHERE basket_id = $1', ['auto-1']);
    expect(basket).toHaveLength(1);
  });
});
