import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { openStore, readKeyRange } from './store.ts';
import { readHistory } from './packs.ts';
import { allLists, listByCode, recentLists } from './lists.ts';
import fc from 'fast-check';
import { emptyHistory, mergeBaskets } from '../core/history.ts';
import { createEngine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';

/** A database as version 2 of the engine left it: members, plain packed histories, lists indexed by member only. */
async function versionTwo(name: string) {
  const db = await openDB(name, 2, {
    upgrade(d) {
      for (const [store, keyPath] of [['products', 'id'], ['members', 'id'], ['histories', 'memberId'], ['deals', 'id'], ['campaigns', 'id'], ['content', 'id']] as const) d.createObjectStore(store, { keyPath });
      const lists = d.createObjectStore('lists', { keyPath: 'id' });
      lists.createIndex('by-code', 'code', { unique: true });
      lists.createIndex('by-member', 'memberId');
      d.createObjectStore('meta');
      d.createObjectStore('redemptions', { keyPath: 'key' });
      d.createObjectStore('outbox', { keyPath: 'id' });
      d.createObjectStore('rejects', { keyPath: 'id', autoIncrement: true });
    },
  });
  const { history } = mergeBaskets(emptyHistory('M1'), Array.from({ length: 40 }, (_, b) => ({
    id: `B${b}`, memberId: 'M1', day: 20_000 + 7 * b, minute: 600,
    lines: [{ productId: 'p3', qty: 2, unitPriceCents: 349, discountCents: b % 5 === 0 ? 35 : 0 }, { productId: 'p70', qty: 0.75, unitPriceCents: 1_299, discountCents: 0 }],
  })), (id) => Number(id.slice(1)));
  await db.put('histories', history);
  for (const id of ['M1', 'M2']) await db.put('members', { id, cardCode: `200000000000${id.slice(1)}`, consent: { personalise: true, contact: false }, firstName: `Ann ${id}` });
  // A history no member owns (never written by the engine): nothing to show, it goes with its store.
  await db.put('histories', { ...history, memberId: 'M9' });
  await db.put('lists', { id: 'L1', memberId: 'M1', code: 'c1', issuedDay: 20_280 } as never);
  for (let i = 2; i <= 25; i++) await db.put('lists', { id: `L${i}`, memberId: `M${i % 3}`, code: `c${i}`, issuedDay: 20_000 + 14 * i } as never);
  await db.put('meta', { notForMe: { p3: 20_100 }, mutedUntil: {} }, 'controls:M1');
  await db.put('meta', { p70: { firstShownDay: 20_200, lastShownDay: 20_260, times: 2 } }, 'shown:M1');
  await db.put('meta', { p3: { firstShownDay: 20_250, lastShownDay: 20_250, times: 1 } }, 'shown:M2');
  await db.put('meta', 20_281, 'clockDay');
  db.close();
  return history;
}

describe('schema migrations', () => {
  it('migrate a v2 database: histories to their narrow form, read back as they were; lists to packs, found by code and by member and day; each member\'s record, history, controls and shown memory to one pack', async () => {
    const name = `migrate-${Math.random()}`;
    const before = await versionTwo(name);
    const db = await openStore(name);
    expect([...db.objectStoreNames].sort()).toEqual(['campaigns', 'content', 'deals', 'lists', 'meta', 'outbox', 'packs', 'products', 'redemptions', 'rejects', 'shown']);
    const raw = (await db.get('packs', 'M1'))!.history!;
    expect(raw.products).toBeInstanceOf(Uint8Array);
    expect(raw.priceCents).toBeInstanceOf(Uint16Array);
    expect(raw.qty).toBeInstanceOf(Float32Array); // 0.75 kg: fractional quantities keep their type
    expect(await readHistory(db.transaction('packs').store, 'M1')).toEqual(before);
    expect((await db.getFromIndex('packs', 'by-card', '2000000000001'))?.member.firstName).toBe('Ann M1');
    expect(await db.getAllKeysFromIndex('packs', 'by-history')).toEqual(['M1']);
    expect(await db.getAllKeys('packs')).toEqual(['M1', 'M2']);
    expect((await recentLists(db.transaction('lists').store, 'M1', 20_290, 14)).map((l) => l.id)).toEqual(['L1']);
    expect(await recentLists(db.transaction('lists').store, 'M1', 20_300, 14)).toEqual([]);
    expect((await listByCode(db.transaction('lists').store, 'c1'))?.id).toBe('L1');
    expect(await db.get('lists', 'L1')).toEqual({ id: 'L1', lists: [{ id: 'L1', memberId: 'M1', code: 'c1', issuedDay: 20_280 }], codes: ['c1'], memberDays: [['M1', 20_280]] });
    for (let i = 2; i <= 25; i++) expect((await listByCode(db.transaction('lists').store, `c${i}`))?.memberId).toBe(`M${i % 3}`);
    expect((await allLists(db)).length).toBe(25);
    expect([...db.objectStoreNames]).not.toContain('lists-v3');
    const { history: _h, ...m1 } = (await db.get('packs', 'M1'))!;
    expect(m1).toEqual({
      id: 'M1', member: { id: 'M1', cardCode: '2000000000001', consent: { personalise: true, contact: false }, firstName: 'Ann M1' },
      controls: { notForMe: { p3: 20_100 }, mutedUntil: {} },
    });
    // The shown-items memory, which every list writes, in its own small record.
    expect(await db.get('shown', 'M1')).toEqual({ p70: { firstShownDay: 20_200, lastShownDay: 20_260, times: 2 } });
    expect(await db.get('shown', 'M2')).toEqual({ p3: { firstShownDay: 20_250, lastShownDay: 20_250, times: 1 } });
    expect(await db.getAllKeys('meta')).toEqual(['clockDay']);
    db.close();
  });
});

describe('readKeyRange', () => {
  it('reads exactly the records of any sorted set of ids, consecutive or sparse, some of them absent', async () => {
    const db = await openStore(`range-${Math.random()}`);
    const all = Array.from({ length: 60 }, (_, i) => `M${String(i).padStart(3, '0')}`);
    const tx = db.transaction(['shown', 'lists'], 'readwrite');
    for (const [i, id] of all.entries()) {
      if (i % 3) void tx.objectStore('shown').put({ [`p${i}`]: { lastShownDay: i, times: 1 } }, id); // every third member has none
      void tx.objectStore('lists').put({ id: `L${id}`, lists: [], codes: [`c${id}`], memberDays: [[id, i]] });
    }
    await tx.done;
    await fc.assert(fc.asyncProperty(fc.subarray(all, { minLength: 1 }), async (ids) => {
      const t = db.transaction(['shown', 'lists']);
      const [shown, lists] = await Promise.all([readKeyRange(t.objectStore('shown'), ids), readKeyRange(t.objectStore('lists'), ids.map((id) => `L${id}`))]);
      expect([...shown.keys()].sort()).toEqual(ids.filter((id) => all.indexOf(id) % 3));
      for (const [id, v] of shown) { const i = all.indexOf(id); expect(v).toEqual({ [`p${i}`]: { lastShownDay: i, times: 1 } }); }
      expect([...lists.keys()].sort()).toEqual(ids.map((id) => `L${id}`));
    }), { numRuns: 60 });
    db.close();
  });
});

describe('lists handed out before their write', () => {
  const store = generateDemoStore({ members: 40, seed: 3, endDate: '2026-06-30', days: 200 });
  const files = demoFeedFiles(store);
  const END = parseDay('2026-06-30')!;
  const member = store.members.find((m) => m.consent.personalise && store.baskets.filter((b) => b.memberId === m.id).length > 20)!;
  const loaded = async () => {
    const engine = createEngine({ dbName: `behind-${Math.random()}`, today: () => END + 1 });
    await importDemoFeeds(engine, files);
    return engine;
  };

  it('are seen by whatever the engine does next: the same list again, a checkout of its code', async () => {
    const engine = await loaded();
    const list = await engine.listFor(member.id);
    if (!list.ok) throw new Error(list.error);
    expect(await engine.listFor(member.id)).toEqual(list);
    const item = list.value.items[0]!;
    const preview = await engine.previewCheckout({ code: list.value.code, basketId: 'K1', lines: [{ productId: item.productId, qty: 1 }] });
    expect(preview.ok && preview.value.listId).toBe(list.value.id);
  });

  it('count a failed write in status() and make the list again at the next scan', async () => {
    const engine = await loaded();
    const other = store.members.find((m) => m.id !== member.id)!;
    expect((await engine.listFor(other.id)).ok).toBe(true); // the signing key and the store model are stored by now
    await engine.settled();
    const realPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () { throw new DOMException('disk full', 'QuotaExceededError'); } as IDBObjectStore['put'];
    let first;
    let settled;
    try {
      first = await engine.listFor(member.id);
      settled = await engine.settled();
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    expect(first.ok).toBe(true);
    expect(settled.unsaved).toEqual([first.ok && first.value.id]);
    expect((await engine.status()).unsavedLists).toBe(1);
    const again = await engine.listFor(member.id);
    expect(again.ok && first.ok && again.value.id).not.toBe(first.ok && first.value.id);
    expect((await engine.settled()).unsaved).toEqual([first.ok && first.value.id]); // the new one is stored
    expect((await engine.status()).unsavedLists).toBe(1);
    expect(await engine.listFor(member.id)).toEqual(again);
  });
});
