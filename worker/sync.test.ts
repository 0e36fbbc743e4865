import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { http, HttpResponse, delay } from 'msw';
import fc from 'fast-check';
import { openStore, type LarderDB } from './store.ts';
import { drainOutbox, outboxRecord, unsyncedCount } from './sync.ts';
import { fakeHeadquarters } from '../test/mocks/headquarters.ts';
import { useMockServer } from '../test/mocks/node.ts';

const server = useMockServer();

let dbNo = 0;
async function aStoreWith(n: number): Promise<LarderDB> {
  const db = await openStore(`sync-test-${++dbNo}-${Math.random()}`);
  const tx = db.transaction('outbox', 'readwrite');
  for (let i = 0; i < n; i++) void tx.store.put(outboxRecord('redemption', `r-${i}`, { key: `L|o${i}|b`, listId: 'L', offerId: `o${i}`, amountCents: 100 + i }, i));
  await tx.done;
  return db;
}
const options = { endpoint: 'http://hq.test/hq', sleep: async () => {}, timeoutMs: 200 };

describe('redemption outbox', () => {
  it('reaches headquarters exactly once however often it is drained', async () => {
    const hq = fakeHeadquarters();
    server.use(hq.handler);
    const db = await aStoreWith(5);
    for (let i = 0; i < 4; i++) await drainOutbox(db, options);
    expect(hq.records.size).toBe(5);
    expect(await unsyncedCount(db)).toBe(0);
  });

  it('keeps the queue through a dropped network and 5xx, then delivers once', async () => {
    const hq = fakeHeadquarters();
    let calls = 0;
    server.use(http.post('*/hq/:kind', () => (++calls <= 3 ? HttpResponse.error() : undefined)),
      http.post('*/hq/:kind', () => (calls <= 6 ? new HttpResponse(null, { status: 503 }) : undefined)), hq.handler);
    const db = await aStoreWith(2);
    const first = await drainOutbox(db, { ...options, maxAttempts: 2 });
    expect(first.pending).toBeGreaterThan(0);
    expect(await unsyncedCount(db)).toBe(first.pending);
    for (let i = 0; i < 5; i++) await drainOutbox(db, options);
    expect(hq.records.size).toBe(2);
    expect(await unsyncedCount(db)).toBe(0);
  });

  it('treats a lost answer (headquarters stored it, the kiosk timed out) as sent once on retry', async () => {
    const hq = fakeHeadquarters();
    let slow = true;
    server.use(http.post('*/hq/:kind', async ({ request }) => {
      if (!slow) return undefined;
      slow = false;
      await hq.handler.run({ request: request.clone(), requestId: 'x' });
      await delay(500); // longer than the kiosk waits
      return HttpResponse.json({ ok: true });
    }), hq.handler);
    const db = await aStoreWith(1);
    await drainOutbox(db, options);
    await drainOutbox(db, options);
    expect(hq.records.size).toBe(1);
    expect(await unsyncedCount(db)).toBe(0);
  });

  it('flags a record whose id headquarters knows with other contents, and does not resend it', async () => {
    const hq = fakeHeadquarters();
    hq.records.set('r-0', '{"other":true}');
    server.use(hq.handler);
    const db = await aStoreWith(1);
    const report = await drainOutbox(db, options);
    expect(report.conflicts).toBe(1);
    const posts = hq.posts();
    await drainOutbox(db, options);
    expect(hq.posts()).toBe(posts);
    expect((await db.get('outbox', 'r-0'))!.conflict).toBe(true);
  });

  it('never loses or duplicates a record under any pattern of faults', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom('ok', 'drop', '500'), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 6 }), async (faults, n) => {
      const hq = fakeHeadquarters();
      let i = 0;
      server.resetHandlers(http.post('*/hq/:kind', () => {
        const f = faults[i++ % faults.length];
        if (f === 'drop') return HttpResponse.error();
        if (f === '500') return new HttpResponse(null, { status: 500 });
        return undefined;
      }), hq.handler);
      const db = await aStoreWith(n);
      for (let round = 0; round < 12 && (await unsyncedCount(db)) > 0; round++) await drainOutbox(db, { ...options, maxAttempts: 2 });
      server.resetHandlers(hq.handler);
      await drainOutbox(db, options);
      expect(hq.records.size).toBe(n);
      expect(await unsyncedCount(db)).toBe(0);
      db.close();
    }), { numRuns: 60 });
  });
});
