/// <reference types="mocha" />
// Schemas v4 and v5 in real Chromium: a version-3 database's lists (one per record) become packs, walked by cursor
// from the renamed old store, which is then gone; each member's record, history and preferences become one pack.
import { expect } from 'chai';
import { openDB } from 'idb';
import { DB_VERSION, openStore } from '../../worker/store.ts';
import { allLists, listByCode, memberLists, recentLists } from '../../worker/lists.ts';

const uniqueName = () => `migration-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** A database as version 3 of the engine left it, with `count` lists for five members, a fortnight apart. */
async function versionThree(name: string, count: number) {
  const db = await openDB(name, 3, {
    upgrade(d) {
      for (const [store, keyPath] of [['products', 'id'], ['members', 'id'], ['histories', 'memberId'], ['deals', 'id'], ['campaigns', 'id'], ['content', 'id']] as const) d.createObjectStore(store, { keyPath });
      const lists = d.createObjectStore('lists', { keyPath: 'id' });
      lists.createIndex('by-code', 'code', { unique: true });
      lists.createIndex('by-member', 'memberId');
      lists.createIndex('by-member-day', ['memberId', 'issuedDay']);
      d.createObjectStore('meta');
      d.createObjectStore('redemptions', { keyPath: 'key' });
      d.createObjectStore('outbox', { keyPath: 'id' });
      d.createObjectStore('rejects', { keyPath: 'id', autoIncrement: true });
      d.createObjectStore('prefs');
    },
  });
  const tx = db.transaction(['lists', 'members', 'histories', 'prefs'], 'readwrite');
  for (let m = 0; m < 5; m++) {
    void tx.objectStore('members').put({ id: `M${m}`, cardCode: `400638133393${m}`, consent: { personalise: true, contact: false } });
    if (m % 2 === 0) void tx.objectStore('histories').put({ memberId: `M${m}`, basketIds: ['B1'], days: Uint16Array.of(20_000), minutes: Uint16Array.of(600), lineStart: Uint8Array.of(0, 1), products: Uint8Array.of(0), qty: Uint8Array.of(2), priceCents: Uint16Array.of(349) });
    if (m === 1) void tx.objectStore('prefs').put({ shown: { P1: { lastShownDay: 20_010, times: 1 } } }, `M${m}`);
  }
  for (let i = 0; i < count; i++) {
    void tx.objectStore('lists').put({ id: `L${i}`, code: `C${i}`, memberId: `M${i % 5}`, issuedDay: 20_000 + 14 * Math.floor(i / 5), validUntilDay: 20_014 + 14 * Math.floor(i / 5), personalised: true, items: [{ productId: 'P1', name: 'Whole Milk' }], coupons: [], rewards: [] });
  }
  await tx.done;
  db.close();
}

describe('schemas v4 and v5 in Chromium', () => {
  it('turns a version-3 database\'s lists into packs that every query finds, and drops the old store', async () => {
    const name = uniqueName();
    await versionThree(name, 500);
    const db = await openStore(name);
    expect(db.version).to.equal(DB_VERSION);
    expect([...db.objectStoreNames]).to.not.include('lists-v3');
    expect((await allLists(db)).length).to.equal(500);
    expect((await listByCode(db.transaction('lists').store, 'C123'))?.memberId).to.equal('M3');
    expect((await memberLists(db.transaction('lists').store, 'M2')).map((l) => l.id)).to.have.length(100);
    const recent = await recentLists(db.transaction('lists').store, 'M4', 20_000 + 14 * 50, 14);
    expect(recent.map((l) => l.id)).to.deep.equal(['L254']);
    // v5: one pack per member, found by card; the history index holds only the members with a history.
    for (const gone of ['members', 'histories', 'prefs']) expect([...db.objectStoreNames]).to.not.include(gone);
    expect(await db.count('packs')).to.equal(5);
    expect(await db.getAllKeysFromIndex('packs', 'by-history')).to.deep.equal(['M0', 'M2', 'M4']);
    const m2 = (await db.getFromIndex('packs', 'by-card', '4006381333932'))!;
    expect(m2.history!.basketIds).to.deep.equal(['B1']);
    expect(m2.history!.products).to.be.instanceOf(Uint8Array);
    expect(await db.get('shown', 'M1')).to.deep.equal({ P1: { lastShownDay: 20_010, times: 1 } });
    db.close();
  });
});
