import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { openStore } from './store.ts';
import { readAllHistories } from './packs.ts';

// Reliability promise 2 (and the checkout invariant): a crash between the steps of a checkout — redemption,
// budget ledger, history, outbox — leaves everything or nothing. The crash is injected as a write that throws at
// the k-th put of the checkout, which is what a failing disk or a killed worker looks like from inside the code.

const store = generateDemoStore({ members: 60, seed: 5, endDate: '2026-06-30', days: 200 });
const files = demoFeedFiles(store);
const END = parseDay('2026-06-30')!;
const realPut = IDBObjectStore.prototype.put;
afterEach(() => { IDBObjectStore.prototype.put = realPut; });

/** Make the k-th put from now on throw, as a crash midway through a transaction. */
function crashAtPut(k: number): () => number {
  let calls = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (++calls === k) throw new DOMException(`injected crash at put ${k} (${this.name})`, 'UnknownError');
    return realPut.apply(this, args);
  } as IDBObjectStore['put'];
  return () => calls;
}

/** Everything a checkout may change, as comparable plain data. */
async function snapshot(dbName: string) {
  const db = await openStore(dbName);
  const [redemptions, outbox, histories, meta] = await Promise.all([db.getAll('redemptions'), db.getAll('outbox'), readAllHistories(db), db.getAllKeys('meta')]);
  const budgets = await Promise.all(meta.filter((k) => k.startsWith('budget:')).map(async (k) => [k, await db.get('meta', k)]));
  db.close();
  return {
    redemptions: redemptions.map((r) => r.key).sort(),
    outbox: outbox.map((r) => r.id).sort(),
    histories: histories.map((h) => `${h.memberId}:${h.basketIds.length}:${h.products.length}`).sort(),
    budgets: budgets.sort(),
  };
}

async function storeWithList(run: number) {
  const dbName = `checkout-crash-${run}-${Math.random()}`;
  const engine = createEngine({ dbName, today: () => END + 1 });
  await importDemoFeeds(engine, files);
  const member = store.members.find((m) => m.consent.personalise && store.baskets.filter((b) => b.memberId === m.id).length > 20)!;
  const list = await engine.listFor(member.id);
  if (!list.ok) throw new Error(list.error);
  await engine.settled(); // the list's own write is not one of the checkout's crash points
  const offered = list.value.items.filter((i) => i.offer);
  expect(offered.length).toBeGreaterThan(0);
  const lines = [...offered.map((i) => ({ productId: i.productId, qty: 2 })), { productId: list.value.items.find((i) => !i.offer)?.productId ?? offered[0]!.productId, qty: 1 }];
  return { dbName, engine, list: list.value, member, lines };
}

describe('checkout under injected crashes', () => {
  it('leaves everything or nothing whichever write crashes, and a retry then redeems exactly once', async () => {
    // How many puts a clean checkout makes, so that every crash point is reachable.
    const clean = await storeWithList(0);
    const count = crashAtPut(Number.POSITIVE_INFINITY);
    const ok = await clean.engine.checkout({ code: clean.list.code, basketId: 'B-1', lines: clean.lines });
    const puts = count();
    IDBObjectStore.prototype.put = realPut;
    expect(ok.ok && ok.value.receipt.length).toBeGreaterThan(0);
    expect(puts).toBeGreaterThanOrEqual(4);
    const after = await snapshot(clean.dbName);

    let run = 0;
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: puts }), async (k) => {
      const s = await storeWithList(++run);
      const before = await snapshot(s.dbName);
      crashAtPut(k);
      const crashed = await s.engine.checkout({ code: s.list.code, basketId: 'B-1', lines: s.lines }).then(() => 'returned', (e: Error) => e.message);
      IDBObjectStore.prototype.put = realPut;
      const mid = await snapshot(s.dbName);
      // All or nothing: either the state before, or (a crash after the commit, e.g. issuing the next list) the whole checkout.
      if (crashed === 'returned') expect(mid.redemptions.length).toBeGreaterThan(0);
      else expect(mid).toEqual(before);
      // The cashier retries the same basket: one redemption per offer, one basket in the history.
      const retry = await s.engine.checkout({ code: s.list.code, basketId: 'B-1', lines: s.lines });
      expect(retry.ok).toBe(true);
      const final = await snapshot(s.dbName);
      expect(final.redemptions.length).toBe(after.redemptions.length);
      expect(final.outbox.length).toBe(after.outbox.length);
      expect(final.histories).toEqual(after.histories);
      expect(final.budgets.map(([k]) => k)).toEqual(after.budgets.map(([k]) => k));
    }), { numRuns: 12 });
  }, 120_000);
});

describe('offline exposure cap', () => {
  it('caps the unconfirmed savings per deal on one kiosk, and lifts the cap once headquarters has them', async () => {
    const dbName = `exposure-${Math.random()}`;
    const engine = createEngine({ dbName, today: () => END + 1, offlineExposureCentsPerDeal: 1 });
    await importDemoFeeds(engine, files);
    const member = store.members.find((m) => m.consent.personalise && store.baskets.filter((b) => b.memberId === m.id).length > 20)!;
    const list = await engine.listFor(member.id);
    if (!list.ok) throw new Error(list.error);
    // An offer that saves on one unit (a multibuy saves only on a whole set), whichever the scorer ranks first.
    const offer = list.value.items.find((i) => i.offer && i.offer.kind !== 'multibuy')!;
    // First basket: 1 cent of saving may be given before anything is confirmed.
    const first = await engine.checkout({ code: list.value.code, basketId: 'X-1', lines: [{ productId: offer.productId, qty: 1 }] });
    expect(first.ok && first.value.totalSavingCents).toBe(1);
    // Another list of another member with the same deal: refused with the offline cap while the first is unsynced.
    const other = store.members.filter((m) => m.consent.personalise && m.id !== member.id);
    let refused = false;
    for (const m of other) {
      const l = await engine.listFor(m.id);
      const same = l.ok ? l.value.items.find((i) => i.offer?.dealId === offer.offer!.dealId) : undefined;
      if (!l.ok || !same) continue;
      const r = await engine.previewCheckout({ code: l.value.code, basketId: `Y-${m.id}`, lines: [{ productId: same.productId, qty: 1 }] });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.refusals.find((x) => x.offerId === same.offer!.id)?.reason).toBe('offline-cap');
      refused = true;
      break;
    }
    const db = await openStore(dbName);
    const queued = await db.getAllFromIndex('outbox', 'by-synced', 0);
    expect(queued.some((r) => r.kind === 'redemption')).toBe(true);
    // Once headquarters has confirmed them, the cap is free again.
    const tx = db.transaction('outbox', 'readwrite');
    for (const r of queued) void tx.store.put({ ...r, synced: 1 });
    await tx.done;
    db.close();
    const again = await engine.previewCheckout({ code: list.value.code, basketId: 'X-2', lines: [{ productId: offer.productId, qty: 1 }] });
    expect(again.ok && again.value.refusals.find((x) => x.offerId === offer.offer!.id)?.reason).toBe('already-redeemed');
    expect(refused || other.length === 0).toBe(true);
  });
});
