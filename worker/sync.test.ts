import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse, delay } from 'msw';
import fc from 'fast-check';
import { openStore, type LarderDB } from './store.ts';
import { drainOutbox, outboxRecord, unsyncedCount, type SyncOptions } from './sync.ts';
import type { KeyRingWire } from '../protocol/devices.ts';
import { signedCode } from '../hq/test-support/fixtures.ts';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';

// The outbox against the real headquarters in process (hq/app.ts on PGlite): MSW sits in front of it and drops
// requests, answers 5xx, cuts bodies and loses answers; nothing is lost and nothing is counted twice.

const server = useMockServer();
const BASE = 'http://hq.test/hq';
let hq: InProcessHq;
let token: string;
let ring: KeyRingWire;
beforeAll(async () => {
  hq = await inProcessHq(BASE);
  ({ token } = await hq.enrol('S01'));
  ring = (await hq.json(hq.request('GET', '/v1/stores/S01/keys', { token }))).body as unknown as KeyRingWire;
}, 60_000);
afterAll(async () => { await hq?.close(); });

let serial = 0;
let dbNo = 0;
/** A device database whose outbox holds `n` redemptions of lists printed offline at a till of S01. */
async function aStoreWith(n: number): Promise<{ db: LarderDB; ids: string[] }> {
  const db = await openStore(`sync-test-${++dbNo}-${Math.random()}`);
  const ids: string[] = [];
  const records = [];
  for (let i = 0; i < n; i++) {
    const s = ++serial;
    const listId = `M${s}-20500-${s}`;
    const id = `r-${dbNo}-${i}-${Math.random().toString(36).slice(2)}`;
    ids.push(id);
    const payload = { id, key: `${listId}|${listId}:D1:P1|B${s}`, listId, offerId: `${listId}:D1:P1`, dealId: 'D1', memberId: `M${s}`, basketId: `B${s}`, units: 1, amountCents: 100 + i, day: 20500, synced: 0, listCode: await signedCode(ring, 20500, s) };
    records.push(outboxRecord('redemption', id, payload, i));
  }
  const tx = db.transaction('outbox', 'readwrite');
  for (const r of records) void tx.store.put(r);
  await tx.done;
  return { db, ids };
}
const options = (): SyncOptions => ({ endpoint: `${BASE}/v1`, token, sleep: async () => {}, timeoutMs: 5_000 });
const atHq = async (ids: string[]) => (await hq.rows<{ n: number }>('SELECT count(*)::int AS n FROM redemptions WHERE redemption_id = ANY($1::text[])', [ids]))[0]!.n;

describe('redemption outbox', () => {
  it('reaches headquarters exactly once however often it is drained', async () => {
    server.use(hq.handler);
    const { db, ids } = await aStoreWith(5);
    for (let i = 0; i < 4; i++) await drainOutbox(db, options());
    expect(await atHq(ids)).toBe(5);
    expect(await unsyncedCount(db)).toBe(0);
  });

  it('keeps the queue through a dropped network, 5xx and cut bodies, then delivers once', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/v1/:kind`, () => (++calls <= 2 ? HttpResponse.error() : undefined)),
      http.post(`${BASE}/v1/:kind`, () => (calls <= 4 ? new HttpResponse(null, { status: 503 }) : undefined)),
      // A request body cut on the way: headquarters reads half a JSON document and refuses it (400), nothing stored.
      http.post(`${BASE}/v1/:kind`, async ({ request }) => {
        if (calls > 6) return undefined;
        calls++;
        const text = await request.text();
        return hq.app.request('/v1/redemptions', { method: 'POST', headers: request.headers, body: text.slice(0, Math.floor(text.length / 2)) });
      }),
      hq.handler,
    );
    const { db, ids } = await aStoreWith(2);
    const first = await drainOutbox(db, { ...options(), maxAttempts: 2 });
    expect(first.pending).toBeGreaterThan(0);
    expect(await unsyncedCount(db)).toBe(first.pending);
    for (let i = 0; i < 5; i++) await drainOutbox(db, options());
    expect(await atHq(ids)).toBe(2);
    expect(await unsyncedCount(db)).toBe(0);
  });

  it('treats a lost answer (headquarters stored it, the kiosk timed out) as sent once on retry', async () => {
    let slow = true;
    server.use(http.post(`${BASE}/v1/:kind`, async ({ request }) => {
      if (!slow) return undefined;
      slow = false;
      await hq.handler.run({ request: request.clone(), requestId: 'x' });
      await delay(1_500); // longer than the kiosk waits
      return HttpResponse.json({ ok: true });
    }), hq.handler);
    const { db, ids } = await aStoreWith(1);
    const before = hq.seen.length;
    // The first try times out; the retry is answered as a replay of what headquarters already stored.
    expect(await drainOutbox(db, { ...options(), timeoutMs: 1_000 })).toMatchObject({ sent: 1, replayed: 1, pending: 0 });
    expect(hq.seen.slice(before).map((r) => r.status)).toEqual([200, 200]);
    expect(await atHq(ids)).toBe(1);
    expect(await unsyncedCount(db)).toBe(0);
  });

  it('flags a record whose id headquarters knows with other contents (key-reused), and does not resend it', async () => {
    server.use(hq.handler);
    const { db, ids } = await aStoreWith(1);
    const record = (await db.get('outbox', ids[0]!))!;
    // Another body under the same key reached headquarters first.
    const other = { ...(record.payload as Record<string, unknown>), amountCents: 999 };
    expect((await hq.request('POST', '/v1/redemptions', { token, body: other, headers: { 'idempotency-key': ids[0]! } })).status).toBe(200);
    const report = await drainOutbox(db, options());
    expect(report.conflicts).toBe(1);
    const posts = hq.seen.length;
    await drainOutbox(db, options());
    expect(hq.seen.length).toBe(posts);
    expect(await db.get('outbox', ids[0]!)).toMatchObject({ conflict: true, conflictReason: 'key-reused' });
  });

  it('keeps a record queued without a token (401); another store\'s till is refused its lists and keys', async () => {
    server.use(hq.handler);
    const { db, ids } = await aStoreWith(1);
    const none = await drainOutbox(db, { ...options(), token: undefined, maxAttempts: 1 });
    expect(none).toMatchObject({ sent: 0, pending: 1, lastError: 'HTTP 401' });
    const elsewhere = await hq.enrol('S02');
    const wrong = await drainOutbox(db, { ...options(), token: elsewhere.token, maxAttempts: 1 });
    // S02's till cannot vouch for a list signed with S01's ring: headquarters refuses it, and it is kept for a person.
    expect(wrong).toMatchObject({ sent: 0, conflicts: 1 });
    expect(await db.get('outbox', ids[0]!)).toMatchObject({ conflict: true, conflictReason: 'forged-code' });
    expect(await atHq(ids)).toBe(0);
    const res = await hq.request('GET', '/v1/stores/S01/keys', { token: elsewhere.token });
    expect(res.status).toBe(403);
  });

  it('never loses or duplicates a record under any pattern of faults', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom('ok', 'drop', '500', 'cut'), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 4 }), async (faults, n) => {
      let i = 0;
      server.resetHandlers(http.post(`${BASE}/v1/:kind`, async ({ request }) => {
        const f = faults[i++ % faults.length];
        if (f === 'drop') return HttpResponse.error();
        if (f === '500') return new HttpResponse(null, { status: 500 });
        if (f === 'cut') {
          // Stored at headquarters, but the answer's body is cut off on the way back.
          const res = await hq.handler.run({ request: request.clone(), requestId: 'cut' });
          const text = await res!.response!.text();
          return new HttpResponse(text.slice(0, 3), { status: res!.response!.status, headers: { 'content-type': 'application/json' } });
        }
        return undefined;
      }), hq.handler);
      const { db, ids } = await aStoreWith(n);
      for (let round = 0; round < 10 && (await unsyncedCount(db)) > 0; round++) await drainOutbox(db, { ...options(), maxAttempts: 2 });
      server.resetHandlers(hq.handler);
      await drainOutbox(db, options());
      expect(await atHq(ids)).toBe(n);
      expect(await unsyncedCount(db)).toBe(0);
      db.close();
    }), { numRuns: 25 });
  }, 120_000);
});
