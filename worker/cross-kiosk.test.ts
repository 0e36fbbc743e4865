import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { openStore } from './store.ts';
import { packOf } from './lists.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { fakeHeadquarters } from '../test/mocks/headquarters.ts';
import { useMockServer } from '../test/mocks/node.ts';

// Reliability promises 6 and 7: one list redeemed offline at two tills is flagged as a conflict when the second till
// syncs; a kiosk refuses to erase its data while anything is not yet at headquarters.

const server = useMockServer();

const store = generateDemoStore({ members: 60, seed: 11, endDate: '2026-06-30', days: 200 });
const files = demoFeedFiles(store);
const END = parseDay('2026-06-30')!;
const sync = { endpoint: 'http://hq.test/hq' };

async function kiosk(name: string) {
  const dbName = `${name}-${Math.random()}`;
  const engine = createEngine({ dbName, today: () => END + 1 });
  await importDemoFeeds(engine, files);
  return { dbName, engine };
}

describe('two tills, one list', () => {
  it('redeems offline at both, then headquarters keeps the first and the second till flags a conflict', async () => {
    const hq = fakeHeadquarters();
    server.use(hq.handler);
    const a = await kiosk('till-a');
    const b = await kiosk('till-b');
    const member = store.members.find((m) => m.consent.personalise && store.baskets.filter((x) => x.memberId === m.id).length > 20)!;
    const list = await a.engine.listFor(member.id);
    if (!list.ok) throw new Error(list.error);
    const offer = list.value.items.find((i) => i.offer)!;
    // Headquarters gave both tills the store's key ring and the list (the member printed it at till A's kiosk).
    const da = await openStore(a.dbName), db = await openStore(b.dbName);
    await db.put('meta', await da.get('meta', 'listKeys'), 'listKeys');
    await db.put('lists', packOf([list.value]));
    da.close();
    db.close();

    const lines = [{ productId: offer.productId, qty: 1 }];
    const atA = await a.engine.checkout({ code: list.value.code, basketId: 'A-1', lines });
    const atB = await b.engine.checkout({ code: list.value.code, basketId: 'B-1', lines });
    expect(atA.ok && atA.value.receipt.length).toBe(1);
    expect(atB.ok && atB.value.receipt.length).toBe(1); // offline, B cannot know

    // B may not erase its data while its redemption exists nowhere else.
    expect(await b.engine.resetDevice()).toMatchObject({ ok: false, error: 'unsynced' });

    const sentA = await a.engine.syncOutbox(sync.endpoint);
    const sentB = await b.engine.syncOutbox(sync.endpoint);
    expect(sentA).toMatchObject({ sent: 2, conflicts: 0 }); // the redemption and the basket
    expect(sentB).toMatchObject({ sent: 1, conflicts: 1 }); // the basket is B's own; the offer was A's
    const flagged = await b.engine.outboxConflicts();
    expect(flagged).toEqual([expect.objectContaining({ kind: 'redemption', reason: 'offer-redeemed-elsewhere', listId: list.value.id, offerId: offer.offer!.id })]);
    expect(await b.engine.outboxStatus()).toEqual({ unsynced: 0, conflicts: 1 });
    // Headquarters holds one redemption of that offer; syncing again changes nothing.
    const redemptionsAtHq = [...hq.records.values()].filter((body) => body.includes(offer.offer!.id) && body.includes('"offerId"'));
    expect(redemptionsAtHq).toHaveLength(1);
    const posts = hq.posts();
    await b.engine.syncOutbox(sync.endpoint);
    expect(hq.posts()).toBe(posts);
    // Still refused: the conflict is for a person to settle, not to be erased with the device.
    expect(await b.engine.resetDevice()).toMatchObject({ ok: false, error: 'unsynced' });
    // A, fully synced, may reset: its database is gone and the next use starts empty.
    expect(await a.engine.resetDevice()).toMatchObject({ ok: true });
    expect((await a.engine.status()).members).toBe(0);
  });
});
