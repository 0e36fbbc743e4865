import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { http, HttpResponse } from 'msw';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';

// Reliability promises 6 and 7, against the real headquarters in process: two tills of one store share its key ring,
// so a list printed at one kiosk is genuine at the other; one list redeemed offline at both is flagged as a conflict
// when the second till syncs; a kiosk refuses to erase its data while anything is not yet at headquarters.

const server = useMockServer();
const BASE = 'http://hq.test/hq';
let hq: InProcessHq;
beforeAll(async () => { hq = await inProcessHq(BASE); }, 60_000);
afterAll(async () => { await hq?.close(); });

const store = generateDemoStore({ members: 60, seed: 11, endDate: '2026-06-30', days: 200 });
const files = demoFeedFiles(store);
const END = parseDay('2026-06-30')!;
async function kiosk(name: string) {
  const dbName = `${name}-${Math.random()}`;
  // The engine's own drain is made patient here: the test sends when it says so.
  const engine = createEngine({ dbName, today: () => END + 1, outbox: { baseDelayMs: 3_600_000, retryDelayMs: 1 } });
  await importDemoFeeds(engine, files);
  const enrolled = await engine.enrolDevice(BASE, await hq.enrolmentCode('S01'));
  if (!enrolled.ok) throw new Error(enrolled.error);
  return { dbName, engine };
}

describe('two tills, one list', () => {
  it('redeems offline at both, then headquarters keeps the first and the second till flags a conflict', async () => {
    server.use(hq.handler);
    const a = await kiosk('till-a');
    const b = await kiosk('till-b');
    const member = store.members.find((m) => m.consent.personalise && store.baskets.filter((x) => x.memberId === m.id).length > 20)!;
    const list = await a.engine.listFor(member.id);
    if (!list.ok) throw new Error(list.error);
    const offer = list.value.items.find((i) => i.offer)!;
    // Headquarters gave both tills the store's key ring: the code printed at A's kiosk is genuine at B. B never saw
    // the list: with the member's card it makes it again under A's id, so the offer has the same id at both tills.
    const lines = [{ productId: offer.productId, qty: 1 }];
    const card = store.members.find((m) => m.id === member.id)!.cardCode;
    expect(await b.engine.previewCheckout({ code: list.value.code, basketId: 'B-0', lines })).toMatchObject({ ok: false, error: 'unknown-list' });
    server.resetHandlers(http.all(`${BASE}/*`, () => HttpResponse.error())); // both tills offline
    const atA = await a.engine.checkout({ code: list.value.code, basketId: 'A-1', lines });
    const atB = await b.engine.checkout({ code: list.value.code, card, basketId: 'B-1', lines });
    expect(atA.ok && atA.value.receipt.map((r) => r.offerId)).toEqual([offer.offer!.id]);
    expect(atB.ok && atB.value.receipt.map((r) => r.offerId)).toEqual([offer.offer!.id]); // offline, B cannot know
    // Scanned again at B: B's own ledger refuses it.
    const again = await b.engine.checkout({ code: list.value.code, card, basketId: 'B-2', lines });
    expect(again.ok && again.value.receipt).toEqual([]);
    // The engines tried to send by themselves and kept everything queued; then A comes online first, B after.
    expect(await a.engine.syncOutbox()).toMatchObject({ sent: 0, pending: 2 });
    expect(await b.engine.syncOutbox()).toMatchObject({ sent: 0, pending: 3 });
    server.resetHandlers(hq.handler);

    // B may not erase its data while its redemption exists nowhere else.
    expect(await b.engine.resetDevice()).toMatchObject({ ok: false, error: 'unsynced' });

    const sentA = await a.engine.syncOutbox();
    const sentB = await b.engine.syncOutbox();
    expect(sentA).toMatchObject({ sent: 2, conflicts: 0 }); // the redemption and the basket
    expect(sentB).toMatchObject({ sent: 2, conflicts: 1 }); // B's two baskets are its own; the offer was A's
    const flagged = await b.engine.outboxConflicts();
    expect(flagged).toEqual([expect.objectContaining({ kind: 'redemption', reason: 'offer-redeemed-elsewhere', listId: list.value.id, offerId: offer.offer!.id })]);
    expect(await b.engine.outboxStatus()).toMatchObject({ unsynced: 0, conflicts: 1 });
    // Headquarters holds one redemption of that offer; syncing again sends nothing.
    const atHq = await hq.rows('SELECT redemption_id FROM redemptions WHERE list_id = $1 AND offer_id = $2', [list.value.id, offer.offer!.id]);
    expect(atHq).toHaveLength(1);
    const posts = hq.seen.length;
    await b.engine.syncOutbox();
    expect(hq.seen.length).toBe(posts);
    // Still refused: the conflict is for a person to settle, not to be erased with the device.
    expect(await b.engine.resetDevice()).toMatchObject({ ok: false, error: 'unsynced' });
    // A, fully synced, may reset: its database is gone and the next use starts empty.
    expect(await a.engine.resetDevice()).toMatchObject({ ok: true });
    expect((await a.engine.status()).members).toBe(0);
    // It still belongs to its store: no new code is needed to sync again.
    expect(await a.engine.deviceLink()).toMatchObject({ enrolled: true, storeId: 'S01', keyRing: true });
  });
});
